"""Isolation matrix: project B's key against project A's rows and jobs, beyond the route walker
(tests/test_isolation_walk.py): list filters, references in writes, guessed sequential ids, guessed progress ids."""

from __future__ import annotations

import json
import uuid

import pytest

from scenarist.agents.models import Agent, KnowledgeBaseFile, MockTool
from scenarist.jobs.models import Job, JobKind, JobStatus
from scenarist.metrics.models import Metric
from scenarist.scenarios.models import Scenario, TestProfile
from tests.reliability.seed import MARK, SeededRows, seed_rows

V1 = "/test_framework/v1"
DETAIL_RESOURCES = ("aiagents", "personalities", "phone-numbers", "metrics", "test-profiles", "scenarios")
GUESS_SPAN = 4


@pytest.fixture
def a_rows(tenant) -> SeededRows:
    """Project A's rows (every text carries MARK)."""
    return seed_rows(tenant.project)


@pytest.fixture
def b_rows(other_tenant) -> SeededRows:
    """Project B's own rows, so B's writes are valid except for the foreign reference under test."""
    return seed_rows(other_tenant.project, mark="BETA")


def _no_leak(response, what: str) -> None:
    assert response.status_code < 500, f"{what} → {response.status_code}"
    assert MARK not in response.content.decode(errors="replace"), f"{what} leaked project A's data"


def _json(client, method: str, url: str, body) -> object:
    if method == "get":
        return client.get(url)
    return getattr(client, method)(url, data=json.dumps(body), content_type="application/json")


def test_list_filters_with_a_foreign_agent_id_return_nothing_of_a(a_rows, b_rows, other_tenant):
    client = other_tenant.client
    a = a_rows.agent_id
    for url in (f"{V1}/scenarios/?agent_id={a}", f"{V1}/metrics/?agent_id={a}", f"{V1}/test-profiles/?agent_id={a}",
                f"{V1}/aiagents/?q={a}", f"{V1}/aiagents/?q={MARK}", f"{V1}/scenarios/folders/?search=alpha",
                f"{V1}/scenarios/?folder_path=alpha", f"{V1}/personalities/", f"{V1}/phone-numbers/",
                f"{V1}/scenarios/?tags={MARK}", f"{V1}/user/v1/projects/".replace(V1, "")):
        r = client.get(url)
        _no_leak(r, f"GET {url}")
        assert r.status_code in (200, 400, 404), url
    scenarios = client.get(f"{V1}/scenarios/?agent_id={a}").json()
    assert scenarios["count"] == 0 and scenarios["results"] == []
    profiles = client.get(f"{V1}/test-profiles/?agent_id={a}").json()
    assert profiles == []


FOREIGN_REFERENCES = [
    # (method, url template, body template, field expected in the 400)
    ("post", "/scenarios/", {"name": "x", "agent": "{a.agent}"}, "agent"),
    ("post", "/scenarios/", {"name": "x", "agent": "{b.agent}", "personality": "{a.personalities}"}, "personality"),
    ("post", "/scenarios/", {"name": "x", "agent": "{b.agent}", "inbound_phone_number": "{a.phone-numbers}"},
     "inbound_phone_number"),
    ("post", "/scenarios/", {"name": "x", "agent": "{b.agent}", "test_profile": "{a.test-profiles}"}, "test_profile"),
    ("post", "/scenarios/", {"name": "x", "agent": "{b.agent}", "metrics": ["{a.metrics}"]}, "metrics"),
    ("post", "/scenarios/", {"name": "x", "agent": "{b.agent}", "knowledge_base_sources": [
        {"file_id": "{a.file}", "file_name": "f.txt", "quote": "q"}]}, "knowledge_base_sources"),
    ("patch", "/scenarios/{b.scenarios}/", {"agent": "{a.agent}"}, "agent"),
    ("patch", "/scenarios/{b.scenarios}/", {"personality": "{a.personalities}"}, "personality"),
    ("post", "/metrics/", {"name": "m", "description": "d", "agents": ["{a.agent}"]}, "agents"),
    ("patch", "/metrics/{b.metrics}/", {"agents": ["{a.agent}"]}, "agents"),
    ("post", "/test-profiles/", {"name": "p", "agent": "{a.agent}", "information": {}}, "agent"),
    ("patch", "/test-profiles/{b.test-profiles}/", {"agent": "{a.agent}"}, "agent"),
    ("post", "/scenarios/generate-bg/", {"agent_id": "{a.agent}", "num_scenarios": 1}, "agent_id"),
    ("post", "/scenarios/generate-bg/", {"agent_id": "{b.agent}", "num_scenarios": 1,
                                          "personalities": ["{a.personalities}"]}, "personalities"),
    ("post", "/scenarios/generate-bg/", {"agent_id": "{b.agent}", "num_scenarios": 1,
                                          "test_profile": "{a.test-profiles}"}, "test_profile"),
    ("post", "/scenarios/generate-bg/", {"agent_id": "{b.agent}", "num_scenarios": 1,
                                          "inbound_phone_number": "{a.phone-numbers}"}, "inbound_phone_number"),
    ("post", "/scenarios/generate-bg/", {"agent_id": "{b.agent}", "num_scenarios": 1, "scenario_type": "knowledge_base",
                                          "knowledge_base": ["{a.file}"]}, "knowledge_base"),
    ("post", "/metrics/generate_clean_description_bg/", {"agent": "{a.agent}", "eval_type": "boolean",
                                                          "metric_description": "Be polite."}, "agent"),
    ("post", "/metrics/generate_clean_description/", {"agent": "{a.agent}", "eval_type": "boolean",
                                                       "metric_description": "Be polite."}, "agent"),
]


