"""Start real `scenarist` processes against the current test database and a per-test queue.

Usage (inside a `django_db(transaction=True)` test, so the subprocess sees committed rows):

    queue = sqlite_queue(tmp_path / "queue.sqlite3")   # or redis_queue(url, name)
    use_queue(queue)                                     # this (test) process enqueues to the same store
    with ProcessGroup(tmp_path) as procs:
        procs.start("worker", env=job_env(queue))
        ...
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable
from urllib.parse import quote

FAST_JOB_TIMINGS = {
    "SCENARIST_JOB_HEARTBEAT_S": "0.2",
    "SCENARIST_JOB_STALE_AFTER_S": "1.5",
    "SCENARIST_JOB_REAPER_INTERVAL_S": "0.3",
}


@dataclass
class QueueConfig:
    """A queue store: env vars for subprocesses and the settings.HUEY-shaped dict for this process."""

    env: dict[str, str]
    huey: dict[str, Any]
    unset: tuple[str, ...] = field(default=())


def sqlite_queue(path: Path) -> QueueConfig:
    """A SqliteHuey queue in its own file."""
    return QueueConfig(
        env={"SCENARIST_QUEUE_FILE": str(path), "SCENARIST_QUEUE_NAME": "scenarist"},
        huey={"huey_class": "huey.SqliteHuey", "name": "scenarist", "filename": str(path)},
        unset=("SCENARIST_QUEUE_URL",),
    )


def redis_queue(url: str, name: str) -> QueueConfig:
    """A RedisHuey queue under its own name (keys do not clash with other runs)."""
    return QueueConfig(
        env={"SCENARIST_QUEUE_URL": url, "SCENARIST_QUEUE_NAME": name},
        huey={"huey_class": "huey.RedisHuey", "name": name, "url": url},
    )


def use_queue(queue: QueueConfig) -> Callable[[], None]:
    """Point this process's queue at `queue`; returns a function that restores the previous store."""
    from huey.contrib.djhuey import HUEY

    from scenarist.jobs.queue import configure_queue

    previous = HUEY.storage
    configure_queue(queue.huey)

    def restore() -> None:
        HUEY.storage = previous

    return restore


def database_env() -> dict[str, str]:
    """Env vars that point a subprocess at the database this test process uses (the test database)."""
    from django.db import connection

    sd = connection.settings_dict
    if connection.vendor == "sqlite":
        return {"SCENARIST_SQLITE_PATH": str(sd["NAME"]), "SCENARIST_DATABASE_URL": ""}
    auth = quote(sd.get("USER") or "", safe="")
    if sd.get("PASSWORD"):
        auth += ":" + quote(sd["PASSWORD"], safe="")
    host = sd.get("HOST") or "127.0.0.1"
    port = sd.get("PORT") or 5432
    return {"SCENARIST_DATABASE_URL": f"postgres://{auth}@{host}:{port}/{sd['NAME']}", "SCENARIST_SQLITE_PATH": ""}


def job_env(queue: QueueConfig, **extra: str) -> dict[str, str]:
    """Full environment of a subprocess: test DB, the queue, test jobs enabled, fast heartbeat/reaper timings."""
    env = {k: v for k, v in os.environ.items() if k not in queue.unset}
    env.update(database_env())
    env.update(queue.env)
    env.update(FAST_JOB_TIMINGS)
    env.update({"SCENARIST_ENABLE_TEST_JOBS": "1", "PYTHONUNBUFFERED": "1"})
    env.update(extra)
    return env


def free_port() -> int:
    """A TCP port that is free right now on 127.0.0.1."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(predicate: Callable[[], Any], timeout: float, interval: float = 0.05, what: str = "condition") -> Any:
    """Poll until predicate() is truthy (returned) or fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {what}")
        time.sleep(interval)


def child_pids(pid: int) -> list[int]:
    """Direct children of a process (Linux /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        if ppid == pid:
            found.append(int(entry.name))
    return found


def cmdline(pid: int) -> list[str]:
    """argv of a process, [] if it is gone."""
    try:
        return (Path("/proc") / str(pid) / "cmdline").read_bytes().decode().split("\0")
    except OSError:
        return []


class ScenaristProcess:
    """One `scenarist <command>` subprocess with its output in a log file."""

    def __init__(self, command: str, args: list[str], env: dict[str, str], log_path: Path):
        self.command = command
        self.log_path = log_path
        self._log = open(log_path, "wb")
        self.popen = subprocess.Popen(
            [sys.executable, "-m", "scenarist.cli", command, *args],
            env=env, stdout=self._log, stderr=subprocess.STDOUT,
        )

    @property
    def pid(self) -> int:
        """Process id."""
        return self.popen.pid

    def alive(self) -> bool:
        """Still running?"""
        return self.popen.poll() is None

    def child(self, command: str) -> int | None:
        """Pid of this process's child running `scenarist <command>` (for `serve`)."""
        for pid in child_pids(self.pid):
            argv = cmdline(pid)
            if "scenarist.cli" in argv and command in argv:
                return pid
        return None

    def kill9(self) -> None:
        """SIGKILL, no cleanup."""
        self.popen.kill()
        self.popen.wait()

    def stop(self, timeout: float = 25.0) -> int:
        """SIGTERM, wait, SIGKILL if needed; returns the exit code."""
        if self.alive():
            self.popen.send_signal(signal.SIGTERM)
            try:
                self.popen.wait(timeout)
            except subprocess.TimeoutExpired:
                self.popen.kill()
                self.popen.wait()
        self._log.close()
        return self.popen.returncode

    def output(self) -> str:
        """Everything it printed so far."""
        self._log.flush()
        return self.log_path.read_text(errors="replace")


class ProcessGroup:
    """Starts processes and makes sure every one of them is gone at the end (context manager)."""

    def __init__(self, log_dir: Path):
        self.log_dir = log_dir
        self.procs: list[ScenaristProcess] = []

    def start(self, command: str, *args: str, env: dict[str, str]) -> ScenaristProcess:
        """Start `scenarist <command> <args>` with `env`."""
        log_path = self.log_dir / f"{command}-{len(self.procs)}.log"
        proc = ScenaristProcess(command, list(args), env, log_path)
        self.procs.append(proc)
        return proc

    def stop_all(self) -> None:
        """Stop every process started here."""
        for proc in reversed(self.procs):
            proc.stop()

    def __enter__(self) -> "ProcessGroup":
        return self

    def __exit__(self, *exc) -> None:
        self.stop_all()


def wait_http(port: int, timeout: float = 20.0) -> None:
    """Wait until something accepts TCP connections on 127.0.0.1:port."""

    def accepting() -> bool:
        with socket.socket() as s:
            s.settimeout(0.2)
            return s.connect_ex(("127.0.0.1", port)) == 0

    wait_for(accepting, timeout, interval=0.1, what=f"HTTP server on port {port}")
