"""Offline analysis: intents from sections, tools mapped to intents, policies, identity fields, variables."""

from __future__ import annotations

import pytest

from scenarist.generation.analysis import analyse_offline, version_hash
from scenarist.generation.types import AgentSpec, ToolSpec
from tests.fixtures.agents import bank_agent, delivery_agent, dental_agent, long_prompt_variant


def test_dental_intents_tools_and_policies():
    analysis = analyse_offline(dental_agent())
    names = [i.name for i in analysis.intents]
    assert names[:3] == ["Booking a new appointment", "Rescheduling or cancelling an appointment",
                         "Emergency dental pain"]
    booking = analysis.intents[0]
    assert booking.kind == "booking"
    assert {"check_availability", "book_appointment", "lookup_patient"} <= set(booking.tools)
    assert len(booking.steps) == 5 and "treatment" in booking.steps[0]
    cancel = analysis.intents[1]
    assert {"get_appointments", "cancel_appointment"} <= set(cancel.tools)
    texts = [p.text for p in analysis.policies]
    assert any("medical or clinical advice" in t for t in texts)
    assert all("British English" not in t for t in texts)  # style, not a rule
    assert {p.kind for p in analysis.policies} == {"policy", "guardrail"}
    assert analysis.identity_fields == ["phone", "full_name", "date_of_birth"]
    assert analysis.variables == ["clinic_name", "current_date"]
    assert analysis.speaks_first is True and analysis.domain == "dental clinic"


def test_bank_numbered_workflows_under_caps_heading():
    analysis = analyse_offline(bank_agent())
    assert [i.name for i in analysis.intents] == ["Lost or stolen card", "Card activation",
                                                  "Disputing a transaction", "Credit limit questions"]
    # verify_customer is named in the verification section, so every workflow starts with it
    assert all(i.tools[0] == "verify_customer" for i in analysis.intents)
    assert "card_last_four" in analysis.identity_fields and "customer_id" not in analysis.identity_fields
    tool = next(t for t in analysis.tools if t.name == "verify_customer")
    assert tool.needs == ["phone", "card_last_four"] and "customer_id" in tool.returns
    assert "field:credit_limit" in analysis.assets and "tool:open_dispute" in analysis.assets
    assert analysis.speaks_first is False


def test_delivery_bold_titles_language_and_assets():
    analysis = analyse_offline(delivery_agent())
    assert len(analysis.intents) == 4 and analysis.language == "es"
    assert analysis.identity_fields[0] == "order_number"
    assert any(p.intent_id == "intent:cancelling_an_order" for p in analysis.policies)
    assert analysis.variables == ["account_id", "city"]


def test_unstructured_prompt_falls_back_to_one_intent_per_tool():
    agent = AgentSpec(name="Plain", description="You help people. Never share secrets. Use the tools.",
                      tools=[ToolSpec(name="track_parcel", description="Track a parcel by number")])
    analysis = analyse_offline(agent)
    assert [i.tools for i in analysis.intents] == [["track_parcel"]]
    assert analysis.policies and analysis.policies[0].kind == "guardrail"


def test_long_prompt_keeps_the_map_and_bounds_it():
    short, long = analyse_offline(bank_agent()), analyse_offline(long_prompt_variant(bank_agent()))
    assert len(long_prompt_variant(bank_agent()).description) >= 30_000
    assert [i.id for i in long.intents] == [i.id for i in short.intents]
    assert len(long.policies) <= 40


@pytest.mark.parametrize("change", ["description", "tool", "variable"])
def test_version_hash_changes_with_inputs(change):
    agent = dental_agent()
    before = version_hash(agent)
    assert before == version_hash(dental_agent())
    if change == "description":
        agent.description += "\nNew rule."
    elif change == "tool":
        agent.tools[0].information[0].output["full_name"] = "Someone Else"
    else:
        agent.variables[0].description = "changed"
    assert version_hash(agent) != before
