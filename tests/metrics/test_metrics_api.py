"""`/metrics/` CRUD, validation, filters, pagination, body formats and isolation."""

import json

import pytest

from scenarist.metrics.models import Metric

from ..scenarios.helpers import make_agent

URL = "/test_framework/v1/metrics/"


def _create(api, payload, fmt="json"):
    return api.post(URL, payload, format=fmt) if fmt else api.post(URL, payload)


def test_create_read_update_delete(api, tenant):
    agent = make_agent(tenant.project)
    r = api.post(URL, {"name": "Politeness", "description": "Was the agent polite?", "agents": [agent.pk]},
                 format="json")
    assert r.status_code == 201, r.json()
    row = r.json()
    assert row["type"] == "llm_judge" and row["eval_type"] == "binary" and row["evaluation_trigger"] == "always"
    assert row["project"] == tenant.project.pk and row["agents"] == [agent.pk] and row["is_default"] is False
    assert api.get(f"{URL}{row['id']}/").json()["name"] == "Politeness"
    r = api.put(f"{URL}{row['id']}/", {"name": "Courtesy", "eval_type": "numeric"}, format="json")
    assert r.status_code == 200 and r.json()["eval_type"] == "numeric"
    assert api.delete(f"{URL}{row['id']}/").status_code == 204
    assert api.get(f"{URL}{row['id']}/").status_code == 404


@pytest.mark.parametrize("legacy", ["binary_qualitative", "binary_workflow_adherence"])
def test_legacy_eval_types_are_stored_as_binary(api, legacy):
    r = api.post(URL, {"name": "Legacy", "eval_type": legacy}, format="json")
    assert r.status_code == 201 and r.json()["eval_type"] == "binary"
    assert Metric.objects.get(pk=r.json()["id"]).eval_type == "binary"


@pytest.mark.parametrize("deprecated", ["basic", "custom_prompt"])
def test_deprecated_types_are_rejected(api, deprecated):
    r = api.post(URL, {"name": "Old", "type": deprecated}, format="json")
    assert r.status_code == 400
    assert "deprecated" in r.json()["type"][0]


def test_validation_rules(api):
    assert api.post(URL, {}, format="json").json() == {"name": ["This field is required."]}
    r = api.post(URL, {"name": "Mood", "eval_type": "enum"}, format="json")
    assert r.status_code == 400 and "enum_values" in r.json()
    r = api.post(URL, {"name": "Mood", "eval_type": "enum", "enum_values": ["a", "a"]}, format="json")
    assert "enum_values" in r.json()
    r = api.post(URL, {"name": "Mood", "eval_type": "enum", "enum_values": ["calm", "upset"]}, format="json")
    assert r.status_code == 201 and r.json()["enum_values"] == ["calm", "upset"]
    assert "eval_type" in api.post(URL, {"name": "X", "eval_type": "fuzzy"}, format="json").json()
    assert "evaluation_trigger" in api.post(URL, {"name": "X", "evaluation_trigger": "never"}, format="json").json()
    assert "custom_code" in api.post(URL, {"name": "X", "type": "custom_code"}, format="json").json()
    r = api.post(URL, {"name": "X", "evaluation_trigger": "custom"}, format="json")
    assert "evaluation_trigger_prompt" in r.json()


def test_patch_to_enum_checks_existing_values(api):
    row = api.post(URL, {"name": "Plain"}, format="json").json()
    r = api.patch(f"{URL}{row['id']}/", {"eval_type": "enum"}, format="json")
    assert r.status_code == 400 and "enum_values" in r.json()


def test_filters_and_pagination(api, tenant):
    agent_a, agent_b = make_agent(tenant.project, "A"), make_agent(tenant.project, "B")
    only_a = api.post(URL, {"name": "Only A", "agents": [agent_a.pk]}, format="json").json()
    api.post(URL, {"name": "Only B", "agents": [agent_b.pk]}, format="json")
    listed = api.get(URL, {"agent_id": agent_a.pk, "page_size": 100}).json()
    names = [row["name"] for row in listed["results"]]
    assert "Only A" in names and "Only B" not in names
    assert "Latency" in names  # project-wide defaults apply to every agent
    custom = api.get(URL, {"is_default": "false"}).json()
    assert [row["id"] for row in custom["results"]] == [only_a["id"], only_a["id"] + 1]
    page = api.get(URL, {"page_size": 5, "page": 2}).json()
    assert page["count"] == 12 and len(page["results"]) == 5 and page["previous"] and page["next"]
    assert "agent_id" in api.get(URL, {"agent_id": "x"}).json()


def test_json_form_and_multipart_create_the_same_row(api, tenant):
    agent = make_agent(tenant.project)
    payload = {"name": "Tone", "description": "Judge tone.", "eval_type": "enum", "enum_values": ["warm", "cold"],
               "agents": [agent.pk], "evaluation_trigger": "custom", "evaluation_trigger_prompt": "Only long calls."}
    ids = [
        api.post(URL, payload, format="json").json()["id"],
        api.post(URL, payload).json()["id"],  # multipart (APIClient's default)
        api.generic("POST", URL, _urlencode(payload), content_type="application/x-www-form-urlencoded").json()["id"],
    ]
    rows = [_comparable(api.get(f"{URL}{pk}/").json()) for pk in ids]
    assert rows[0] == rows[1] == rows[2]
    assert rows[0]["enum_values"] == ["warm", "cold"] and rows[0]["agents"] == [agent.pk]


def _urlencode(payload: dict) -> str:
    from urllib.parse import urlencode

    return urlencode(payload, doseq=True)


def _comparable(row: dict) -> dict:
    return {k: v for k, v in row.items() if k not in ("id", "created_at", "updated_at")}


def test_isolation(api, tenant, other_tenant):
    foreign_agent = make_agent(other_tenant.project)
    foreign = other_tenant.client.post(URL, {"name": "Theirs"}, format="json").json()
    listed = api.get(URL, {"page_size": 500}).json()["results"]
    assert foreign["id"] not in [row["id"] for row in listed]
    for method in ("get", "patch", "put", "delete"):
        assert getattr(api, method)(f"{URL}{foreign['id']}/", {"name": "x"}, format="json").status_code == 404
    r = api.post(URL, {"name": "Mine", "agents": [foreign_agent.pk]}, format="json")
    assert r.status_code == 400
    assert r.json()["agents"] == [f'Invalid pk "{foreign_agent.pk}" - object does not exist.']
    assert json.dumps(r.json()).find("Tenant B") == -1
