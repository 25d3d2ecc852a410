"""Fixtures of the reliability suite: a per-test queue and real `scenarist` processes."""

from __future__ import annotations

import pytest

from tests.support.processes import ProcessGroup, sqlite_queue, use_queue


@pytest.fixture
def job_queue(tmp_path):
    """A fresh SqliteHuey queue file for this test, shared by this process and its subprocesses."""
    queue = sqlite_queue(tmp_path / "queue.sqlite3")
    restore = use_queue(queue)
    yield queue
    restore()


@pytest.fixture
def processes(tmp_path):
    """Start real `scenarist` processes; all are stopped at teardown."""
    with ProcessGroup(tmp_path) as group:
        yield group
