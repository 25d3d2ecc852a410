"""Service-level generation timing: HTTP API + a real worker (`scenarist serve`) against the out-of-process simulator.

For each batch size: a fresh agent is created over HTTP (so its analysis is not cached and the chain stays at
two LLM rounds), `scenarios/generate-bg/` is POSTed, and `generate-progress` is polled every 50 ms; wall time
runs from the POST to the first poll that reads `completed`. Used by `bench/generation.py`.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
API = "/test_framework/v1"
POLL_INTERVAL_S = 0.05
TERMINAL = {"completed", "failed", "cancelled"}


@dataclass
class BatchTiming:
    """One batch through the service."""

    n: int
    wall_s: float
    status: str
    written: int
    started_at: float  # epoch seconds of the POST (to attribute simulator calls to the batch)
    ended_at: float


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _service_env(data_dir: Path, llm_base_url: str, concurrency: int, port: int) -> dict[str, str]:
    """This machine's environment without SCENARIST_* settings, plus a scratch SQLite data dir and the simulator."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("SCENARIST_")}
    env.update({
        "SCENARIST_DATA_DIR": str(data_dir), "SCENARIST_PORT": str(port), "SCENARIST_LOG_LEVEL": "WARNING",
        "SCENARIST_LLM_BASE_URL": llm_base_url, "SCENARIST_LLM_API_KEY": "bench", "SCENARIST_LLM_MODEL": "sim",
        "SCENARIST_LLM_MAX_CONCURRENCY": str(concurrency), "SCENARIST_LLM_JOB_CONCURRENCY": str(concurrency),
        "SCENARIST_LLM_TIMEOUT_S": "60", "PYTHONUNBUFFERED": "1",
        # The service runs this checkout's code, whichever `scenarist` the venv has installed.
        "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT), *filter(None, [os.environ.get("PYTHONPATH")])]),
    })
    return env


def _cli(env: dict[str, str], *args: str) -> str:
    out = subprocess.run([sys.executable, "-m", "scenarist.cli", *args], cwd=ROOT, env=env, capture_output=True,
                         text=True, timeout=180)
    if out.returncode != 0:
        raise RuntimeError(f"scenarist {' '.join(args)} failed:\n{out.stderr[-3000:]}")
    return out.stdout


@contextlib.contextmanager
def scenarist_service(llm_base_url: str, concurrency: int):
    """`scenarist serve` on a scratch SQLite data dir; yields (base_url, api_key)."""
    data_dir = Path(tempfile.mkdtemp(prefix="scenarist-bench-gen-"))
    port = _free_port()
    env = _service_env(data_dir, llm_base_url, concurrency, port)
    _cli(env, "migrate", "-v", "0")
    key = json.loads(_cli(env, "project", "create", "bench", "--json").strip().splitlines()[-1])["api_key"]
    log = open(data_dir / "serve.log", "w")
    proc = subprocess.Popen([sys.executable, "-m", "scenarist.cli", "serve", "--port", str(port)], cwd=ROOT, env=env,
                            stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    base_url = f"http://127.0.0.1:{port}"
    try:
        _wait_http(base_url, key, proc, data_dir / "serve.log")
        yield base_url, key
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)
        log.close()
        shutil.rmtree(data_dir, ignore_errors=True)


def _wait_http(base_url: str, key: str, proc: subprocess.Popen, log_path: Path, timeout: float = 60) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"scenarist serve exited:\n{log_path.read_text()[-3000:]}")
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(f"{base_url}{API}/aiagents/", headers={"X-CEKURA-API-KEY": key}, timeout=2).status_code == 200:
                return
        time.sleep(0.1)
    raise RuntimeError("scenarist serve did not answer within 60 s")


def create_agent(http: httpx.Client, spec, label: str) -> int:
    """The agent, its mock tools and variables through the HTTP API; `label` makes its version (and analysis) new."""
    body = {"agent_name": f"{spec.name} ({label})", "description": f"{spec.description}\n\n(Benchmark copy: {label}.)",
            "language": spec.language, "agent_gives_first_message": spec.agent_gives_first_message}
    agent_id = _ok(http.post(f"{API}/aiagents/", json=body))["id"]
    for tool in spec.tools:
        _ok(http.post(f"{API}/aiagents/{agent_id}/tools/", json={
            "name": tool.name, "description": tool.description, "parameters": tool.parameters,
            "information": [row.model_dump(mode="json") for row in tool.information]}))
    _ok(http.post(f"{API}/aiagents/{agent_id}/dynamic-variables/",
                  json=[{"name": v.name, "description": v.description} for v in spec.variables]))
    return agent_id


def run_batch(http: httpx.Client, agent_id: int, n: int, timeout: float = 300) -> BatchTiming:
    """POST generate-bg, then poll every 50 ms until the job is terminal."""
    started_at = time.time()
    t0 = time.perf_counter()
    progress_id = _ok(http.post(f"{API}/scenarios/generate-bg/", json={
        "agent_id": agent_id, "num_scenarios": n, "generate_expected_outcomes": True}))["progress_id"]
    while True:
        body = _ok(http.get(f"{API}/scenarios/generate-progress/", params={"progress_id": progress_id}))
        if body["status"] in TERMINAL:
            wall = time.perf_counter() - t0
            return BatchTiming(n=n, wall_s=wall, status=body["status"], written=body.get("completed_scenarios") or 0,
                               started_at=started_at, ended_at=time.time())
        if time.perf_counter() - t0 > timeout:
            raise RuntimeError(f"generation of {n} scenarios did not finish in {timeout:.0f} s: {body}")
        time.sleep(POLL_INTERVAL_S)


def _ok(response: httpx.Response) -> dict:
    if response.status_code >= 300:
        raise RuntimeError(f"{response.request.method} {response.request.url} → {response.status_code}: "
                           f"{response.text[:500]}")
    return response.json()


def service_batches(llm_base_url: str, agent_spec, sizes: list[int]) -> list[BatchTiming]:
    """Each size once through one service instance, each with its own new agent."""
    with scenarist_service(llm_base_url, max(sizes) + 8) as (base_url, key):
        with httpx.Client(base_url=base_url, headers={"X-CEKURA-API-KEY": key}, timeout=30) as http:
            timings = []
            for n in sizes:
                agent_id = create_agent(http, agent_spec, f"n={n}")
                timings.append(run_batch(http, agent_id, n))
            return timings
