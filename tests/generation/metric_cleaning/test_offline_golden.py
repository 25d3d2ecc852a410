"""The offline engine on the golden set: every property holds, the result is deterministic and grounded."""

from __future__ import annotations

import asyncio

import pytest

from scenarist.generation.metric_cleaning import clean_metric_description, problems_of
from scenarist.generation.types import CleanEvalType

from .golden import GOLDEN, agent_of
from .properties import check_properties


def clean(case, agent=...):
    """Run the offline engine on one case."""
    agent = agent_of(case) if agent is ... else agent
    result, usage = asyncio.run(clean_metric_description(case.draft, case.eval_type, agent, llm=None))
    assert usage.llm_calls == 0
    return result


@pytest.mark.parametrize("case", GOLDEN, ids=[c.id for c in GOLDEN])
def test_golden_properties(case):
    result = clean(case)
    check_properties(result, case, offline=True)
    assert problems_of(result, case.eval_type) == []


def test_golden_set_covers_four_types_and_three_domains():
    assert {c.eval_type for c in GOLDEN} == set(CleanEvalType)
    assert len({c.agent for c in GOLDEN}) == 3 and len(GOLDEN) >= 12


@pytest.mark.parametrize("case", GOLDEN[:4], ids=[c.id for c in GOLDEN[:4]])
def test_deterministic(case):
    assert clean(case) == clean(case)


def test_without_agent_still_valid():
    case = GOLDEN[0]
    result = clean(case, agent=None)
    assert problems_of(result, case.eval_type) == []
    assert "lookup_patient" not in result.clean_description


def test_output_depends_on_the_draft_not_a_template():
    a, b = GOLDEN[0], GOLDEN[4]
    first = clean(a).clean_description
    second = asyncio.run(clean_metric_description(b.draft, a.eval_type, agent_of(a), llm=None))[0].clean_description
    assert first != second
    assert "freeze the card" in second.lower() and "freeze the card" not in first.lower()


def test_thinking_lists_assumptions_and_changes():
    case = next(c for c in GOLDEN if c.id == "bank-rating")
    thinking = clean(case).thinking
    assert "1–10" in thinking or "1-10" in thinking  # the scale it had to remap
    assert "'the bot' → 'the Main Agent'" in thinking
    assert "N/A conditions" in thinking


def test_enum_without_listed_labels_proposes_some_and_says_so():
    result = asyncio.run(clean_metric_description(
        "Judge whether the agent resolved the caller's problem or escalated it.", CleanEvalType.ENUM,
        agent_of(GOLDEN[0]), llm=None,
    ))[0]
    assert result.enum_values[:2] == ["resolved", "escalated"]
    assert "proposed" in result.thinking.lower()


def test_enum_without_any_outcome_words_proposes_met_scale():
    result = asyncio.run(clean_metric_description(
        "The agent reads back the date, time and dentist after booking.", CleanEvalType.ENUM, None, llm=None,
    ))[0]
    assert result.enum_values == ["fully_met", "partially_met", "not_met", "other", "N/A"]


def test_explicit_na_rule_of_the_draft_moves_to_na_section():
    case = next(c for c in GOLDEN if c.id == "bank-boolean")
    text = clean(case).clean_description
    na_section = text.split("N/A CONDITIONS", 1)[1].split("OUTPUT INSTRUCTIONS", 1)[0]
    assert "never reports a lost card" in na_section
    criteria = text.split("CRITERIA", 1)[1].split("FAILURE CONDITIONS", 1)[0]
    assert "never reports a lost card" not in criteria


def test_disallowed_placeholders_are_mapped_to_test_profile():
    result = asyncio.run(clean_metric_description(
        "The agent must greet the caller by {{customer_name}} and confirm {{metadata.order_id}}.",
        CleanEvalType.BOOLEAN, None, llm=None,
    ))[0]
    assert "{{test_profile.customer_name}}" in result.clean_description
    assert "{{test_profile.order_id}}" in result.clean_description
    assert "{{customer_name}}" not in result.clean_description
    assert "customer_name" in result.thinking


def test_agent_rules_reference_adds_agent_description_variable_only_when_needed():
    with_rules = asyncio.run(clean_metric_description(
        "The agent follows its cancellation policy.", CleanEvalType.BOOLEAN, None, llm=None))[0]
    without = asyncio.run(clean_metric_description(
        "The agent is polite.", CleanEvalType.BOOLEAN, None, llm=None))[0]
    assert "{{agent.description}}" in with_rules.clean_description
    assert "{{agent.description}}" not in without.clean_description


def test_empty_draft_is_rejected():
    with pytest.raises(ValueError):
        asyncio.run(clean_metric_description("   ", CleanEvalType.BOOLEAN, None, llm=None))
