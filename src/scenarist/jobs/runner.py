"""Process entry points for `scenarist serve` (embedded), `scenarist web` and `scenarist worker` (scale mode)."""

from __future__ import annotations

import argparse
import logging
import os
import signal
import subprocess
import sys
import threading
import time

from django.conf import settings

log = logging.getLogger("scenarist.runner")

WEB_THREADS_DEFAULT = 8
WORKER_RESTART_BACKOFF_MAX_S = 30.0
CHILD_STOP_TIMEOUT_S = 20.0


# --- worker -------------------------------------------------------------------------------------------------

def worker(args: argparse.Namespace) -> int:
    """Run a Huey consumer (threads) for jobs, plus the lease-guarded reaper unless --no-reaper."""
    from huey.consumer import Consumer
    from huey.contrib.djhuey import HUEY

    from . import execution
    from .dbthread import limit_worker_sessions
    from .handlers import load_handlers
    from .llm_binding import warm_up
    from .reaper import ReaperThread

    class JobConsumer(Consumer):
        """A consumer that, on any stop signal, gives running jobs back to the queue before joining its threads."""

        def stop(self, graceful: bool = False) -> None:
            released = execution.request_shutdown()
            if released:
                log.info("stopping: handing %d running job(s) back to the queue", released)
            super().stop(graceful=True)

    limit_worker_sessions()
    kinds = load_handlers()
    warm_up()
    threads = args.threads or settings.WORKER_THREADS
    reaper = None if getattr(args, "no_reaper", False) else ReaperThread()
    consumer = JobConsumer(
        HUEY, workers=threads, worker_type="thread", periodic=False,
        initial_delay=0.02, backoff=1.3, max_delay=0.5,  # idle SQLite polling stays cheap, pickup stays fast
        check_worker_health=True, health_check_interval=5, shutdown_timeout=CHILD_STOP_TIMEOUT_S - 5,
    )
    log.info("worker pid %s: %d thread(s), queue %s, handlers %s, reaper %s",
             os.getpid(), threads, type(HUEY.storage).__name__, kinds, "on" if reaper else "off")
    if reaper:
        reaper.start()
    try:
        consumer.run()
    finally:
        if reaper:
            reaper.stop()
    return 0


# --- web ----------------------------------------------------------------------------------------------------

def web(args: argparse.Namespace) -> int:
    """Run the API under gunicorn (threaded workers); migrates first only with --migrate."""
    from django.db import connections
    from gunicorn.app.base import BaseApplication

    from scenarist.wsgi import application

    if getattr(args, "migrate", False):
        _migrate()
    if getattr(args, "demo", False):
        _print_demo(args)
    connections.close_all()  # never share a DB connection with forked gunicorn workers

    class ApiServer(BaseApplication):
        """gunicorn configured in code."""

        def load_config(self) -> None:
            options = {
                "bind": f"{args.host}:{args.port}",
                "workers": int(os.environ.get("SCENARIST_WEB_PROCESSES", "1")),
                "worker_class": "gthread",
                "threads": args.threads or WEB_THREADS_DEFAULT,
                "timeout": 120,
                "graceful_timeout": 10,
                "accesslog": os.environ.get("SCENARIST_ACCESS_LOG") or None,
                # One fixed control-socket path per user would clash between servers on one host.
                "control_socket_disable": True,
            }
            for key, value in options.items():
                if key in self.cfg.settings:
                    self.cfg.set(key, value)

        def load(self):
            return application

    ApiServer().run()
    return 0


# --- serve --------------------------------------------------------------------------------------------------

def serve(args: argparse.Namespace) -> int:
    """Embedded mode: migrate, one reaper pass, then supervise an API child and a worker child until stopped."""
    from django.db import connections

    from .reaper import reap_once

    _migrate()
    reap_once()  # e.g. our previous worker, killed with us: recovered at once, no wait for the stale limit
    if args.demo:
        _print_demo(args)
    connections.close_all()
    return Supervisor(args).run()


