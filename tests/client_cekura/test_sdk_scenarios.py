"""`client.scenarios.*` of the unchanged Cekura SDK: CRUD, generation, folders, tags, bulk ops, export, duplicate."""

from __future__ import annotations

import csv
import io
import json

import pytest
from cekura import APIError

from scenarist.accounts.models import Project
from scenarist.agents.models import Agent
from scenarist.catalog.models import Personality
from scenarist.scenarios.models import Folder, Scenario
from tests.client_cekura.conftest import v2_agent_body, wait_job


@pytest.fixture
def agent_id(tenant):
    """A v2 agent of the tenant."""
    return tenant.sdk.agents.create(**v2_agent_body(tenant.project_id))["id"]


@pytest.fixture
def personality_id(tenant):
    """A global personality."""
    return tenant.sdk.personalities.list()[0]["id"]


def _make(sdk, agent_id, personality_id, name, **extra):
    return sdk.scenarios.create(name=name, agent=agent_id, personality=personality_id,
                                instructions=f"You call to {name}.", **extra)  # fmt: skip


def test_crud_without_trailing_slash_really_writes(tenant, agent_id, personality_id):
    sdk = tenant.sdk
    created = _make(sdk, agent_id, personality_id, "book a cleaning", tags=["smoke"])
    row = Scenario.objects.get(pk=created["id"])
    assert row.project_id == tenant.project_id and row.tags == ["smoke"]
    assert sdk.scenarios.get(row.pk)["name"] == "book a cleaning"
    assert sdk.scenarios.list(agent_id=agent_id)["count"] == 1
    sdk.scenarios.update(row.pk, expected_outcome_prompt="The agent books it.")
    row.refresh_from_db()
    assert row.expected_outcome_prompt == "The agent books it."
    assert sdk.scenarios.delete(row.pk) == {}
    assert not Scenario.objects.filter(pk=row.pk).exists()


def test_generate_bg_and_progress(tenant, agent_id, personality_id):
    sdk = tenant.sdk
    job = sdk.scenarios.generate_bg(agent_id=agent_id, num_scenarios=3, personalities=[personality_id],
                                    tags=["generated"], folder_path=None)  # fmt: skip
    assert job["progress_id"]
    body = wait_job(lambda: sdk.scenarios.generate_progress(progress_id=job["progress_id"]))
    assert body["status"] == "completed" and body["completed_scenarios"] == 3 and len(body["scenarios_list"]) == 3
    rows = Scenario.objects.filter(agent_id=agent_id)
    assert rows.count() == 3 and all("generated" in r.tags for r in rows)
    assert {r.personality_id for r in rows} == {personality_id}


def test_folders(tenant, agent_id, personality_id):
    sdk, project = tenant.sdk, tenant.project_id
    assert sdk.scenarios.create_folder(name="Sales", project_id=project)["path"] == "Sales"
    sdk.scenarios.create_folder(name="Inbound", project_id=project, parent_path="Sales")
    assert Folder.objects.filter(project_id=project, path="Sales.Inbound").exists()
    assert {f["path"] for f in sdk.scenarios.list_folders(project_id=project)["results"]} == {"Sales", "Sales.Inbound"}
    sdk.scenarios.rename_folder("Sales.Inbound", "Calls", project)
    assert Folder.objects.filter(project_id=project, path="Sales.Calls").exists()
    sdk.scenarios.create_folder(name="Archive", project_id=project)
    sdk.scenarios.move_folder("Sales.Calls", project, "Archive")
    assert Folder.objects.filter(project_id=project, path="Archive.Calls").exists()
    _make(sdk, agent_id, personality_id, "in a folder", folder_path="Archive.Calls")
    sdk.scenarios.delete_folder("Archive", project)
    assert not Folder.objects.filter(project_id=project, path__startswith="Archive").exists()
    assert not Scenario.objects.filter(project_id=project, name="in a folder").exists()


