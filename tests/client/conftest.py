"""Fixtures of the client tests: ONE live `scenarist serve` for the whole package, a committed project per
test, and a runner for the `scenarist` console script as a subprocess."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from scenarist.accounts.services import create_project
from scenarist.client import Scenarist
from tests.support.processes import ProcessGroup, free_port, job_env, sqlite_queue, wait_http

REPO = Path(__file__).resolve().parents[2]
EXAMPLE_AGENT = REPO / "examples" / "dental-agent"
SCENARIST_BIN = Path(sys.executable).parent / "scenarist"
LLM_ENV = ("SCENARIST_LLM_BASE_URL", "SCENARIST_LLM_API_KEY", "SCENARIST_LLM_MODEL")
CLIENT_ENV = ("SCENARIST_URL", "SCENARIST_API_KEY", "CEKURA_API_KEY")


def clean_env(**extra: str) -> dict[str, str]:
    """This process's environment without LLM or client settings (offline engine, explicit URL/key)."""
    env = {k: v for k, v in os.environ.items() if k not in LLM_ENV + CLIENT_ENV}
    env["PYTHONUNBUFFERED"] = "1"
    env.update(extra)
    return env


@dataclass
class LiveServer:
    """A running `scenarist serve` against the test database."""

    url: str
    port: int


@pytest.fixture(scope="package")
def scenarist_server(django_db_setup, django_db_blocker, tmp_path_factory):
    """`scenarist serve` (API + worker, offline engine) on a free port, for every test of this package."""
    log_dir = tmp_path_factory.mktemp("client-server")
    queue = sqlite_queue(log_dir / "queue.sqlite3")
    port = free_port()
    env = {k: v for k, v in job_env(queue).items() if k not in LLM_ENV}
    with ProcessGroup(log_dir) as processes:
        server = processes.start("serve", "--port", str(port), env=env)
        try:
            wait_http(port, timeout=30)
        except AssertionError:
            pytest.fail("live server did not start:\n" + server.output()[-3000:])
        yield LiveServer(url=f"http://127.0.0.1:{port}", port=port)


@dataclass
class Tenant:
    """A committed project, its key and an SDK client for it."""

    project_id: int
    key: str
    client: Scenarist


@pytest.fixture
def tenant(scenarist_server, transactional_db):
    """A fresh committed project (visible to the server) with an SDK client."""
    project, key = create_project("Client tests")
    with Scenarist(scenarist_server.url, key, retries=1) as client:
        yield Tenant(project.pk, key, client)


@dataclass
class CliResult:
    """What a `scenarist` subprocess did."""

    code: int
    stdout: str
    stderr: str


def run_cli(*args: str, url: str | None = None, key: str | None = None, timeout: float = 90,
            cwd: Path | None = None, env: dict[str, str] | None = None) -> CliResult:
    """Run `.venv/bin/scenarist ARGS` with the given server URL and key (and `env`) in its environment."""
    extra = dict(env or {})
    if url:
        extra["SCENARIST_URL"] = url
    if key:
        extra["SCENARIST_API_KEY"] = key
    done = subprocess.run([str(SCENARIST_BIN), *args], env=clean_env(**extra), capture_output=True, text=True,
                          timeout=timeout, cwd=cwd)
    return CliResult(done.returncode, done.stdout, done.stderr)


@pytest.fixture
def cli(scenarist_server, tenant):
    """`cli("agents", "list")` runs the console script against the live server as the test's project."""

    def run(*args: str, **kwargs) -> CliResult:
        return run_cli(*args, url=scenarist_server.url, key=tenant.key, **kwargs)

    return run
