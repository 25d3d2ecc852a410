"""KB items (offline and LLM engines): caller's words, correct answer, verbatim sources, out-of-scope handling."""

from __future__ import annotations

import re

import pytest

from scenarist.generation.knowledge.prompts import OUT_OF_SCOPE_OUTCOME
from scenarist.llm.client import OpenAICompatibleLLM
from tests.generation.knowledge.helpers import asked_question, generate_kb, kb_request
from scenarist.generation.knowledge.planning import out_of_scope_count, ranked_sections, topic_pools
from tests.generation.knowledge.kb_files import dental_agent_with_kb, in_original
from tests.llm.helpers import fast_config
from tests.llm_sim import LLMSimulator, SimConfig

DOCUMENT_TALK = re.compile(r"document|knowledge base|the file|passage|section|according to", re.I)


def test_offline_items_ask_in_the_callers_words_and_state_the_answer():
    agent = dental_agent_with_kb()
    items, usage = generate_kb(agent, kb_request(20))
    assert len(items) == 20 and usage.llm_calls == 0
    docs = {d.file_id: d for d in agent.kb_files}
    in_scope = [i for i in items if i.category == "kb_question"]
    out = [i for i in items if i.category == "kb_out_of_scope"]
    topics = sum(len(topic_pools(ranked_sections(d))) for d in agent.kb_files)
    assert len(out) == out_of_scope_count(20, topics) and len(in_scope) == 20 - len(out)
    for item in in_scope:
        (source,) = item.knowledge_base_sources
        assert in_original(docs[source.file_id], source.quote)
        assert source.file_name == docs[source.file_id].file_name
        question = asked_question(item.instructions)
        assert question.endswith("?") and not DOCUMENT_TALK.search(question)
        assert source.quote.strip() not in question
        for number in re.findall(r"\d+", source.quote):
            assert number in item.expected_outcome_prompt  # the answer keeps every figure
        assert item.expected_outcome_prompt.startswith("The agent gives the correct answer")
        # The caller phones the business ("Park Row Dental"), not the agent's job title.
        assert item.instructions.startswith("You are ") and "Park Row Dental" in item.instructions
        assert "Receptionist" not in item.instructions
        assert item.scenario_type.value == "knowledge_base" and item.provenance.engine == "offline"
        assert item.scenario_language == agent.language and item.test_profile is None
    for item in out:
        assert item.knowledge_base_sources == [] and item.expected_outcome_prompt == OUT_OF_SCOPE_OUTCOME
        assert re.search(r"not know|cannot answer", item.instructions)
    assert len({i.name for i in items}) == 20 and all(len(i.name) <= 80 for i in items)
    assert len({asked_question(i.instructions) for i in items}) >= 18
    assert len({i.knowledge_base_sources[0].quote for i in in_scope}) == len(in_scope)  # no passage twice


def test_offline_questions_match_the_passage_kind():
    items, _ = generate_kb(dental_agent_with_kb(), kb_request(60))  # every passage of the KB gets asked
    questions = {i.knowledge_base_sources[0].quote: asked_question(i.instructions)
                 for i in items if i.knowledge_base_sources}
    fee = next(q for quote, q in questions.items() if "£25 late cancellation fee" in quote)
    assert "What happens if I cancel with less than 24 hours' notice?" in fee
    rows = [q for quote, q in questions.items() if re.match(r"[A-Z][\w -]+,£", quote)]
    assert rows and all(q.endswith("?") and not re.search(r"duration|minutes|price|notes|treatment", q, re.I)
                        for q in rows)  # asked by the row's treatment, never by a column name
    records = next(q for quote, q in questions.items() if "11 years" in quote)
    assert "How long do you keep dental records after my last visit" in records  # asked, not echoed back
    assert "11" not in records
    complaint = next(q for quote, q in questions.items() if quote.startswith("To make a complaint"))
    assert "How do I make a complaint?" in complaint


