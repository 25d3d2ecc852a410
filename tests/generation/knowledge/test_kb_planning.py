"""KB slot planning: quotes as they stand in the files, topics spread over files and sections, an out-of-scope share
chosen by n and the KB size (and truly uncovered)."""

from __future__ import annotations

from collections import Counter

import pytest

from scenarist.generation.knowledge.out_of_scope import _DOMAIN_TOPICS, _GENERIC_TOPICS, OutOfScopeTopic, is_covered
from scenarist.generation.knowledge.phrases import NEAR_TOPICS
from scenarist.generation.knowledge.planning import (
    out_of_scope_count,
    plan_kb_slots,
    ranked_sections,
    topic_key,
    topic_pools,
)
from scenarist.generation.knowledge.writer import locate_candidate
from scenarist.generation.understanding import build_agent_model
from scenarist.generation.knowledge.sections import split_sections
from tests.generation.knowledge.helpers import kb_request
from tests.generation.knowledge.kb_files import PRICES_CSV, dental_agent_with_kb, in_original


def plan(n: int, **extra):
    agent = dental_agent_with_kb()
    return agent, plan_kb_slots(agent, build_agent_model(agent), kb_request(n, **extra))


@pytest.mark.parametrize(("n", "topics", "expected"), [(1, 50, 0), (2, 1, 0), (3, 50, 1), (7, 50, 1), (16, 50, 2),
                                                     (40, 50, 5), (10, 4, 4), (100, 50, 31)])
def test_out_of_scope_share_is_chosen_by_n_and_the_kb_size(n, topics, expected):
    assert out_of_scope_count(n, topics) == expected


@pytest.mark.parametrize("n", [1, 3, 5, 10, 20, 100])
def test_plans_hold_the_out_of_scope_share(n):
    agent, slots = plan(n)
    expected_out = out_of_scope_count(n, sum(len(topic_pools(ranked_sections(d))) for d in agent.kb_files))
    assert len(slots) == n and [s.index for s in slots] == list(range(n))
    out = [s for s in slots if s.category == "kb_out_of_scope"]
    assert len(out) == expected_out
    assert all(s.category == "kb_question" for s in slots if s not in out)


def test_quotes_are_verbatim_in_their_files_and_sections():
    agent, slots = plan(20)
    docs = {d.file_id: d for d in agent.kb_files}
    for slot in slots:
        if slot.category != "kb_question":
            continue
        passage = slot.kb_passage
        doc = docs[passage.file_id]
        assert passage.file_name == doc.file_name
        assert in_original(doc, passage.quote)
        candidate = locate_candidate(doc, passage)
        assert candidate.quote == passage.quote
        assert slot.covers == [f"kb:file:{doc.file_id}:{topic_key(candidate)[1]}"]
        if doc.file_name.endswith(".csv"):
            row = int(passage.section.split()[-1])
            assert PRICES_CSV.splitlines()[row - 1].startswith(passage.quote)  # the row a person sees in the file


def test_questions_spread_across_all_files_and_their_sections():
    agent, slots = plan(20)
    in_scope = [s for s in slots if s.category == "kb_question"]
    per_file = Counter(s.kb_passage.file_id for s in in_scope)
    assert set(per_file) == {d.file_id for d in agent.kb_files}
    assert max(per_file.values()) - min(per_file.values()) <= 3
    for doc in agent.kb_files:
        sections = {s.kb_passage.section for s in in_scope if s.kb_passage.file_id == doc.file_id}
        available = split_sections(doc)
        assert len(sections) >= min(len(available), per_file[doc.file_id]) - 1
    pdf_pages = {s.kb_passage.section for s in in_scope if s.kb_passage.file_name.endswith(".pdf")}
    assert pdf_pages - {"page 1"}, "not only the first page"
    assert len({s.kb_passage.quote for s in in_scope}) == len(in_scope)


def test_small_batches_visit_every_file_first():
    agent, slots = plan(5)
    files = {s.kb_passage.file_id for s in slots if s.kb_passage}
    assert files == {d.file_id for d in agent.kb_files}


def test_out_of_scope_topics_are_not_covered_by_the_kb_or_prompt():
    agent, slots = plan(30)
    corpus = "\n".join([agent.description, *(d.text for d in agent.kb_files)])
    topics = {t.question: t for t in _GENERIC_TOPICS + [t for ts in _DOMAIN_TOPICS.values() for t in ts]}
    topics |= {t.questions["en"]: OutOfScopeTopic(t.id, t.questions["en"], t.anchors) for t in NEAR_TOPICS}
    out = [s for s in slots if s.category == "kb_out_of_scope"]
    assert len({s.out_of_scope_topic for s in out}) == len(out)
    for slot in out:
        assert slot.kb_passage is None and slot.out_of_scope_topic.endswith("?")
        assert not is_covered(topics[slot.out_of_scope_topic], corpus)


def test_a_covered_topic_is_skipped():
    agent = dental_agent_with_kb()
    extra = agent.kb_files[0].model_copy(update={"file_id": 999, "file_name": "parking.txt",
                                                  "text": "Free parking is available behind the clinic."})
    agent = agent.model_copy(update={"kb_files": [*agent.kb_files, extra]})
    slots = plan_kb_slots(agent, build_agent_model(agent), kb_request(50))
    assert all("parking" not in (s.out_of_scope_topic or "").lower() for s in slots)


def test_requested_files_only():
    agent, slots = plan(10, kb_file_ids=[102, 104])
    assert {s.kb_passage.file_id for s in slots if s.kb_passage} == {102, 104}


def test_personalities_spread_evenly_and_seeds_differ():
    agent, slots = plan(10)
    counts = Counter(s.personality_id for s in slots)
    k = len(kb_request(1).personalities)
    assert len(counts) == k and all(10 // k <= c <= -(-10 // k) for c in counts.values())
    assert len({s.seed for s in slots}) == 10
    _, again = plan(10)
    assert [s.model_dump() for s in slots] == [s.model_dump() for s in again]


def test_a_kb_without_usable_passages_still_yields_n_out_of_scope_slots():
    agent = dental_agent_with_kb()
    tiny = agent.kb_files[0].model_copy(update={"text": "Hello."})
    agent = agent.model_copy(update={"kb_files": [tiny]})
    slots = plan_kb_slots(agent, build_agent_model(agent), kb_request(4))
    assert [s.category for s in slots] == ["kb_out_of_scope"] * 4
