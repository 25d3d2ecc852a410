"""Clean-description jobs on a real `scenarist worker` subprocess: offline and LLM paths, failures, kill -9."""

from __future__ import annotations

import re
import uuid

import pytest

from scenarist.accounts.services import create_project
from scenarist.jobs.models import Job, JobStatus
from tests.generation.metric_cleaning import responders
from tests.llm_sim import REFUSAL_MESSAGE, LLMSimulator, SimConfig
from tests.support.processes import free_port, job_env, wait_for

from .clean_description_support import BG_URL, PROGRESS_URL, make_agent, post

pytestmark = pytest.mark.django_db(transaction=True)

LLM_ENV = {"SCENARIST_LLM_MAX_RETRIES": "0", "SCENARIST_LLM_TIMEOUT_S": "10"}
NO_LLM_ENV = {"SCENARIST_LLM_BASE_URL": "", "SCENARIST_LLM_API_KEY": ""}


@pytest.fixture
def tenant_client(transactional_db):
    """A committed project, its agent, and an API client with its key."""
    from rest_framework.test import APIClient

    project, key = create_project("Clean jobs")
    client = APIClient()
    client.credentials(HTTP_X_CEKURA_API_KEY=key)
    return client, make_agent(project)


def start_job(client, agent, draft: str, eval_type: str) -> str:
    """POST the bg endpoint; returns the progress id."""
    r = post(client, BG_URL, {"agent": agent.pk, "metric_description": draft, "eval_type": eval_type})
    assert r.status_code == 200, r.content
    return r.json()["progress_id"]


def poll(client, progress_id: str) -> dict:
    """GET the progress body."""
    r = client.get(PROGRESS_URL, {"progress_id": progress_id})
    assert r.status_code == 200
    return r.json()


def finished(client, progress_id: str, timeout: float = 30) -> dict:
    """Poll until the job is terminal; returns the last body."""
    return wait_for(
        lambda: (b := poll(client, progress_id))["status"] in {"completed", "failed", "cancelled"} and b,
        timeout, interval=0.1, what=f"job {progress_id} to finish",
    )


def test_offline_jobs_go_queued_to_completed_on_a_worker(tenant_client, job_queue, processes):
    client, agent = tenant_client
    boolean = start_job(client, agent, "The agent must check availability before booking.", "boolean")
    enum = start_job(client, agent, "Classify the call as booked, waitlisted or declined.", "enum")
    assert poll(client, boolean)["status"] == "queued"  # nothing runs until a worker is there

    processes.start("worker", env=job_env(job_queue, **NO_LLM_ENV))
    done = finished(client, boolean)
    assert done["status"] == "completed" and done["error"] is None, done["error"]
    assert "check_availability" in done["clean_description"] and done["thinking"]
    assert done["enum_values"] is None
    labels = finished(client, enum)
    assert labels["status"] == "completed"
    assert labels["enum_values"] == ["booked", "waitlisted", "declined", "other", "N/A"]
    job = Job.objects.get(progress_id=uuid.UUID(boolean))
    assert job.result["engine"] == "offline" and job.usage.get("llm_calls", 0) == 0


def _routing_responder(body):
    """Answer by what the draft asks for: a refusal, broken output, or a good answer."""
    _, draft, _ = responders.request_parts(body)
    if "REFUSE-ME" in draft:
        return REFUSAL_MESSAGE
    if "BREAK-ME" in draft:
        return responders.missing_sections_answer(body)
    return responders.good_answer(body)


def test_llm_jobs_complete_or_fail_with_readable_reasons(tenant_client, job_queue, processes):
    client, agent = tenant_client
    with LLMSimulator(SimConfig()) as sim:
        sim.set_responder(_routing_responder)
        good = start_job(client, agent, "The agent must check availability before booking.", "rating")
        refused = start_job(client, agent, "REFUSE-ME: the agent is polite.", "boolean")
        broken = start_job(client, agent, "BREAK-ME: the agent is polite.", "boolean")
        processes.start("worker", env=job_env(job_queue, **sim.env(**LLM_ENV)))

        ok = finished(client, good)
        assert ok["status"] == "completed", ok
        assert "## SCOPE & FOCUS" in ok["clean_description"]  # written by the (simulated) model
        job = Job.objects.get(progress_id=uuid.UUID(good))
        assert job.result["engine"] == "llm" and job.usage["llm_calls"] == 1

        no = finished(client, refused)
        assert no["status"] == "failed" and "refused" in no["error"] and no["clean_description"] is None

        bad = finished(client, broken)  # invalid twice: the offline engine writes it, and says so
        assert bad["status"] == "completed" and bad["error"] is None
        assert "written by the offline engine instead" in bad["thinking"] and "N/A CONDITIONS" in bad["thinking"]
        assert not re.search(r"Traceback|File \"", bad["thinking"])
        fallback = Job.objects.get(progress_id=uuid.UUID(broken))
        assert fallback.result["engine"] == "offline-fallback" and fallback.usage["fallbacks"] == 1
        broken_calls = [c for c in sim.calls if "BREAK-ME" in c.messages[1]["content"]]
        assert len(broken_calls) == 2  # asked, then re-asked once


def test_provider_down_fails_the_job_with_a_readable_error(tenant_client, job_queue, processes):
    client, agent = tenant_client
    closed = f"http://127.0.0.1:{free_port()}/v1"
    progress_id = start_job(client, agent, "The agent is polite.", "boolean")
    processes.start("worker", env=job_env(
        job_queue, SCENARIST_LLM_BASE_URL=closed, SCENARIST_LLM_API_KEY="k", **LLM_ENV))
    body = finished(client, progress_id)
    assert body["status"] == "failed"
    assert "could not be reached" in body["error"]


def test_worker_killed_mid_job_is_resumed_and_completes_once(tenant_client, job_queue, processes):
    client, agent = tenant_client
    with LLMSimulator(SimConfig(latency_s=2.5)) as sim:
        sim.set_responder(responders.good_answer)
        env = job_env(job_queue, **sim.env(**LLM_ENV))
        progress_id = start_job(client, agent, "The agent must check availability before booking.", "numeric")
        first = processes.start("worker", env=env)
        wait_for(lambda: sim.in_flight >= 1, 20, what="the LLM call in flight")
        assert poll(client, progress_id)["status"] == "processing"
        first.kill9()

        processes.start("worker", env=env)
        body = finished(client, progress_id, timeout=40)
        assert body["status"] == "completed", body
        assert "lower is better" in body["clean_description"]
        job = Job.objects.get(progress_id=uuid.UUID(progress_id))
        assert job.attempt == 2 and job.status == JobStatus.COMPLETED
        assert [c.status for c in sim.calls] == [499, 200]  # the killed call never delivered; one answer
