"""`client.agents.*` of the unchanged Cekura SDK: v2 agents, v1 tools, knowledge base; effects checked in the DB."""

from __future__ import annotations

import base64

import pytest
from cekura import NotFoundError

from scenarist.agents.models import Agent, DynamicVariable, KnowledgeBaseFile, MockTool
from scenarist.scenarios.models import Scenario
from tests.client_cekura.conftest import AGENT_PROMPT, v2_agent_body, wait_job


def test_v2_agent_crud_maps_onto_the_v1_rows(tenant):
    sdk = tenant.sdk
    created = sdk.agents.create(**v2_agent_body(tenant.project_id))
    agent = Agent.objects.get(pk=created["id"])
    assert agent.project_id == tenant.project_id and agent.agent_name == "Bright Smile front desk"
    assert agent.description == AGENT_PROMPT and agent.contact_number == "+14155550100"
    assert agent.assistant_id == "asst_0123456789" and agent.agent_gives_first_message is True
    tools = {t.name: t for t in MockTool.objects.filter(agent=agent)}
    assert set(tools) == {"lookup_patient", "book_appointment"}
    assert tools["lookup_patient"].information[0]["output"]["full_name"] == "Ann Lee"
    assert set(DynamicVariable.objects.filter(agent=agent).values_list("name", flat=True)) == {"clinic_name", "caller_phone"}
    # provider/telephony fields are stored and returned; the secret is not
    assert created["telephony"]["sip_uri"] == "sip:desk@example.test" and created["provider"]["type"] == "vapi"
    assert created["provider"]["credentials_configured"] is True and "SENSITIVE" not in str(created)
    assert created["mock_tools"][0]["mock_data"] and created["agent_speaks_first"] is True

    page = sdk.agents.list()
    assert page["count"] == 1 and page["results"][0]["id"] == agent.pk
    assert sdk.agents.short_list() == [{"id": agent.pk, "name": agent.agent_name, "project": tenant.project_id}]
    assert sdk.agents.get(agent.pk)["provider"]["redact_fields"] == ["ssn"]

    # PATCH: mock_tools is the full desired set (omitted tools are deleted)
    updated = sdk.agents.update(agent.pk, language="fr", mock_tools=[{"name": "lookup_patient", "mock_data": []}])
    assert updated["language"] == "fr"
    assert list(MockTool.objects.filter(agent=agent).values_list("name", flat=True)) == ["lookup_patient"]
    assert Agent.objects.get(pk=agent.pk).language == "fr"

    # PUT: a full replace
    replaced = sdk.agents.replace(agent.pk, name="Replaced desk", description="Book rooms for {{guest}}.")
    assert replaced["name"] == "Replaced desk"
    agent.refresh_from_db()
    assert agent.agent_name == "Replaced desk" and agent.description == "Book rooms for {{guest}}."
    assert DynamicVariable.objects.filter(agent=agent, name="guest").exists()

    copy = sdk.agents.duplicate(agent.pk, name="Desk copy")
    assert copy["id"] != agent.pk and Agent.objects.get(pk=copy["id"]).agent_name == "Desk copy"
    assert MockTool.objects.filter(agent_id=copy["id"], name="lookup_patient").exists()

    assert sdk.agents.delete(copy["id"]) == {}
    assert not Agent.objects.filter(pk=copy["id"]).exists()
    with pytest.raises(NotFoundError):
        sdk.agents.get(copy["id"])


def test_v2_validation_errors_name_the_v2_field(tenant):
    from cekura import APIError

    with pytest.raises(APIError) as err:
        tenant.sdk.agents.create(name="", description="x", telephony={"phone_number": "12"})
    assert err.value.status_code == 400
    assert {"name", "telephony.phone_number"} <= set(err.value.response_body)
    with pytest.raises(APIError) as err:
        tenant.sdk.agents.create(name="A", description="x", project=tenant.project_id + 999)
    assert "project" in err.value.response_body
    assert not Agent.objects.filter(project_id=tenant.project_id).exists()


