"""Slot allocation over the agent model: happy paths, then probes and failures, then the rest; listed
extra_instructions, personalities, existing scenarios."""

from __future__ import annotations

import re
from collections import Counter

import pytest

from scenarist.generation.planning import FAILURE_CATEGORY, plan_slots, split_listed
from scenarist.generation.types import ExistingScenario, GenerationRequest, PersonalitySpec
from tests.fixtures.agents import personalities
from tests.generation.truth import corpus_agent, corpus_slugs, truth_model


def _plan(slug, n, **extra):
    request = GenerationRequest(num_scenarios=n, personalities=extra.pop("personalities", personalities()), **extra)
    agent = extra.pop("agent", None) or corpus_agent(slug)
    return plan_slots(agent, truth_model(slug), request, engine="offline", prompt_version="t")


@pytest.mark.parametrize("n", [1, 4, 7, 30, 100])
def test_exact_count_and_distinct_slots(n):
    plan = _plan("clinic-scheduling", n)
    assert len(plan.slots) == n
    assert [s.index for s in plan.slots] == list(range(n))
    keys = [(s.category, s.intent_id, s.complication, s.policy_id, s.failure_id, s.branch) for s in plan.slots]
    assert len(set(keys)) == n


@pytest.mark.parametrize("slug", corpus_slugs())
def test_happy_path_per_intent_first_then_probes_and_failures(slug):
    model = truth_model(slug)
    probes, failures = model.probe_policies(), model.failure_modes
    n = len(model.intents) + len(probes) + len(failures)
    plan = _plan(slug, max(n, 1))
    head = plan.slots[:len(model.intents)]
    assert [s.category for s in head] == ["happy_path"] * len(model.intents)
    assert {s.intent_id for s in head} == {i.id for i in model.intents}
    rest = plan.slots[len(model.intents):n]
    assert {s.policy_id for s in rest if s.category == "guardrail"} == {p.id for p in probes}
    assert {s.failure_id for s in rest if s.failure_id} == {f.id for f in failures}
    for slot in rest:
        if slot.failure_id:
            mode = next(f for f in failures if f.id == slot.failure_id)
            assert slot.category == FAILURE_CATEGORY[mode.outcome]
            assert mode.id in slot.covers


def test_short_n_still_mixes_probes_and_failures():
    model = truth_model("clinic-scheduling")
    n = len(model.intents) + 6
    plan = _plan("clinic-scheduling", n)
    categories = Counter(s.category for s in plan.slots[len(model.intents):])
    assert categories["guardrail"] >= 2
    assert sum(categories[c] for c in FAILURE_CATEGORY.values()) >= 2


def test_transactions_are_planned_before_lookups():
    plan = _plan("clinic-scheduling", 4)
    assert plan.slots[0].intent_id == "intent:book_a_new_appointment"


def test_guardrail_slots_cover_their_policy():
    plan = _plan("clinic-scheduling", 100)
    guardrails = [s for s in plan.slots if s.category == "guardrail"]
    assert guardrails and all(s.policy_id in s.covers for s in guardrails)
    tactics = Counter(s.policy_id for s in guardrails)
    assert max(tactics.values()) >= 2  # with room, a rule is probed again with another tactic


@pytest.mark.parametrize("n", [5, 13, 100])
def test_personalities_spread_evenly_and_matched_to_mood(n):
    plan = _plan("clinic-scheduling", n)
    counts = Counter(s.personality_id for s in plan.slots)
    k = len(personalities())
    assert set(counts) == {p.id for p in personalities()}
    assert all(n // k <= c <= -(-n // k) for c in counts.values())
    if n >= 13:
        happy = {s.personality_id for s in plan.slots if s.category == "happy_path"}
        assert happy <= {693, 694, 702}  # calm personalities take the plain paths
        hard = [s.personality_id for s in plan.slots if s.category in ("tool_failure", "guardrail")]
        assert {700, 701} & set(hard)


def test_no_personalities_leaves_ids_empty_and_one_is_used_everywhere():
    assert {s.personality_id for s in _plan("clinic-scheduling", 3, personalities=[]).slots} == {None}
    single = _plan("clinic-scheduling", 6, personalities=[PersonalitySpec(id=9, name="Only")])
    assert {s.personality_id for s in single.slots} == {9}


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
    text = "- caller wants to cancel an appointment\n- caller asks to reschedule\n- caller books a new appointment"
    plan = _plan("clinic-scheduling", 3, extra_instructions=text)
    assert [s.category for s in plan.slots] == ["listed"] * 3
    assert [s.listed_instruction for s in plan.slots] == [
        "caller wants to cancel an appointment", "caller asks to reschedule", "caller books a new appointment"]
    assert plan.slots[0].intent_id == "intent:cancel_an_appointment"
    assert plan.steering == ""


def test_fewer_listed_than_n_then_planned_slots_and_more_are_noted():
    text = "- caller wants to cancel\n- caller asks about parking"
    plan = _plan("clinic-scheduling", 6, extra_instructions=text)
    assert [s.category for s in plan.slots[:2]] == ["listed", "listed"]
    assert all(s.category != "listed" for s in plan.slots[2:])
    over = _plan("clinic-scheduling", 1, extra_instructions=text)
    assert len(over.slots) == 1 and over.notes


def test_existing_happy_path_is_not_repeated():
    agent = corpus_agent("clinic-scheduling").model_copy(deep=True)
    agent.existing_scenarios = [ExistingScenario(name="Book a new appointment",
                                                 instructions="You call to book a new appointment for a check-up.")]
    plan = _plan("clinic-scheduling", 4, agent=agent)
    assert ("happy_path", "intent:book_a_new_appointment") not in {(s.category, s.intent_id) for s in plan.slots}


def test_plan_is_deterministic_and_seed_changes_slot_seeds():
    a, b = _plan("clinic-scheduling", 10), _plan("clinic-scheduling", 10)
    assert a.model_dump() == b.model_dump()
    c = _plan("clinic-scheduling", 10, seed=7)
    assert [s.seed for s in a.slots] != [s.seed for s in c.slots]


def test_rules_set_off_by_a_tool_outcome_are_not_probes():
    """'If there is no match, read the number back' is no situation a caller can bring up: the failure paths test
    it. Seen as the probe 'Tests the rule: there is no match' on clinic-scheduling."""
    from scenarist.generation.understanding import build_agent_model

    for slug in ("clinic-scheduling", "medicare-leads"):
        model = build_agent_model(corpus_agent(slug))
        probes = model.probe_policies()
        assert probes and not any(re.search(r"no match|fails|returns an error", p.trigger or "") for p in probes)
        assert any(p.kind.value == "emergency" for p in probes)  # what a caller brings about stays
