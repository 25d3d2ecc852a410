"""Clean-description endpoints in-process: validation, isolation, progress shape, sync endpoint, OpenAPI."""

from __future__ import annotations

from pathlib import Path

import uuid

import pytest
import yaml

from scenarist.jobs.models import Job, JobKind, JobStatus
from tests.llm_sim import LLMSimulator, SimConfig
from tests.support.processes import free_port

from .clean_description_support import BG_URL, ENCODINGS, PROGRESS_URL, SYNC_URL, make_agent, post

SEED = str(Path(__file__).resolve().parents[1] / "fixtures" / "seed" / "seed-clean-description.yaml")
DRAFT = "The agent must verify the caller's date of birth before booking. It should never share another patient's details."


@pytest.fixture
def agent(tenant):
    return make_agent(tenant.project)


@pytest.fixture
def offline(monkeypatch):
    """No LLM provider configured: the offline engine answers."""
    for name in ("SCENARIST_LLM_BASE_URL", "SCENARIST_LLM_API_KEY"):
        monkeypatch.delenv(name, raising=False)


# ------------------------------------------------------------------ start + poll


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_bg_returns_progress_id_at_once_and_job_is_queued(api, agent, encoding, offline):
    r = post(api, BG_URL, {"agent": agent.pk, "metric_description": DRAFT, "eval_type": "boolean"}, encoding)
    assert r.status_code == 200, r.content
    assert set(r.json()) == {"progress_id"}
    job = Job.objects.get(progress_id=uuid.UUID(r.json()["progress_id"]))
    assert job.kind == JobKind.CLEAN_DESCRIPTION and job.status == JobStatus.QUEUED
    assert job.payload == {"agent_id": agent.pk, "metric_description": DRAFT, "eval_type": "boolean"}

    body = api.get(PROGRESS_URL, {"progress_id": r.json()["progress_id"]}).json()
    assert body == {"progress_id": r.json()["progress_id"], "status": "queued", "clean_description": None,
                    "thinking": None, "enum_values": None, "error": None}


def test_progress_of_completed_failed_and_enum_jobs(api, agent, tenant):
    done = Job.objects.create(project=tenant.project, kind=JobKind.CLEAN_DESCRIPTION, status=JobStatus.COMPLETED,
                              payload={"eval_type": "enum"},
                              result={"clean_description": "c", "thinking": "t", "enum_values": ["a", "N/A"]})
    body = api.get(PROGRESS_URL, {"progress_id": str(done.progress_id)}).json()
    assert (body["status"], body["clean_description"], body["thinking"], body["enum_values"], body["error"]) == (
        "completed", "c", "t", ["a", "N/A"], None)

    failed = Job.objects.create(project=tenant.project, kind=JobKind.CLEAN_DESCRIPTION, status=JobStatus.FAILED,
                                payload={"eval_type": "boolean"}, error="The LLM provider refused: no.")
    body = api.get(PROGRESS_URL, {"progress_id": str(failed.progress_id)}).json()
    assert body["status"] == "failed" and body["error"] == "The LLM provider refused: no."
    assert body["clean_description"] is None and body["enum_values"] is None

    processing = Job.objects.create(project=tenant.project, kind=JobKind.CLEAN_DESCRIPTION,
                                    status=JobStatus.PROCESSING, payload={"eval_type": "enum"},
                                    result={"clean_description": "partial?"})
    body = api.get(PROGRESS_URL, {"progress_id": str(processing.progress_id)}).json()
    assert body["status"] == "processing" and body["clean_description"] is None


# ------------------------------------------------------------------ validation


