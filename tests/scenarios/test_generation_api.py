"""generate-bg / generate-progress / generate-cancel on the request path (no worker needed)."""

from __future__ import annotations

import uuid

import pytest

from scenarist.jobs.models import Job, JobKind, JobStatus
from scenarist.scenarios.models import Scenario

from .generation_support import BG_URL, CANCEL_URL, PROGRESS_URL, agent_row


@pytest.fixture
def dental(tenant):
    return agent_row(tenant.project)[0]


def test_generate_bg_answers_at_once_with_a_queued_job(api, dental, tenant):
    r = api.post(BG_URL, {"agent_id": dental.pk, "num_scenarios": 7, "tags": ["smoke"]}, format="json")
    assert r.status_code == 200, r.content
    body = r.json()
    assert set(body) == {"progress_id", "session_id"} and body["session_id"] is None
    job = Job.objects.get(progress_id=uuid.UUID(body["progress_id"]))
    assert job.project == tenant.project and job.kind == JobKind.GENERATE_SCENARIOS
    assert job.status == JobStatus.QUEUED and job.total_items == 7
    assert job.payload["agent_id"] == dental.pk and job.payload["tags"] == ["smoke"]
    assert job.payload["first_message"] == "Hello" and isinstance(job.payload["seed"], int)

    progress = api.get(PROGRESS_URL, {"progress_id": body["progress_id"]}).json()
    assert progress["status"] == "queued"
    assert (progress["total_scenarios"], progress["completed_scenarios"], progress["failed_scenarios"]) == (7, 0, 0)
    assert progress["scenarios_list"] == [] and progress["errors"] == []
    assert set(progress["usage"]) == {"prompt_tokens", "completion_tokens", "llm_calls", "cached_prompt_tokens", "reasks",
                                      "fallbacks"}


@pytest.mark.parametrize("body, field", [
    ({}, "num_scenarios"),
    ({"num_scenarios": 0}, "num_scenarios"),
    ({"num_scenarios": 101}, "num_scenarios"),
    ({"num_scenarios": 3, "scenario_type": "red_teaming_voice"}, "attack_type"),
    ({"num_scenarios": 3, "attack_type": "data_leak"}, "attack_type"),
    ({"num_scenarios": 3, "scenario_type": "knowledge_base"}, "knowledge_base"),
    ({"num_scenarios": 3, "tool_ids": ["TOOL_TELEPORT"]}, "tool_ids"),
    ({"num_scenarios": 3, "first_message": "x" * 1001}, "first_message"),
    ({"num_scenarios": 3, "personalities": [999999]}, "personalities"),
])
def test_invalid_requests_are_400_naming_the_field(api, dental, body, field):
    r = api.post(BG_URL, {"agent_id": dental.pk, **body}, format="json")
    assert r.status_code == 400
    assert field in r.json(), r.json()
    assert not Job.objects.exists()


def test_agent_must_be_identified_and_be_the_callers(api, dental, other_tenant):
    assert "agent_id" in api.post(BG_URL, {"num_scenarios": 1}, format="json").json()
    foreign = agent_row(other_tenant.project)[0]
    r = api.post(BG_URL, {"agent_id": foreign.pk, "num_scenarios": 1}, format="json")
    assert r.status_code == 400 and "agent_id" in r.json()


def test_form_and_multipart_bodies_are_accepted(api, dental):
    for fmt in ("multipart",):
        r = api.post(BG_URL, {"agent_id": dental.pk, "num_scenarios": 2, "tags": ["a", "b"]}, format=fmt)
        assert r.status_code == 200, r.content
    from urllib.parse import urlencode

    r = api.post(BG_URL, urlencode({"agent_id": dental.pk, "num_scenarios": 2, "tags": ["a", "b"]}, doseq=True),
                 content_type="application/x-www-form-urlencoded")
    assert r.status_code == 200, r.content
    assert [j.payload["tags"] for j in Job.objects.order_by("id")] == [["a", "b"], ["a", "b"]]


def test_progress_ids_are_private_and_validated(api, dental, other_tenant):
    progress_id = api.post(BG_URL, {"agent_id": dental.pk, "num_scenarios": 1}, format="json").json()["progress_id"]
    assert api.get(PROGRESS_URL).status_code == 400
    assert api.get(PROGRESS_URL, {"progress_id": "not-a-uuid"}).status_code == 404
    assert api.get(PROGRESS_URL, {"progress_id": str(uuid.uuid4())}).status_code == 404
    assert other_tenant.client.get(PROGRESS_URL, {"progress_id": progress_id}).status_code == 404
    assert other_tenant.client.post(CANCEL_URL, {"progress_id": progress_id}, format="json").status_code == 404


def test_cancel_of_a_queued_job_is_immediate(api, dental):
    progress_id = api.post(BG_URL, {"agent_id": dental.pk, "num_scenarios": 3}, format="json").json()["progress_id"]
    r = api.post(CANCEL_URL, {"progress_id": progress_id}, format="json")
    assert r.status_code == 200 and r.json()["status"] == "cancelled"
    assert api.get(PROGRESS_URL, {"progress_id": progress_id}).json()["status"] == "cancelled"
    assert not Scenario.objects.exists()
