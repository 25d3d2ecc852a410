"""Scenario generation end to end: HTTP → job → real `scenarist worker` subprocess → saved scenarios."""

from __future__ import annotations

import uuid
from collections import Counter

import pytest

from scenarist.catalog.models import Personality, PhoneNumber
from scenarist.jobs.models import Job, JobStatus
from scenarist.metrics.services import default_metric_ids
from scenarist.scenarios.models import Folder, Scenario
from tests.generation.responders import prompt_responder
from tests.llm_sim import LLMSimulator, SimConfig
from tests.support.processes import job_env, wait_for

from .generation_support import CANCEL_URL, agent_row, finished, keyed_client, poll, start

pytestmark = pytest.mark.django_db(transaction=True)

NO_LLM = {"SCENARIST_LLM_BASE_URL": "", "SCENARIST_LLM_API_KEY": ""}
LLM_ENV = {"SCENARIST_LLM_MAX_RETRIES": "2", "SCENARIST_LLM_TIMEOUT_S": "20", "SCENARIST_LLM_BACKOFF_BASE_S": "0.05"}


def test_offline_batch_honours_every_request_field(job_queue, processes):
    client, project = keyed_client()
    agent, spec = agent_row(project, "dental", language="de")
    moods = list(Personality.objects.filter(project__isnull=True).values_list("pk", flat=True)[:3])
    phone = PhoneNumber.objects.create(project=project, number="+14155550100", name="inbound")
    processes.start("worker", env=job_env(job_queue, **NO_LLM))
    first_message = "  Hallo, hier ist  Sam.  "
    progress_id = start(
        client, agent_id=agent.pk, num_scenarios=20, personalities=moods, tags=["regression"],
        tool_ids=["TOOL_END_CALL", "TOOL_SEND_DTMF"], folder_path="suites.generated", inbound_phone_number=phone.pk,
        first_message=first_message, generate_expected_outcomes=True,
    )
    body = finished(client, progress_id)
    assert body["status"] == "completed", body.get("error") or body
    assert (body["total_scenarios"], body["completed_scenarios"], body["failed_scenarios"]) == (20, 20, 0), body["errors"]
    assert len(body["scenarios_list"]) == 20 and body["errors"] == []

    rows = list(Scenario.objects.filter(job__progress_id=uuid.UUID(progress_id)).prefetch_related("metrics"))
    assert sorted(r.job_index for r in rows) == list(range(20))
    names = [r.name for r in rows]
    assert len(set(names)) == 20 and all(len(n) <= 80 for n in names)
    assert all(r.first_message == first_message for r in rows)
    assert all(r.scenario_language == "de" for r in rows)
    assert all(r.expected_outcome_prompt.strip() for r in rows)
    assert all(r.tool_ids == ["TOOL_END_CALL", "TOOL_DTMF"] for r in rows)
    assert all(r.inbound_phone_number_id == phone.pk and r.folder_path == "suites.generated" for r in rows)
    assert Folder.objects.filter(project=project, path__in=["suites", "suites.generated"]).count() == 2
    assert all("regression" in r.tags and len(r.tags) >= 2 for r in rows)
    defaults = sorted(default_metric_ids(project))
    assert len(defaults) == 10 and all(sorted(m.pk for m in r.metrics.all()) == defaults for r in rows)
    spread = Counter(r.personality_id for r in rows)
    assert set(spread) == set(moods) and max(spread.values()) - min(spread.values()) <= 1
    variables = {v.name for v in spec.variables}
    for r in rows:
        info = r.test_profile.information
        assert set(info["main_agent_variables"]) == variables
        assert info["testing_agent_variables"]
        assert r.provenance["engine"] == "offline" and r.provenance["prompt_version"]
    assert body["coverage"]["intents"]["covered"] == body["coverage"]["intents"]["total"] > 0
    assert body["coverage"]["tools"]["covered"] == body["coverage"]["tools"]["total"] > 0
    assert body["diversity"]["near_duplicates"] == 0
    assert body["usage"]["llm_calls"] == 0
    listed = body["scenarios_list"][0]
    for field in ("id", "name", "agent", "personality", "personality_name", "instructions", "expected_outcome_prompt",
                  "first_message", "scenario_language", "scenario_type", "tags", "tool_ids", "metrics", "metric_names",
                  "test_profile", "test_profile_data", "inbound_phone_number", "folder_path",
                  "generated_mock_tool_entries", "provenance"):
        assert field in listed, field


