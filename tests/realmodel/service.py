"""The real-model tier's service: `scenarist serve` (HTTP API + worker) on a scratch SQLite dir, pointed at a real
local model, and the example agent created through the HTTP API."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx

from scenarist.client.agent_dir import load_agent_dir
from tests.support.processes import free_port

ROOT = Path(__file__).resolve().parents[2]
API = "/test_framework/v1"
TERMINAL = {"completed", "failed", "cancelled"}


@dataclass(frozen=True)
class RealModel:
    """Where the tier's model answers (set by scripts/realmodel.sh)."""

    base_url: str
    model: str
    context_tokens: int

    @classmethod
    def from_env(cls) -> "RealModel | None":
        """SCENARIST_REALMODEL_BASE_URL / _MODEL / _CONTEXT_TOKENS, or None when the tier is not configured."""
        base_url = os.environ.get("SCENARIST_REALMODEL_BASE_URL", "").strip()
        if not base_url:
            return None
        return cls(base_url=base_url, model=os.environ.get("SCENARIST_REALMODEL_MODEL", "smollm2"),
                   context_tokens=int(os.environ.get("SCENARIST_REALMODEL_CONTEXT_TOKENS", "8192")))


def service_env(model: RealModel, data_dir: Path, port: int) -> dict[str, str]:
    """The machine's environment without SCENARIST_* plus a scratch data dir and the real model."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("SCENARIST_")}
    env.update({
        "SCENARIST_DATA_DIR": str(data_dir), "SCENARIST_PORT": str(port), "SCENARIST_LOG_LEVEL": "INFO",
        "SCENARIST_LLM_BASE_URL": model.base_url, "SCENARIST_LLM_API_KEY": "local", "SCENARIST_LLM_MODEL": model.model,
        # llama-server runs one slot here: more calls in flight would only queue inside it and time out.
        "SCENARIST_LLM_MAX_CONCURRENCY": "1", "SCENARIST_LLM_JOB_CONCURRENCY": "1",
        "SCENARIST_LLM_CONTEXT_TOKENS": str(model.context_tokens), "SCENARIST_LLM_MAX_OUTPUT_TOKENS": "768",
        "SCENARIST_LLM_TIMEOUT_S": "240", "SCENARIST_LLM_MAX_RETRIES": "1", "SCENARIST_WORKER_THREADS": "1",
        "PYTHONUNBUFFERED": "1",
        "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT), *filter(None, [os.environ.get("PYTHONPATH")])]),
    })
    return env


def _cli(env: dict[str, str], *args: str) -> str:
    out = subprocess.run([sys.executable, "-m", "scenarist.cli", *args], cwd=ROOT, env=env, capture_output=True,
                         text=True, timeout=300)
    if out.returncode != 0:
        raise RuntimeError(f"scenarist {' '.join(args)} failed:\n{out.stderr[-3000:]}")
    return out.stdout


@dataclass
class Service:
    """A running `scenarist serve`: an HTTP client holding a project key, and its data directory."""

    http: httpx.Client
    data_dir: Path

    def job_usage(self, progress_id: str) -> dict:
        """The usage the job row stored (the clean-description progress body does not carry it)."""
        with contextlib.closing(sqlite3.connect(self.data_dir / "scenarist.sqlite3")) as db:
            row = db.execute("SELECT usage FROM jobs_job WHERE progress_id = ?", (uuid.UUID(progress_id).hex,)).fetchone()
        assert row is not None, f"no job row for {progress_id}"
        return json.loads(row[0]) if isinstance(row[0], str) else row[0]


@contextlib.contextmanager
def scenarist_service(model: RealModel) -> Iterator[Service]:
    """`scenarist serve` against the real model; yields the running Service."""
    data_dir = Path(tempfile.mkdtemp(prefix="scenarist-realmodel-"))
    port = free_port()
    env = service_env(model, data_dir, port)
    _cli(env, "migrate", "-v", "0")
    key = json.loads(_cli(env, "project", "create", "realmodel", "--json").strip().splitlines()[-1])["api_key"]
    log_path = data_dir / "serve.log"
    log = open(log_path, "w")
    proc = subprocess.Popen([sys.executable, "-m", "scenarist.cli", "serve", "--port", str(port)], cwd=ROOT, env=env,
                            stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    http = httpx.Client(base_url=f"http://127.0.0.1:{port}", headers={"X-CEKURA-API-KEY": key}, timeout=60)
    try:
        _wait_ready(http, proc, log_path)
        yield Service(http=http, data_dir=data_dir)
    finally:
        http.close()
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)
        log.close()
        if os.environ.get("SCENARIST_REALMODEL_KEEP_LOG"):
            shutil.copy(log_path, os.environ["SCENARIST_REALMODEL_KEEP_LOG"])
        shutil.rmtree(data_dir, ignore_errors=True)


def _wait_ready(http: httpx.Client, proc: subprocess.Popen, log_path: Path, timeout: float = 90) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"scenarist serve exited:\n{log_path.read_text()[-3000:]}")
        with contextlib.suppress(httpx.HTTPError):
            if http.get(f"{API}/aiagents/", timeout=2).status_code == 200:
                return
        time.sleep(0.2)
    raise RuntimeError(f"scenarist serve did not answer within {timeout:.0f} s")


def ok(response: httpx.Response) -> dict:
    """The JSON body of a 2xx answer (anything else fails the test with the body)."""
    assert response.status_code < 300, f"{response.request.method} {response.request.url} → " \
                                       f"{response.status_code}: {response.text[:800]}"
    return response.json()


def create_example_agent(http: httpx.Client, directory: Path) -> tuple[int, list[int], dict[int, str]]:
    """The agent of an agent directory (fields, tools, variables, KB files) over HTTP;
    (agent id, KB ids, {KB id: the text the server extracted, then the file as uploaded}) — a KB quote may come
    from either (tabular files are quoted as their own rows)."""
    agent = load_agent_dir(directory)
    agent_id = ok(http.post(f"{API}/aiagents/", json=agent.agent_fields()))["id"]
    for tool in agent.tools:
        ok(http.post(f"{API}/aiagents/{agent_id}/tools/", json=tool))
    if agent.variables:
        ok(http.post(f"{API}/aiagents/{agent_id}/dynamic-variables/", json=agent.variables))
    files = [("files", (p.name, p.read_bytes())) for p in agent.kb_files]
    ok(http.post(f"{API}/aiagents/{agent_id}/upload_knowledge_base/", files=files))
    listed = ok(http.get(f"{API}/aiagents/{agent_id}/knowledge_base/"))
    rows = listed["results"] if isinstance(listed, dict) and "results" in listed else listed
    ids = [row["id"] for row in rows]
    originals = {p.name: p.read_bytes().decode("utf-8", "ignore") for p in agent.kb_files}
    texts = {row["id"]: ok(http.get(f"{API}/aiagents/{agent_id}/knowledge_base/{row['id']}/"))["extracted_text"]
             + "\n" + originals.get(row.get("file_name", ""), "") for row in rows}
    return agent_id, ids, texts


def run_job(http: httpx.Client, start_path: str, progress_path: str, body: dict, timeout: float) -> tuple[dict, float]:
    """POST a background job, poll it to the end; (final progress body with its progress_id, wall seconds)."""
    started = time.perf_counter()
    progress_id = ok(http.post(f"{API}/{start_path}", json=body))["progress_id"]
    while True:
        progress = ok(http.get(f"{API}/{progress_path}", params={"progress_id": progress_id}))
        if progress["status"] in TERMINAL:
            return progress, time.perf_counter() - started
        assert time.perf_counter() - started < timeout, f"job did not finish in {timeout:.0f} s: {progress}"
        time.sleep(0.5)
