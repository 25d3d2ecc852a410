"""Chaos: generation jobs on PostgreSQL + Redis while workers are killed (kill -9) and frozen (SIGSTOP/SIGCONT).

One `scenarist web` and --workers `scenarist worker` processes share a fresh PostgreSQL database (created beside
--database-url / SCENARIST_TEST_DATABASE_URL, dropped afterwards) and a Redis queue under a unique name
(--redis-url / SCENARIST_TEST_REDIS_URL). An in-process LLM simulator answers with --fault-rate faults (429,
500, hangs past the client timeout, malformed and truncated JSON). Every job has its own agent, whose marker
ties each provider call to its job; one more batch of jobs shares one new agent (single-flight analysis).

Schedule: every --every seconds one of the workers but the first is killed with SIGKILL (restarted 1 s later) or
frozen with SIGSTOP for --freeze seconds (then SIGCONT), alternating; the web process is killed once (and
restarted). The first worker is spared so that a live reaper exists: recovery is then bounded by the stale limit
plus one reaper pass. --pollers threads poll job progress all along.

Printed: jobs completed/failed/unfinished, counts that do not add up, scenarios expected/saved, duplicates,
poll errors, recovery time of every job whose worker was killed or frozen (vs stale limit + one reaper pass),
provider calls answered vs usage recorded (all jobs, and per job), analysis calls of the shared agent.

Run: .venv/bin/python bench/chaos.py [--batches 3] [--jobs 12] [--n 4] [--shared 10] [--workers 3]
     [--every 6] [--freeze 8] [--pollers 100] [--fault-rate 0.1] [--timeout 300]
"""

from __future__ import annotations

import argparse
import os
import random
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter, defaultdict
from contextlib import ExitStack
from pathlib import Path

import httpx

sys.path[:0] = [str(Path(__file__).resolve().parent)]
from load import ROOT, V1, base_env, free_port, scenarist, scratch_pg_database, wait_port  # noqa: E402

sys.path[:0] = [str(ROOT / "src"), str(ROOT)]
TERMINAL = {"completed", "failed", "cancelled"}
MARKER = re.compile(r"CHAOSJOB-(\d{3})\b")
SHARED_MARKER = 999
TIMINGS = {"SCENARIST_JOB_HEARTBEAT_S": "0.5", "SCENARIST_JOB_STALE_AFTER_S": "3",
           "SCENARIST_JOB_REAPER_INTERVAL_S": "1", "SCENARIST_JOB_IDLE_TX_TIMEOUT_S": "4",
           "SCENARIST_JOB_MAX_ATTEMPTS": "10",
           # A worker killed between taking a message and claiming its job loses the message: resent after this.
           "SCENARIST_JOB_REENQUEUE_AFTER_S": "20"}


def parse_args() -> argparse.Namespace:
    """Command-line flags."""
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--batches", type=int, default=3)
    p.add_argument("--jobs", type=int, default=12, help="jobs per batch (each on its own agent)")
    p.add_argument("--n", type=int, default=6, help="scenarios per job")
    p.add_argument("--shared", type=int, default=10, help="jobs on one shared new agent (single flight)")
    p.add_argument("--workers", type=int, default=3)
    p.add_argument("--threads", type=int, default=3, help="threads per worker")
    p.add_argument("--every", type=float, default=6.0, help="seconds between chaos events")
    p.add_argument("--freeze", type=float, default=8.0, help="seconds a frozen worker stays stopped")
    p.add_argument("--pollers", type=int, default=100)
    p.add_argument("--fault-rate", type=float, default=0.1)
    p.add_argument("--latency", type=float, default=0.5)
    p.add_argument("--timeout", type=float, default=300)
    p.add_argument("--seed", type=int, default=17)
    p.add_argument("--database-url", default=os.environ.get("SCENARIST_TEST_DATABASE_URL",
                                                            "postgres://postgres@127.0.0.1:5432/postgres"))
    p.add_argument("--redis-url", default=os.environ.get("SCENARIST_TEST_REDIS_URL", "redis://127.0.0.1:6379/4"))
    return p.parse_args()


