"""Another project's key gets 404 on every route of this project's agent and never sees it listed."""

from __future__ import annotations

import base64

import pytest

from scenarist.agents.models import Agent, DynamicVariable, KnowledgeBaseFile, MockTool

from .helpers import BASE, make_agent


@pytest.fixture
def victim(api):
    """An agent of the main project with one tool, one variable and one KB file."""
    agent = make_agent(api, assistant_id="asst_victim_0001")
    url = f"{BASE}{agent['id']}/"
    api.post(f"{url}tools/", {"name": "secret_tool"}, format="json")
    var = api.post(f"{url}dynamic-variables/", {"name": "secret_var"}, format="json").json()[0]
    kb = api.post(f"{url}upload_knowledge_base/", {"name": "s.txt", "content_base64": base64.b64encode(b"secret").decode()},
                  format="json").json()["results"][0]  # fmt: skip
    return {"url": url, "id": agent["id"], "var_id": var["id"], "file_id": kb["id"]}


def routes(v) -> list[tuple[str, str, dict | None]]:
    u = v["url"]
    return [
        ("get", u, None),
        ("put", u, {"agent_name": "x", "description": "y"}),
        ("patch", u, {"agent_name": "x"}),
        ("delete", u, None),
        ("get", f"{u}tools/", None),
        ("post", f"{u}tools/", {"name": "intruder"}),
        ("get", f"{u}tool/secret_tool/", None),
        ("patch", f"{u}tool/secret_tool/", {"description": "x"}),
        ("put", f"{u}tool/secret_tool/", {"name": "secret_tool"}),
        ("delete", f"{u}tool/secret_tool/", None),
        ("get", f"{u}dynamic-variables/", None),
        ("post", f"{u}dynamic-variables/", {"name": "intruder"}),
        ("get", f"{u}dynamic-variable/{v['var_id']}/", None),
        ("patch", f"{u}dynamic-variable/{v['var_id']}/", {"description": "x"}),
        ("delete", f"{u}dynamic-variable/{v['var_id']}/", None),
        ("post", f"{u}upload_knowledge_base/", {"name": "i.txt", "content_base64": "aGk="}),
        ("get", f"{u}knowledge_base/", None),
        ("get", f"{u}knowledge_base/{v['file_id']}/", None),
        ("delete", f"{u}knowledge_base/{v['file_id']}/", None),
        ("delete", f"{u}delete_knowledge_base/", None),
    ]


def test_every_route_is_404_for_another_project(victim, other_tenant):
    client = other_tenant.client
    for method, url, body in routes(victim):
        r = getattr(client, method)(url, body, format="json") if body is not None else getattr(client, method)(url)
        assert r.status_code == 404, (method, url, r.status_code)
        assert "secret" not in r.content.decode()
    # Nothing changed.
    assert Agent.objects.filter(pk=victim["id"], agent_name="Clinic desk").exists()
    assert MockTool.objects.filter(agent_id=victim["id"]).count() == 1
    assert DynamicVariable.objects.filter(agent_id=victim["id"], name="secret_var").exists()
    assert KnowledgeBaseFile.objects.filter(agent_id=victim["id"]).count() == 1


def test_lists_and_filters_never_show_it(victim, other_tenant):
    client = other_tenant.client
    assert client.get(BASE).json()["count"] == 0
    assert client.get(BASE, {"q": str(victim["id"])}).json()["count"] == 0
    assert client.get(BASE, {"assistant_id": "asst_victim_0001"}).json()["count"] == 0


def test_owner_still_sees_everything(api, victim):
    assert api.get(victim["url"]).status_code == 200
    assert api.get(f"{victim['url']}tool/secret_tool/").status_code == 200
    assert api.get(f"{victim['url']}knowledge_base/{victim['file_id']}/").status_code == 200
