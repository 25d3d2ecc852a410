"""Agent CRUD over HTTP: validation, filters, pagination, body formats, placeholder detection."""

from __future__ import annotations

import pytest

from scenarist.agents.models import Agent, DynamicVariable

from .helpers import BASE, make_agent

FIELDS = {
    "id", "agent_name", "project", "description", "assistant_id", "language", "inbound", "contact_number",
    "agent_gives_first_message", "knowledge_base_files", "dynamic_variables", "created_at", "updated_at",
}  # fmt: skip


def test_create_returns_every_field_with_defaults(api, tenant):
    body = make_agent(api)
    assert set(body) == FIELDS
    assert body["project"] == tenant.project.pk
    assert body["language"] == "en"
    assert body["inbound"] is True
    assert body["agent_gives_first_message"] is None
    assert body["knowledge_base_files"] == []
    assert body["dynamic_variables"] == ["clinic_name"]


def test_retrieve_update_patch_delete(api):
    agent = make_agent(api)
    url = f"{BASE}{agent['id']}/"
    assert api.get(url).json()["agent_name"] == "Clinic desk"
    r = api.put(url, {"agent_name": "Renamed", "description": "New prompt", "language": "es"}, format="json")
    assert r.status_code == 200, r.content
    assert (r.json()["agent_name"], r.json()["language"]) == ("Renamed", "es")
    r = api.patch(url, {"contact_number": "+14155550100", "agent_gives_first_message": True}, format="json")
    assert r.status_code == 200
    assert r.json()["language"] == "es"  # PATCH keeps what it does not mention
    assert r.json()["contact_number"] == "+14155550100"
    assert r.json()["agent_gives_first_message"] is True
    assert api.delete(url).status_code == 204
    assert api.get(url).status_code == 404


@pytest.mark.parametrize(
    "body, field",
    [
        ({"description": "x"}, "agent_name"),
        ({"agent_name": "a"}, "description"),
        ({"agent_name": "a", "description": "   "}, "description"),
        ({"agent_name": "a", "description": "x", "language": "xx"}, "language"),
        ({"agent_name": "a", "description": "x", "contact_number": "4155550100"}, "contact_number"),
        ({"agent_name": "a", "description": "x", "contact_number": "+1234"}, "contact_number"),
        ({"agent_name": "a", "description": "x", "contact_number": "+" + "1" * 30}, "contact_number"),
        ({"agent_name": "a" * 256, "description": "x"}, "agent_name"),
        ({"agent_name": "a", "description": "x", "inbound": "maybe"}, "inbound"),
    ],
)
def test_invalid_create_is_400_naming_the_field(api, body, field):
    r = api.post(BASE, body, format="json")
    assert r.status_code == 400
    assert field in r.json() and isinstance(r.json()[field], list)


def test_language_accepts_all_43_codes_including_multi(api):
    from scenarist.agents.languages import AGENT_LANGUAGES

    assert len(AGENT_LANGUAGES) == 43
    assert make_agent(api, language="multi")["language"] == "multi"
    assert make_agent(api, language="PT")["language"] == "pt"


def test_read_only_fields_are_ignored_on_write(api, tenant, other_tenant):
    body = make_agent(api, project=other_tenant.project.pk, knowledge_base_files=[1], dynamic_variables=["x"], id=999)
    assert body["project"] == tenant.project.pk
    assert body["knowledge_base_files"] == []
    assert body["id"] != 999


def test_json_form_and_multipart_create_the_same_row(api):
    fields = {
        "agent_name": "Same",
        "description": "Prompt with {{account_id}}",
        "assistant_id": "asst_1234567890",
        "language": "de",
        "inbound": "false",
        "contact_number": "+4930123456",
        "agent_gives_first_message": "true",
    }
    json_body = {**fields, "inbound": False, "agent_gives_first_message": True}
    ids = [
        api.post(BASE, json_body, format="json").json()["id"],
        api.post(BASE, fields).json()["id"],  # multipart (APIClient's default)
        api.generic("POST", BASE, "&".join(f"{k}={v.replace('+', '%2B').replace(' ', '+')}" for k, v in fields.items()),
                    content_type="application/x-www-form-urlencoded").json()["id"],
    ]
    keys = ["agent_name", "description", "assistant_id", "language", "inbound", "contact_number", "agent_gives_first_message"]
    rows = [Agent.objects.values(*keys).get(pk=pk) for pk in ids]
    assert rows[0] == rows[1] == rows[2]
    assert rows[0]["inbound"] is False and rows[0]["agent_gives_first_message"] is True
    assert all(DynamicVariable.objects.filter(agent_id=pk, name="account_id").exists() for pk in ids)


