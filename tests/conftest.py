"""Shared fixtures: projects with keys, API clients scoped to them."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from scenarist.accounts.services import create_project


class KeyedProject:
    """A project, its raw API key and an APIClient that sends it."""

    def __init__(self, name: str):
        self.project, self.key = create_project(name)
        self.client = APIClient()
        self.client.credentials(HTTP_X_CEKURA_API_KEY=self.key)


@pytest.fixture
def tenant(db) -> KeyedProject:
    """The main project under test."""
    return KeyedProject("Tenant A")


@pytest.fixture
def other_tenant(db) -> KeyedProject:
    """A second project, for isolation checks."""
    return KeyedProject("Tenant B")


@pytest.fixture
def api(tenant) -> APIClient:
    """An API client authenticated as the main project."""
    return tenant.client


@pytest.fixture
def anon() -> APIClient:
    """An API client with no credentials."""
    return APIClient()


@pytest.fixture
def llm_sim():
    """A running LLM simulator (tests/llm_sim) with default settings, stopped after the test."""
    from tests.llm_sim import LLMSimulator, SimConfig

    with LLMSimulator(SimConfig()) as sim:
        yield sim


@pytest.fixture(autouse=True, scope="session")
def _isolated_job_queue(tmp_path_factory):
    """Jobs enqueued by any test go to this run's own queue file, never to ./data/queue.sqlite3 of a dev server."""
    from tests.support.processes import sqlite_queue, use_queue

    restore = use_queue(sqlite_queue(tmp_path_factory.mktemp("queue") / "queue.sqlite3"))
    yield
    restore()


def pytest_collection_modifyitems(config, items):
    """`@pytest.mark.slow` tests run only with SCENARIST_SLOW_TESTS=1 (`.ci/run` sets it)."""
    import os

    if os.environ.get("SCENARIST_SLOW_TESTS") == "1":
        return
    skip = pytest.mark.skip(reason="slow: set SCENARIST_SLOW_TESTS=1 to run")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip)


@pytest.fixture
def job_queue(tmp_path):
    """A fresh SqliteHuey queue file for this test, shared by this process and the subprocesses it starts."""
    from tests.support.processes import sqlite_queue, use_queue

    queue = sqlite_queue(tmp_path / "queue.sqlite3")
    restore = use_queue(queue)
    yield queue
    restore()


@pytest.fixture
def processes(tmp_path):
    """Start real `scenarist` processes (tests.support.processes); all are stopped at teardown."""
    from tests.support.processes import ProcessGroup

    with ProcessGroup(tmp_path) as group:
        yield group
