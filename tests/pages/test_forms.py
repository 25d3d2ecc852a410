"""Every workspace form answers a bad field with a message next to it (400, never 500); sign-in rules; CSRF; cancel."""

from __future__ import annotations

import pytest
from django.test import Client

from scenarist.agents.models import Agent
from scenarist.jobs.api import Job, JobKind, JobStatus, enqueue_job
from scenarist.scenarios.models import Scenario

pytestmark = pytest.mark.django_db


@pytest.fixture
def browser_client(tenant) -> Client:
    """A Django test client signed in to the tenant's project through the sign-in form."""
    client = Client()
    response = client.post("/signin/", {"api_key": tenant.key})
    assert response.status_code == 302 and response["Location"] == "/agents/"
    return client


@pytest.fixture
def agent(tenant) -> Agent:
    """An agent of the tenant."""
    return Agent.objects.create(project=tenant.project, agent_name="Desk", description="You answer calls.")


def _error_next_to(response, field_id: str, text: str) -> None:
    """The page is a 400 whose error list follows the field's input."""
    html = response.content.decode()
    assert response.status_code == 400, html[:500]
    start = html.index(f'id="{field_id}"')
    next_field = html.find("<label for=", start)
    following = html[start:next_field if next_field > 0 else len(html)]
    assert 'class="errors"' in following and text in following, following


@pytest.mark.parametrize("body, field, text", [
    ({"agent_id": "", "num_scenarios": "10"}, "agent_id", "required"),
    ({"num_scenarios": "abc"}, "num_scenarios", "valid integer"),
    ({"num_scenarios": "101"}, "num_scenarios", "less than or equal to 100"),
    ({"num_scenarios": "5", "scenario_type": "nope"}, "scenario_type", "not a valid choice"),
    ({"num_scenarios": "5", "attack_type": "data_leak"}, "attack_type", "Only red-teaming"),
    ({"num_scenarios": "5", "personalities": ["999999"]}, "personalities", "does not exist"),
    ({"num_scenarios": "5", "test_profile": "999999"}, "test_profile", "does not exist"),
    ({"num_scenarios": "5", "knowledge_base": ["999999"]}, "knowledge_base", "does not exist"),
    ({"num_scenarios": "5", "scenario_type": "knowledge_base"}, "knowledge_base", "no knowledge-base files"),
    ({"num_scenarios": "5", "inbound_phone_number": "x"}, "inbound_phone_number", "valid integer"),
    ({"num_scenarios": "5", "tool_ids": ["TOOL_FLY"]}, "tool_ids", "TOOL_FLY"),
    ({"num_scenarios": "5", "folder_path": "a..b"}, "folder_path", "may not be blank"),
    ({"num_scenarios": "5", "extra_instructions": "x" * 200_001}, "extra_instructions", "200"),
])
def test_generate_form_errors_by_field(browser_client, agent, body, field, text):
    data = {"agent_id": str(agent.pk), **body}
    response = browser_client.post("/generate/", data)
    _error_next_to(response, field, text)
    assert not Job.objects.exists()  # nothing was started


def test_generate_form_refuses_another_projects_agent(browser_client, agent, other_tenant):
    foreign = Agent.objects.create(project=other_tenant.project, agent_name="Theirs", description="x")
    response = browser_client.post("/generate/", {"agent_id": str(foreign.pk), "num_scenarios": "3"})
    _error_next_to(response, "agent_id", "does not exist")


def test_agent_tool_and_kb_forms_answer_bad_fields(browser_client, agent):
    _error_next_to(browser_client.post("/agents/new/", {"agent_name": "A", "language": "xx"}), "language", "valid")
    _error_next_to(browser_client.post("/agents/new/", {"agent_name": "A" * 300}), "agent_name", "255")
    url = f"/agents/{agent.pk}/tools/"
    _error_next_to(browser_client.post(url, {"name": "bad name!"}), "tool_name", "letters, digits")
    _error_next_to(browser_client.post(url, {"name": "t", "information": '{"a": 1}'}), "tool_information", "")
    _error_next_to(browser_client.post(url, {"name": "t", "parameters": "[1"}), "tool_parameters", "Not valid JSON")
    assert browser_client.post(url, {"name": "lookup"}).status_code == 302
    _error_next_to(browser_client.post(url, {"name": "lookup"}), "tool_name", "already exists")
    _error_next_to(browser_client.post(f"/agents/{agent.pk}/kb/", {}), "kb_files", "Choose at least one file")


