"""One analysis per agent version at a time, across jobs and worker processes (single flight on a named lease)."""

from __future__ import annotations

import pytest

from scenarist.jobs import leases
from tests.generation.responders import good_responder
from tests.llm_sim import LLMSimulator, SimConfig
from tests.scenarios.generation_support import finished, start
from tests.support.processes import job_env

pytestmark = pytest.mark.django_db(transaction=True)

LLM_ENV = {"SCENARIST_LLM_MAX_RETRIES": "0", "SCENARIST_LLM_TIMEOUT_S": "20", "SCENARIST_WORKER_THREADS": "5"}


def _analysis_calls(calls) -> list:
    """Calls asking for the agent model (by the name of the schema requested: LLMAgentModel)."""
    return [c for c in calls if "AgentModel" in ((c.response_format or {}).get("json_schema") or {}).get("name", "")]


def test_ten_concurrent_jobs_on_a_new_agent_make_one_analysis_call(generation_agent, job_queue, processes):
    client, _project, agent = generation_agent
    with LLMSimulator(SimConfig(latency_s=0.5, seed=7)) as sim:
        sim.set_responder(good_responder)
        env = job_env(job_queue, **sim.env(**LLM_ENV))
        progress = [start(client, agent_id=agent.pk, num_scenarios=2) for _ in range(10)]
        for _ in range(2):  # two worker processes × 5 threads: all ten jobs start at once
            processes.start("worker", env=env)
        bodies = [finished(client, p, timeout=90) for p in progress]
        calls = sim.calls
    assert [b["status"] for b in bodies] == ["completed"] * 10
    assert len(_analysis_calls(calls)) == 1
    assert sum(b["usage"]["llm_calls"] for b in bodies) == sum(c.answered for c in calls)


def test_a_named_lease_has_one_holder_until_released_or_expired(transactional_db):
    assert leases.acquire("analysis:x", "job:1", ttl_s=30) is True
    assert leases.acquire("analysis:x", "job:2", ttl_s=30) is False
    assert leases.acquire("analysis:y", "job:2", ttl_s=30) is True  # another name is another lease
    leases.release("analysis:x", "job:2")  # not the holder: no effect
    assert leases.acquire("analysis:x", "job:2", ttl_s=30) is False
    leases.release("analysis:x", "job:1")
    assert leases.acquire("analysis:x", "job:2", ttl_s=0) is True
    assert leases.acquire("analysis:x", "job:3", ttl_s=30) is True  # job:2's lease had expired
