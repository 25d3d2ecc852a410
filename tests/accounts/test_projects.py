"""Project create/delete rules of /user/v1/projects/."""

from __future__ import annotations

from rest_framework.test import APIClient

from scenarist.accounts.models import Project
from scenarist.accounts.views import MAX_CHILD_PROJECTS

URL = "/user/v1/projects"


def test_create_needs_a_name_and_returns_a_working_key(api, tenant):
    assert "name" in api.post(URL, {}, format="json").json()
    child = api.post(URL, {"name": "Child"}, format="json").json()
    other = APIClient()
    other.credentials(HTTP_X_CEKURA_API_KEY=child["api_key"])
    assert [p["id"] for p in other.get(URL).json()["results"]] == [child["id"]]
    assert other.post(URL, {"name": "Grandchild"}, format="json").status_code == 403
    assert other.delete(f"{URL}/{child['id']}").status_code == 400  # not its own project
    assert other.delete(f"{URL}/{tenant.project.pk}").status_code == 404  # the parent is invisible to it


def test_create_is_capped(api, tenant):
    Project.objects.bulk_create([Project(name=f"c{i}", parent=tenant.project) for i in range(MAX_CHILD_PROJECTS)])
    r = api.post(URL, {"name": "one too many"}, format="json")
    assert r.status_code == 400 and Project.objects.filter(parent=tenant.project).count() == MAX_CHILD_PROJECTS