def _fill(template, a: SeededRows, b: SeededRows):
    """Replace "{a.x}" / "{b.x}" placeholders (strings or inside lists/dicts) by the projects' ids."""
    if isinstance(template, dict):
        return {k: _fill(v, a, b) for k, v in template.items()}
    if isinstance(template, list):
        return [_fill(v, a, b) for v in template]
    if isinstance(template, str) and "{" in template:
        out = template
        for prefix, rows in (("a", a), ("b", b)):
            table = {"agent": rows.agent_id, "file": rows.file_id, **rows.by_resource}
            for name, value in table.items():
                token = "{" + f"{prefix}.{name}" + "}"
                if out == token:
                    return value
                out = out.replace(token, str(value))
        return out
    return template


@pytest.mark.parametrize("method,url,body,field", FOREIGN_REFERENCES,
                         ids=[f"{m} {u} {f}" for m, u, _, f in FOREIGN_REFERENCES])
def test_a_write_that_references_a_row_of_a_is_a_400_naming_the_field(method, url, body, field, a_rows, b_rows,
                                                                     other_tenant):
    before = (Scenario.objects.count(), Metric.objects.count(), TestProfile.objects.count(), Job.objects.count())
    r = _json(other_tenant.client, method, V1 + _fill(url, a_rows, b_rows), _fill(body, a_rows, b_rows))
    assert r.status_code == 400, (r.status_code, r.content)
    assert field in r.json(), r.json()
    _no_leak(r, f"{method} {url}")
    after = (Scenario.objects.count(), Metric.objects.count(), TestProfile.objects.count(), Job.objects.count())
    assert after == before


def test_bulk_kb_delete_on_bs_agent_cannot_remove_as_files(a_rows, b_rows, other_tenant):
    client = other_tenant.client
    url = f"{V1}/aiagents/{b_rows.agent_id}/delete_knowledge_base/"
    r = client.delete(url, data=json.dumps({"file_ids": [a_rows.file_id]}), content_type="application/json")
    assert r.status_code in (200, 400, 404)
    assert r.status_code != 200 or r.json()["deleted_count"] == 0
    client.delete(f"{url}?file_ids={a_rows.file_id}")
    assert KnowledgeBaseFile.objects.filter(pk=a_rows.file_id).exists()


def _foreign_ids(model, near: int, project) -> list[int]:
    """Ids within GUESS_SPAN of `near` that are not rows of `project`."""
    own = set(model.objects.filter(pk__range=(near - GUESS_SPAN, near + GUESS_SPAN), project=project)
              .values_list("pk", flat=True)) if hasattr(model, "project") else set()
    return [pk for pk in range(max(1, near - GUESS_SPAN), near + GUESS_SPAN + 1) if pk not in own]