def test_knowledge_base_through_v2(tenant):
    sdk = tenant.sdk
    agent_id = sdk.agents.create(**v2_agent_body(tenant.project_id))["id"]
    content = base64.b64encode(b"# Hours\nWe open at 8 on weekdays.\n").decode()
    uploaded = sdk.agents.upload_knowledge_base(agent_id, files=[{"name": "hours.md", "content_base64": content}])
    assert uploaded["count"] == 1
    assert "We open at 8" in KnowledgeBaseFile.objects.get(agent_id=agent_id).extracted_text
    listed = sdk.agents.get_knowledge_base(agent_id)
    assert [f["file_name"] for f in listed["results"]] == ["hours.md"]
    # the v2 knowledge_base_files set: keep by id, add with file_name + content_base64
    kept = listed["results"][0]["id"]
    more = base64.b64encode(b"Parking is free.").decode()
    body = sdk.agents.update(agent_id, knowledge_base_files=[{"id": kept}, {"file_name": "parking.txt", "content_base64": more}])
    assert sorted(f["file_name"] for f in body["knowledge_base_files"]) == ["hours.md", "parking.txt"]
    assert sdk.agents.delete_knowledge_base(agent_id) is not None
    assert not KnowledgeBaseFile.objects.filter(agent_id=agent_id).exists()


def test_mock_tools_v1_paths_without_slash(tenant):
    sdk = tenant.sdk
    agent_id = sdk.agents.create(name="Tools desk", description="Uses tools.", project=tenant.project_id)["id"]
    created = sdk.agents.tools_create(agent_id, name="check_stock", description="Stock",
                                      information=[{"input": {"sku": "A"}, "output": {"left": 3}}])
    assert created["name"] == "check_stock" and MockTool.objects.filter(agent_id=agent_id, name="check_stock").exists()
    assert sdk.agents.tools_list(agent_id)["count"] == 1
    assert sdk.agents.tool_get(agent_id, "check_stock")["information"][0]["output"] == {"left": 3}
    # tool create by name: creates, then overwrites
    sdk.agents.tool_create(agent_id, "refund", description="Refund an order", information=[])
    assert MockTool.objects.get(agent_id=agent_id, name="refund").description == "Refund an order"
    sdk.agents.tool_create(agent_id, "refund", description="Refund v2", information=[{"input": {}, "output": "ok"}])
    refund = MockTool.objects.get(agent_id=agent_id, name="refund")
    assert refund.description == "Refund v2" and refund.information == [{"input": {}, "output": "ok"}]
    assert sdk.agents.tool_update(agent_id, "refund", description="Refund v3")["description"] == "Refund v3"
    sdk.agents.tool_delete(agent_id, "refund")
    assert not MockTool.objects.filter(agent_id=agent_id, name="refund").exists()


def test_agent_created_through_v2_generates(tenant):
    sdk = tenant.sdk
    agent_id = sdk.agents.create(**v2_agent_body(tenant.project_id))["id"]
    job = sdk.scenarios.generate_bg(agent_id=agent_id, num_scenarios=4, generate_expected_outcomes=True,
                                    tool_ids=["TOOL_END_CALL"])  # fmt: skip
    body = wait_job(lambda: sdk.scenarios.generate_progress(progress_id=job["progress_id"]))
    assert body["status"] == "completed" and body["completed_scenarios"] == 4, body
    rows = Scenario.objects.filter(agent_id=agent_id)
    assert rows.count() == 4
    # grounded in the v2 rows: mock data identities and the dynamic variables
    text = " ".join(s.instructions + str(s.test_profile.information if s.test_profile else "") for s in rows)
    assert "Ann Lee" in text or "+447700900123" in text
    assert all("clinic_name" in (s.test_profile.information.get("main_agent_variables") or {})
               for s in rows if s.test_profile)  # fmt: skip
