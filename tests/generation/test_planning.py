"""Slot allocation: coverage first, distinct slots, listed extra_instructions, personalities, existing scenarios."""

from __future__ import annotations

from collections import Counter

import pytest

from scenarist.generation.analysis import analyse_offline
from scenarist.generation.planning import plan_slots, split_listed
from scenarist.generation.types import GenerationRequest, PersonalitySpec
from tests.fixtures.agents import bank_agent, dental_agent, existing_dental_scenarios, personalities


def _plan(agent, n, **extra):
    request = GenerationRequest(num_scenarios=n, personalities=extra.pop("personalities", personalities()), **extra)
    return plan_slots(agent, analyse_offline(agent), request, engine="offline", prompt_version="t")


@pytest.mark.parametrize("n", [1, 4, 7, 30, 100])
def test_exact_count_and_distinct_slots(n):
    plan = _plan(bank_agent(), n)
    assert len(plan.slots) == n
    assert [s.index for s in plan.slots] == list(range(n))
    keys = [(s.category, s.intent_id, s.tool_name, s.complication, tuple(s.covers)) for s in plan.slots]
    assert len(set(keys)) == n


def test_happy_path_per_intent_first_then_uncovered_tools():
    agent = bank_agent()
    agent.tools.append(agent.tools[0].model_copy(update={"name": "send_statement", "description": "Email a PDF"}))
    analysis = analyse_offline(agent)
    intents = len(analysis.intents)
    plan = _plan(agent, intents + 1)
    assert [s.category for s in plan.slots[:intents]] == ["happy_path"] * intents
    assert {s.intent_id for s in plan.slots[:intents]} == {i.id for i in analysis.intents}
    assert plan.slots[intents].tool_name == "send_statement"


def test_variants_and_guardrail_probes_appear():
    plan = _plan(dental_agent(), 30)
    categories = Counter(s.category for s in plan.slots)
    assert {"not_found", "alternate_path", "tool_failure", "edge_case", "guardrail"} <= set(categories)
    guardrails = [s for s in plan.slots if s.category == "guardrail"]
    assert all(any(c.startswith("policy:") for c in s.covers) for s in guardrails)


@pytest.mark.parametrize("n", [5, 13, 100])
def test_personalities_spread_evenly_and_matched_to_mood(n):
    plan = _plan(dental_agent(), n)
    counts = Counter(s.personality_id for s in plan.slots)
    k = len(personalities())
    assert set(counts) == {p.id for p in personalities()}
    assert all(n // k <= c <= -(-n // k) for c in counts.values())
    if n >= 13:
        happy = {s.personality_id for s in plan.slots if s.category == "happy_path"}
        assert happy <= {693, 694, 702}  # calm personalities take the plain paths
        hard = [s.personality_id for s in plan.slots if s.category in ("tool_failure", "guardrail")]
        assert {700, 701} & set(hard)


def test_no_personalities_leaves_ids_empty():
    plan = _plan(dental_agent(), 3, personalities=[])
    assert {s.personality_id for s in plan.slots} == {None}


def test_single_personality_everywhere():
    plan = _plan(dental_agent(), 6, personalities=[PersonalitySpec(id=9, name="Only")])
    assert {s.personality_id for s in plan.slots} == {9}


@pytest.mark.parametrize("text, items", [
    ("- caller wants to cancel tomorrow's visit\n- caller asks for weekend hours\n- caregiver calls for a parent",
     3),
    ("1. Lost card while abroad\n2. Card arrived damaged", 2),
    ("A caller who forgot their PIN.\n\nA caller disputing a double charge.", 2),
    ("Generate these:\n- first listed case here\n- second listed case here", 2),
])
def test_split_listed_items(text, items):
    _, listed = split_listed(text)
    assert len(listed) == items


def test_split_listed_keeps_single_instruction_as_steering():
    steering, listed = split_listed("Focus on elderly callers who are unsure about technology.")
    assert listed == [] and steering.startswith("Focus")


def test_listed_instructions_equal_to_n_are_the_batch():
    text = "- caller wants to cancel the filling appointment\n- caller asks for parking\n- caller books a check-up"
    plan = _plan(dental_agent(), 3, extra_instructions=text)
    assert [s.category for s in plan.slots] == ["listed"] * 3
    assert [s.listed_instruction for s in plan.slots] == [
        "caller wants to cancel the filling appointment", "caller asks for parking", "caller books a check-up"]
    assert plan.slots[0].intent_id == "intent:rescheduling_or_cancelling_an_appointment"
    assert plan.steering == ""


def test_fewer_listed_than_n_then_planned_slots_and_more_are_noted():
    text = "- caller wants to cancel\n- caller asks about parking"
    plan = _plan(dental_agent(), 6, extra_instructions=text)
    assert [s.category for s in plan.slots[:2]] == ["listed", "listed"]
    assert all(s.category != "listed" for s in plan.slots[2:])
    over = _plan(dental_agent(), 1, extra_instructions=text)
    assert len(over.slots) == 1 and over.notes


def test_steering_text_is_kept_for_every_slot():
    plan = _plan(dental_agent(), 4, extra_instructions="Callers are parents booking for their children.")
    assert plan.steering == "Callers are parents booking for their children."


def test_existing_happy_path_is_not_repeated_when_alternatives_exist():
    agent = dental_agent()
    agent.existing_scenarios = existing_dental_scenarios()
    plan = _plan(agent, 4)
    booking = [s for s in plan.slots if s.intent_id == "intent:booking_a_new_appointment"]
    assert booking and booking[0].category != "happy_path"  # still covered, by a variant


def test_plan_is_deterministic_and_seed_changes_slot_seeds():
    a, b = _plan(dental_agent(), 10), _plan(dental_agent(), 10)
    assert a.model_dump() == b.model_dump()
    c = _plan(dental_agent(), 10, seed=7)
    assert [s.seed for s in a.slots] != [s.seed for s in c.slots]
