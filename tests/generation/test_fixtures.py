"""Fixtures: identities copied from (or absent from) mock rows, one value per variable, expected tool calls."""

from __future__ import annotations

import random

import pytest

from scenarist.generation.analysis import analyse_offline
from scenarist.generation.fields import same_field
from scenarist.generation.fixtures import build_fixture, row_values
from scenarist.generation.text import normalise_value
from scenarist.generation.types import GenerationRequest, Slot
from scenarist.generation.planning import plan_slots
from tests.fixtures.agents import ALL_AGENTS


def _slots(key, n=40):
    agent = ALL_AGENTS[key]()
    analysis = analyse_offline(agent)
    plan = plan_slots(agent, analysis, GenerationRequest(num_scenarios=n), engine="offline", prompt_version="t")
    return agent, analysis, plan.slots


def _identity(profile, analysis):
    return {k: v for k, v in profile.testing_agent_variables.items()
            if any(same_field(k, f) for f in analysis.identity_fields)}


@pytest.mark.parametrize("key", list(ALL_AGENTS))
def test_happy_path_identity_comes_from_one_mock_row(key):
    agent, analysis, slots = _slots(key)
    checked = 0
    for slot in [s for s in slots if s.category == "happy_path" and s.intent_id]:
        profile, entries = build_fixture(agent, analysis, slot, random.Random(slot.seed))
        if not entries:
            continue  # an intent without tools (e.g. opening hours) has no mock data to agree with
        checked += 1
        identity = _identity(profile, analysis)
        assert identity, slot
        rows = [{**(r.input or {}), **(r.output or {})} for t in agent.tools for r in t.information
                if isinstance(r.input, dict) and isinstance(r.output, dict)]
        # every identity value the mocks know about is in the mocks, and they describe the same person
        mocked = {k: v for k, v in identity.items() if normalise_value(v) in row_values(agent.tools)}
        assert mocked
        assert any(all(normalise_value(v) in {normalise_value(x) for x in row.values() if not isinstance(x, list)}
                       for k, v in mocked.items() if any(same_field(k, rk) for rk in row))
                   for row in rows)
        assert entries[0].new_entry.input and entries[0].tool_id is not None
    assert checked >= 3


@pytest.mark.parametrize("key", list(ALL_AGENTS))
def test_not_found_identity_is_in_no_mock_row_and_lookup_returns_not_found(key):
    agent, analysis, slots = _slots(key)
    not_found = [s for s in slots if s.category == "not_found"]
    assert not_found
    taken = row_values(agent.tools)
    for slot in not_found:
        profile, entries = build_fixture(agent, analysis, slot, random.Random(slot.seed))
        identity = _identity(profile, analysis)
        assert identity and all(normalise_value(v) not in taken for v in identity.values())
        assert len(entries) == 1
        tool = next(t for t in agent.tools if t.name == entries[0].tool_name)
        own_shapes = [r.output for r in tool.information if r.output in (None, {"error": "patient_not_found"},
                                                                         {"verified": False, "reason": "no_match"})]
        assert entries[0].new_entry.output == (own_shapes[0] if own_shapes else {"error": "not_found"})


def test_not_found_shape_defaults_when_mocks_show_none():
    agent, analysis, slots = _slots("bank")
    for tool in agent.tools:
        tool.information = [row for row in tool.information if row.output.get("verified") is not False]
    slot = next(s for s in slots if s.category == "not_found")
    _, entries = build_fixture(agent, analysis, slot, random.Random(1))
    assert entries[0].new_entry.output == {"error": "not_found"}


@pytest.mark.parametrize("key", list(ALL_AGENTS))
def test_one_value_per_dynamic_variable_and_realistic_values(key):
    agent, analysis, slots = _slots(key, 10)
    for slot in slots:
        profile, _ = build_fixture(agent, analysis, slot, random.Random(slot.seed))
        assert list(profile.main_agent_variables) == analysis.variables
        assert all(v not in (None, "") for v in profile.main_agent_variables.values())
    values = profile.main_agent_variables
    if key == "dental":
        assert values["clinic_name"] == "Park Row Dental" and values["current_date"].startswith("2025-")
    if key == "delivery":
        assert values["account_id"].startswith("ACC-") and len(values["account_id"]) == 10


def test_caller_phone_variable_matches_the_callers_phone():
    agent, analysis, slots = _slots("bank")
    for slot in slots[:8]:
        profile, _ = build_fixture(agent, analysis, slot, random.Random(slot.seed))
        assert profile.main_agent_variables["caller_phone"] == profile.testing_agent_variables["phone"]
        assert profile.main_agent_variables["customer_tier"] in ("standard", "premier")


def test_tool_failure_entry_errors_and_stops_the_flow():
    agent, analysis, slots = _slots("dental", 60)
    slot = next(s for s in slots if s.category == "tool_failure")
    _, entries = build_fixture(agent, analysis, slot, random.Random(slot.seed))
    assert entries[-1].tool_name == slot.tool_name
    assert entries[-1].new_entry.output["error"] == "service_unavailable"


def test_linked_rows_tell_one_story():
    agent, analysis, slots = _slots("dental")
    slot = Slot(index=0, kind="workflow", category="happy_path", intent_id="intent:booking_a_new_appointment", seed=3)
    profile, entries = build_fixture(agent, analysis, slot, random.Random(3))
    by_tool = {e.tool_name: e.new_entry for e in entries}
    patient_id = by_tool["lookup_patient"].output["patient_id"]
    assert by_tool["book_appointment"].input["patient_id"] == patient_id
    assert by_tool["check_availability"].input["treatment"] == by_tool["book_appointment"].input["treatment"]
