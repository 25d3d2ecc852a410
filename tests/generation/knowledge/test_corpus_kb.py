"""Knowledge-base questions over the corpus agents with KB files and the shipped dental example, both engines (the LLM
through the simulator): quotes as they stand in the files, real caller questions (no cloze, no restated answer, no
column names), topics spread before any repeats, no near duplicates, out-of-scope share by n."""

from __future__ import annotations

import asyncio
import hashlib
import itertools
import json
import re
from pathlib import Path

import pytest

from scenarist.agents.extraction import extract_text
from scenarist.client.agent_dir import load_agent_dir
from scenarist.generation.diversity import NEAR_DUPLICATE_THRESHOLD, similarity
from scenarist.generation.knowledge.checks import is_cloze, restates_answer
from scenarist.generation.knowledge.passages import passage_kind
from scenarist.generation.knowledge.planning import out_of_scope_count, plan_kb_slots, ranked_sections, topic_pools
from scenarist.generation.knowledge.questions import _figure, clean
from scenarist.generation.knowledge.writer import write_kb_item
from scenarist.generation.types import GenerationRequest, KBDocument, ScenarioKind
from scenarist.generation.understanding import build_agent_model
from scenarist.llm.client import OpenAICompatibleLLM
from scenarist.offline import agent_spec_from_dir
from tests.generation.knowledge.helpers import asked_question
from tests.llm.helpers import fast_config
from tests.llm_sim import LLMSimulator, SimConfig

ROOT = Path(__file__).resolve().parents[3]
KB_AGENTS = sorted([p for p in (ROOT / "tests" / "fixtures" / "agents").iterdir() if (p / "kb").is_dir()]
                   + [ROOT / "examples" / "dental-agent"])
SNAKE = re.compile(r"\b[a-z]+(?:_[a-z0-9]+)+\b")


def load(path: Path):
    agent = agent_spec_from_dir(load_agent_dir(path))
    return agent, build_agent_model(agent)


def write_batch(agent, model, n: int, llm=None):
    request = GenerationRequest(scenario_type=ScenarioKind.KNOWLEDGE_BASE, num_scenarios=n, seed=5)

    async def run():
        items, taken = [], set()
        for slot in plan_kb_slots(agent, model, request):
            item, _ = await write_kb_item(agent, model, request, slot, llm=llm, taken_names=taken, seed=slot.seed,
                                          accepted=items)
            items.append(item)
        return items

    return asyncio.run(run())


def original_text(path: Path, doc: KBDocument) -> str:
    """What a person sees in the file: its bytes (the extracted text for a PDF)."""
    if doc.file_name.endswith(".pdf"):
        return doc.text
    return (path / "kb" / doc.file_name).read_bytes().decode("utf-8-sig")


def check_batch(path: Path, agent, items, n: int) -> None:
    docs = {d.file_id: d for d in agent.kb_files}
    topics = sum(len(topic_pools(ranked_sections(d))) for d in agent.kb_files)
    assert len(items) == n
    out = [i for i in items if i.category == "kb_out_of_scope"]
    assert len(out) == out_of_scope_count(n, topics)
    seen: set[str] = set()
    for item in sorted(items, key=lambda i: i.index):
        question = asked_question(item.instructions)
        assert question.endswith("?") and not is_cloze(question), question
        assert not SNAKE.search(question), question
        if item.category != "kb_question":
            continue
        (source,) = item.knowledge_base_sources
        doc = docs[source.file_id]
        assert source.quote in original_text(path, doc), (doc.file_name, source.quote)
        flat = clean(source.quote)
        assert not restates_answer(question, source.quote, _figure(flat, passage_kind(flat))), question
        topic = item.covers[0]
        if topic in seen:  # a topic comes back only once every topic has been asked
            assert len(seen) == topics, (topic, len(seen), topics)
        seen.add(topic)
    scores = [similarity(a.instructions, b.instructions) for a, b in itertools.combinations(items, 2)]
    assert max(scores) < NEAR_DUPLICATE_THRESHOLD, max(scores)


@pytest.mark.parametrize("path", KB_AGENTS, ids=lambda p: p.name)
@pytest.mark.parametrize("n", [6, 10, 20])
def test_offline_kb_over_the_corpus(path, n):
    agent, model = load(path)
    items = write_batch(agent, model, n)
    check_batch(path, agent, items, n)
    assert {i.provenance.engine for i in items} == {"offline"}