def test_tags_bulk_update_and_bulk_delete(tenant, agent_id, personality_id):
    sdk = tenant.sdk
    a = _make(sdk, agent_id, personality_id, "first", tags=["smoke"])["id"]
    b = _make(sdk, agent_id, personality_id, "second")["id"]
    sdk.scenarios.add_tags(scenarios=[a, b], tags=["nightly", "smoke"])
    assert Scenario.objects.get(pk=a).tags == ["smoke", "nightly"] and Scenario.objects.get(pk=b).tags == ["nightly", "smoke"]
    assert sdk.scenarios.get_tags() == ["nightly", "smoke"]

    metric_id = sdk.metrics.list()["results"][0]["id"]
    own = Personality.objects.create(project_id=tenant.project_id, name="Own persona")
    updated = sdk.scenarios.bulk_update(scenarios=[a, b], project=tenant.project_id, append_instruction="Be brief.",
                                        metric_ids_to_add=[metric_id], tool_ids_to_add=["TOOL_DTMF"],
                                        first_message="Hi there", personality=own.pk)  # fmt: skip
    assert {s["id"] for s in updated} == {a, b}
    for row in Scenario.objects.filter(pk__in=[a, b]):
        assert row.instructions.endswith("Be brief.") and row.first_message == "Hi there"
        assert "TOOL_DTMF" in row.tool_ids and row.personality_id == own.pk
        assert metric_id in set(row.metrics.values_list("id", flat=True))

    with pytest.raises(APIError) as err:
        sdk.scenarios.delete_bulk(scenarios=[a, 10**9])
    assert err.value.status_code == 400 and Scenario.objects.filter(pk=a).exists()  # all or nothing
    sdk.scenarios.delete_bulk(scenarios=[a, b], project_id=tenant.project_id)
    assert not Scenario.objects.filter(pk__in=[a, b]).exists()


def test_export_csv_and_json(tenant, agent_id, personality_id):
    sdk = tenant.sdk
    a = _make(sdk, agent_id, personality_id, "export me", tags=["x", "y"])["id"]
    b = _make(sdk, agent_id, personality_id, "and me")["id"]
    as_csv = sdk.scenarios.export([a, b], agent_id=agent_id)
    rows = list(csv.DictReader(io.StringIO(as_csv["result"])))  # the SDK hands non-JSON bodies back as "result"
    assert [r["name"] for r in rows] == ["export me", "and me"] and rows[0]["tags"] == "x;y"
    as_json = sdk.scenarios.export([a], project_id=tenant.project_id, export_type="json")
    assert as_json[0]["id"] == a and as_json[0]["instructions"] == "You call to export me."
    as_excel = sdk.scenarios.export([a, b], agent_id=agent_id, export_type="excel")
    assert set(as_excel) == {"result"} and as_excel["result"].startswith("PK")  # an xlsx (zip) as text
    with pytest.raises(APIError) as err:
        sdk.scenarios.export([a], export_type="pdf")
    assert "export_type" in err.value.response_body


def test_duplicate_within_and_across_own_projects(tenant, agent_id, personality_id, scenarist_server):
    sdk = tenant.sdk
    a = _make(sdk, agent_id, personality_id, "dup me", tags=["t"])["id"]
    copies = sdk.scenarios.duplicate([a], tenant.project_id, tenant.project_id)
    assert len(copies) == 1 and copies[0]["id"] != a
    assert Scenario.objects.filter(project_id=tenant.project_id, name="dup me").count() == 2

    child = sdk.projects.create(name="Staging")
    copies = sdk.scenarios.duplicate("all", tenant.project_id, child["id"])
    assert Scenario.objects.filter(project_id=child["id"]).count() == 2
    moved_agent = Agent.objects.get(project_id=child["id"])  # the agent came along, once
    assert moved_agent.tools.count() == 2 and Agent.objects.filter(project_id=tenant.project_id).count() == 1

    stranger = Project.objects.create(name="Someone else")
    with pytest.raises(APIError) as err:
        sdk.scenarios.duplicate([a], tenant.project_id, stranger.pk)
    assert "copy_to_project" in err.value.response_body
    assert not Scenario.objects.filter(project=stranger).exists()
    assert json.dumps(err.value.response_body).find("Someone else") == -1
