"""End to end on a real local model: HTTP API + worker + llama-server, one agent, every generation family.

Asserts the contract (exact count, field rules, expected outcomes present, provenance honest about which items the
offline writer took over) and prints per family: LLM calls, re-asks, fallbacks, tokens per item and wall time.
Figures and the written items also go to $SCENARIST_REALMODEL_REPORT (JSON) when set.
"""

from __future__ import annotations

import json
import os
import re

import pytest

from tests.realmodel.service import run_job

pytestmark = [pytest.mark.realmodel, pytest.mark.timeout(900)]  # one job on a CPU model takes minutes

JOB_TIMEOUT_S = 600
FALLBACK = "offline-fallback"
LLM_ENGINE = "llm"
FIGURES: list[dict] = []
SAMPLES: list[dict] = []


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text or "").strip().lower()


def _generate(service, body: dict) -> tuple[dict, float]:
    progress, wall = run_job(service.http, "scenarios/generate-bg/", "scenarios/generate-progress/", body,
                             JOB_TIMEOUT_S)
    # The progress body shows prompt/completion tokens and calls; the job row also holds cached tokens, re-asks and
    # fallbacks (the usage the LLM port records).
    progress["job_usage"] = service.job_usage(progress["progress_id"])
    return progress, wall


def _check_scenarios(progress: dict, n: int, scenario_type: str, model: str) -> list[dict]:
    """The contract every family shares; returns the scenarios."""
    assert progress["status"] == "completed", progress.get("error") or progress["errors"]
    assert progress["total_scenarios"] == n
    assert progress["completed_scenarios"] == n, progress["errors"]  # the offline writer covers what the model fails
    assert progress["failed_scenarios"] == 0 and progress["errors"] == []
    items = progress["scenarios_list"]
    assert len(items) == n
    assert len({s["name"] for s in items}) == n, "names must be unique"
    for s in items:
        assert s["name"].strip() and len(s["name"]) <= 80, s["name"]
        assert len(s["instructions"].strip()) >= 40, s["instructions"]
        assert s["expected_outcome_prompt"].strip(), f"{s['name']}: no expected outcome"
        assert s["first_message"] == "Hello"
        assert s["scenario_type"] == scenario_type
        provenance = s["provenance"]
        assert provenance["engine"] in (LLM_ENGINE, FALLBACK), provenance
        assert provenance["prompt_version"] and isinstance(provenance["seed"], int)
        if provenance["engine"] == LLM_ENGINE:
            assert provenance["model"] == model, provenance  # an item claiming the model names the model it used
    written_by_model = sum(s["provenance"]["engine"] == LLM_ENGINE for s in items)
    # Honest provenance: no item can claim the model without an answered call behind it.
    assert progress["usage"]["llm_calls"] >= written_by_model, (progress["usage"], written_by_model)
    return items


def _record(family: str, n: int, usage: dict, wall: float, fallbacks_by_provenance: int | None, items=()) -> None:
    prompt, completion = usage.get("prompt_tokens"), usage.get("completion_tokens")
    row = {
        "family": family, "n": n, "wall_s": round(wall, 1), "llm_calls": usage.get("llm_calls"),
        "reasks": usage.get("reasks"), "fallbacks_usage": usage.get("fallbacks"),
        "fallbacks_provenance": fallbacks_by_provenance,
        "prompt_tokens_per_item": None if prompt is None else round(prompt / n),
        "completion_tokens_per_item": None if completion is None else round(completion / n),
        "cached_prompt_tokens": usage.get("cached_prompt_tokens"),
    }
    FIGURES.append(row)
    for s in items:
        SAMPLES.append({"family": family, **{k: s.get(k) for k in (
            "name", "instructions", "expected_outcome_prompt", "attack_type", "knowledge_base_sources", "provenance")}})
    print(f"\n[realmodel] {json.dumps(row)}")


