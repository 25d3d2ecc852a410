"""Job engine latency and throughput with real worker processes.

For each mode it starts `scenarist worker` subprocess(es), then measures
  - submit-to-start latency (Job.started_at - Job.created_at; median and p95) of jobs submitted one at a time,
  - throughput (jobs/s) of a burst of trivial jobs submitted by 8 threads (first submit to last finish).
Modes: `embedded` (SQLite + SqliteHuey files in a scratch dir) and, when Redis is reachable, `redis`
(RedisHuey + PostgreSQL from SCENARIST_TEST_DATABASE_URL if set — a scratch database is created and dropped —
else the scratch SQLite file). A trivial job is TEST_ITEMS with one item and no delay.

Run: .venv/bin/python bench/jobs.py [--latency-jobs 50] [--burst-jobs 300] [--workers 1] [--threads 4]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REDIS_URL = os.environ.get("SCENARIST_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


def main() -> int:
    """Parse arguments; run each mode in a child process (each needs its own Django settings)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--latency-jobs", type=int, default=50)
    parser.add_argument("--burst-jobs", type=int, default=300)
    parser.add_argument("--workers", type=int, default=1, help="worker processes")
    parser.add_argument("--threads", type=int, default=4, help="threads per worker")
    parser.add_argument("--mode", choices=["embedded", "redis"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.mode:
        print(json.dumps(run_mode(args)))
        return 0
    modes = ["embedded"] + (["redis"] if _redis_up() else [])
    print(f"{'mode':<34} {'median start':>13} {'p95 start':>10} {'throughput':>15} {'submit rate':>15}")
    for mode in modes:
        out = subprocess.run([sys.executable, __file__, "--mode", mode, *_passthrough(args)],
                             capture_output=True, text=True, env=_mode_env(mode))
        if out.returncode != 0:
            print(f"{mode}: failed\n{out.stderr[-3000:]}")
            continue
        r = json.loads(out.stdout.strip().splitlines()[-1])
        print(f"{r['label']:<34} {r['median_ms']:>10.1f} ms {r['p95_ms']:>7.1f} ms {r['jobs_per_s']:>8.1f} jobs/s {r['submits_per_s']:>8.1f} jobs/s")
    if "redis" not in modes:
        print(f"(redis mode skipped: {REDIS_URL} unreachable)")
    return 0


def _passthrough(args) -> list[str]:
    return ["--latency-jobs", str(args.latency_jobs), "--burst-jobs", str(args.burst_jobs),
            "--workers", str(args.workers), "--threads", str(args.threads)]


def _redis_up() -> bool:
    try:
        import redis

        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping())
    except Exception:
        return False


def _mode_env(mode: str) -> dict[str, str]:
    """Environment of one mode's bench process (and of the workers it starts)."""
    scratch = Path(tempfile.mkdtemp(prefix=f"scenarist-bench-{mode}-"))
    env = {k: v for k, v in os.environ.items() if not k.startswith("SCENARIST_")}
    env.update({
        "SCENARIST_DATA_DIR": str(scratch), "SCENARIST_ENABLE_TEST_JOBS": "1", "PYTHONUNBUFFERED": "1",
        "SCENARIST_LOG_LEVEL": "WARNING", "SCENARIST_BENCH_SCRATCH": str(scratch),
    })
    if mode == "redis":
        env.update({"SCENARIST_QUEUE_URL": REDIS_URL, "SCENARIST_QUEUE_NAME": f"scenarist-bench-{uuid.uuid4().hex[:8]}"})
        pg = os.environ.get("SCENARIST_TEST_DATABASE_URL", "")
        if pg:
            env["SCENARIST_DATABASE_URL"] = _scratch_pg_database(pg)
    return env


def _scratch_pg_database(url: str) -> str:
    """Create an empty database beside the one named by url; returns its URL (dropped at the end of the run)."""
    import psycopg

    name = f"scenarist_bench_{os.getpid()}"
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    return url.rsplit("/", 1)[0] + "/" + name


def _drop_pg_database(url: str) -> None:
    import psycopg

    base, name = url.rsplit("/", 1)
    with psycopg.connect(base + "/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def run_mode(args) -> dict:
    """Inside a mode's process: migrate, start workers, measure, stop workers."""
    sys.path[:0] = [str(ROOT / "src"), str(ROOT)]
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "scenarist.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    from scenarist.accounts.services import create_project

    project = create_project("bench")[0]
    workers = [subprocess.Popen([sys.executable, "-m", "scenarist.cli", "worker", "--threads", str(args.threads)],
                                env=dict(os.environ), stdout=subprocess.DEVNULL)
               for _ in range(args.workers)]
    try:
        _wait_done([_submit(project)], timeout=60)  # warm-up: workers are up and connected
        latency_ids = []
        for _ in range(args.latency_jobs):
            latency_ids.append(_submit(project))
            _wait_done(latency_ids[-1:], timeout=30)  # one at a time: the queue is empty when each is sent
        waits = _start_latencies_ms(latency_ids)
        submit_started = time.monotonic()
        with ThreadPoolExecutor(max_workers=8) as pool:  # like several API threads submitting at once
            burst_ids = list(pool.map(lambda _: _submit_closing(project), range(args.burst_jobs)))
        submit_s = time.monotonic() - submit_started
        _wait_done(burst_ids, timeout=600)
        rate = _throughput(burst_ids)
    finally:
        for w in workers:
            w.terminate()
        for w in workers:
            w.wait(30)
    db = "PostgreSQL" if connection.vendor == "postgresql" else "SQLite"
    queue = "Redis" if os.environ.get("SCENARIST_QUEUE_URL") else "SqliteHuey"
    label = f"{'embedded' if queue == 'SqliteHuey' else 'redis'} ({db}+{queue}, {args.workers}x{args.threads}t)"
    result = {"label": label, "median_ms": statistics.median(waits),
              "p95_ms": statistics.quantiles(waits, n=20)[-1], "jobs_per_s": rate,
              "submits_per_s": args.burst_jobs / max(submit_s, 1e-6)}
    if connection.vendor == "postgresql":
        url = os.environ["SCENARIST_DATABASE_URL"]
        connection.close()
        _drop_pg_database(url)
    return result


def _submit(project) -> int:
    from scenarist.jobs.api import enqueue_job
    from scenarist.jobs.models import JobKind

    return enqueue_job(project=project, kind=JobKind.TEST_ITEMS, payload={"n": 1}, total_items=1).pk


def _submit_closing(project) -> int:
    from django.db import connection

    try:
        return _submit(project)
    finally:
        connection.close()


def _wait_done(ids: list[int], timeout: float) -> None:
    from scenarist.jobs.models import TERMINAL_STATUSES, Job

    deadline = time.monotonic() + timeout
    while Job.objects.filter(pk__in=ids, status__in=TERMINAL_STATUSES).count() < len(ids):
        if time.monotonic() > deadline:
            raise SystemExit(f"jobs not done after {timeout}s")
        time.sleep(0.005 if len(ids) == 1 else 0.1)


def _start_latencies_ms(ids: list[int]) -> list[float]:
    from scenarist.jobs.models import Job

    rows = Job.objects.filter(pk__in=ids).values_list("created_at", "started_at")
    return [(started - created).total_seconds() * 1000 for created, started in rows]


def _throughput(ids: list[int]) -> float:
    from django.db.models import Max, Min

    from scenarist.jobs.models import Job

    span = Job.objects.filter(pk__in=ids).aggregate(first=Min("created_at"), last=Max("finished_at"))
    return len(ids) / max((span["last"] - span["first"]).total_seconds(), 1e-6)


if __name__ == "__main__":
    sys.exit(main())
