"""Who runs a job: a process identity precise enough to tell, on the same machine, that its process is gone."""

from __future__ import annotations

import os
import socket
from functools import lru_cache
from pathlib import Path

SEPARATOR = "|"


def _read(path: str) -> str:
    try:
        return Path(path).read_text().strip()
    except OSError:
        return ""


def _start_ticks(pid: int) -> str:
    """The process start time in clock ticks since boot (Linux), '' if the process does not exist or has exited.

    An exited process nobody has reaped yet (a zombie: its parent was killed and the machine's init does not
    reap orphans) still has a /proc entry with its start time, but runs no code and holds no job.
    """
    stat = _read(f"/proc/{pid}/stat")
    if not stat:
        return ""
    fields = stat.rsplit(")", 1)[1].split()
    if fields[0] in ("Z", "X"):
        return ""
    return fields[19]


@lru_cache(maxsize=1)
def _machine() -> tuple[str, str]:
    """(boot id, pid namespace): two processes share both only on one running kernel, in one pid namespace."""
    try:
        pidns = os.readlink("/proc/self/ns/pid")
    except OSError:
        pidns = ""
    return _read("/proc/sys/kernel/random/boot_id"), pidns


def process_identity(pid: int | None = None) -> str:
    """`host|boot_id|pid_ns|pid|start_ticks` of a process (this one by default)."""
    pid = pid or os.getpid()
    boot_id, pidns = _machine()
    return SEPARATOR.join([socket.gethostname()[:60], boot_id, pidns, str(pid), _start_ticks(pid)])


def certainly_dead(identity: str) -> bool:
    """True only when `identity` names a process of this machine and pid namespace that no longer runs."""
    parts = identity.split(SEPARATOR)
    if len(parts) != 5:
        return False
    _host, boot_id, pidns, pid, ticks = parts
    if not boot_id or not pidns or not ticks or (boot_id, pidns) != _machine():
        return False  # another machine or container: only the stale heartbeat can tell
    return _start_ticks(int(pid)) != ticks  # gone, or the pid was reused by a newer process
