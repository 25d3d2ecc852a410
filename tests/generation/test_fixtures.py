"""Fixtures over the agent model: one chain of success rows per happy path, unknown values and the agent's own
no-match shape, failure rows for failure paths, realistic values, dates after the agent's today."""

from __future__ import annotations

import random
import re
from datetime import date

import pytest

from scenarist.generation.agent_model import RowOutcome
from scenarist.generation.fixtures import build_fixture, reference_today, request_facts, row_values
from scenarist.generation.planning import plan_slots
from scenarist.generation.text import flatten_values, normalise_value
from scenarist.generation.types import GenerationRequest, Slot
from scenarist.generation.values import RELATIONSHIPS, value_for
from tests.generation.truth import corpus_agent, corpus_slugs, truth_model


def _fixtures(slug, n=40):
    agent, model = corpus_agent(slug), truth_model(slug)
    plan = plan_slots(agent, model, GenerationRequest(num_scenarios=n), engine="offline", prompt_version="t")
    return agent, model, [(slot, build_fixture(agent, model, slot, random.Random(slot.seed))) for slot in plan.slots]


def _values(part):
    return {normalise_value(v) for _, v in flatten_values(part)}


def test_booking_happy_path_follows_the_chain_of_the_person_who_booked():
    agent, model, items = _fixtures("clinic-scheduling")
    slot, fixture = next((s, f) for s, f in items if s.category == "happy_path"
                         and s.intent_id == "intent:book_a_new_appointment")
    assert [e.tool_name for e in fixture.entries] == ["lookup_patient", "check_availability", "book_appointment"]
    booking = fixture.entries[-1].new_entry
    assert booking.output["ok"] is True  # the success row, never the BOOKING_FAILED one
    patient = fixture.entries[0].new_entry.output["patient"]["patient_id"]
    assert booking.input["patient_id"] == patient  # the same person across tools
    slots = {s["slot_id"] for s in fixture.entries[1].new_entry.output["slots"]}
    assert booking.input["slot_id"] in slots  # the slot booked is one the availability check offered
    assert fixture.identity["phone"] == fixture.entries[0].new_entry.input["phone"]
    assert all(e.tool_id is not None for e in fixture.entries)


@pytest.mark.parametrize("slug", corpus_slugs())
def test_happy_paths_use_success_rows_only(slug):
    _, model, items = _fixtures(slug)
    success = {t.name: [r.output for r in t.rows if r.outcome == RowOutcome.SUCCESS] for t in model.tools}
    for slot, fixture in items:
        if slot.category in ("happy_path", "alternate_path", "edge_case"):
            for entry in fixture.entries:
                if success.get(entry.tool_name):
                    assert entry.new_entry.output in success[entry.tool_name], (slug, slot.category, entry.tool_name)


@pytest.mark.parametrize("slug", corpus_slugs())
def test_no_match_paths_use_unknown_values_and_the_agents_own_shape(slug):
    agent, model, items = _fixtures(slug)
    known = row_values(agent.tools)
    for slot, fixture in items:
        if slot.category != "not_found" or not fixture.entries:
            continue
        assert not {normalise_value(v) for v in fixture.identity.values()} & known
        entry = fixture.entries[0]
        no_match = [r.output for r in model.tool(entry.tool_name).rows if r.outcome == RowOutcome.NO_MATCH]
        if no_match:
            assert entry.new_entry.output in no_match  # e.g. {"match": false, …}, never {"error": "not_found"}


@pytest.mark.parametrize("slug", corpus_slugs())
def test_failure_paths_end_on_the_failure_row(slug):
    _, model, items = _fixtures(slug, 60)
    seen = 0
    for slot, fixture in items:
        if slot.category not in ("tool_failure", "empty_result", "partial_result") or not slot.failure_id:
            continue
        mode = next(m for m in model.failure_modes if m.id == slot.failure_id)
        last = fixture.entries[-1]
        assert last.tool_name == mode.tool and fixture.failing_tool == mode.tool
        if mode.row_index is not None:
            assert last.new_entry.output == model.tool(mode.tool).rows[mode.row_index].output
        seen += 1
    assert seen or not model.failure_modes


def test_request_facts_follow_the_record_an_action_names():
    _, model, items = _fixtures("clinic-scheduling")
    _, fixture = next((s, f) for s, f in items if s.category == "happy_path"
                      and s.intent_id == "intent:book_a_new_appointment")
    facts = request_facts(fixture.entries)
    assert facts["start"].startswith("2026-12-03T08:40")  # the booked slot's own start, not the search range
    assert "date_from" not in facts and "patient_id" not in facts


def test_today_is_the_variable_value_and_precedes_every_future_date():
    agent, model, items = _fixtures("clinic-scheduling")
    today = reference_today(model, agent)
    for _, fixture in items:
        assert fixture.profile.main_agent_variables["current_date"] == today.isoformat()
        for key, value in fixture.facts.items():
            if isinstance(value, str) and re.match(r"\d{4}-\d{2}-\d{2}", value):
                assert date.fromisoformat(value[:10]) >= today


def test_a_stated_literal_today_wins():
    model = truth_model("clinic-scheduling").model_copy(update={"today": "2026-11-20"})
    assert reference_today(model, corpus_agent("clinic-scheduling")) == date(2026, 11, 20)


def test_one_value_per_variable_and_realistic_synthetic_values():
    agent, model, items = _fixtures("medicare-leads")
    for _, fixture in items:
        assert set(fixture.profile.main_agent_variables) == set(model.variables)
    rng = random.Random(3)
    assert re.fullmatch(r"\d{5}", value_for("zip_code", "", rng))
    assert value_for("caller_relationship", "", rng) in RELATIONSHIPS["en"]
    assert value_for("relationship", "", rng, language="es") in RELATIONSHIPS["es"]
    assert not re.search(r"-\d{2}$", str(value_for("favourite_colour", "", rng)))


def test_fixture_is_deterministic_for_a_slot():
    agent, model = corpus_agent("card-services"), truth_model("card-services")
    slot = Slot(index=0, kind="workflow", category="happy_path", intent_id=model.intents[0].id, seed=11)
    a = build_fixture(agent, model, slot, random.Random(11))
    b = build_fixture(agent, model, slot, random.Random(11))
    assert a.profile == b.profile and a.entries == b.entries
