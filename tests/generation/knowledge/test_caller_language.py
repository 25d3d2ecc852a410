"""KB caller text in the agent's language (a Spanish tariff sheet for spanish-telecom: offline and the LLM engine's
fallback), questions that name their topic once, and out-of-scope questions next to the KB's own topics."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from scenarist.client.agent_dir import load_agent_dir
from scenarist.generation.knowledge.out_of_scope import out_of_scope_topics
from scenarist.generation.knowledge.phrases import NEAR_TOPICS, near_topics
from scenarist.generation.knowledge.planning import CATEGORY_OUT_OF_SCOPE
from scenarist.generation.understanding.language import detect_language
from scenarist.llm.client import OpenAICompatibleLLM
from scenarist.offline import agent_spec_from_dir
from tests.generation.knowledge.helpers import asked_question, generate_kb, kb_request
from tests.generation.knowledge.spanish_kb import TARIFAS, spanish_agent
from tests.generation.redteam.test_caller_language import english_sentences
from tests.llm.helpers import fast_config
from tests.llm_sim import LLMSimulator, SimConfig

ROOT = Path(__file__).resolve().parents[3]
NEAR_IDS = {t.id for t in NEAR_TOPICS}


def test_spanish_kb_questions_are_spanish_offline():
    agent = spanish_agent()
    items, _ = generate_kb(agent, kb_request(8))
    assert {i.category for i in items} == {"kb_question", CATEGORY_OUT_OF_SCOPE}
    for item in items:
        assert detect_language(item.instructions) == "es", item.instructions
        assert not english_sentences(item.instructions), english_sentences(item.instructions)
        question = asked_question(item.instructions)
        assert detect_language(question + " " + question) != "en", question
        for source in item.knowledge_base_sources:
            assert source.quote in TARIFAS and source.quote in item.expected_outcome_prompt


def english_kb(body: dict) -> dict:
    """A model that ignores the caller's language."""
    return {"name": "Price question", "caller_question": "Hi there, how much does the basic plan cost me every month?",
            "expected_answer": "The agent gives the monthly price of the basic plan."}


def test_an_english_llm_question_for_the_spanish_agent_falls_back_to_spanish():
    simulator = LLMSimulator(SimConfig(model="sim-kb-english")).start()
    try:
        simulator.set_responder(english_kb)
        items, _ = generate_kb(spanish_agent(), kb_request(4), llm=OpenAICompatibleLLM(fast_config(simulator)))
    finally:
        simulator.stop()
    assert {i.provenance.engine for i in items} == {"offline-fallback"}
    for item in items:
        assert not english_sentences(item.instructions), item.instructions


def corpus_kb_agents():
    paths = sorted(p for p in (ROOT / "tests" / "fixtures" / "agents").iterdir() if (p / "kb").is_dir())
    return paths + [ROOT / "examples" / "dental-agent"]


@pytest.mark.parametrize("path", corpus_kb_agents(), ids=lambda p: p.name)
def test_a_kb_question_names_its_topic_once(path):
    agent = agent_spec_from_dir(load_agent_dir(path))
    items, _ = generate_kb(agent, kb_request(12))
    for item in items:
        if item.category != "kb_question":
            continue
        question = asked_question(item.instructions).lower()
        topic = item.name.removeprefix("KB: ").rsplit(" (", 1)[0].lower()
        if len(topic.split()) <= 4 and len(topic) > 3:
            assert question.count(topic) <= 1, (question, topic)


def test_out_of_scope_questions_sit_next_to_the_kbs_topics_and_are_not_covered():
    path = ROOT / "tests" / "fixtures" / "agents" / "clinic-scheduling"
    agent = agent_spec_from_dir(load_agent_dir(path))
    items, _ = generate_kb(agent, kb_request(16))
    gaps = [i for i in items if i.category == CATEGORY_OUT_OF_SCOPE]
    asked = [t for q in (asked_question(i.instructions) for i in gaps) for t in NEAR_TOPICS
             if q.endswith(t.questions["en"])]
    assert asked, [asked_question(i.instructions) for i in gaps]  # the clinic KB has fees and hours: adjacent asks
    covered = "\n".join([agent.description, *(d.text for d in agent.kb_files)]).lower()
    for topic in asked:
        assert not any(re.search(r"\b" + re.escape(a), covered) for a in topic.anchors), topic.id


def test_near_topics_follow_the_headings_and_skip_what_is_covered():
    ids = {t.id for t in near_topics("Fees\nOpening hours", "Our fees are listed below.", "en")}
    assert {"instalments", "holiday_hours"} <= ids and "po_box" not in ids
    covered = "You can pay in instalments over six months."
    assert "instalments" not in {t.id for t in near_topics("Fees", covered, "en")}
    spanish = out_of_scope_topics("telecom", "Tarifas", 3, 1, near_text="Tarifa Básica\nHorario de atención",
                                  language="es")
    assert spanish and all(detect_language(t.question + " " + t.question) != "en" for t in spanish)
    assert spanish[0].id in NEAR_IDS
