"""The offline agent model of every corpus agent against its hand-written expected model (issue 12's thresholds)."""

from __future__ import annotations

import pytest

from scenarist.generation.understanding import agent_model_version_hash, build_agent_model
from tests.generation.understanding.expected import (
    CORPUS,
    GUARDRAIL_RECALL,
    HELDOUT,
    INTENT_PRECISION,
    INTENT_RECALL,
    PROBE_RECALL,
    corpus_slugs,
    load_agent,
    load_expected,
    score,
)

SLUGS = corpus_slugs()
# Every agent with an expected model: the tuned corpus and the held-out set (written after tuning).
ALL = [(CORPUS, slug) for slug in SLUGS] + [(HELDOUT, slug) for slug in corpus_slugs(HELDOUT)]
ALL_IDS = [slug for _, slug in ALL]


def _flat(text: str) -> str:
    return " ".join(text.split()).lower().replace("**", "")


def test_the_corpus_is_there():
    assert len(SLUGS) >= 10
    assert len(corpus_slugs(HELDOUT)) >= 5


@pytest.mark.parametrize(("root", "slug"), ALL, ids=ALL_IDS)
def test_offline_model_meets_the_thresholds(root, slug):
    expected = load_expected(slug, root)
    model = build_agent_model(load_agent(slug, root))
    result = score(slug, model, expected)
    names = [i.name for i in model.intents]
    assert result.intent_precision >= INTENT_PRECISION, f"{names}: not expected {result.unmatched_intents}"
    assert result.intent_recall >= INTENT_RECALL, f"{names}: missed {result.missed_intents}"
    assert result.guardrail_recall >= GUARDRAIL_RECALL, f"missed {result.missed_guardrails}"
    assert result.verification_exact, f"verification {result.verification[0]} != {result.verification[1]}"
    assert result.scalars == {}
    if root == CORPUS:  # held-out rows where the two authors' conventions differ are reported by the bench
        assert result.wrong_outcomes == []


@pytest.mark.parametrize(("root", "slug"), ALL, ids=ALL_IDS)
def test_expected_guardrails_are_probes(root, slug):
    """The guardrails a tester would probe are flagged probe=True (recall over probe policies only)."""
    result = score(slug, build_agent_model(load_agent(slug, root)), load_expected(slug, root))
    assert result.probe_recall >= PROBE_RECALL, f"not probed: {result.unprobed_guardrails}"


@pytest.mark.parametrize(("root", "slug"), ALL, ids=ALL_IDS)
def test_every_expected_failure_mode_is_modelled(root, slug):
    expected = load_expected(slug, root)
    model = build_agent_model(load_agent(slug, root))
    found = {(f.tool, f.outcome.value) for f in model.failure_modes}
    for mode in expected.get("failure_modes") or []:
        assert (mode["tool"], mode["outcome"]) in found


@pytest.mark.parametrize(("root", "slug"), ALL, ids=ALL_IDS)
def test_model_is_deterministic_and_consistent(root, slug):
    agent = load_agent(slug, root)
    first, second = build_agent_model(agent), build_agent_model(agent)
    assert first == second
    assert first.version_hash == agent_model_version_hash(agent)
    tool_names = {t.name for t in first.tools}
    assert all(set(i.tools) <= tool_names for i in first.intents)
    assert len({i.id for i in first.intents}) == len(first.intents)
    sources = [_flat(agent.description)] + [_flat(t.description or "") for t in agent.tools]
    assert all(p.text and any(_flat(p.text) in source for source in sources) for p in first.policies)
    rows = {(r.tool, r.index) for t in first.tools for r in t.rows}
    chained = [row for chain in first.chains for row in chain.rows]
    assert sorted(chained) == sorted(rows)  # every row in exactly one chain


def test_version_hash_changes_with_the_agent():
    agent = load_agent("clinic-scheduling")
    changed = agent.model_copy(update={"description": agent.description + "\nNever say goodbye."})
    assert agent_model_version_hash(agent) != agent_model_version_hash(changed)


def test_failure_modes_carry_the_prompts_own_handling_sentence():
    model = build_agent_model(load_agent("clinic-scheduling"))
    handling = {f.id: f.handling for f in model.failure_modes}
    assert handling["failure:book_appointment:failure"].startswith("If a booking fails because the slot was just taken")
    assert handling["failure:check_availability:empty"].startswith("If `check_availability` returns no slots")
    assert handling["failure:get_appointments:empty"] == "If there are none, say so and offer to book one."
    emergency = next(p for p in model.policies if "dial 9-1-1" in p.text)
    assert emergency.trigger.startswith("the caller describes a medical emergency (chest pain, trouble breathing")
    assert emergency.response.startswith("stop scheduling and tell them to hang up and dial 9-1-1")
