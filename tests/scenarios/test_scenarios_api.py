"""`/scenarios/`: every contract field readable and writable, defaults, validation, filters, formats, isolation."""

import json
from urllib.parse import urlencode

import pytest

from scenarist.catalog.models import Personality
from scenarist.metrics.services import default_metric_ids
from scenarist.scenarios.models import Scenario
from scenarist.scenarios.services import ensure_folder_path

from .helpers import make_agent, make_kb_file

URL = "/test_framework/v1/scenarios/"


@pytest.fixture
def world(api, tenant):
    """An agent with a KB file, a test profile, a phone number and a folder."""
    agent = make_agent(tenant.project, language="de")
    kb = make_kb_file(agent)
    profile = api.post("/test_framework/v1/test-profiles/",
                       {"name": "P", "agent": agent.pk, "information": {"main_agent_variables": {"id": "1"}}},
                       format="json").json()
    phone = api.post("/test_framework/v1/phone-numbers/", {"number": "+14155550123"}, format="json").json()
    ensure_folder_path(tenant.project, "suite.smoke")
    return {"agent": agent, "kb": kb, "profile": profile, "phone": phone}


def _full_payload(world, tenant) -> dict:
    spanish = Personality.objects.get(project=None, name="Normal Spanish Male")
    return {
        "name": "Book a cleaning",
        "agent": world["agent"].pk,
        "personality": spanish.pk,
        "instructions": "You want a cleaning next Tuesday morning.",
        "expected_outcome_prompt": "The agent books Tuesday 9am.",
        "first_message": "Hi there",
        "scenario_language": "es",
        "scenario_type": "knowledge_base",
        "tags": ["smoke", "booking"],
        "tool_ids": ["TOOL_END_CALL", "TOOL_SEND_DTMF"],
        "metrics": default_metric_ids(tenant.project)[:2],
        "test_profile": world["profile"]["id"],
        "inbound_phone_number": world["phone"]["id"],
        "folder_path": "suite.smoke",
        "generated_mock_tool_entries": [
            {"tool_id": "t1", "tool_name": "lookup", "new_entry": {"input": {"phone": "1"}, "output": {"ok": True}}}
        ],
        "attack_type": None,
        "knowledge_base_sources": [{"file_id": world["kb"].pk, "file_name": "faq.txt", "quote": "Opening hours"}],
    }


def test_every_field_round_trips(api, tenant, world):
    payload = _full_payload(world, tenant)
    r = api.post(URL, payload, format="json")
    assert r.status_code == 201, r.json()
    row = api.get(f"{URL}{r.json()['id']}/").json()
    for key, value in payload.items():
        expected = ["TOOL_END_CALL", "TOOL_DTMF"] if key == "tool_ids" else value
        assert row[key] == expected, key
    assert row["personality_name"] == "Normal Spanish Male"
    assert row["metric_names"] == ["Expected Outcome", "Latency"]
    assert row["test_profile_data"] == {"id": world["profile"]["id"], "name": "P",
                                        "information": {"main_agent_variables": {"id": "1"}}}
    assert row["provenance"] == {} and row["created_at"] and row["updated_at"]


def test_defaults_on_minimal_create(api, world):
    r = api.post(URL, {"name": "Minimal", "agent": world["agent"].pk}, format="json")
    assert r.status_code == 201, r.json()
    row = r.json()
    assert row["personality_name"] == "Normal Male" and row["first_message"] == "Hello"
    assert row["scenario_language"] == "de"  # the agent's language, not a silent "en"
    assert row["metrics"] == [] and row["tags"] == [] and row["tool_ids"] == []
    assert row["folder_path"] is None and row["test_profile"] is None and row["attack_type"] is None


def test_update_and_delete(api, world):
    row = api.post(URL, {"name": "S", "agent": world["agent"].pk}, format="json").json()
    r = api.patch(f"{URL}{row['id']}/", {"tool_ids": ["VAPI_TOOL_END_CALL_ON_TRANSFER"], "scenario_language": "fr",
                                          "attack_type": "data_leak", "folder_path": ""}, format="json")
    assert r.status_code == 200, r.json()
    assert r.json()["tool_ids"] == ["TOOL_END_CALL_ONLY_ON_TRANSFER"] and r.json()["scenario_language"] == "fr"
    assert r.json()["attack_type"] == "data_leak" and r.json()["folder_path"] is None
    assert api.delete(f"{URL}{row['id']}/").status_code == 204
    assert not Scenario.objects.filter(pk=row["id"]).exists()


