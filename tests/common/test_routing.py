"""Every routed API URL answers with and without its trailing slash (and under its `-external` alias) with
no redirect on any method; unknown paths are a JSON 404. Routes come from the URL resolver, so a new endpoint
is walked without anyone adding it here."""

from __future__ import annotations

import json
import re

import pytest
from django.urls import get_resolver

from scenarist.agents.models import Agent, DynamicVariable, KnowledgeBaseFile, MockTool
from scenarist.catalog.models import Personality, PhoneNumber, PredefinedMetric
from scenarist.common.routing import EXTERNAL_ALIASES, candidates
from scenarist.metrics.models import Metric
from scenarist.scenarios.models import Scenario, TestProfile

METHODS = ("get", "post", "put", "patch", "delete")
API_PREFIXES = ("test_framework/", "user/", "api/")


def _routes():
    """(route template, allowed methods) of every API route; format-suffix duplicates left out."""
    def walk(patterns, prefix=""):
        for p in patterns:
            if hasattr(p, "url_patterns"):
                yield from walk(p.url_patterns, prefix + str(p.pattern))
            else:
                yield prefix + str(p.pattern), p.callback

    for route, cb in walk(get_resolver().url_patterns):
        if not route.startswith(API_PREFIXES) or "format" in route:
            continue
        actions = getattr(cb, "actions", None)
        if actions:
            methods = [m for m in METHODS if m in actions]
        else:
            view_class = getattr(cb, "view_class", None) or getattr(cb, "cls", None)
            methods = [m for m in METHODS if hasattr(view_class, m)] or ["get"]
        yield route.replace("^", "").replace("$", ""), methods


@pytest.fixture
def ids(tenant):
    """One row of every kind in the caller's project, keyed by route parameter or resource name."""
    p = tenant.project
    agent = Agent.objects.create(project=p, agent_name="walk agent", description="Hello {{who}}")
    tool = MockTool.objects.create(agent=agent, name="walk_tool", information=[])
    kb = KnowledgeBaseFile.objects.create(agent=agent, file_name="a.txt", file_type="text/plain", file_size=1,
                                          sha256="0" * 64, content=b"x", extracted_text="x")
    return {
        "agent_id": agent.pk, "tool_name": tool.name, "var_id": DynamicVariable.objects.get(agent=agent).pk,
        "file_id": kb.pk, "aiagents": agent.pk,
        "personalities": Personality.objects.create(project=p, name="walk persona").pk,
        "phone-numbers": PhoneNumber.objects.create(project=p, number="+15550001111", name="w").pk,
        "metrics": Metric.objects.create(project=p, name="walk metric").pk,
        "test-profiles": TestProfile.objects.create(project=p, agent=agent, name="walk profile").pk,
        "scenarios": Scenario.objects.create(project=p, agent=agent, name="walk scenario").pk,
        "predefined-metrics": PredefinedMetric.objects.order_by("id").first().pk,
        "projects": p.pk,
    }


def _concrete(route: str) -> str:
    """A path matched by a regex route: optional parts left out, first alternatives taken, numbers as 1."""
    route = route.replace("(?:/.*)?", "").replace("(?:\\d+/)?", "").replace("\\w*", "")
    route = re.sub(r"\(\?:[^()]*\)\?", "", route)
    route = re.sub(r"\(\?:([^|()]*)(\|[^()]*)?\)", r"\1", route)
    return route.replace("\\d+", "1")


def _fill(route: str, ids: dict) -> str:
    """A concrete URL for a route template, using the caller's own rows."""
    route = _concrete(route)
    parts = route.split("/")
    resource = parts[2] if len(parts) > 2 else ""
    url = re.sub(r"<int:agent_id>", str(ids["agent_id"]), route)
    url = re.sub(r"<str:tool_name>", ids["tool_name"], url)
    url = re.sub(r"<int:var_id>", str(ids["var_id"]), url)
    url = re.sub(r"<int:file_id>", str(ids["file_id"]), url)
    url = re.sub(r"<(int|str|path):\w+>", "1", url)
    url = re.sub(r"\(\?P<pk>[^)]*\)", str(ids.get(resource, 1)), url)
    url = re.sub(r"\(\?P<\w+>[^)]*\)", "1", url)
    return "/" + url


def _spellings(url: str) -> list[str]:
    """The URL with and without its trailing slash, and the same under the `-external` alias when it has one."""
    out = [url, url.rstrip("/") if url.endswith("/") else url + "/"]
    for alias in EXTERNAL_ALIASES:
        head = f"/test_framework/v1/{alias}/"
        if url.startswith(head):
            external = url.replace(head, f"/test_framework/v1/{alias}-external/", 1)
            out += [external, external.rstrip("/")]
    return out


def test_no_route_redirects_on_any_method_or_spelling(api, ids):
    walked = 0
    routes = sorted(_routes(), key=lambda rm: "delete" in rm[1])  # routes that can delete rows go last
    for route, methods in routes:
        url = _fill(route, ids)
        for method in sorted(methods, key=lambda m: m == "delete"):
            answers = {}
            for spelling in _spellings(url):
                body = json.dumps({}) if method != "get" else None
                r = getattr(api, method)(spelling, data=body, content_type="application/json")
                assert not 300 <= r.status_code < 400, f"{method.upper()} {spelling} → {r.status_code} redirect"
                assert r.status_code != 404 or r["Content-Type"].startswith("application/json"), spelling
                answers[spelling] = r.status_code
                walked += 1
            if method == "get":  # same view, same result, whatever the spelling
                assert len(set(answers.values())) == 1, f"GET {url}: {answers}"
    assert walked > 200


def test_post_without_slash_creates_and_get_without_slash_reads(api, tenant, ids):
    r = api.post("/test_framework/v1/metrics", {"name": "no slash", "description": "d"}, format="json")
    assert r.status_code == 201, r.content
    assert Metric.objects.filter(project=tenant.project, name="no slash").exists()
    r = api.get(f"/test_framework/v1/metrics-external/{r.json()['id']}")
    assert r.status_code == 200 and r.json()["name"] == "no slash"


@pytest.mark.parametrize("path", ["/nothing-here", "/test_framework/v1/no-such-resource/", "/test_framework/v9/x"])
def test_unknown_paths_are_json_404(api, path):
    for spelling in (path, path.rstrip("/"), path + "/"):
        for method in METHODS:
            r = getattr(api, method)(spelling)
            assert r.status_code == 404, (method, spelling, r.status_code)
            assert r.json() == {"detail": "Not found."}


def test_pagination_links_echo_the_clients_spelling(api, tenant):
    for i in range(3):
        Metric.objects.create(project=tenant.project, name=f"m{i}")
    body = api.get("/test_framework/v1/metrics-external?page_size=2").json()
    assert "/metrics-external?" in body["next"]


def test_candidates_try_the_path_as_sent_first():
    assert candidates("/test_framework/v1/scenarios")[:2] == ["/test_framework/v1/scenarios", "/test_framework/v1/scenarios/"]
    assert "/test_framework/v1/scenarios/tags" in candidates("/test_framework/v1/scenarios-external/tags")
    assert "/test_framework/v1/metrics/" in candidates("/test_framework/v2/metrics/")
