"""Dynamic variables over HTTP: list, upsert (one or many), patch, delete, name rules."""

from __future__ import annotations

import pytest

from scenarist.agents.models import DynamicVariable

from .helpers import BASE, make_agent


@pytest.fixture
def agent(api):
    return make_agent(api, description="Greet {{caller_name}}.")


def vars_url(agent) -> str:
    return f"{BASE}{agent['id']}/dynamic-variables/"


def var_url(agent, var_id) -> str:
    return f"{BASE}{agent['id']}/dynamic-variable/{var_id}/"


def test_list_is_a_bare_array_with_detected_variable(api, agent):
    body = api.get(vars_url(agent)).json()
    assert body == [{"id": body[0]["id"], "name": "caller_name", "description": "", "auto_detected": True}]


def test_upsert_one_object_returns_full_list(api, agent):
    r = api.post(vars_url(agent), {"name": "account_id", "description": "8-digit id"}, format="json")
    assert r.status_code == 200
    assert [(v["name"], v["description"]) for v in r.json()] == [("caller_name", ""), ("account_id", "8-digit id")]


def test_upsert_array_matches_by_name(api, agent):
    r = api.post(
        vars_url(agent),
        [{"name": "caller_name", "description": "first name"}, {"name": "plan", "description": "gold|silver"}],
        format="json",
    )
    assert r.status_code == 200
    by_name = {v["name"]: v for v in r.json()}
    assert by_name["caller_name"]["description"] == "first name"
    assert by_name["caller_name"]["auto_detected"] is False  # now user-owned
    assert DynamicVariable.objects.filter(agent_id=agent["id"]).count() == 2


def test_upsert_by_form_body(api, agent):
    r = api.post(vars_url(agent), {"name": "zip_code", "description": "5 digits"})
    assert r.status_code == 200 and "zip_code" in [v["name"] for v in r.json()]


@pytest.mark.parametrize("name", ["1abc", "has-dash", "sp ace", "", "é"])
def test_bad_names_are_400(api, agent, name):
    r = api.post(vars_url(agent), {"name": name}, format="json")
    assert r.status_code == 400 and "name" in r.json()


def test_bad_item_in_array_names_its_index_and_saves_nothing(api, agent):
    r = api.post(vars_url(agent), [{"name": "ok_one"}, {"name": "9bad"}], format="json")
    assert r.status_code == 400
    assert r.json()["name"][0].startswith("Item 1:")
    assert not DynamicVariable.objects.filter(name="ok_one").exists()


def test_empty_array_is_400(api, agent):
    assert api.post(vars_url(agent), [], format="json").status_code == 400


def test_patch_and_delete(api, agent):
    var_id = api.get(vars_url(agent)).json()[0]["id"]
    r = api.patch(var_url(agent, var_id), {"description": "Caller's first name"}, format="json")
    assert r.status_code == 200 and r.json()["description"] == "Caller's first name"
    r = api.patch(var_url(agent, var_id), {"name": "first_name"}, format="json")
    assert r.json()["name"] == "first_name"
    assert api.patch(var_url(agent, var_id), {"name": "bad name"}, format="json").status_code == 400
    assert api.delete(var_url(agent, var_id)).status_code == 204
    assert api.get(var_url(agent, var_id)).status_code == 404


def test_rename_onto_existing_name_is_400(api, agent):
    api.post(vars_url(agent), {"name": "other"}, format="json")
    var_id = api.get(vars_url(agent)).json()[0]["id"]
    r = api.patch(var_url(agent, var_id), {"name": "other"}, format="json")
    assert r.status_code == 400 and "already exists" in r.json()["name"][0]


def test_variable_of_another_agent_is_404(api, agent):
    other = make_agent(api, description="no vars")
    var_id = api.get(vars_url(agent)).json()[0]["id"]
    assert api.patch(var_url(other, var_id), {"description": "x"}, format="json").status_code == 404
