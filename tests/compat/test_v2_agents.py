"""v2 agents in-process: isolation and full-set semantics of nested lists."""

from __future__ import annotations

from scenarist.agents.models import Agent, KnowledgeBaseFile, MockTool

V2 = "/test_framework/v2/aiagents"


def test_another_projects_agent_is_404_on_every_v2_route(api, other_tenant):
    theirs = Agent.objects.create(project=other_tenant.project, agent_name="theirs", description="SECRET-PROMPT")
    for method, path in (("get", f"{V2}/{theirs.pk}/"), ("patch", f"{V2}/{theirs.pk}"), ("put", f"{V2}/{theirs.pk}"),
                         ("delete", f"{V2}/{theirs.pk}/"), ("post", f"{V2}/{theirs.pk}/duplicate"),
                         ("get", f"{V2}/{theirs.pk}/knowledge_base/")):
        r = getattr(api, method)(path, {"name": "x", "description": "y"}, format="json")
        assert r.status_code == 404, (method, path, r.status_code)
    assert "SECRET-PROMPT" not in api.get(f"{V2}/").content.decode()
    assert api.get(f"{V2}/short_list").json() == []
    assert api.get(f"{V2}/", {"project_id": other_tenant.project.pk}).json()["count"] == 0
    assert Agent.objects.get(pk=theirs.pk).agent_name == "theirs"


def test_nested_ids_of_another_agent_are_refused(api, tenant, other_tenant):
    mine = api.post(f"{V2}/", {"name": "Mine", "description": "d"}, format="json").json()
    theirs = Agent.objects.create(project=other_tenant.project, agent_name="theirs", description="d")
    tool = MockTool.objects.create(agent=theirs, name="their_tool")
    kb = KnowledgeBaseFile.objects.create(agent=theirs, file_name="a.txt", file_type="text/plain", file_size=1,
                                          sha256="0" * 64, content=b"x")
    r = api.patch(f"{V2}/{mine['id']}/", {"mock_tools": [{"id": tool.pk, "name": "stolen"}]}, format="json")
    assert r.status_code == 400 and "mock_tools" in r.json()
    r = api.patch(f"{V2}/{mine['id']}/", {"knowledge_base_files": [{"id": kb.pk}]}, format="json")
    assert r.status_code == 400 and "knowledge_base_files" in r.json()
    assert MockTool.objects.get(pk=tool.pk).name == "their_tool" and KnowledgeBaseFile.objects.filter(pk=kb.pk).exists()


def test_full_set_semantics_and_placeholders(api):
    body = {"name": "Desk", "description": "Hi {{clinic}}", "dynamic_variables": [{"name": "extra", "description": "e"}],
            "mock_tools": [{"name": "a"}, {"name": "b"}]}
    agent = api.post(f"{V2}/", body, format="json").json()
    assert {v["name"] for v in agent["dynamic_variables"]} == {"clinic", "extra"}
    agent = api.patch(f"{V2}/{agent['id']}/", {"dynamic_variables": [], "mock_tools": [{"name": "b"}]}, format="json").json()
    assert {v["name"] for v in agent["dynamic_variables"]} == {"clinic"}  # a {{placeholder}} stays
    assert [t["name"] for t in agent["mock_tools"]] == ["b"]
    r = api.post(f"{V2}/", {"name": "X", "description": "d", "mock_tools": [{"name": "a"}, {"name": "a"}]}, format="json")
    assert r.status_code == 400 and "listed twice" in str(r.json())
    r = api.post(f"{V2}/", {"name": "X", "description": "d", "provider": {"configure_from_provider": True}}, format="json")
    assert r.status_code == 400 and "provider.configure_from_provider" in r.json()
