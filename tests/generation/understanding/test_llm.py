"""The LLM engine against the simulator: asked directly from the full prompt, long prompts chunked (never cut),
answers validated (real tools, verbatim rules, canonical fields), mock rows computed in code, offline fallback."""

from __future__ import annotations

import asyncio

import pytest

from scenarist.generation.agent_model import DOMAINS
from scenarist.generation.data_blocks import as_data
from scenarist.generation.understanding import build_agent_model, llm_agent_model
from scenarist.generation.shared_prefix import PREFIX_SYSTEM
from scenarist.generation.understanding.llm import chunk_chars_for
from scenarist.generation.understanding.llm_prompt import (
    DEFAULT_CHUNK_CHARS,
    TASK,
    LLMAgentModel,
    chunks_of,
    messages_for,
)
from scenarist.llm.estimate import EstimatingLLM
from scenarist.llm.sizing import request_tokens
from scenarist.llm.client import OpenAICompatibleLLM
from tests.generation.understanding.expected import corpus_slugs, load_agent
from tests.generation.understanding.responders import INVENTED_RULE, understanding_responder
from tests.llm.helpers import fast_config
from tests.llm_sim import LLMSimulator, SimConfig
from tests.llm_sim.config import SERVER_ERROR


@pytest.fixture(scope="module")
def sim():
    simulator = LLMSimulator(SimConfig()).start()
    yield simulator
    simulator.stop()


@pytest.fixture
def llm(sim):
    sim.reset()
    return OpenAICompatibleLLM(fast_config(sim, max_concurrency=8))


def _norm(text: str) -> str:
    return " ".join(text.replace("**", "").split()).lower()


def test_the_model_is_asked_directly_and_its_answer_validated(sim, llm):
    sim.set_responder(understanding_responder)
    agent = load_agent("clinic-scheduling")
    model, usage = asyncio.run(llm_agent_model(agent, llm))
    assert model.engine == "llm" and usage.llm_calls == 1
    assert [i.name for i in model.intents] == ["book a new appointment", "reschedule", "cancel",
                                               "look up an upcoming appointment"]
    tool_names = {t.name for t in model.tools}
    assert all(set(i.tools) <= tool_names for i in model.intents)  # "not_a_tool" dropped
    assert all(_norm(p.text) in _norm(agent.description) for p in model.policies)  # every rule verbatim
    assert INVENTED_RULE not in [p.text for p in model.policies]
    assert not any(p.text.endswith("at all.") for p in model.policies)  # the paraphrase became the real sentence
    assert model.verification.fields == ["phone"] and model.verification.tool == "lookup_patient"
    assert model.domain == "healthcare" and model.today == "{{current_date}}"
    offline = build_agent_model(agent)
    assert model.tools == offline.tools and model.chains == offline.chains  # rows and chains stay computed in code


def test_the_request_carries_the_full_prompt_as_data_after_the_shared_prefix(sim, llm):
    captured = []

    def responder(body):
        captured.append(body["messages"])
        return understanding_responder(body)

    sim.set_responder(responder)
    agent = load_agent("xml-pharmacy")
    asyncio.run(llm_agent_model(agent, llm))
    system, data, task = (m["content"] for m in captured[0])
    assert system == PREFIX_SYSTEM  # the shared prefix first: a notice, then tools, variables and the prompt
    assert data.startswith("<tools>") and data.endswith("</agent_prompt>")
    assert task.startswith(TASK)  # the task after the data
    assert "< role>" in data and "<role>" not in data  # the agent's tags are broken up: data, never our blocks
    assert "offline" not in data.lower() and "draft" not in data.lower()


def test_a_long_prompt_is_chunked_and_nothing_is_cut(sim, llm):
    seen: list[str] = []

    def responder(body):
        user = body["messages"][1]["content"]
        seen.append(user.split("<agent_prompt", 1)[1].split(">\n", 1)[1].rsplit("\n</agent_prompt>", 1)[0])
        return understanding_responder(body)

    sim.set_responder(responder)
    agent = load_agent("medicare-leads")
    assert len(agent.description) > 30_000
    chunks = chunks_of(agent.description, 8_000)
    assert len(chunks) >= 4 and "".join(chunks) == agent.description and max(map(len, chunks)) <= 8_000
    asyncio.run(llm_agent_model(agent, llm, chunk_chars=8_000))
    assert set(seen) == {as_data(c) for c in chunks}  # every part of the prompt reached the model


def test_default_chunk_keeps_a_30k_prompt_in_two_calls():
    agent = load_agent("medicare-leads")
    assert len(chunks_of(agent.description)) == 2 and DEFAULT_CHUNK_CHARS < len(agent.description)


@pytest.mark.parametrize("context_tokens", [8192, 16384, 128_000])
def test_chunks_are_sized_to_the_models_context(context_tokens):
    agent = load_agent("medicare-leads")
    offline = build_agent_model(agent)
    outline = [s.title for s in offline.sections if s.title and s.parent_id is None]
    llm = EstimatingLLM(context_tokens=context_tokens)
    size = chunk_chars_for(agent, llm, offline, outline)
    assert size <= DEFAULT_CHUNK_CHARS
    chunks = chunks_of(agent.description, size)
    for index, chunk in enumerate(chunks):  # every call, with its answer's bound, fits the context
        messages = messages_for(agent, offline.tools, offline.variables, chunk, index + 1, len(chunks), outline)
        assert request_tokens(messages, LLMAgentModel) <= llm.prompt_tokens_available(LLMAgentModel)
    if context_tokens == 128_000:
        assert len(chunks) == 2  # a large context is bounded by what one answer can list
    if context_tokens == 8192:
        assert len(chunks) > 2