@pytest.mark.parametrize("encoding", ENCODINGS)
@pytest.mark.parametrize(
    "change, field",
    [
        ({"agent": None}, "agent"),
        ({"agent": 999999}, "agent"),
        ({"agent": "abc"}, "agent"),
        ({"metric_description": None}, "metric_description"),
        ({"metric_description": "   "}, "metric_description"),
        ({"metric_description": "x" * 20_001}, "metric_description"),
        ({"eval_type": None}, "eval_type"),
        ({"eval_type": "binary"}, "eval_type"),
    ],
)
def test_validation_400_names_the_field(api, agent, encoding, change, field, offline):
    body = {"agent": agent.pk, "metric_description": DRAFT, "eval_type": "rating", **change}
    body = {k: v for k, v in body.items() if v is not None}
    for url in (BG_URL, SYNC_URL):
        r = post(api, url, body, encoding)
        assert r.status_code == 400, (url, r.content)
        assert field in r.json() and isinstance(r.json()[field], list)
    assert not Job.objects.exists()


def test_foreign_agent_is_400_and_creates_no_job(api, other_tenant, offline):
    foreign = make_agent(other_tenant.project)
    r = post(api, BG_URL, {"agent": foreign.pk, "metric_description": DRAFT, "eval_type": "boolean"})
    assert r.status_code == 400 and "agent" in r.json()
    assert not Job.objects.exists()


def test_exactly_20000_chars_is_accepted(api, agent, offline):
    r = post(api, BG_URL, {"agent": agent.pk, "metric_description": "y" * 20_000, "eval_type": "numeric"})
    assert r.status_code == 200


def test_missing_key_is_401(anon, agent):
    assert post(anon, BG_URL, {"agent": agent.pk, "metric_description": DRAFT, "eval_type": "boolean"}).status_code == 401
    assert anon.get(PROGRESS_URL, {"progress_id": str(uuid.uuid4())}).status_code == 401


# ------------------------------------------------------------------ 404 / 400 on progress


def test_progress_requires_progress_id(api):
    r = api.get(PROGRESS_URL)
    assert r.status_code == 400 and r.json() == {"progress_id": ["This field is required."]}


@pytest.mark.parametrize("value", ["not-a-uuid", "123", str(uuid.uuid4())])
def test_progress_unknown_or_malformed_is_404(api, value):
    r = api.get(PROGRESS_URL, {"progress_id": value})
    assert r.status_code == 404 and r.json() == {"detail": "Not found."}


def test_progress_of_another_project_or_another_job_kind_is_404(api, tenant, other_tenant):
    foreign = Job.objects.create(project=other_tenant.project, kind=JobKind.CLEAN_DESCRIPTION,
                                 status=JobStatus.COMPLETED, result={"clean_description": "secret"})
    other_kind = Job.objects.create(project=tenant.project, kind=JobKind.GENERATE_SCENARIOS)
    for job in (foreign, other_kind):
        r = api.get(PROGRESS_URL, {"progress_id": str(job.progress_id)})
        assert r.status_code == 404 and r.json() == {"detail": "Not found."}


# ------------------------------------------------------------------ synchronous endpoint


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_sync_offline_returns_the_clean_description(api, agent, encoding, offline):
    r = post(api, SYNC_URL, {"agent": agent.pk, "metric_description": DRAFT, "eval_type": "boolean"}, encoding)
    assert r.status_code == 200, r.content
    body = r.json()
    assert set(body) == {"clean_description", "thinking", "enum_values"}
    assert "TRUE" in body["clean_description"] and "date of birth" in body["clean_description"]
    assert body["enum_values"] is None and body["thinking"]
    assert not Job.objects.exists()


def test_sync_enum_returns_labels(api, agent, offline):
    draft = "Classify the booking call as booked, waitlisted or declined."
    body = post(api, SYNC_URL, {"agent": agent.pk, "metric_description": draft, "eval_type": "enum"}).json()
    assert body["enum_values"][:3] == ["booked", "waitlisted", "declined"]


