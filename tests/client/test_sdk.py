"""The Python SDK against the live server: typed methods, pagination, jobs and error mapping."""

from __future__ import annotations

import pytest

from scenarist.client import (
    Agent,
    AuthenticationError,
    CleanDescription,
    ConnectionFailed,
    NotFoundError,
    Page,
    Personality,
    Scenario,
    Scenarist,
    ScenaristAPIError,
)
from tests.client.conftest import EXAMPLE_AGENT
from tests.support.processes import free_port


def test_agents_tools_variables_and_knowledge_base(tenant, tmp_path):
    client = tenant.client
    agent = client.agents.create(agent_name="Desk", description="You help {{customer_name}} book rooms.",
                                 language="fr")
    assert isinstance(agent, Agent) and agent.language == "fr"
    assert agent["project"] == tenant.project_id  # unknown-to-the-model fields are preserved
    assert "created_at" in agent.to_dict()
    assert client.agents.update(agent.id, contact_number="+14155550100").contact_number == "+14155550100"

    tools = client.agents.tools(agent.id)
    tools.create(name="lookup", description="find a booking", information=[{"input": {"id": 1}, "output": "ok"}])
    assert tools.get("lookup").information == [{"input": {"id": 1}, "output": "ok"}]
    assert tools.update("lookup", description="find").description == "find"
    variables = client.agents.dynamic_variables(agent.id).upsert([{"name": "room", "description": "room type"}])
    assert {v.name for v in variables} == {"customer_name", "room"}

    faq = tmp_path / "faq.md"
    faq.write_text("# Rooms\nBreakfast is served from 7 to 10.\n")
    uploaded = client.agents.upload_knowledge_base(agent.id, [faq])
    assert [f.file_name for f in uploaded] == ["faq.md"]
    detail = client.agents.knowledge_base(agent.id).get(uploaded[0].id)
    assert "Breakfast is served" in detail.extracted_text

    tools.delete("lookup")
    assert tools.list().count == 0
    client.agents.delete(agent.id)
    with pytest.raises(NotFoundError):
        client.agents.get(agent.id)


def test_create_from_dir_and_catalogue(tenant):
    client = tenant.client
    agent = client.agents.create_from_dir(EXAMPLE_AGENT, agent_name="Dental SDK")
    assert agent.agent_name == "Dental SDK" and len(agent.knowledge_base_files) == 2
    personalities = client.personalities.list()
    assert len(personalities) >= 10 and all(isinstance(p, Personality) for p in personalities)
    assert {"TOOL_END_CALL", "TOOL_DTMF"} <= {t.id for t in client.caller_tools.list()}
    assert len([m for m in client.predefined_metrics.list() if m.get("is_default")]) == 10
    assert len(client.metrics.all()) == 10  # the project's seeded defaults
    phone = client.phone_numbers.create(number="+14155550199", name="Main")
    assert [p.number for p in client.phone_numbers.list()] == ["+14155550199"] and phone.id
    profile = client.test_profiles.create(name="Ann", agent=agent.id,
                                          information={"main_agent_variables": {"clinic_name": "X"}})
    assert [p.id for p in client.test_profiles.list(agent_id=agent.id)] == [profile.id]


def test_scenarios_crud_folders_and_pagination_iteration(tenant):
    client = tenant.client
    agent = client.agents.create(agent_name="Desk", description="You book rooms.")
    client.scenarios.ensure_folder("Rooms.Weekend")
    assert {"Rooms", "Rooms.Weekend"} <= {f.path for f in client.scenarios.folders()}
    created = [client.scenarios.create(name=f"Scenario {i}", agent=agent.id, instructions="You want a room.",
                                       tags=["even" if i % 2 == 0 else "odd"],
                                       folder_path="Rooms.Weekend" if i < 2 else None) for i in range(7)]
    page = client.scenarios.list(agent_id=agent.id, page_size=3)
    assert isinstance(page, Page) and page.count == 7 and len(page.results) == 3 and page.next
    assert isinstance(page.results[0], Scenario)
    assert [s.id for s in client.scenarios.iter(agent_id=agent.id, page_size=3)] == [s.id for s in created]
    assert len(client.scenarios.all(agent_id=agent.id, tags=["even"])) == 4
    assert len(client.scenarios.all(folder_path="Rooms.Weekend")) == 2
    updated = client.scenarios.update(created[0].id, name="Renamed")
    assert client.scenarios.get(created[0].id).name == updated.name == "Renamed"
    client.scenarios.delete(created[0].id)
    assert client.scenarios.list(agent_id=agent.id).count == 6


def test_jobs_wait_return_typed_results(tenant):
    client = tenant.client
    agent = client.agents.create_from_dir(EXAMPLE_AGENT)
    job = client.scenarios.generate(agent_id=agent.id, num_scenarios=5, tags=["sdk"])
    scenarios = job.wait(poll_interval=0.2, timeout=60)
    assert len(scenarios) == 5 and all(isinstance(s, Scenario) and "sdk" in s.tags for s in scenarios)
    assert job.last.status == "completed" and job.last.completed_scenarios == 5
    assert client.scenarios.generation_job(job.progress_id).status().total_scenarios == 5

    cleaned = client.metrics.clean(agent=agent.id, metric_description="The agent must verify the date of birth.",
                                   eval_type="boolean").wait(poll_interval=0.2, timeout=60)
    assert isinstance(cleaned, CleanDescription) and "TRUE —" in cleaned.clean_description
    assert cleaned["thinking"] == cleaned.thinking
    sync = client.metrics.clean_sync(agent=agent.id, metric_description="Count the interruptions.",
                                     eval_type="numeric")
    assert "Direction:" in sync.clean_description


def test_error_mapping(tenant, scenarist_server):
    with pytest.raises(ScenaristAPIError) as bad:
        tenant.client.agents.create(agent_name="", description="x")
    assert bad.value.status == 400 and "agent_name" in bad.value.field_errors
    assert "agent_name: This field may not be blank." in str(bad.value)
    with pytest.raises(NotFoundError):
        tenant.client.scenarios.generation_job("00000000-0000-0000-0000-000000000000").status()
    with Scenarist(scenarist_server.url, "sk_scn_wrong") as wrong, pytest.raises(AuthenticationError) as auth:
        wrong.agents.list()
    assert auth.value.status == 401
    with Scenarist(f"http://127.0.0.1:{free_port()}", "k", retries=2) as down, \
            pytest.raises(ConnectionFailed) as failed:
        down.agents.list()
    assert failed.value.attempts == 3