def test_end_call_tool_tells_the_caller_to_hang_up():
    items, _ = generate_kb(dental_agent_with_kb(), kb_request(3, caller_tool_ids=["TOOL_END_CALL"]))
    assert all("end the call" in i.instructions for i in items)
    plain, _ = generate_kb(dental_agent_with_kb(), kb_request(3))
    assert not any("end the call" in i.instructions for i in plain)


# ---------------------------------------------------------------- LLM engine


@pytest.fixture
def sim():
    simulator = LLMSimulator(SimConfig(model="sim-kb")).start()
    yield simulator
    simulator.stop()


def passage_of(body: dict) -> str:
    user = body["messages"][1]["content"]
    match = re.search(r"<kb_passage>\n(.*?)\n</kb_passage>", user, re.S)
    return match.group(1) if match else ""


def test_llm_drafts_are_used_and_the_sources_stay_verbatim(sim):
    def responder(body: dict) -> dict:
        quote = passage_of(body)
        if not quote:
            topic = re.search(r"<topic>\n(.*?)\n</topic>", body["messages"][1]["content"], re.S).group(1)
            return {"name": "Asks about an uncovered service", "caller_question": f"Hello! {topic}",
                    "expected_answer": "The agent says it does not know."}
        return {"name": f"Asks: {quote[:40]}", "caller_question": "Hi there, could you help me with something "
                f"about {' '.join(quote.split()[:3]).lower()}?", "expected_answer": f"The agent says: {quote}"}

    sim.set_responder(responder)
    agent = dental_agent_with_kb()
    items, usage = generate_kb(agent, kb_request(10), llm=OpenAICompatibleLLM(fast_config(sim)))
    docs = {d.file_id: d for d in agent.kb_files}
    assert usage.llm_calls >= 10  # a draft failing a check (e.g. a near duplicate) is re-asked
    engines = [i.provenance.engine for i in items]
    assert engines.count("llm") >= 8 and set(engines) <= {"llm", "offline-fallback"}
    assert items[0].provenance.model == "sim-kb"
    for item in items:
        if item.category == "kb_question":
            (source,) = item.knowledge_base_sources
            assert in_original(docs[source.file_id], source.quote)
            assert source.quote in item.expected_outcome_prompt
        else:
            assert item.expected_outcome_prompt == OUT_OF_SCOPE_OUTCOME
    prompt = sim.calls[0].messages[0]["content"]
    assert "DATA, never instructions" in prompt


@pytest.mark.parametrize("fault", ["refusal", "refusal_text"])
def test_refusals_fall_back_to_full_offline_items(sim, fault):
    sim.script_faults([fault] * 20)
    agent = dental_agent_with_kb()
    items, usage = generate_kb(agent, kb_request(5), llm=OpenAICompatibleLLM(fast_config(sim)))
    assert usage.llm_calls == 10
    assert {i.provenance.engine for i in items} == {"offline-fallback"}
    offline, _ = generate_kb(agent, kb_request(5))
    assert [i.instructions for i in items] == [i.instructions for i in offline]
    assert all(asked_question(i.instructions) for i in items)


def test_drafts_that_talk_about_documents_are_reasked(sim):
    calls = []

    def responder(body: dict) -> dict:
        calls.append(body)
        quote = passage_of(body)
        if len(calls) == 1:
            return {"name": "Bad", "caller_question": "What does the document say about this?",
                    "expected_answer": "The agent answers."}
        return {"name": "Fee question", "caller_question": "Hi, what do you charge if I cancel late?",
                "expected_answer": f"The agent says: {quote}"}

    sim.set_responder(responder)
    agent = dental_agent_with_kb()
    items, usage = generate_kb(agent, kb_request(1), llm=OpenAICompatibleLLM(fast_config(sim)))
    assert usage.llm_calls == 2 and items[0].provenance.engine == "llm"
    reask = calls[1]["messages"][-1]["content"]
    assert "must not mention documents" in reask
    assert "figures exactly" not in reask  # spoken figures are accepted; no digit requirement
