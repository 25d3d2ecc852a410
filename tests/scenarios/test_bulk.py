"""Bulk scenario actions stay inside the caller's project: foreign ids are missing ids, nothing else changes."""

from __future__ import annotations

import pytest

from scenarist.agents.models import Agent
from scenarist.metrics.models import Metric
from scenarist.scenarios.models import Scenario

API = "/test_framework/v1/scenarios"


@pytest.fixture
def rows(tenant, other_tenant):
    """One scenario in each project, and a metric of the other project."""
    mine = Agent.objects.create(project=tenant.project, agent_name="mine", description="d")
    theirs = Agent.objects.create(project=other_tenant.project, agent_name="theirs", description="d")
    return {
        "mine": Scenario.objects.create(project=tenant.project, agent=mine, name="mine", tags=["a"]),
        "theirs": Scenario.objects.create(project=other_tenant.project, agent=theirs, name="theirs", tags=["secret"]),
        "their_metric": Metric.objects.create(project=other_tenant.project, name="their metric"),
    }


def test_foreign_ids_are_refused_and_untouched(api, rows):
    mine, theirs = rows["mine"].pk, rows["theirs"].pk
    for action, body in (("delete_scenarios", {"scenarios": [mine, theirs]}),
                         ("add_tags", {"scenarios": [theirs], "tags": ["x"]}),
                         ("adv_update", {"scenarios": [theirs], "first_message": "hi"}),
                         ("duplicate", {"scenarios": [theirs]})):
        r = api.post(f"{API}/{action}", body, format="json")
        assert r.status_code == 400, (action, r.content)
        assert f"[{theirs}]" in str(r.json())  # named as missing, nothing about its content
    r = api.post(f"{API}/adv_update", {"scenarios": [mine], "metric_ids_to_add": [rows["their_metric"].pk]}, format="json")
    assert r.status_code == 400 and "metric_ids_to_add" in r.json()
    assert Scenario.objects.filter(pk__in=[mine, theirs]).count() == 2
    assert Scenario.objects.get(pk=theirs).tags == ["secret"] and Scenario.objects.get(pk=mine).first_message == "Hello"
    assert api.get(f"{API}/tags").json() == ["a"]
    r = api.get(f"{API}/export_scenarios", {"scenario_ids": f"{theirs}", "export_type": "json"})
    assert r.status_code == 400


def test_bulk_bodies_are_validated_with_field_names(api, rows):
    assert "scenarios" in api.post(f"{API}/delete_scenarios", {}, format="json").json()
    assert "tags" in api.post(f"{API}/add_tags", {"scenarios": [rows["mine"].pk]}, format="json").json()
    r = api.post(f"{API}/adv_update", {"scenarios": [rows["mine"].pk], "folder_path": "nowhere"}, format="json")
    assert r.status_code == 400 and "folder_path" in r.json()
    r = api.post(f"{API}/duplicate", {"scenarios": "no-such-folder"}, format="json")
    assert r.status_code == 400 and "scenarios" in r.json()


def test_export_formats(api, rows):
    import csv
    import io
    import zipfile

    mine = rows["mine"].pk
    r = api.get(f"{API}/export_scenarios", {"scenario_ids": str(mine)})
    assert r["Content-Type"].startswith("text/csv")
    assert list(csv.DictReader(io.StringIO(r.content.decode())))[0]["name"] == "mine"
    assert api.get(f"{API}/export_scenarios", {"export_type": "json"}).json()[0]["id"] == mine  # all of the project's
    r = api.get(f"{API}/export_scenarios", {"scenario_ids": str(mine), "export_type": "excel"})
    assert r.status_code == 200 and r["Content-Type"].startswith("application/vnd.openxml")
    with zipfile.ZipFile(io.BytesIO(r.content)) as book:
        strings = book.read("xl/sharedStrings.xml").decode()
    assert "instructions" in strings and ">mine<" in strings and "theirs" not in strings
    r = api.get(f"{API}/export_scenarios", {"export_type": "pdf"})
    assert r.status_code == 400 and "export_type" in r.json()