def test_csv_scenarios_name_their_file_and_row():
    path = ROOT / "tests" / "fixtures" / "agents" / "clinic-scheduling"
    agent, model = load(path)
    rows = (path / "kb" / "fees.csv").read_text().splitlines()
    items = [i for i in write_batch(agent, model, 20) if i.knowledge_base_sources
             and i.knowledge_base_sources[0].file_name == "fees.csv"]
    assert len(items) >= 4
    for item in items:
        quote = item.knowledge_base_sources[0].quote
        number = next(i for i, row in enumerate(rows, start=1) if row.startswith(quote))
        assert f"fees.csv, row {number}: {quote}" in item.expected_outcome_prompt
        question = asked_question(item.instructions).lower()
        assert not re.search(r"self pay|price usd|visit length|notes", question), question


def test_dental_example_has_no_near_duplicates_at_six():
    path = ROOT / "examples" / "dental-agent"
    agent, model = load(path)
    items = write_batch(agent, model, 6)
    scores = [similarity(a.instructions, b.instructions) for a, b in itertools.combinations(items, 2)]
    assert max(scores) < NEAR_DUPLICATE_THRESHOLD


SHIPPING_JSON = json.dumps({
    "standard_shipping": {"business_days": "3 to 5 business days", "cost_usd": 6.95,
                          "free_over": "Free standard shipping on orders over $75."},
    "express_shipping": {"business_days": "1 to 2 business days", "cost_usd": 14.5},
    "international": {"note": "We ship to Canada and the UK only; duties are paid by the customer."},
}, indent=2)


def test_json_quotes_occur_in_the_file_bytes():
    path = ROOT / "tests" / "fixtures" / "agents" / "clinic-scheduling"
    agent, _ = load(path)
    extracted = extract_text("shipping.json", SHIPPING_JSON.encode())
    doc = KBDocument(file_id=9, file_name="shipping.json", file_type=extracted.file_type, text=extracted.text)
    agent = agent.model_copy(update={"kb_files": [doc]})
    items = write_batch(agent, build_agent_model(agent), 6)
    sources = [i.knowledge_base_sources[0] for i in items if i.knowledge_base_sources]
    assert len(sources) >= 4
    for source in sources:
        assert source.quote in SHIPPING_JSON, source.quote
        assert not SNAKE.search(asked_question(next(i for i in items if i.knowledge_base_sources and
                                                     i.knowledge_base_sources[0] == source).instructions))


# ---------------------------------------------------------------- LLM engine


def kb_responder(body: dict) -> dict:
    """A well-behaved model: asks about the passage's subject in everyday words, answers from the passage."""
    user = body["messages"][1]["content"]
    passage = re.search(r"<kb_passage>\n(.*?)\n</kb_passage>", user, re.S)
    if not passage:
        topic = re.search(r"<topic>\n(.*?)\n</topic>", user, re.S).group(1)
        return {"name": "Asks about something not covered", "caller_question": f"Hello, one more thing. {topic}",
                "expected_answer": "The agent says it does not know."}
    quote = passage.group(1)
    words = [w for w in re.findall(r"[A-Za-z']{4,}", quote.split(",")[0]) if w.lower() not in
             {"with", "that", "your", "from", "this", "have", "will", "must", "please"}][:3]
    subject = " ".join(words).lower() or "that"
    forms = ("Could you tell me a bit about {s}?", "What should I know about {s}?", "How does {s} work with you?",
             "Can you explain {s} for me?", "What's the story with {s}?")
    pick = int(hashlib.sha1(quote.encode()).hexdigest(), 16) % len(forms)
    return {"name": f"Asks about {subject}"[:80], "caller_question": f"Hi there, {forms[pick].format(s=subject)}",
            "expected_answer": f"The agent explains: {clean(quote)}"}


@pytest.fixture(scope="module")
def sim():
    simulator = LLMSimulator(SimConfig(model="sim-kb")).start()
    simulator.set_responder(kb_responder)
    yield simulator
    simulator.stop()


@pytest.mark.parametrize("path", KB_AGENTS, ids=lambda p: p.name)
def test_llm_kb_over_the_corpus(sim, path):
    agent, model = load(path)
    items = write_batch(agent, model, 10, llm=OpenAICompatibleLLM(fast_config(sim)))
    check_batch(path, agent, items, 10)
    engines = [i.provenance.engine for i in items]
    assert engines.count("llm") >= 6 and set(engines) <= {"llm", "offline-fallback"}, engines
    for item in items:
        if item.provenance.engine == "llm" and item.knowledge_base_sources:
            source = item.knowledge_base_sources[0]
            assert f"{source.file_name}," in item.expected_outcome_prompt and source.quote in item.expected_outcome_prompt