def test_the_first_part_of_a_long_prompt_is_a_prefix_of_the_item_calls():
    """The agent's text is sent the same way by both calls, so a prompt cache serves it to the first item."""
    from scenarist.generation.pipeline import generate
    from scenarist.generation.types import GenerationRequest

    agent = load_agent("medicare-leads")
    llm = EstimatingLLM()
    generate(agent, GenerationRequest(num_scenarios=3, seed=2), llm)
    understanding = [c for c in llm.calls if c.schema == "LLMAgentModel"]
    first_item = next(c for c in llm.calls if c.schema == "LLMScenarioDraft")
    assert len(understanding) == 2
    assert first_item.cached_prompt_tokens >= 0.7 * understanding[0].prompt_tokens  # all of part 1 but its task


def test_rules_of_every_chunk_are_merged(sim, llm):
    sim.set_responder(understanding_responder)
    agent = load_agent("clinic-scheduling")
    model, usage = asyncio.run(llm_agent_model(agent, llm, chunk_chars=2_000))
    assert usage.llm_calls == len(chunks_of(agent.description, 2_000)) > 2
    texts = " ".join(p.text for p in model.policies)
    assert "Never disclose another patient's information" in texts  # from an early chunk
    assert "Never tell the caller an appointment is booked" in texts  # from the last chunk
    assert [i.name for i in model.intents][:2] == ["book a new appointment", "reschedule"]


def test_a_failing_provider_gives_the_offline_model(sim, llm):
    sim.script_faults([SERVER_ERROR] * 20)
    agent = load_agent("card-services")
    model, _ = asyncio.run(llm_agent_model(agent, llm))
    offline = build_agent_model(agent)
    assert model.engine == "offline-fallback"
    assert [i.name for i in model.intents] == [i.name for i in offline.intents]
    assert model.notes[-1].startswith("LLM understanding failed")


def test_an_unusable_answer_gives_the_offline_model_after_one_reask(sim, llm):
    sim.set_responder(lambda body: {"intents": [], "policies": []})
    model, usage = asyncio.run(llm_agent_model(load_agent("it-helpdesk"), llm))
    assert model.engine == "offline-fallback" and usage.llm_calls == 2


def test_schema_shaped_nonsense_never_leaks_into_the_model(sim, llm):
    agent = load_agent("restaurant-reservations")  # no responder: the simulator invents values from the schema
    model, _ = asyncio.run(llm_agent_model(agent, llm))
    tool_names = {t.name for t in model.tools}
    assert all(set(i.tools) <= tool_names for i in model.intents)
    sources = [_norm(agent.description)] + [_norm(t.description or "") for t in agent.tools]
    assert all(any(_norm(p.text) in source for source in sources) for p in model.policies)
    assert model.domain in DOMAINS and model.intents


@pytest.mark.parametrize("slug", corpus_slugs())
def test_every_corpus_agent_gives_a_valid_model_through_the_llm_engine(sim, llm, slug):
    sim.set_responder(understanding_responder)
    agent = load_agent(slug)
    model, usage = asyncio.run(llm_agent_model(agent, llm, chunk_chars=12_000))
    offline = build_agent_model(agent)
    assert model.engine in ("llm", "offline-fallback") and usage.llm_calls >= len(chunks_of(agent.description, 12_000))
    assert model.intents and model.domain in DOMAINS
    tool_names = {t.name for t in model.tools}
    assert all(set(i.tools) <= tool_names for i in model.intents)
    sources = [_norm(agent.description)] + [_norm(t.description or "") for t in agent.tools]
    assert all(any(_norm(p.text) in source for source in sources) for p in model.policies)
    assert model.tools == offline.tools and model.chains == offline.chains
    assert {f.id for f in model.failure_modes} >= {f.id for f in offline.failure_modes if f.tool}


def test_steps_of_the_call_offered_as_intents_are_dropped(sim, llm):
    """Seen on a real 1.5B model: 'verify a cardholder' (the agent's identification step) came back as an intent."""
    def responder(body):
        answer = understanding_responder(body)
        answer["intents"] = [*answer["intents"],
                             {"name": "verify a cardholder", "tools": []}, {"name": "Greet the caller", "tools": []},
                             {"name": "authenticate the customer", "tools": []},
                             {"name": "open a brokerage account", "tools": []}]  # nothing in a clinic's prompt
        return answer

    sim.set_responder(responder)
    model, _ = asyncio.run(llm_agent_model(load_agent("clinic-scheduling"), llm))
    names = [i.name.lower() for i in model.intents]
    assert model.engine == "llm" and names
    assert not any(n in names for n in ("verify a cardholder", "greet the caller", "authenticate the customer",
                                        "open a brokerage account"))
