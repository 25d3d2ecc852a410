"""Mock tools over HTTP: CRUD by name, validation of name/parameters/rows, form bodies."""

from __future__ import annotations

import json
from urllib.parse import urlencode

import pytest

from .helpers import BASE, make_agent

ROWS = [{"input": {"phone": "+15550001"}, "output": {"name": "Ann", "dob": "1990-01-02"}}]


@pytest.fixture
def tools_url(api):
    return f"{BASE}{make_agent(api)['id']}/tools/"


def tool_url(tools_url: str, name: str) -> str:
    return tools_url.replace("/tools/", f"/tool/{name}/")


def test_create_list_retrieve_patch_put_delete(api, tools_url):
    body = {"name": "lookup_patient", "description": "Find a patient", "parameters": {"type": "object"},
            "information": ROWS, "freetext_params": ["notes"]}  # fmt: skip
    r = api.post(tools_url, body, format="json")
    assert r.status_code == 201, r.content
    assert set(r.json()) == {"id", "name", "description", "parameters", "information", "freetext_params"}
    assert r.json()["information"] == ROWS
    listed = api.get(tools_url).json()
    assert listed["count"] == 1 and listed["results"][0]["name"] == "lookup_patient"
    url = tool_url(tools_url, "lookup_patient")
    assert api.get(url).json()["freetext_params"] == ["notes"]
    new_rows = [{"input": {"phone": "+1"}, "output": "not found"}]
    r = api.patch(url, {"information": new_rows}, format="json")
    assert r.json()["information"] == new_rows  # replaced, not merged
    assert r.json()["description"] == "Find a patient"
    r = api.put(url, {"name": "lookup patient v2"}, format="json")
    assert r.status_code == 200 and r.json()["name"] == "lookup patient v2"
    assert api.get(url).status_code == 404
    assert api.get(tool_url(tools_url, "lookup%20patient%20v2")).status_code == 200
    assert api.delete(tool_url(tools_url, "lookup%20patient%20v2")).status_code == 204
    assert api.get(tools_url).json()["count"] == 0


@pytest.mark.parametrize("name", ["", "a" * 64, "two  spaces", "名前", "bad!char", "dot.name", "tab\tname"])
def test_bad_names_are_400(api, tools_url, name):
    r = api.post(tools_url, {"name": name}, format="json")
    assert r.status_code == 400 and "name" in r.json()


def test_good_names(api, tools_url):
    for name in ["a" * 63, "get-slot_2", "Book Appointment Now"]:
        assert api.post(tools_url, {"name": name}, format="json").status_code == 201


def test_duplicate_name_is_400_also_on_rename(api, tools_url):
    api.post(tools_url, {"name": "one"}, format="json")
    api.post(tools_url, {"name": "two"}, format="json")
    r = api.post(tools_url, {"name": "one"}, format="json")
    assert r.status_code == 400 and "already exists" in r.json()["name"][0]
    r = api.patch(tool_url(tools_url, "two"), {"name": "one"}, format="json")
    assert r.status_code == 400 and "name" in r.json()


def test_same_name_allowed_on_another_agent(api, tools_url):
    other = f"{BASE}{make_agent(api)['id']}/tools/"
    api.post(tools_url, {"name": "shared"}, format="json")
    assert api.post(other, {"name": "shared"}, format="json").status_code == 201


@pytest.mark.parametrize(
    "information, fragment",
    [
        ("not a list", "list"),
        ([{"input": 1, "output": 2}, "row"], "Row 1"),
        ([{"input": 1}], "Row 0: missing key(s) 'output'"),
        ([{"input": 1, "output": 2}, {"input": 1, "output": 2, "extra": 3}], "Row 1: unknown key(s) 'extra'"),
    ],
)
def test_information_shape_errors_name_the_row(api, tools_url, information, fragment):
    r = api.post(tools_url, {"name": "t", "information": information}, format="json")
    assert r.status_code == 400
    assert any(fragment in message for message in r.json()["information"]), r.json()


@pytest.mark.parametrize("parameters", [[1, 2], "a string", 5])
def test_parameters_must_be_an_object(api, tools_url, parameters):
    r = api.post(tools_url, {"name": "t", "parameters": parameters}, format="json")
    assert r.status_code == 400 and "parameters" in r.json()


def test_freetext_params_must_be_strings_list(api, tools_url):
    r = api.post(tools_url, {"name": "t", "freetext_params": "notes"}, format="json")
    assert r.status_code == 400 and "freetext_params" in r.json()


def test_form_and_multipart_bodies_accept_json_strings(api, tools_url):
    form = {"name": "form_tool", "parameters": json.dumps({"type": "object"}), "information": json.dumps(ROWS),
            "freetext_params": ["a", "b"]}  # fmt: skip
    r = api.post(tools_url, form)  # multipart, repeated keys for the list
    assert r.status_code == 201, r.content
    assert (r.json()["parameters"], r.json()["information"], r.json()["freetext_params"]) == (
        {"type": "object"}, ROWS, ["a", "b"])  # fmt: skip
    encoded = urlencode({"name": "urlenc", "information": json.dumps(ROWS), "freetext_params": '["x"]', "parameters": ""})
    r = api.generic("POST", tools_url, encoded, content_type="application/x-www-form-urlencoded")
    assert r.status_code == 201, r.content
    assert r.json()["information"] == ROWS and r.json()["freetext_params"] == ["x"] and r.json()["parameters"] is None


@pytest.mark.parametrize("field", ["parameters", "information", "freetext_params"])
def test_form_json_that_does_not_parse_is_400(api, tools_url, field):
    r = api.post(tools_url, {"name": "t", field: "[{not json"})
    assert r.status_code == 400 and r.json()[field] == ["Value must be valid JSON."]


def test_tool_lists_are_paginated(api, tools_url):
    for i in range(3):
        api.post(tools_url, {"name": f"t{i}"}, format="json")
    page = api.get(tools_url, {"page_size": 2, "page": 2}).json()
    assert page["count"] == 3 and [t["name"] for t in page["results"]] == ["t2"]