@pytest.mark.parametrize(
    ("patch", "field"),
    [
        ({"name": ""}, "name"),
        ({"name": "x" * 81}, "name"),
        ({"first_message": "x" * 1001}, "first_message"),
        ({"scenario_language": "xx"}, "scenario_language"),
        ({"scenario_type": "happy"}, "scenario_type"),
        ({"tool_ids": ["TOOL_FLY"]}, "tool_ids"),
        ({"folder_path": "nope"}, "folder_path"),
        ({"folder_path": "a..b"}, "folder_path"),
        ({"attack_type": "prank"}, "attack_type"),
        ({"generated_mock_tool_entries": [{"tool_name": "x", "new_entry": {"input": 1}}]}, "generated_mock_tool_entries"),
        ({"generated_mock_tool_entries": {"a": 1}}, "generated_mock_tool_entries"),
        ({"knowledge_base_sources": [{"file_id": 999999, "quote": "q"}]}, "knowledge_base_sources"),
        ({"knowledge_base_sources": [{"file_name": "x"}]}, "knowledge_base_sources"),
        ({"personality": None}, "personality"),
        ({"metrics": [999999]}, "metrics"),
    ],
)
def test_validation_names_the_field(api, world, patch, field):
    body = {"name": "S", "agent": world["agent"].pk, **patch}
    r = api.post(URL, body, format="json")
    assert r.status_code == 400 and field in r.json(), r.json()


def test_missing_folder_message_names_folder_path(api, world):
    r = api.post(URL, {"name": "S", "agent": world["agent"].pk, "folder_path": "ghost"}, format="json")
    assert r.json() == {"folder_path": ["Folder 'ghost' does not exist. Create it with create_folder first."]}


def test_profile_of_another_agent_is_rejected(api, tenant, world):
    other_agent = make_agent(tenant.project, "Other")
    r = api.post(URL, {"name": "S", "agent": other_agent.pk, "test_profile": world["profile"]["id"]}, format="json")
    assert r.status_code == 400 and "test_profile" in r.json()
    assert "agent" in api.post(URL, {"name": "S"}, format="json").json()


def test_filters_and_pagination(api, tenant, world):
    agent, other = world["agent"], make_agent(tenant.project, "Other")

    def mk(name, **extra):
        return api.post(URL, {"name": name, "agent": extra.pop("agent", agent.pk), **extra}, format="json").json()["id"]

    a = mk("a", tags=["x", "y"], folder_path="suite")
    b = mk("b", tags=["x"], folder_path="suite.smoke", scenario_type="red_teaming_text")
    c = mk("c", tags=["z"], agent=other.pk)

    def ids(**params):
        return [row["id"] for row in api.get(URL, {"page_size": 50, **params}).json()["results"]]

    assert ids(agent_id=agent.pk) == [a, b]
    assert ids(tags="x,z") == [a, b, c]
    assert ids(tags="x, y", tag_filter_type="and") == [a]
    assert ids(tags="x", tag_filter_type="not") == [c]
    assert ids(folder_path="suite") == [a]
    assert ids(folder_path="") == [c]
    assert ids(scenario_type="red_teaming_text") == [b]
    page = api.get(URL, {"page_size": 2}).json()
    assert page["count"] == 3 and len(page["results"]) == 2 and page["next"] and page["previous"] is None
    assert "tag_filter_type" in api.get(URL, {"tags": "x", "tag_filter_type": "xor"}).json()
    assert "agent_id" in api.get(URL, {"agent_id": "abc"}).json()


def test_json_form_and_multipart_create_the_same_row(api, tenant, world):
    payload = _full_payload(world, tenant)
    form = {k: v for k, v in payload.items() if v is not None}
    for key in ("generated_mock_tool_entries", "knowledge_base_sources"):
        form[key] = json.dumps(form[key])
    ids = [
        api.post(URL, payload, format="json").json()["id"],
        api.post(URL, form).json()["id"],  # multipart
        api.generic("POST", URL, urlencode(form, doseq=True), content_type="application/x-www-form-urlencoded")
        .json()["id"],
    ]
    rows = [api.get(f"{URL}{pk}/").json() for pk in ids]
    for row in rows:
        for key in ("id", "created_at", "updated_at"):
            row.pop(key)
    assert rows[0] == rows[1] == rows[2]
    assert rows[0]["tags"] == ["smoke", "booking"] and len(rows[0]["metrics"]) == 2


def test_isolation(api, tenant, other_tenant, world):
    theirs = other_tenant.client
    foreign_agent = make_agent(other_tenant.project)
    foreign_profile = theirs.post("/test_framework/v1/test-profiles/", {"name": "T"}, format="json").json()
    foreign_phone = theirs.post("/test_framework/v1/phone-numbers/", {"number": "+14155550999"}, format="json").json()
    foreign_personality = theirs.post("/test_framework/v1/personalities/", {"name": "T"}, format="json").json()
    foreign_metric = default_metric_ids(other_tenant.project)[0]
    foreign = theirs.post(URL, {"name": "Theirs", "agent": foreign_agent.pk}, format="json").json()
    assert api.get(URL).json()["count"] == 0
    for method in ("get", "patch", "put", "delete"):
        assert getattr(api, method)(f"{URL}{foreign['id']}/", {"name": "x"}, format="json").status_code == 404
    base = {"name": "Mine", "agent": world["agent"].pk}
    for field, value in (("agent", foreign_agent.pk), ("test_profile", foreign_profile["id"]),
                         ("inbound_phone_number", foreign_phone["id"]), ("personality", foreign_personality["id"]),
                         ("metrics", [foreign_metric])):
        r = api.post(URL, {**base, field: value}, format="json")
        assert r.status_code == 400 and field in r.json(), field
