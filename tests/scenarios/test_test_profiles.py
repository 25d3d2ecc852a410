"""`/test-profiles/`: CRUD (create answers 200), information shapes, agent filter, isolation."""

import json

from .helpers import make_agent

URL = "/test_framework/v1/test-profiles/"
SECTIONED = {"main_agent_variables": {"user_id": "U-42"},
             "testing_agent_variables": {"customer_name": "John Doe", "date_of_birth": "1986-04-12"}}


def test_crud(api, tenant):
    agent = make_agent(tenant.project)
    r = api.post(URL, {"name": "John", "agent": agent.pk, "information": SECTIONED}, format="json")
    assert r.status_code == 200, r.json()
    row = r.json()
    assert row["information"] == SECTIONED and row["project"] == tenant.project.pk and row["scenarios"] == []
    assert api.get(URL).json() == [row]
    r = api.patch(f"{URL}{row['id']}/", {"information": {"phone": "+14155550100"}}, format="json")
    assert r.status_code == 200 and r.json()["information"] == {"phone": "+14155550100"}  # flat legacy dict
    assert api.delete(f"{URL}{row['id']}/").status_code == 204


def test_information_must_be_objects(api):
    for bad in ([1, 2], "text", {"main_agent_variables": []}, {"testing_agent_variables": "x"}):
        r = api.post(URL, {"name": "Bad", "information": bad}, format="json")
        assert r.status_code == 400 and "information" in r.json(), bad
    assert "name" in api.post(URL, {}, format="json").json()


def test_form_body_takes_information_as_json_string(api):
    r = api.post(URL, {"name": "Form", "information": json.dumps(SECTIONED)})
    assert r.status_code == 200 and r.json()["information"] == SECTIONED
    r = api.post(URL, {"name": "Form", "information": "{not json"})
    assert r.status_code == 400 and "information" in r.json()


def test_agent_filter(api, tenant):
    a, b = make_agent(tenant.project, "A"), make_agent(tenant.project, "B")
    pa = api.post(URL, {"name": "PA", "agent": a.pk}, format="json").json()
    api.post(URL, {"name": "PB", "agent": b.pk}, format="json")
    api.post(URL, {"name": "Project-wide"}, format="json")
    assert [row["id"] for row in api.get(URL, {"agent_id": a.pk}).json()] == [pa["id"]]
    assert len(api.get(URL).json()) == 3


def test_isolation(api, tenant, other_tenant):
    foreign_agent = make_agent(other_tenant.project)
    foreign = other_tenant.client.post(URL, {"name": "Theirs"}, format="json").json()
    assert api.get(URL).json() == []
    for method in ("get", "patch", "delete"):
        assert getattr(api, method)(f"{URL}{foreign['id']}/", {}, format="json").status_code == 404
    r = api.post(URL, {"name": "Mine", "agent": foreign_agent.pk}, format="json")
    assert r.status_code == 400 and "agent" in r.json()
