"""20 generation jobs on a real worker against a provider that fails 20 % of calls (429 with Retry-After, 500,
hangs past the client timeout, malformed and truncated JSON, refusals): every job finishes, counts are exact,
nothing is saved twice, and each job's token usage equals what the simulator itself counted for that job."""

from __future__ import annotations

import re
import uuid
from collections import Counter, defaultdict

import pytest

from scenarist.scenarios.models import Scenario
from tests.generation.responders import good_responder
from tests.llm_sim import FAULTS, LLMSimulator, SimConfig
from tests.scenarios.generation_support import agent_row, finished, keyed_client, start
from tests.support.processes import job_env

pytestmark = pytest.mark.django_db(transaction=True)

JOBS = 20
PER_JOB = 4
# `no_usage` is left out: a server that omits usage makes a job's totals unknown (null) by design.
FAULT_MIX = tuple(f for f in FAULTS if f != "no_usage")
MARKER = re.compile(r"FAULTJOB-(\d\d)\b")
LLM_ENV = {
    "SCENARIST_LLM_TIMEOUT_S": "1", "SCENARIST_LLM_MAX_RETRIES": "3", "SCENARIST_LLM_BACKOFF_BASE_S": "0.05",
    "SCENARIST_LLM_BACKOFF_MAX_S": "0.5", "SCENARIST_LLM_JOB_CONCURRENCY": "4", "SCENARIST_WORKER_THREADS": "4",
}


def _job_of(call) -> int | None:
    """The job a simulator call belongs to, read from the marker every agent carries in its name and prompt."""
    text = "\n".join(str(m.get("content") or "") for m in call.messages)
    found = set(MARKER.findall(text))
    return int(found.pop()) if len(found) == 1 else None


def test_twenty_jobs_under_twenty_percent_faults_finish_exactly(job_queue, processes):
    client, project = keyed_client("Faults")
    agents = []
    for i in range(JOBS):
        tag = f"FAULTJOB-{i:02d}"
        agent, spec = agent_row(project, ("dental", "bank", "delivery")[i % 3], agent_name=f"{tag} desk")
        agent.description = f"Reference code {tag}.\n{spec.description}"
        agent.save()
        agents.append(agent)
    config = SimConfig(latency_s=0.05, fault_rate=0.2, fault_mix=FAULT_MIX, seed=20, retry_after_s=0.2)
    with LLMSimulator(config) as sim:
        sim.set_responder(good_responder)
        processes.start("worker", env=job_env(job_queue, **sim.env(**LLM_ENV)))
        progress = [start(client, agent_id=a.pk, num_scenarios=PER_JOB) for a in agents]
        bodies = [finished(client, p, timeout=120) for p in progress]
        calls = sim.calls

    faults = Counter(c.fault for c in calls if c.fault)
    assert len(faults) >= 5 and sum(faults.values()) >= 10, faults  # the mix really was exercised
    per_job = defaultdict(lambda: {"prompt_tokens": 0, "completion_tokens": 0, "llm_calls": 0,
                                   "cached_prompt_tokens": 0, "reasks": 0})
    for call in calls:
        job = _job_of(call)
        assert job is not None, "every call names exactly one job's agent"
        if call.answered:
            per_job[job]["prompt_tokens"] += call.prompt_tokens
            per_job[job]["completion_tokens"] += call.completion_tokens
            per_job[job]["llm_calls"] += 1
            per_job[job]["cached_prompt_tokens"] += call.cached_tokens
            per_job[job]["reasks"] += int(call.is_reask)

    for i, (progress_id, body) in enumerate(zip(progress, bodies)):
        assert body["status"] in ("completed", "failed"), body["status"]
        assert body["total_scenarios"] == PER_JOB
        if body["status"] == "completed":
            assert body["completed_scenarios"] + body["failed_scenarios"] == PER_JOB, body
            assert body["failed_scenarios"] == len(body["errors"])  # every shortfall is explained
        else:
            assert body["error"] and "Traceback" not in body["error"]
        assert all(e["message"] and "Traceback" not in e["message"] for e in body["errors"])
        rows = list(Scenario.objects.filter(job__progress_id=uuid.UUID(progress_id)).values_list("job_index", "name"))
        assert len(rows) == body["completed_scenarios"] == len(body["scenarios_list"])
        assert len({index for index, _ in rows}) == len(rows), "a (job, index) was saved twice"
        assert len({name for _, name in rows}) == len(rows), "duplicate scenario names in one job"
        # Every count the progress body shows that the server can see too (fallbacks are the client's own).
        shown = {k: v for k, v in body["usage"].items() if k != "fallbacks"}
        assert shown == {k: per_job[i][k] for k in shown}, (i, body["usage"], per_job[i])

    done = sum(b["completed_scenarios"] for b in bodies)
    assert done >= JOBS * PER_JOB * 0.9, f"only {done} of {JOBS * PER_JOB} scenarios written"
    assert sum(b["usage"]["llm_calls"] for b in bodies) == sum(1 for c in calls if c.answered)
