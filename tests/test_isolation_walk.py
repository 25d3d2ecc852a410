"""Walks every routed endpoint with a second project's key: the first project's rows are never listed,
read, changed or deleted (404), and its jobs can't be polled. Routes come from the URL resolver, so a
new endpoint is walked without anyone remembering to add it here."""

from __future__ import annotations

import json
import re

import pytest
from django.urls import get_resolver

from scenarist.agents.models import Agent, DynamicVariable, KnowledgeBaseFile, MockTool
from scenarist.catalog.models import Personality, PhoneNumber
from scenarist.jobs.models import Job, JobKind
from scenarist.metrics.models import Metric
from scenarist.scenarios.models import Folder, Scenario, TestProfile

MARK = "ALPHA-SECRET"
METHODS = ("get", "post", "put", "patch", "delete")


def _routes():
    """(route template, allowed methods) for every API route, format-suffix duplicates left out."""
    def walk(patterns, prefix=""):
        for p in patterns:
            if hasattr(p, "url_patterns"):
                yield from walk(p.url_patterns, prefix + str(p.pattern))
            else:
                yield prefix + str(p.pattern), p.callback

    for route, cb in walk(get_resolver().url_patterns):
        if not route.startswith(("test_framework/", "user/")) or "format" in route:
            continue
        actions = getattr(cb, "actions", None)
        methods = [m for m in actions if m in METHODS] if actions else [m for m in METHODS if hasattr(getattr(cb, "view_class", None), m)]
        yield route.replace("^", "").replace("$", ""), methods


@pytest.fixture
def alpha(tenant):
    """One row of every kind in the first project, all carrying MARK."""
    p = tenant.project
    agent = Agent.objects.create(project=p, agent_name=f"{MARK} agent", description=f"{MARK} prompt {{{{who}}}}")
    tool = MockTool.objects.create(agent=agent, name="alpha_tool", description=MARK, information=[{"input": {}, "output": MARK}])
    var = DynamicVariable.objects.get(agent=agent, name="who")
    kb = KnowledgeBaseFile.objects.create(agent=agent, file_name=f"{MARK}.txt", file_type="text/plain", file_size=5,
                                          sha256="0" * 64, content=b"x", extracted_text=MARK)
    personality = Personality.objects.create(project=p, name=f"{MARK} persona")
    phone = PhoneNumber.objects.create(project=p, number="+15550001111", name=MARK)
    metric = Metric.objects.create(project=p, name=f"{MARK} metric", description=MARK)
    profile = TestProfile.objects.create(project=p, agent=agent, name=f"{MARK} profile", information={"x": MARK})
    Folder.objects.create(project=p, name="alpha", path="alpha")
    scenario = Scenario.objects.create(project=p, agent=agent, name=f"{MARK} scenario", instructions=MARK, folder_path="alpha")
    job = Job.objects.create(project=p, kind=JobKind.CLEAN_DESCRIPTION, payload={"x": MARK})
    gen_job = Job.objects.create(project=p, kind=JobKind.GENERATE_SCENARIOS, payload={"x": MARK})
    return {
        "aiagents": agent.pk, "agent_id": agent.pk, "tool_name": tool.name, "var_id": var.pk, "file_id": kb.pk,
        "personalities": personality.pk, "phone-numbers": phone.pk, "metrics": metric.pk, "test-profiles": profile.pk,
        "scenarios": scenario.pk, "projects": p.pk, "progress_ids": [str(job.progress_id), str(gen_job.progress_id)],
    }


def _fill(route: str, ids: dict) -> str | None:
    """The route with the first project's ids substituted; None for routes with no object in them."""
    resource = route.split("/")[2]
    url = route
    url = re.sub(r"<int:agent_id>", str(ids["agent_id"]), url)
    url = re.sub(r"<str:tool_name>", ids["tool_name"], url)
    url = re.sub(r"<int:var_id>", str(ids["var_id"]), url)
    url = re.sub(r"<int:file_id>", str(ids["file_id"]), url)
    if "(?P<pk>" in url:
        if resource not in ids:  # a global catalogue (predefined metrics): nothing of the first project's
            return None
        url = re.sub(r"\(\?P<pk>[^)]*\)", str(ids[resource]), url)
    return "/" + url


def test_second_project_cannot_touch_first_projects_rows(alpha, other_tenant, tenant):
    client = other_tenant.client
    walked = 0
    for route, methods in _routes():
        url = _fill(route, alpha)
        if url is None:
            continue
        scoped = url != "/" + route  # an object of the first project is in the path
        for method in methods:
            body = {"name": "hijack", "agent_name": "hijack", "description": "hijack"}
            r = getattr(client, method)(url, data=json.dumps(body) if method != "get" else None,
                                        content_type="application/json")
            text = r.content.decode(errors="replace")
            assert MARK not in text, f"{method.upper()} {url} leaked the other project's data"
            if scoped:
                assert r.status_code == 404, f"{method.upper()} {url} → {r.status_code}, expected 404"
            else:
                assert r.status_code < 500, f"{method.upper()} {url} → {r.status_code}"
            walked += 1
    assert walked > 40

    for progress_id in alpha["progress_ids"]:
        for url in ("/test_framework/v1/metrics/generate_clean_description_progress/",
                    "/test_framework/v1/scenarios/generate-progress/"):
            assert client.get(url, {"progress_id": progress_id}).status_code == 404
        assert client.post("/test_framework/v1/scenarios/generate-cancel/", {"progress_id": progress_id},
                           format="json").status_code == 404

    for action, body in (("rename_folder", {"path": "alpha", "name": "hijacked"}),
                         ("move_folder", {"path": "alpha", "new_parent_path": ""}),
                         ("delete_folder", {"path": "alpha"})):
        r = client.post(f"/test_framework/v1/scenarios/{action}/", body, format="json")
        assert r.status_code in (400, 404), f"{action} → {r.status_code}"

    # Nothing of the first project changed.
    assert Agent.objects.get(pk=alpha["agent_id"]).agent_name == f"{MARK} agent"
    assert MockTool.objects.filter(agent_id=alpha["agent_id"], name="alpha_tool").exists()
    assert Scenario.objects.get(pk=alpha["scenarios"]).name == f"{MARK} scenario"
    assert Folder.objects.filter(project=tenant.project, path="alpha").exists()
    assert Metric.objects.get(pk=alpha["metrics"]).name == f"{MARK} metric"
    assert KnowledgeBaseFile.objects.filter(pk=alpha["file_id"]).exists()
    assert Job.objects.filter(project=tenant.project, cancel_requested=False).count() == 2