class Supervisor:
    """Keeps `scenarist web` and `scenarist worker` children running; SIGINT/SIGTERM stop both."""

    def __init__(self, args: argparse.Namespace):
        self.args = args
        self.stopping = threading.Event()
        self.web: subprocess.Popen | None = None
        self.worker: subprocess.Popen | None = None

    def _command(self, name: str) -> list[str]:
        """argv of a child process."""
        argv = [sys.executable, "-m", "scenarist.cli", name]
        if name == "web":
            argv += ["--host", self.args.host, "--port", str(self.args.port)]
        if self.args.threads and name == "worker":
            argv += ["--threads", str(self.args.threads)]
        if getattr(self.args, "no_reaper", False) and name == "worker":
            argv.append("--no-reaper")
        return argv

    def _spawn(self, name: str) -> subprocess.Popen:
        """Start one child; it dies with us even if we are killed hard (Linux PDEATHSIG)."""
        child = subprocess.Popen(self._command(name), preexec_fn=_die_with_parent)
        log.info("%s started (pid %s)", name, child.pid)
        return child

    def run(self) -> int:
        """Supervise until a stop signal or until the API child exits; returns the exit code."""
        for signum in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signum, lambda *_: self.stopping.set())
        self.web = self._spawn("web")
        self.worker = self._spawn("worker")
        backoff, started = 1.0, time.monotonic()
        code = 0
        while not self.stopping.wait(0.2):
            if self.web.poll() is not None:
                log.error("API server exited with code %s; stopping", self.web.returncode)
                code = self.web.returncode or 1
                break
            if self.worker.poll() is not None:
                _reclaim_after_worker_death()
                if time.monotonic() - started > 60:
                    backoff = 1.0  # it ran fine for a while: restart promptly
                log.warning("worker exited with code %s; restarting in %.0fs", self.worker.returncode, backoff)
                if self.stopping.wait(backoff):
                    break
                self.worker, started = self._spawn("worker"), time.monotonic()
                backoff = min(backoff * 2, WORKER_RESTART_BACKOFF_MAX_S)
        self._stop_children()
        return code

    def _stop_children(self) -> None:
        """SIGTERM both children, wait, then SIGKILL what is left."""
        children = [c for c in (self.worker, self.web) if c is not None and c.poll() is None]
        for child in children:
            child.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + CHILD_STOP_TIMEOUT_S
        for child in children:
            try:
                child.wait(max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()
        log.info("stopped")


def _reclaim_after_worker_death() -> None:
    """Our worker child is gone: hand its jobs to the next worker now rather than after the stale limit."""
    from django.db import connections

    from .reaper import reclaim_dead_local_workers

    try:
        reclaim_dead_local_workers()
    except Exception:  # the reaper recovers them after the stale limit anyway
        log.warning("could not recover the dead worker's jobs at once", exc_info=True)
    finally:
        connections.close_all()


def _die_with_parent() -> None:
    """In the child before exec: ask Linux to SIGTERM us when the supervisor dies."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except Exception:  # not Linux: the supervisor's own signal handling still stops children
        pass


# --- shared -------------------------------------------------------------------------------------------------

def _migrate() -> None:
    """Apply migrations quietly."""
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)


def _print_demo(args: argparse.Namespace) -> None:
    """Seed the demo project (idempotent) and print a new key with a ready curl."""
    from scenarist.demo import seed_demo

    demo = seed_demo()
    host = "127.0.0.1" if args.host in ("0.0.0.0", "::", "") else args.host
    print(f"Demo project {demo.project.name!r} (#{demo.project.pk}), agent #{demo.agent.pk} {demo.agent.agent_name!r}.")
    revoked = f" (the {demo.revoked_keys} older demo key(s) are revoked)" if demo.revoked_keys else ""
    print(f"New API key for it (shown once){revoked}: {demo.api_key}")
    print(f"Open the workspace (one-time sign-in link): http://{host}:{args.port}/signin/{demo.signin_token}/")
    print(f'Try: curl -s -H "X-CEKURA-API-KEY: {demo.api_key}" http://{host}:{args.port}/test_framework/v1/aiagents/')
    sys.stdout.flush()
