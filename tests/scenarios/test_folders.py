"""Folder operations: create, list, rename, move, delete — paths of sub-folders and scenarios follow."""

import pytest
from rest_framework.exceptions import ValidationError

from scenarist.scenarios.models import Folder, Scenario
from scenarist.scenarios.services import ensure_folder_path, validate_folder_path

from .helpers import make_agent

BASE = "/test_framework/v1/scenarios/"


def _paths(project):
    return list(Folder.objects.filter(project=project).order_by("path").values_list("path", flat=True))


def _folder(api, name, parent=None):
    body = {"name": name, "project_id": 12345}  # project_id is accepted and ignored
    if parent:
        body["parent_path"] = parent
    return api.post(f"{BASE}create_folder/", body, format="json")


def _scenario(project, agent, name, folder_path):
    return Scenario.objects.create(project=project, agent=agent, name=name, folder_path=folder_path)


def test_create_folder_levels(api, tenant):
    r = _folder(api, "Billing")
    assert r.status_code == 201
    body = r.json()
    assert body["name"] == "Billing" and body["path"] == "Billing" and body["parent_path"] is None
    assert {"id", "created_at", "updated_at"} <= set(body)
    assert _folder(api, "Refunds", "Billing").json()["path"] == "Billing.Refunds"
    assert _folder(api, "X", "Missing").json() == {"parent_path": ["Folder 'Missing' does not exist."]}
    assert "name" in _folder(api, "Refunds", "Billing").json()  # duplicate
    assert "name" in _folder(api, "a.b").json()
    assert "name" in _folder(api, "x" * 101).json()
    assert "name" in api.post(f"{BASE}create_folder/", {}, format="json").json()


def test_list_folders_paginated_with_filters(api, tenant):
    ensure_folder_path(tenant.project, "A.B.C")
    ensure_folder_path(tenant.project, "A.D")
    ensure_folder_path(tenant.project, "Other")

    def paths(**params):
        body = api.get(f"{BASE}folders/", params).json()
        assert set(body) == {"count", "next", "previous", "results"}
        return [row["path"] for row in body["results"]]

    assert paths() == ["A", "A.B", "A.B.C", "A.D", "Other"]
    assert paths(parent_path="A") == ["A.B", "A.D"]
    assert paths(parent_path="") == ["A", "Other"]
    assert paths(search="oth") == ["Other"]
    assert api.get(f"{BASE}folders/", {"page_size": 2}).json()["next"]


def test_rename_rewrites_descendants_and_scenarios(api, tenant):
    agent = make_agent(tenant.project)
    ensure_folder_path(tenant.project, "A.B.C")
    ensure_folder_path(tenant.project, "AB")  # a sibling sharing a prefix must not move
    inside = _scenario(tenant.project, agent, "in", "A.B.C")
    sibling = _scenario(tenant.project, agent, "sib", "AB")
    r = api.post(f"{BASE}rename_folder/", {"path": "A", "name": "Z"}, format="json")
    assert r.status_code == 200 and r.json()["path"] == "Z" and r.json()["name"] == "Z"
    assert _paths(tenant.project) == ["AB", "Z", "Z.B", "Z.B.C"]
    inside.refresh_from_db(), sibling.refresh_from_db()
    assert inside.folder_path == "Z.B.C" and sibling.folder_path == "AB"
    r = api.post(f"{BASE}rename_folder/", {"path": "Z.B", "name": "AB"}, format="json")
    assert r.json()["path"] == "Z.AB"
    assert "path" in api.post(f"{BASE}rename_folder/", {"path": "ghost", "name": "x"}, format="json").json()
    assert "path" in api.post(f"{BASE}rename_folder/", {"path": "Z", "name": "AB"}, format="json").json()
    assert "name" in api.post(f"{BASE}rename_folder/", {"path": "Z", "name": "a.b"}, format="json").json()


def test_move_folder(api, tenant):
    agent = make_agent(tenant.project)
    ensure_folder_path(tenant.project, "A.B")
    ensure_folder_path(tenant.project, "T")
    moved = _scenario(tenant.project, agent, "s", "A.B")
    r = api.post(f"{BASE}move_folder/", {"path": "A", "new_parent_path": "T"}, format="json")
    assert r.status_code == 200 and r.json()["path"] == "T.A"
    assert _paths(tenant.project) == ["T", "T.A", "T.A.B"]
    moved.refresh_from_db()
    assert moved.folder_path == "T.A.B"
    r = api.post(f"{BASE}move_folder/", {"path": "T", "new_parent_path": "T.A.B"}, format="json")
    assert r.status_code == 400 and "new_parent_path" in r.json()
    r = api.post(f"{BASE}move_folder/", {"path": "T.A.B", "new_parent_path": ""}, format="json")
    assert r.json()["path"] == "B"
    moved.refresh_from_db()
    assert moved.folder_path == "B"


def test_delete_folder_deletes_subtree_and_scenarios(api, tenant):
    agent = make_agent(tenant.project)
    ensure_folder_path(tenant.project, "A.B")
    ensure_folder_path(tenant.project, "AB")
    gone = [_scenario(tenant.project, agent, "1", "A"), _scenario(tenant.project, agent, "2", "A.B")]
    kept = _scenario(tenant.project, agent, "3", "AB")
    r = api.post(f"{BASE}delete_folder/", {"path": "A"}, format="json")
    assert r.status_code == 204
    assert _paths(tenant.project) == ["AB"]
    assert not Scenario.objects.filter(pk__in=[s.pk for s in gone]).exists()
    assert Scenario.objects.filter(pk=kept.pk).exists()
    assert "path" in api.post(f"{BASE}delete_folder/", {"path": "A"}, format="json").json()


def test_folders_are_per_project(api, tenant, other_tenant):
    ensure_folder_path(other_tenant.project, "Secret.Inner")
    assert api.get(f"{BASE}folders/").json()["count"] == 0
    assert api.post(f"{BASE}delete_folder/", {"path": "Secret"}, format="json").status_code == 400
    assert api.post(f"{BASE}rename_folder/", {"path": "Secret", "name": "x"}, format="json").status_code == 400
    assert _folder(api, "Secret").status_code == 201  # same path, different project
    assert _paths(other_tenant.project) == ["Secret", "Secret.Inner"]


def test_ensure_folder_path_creates_parents_idempotently(tenant):
    ensure_folder_path(tenant.project, "x.y.z")
    ensure_folder_path(tenant.project, "x.y.z")
    assert _paths(tenant.project) == ["x", "x.y", "x.y.z"]
    assert Folder.objects.get(project=tenant.project, path="x.y").name == "y"


@pytest.mark.parametrize("bad", ["", ".a", "a.", "a..b", "a/b", " a", "a\tb", "x" * 101])
def test_validate_folder_path_rejects(bad):
    with pytest.raises(ValidationError):
        validate_folder_path(bad)


def test_validate_folder_path_accepts():
    assert validate_folder_path("Billing & Refunds.Q3 (2026)") == "Billing & Refunds.Q3 (2026)"