def test_scenario_edit_and_bulk_answer_bad_fields(browser_client, tenant, agent):
    scenario = Scenario.objects.create(project=tenant.project, agent=agent, name="One", instructions="Call.")
    url = f"/scenarios/{scenario.pk}/edit/"
    _error_next_to(browser_client.post(url, {"name": "", "instructions": "x"}), "name", "blank")
    _error_next_to(browser_client.post(url, {"name": "x" * 81}), "name", "80")
    _error_next_to(browser_client.post(url, {"name": "One", "folder_path": "Nope"}), "folder_path", "does not exist")
    response = browser_client.post("/suites/bulk/", {"ids": [str(scenario.pk)], "action": "explode"})
    assert response.status_code == 400 and "Choose delete, move, tag or export" in response.content.decode()
    response = browser_client.post("/suites/bulk/", {"ids": [str(scenario.pk)], "action": "export", "format": "xml"})
    assert response.status_code == 400 and "Choose yaml, json or csv" in response.content.decode()
    response = browser_client.post("/suites/bulk/", {"ids": [str(scenario.pk)], "action": "tag", "tag": " "})
    assert response.status_code == 400 and "Type a tag" in response.content.decode()
    response = browser_client.post("/suites/bulk/", {"ids": ["abc"], "action": "delete"})
    assert response.status_code == 400 and Scenario.objects.filter(pk=scenario.pk).exists()


def test_clean_form_and_save_answer_bad_fields(browser_client, tenant, other_tenant, agent):
    foreign = Agent.objects.create(project=other_tenant.project, agent_name="Theirs", description="x")
    body = {"agent": str(foreign.pk), "metric_description": "verify", "eval_type": "boolean"}
    _error_next_to(browser_client.post("/metrics/clean/", body), "agent", "does not exist")
    body = {"agent": str(agent.pk), "metric_description": "  ", "eval_type": "stars"}
    response = browser_client.post("/metrics/clean/", body)
    _error_next_to(response, "metric_description", "may not be blank")
    _error_next_to(response, "eval_type", "not a valid choice")
    job = enqueue_job(project=tenant.project, kind=JobKind.CLEAN_DESCRIPTION,
                      payload={"agent_id": agent.pk, "metric_description": "verify", "eval_type": "boolean"})
    response = browser_client.post(f"/metrics/clean/{job.progress_id}/save/", {"name": "Saved"})
    assert response.status_code == 400 and "has not completed" in response.content.decode()


def test_jobs_page_cancels_a_queued_job(browser_client, tenant, agent):
    job = enqueue_job(project=tenant.project, kind=JobKind.GENERATE_SCENARIOS, payload={"agent_id": agent.pk},
                      total_items=3)
    page = browser_client.get("/jobs/").content.decode()
    assert f"/jobs/{job.progress_id}/cancel/" in page
    response = browser_client.post(f"/jobs/{job.progress_id}/cancel/", {"back": "/jobs/"})
    assert response.status_code == 302 and response["Location"] == "/jobs/"
    job.refresh_from_db()
    assert job.status == JobStatus.CANCELLED


def test_signed_out_pages_redirect_and_posts_need_csrf(tenant, agent):
    anonymous = Client()
    for path in ("/", "/agents/", f"/agents/{agent.pk}/", "/generate/", "/suites/", "/metrics/", "/jobs/"):
        response = anonymous.get(path)
        assert response.status_code == 302 and response["Location"].startswith("/signin/"), path
    strict = Client(enforce_csrf_checks=True)
    assert strict.post("/signin/", {"api_key": tenant.key}).status_code == 403
    offsite = Client().post("/signin/", {"api_key": tenant.key, "next": "https://evil.example/"})
    assert offsite["Location"] == "/agents/"
    assert Client().post("/signin/", {"api_key": ""}).status_code == 400


def test_revoking_the_key_ends_the_session(browser_client, tenant):
    from django.utils import timezone

    assert browser_client.get("/agents/").status_code == 200
    tenant.project.api_keys.update(revoked_at=timezone.now())
    response = browser_client.get("/agents/")
    assert response.status_code == 302 and response["Location"].startswith("/signin/")