def test_second_batch_avoids_the_first_and_reuses_the_cached_agent_model(job_queue, processes):
    client, project = keyed_client()
    agent, _ = agent_row(project, "bank")
    processes.start("worker", env=job_env(job_queue, **NO_LLM))
    first = finished(client, start(client, agent_id=agent.pk, num_scenarios=5))
    second = finished(client, start(client, agent_id=agent.pk, num_scenarios=5))
    assert first["status"] == second["status"] == "completed"
    names = [s["name"] for s in first["scenarios_list"] + second["scenarios_list"]]
    assert len(set(names)) == 10, names
    assert second["diversity"]["near_duplicates"] == 0
    # No personalities named: the batch spreads over the global catalogue in the agent's language.
    used = {s["personality"] for s in first["scenarios_list"] + second["scenarios_list"]}
    english = set(Personality.objects.filter(project__isnull=True, language="en").values_list("pk", flat=True))
    assert len(used) >= 5 and used <= english
    from scenarist.scenarios.models import AnalysisCacheEntry

    assert AnalysisCacheEntry.objects.count() == 1


def test_llm_batch_grows_progressively_and_reports_the_simulators_usage(job_queue, processes):
    client, project = keyed_client()
    agent, _ = agent_row(project, "delivery")
    with LLMSimulator(SimConfig(latency_s=0.3, seed=3)) as sim:
        processes.start("worker", env=job_env(job_queue, **sim.env(**LLM_ENV, SCENARIST_LLM_JOB_CONCURRENCY="2")))
        progress_id = start(client, agent_id=agent.pk, num_scenarios=6, generate_expected_outcomes=True)
        partial = wait_for(lambda: 0 < (b := poll(client, progress_id))["completed_scenarios"] < 6 and b, 30,
                           interval=0.05, what="a partly finished batch")
        assert len(partial["scenarios_list"]) == partial["completed_scenarios"]
        body = finished(client, progress_id)
        assert body["status"] == "completed", body.get("error") or body
        assert body["completed_scenarios"] == 6 and len(body["scenarios_list"]) == 6
        answered = [c for c in sim.calls if c.status == 200]
        assert body["usage"]["llm_calls"] == len(answered) >= 7  # one plan round + one call per item
        assert body["usage"]["prompt_tokens"] == sum(c.prompt_tokens for c in answered)
        assert body["usage"]["completion_tokens"] == sum(c.completion_tokens for c in answered)
        assert {s["provenance"]["engine"] for s in body["scenarios_list"]} <= {"llm", "offline-fallback"}


def test_worker_killed_mid_batch_resumes_without_duplicates(job_queue, processes, settings):
    # More attempts than the default: on a loaded machine a late heartbeat can be reaped as stale (the 1.5 s test
    # limit), which costs an attempt; fencing keeps that harmless, and this test is about the kill.
    settings.JOB_MAX_ATTEMPTS = 6
    client, project = keyed_client()
    agent, _ = agent_row(project, "dental")
    with LLMSimulator(SimConfig(latency_s=0.6, seed=5)) as sim:
        env = job_env(job_queue, **sim.env(**LLM_ENV, SCENARIST_LLM_JOB_CONCURRENCY="2"))
        first = processes.start("worker", env=env)
        progress_id = start(client, agent_id=agent.pk, num_scenarios=8)
        wait_for(lambda: poll(client, progress_id)["completed_scenarios"] >= 2, 40, what="two saved scenarios")
        first.kill9()
        saved_before = poll(client, progress_id)["completed_scenarios"]
        processes.start("worker", env=env)
        body = finished(client, progress_id, timeout=90)
    assert body["status"] == "completed", body.get("error") or body
    job = Job.objects.get(progress_id=uuid.UUID(progress_id))
    assert job.attempt >= 2
    indexes = list(Scenario.objects.filter(job=job).values_list("job_index", flat=True))
    assert sorted(indexes) == list(range(8)), indexes
    assert body["completed_scenarios"] == 8 and saved_before < 8