class Fleet:
    """The web and worker processes; kills, freezes and restarts them on request."""

    def __init__(self, env: dict[str, str], scratch: Path, port: int, workers: int, threads: int):
        self.env, self.scratch, self.port, self.threads = env, scratch, port, threads
        self.lock = threading.Lock()
        self.web = self._start("web", "--port", str(port))
        self._web_log = self.started
        self.workers = [self._start("worker", "--threads", str(threads)) for _ in range(workers)]
        self.web_down: tuple[float, float] = (0.0, 0.0)

    def _start(self, *argv: str) -> subprocess.Popen:
        self.started = getattr(self, "started", 0) + 1
        log = open(self.scratch / f"{argv[0]}-{self.started}.log", "wb")
        return subprocess.Popen(scenarist(*argv), env=self.env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)

    def kill_worker(self, index: int) -> int:
        """SIGKILL worker `index`; a new one replaces it after 1 s. Returns the killed pid."""
        with self.lock:
            victim = self.workers[index]
            victim.kill()
            victim.wait()
        threading.Timer(1.0, self._replace, args=(index,)).start()
        return victim.pid

    def _replace(self, index: int) -> None:
        with self.lock:
            self.workers[index] = self._start("worker", "--threads", str(self.threads))

    def freeze_worker(self, index: int, seconds: float) -> int:
        """SIGSTOP worker `index` for `seconds`, then SIGCONT. Returns its pid."""
        with self.lock:
            pid = self.workers[index].pid
        os.kill(pid, signal.SIGSTOP)
        threading.Timer(seconds, lambda: _signal(pid, signal.SIGCONT)).start()
        return pid

    def kill_web(self) -> None:
        """SIGKILL the API process and start another on the same port (the down window is kept)."""
        with self.lock:
            down = time.monotonic()
            old_log = self.scratch / f"web-{self._web_log}.log"
            self.web.kill()
            self.web.wait()
            time.sleep(0.5)
            self.web = self._start("web", "--port", str(self.port))
            self._web_log = self.started
            log = self.scratch / f"web-{self.started}.log"
        # The killed master's worker serves on for a few seconds: the window ends once the new one is booted.
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and not ("Booting worker" in log.read_text(errors="replace")
                                                   and "Worker exiting" in old_log.read_text(errors="replace")):
            time.sleep(0.1)
        self.web_down = (down, time.monotonic() + 3.0)  # + keep-alive connections noticing

    def stop(self) -> None:
        """SIGCONT + SIGTERM everything, SIGKILL what does not stop."""
        with self.lock:
            procs = [self.web, *self.workers]
        for proc in procs:
            _signal(proc.pid, signal.SIGCONT)
            proc.terminate()
        for proc in procs:
            try:
                proc.wait(30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def _signal(pid: int, signum: int) -> None:
    try:
        os.kill(pid, signum)
    except ProcessLookupError:
        pass


class Recovery:
    """Watches the jobs a chaos event hit: how long until each left the dead or frozen attempt."""

    def __init__(self, db_url: str):
        self.db_url = db_url
        self.conn = self._connect()
        self.lock = threading.Lock()
        self.pending: list[tuple[str, float, int, int]] = []  # (event, at, job id, attempt at the event)
        self.times: dict[str, list[float]] = defaultdict(list)
        self.hit_jobs: dict[str, set[int]] = defaultdict(set)

    def _connect(self):
        import psycopg

        return psycopg.connect(self.db_url, autocommit=True)

    def query(self, sql: str, params: tuple = ()) -> list[tuple]:
        """Rows of one query (reconnecting once if the server dropped the connection)."""
        import psycopg

        with self.lock:
            try:
                return self.conn.execute(sql, params).fetchall()
            except psycopg.OperationalError:
                self.conn = self._connect()
                return self.conn.execute(sql, params).fetchall()

    def jobs_of(self, pid: int) -> list[tuple[int, int]]:
        """(job id, attempt) of the jobs worker `pid` holds now."""
        rows = self.query("SELECT id, attempt, worker FROM jobs_job WHERE status = 'processing'")
        return [(i, a) for i, a, w in rows if len(w.split("|")) == 5 and w.split("|")[3] == str(pid)]

    def hit(self, event: str, pid: int, at: float) -> int:
        """Start timing the jobs of `pid`; returns how many."""
        jobs = self.jobs_of(pid)
        with self.lock:
            self.pending += [(event, at, job, attempt) for job, attempt in jobs]
            self.hit_jobs[event].update(job for job, _ in jobs)
        return len(jobs)

    def watch(self, stop: threading.Event) -> None:
        """Poll every 0.1 s until stopped."""
        while not stop.wait(0.1):
            try:
                self.poll()
            except Exception:  # a lost poll only delays one figure
                pass

    def poll(self) -> None:
        """Close the timings of jobs requeued, re-claimed or ended since their event."""
        with self.lock:
            ids = [p[2] for p in self.pending]
        if not ids:
            return
        rows = dict((i, (s, a)) for i, s, a in self.query(
            "SELECT id, status, attempt FROM jobs_job WHERE id = ANY(%s)", (ids,)))
        with self.lock:
            now, left = time.monotonic(), []
            for event, at, job, attempt in self.pending:
                status, current = rows[job]
                if current > attempt or status != "processing":
                    self.times[event].append(now - at)
                else:
                    left.append((event, at, job, attempt))
            self.pending = left


def chaos(fleet: Fleet, recovery: Recovery, args, stop: threading.Event, log: list[str]) -> None:
    """Kill -9 and freeze workers in turn every --every seconds; kill the web process once."""
    rng = random.Random(args.seed)
    step, web_killed = 0, False
    while not stop.wait(args.every * rng.uniform(0.8, 1.2)):
        try:
            step, web_killed = _chaos_step(fleet, recovery, args, rng, step, web_killed, log)
        except Exception as exc:  # a figure lost is better than a schedule stopped
            log.append(f"chaos step failed: {exc!r}")


def _chaos_step(fleet: Fleet, recovery: Recovery, args, rng: random.Random, step: int, web_killed: bool,
                log: list[str]) -> tuple[int, bool]:
    """One event of the schedule."""
    index = _busiest(fleet, recovery, rng)
    at = time.monotonic()
    if step % 2 == 0:
        pid = fleet.kill_worker(index)
        log.append(f"kill -9 worker {pid}: {recovery.hit('kill -9', pid, at)} job(s) hit")
    else:
        with fleet.lock:
            pid = fleet.workers[index].pid
        hit = recovery.hit("SIGSTOP", pid, at)
        fleet.freeze_worker(index, args.freeze)
        log.append(f"SIGSTOP worker {pid} for {args.freeze:.0f} s: {hit} job(s) hit")
    step += 1
    if step == 3 and not web_killed:
        fleet.kill_web()
        web_killed = True
        log.append("kill -9 web (restarted)")
    return step, web_killed


def _busiest(fleet: Fleet, recovery: Recovery, rng: random.Random) -> int:
    """The index of a worker to hit: one holding the most jobs now (worker 0 is spared: a live reaper exists)."""
    with fleet.lock:
        pids = {i: fleet.workers[i].pid for i in range(1, len(fleet.workers))}
    held = {i: len(recovery.jobs_of(pid)) for i, pid in pids.items()}
    most = max(held.values())
    return rng.choice([i for i, n in held.items() if n == most])


def pollers(base: str, key: str, progress: list[str], stop: threading.Event, count: int, errors: Counter,
            error_times: list[float]) -> list:
    """`count` threads polling random jobs' progress until stopped."""

    def loop(seed: int) -> None:
        rng = random.Random(seed)
        with httpx.Client(base_url=base + V1, headers={"X-CEKURA-API-KEY": key}, timeout=30) as http:
            while not stop.is_set():
                try:
                    r = http.get("/scenarios/generate-progress/", params={"progress_id": rng.choice(progress)})
                    errors["ok" if r.status_code == 200 else f"http {r.status_code}"] += 1
                    if r.status_code != 200:
                        error_times.append(time.monotonic())
                except httpx.HTTPError as exc:
                    errors[f"transport {type(exc).__name__}"] += 1
                    error_times.append(time.monotonic())
                    time.sleep(0.2)
                time.sleep(rng.uniform(0.05, 0.3))

    threads = [threading.Thread(target=loop, args=(i,), daemon=True) for i in range(count)]
    for t in threads:
        t.start()
    return threads


def make_agents(http: httpx.Client, count: int, first: int = 0) -> list[int]:
    """`count` agents with the dental test agent's tools, each with its own marker CHAOSJOB-<first + i>."""
    from tests.fixtures.agents import ALL_AGENTS

    spec = ALL_AGENTS["dental"]()
    ids = []
    for i in range(count):
        tag = f"CHAOSJOB-{first + i:03d}"
        r = http.post("/aiagents/", json={"agent_name": f"{tag} desk",
                                          "description": f"Reference code {tag}.\n{spec.description}"})
        r.raise_for_status()
        ids.append(r.json()["id"])
        for tool in spec.tools:
            http.post(f"/aiagents/{ids[-1]}/tools/", json={
                "name": tool.name, "description": tool.description, "parameters": tool.parameters,
                "information": [row.model_dump(mode="json") for row in tool.information]}).raise_for_status()
    return ids


def main() -> int:
    """Run the schedule and print the figures."""
    args = parse_args()
    from tests.generation.responders import good_responder
    from tests.llm_sim import LLMSimulator, SimConfig

    scratch = Path(tempfile.mkdtemp(prefix="scenarist-chaos-"))
    faults = ("rate_limit", "server_error", "hang", "malformed_json", "truncated_json")
    config = SimConfig(latency_s=args.latency, fault_rate=args.fault_rate, fault_mix=faults, seed=args.seed,
                       retry_after_s=0.3, hang_s=30)
    with ExitStack() as stack:
        sim = stack.enter_context(LLMSimulator(config))
        sim.set_responder(good_responder)
        db_url = stack.enter_context(scratch_pg_database(args.database_url))
        env = base_env(scratch, argparse.Namespace(web_processes=1))
        env.update(sim.env(SCENARIST_LLM_TIMEOUT_S="5", SCENARIST_LLM_MAX_RETRIES="3",
                           SCENARIST_LLM_BACKOFF_BASE_S="0.05", SCENARIST_LLM_BACKOFF_MAX_S="0.5"))
        env.update(TIMINGS)
        env.update({"SCENARIST_DATABASE_URL": db_url, "SCENARIST_QUEUE_URL": args.redis_url,
                    "SCENARIST_QUEUE_NAME": f"chaos-{uuid.uuid4().hex[:8]}"})
        subprocess.run(scenarist("migrate", "-v", "0"), env=env, cwd=ROOT, check=True)
        out = subprocess.run(scenarist("project", "create", "chaos", "--json"), env=env, cwd=ROOT, check=True,
                             capture_output=True, text=True)
        import json

        key = json.loads(out.stdout.strip().splitlines()[-1])["api_key"]
        port = free_port()
        fleet = Fleet(env, scratch, port, args.workers, args.threads)
        stack.callback(fleet.stop)
        wait_port(port)
        recovery = Recovery(db_url)
        http = stack.enter_context(httpx.Client(base_url=f"http://127.0.0.1:{port}{V1}",
                                                headers={"X-CEKURA-API-KEY": key}, timeout=60))
        per_job_agents = make_agents(http, args.batches * args.jobs)
        shared_agent = make_agents(http, 1, first=SHARED_MARKER)[0]
        stop, log, poll_results, error_times = threading.Event(), [], Counter(), []
        watching = threading.Event()
        threading.Thread(target=recovery.watch, args=(watching,), daemon=True).start()
        stack.callback(watching.set)
        started = time.monotonic()
        progress: list[str] = []
        jobs_of_agent: dict[str, int] = {}

        def submit(agent_id: int, n: int) -> str:
            for _ in range(100):  # the web process may be down for a moment (killed on purpose)
                try:
                    r = http.post("/scenarios/generate-bg/", json={"agent_id": agent_id, "num_scenarios": n})
                    r.raise_for_status()
                    return r.json()["progress_id"]
                except httpx.HTTPError:
                    time.sleep(0.3)
            raise SystemExit("the API did not come back")

        progress += [submit(shared_agent, 2) for _ in range(args.shared)]
        threads = pollers(f"http://127.0.0.1:{port}", key, progress, stop, args.pollers, poll_results, error_times)
        chaos_thread = threading.Thread(target=chaos, args=(fleet, recovery, args, stop, log), daemon=True)
        chaos_thread.start()
        for batch in range(args.batches):
            for agent_id in per_job_agents[batch * args.jobs:(batch + 1) * args.jobs]:
                pid = submit(agent_id, args.n)
                progress.append(pid)
                jobs_of_agent[pid] = agent_id
            time.sleep(args.every * 2)
        while time.monotonic() - started < args.timeout:
            rows = recovery.query("SELECT count(*) FROM jobs_job WHERE status NOT IN "
                                  "('completed', 'failed', 'cancelled')")[0][0]
            if rows == 0 and not recovery.pending:
                break
            time.sleep(0.1)
        stop.set()
        for t in threads:
            t.join(5)
        time.sleep(args.freeze + 1)  # frozen workers resume; they must write nothing more
        wall = time.monotonic() - started
        outside_times = [t - started for t in error_times if not fleet.web_down[0] <= t <= fleet.web_down[1]]
        outside = len(outside_times)
        if outside_times:
            print(f"poll errors outside the web kill window ({fleet.web_down[0] - started:.0f}–"
                  f"{fleet.web_down[1] - started:.0f} s): between {min(outside_times):.0f} s and "
                  f"{max(outside_times):.0f} s of the run")
        report(recovery._connect(), sim.calls, args, log, poll_results, recovery, wall, shared_agent, len(progress),
               outside)
    return 0


def report(conn, calls, args, log, poll_results, recovery, wall, shared_agent, jobs, outside_web_kill) -> None:
    """Print the figures."""
    rows = conn.execute("SELECT j.id, j.status, j.total_items, j.completed_items, j.failed_items, j.attempt, "
                        "j.usage, j.errors, (j.payload->>'agent_id')::int FROM jobs_job j").fetchall()
    statuses = Counter(r[1] for r in rows)
    bad_counts = [r[0] for r in rows if r[1] in TERMINAL and r[3] + r[4] != r[2]]
    expected = sum(r[2] for r in rows)
    saved = conn.execute("SELECT count(*) FROM scenarios_scenario WHERE job_id IS NOT NULL").fetchone()[0]
    duplicates = conn.execute("SELECT count(*) FROM (SELECT job_id, job_index FROM scenarios_scenario "
                              "WHERE job_id IS NOT NULL GROUP BY 1, 2 HAVING count(*) > 1) d").fetchone()[0]
    orphans = conn.execute("SELECT count(*) FROM scenarios_scenario s WHERE s.job_id IS NOT NULL AND NOT EXISTS "
                           "(SELECT 1 FROM jobs_jobitem i WHERE i.job_id = s.job_id AND i.index = s.job_index)"
                           ).fetchone()[0]
    billed = [c for c in calls if c.answered]
    recorded = sum((r[6] or {}).get("llm_calls", 0) for r in rows)
    by_marker = Counter()
    for call in billed:
        found = set(MARKER.findall("\n".join(str(m.get("content") or "") for m in call.messages)))
        if len(found) == 1:
            by_marker[found.pop()] += 1
    marker_of = {i: (MARKER.search(name or "") or [None, ""])[1]
                 for i, name in conn.execute("SELECT id, agent_name FROM agents_agent").fetchall()}
    killed = recovery.hit_jobs["kill -9"]
    mismatched, checked = defaultdict(list), Counter()
    for r in rows:
        if r[8] == shared_agent:
            continue
        kind = "killed" if r[0] in killed else ("frozen" if r[0] in recovery.hit_jobs["SIGSTOP"] else "other")
        checked[kind] += 1
        got, want = (r[6] or {}).get("llm_calls", 0), by_marker[marker_of.get(r[8], "")]
        if got != want:
            mismatched[kind].append((r[0], got, want))
    shared_analyses = sum(1 for c in calls if "Analysis" in ((c.response_format or {}).get("json_schema") or {})
                          .get("name", "") and f"CHAOSJOB-{SHARED_MARKER}" in str(c.messages))
    stale, interval = float(TIMINGS["SCENARIST_JOB_STALE_AFTER_S"]), float(TIMINGS["SCENARIST_JOB_REAPER_INTERVAL_S"])
    print(f"\n== chaos: PostgreSQL + Redis, {args.workers} workers x {args.threads} threads, "
          f"{args.batches} x {args.jobs} jobs x n={args.n} + {args.shared} jobs on one shared agent, "
          f"faults {args.fault_rate:.0%}, {args.pollers} pollers, {wall:.0f} s")
    for line in log:
        print(f"  {line}")
    print(f"jobs: {jobs} submitted, {dict(statuses)}; counts not adding up: {len(bad_counts)}")
    print(f"scenarios: expected {expected}, saved {saved}, duplicates {duplicates}, orphan rows {orphans}")
    polls = sum(poll_results.values())
    print(f"polls: {polls}, errors {polls - poll_results['ok']} "
          f"{dict((k, v) for k, v in poll_results.items() if k != 'ok')}, of which outside the web kill window: "
          f"{outside_web_kill}")
    print(f"recovery (bound: stale {stale:.0f} s + one reaper pass {interval:.0f} s = {stale + interval:.0f} s):")
    for event, times in sorted(recovery.times.items()):
        print(f"  {event}: {len(times)} job(s), min {min(times):.1f} s, median {statistics.median(times):.1f} s, "
              f"max {max(times):.1f} s")
    if recovery.pending:
        print(f"  still unrecovered: {len(recovery.pending)}")
    print(f"provider calls answered {len(billed)} vs usage recorded {recorded} (all jobs)")
    shared_rows = [r for r in rows if r[8] == shared_agent]
    shared_hit = sum(1 for r in shared_rows if any(r[0] in jobs for jobs in recovery.hit_jobs.values()))
    print(f"  the {len(shared_rows)} shared-agent jobs ({shared_hit} hit): usage "
          f"{sum((r[6] or {}).get('llm_calls', 0) for r in shared_rows)} vs provider {by_marker[str(SHARED_MARKER)]}")
    for kind in ("other", "frozen", "killed"):
        print(f"  per job, {kind}: usage == provider's count for {checked[kind] - len(mismatched[kind])} of "
              f"{checked[kind]} {mismatched[kind][:5]}")
    print(f"analysis calls for the {args.shared} jobs on the shared new agent: {shared_analyses}")


if __name__ == "__main__":
    sys.exit(main())
