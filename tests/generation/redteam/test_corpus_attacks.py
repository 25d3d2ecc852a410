"""Red teaming over the generation corpus, both engines (the LLM through the simulator): every attack names a risk of
the agent's risk model and a technique, never an internal tool or field, is speakable on voice, uses text-only
techniques on text, and no two attacks of a batch are near duplicates."""

from __future__ import annotations

import itertools

import pytest

from scenarist.generation.diversity import NEAR_DUPLICATE_THRESHOLD, similarity
from scenarist.generation.redteam.checks import caller_text_problems, voice_problems
from scenarist.generation.redteam.outcomes import quote
from scenarist.generation.redteam.risks import build_risk_model
from scenarist.generation.redteam.techniques import MAX_TURNS, MIN_TURNS, TEXT_ONLY
from scenarist.generation.types import AttackType
from scenarist.llm.client import OpenAICompatibleLLM
from tests.generation.redteam.helpers import (
    SLUGS,
    TEXT,
    VOICE,
    attack_request,
    attack_responder,
    corpus_agent,
    generate,
    turn_lines,
)
from tests.llm.helpers import fast_config
from tests.llm_sim import LLMSimulator, SimConfig

TEXT_TECHNIQUES = {f"technique:{t.id}" for t in TEXT_ONLY}


@pytest.fixture(scope="module")
def sim():
    """A simulator answering item calls from the facts they carry."""
    simulator = LLMSimulator(SimConfig(model="sim-redteam")).start()
    simulator.set_responder(attack_responder)
    yield simulator
    simulator.stop()


def batches(slug: str, llm):
    """Six attack types × voice and text, six scenarios each."""
    agent, model = corpus_agent(slug)
    out = {}
    for kind, attack_type in itertools.product((VOICE, TEXT), AttackType):
        items, _ = generate(agent, model, attack_request(kind, attack_type, 6), llm=llm)
        out[(kind, attack_type)] = items
    return agent, model, out


def check_corpus_agent(slug: str, llm) -> dict:
    """The properties of the issue, for one agent and one engine."""
    agent, model, out = batches(slug, llm)
    risks = build_risk_model(model)
    risk_ids = {r.id for r in risks.risks}
    targeted = set()
    for (kind, attack_type), items in out.items():
        assert len(items) == 6
        for item in items:
            named = [t for t in item.tags if t.startswith("risk:")]
            assert len(named) == 1 and named[0] in risk_ids and named[0] in item.covers, item.tags
            assert any(t.startswith("technique:") for t in item.tags)
            assert attack_type in risks.by_id(named[0]).attack_types
            assert not caller_text_problems(item.instructions, model), (item.name, caller_text_problems(
                item.instructions, model))
            assert MIN_TURNS <= len(turn_lines(item.instructions)) <= MAX_TURNS
            risk = risks.by_id(named[0])
            if risk.guardrail:
                assert quote(risk.guardrail) in item.expected_outcome_prompt
            if kind == VOICE:
                assert not voice_problems(item.instructions, agent.description), (item.name, voice_problems(
                    item.instructions, agent.description))
            if kind == VOICE:
                targeted.add(named[0])
        if kind == TEXT:
            techniques = {t for item in items for t in item.tags if t in TEXT_TECHNIQUES}
            assert len(techniques) >= 3, techniques
        scores = [similarity(a.instructions, b.instructions) for a, b in itertools.combinations(items, 2)]
        assert max(scores) < NEAR_DUPLICATE_THRESHOLD, (kind, attack_type, max(scores))
    assert len(targeted) >= 4, targeted
    return out


@pytest.mark.parametrize("slug", SLUGS)
def test_offline_attacks_over_the_corpus(slug):
    items = check_corpus_agent(slug, None)[(VOICE, AttackType.DATA_LEAK)]
    assert all(i.provenance.engine == "offline" for i in items)


@pytest.mark.parametrize("slug", SLUGS)
def test_llm_attacks_over_the_corpus(sim, slug):
    llm = OpenAICompatibleLLM(fast_config(sim))
    out = check_corpus_agent(slug, llm)
    engines = {i.provenance.engine for items in out.values() for i in items}
    assert engines == {"llm"}, engines  # the responder writes valid drafts from the facts


def test_twelve_voice_attacks_stay_apart():
    agent, model = corpus_agent("clinic-scheduling")
    for attack_type in AttackType:
        items, _ = generate(agent, model, attack_request(VOICE, attack_type, 12))
        scores = [similarity(a.instructions, b.instructions) for a, b in itertools.combinations(items, 2)]
        assert max(scores) < NEAR_DUPLICATE_THRESHOLD, (attack_type, max(scores))