def test_cancel_of_a_running_batch_keeps_what_was_saved(job_queue, processes):
    client, project = keyed_client()
    agent, _ = agent_row(project, "bank")
    with LLMSimulator(SimConfig(latency_s=0.5, seed=6)) as sim:
        processes.start("worker", env=job_env(job_queue, **sim.env(**LLM_ENV, SCENARIST_LLM_JOB_CONCURRENCY="1")))
        progress_id = start(client, agent_id=agent.pk, num_scenarios=20)
        wait_for(lambda: poll(client, progress_id)["completed_scenarios"] >= 1, 40, what="one saved scenario")
        r = client.post(CANCEL_URL, {"progress_id": progress_id}, format="json")
        assert r.status_code == 200
        body = finished(client, progress_id, timeout=15)
    assert body["status"] == "cancelled"
    kept = Scenario.objects.filter(job__progress_id=uuid.UUID(progress_id)).count()
    assert 1 <= kept < 20 and kept == len(body["scenarios_list"])
    assert Job.objects.get(progress_id=uuid.UUID(progress_id)).status == JobStatus.CANCELLED


def test_provider_down_costs_the_items_not_the_plan_and_every_error_is_readable(job_queue, processes):
    client, project = keyed_client()
    agent, _ = agent_row(project, "dental")
    with LLMSimulator(SimConfig(fault_rate=1.0, fault_mix=("server_error",))) as sim:
        processes.start("worker", env=job_env(job_queue, **sim.env(**{**LLM_ENV, "SCENARIST_LLM_MAX_RETRIES": "1"})))
        body = finished(client, start(client, agent_id=agent.pk, num_scenarios=3))
    # The understanding call failing is not fatal (the offline agent model stands in); the items cannot be written.
    assert body["status"] in ("completed", "failed"), body
    assert body["completed_scenarios"] == 0 and body["scenarios_list"] == []
    messages = [e["message"] for e in body["errors"]] + ([body["error"]] if body.get("error") else [])
    assert messages and all(m and "Traceback" not in m for m in messages)
    assert any("LLM provider" in m or "provider" in m.lower() for m in messages)


def test_items_failing_past_retries_are_counted_and_explained(job_queue, processes):
    client, project = keyed_client()
    agent, _ = agent_row(project, "bank")
    with LLMSimulator(SimConfig(latency_s=0.05)) as sim:
        # The plan call succeeds; then every item call fails with a 500 (no retries configured).
        sim.script_faults([None] + ["server_error"] * 50)
        processes.start("worker", env=job_env(job_queue, **sim.env(**{**LLM_ENV, "SCENARIST_LLM_MAX_RETRIES": "0",
                                                                        "SCENARIST_LLM_JOB_CONCURRENCY": "1"})))
        body = finished(client, start(client, agent_id=agent.pk, num_scenarios=4))
    # A batch that wrote something completes; one where the provider failed every item ends failed, saying why.
    assert body["status"] == ("completed" if body["completed_scenarios"] else "failed"), body.get("error") or body
    assert body["completed_scenarios"] or "provider" in body["error"]
    assert body["completed_scenarios"] + body["failed_scenarios"] == body["total_scenarios"] == 4
    assert body["failed_scenarios"] == len(body["errors"]) > 0
    assert sorted(e["index"] for e in body["errors"]) == sorted({e["index"] for e in body["errors"]})
    assert all(e["message"] and "Traceback" not in e["message"] for e in body["errors"])


def test_token_budget_stops_the_batch_cleanly_with_what_it_has(job_queue, processes):
    client, project = keyed_client()
    agent, _ = agent_row(project, "bank")
    with LLMSimulator(SimConfig(latency_s=0.05, seed=9)) as sim:
        sim.set_responder(prompt_responder)  # one call per item, so the budget is what stops the batch
        processes.start("worker", env=job_env(job_queue, **sim.env(
            **LLM_ENV, SCENARIST_LLM_JOB_CONCURRENCY="1", SCENARIST_LLM_JOB_TOKEN_BUDGET="20000")))
        body = finished(client, start(client, agent_id=agent.pk, num_scenarios=12))
    assert body["status"] == "completed", body.get("error") or body
    assert 0 < body["completed_scenarios"] < 12, {k: body[k] for k in ("usage", "errors", "failed_scenarios")}
    assert body["completed_scenarios"] + body["failed_scenarios"] == 12
    assert all("budget" in e["message"].lower() for e in body["errors"])
    assert len(body["scenarios_list"]) == body["completed_scenarios"]