@pytest.fixture
def sim_env(monkeypatch):
    """Point the process's LLM configuration at a simulator (fast failure settings)."""
    started = []

    def use(sim: LLMSimulator | None = None, base_url: str | None = None):
        env = sim.env() if sim else {"SCENARIST_LLM_BASE_URL": base_url, "SCENARIST_LLM_API_KEY": "k"}
        for name, value in {**env, "SCENARIST_LLM_MAX_RETRIES": "0", "SCENARIST_LLM_TIMEOUT_S": "5"}.items():
            monkeypatch.setenv(name, value)
        if sim:
            started.append(sim)
        return sim

    yield use
    for sim in started:
        sim.stop()


def test_sync_llm_path(api, agent, sim_env):
    from tests.generation.metric_cleaning.responders import good_answer

    sim = sim_env(LLMSimulator(SimConfig()).start())
    sim.set_responder(good_answer)
    r = post(api, SYNC_URL, {"agent": agent.pk, "metric_description": DRAFT, "eval_type": "rating"})
    assert r.status_code == 200, r.content
    assert "## OUTPUT INSTRUCTIONS" in r.json()["clean_description"]  # the model's text, not the offline engine's
    assert len(sim.calls) == 1


def test_sync_refusal_is_502_with_the_reason(api, agent, sim_env):
    sim = sim_env(LLMSimulator(SimConfig()).start())
    sim.script_faults(["refusal"])
    r = post(api, SYNC_URL, {"agent": agent.pk, "metric_description": DRAFT, "eval_type": "boolean"})
    assert r.status_code == 502 and "refused" in r.json()["detail"]


def test_sync_provider_down_is_502(api, agent, sim_env):
    sim_env(base_url=f"http://127.0.0.1:{free_port()}/v1")
    r = post(api, SYNC_URL, {"agent": agent.pk, "metric_description": DRAFT, "eval_type": "boolean"})
    assert r.status_code == 502 and "could not be reached" in r.json()["detail"]


def test_sync_timeout_is_504(api, agent, sim_env, settings):
    settings.SYNC_CLEAN_DESCRIPTION_TIMEOUT_S = 0.3
    sim_env(LLMSimulator(SimConfig(latency_s=3)).start())
    r = post(api, SYNC_URL, {"agent": agent.pk, "metric_description": DRAFT, "eval_type": "boolean"})
    assert r.status_code == 504 and "timed out" in r.json()["detail"]


# ------------------------------------------------------------------ OpenAPI


def test_openapi_bg_operation_matches_the_seed(api):
    seed = yaml.safe_load(open(SEED))
    ours = api.get("/api/schema/", {"format": "json"}).json()
    path = "/test_framework/v1/metrics/generate_clean_description_bg/"
    op, seed_op = ours["paths"][path]["post"], seed["paths"][path]["post"]
    assert op["operationId"] == seed_op["operationId"]
    assert set(op["requestBody"]["content"]) == set(seed_op["requestBody"]["content"])
    for content in op["requestBody"]["content"].values():
        assert content["schema"]["$ref"].endswith("/CleanMetricDescriptionRequest")
    assert op["responses"]["200"]["content"]["application/json"]["schema"]["$ref"].endswith(
        "/GenerateCleanDescriptionBgResponse")
    schemas, seed_schemas = ours["components"]["schemas"], seed["components"]["schemas"]
    request = schemas["CleanMetricDescriptionRequest"]
    assert sorted(request["required"]) == sorted(seed_schemas["CleanMetricDescriptionRequest"]["required"])
    assert request["properties"]["agent"]["type"] == "integer"
    assert request["properties"]["metric_description"]["type"] == "string"
    eval_type = request["properties"]["eval_type"]
    if "$ref" in eval_type:
        eval_type = schemas[eval_type["$ref"].rsplit("/", 1)[1]]
    assert eval_type["enum"] == ["boolean", "numeric", "rating", "enum"]
    response = schemas["GenerateCleanDescriptionBgResponse"]
    assert response["required"] == ["progress_id"] and response["properties"]["progress_id"]["type"] == "string"
