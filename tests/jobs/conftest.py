"""Fixtures of the job-engine tests: a per-test queue, subprocess groups, a project."""

from __future__ import annotations

import pytest

import scenarist.jobs.fixture_handlers  # noqa: F401 — registers the TEST_ITEMS handler in this process
from scenarist.accounts.services import create_project


@pytest.fixture
def project(transactional_db):
    """A committed project (visible to subprocesses)."""
    return create_project("Jobs")[0]


@pytest.fixture
def fast_jobs(settings):
    """This process's heartbeat/reaper timings shortened like the subprocesses'."""
    settings.JOB_HEARTBEAT_S = 0.1
    settings.JOB_STALE_AFTER_S = 1.0
    return settings


@pytest.fixture(autouse=True)
def _close_job_db_threads():
    """Engine DB threads hold their own connections; close them so the test database can be dropped."""
    yield
    from scenarist.jobs.dbthread import close_pool_connections

    close_pool_connections()


@pytest.fixture
def in_process_llm(monkeypatch):
    """Point this process's job engine at an LLM simulator: `in_process_llm(sim, **SCENARIST_LLM_* overrides)`."""
    from scenarist.jobs import llm_binding

    def configure(sim, **extra: str) -> None:
        for key, value in sim.env(**extra).items():
            monkeypatch.setenv(key, value)
        llm_binding._cache.clear()  # the engine builds its provider client once per process

    yield configure
    llm_binding._cache.clear()


@pytest.fixture
def generation_agent(transactional_db):
    """A committed project, an API client with its key, and a dental-clinic agent with tools and mock rows."""
    from scenarist.jobs.handlers import load_handlers
    from tests.scenarios.generation_support import agent_row, keyed_client

    load_handlers()  # this process runs the generation handler itself
    client, project = keyed_client("Jobs generation")
    agent, _spec = agent_row(project, "dental")
    return client, project, agent