@pytest.fixture(scope="module", autouse=True)
def _report(real_model):
    yield
    print("\n[realmodel] model", real_model.model)
    print(f"{'family':<16}{'n':>3}{'calls':>7}{'reasks':>7}{'fb(usage)':>10}{'fb(prov)':>9}"
          f"{'prompt/item':>12}{'compl/item':>11}{'cached':>8}{'wall_s':>8}")
    for r in FIGURES:
        print(f"{r['family']:<16}{r['n']:>3}{r['llm_calls']!s:>7}{r['reasks']!s:>7}{r['fallbacks_usage']!s:>10}"
              f"{r['fallbacks_provenance']!s:>9}{r['prompt_tokens_per_item']!s:>12}"
              f"{r['completion_tokens_per_item']!s:>11}{r['cached_prompt_tokens']!s:>8}{r['wall_s']:>8}")
    target = os.environ.get("SCENARIST_REALMODEL_REPORT")
    if target:
        with open(target, "w") as fh:
            json.dump({"model": real_model.model, "figures": FIGURES, "samples": SAMPLES}, fh, indent=2)


def test_workflow_three_scenarios(service, example_agent, real_model):
    agent_id, _, _ = example_agent
    progress, wall = _generate(service, {"agent_id": agent_id, "num_scenarios": 3, "generate_expected_outcomes": True})
    items = _check_scenarios(progress, 3, "workflow", real_model.model)
    for s in items:
        assert s["test_profile_data"] or s["test_profile"], f"{s['name']}: no caller identity"
    _record("workflow", 3, progress["job_usage"], wall, sum(s["provenance"]["engine"] == FALLBACK for s in items), items)


def test_red_teaming_two_scenarios(service, example_agent, real_model):
    agent_id, _, _ = example_agent
    progress, wall = _generate(service, {"agent_id": agent_id, "num_scenarios": 2, "scenario_type": "red_teaming_text",
                                         "attack_type": "system_prompt_leak", "generate_expected_outcomes": True})
    items = _check_scenarios(progress, 2, "red_teaming_text", real_model.model)
    assert all(s["attack_type"] == "system_prompt_leak" for s in items)
    _record("red_teaming_text", 2, progress["job_usage"], wall,
            sum(s["provenance"]["engine"] == FALLBACK for s in items), items)


def test_knowledge_base_two_scenarios(service, example_agent, real_model):
    agent_id, kb_ids, kb_texts = example_agent
    assert kb_ids, "the example agent's KB files were uploaded"
    progress, wall = _generate(service, {"agent_id": agent_id, "num_scenarios": 2, "scenario_type": "knowledge_base",
                                         "generate_expected_outcomes": True})
    items = _check_scenarios(progress, 2, "knowledge_base", real_model.model)
    for s in items:
        for source in s["knowledge_base_sources"]:
            assert source["file_id"] in kb_ids
            assert _squash(source["quote"]) in _squash(kb_texts[source["file_id"]]), \
                f"quote neither in the file's extracted text nor in the file itself: {source['quote']!r}"
    _record("knowledge_base", 2, progress["job_usage"], wall,
            sum(s["provenance"]["engine"] == FALLBACK for s in items), items)


@pytest.mark.parametrize(("eval_type", "draft"), [
    ("boolean", "the agent should verify the caller's name and date of birth before sharing appointment details"),
    ("rating", "how warm and concise the receptionist is"),
])
def test_clean_description(service, example_agent, eval_type, draft):
    agent_id, _, _ = example_agent
    progress, wall = run_job(service.http, "metrics/generate_clean_description_bg/",
                             "metrics/generate_clean_description_progress/",
                             {"agent": agent_id, "metric_description": draft, "eval_type": eval_type}, JOB_TIMEOUT_S)
    assert progress["status"] == "completed", progress.get("error")
    assert len(progress["clean_description"].strip()) >= 100
    assert progress["thinking"] is not None and progress["enum_values"] is None
    usage = service.job_usage(progress["progress_id"])
    assert usage["llm_calls"] >= 1, usage  # the model was really asked
    _record(f"clean/{eval_type}", 1, usage, wall, None)
