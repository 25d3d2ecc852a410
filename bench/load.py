"""Load: 100 concurrent HTTP clients poll progress and read scenarios while 20 generation jobs run.

Modes (real processes, scratch data, nothing of ./data touched):
  embedded  `scenarist serve` (gunicorn + 1 worker) on a scratch SQLite file and SqliteHuey queue;
  scale     `scenarist web` + 2 x `scenarist worker` on a fresh PostgreSQL database (created beside
            SCENARIST_TEST_DATABASE_URL / --database-url, dropped afterwards) and Redis
            (SCENARIST_TEST_REDIS_URL / --redis-url) under a unique queue name.
Engines: `llm` (default) runs an out-of-process LLM simulator (`python -m tests.llm_sim --latency L
--responder tests.generation.responders:good_responder`) so jobs last; `offline` uses the built-in engine.

Each client loops over: GET generate-progress of a random job, GET scenarios list (agent filter, page 20),
GET one scenario seen so far; until every job is terminal (or --timeout). Printed per mode: p50/p95/p99 per
endpoint, requests, errors (non-200 or transport error), jobs/min (first submit → last job finished).

Run: .venv/bin/python bench/load.py [--mode embedded|scale|both] [--engine llm|offline] [--clients 100]
     [--jobs 20] [--n 10] [--latency 0.2] [--timeout 600] [--web-processes 2]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import defaultdict
from contextlib import ExitStack, contextmanager
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
V1 = "/test_framework/v1"
TERMINAL = {"completed", "failed", "cancelled"}


def main() -> int:
    """Parse flags, run each requested mode, print one block of figures per mode."""
    args = parse_args()
    modes = ["embedded", "scale"] if args.mode == "both" else [args.mode]
    failed = False
    for mode in modes:
        if mode == "scale" and not (args.database_url and args.redis_url):
            print("scale mode skipped: give --database-url/--redis-url or SCENARIST_TEST_DATABASE_URL/_REDIS_URL")
            continue
        result = run_mode(mode, args)
        print_result(result)
        failed |= result["errors"] > 0 or result["unfinished"] > 0
    return 1 if failed else 0


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """Command-line flags."""
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--mode", choices=["embedded", "scale", "both"], default="both")
    p.add_argument("--engine", choices=["llm", "offline"], default="llm")
    p.add_argument("--clients", type=int, default=100)
    p.add_argument("--jobs", type=int, default=20)
    p.add_argument("--n", type=int, default=10, help="scenarios per job")
    p.add_argument("--latency", type=float, default=0.2, help="simulated seconds per LLM call")
    p.add_argument("--timeout", type=float, default=600, help="give up after this many seconds")
    p.add_argument("--workers", type=int, default=2, help="worker processes in scale mode")
    p.add_argument("--web-processes", type=int, default=2, help="gunicorn processes of the API")
    p.add_argument("--database-url", default=os.environ.get("SCENARIST_TEST_DATABASE_URL", ""))
    p.add_argument("--redis-url", default=os.environ.get("SCENARIST_TEST_REDIS_URL", ""))
    return p.parse_args(argv)


# ---------------------------------------------------------------- processes


def free_port() -> int:
    """A TCP port free right now on 127.0.0.1."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_port(port: int, timeout: float = 60) -> None:
    """Wait until 127.0.0.1:port accepts connections."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as s:
            s.settimeout(0.2)
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise SystemExit(f"nothing listens on port {port} after {timeout}s")


@contextmanager
def process(argv: list[str], env: dict[str, str], log: Path):
    """A subprocess (output to `log`), SIGTERM'd and reaped on exit."""
    with open(log, "wb") as out:
        proc = subprocess.Popen(argv, env=env, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT)
        try:
            yield proc
        finally:
            proc.terminate()
            try:
                proc.wait(30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def scenarist(*args: str) -> list[str]:
    """argv of a `scenarist` CLI command run with this interpreter."""
    return [sys.executable, "-m", "scenarist.cli", *args]


@contextmanager
def scratch_pg_database(url: str):
    """A fresh database on the server of `url`; yields its URL and drops it afterwards."""
    import psycopg

    name = f"scenarist_load_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield url.rsplit("/", 1)[0] + "/" + name
    finally:
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def base_env(scratch: Path, args) -> dict[str, str]:
    """Environment shared by every process of a run: scratch data dir, no SCENARIST_* leaking in."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("SCENARIST_")}
    env.update({"SCENARIST_DATA_DIR": str(scratch), "SCENARIST_LOG_LEVEL": "WARNING", "PYTHONUNBUFFERED": "1",
                "SCENARIST_WEB_PROCESSES": str(args.web_processes),
                "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT)])})
    return env


@contextmanager
def llm_simulator(args, scratch: Path):
    """The out-of-process simulator (llm engine) → its SCENARIST_LLM_* env; {} for the offline engine."""
    if args.engine == "offline":
        yield {}
        return
    port = free_port()
    argv = [sys.executable, "-m", "tests.llm_sim", "--port", str(port), "--latency", str(args.latency),
            "--responder", "tests.generation.responders:good_responder"]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    with process(argv, env, scratch / "llm-sim.log"):
        wait_port(port)
        yield {"SCENARIST_LLM_BASE_URL": f"http://127.0.0.1:{port}/v1", "SCENARIST_LLM_API_KEY": "sim-key",
               "SCENARIST_LLM_MODEL": "sim-model", "SCENARIST_LLM_MAX_CONCURRENCY": "64"}


@contextmanager
def service(mode: str, args, scratch: Path):
    """Start the service of `mode`; yields (base URL, env, label)."""
    port = free_port()
    with ExitStack() as stack:
        env = base_env(scratch, args)
        env.update(stack.enter_context(llm_simulator(args, scratch)))
        if mode == "embedded":
            env.update({"SCENARIST_SQLITE_PATH": str(scratch / "load.sqlite3"),
                        "SCENARIST_QUEUE_FILE": str(scratch / "queue.sqlite3")})
            stack.enter_context(process(scenarist("serve", "--port", str(port)), env, scratch / "serve.log"))
            label = f"embedded (SQLite + SqliteHuey, serve: {args.web_processes} web procs + 1 worker)"
        else:
            env["SCENARIST_DATABASE_URL"] = stack.enter_context(scratch_pg_database(args.database_url))
            env.update({"SCENARIST_QUEUE_URL": args.redis_url, "SCENARIST_QUEUE_NAME": f"load-{uuid.uuid4().hex[:8]}"})
            subprocess.run(scenarist("migrate", "-v", "0"), env=env, cwd=ROOT, check=True)
            stack.enter_context(process(scenarist("web", "--port", str(port)), env, scratch / "web.log"))
            for i in range(args.workers):
                stack.enter_context(process(scenarist("worker"), env, scratch / f"worker-{i}.log"))
            label = f"scale (PostgreSQL + Redis, {args.web_processes} web procs + {args.workers} workers)"
        wait_port(port)
        yield f"http://127.0.0.1:{port}", env, label


# ---------------------------------------------------------------- the load


class Recorder:
    """Latencies and errors per endpoint, shared by the client threads."""

    def __init__(self):
        self.lock = threading.Lock()
        self.latencies: dict[str, list[float]] = defaultdict(list)
        self.errors: dict[str, int] = defaultdict(int)
        self.samples: list[str] = []

    def record(self, endpoint: str, seconds: float, ok: bool, detail: str = "") -> None:
        """One request's outcome."""
        with self.lock:
            self.latencies[endpoint].append(seconds)
            if not ok:
                self.errors[endpoint] += 1
                if len(self.samples) < 5:
                    self.samples.append(f"{endpoint}: {detail[:200]}")


def setup_project(base: str, env: dict[str, str]) -> tuple[str, int]:
    """Create a project (CLI, against the run's database) and an agent with the dental test agent's tools."""
    out = subprocess.run(scenarist("project", "create", "load", "--json"), env=env, cwd=ROOT, check=True,
                         capture_output=True, text=True)
    key = json.loads(out.stdout.strip().splitlines()[-1])["api_key"]
    sys.path[:0] = [str(ROOT / "src"), str(ROOT)]
    from tests.fixtures.agents import ALL_AGENTS

    spec = ALL_AGENTS["dental"]()
    headers = {"X-CEKURA-API-KEY": key}
    with httpx.Client(base_url=base + V1, headers=headers, timeout=30) as client:
        agent = client.post("/aiagents/", json={"agent_name": spec.name, "description": spec.description})
        agent.raise_for_status()
        agent_id = agent.json()["id"]
        for tool in spec.tools:
            client.post(f"/aiagents/{agent_id}/tools/", json={
                "name": tool.name, "description": tool.description, "parameters": tool.parameters,
                "information": [row.model_dump(mode="json") for row in tool.information]}).raise_for_status()
    return key, agent_id


def run_mode(mode: str, args) -> dict:
    """Start the service, submit the jobs, run the clients until the jobs end; returns the figures."""
    scratch = Path(tempfile.mkdtemp(prefix=f"scenarist-load-{mode}-"))
    with service(mode, args, scratch) as (base, env, label):
        key, agent_id = setup_project(base, env)
        headers = {"X-CEKURA-API-KEY": key}
        recorder = Recorder()
        limits = httpx.Limits(max_connections=args.clients + 10, max_keepalive_connections=args.clients + 10)
        with httpx.Client(base_url=base + V1, headers=headers, timeout=60, limits=limits) as http:
            submitted_at = time.monotonic()
            progress_ids = [submit(http, agent_id, args.n) for _ in range(args.jobs)]
            state = {"done": False, "scenario_ids": [], "finished": {}}
            clients = [threading.Thread(target=client_loop, args=(http, progress_ids, agent_id, state, recorder, i))
                       for i in range(args.clients)]
            for t in clients:
                t.start()
            watch(http, progress_ids, state, submitted_at, args.timeout)
            state["done"] = True
            for t in clients:
                t.join()
            bodies = [http.get("/scenarios/generate-progress/", params={"progress_id": p}).json() for p in progress_ids]
    finished_at = max(state["finished"].values(), default=time.monotonic())
    return {
        "label": label, "engine": args.engine, "clients": args.clients, "jobs": args.jobs, "n": args.n,
        "latencies": recorder.latencies, "errors": sum(recorder.errors.values()), "error_samples": recorder.samples,
        "unfinished": sum(1 for b in bodies if b["status"] not in TERMINAL),
        "statuses": {s: sum(1 for b in bodies if b["status"] == s) for s in {b["status"] for b in bodies}},
        "scenarios": sum(b["completed_scenarios"] for b in bodies),
        "jobs_per_min": len(state["finished"]) / max(finished_at - submitted_at, 1e-6) * 60,
        "wall_s": finished_at - submitted_at, "scratch": str(scratch),
    }


def submit(http: httpx.Client, agent_id: int, n: int) -> str:
    """POST generate-bg; returns the progress id."""
    r = http.post("/scenarios/generate-bg/", json={"agent_id": agent_id, "num_scenarios": n})
    r.raise_for_status()
    return r.json()["progress_id"]


def client_loop(http: httpx.Client, progress_ids: list[str], agent_id: int, state: dict, recorder: Recorder,
                seed: int) -> None:
    """One simulated client: progress polls, list pages and detail reads until the run is over."""
    rng = random.Random(seed)
    while not state["done"]:
        pick = rng.random()
        if pick < 0.5:
            endpoint, url, params = "GET generate-progress", "/scenarios/generate-progress/", {
                "progress_id": rng.choice(progress_ids)}
        elif pick < 0.8 or not state["scenario_ids"]:
            endpoint, url, params = "GET scenarios (list)", "/scenarios/", {"agent_id": agent_id, "page_size": 20}
        else:
            endpoint, url, params = "GET scenarios/{id}", f"/scenarios/{rng.choice(state['scenario_ids'])}/", None
        started = time.perf_counter()
        try:
            r = http.get(url, params=params)
            ok = r.status_code == 200
            detail = f"{r.status_code} {r.text}"
            if r.status_code == 200 and endpoint == "GET scenarios (list)":
                ids = [s["id"] for s in r.json()["results"]]
                if ids and len(state["scenario_ids"]) < 5000:
                    state["scenario_ids"].extend(ids)
        except httpx.HTTPError as exc:
            ok, detail = False, repr(exc)
        recorder.record(endpoint, time.perf_counter() - started, ok, detail)
        time.sleep(rng.uniform(0.0, 0.05))  # think time: clients poll, they do not spin


def watch(http: httpx.Client, progress_ids: list[str], state: dict, started: float, timeout: float) -> None:
    """Poll every job (outside the measured clients) until all are terminal or the time is up."""
    while time.monotonic() - started < timeout:
        for pid in progress_ids:
            if pid in state["finished"]:
                continue
            r = http.get("/scenarios/generate-progress/", params={"progress_id": pid})
            if r.status_code == 200 and r.json()["status"] in TERMINAL:
                state["finished"][pid] = time.monotonic()
        if len(state["finished"]) == len(progress_ids):
            return
        time.sleep(0.5)


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (0-100) by nearest rank."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * len(ordered)) - 1))]


def print_result(r: dict) -> None:
    """One block of figures."""
    print(f"\n== {r['label']}, engine {r['engine']}: {r['clients']} clients, {r['jobs']} jobs x n={r['n']}")
    print(f"{'endpoint':<24} {'requests':>9} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}")
    total = 0
    for endpoint, values in sorted(r["latencies"].items()):
        total += len(values)
        print(f"{endpoint:<24} {len(values):>9} {percentile(values, 50) * 1000:>8.1f} "
              f"{percentile(values, 95) * 1000:>8.1f} {percentile(values, 99) * 1000:>8.1f}")
    every = [v for values in r["latencies"].values() for v in values]
    if every:
        print(f"{'all':<24} {total:>9} {percentile(every, 50) * 1000:>8.1f} {percentile(every, 95) * 1000:>8.1f} "
              f"{percentile(every, 99) * 1000:>8.1f}   ({total / max(r['wall_s'], 1e-6):.0f} req/s)")
    print(f"errors: {r['errors']}   jobs: {r['statuses']}   unfinished: {r['unfinished']}   "
          f"scenarios: {r['scenarios']}/{r['jobs'] * r['n']}")
    print(f"jobs/min: {r['jobs_per_min']:.1f}   (first submit to last job finished: {r['wall_s']:.1f} s)")
    for sample in r["error_samples"]:
        print(f"  error sample: {sample}")


if __name__ == "__main__":
    sys.exit(main())