def test_omitted_booleans_take_model_defaults_in_every_body_format(api):
    body = {"agent_name": "Defaults", "description": "d"}
    ids = [api.post(BASE, body, format="json").json()["id"], api.post(BASE, body).json()["id"],
           api.generic("POST", BASE, "agent_name=Defaults&description=d",
                       content_type="application/x-www-form-urlencoded").json()["id"]]  # fmt: skip
    rows = list(Agent.objects.filter(pk__in=ids).values_list("inbound", "agent_gives_first_message", "language"))
    assert rows == [(True, None, "en")] * 3
    r = api.patch(f"{BASE}{ids[1]}/", {"inbound": "false"})  # multipart PATCH changes only what it sends
    assert r.json()["inbound"] is False and r.json()["agent_gives_first_message"] is None


def test_placeholders_become_auto_detected_variables(api):
    agent = make_agent(api, description="Hi {{ first_name }}, account {{account_id}} / {{first_name}} {{ bad-name }}")
    rows = list(DynamicVariable.objects.filter(agent_id=agent["id"]).values_list("name", "auto_detected"))
    assert rows == [("first_name", True), ("account_id", True)]


def test_description_changes_sync_auto_variables_and_keep_manual_ones(api):
    agent = make_agent(api, description="Use {{old_var}} and {{kept}}")
    url = f"{BASE}{agent['id']}/"
    api.post(f"{url}dynamic-variables/", {"name": "manual_one", "description": "typed by a user"}, format="json")
    kept = DynamicVariable.objects.get(agent_id=agent["id"], name="kept")
    r = api.patch(url, {"description": "Use {{kept}} and {{new_var}}"}, format="json")
    assert sorted(r.json()["dynamic_variables"]) == ["kept", "manual_one", "new_var"]
    assert DynamicVariable.objects.get(agent_id=agent["id"], name="kept").pk == kept.pk  # untouched
    # A user-edited variable is not removed when its placeholder disappears.
    api.patch(f"{url}dynamic-variable/{kept.pk}/", {"description": "edited"}, format="json")
    r = api.patch(url, {"description": "No placeholders now"}, format="json")
    assert sorted(r.json()["dynamic_variables"]) == ["kept", "manual_one"]


def test_list_is_paginated_newest_first(api):
    ids = [make_agent(api, agent_name=f"A{i}")["id"] for i in range(5)]
    page1 = api.get(BASE, {"page_size": 2}).json()
    assert set(page1) == {"count", "next", "previous", "results"}
    assert page1["count"] == 5 and page1["previous"] is None and "page=2" in page1["next"]
    assert [a["id"] for a in page1["results"]] == ids[::-1][:2]
    page3 = api.get(BASE, {"page_size": 2, "page": 3}).json()
    assert [a["id"] for a in page3["results"]] == [ids[0]] and page3["next"] is None
    assert api.get(BASE, {"page": 99}).status_code == 404


def test_q_searches_names_and_numeric_ids(api):
    a = make_agent(api, agent_name="Dental front desk")
    b = make_agent(api, agent_name="Pizza orders")
    assert [x["id"] for x in api.get(BASE, {"q": "dental"}).json()["results"]] == [a["id"]]
    by_id = [x["id"] for x in api.get(BASE, {"q": str(b["id"])}).json()["results"]]
    assert by_id == [b["id"]]  # neither name contains a digit, so only the id can match


def test_assistant_id_filter(api):
    a = make_agent(api, assistant_id="asst_aaaaaaaaaa")
    make_agent(api, assistant_id="asst_bbbbbbbbbb")
    assert [x["id"] for x in api.get(BASE, {"assistant_id": "asst_aaaaaaaaaa"}).json()["results"]] == [a["id"]]


def test_null_optional_strings_are_stored_blank(api):
    body = make_agent(api, assistant_id=None, contact_number=None)
    assert body["assistant_id"] == "" and body["contact_number"] == ""


def test_missing_key_is_401(anon, db):
    assert anon.get(BASE).status_code == 401