def test_guessing_sequential_ids_around_as_rows_finds_nothing(a_rows, b_rows, other_tenant, tenant):
    from scenarist.catalog.models import Personality, PhoneNumber

    client = other_tenant.client
    models = {"aiagents": Agent, "personalities": Personality, "phone-numbers": PhoneNumber, "metrics": Metric,
              "test-profiles": TestProfile, "scenarios": Scenario}
    probed = 0
    for resource in DETAIL_RESOURCES:
        model = models[resource]
        for pk in _foreign_ids(model, a_rows.by_resource[resource], other_tenant.project):
            if resource == "personalities" and Personality.objects.filter(pk=pk, project__isnull=True).exists():
                continue  # the global catalogue is readable by everyone
            for method in ("get", "patch", "put", "delete"):
                r = _json(client, method, f"{V1}/{resource}/{pk}/", {"name": "hijack"})
                _no_leak(r, f"{method} {resource}/{pk}")
                assert r.status_code == 404, (method, resource, pk, r.status_code)
                probed += 1
    for pk in _foreign_ids(Agent, a_rows.agent_id, other_tenant.project):
        for sub in ("tools/", "dynamic-variables/", "knowledge_base/", f"knowledge_base/{a_rows.file_id}/",
                    f"tool/{a_rows.tool_name}/", f"dynamic-variable/{a_rows.var_id}/"):
            r = client.get(f"{V1}/aiagents/{pk}/{sub}")
            _no_leak(r, f"GET aiagents/{pk}/{sub}")
            assert r.status_code == 404
            probed += 1
    for pk in range(max(1, tenant.project.pk - GUESS_SPAN), tenant.project.pk + GUESS_SPAN + 1):
        if pk == other_tenant.project.pk:
            continue
        assert client.get(f"/user/v1/projects/{pk}/").status_code == 404
        assert _json(client, "patch", f"/user/v1/projects/{pk}/", {"name": "hijack"}).status_code == 404
    assert probed > 100
    assert Agent.objects.get(pk=a_rows.agent_id).agent_name == f"{MARK} agent"
    assert MockTool.objects.filter(agent_id=a_rows.agent_id).exists()
    assert tenant.project.__class__.objects.get(pk=tenant.project.pk).name == "Tenant A"


def _guesses(progress_id: uuid.UUID) -> list[str]:
    """The real id, and ids one bit or one digit away from it (in several spellings)."""
    raw = progress_id.int
    near = [uuid.UUID(int=raw ^ (1 << bit)) for bit in (0, 1, 7, 64, 127)]
    spelled = [str(progress_id), progress_id.hex, str(progress_id).upper(), "{" + str(progress_id) + "}"]
    return spelled + [str(u) for u in near]


def test_guessed_progress_ids_of_both_job_families_are_404_for_poll_and_cancel(tenant, other_tenant, a_rows):
    jobs = {kind: Job.objects.create(project=tenant.project, kind=kind, payload={"x": MARK}, total_items=1)
            for kind in (JobKind.CLEAN_DESCRIPTION, JobKind.GENERATE_SCENARIOS)}
    client = other_tenant.client
    for job in jobs.values():
        for guess in _guesses(job.progress_id):
            for url in (f"{V1}/metrics/generate_clean_description_progress/", f"{V1}/scenarios/generate-progress/"):
                r = client.get(url, {"progress_id": guess})
                _no_leak(r, f"GET {url}?progress_id={guess}")
                assert r.status_code == 404, (url, guess, r.status_code)
            r = _json(client, "post", f"{V1}/scenarios/generate-cancel/", {"progress_id": guess})
            _no_leak(r, f"cancel {guess}")
            assert r.status_code == 404
    for job in jobs.values():
        job.refresh_from_db()
        assert job.status == JobStatus.QUEUED and not job.cancel_requested


def test_bs_own_progress_never_shows_as_scenarios_or_errors(tenant, other_tenant, a_rows, b_rows):
    a_job = Job.objects.create(project=tenant.project, kind=JobKind.GENERATE_SCENARIOS, total_items=2,
                               errors=[{"index": 1, "message": MARK}], payload={})
    Scenario.objects.filter(pk=a_rows.by_resource["scenarios"]).update(job=a_job, job_index=0)
    b_job = Job.objects.create(project=other_tenant.project, kind=JobKind.GENERATE_SCENARIOS, total_items=2, payload={})
    Scenario.objects.filter(pk=b_rows.by_resource["scenarios"]).update(job=b_job, job_index=0)

    mine = other_tenant.client.get(f"{V1}/scenarios/generate-progress/", {"progress_id": str(b_job.progress_id)})
    assert mine.status_code == 200
    _no_leak(mine, "B's own progress")
    assert [s["id"] for s in mine.json()["scenarios_list"]] == [b_rows.by_resource["scenarios"]]
    # A's key sees its own job with its scenario; B's key never does.
    theirs = tenant.client.get(f"{V1}/scenarios/generate-progress/", {"progress_id": str(a_job.progress_id)})
    assert theirs.status_code == 200 and MARK in theirs.content.decode()
    assert other_tenant.client.get(f"{V1}/scenarios/generate-progress/",
                                   {"progress_id": str(a_job.progress_id)}).status_code == 404
