"""The offline engine on the golden set: every property holds, the result is deterministic and grounded."""

from __future__ import annotations

import asyncio

import pytest

from scenarist.generation.metric_cleaning import clean_metric_description, problems_of
from scenarist.generation.metric_cleaning.validation import draft_problems
from scenarist.generation.types import CleanEvalType

from .golden import GOLDEN, agent_of
from .properties import check_properties


def clean(case, agent=...):
    """Run the offline engine on one case."""
    agent = agent_of(case) if agent is ... else agent
    result, usage = asyncio.run(clean_metric_description(case.draft, case.eval_type, agent, llm=None))
    assert usage.llm_calls == 0
    return result


def by_id(case_id: str):
    """The golden case of that id."""
    return next(c for c in GOLDEN if c.id == case_id)


@pytest.mark.parametrize("case", GOLDEN, ids=[c.id for c in GOLDEN])
def test_golden_properties(case):
    result = clean(case)
    check_properties(result, case, offline=True)
    assert problems_of(result, case.eval_type) == []
    assert draft_problems(result, case.eval_type, case.draft) == []


def test_golden_set_covers_four_types_and_three_agents():
    assert {c.eval_type for c in GOLDEN} == set(CleanEvalType)
    assert len({c.agent for c in GOLDEN}) >= 3 and len(GOLDEN) >= 24
    for agent in {c.agent for c in GOLDEN}:
        assert {c.eval_type for c in GOLDEN if c.agent == agent} == set(CleanEvalType)


@pytest.mark.parametrize("case", GOLDEN[:4], ids=[c.id for c in GOLDEN[:4]])
def test_deterministic(case):
    assert clean(case) == clean(case)


def test_without_agent_still_valid_and_names_no_tool():
    case = GOLDEN[0]
    result = clean(case, agent=None)
    assert problems_of(result, case.eval_type) == []
    assert "lookup_patient" not in result.clean_description and "own rule" not in result.clean_description


def test_thinking_says_what_was_expanded_and_which_rule_was_used():
    thinking = clean(by_id("clinic-boolean-emergency")).thinking
    assert "'etc' → 'or similar'" in thinking and "'=>'" in thinking
    assert "Grounded in the agent's own rule" in thinking and "9-1-1" in thinking


def test_enum_keeps_the_question_and_the_labels_exactly():
    result = clean(by_id("clinic-enum-intent"))
    assert result.enum_values == ["book", "resched", "cancel", "lookup", "other", "N/A"]
    assert "what the Testing Agent wanted" in result.clean_description
    assert "Kept the draft's labels exactly" in result.thinking and "lists no labels" not in result.thinking
    assert 'workflow "book a new appointment"' in result.clean_description  # the label, matched to the agent


def test_generic_na_that_collides_with_a_label_is_left_out():
    result = clean(by_id("clinic-enum-ending"))
    na = result.clean_description.split("N/A CONDITIONS", 1)[1].split("OUTPUT INSTRUCTIONS", 1)[0]
    assert "hung up" not in na
    assert "caller hung up" in result.enum_values


def test_politeness_rating_judges_tone_and_never_ignores_it():
    result = clean(by_id("clinic-rating-politeness"))
    scope = result.clean_description.split("\nCRITERIA\n", 1)[0]
    ignore = next(line for line in scope.splitlines() if line.startswith("Ignore"))
    assert "tone" not in ignore


def test_specific_na_condition_for_a_conditional_metric():
    text = clean(by_id("clinic-boolean-emergency")).clean_description
    na = text.split("N/A CONDITIONS", 1)[1].split("OUTPUT INSTRUCTIONS", 1)[0]
    assert "The Testing Agent never mentions chest pain" in na


def test_enum_without_listed_labels_proposes_some_and_says_so():
    result = asyncio.run(clean_metric_description(
        "Judge whether the agent resolved the caller's problem or escalated it.", CleanEvalType.ENUM,
        agent_of(GOLDEN[0]), llm=None,
    ))[0]
    assert result.enum_values[:2] == ["resolved", "escalated"]
    assert "proposed" in result.thinking.lower()


def test_explicit_na_rule_of_the_draft_moves_to_na_section():
    result = asyncio.run(clean_metric_description(
        "- The agent must freeze the card immediately when a customer reports it lost or stolen.\n"
        "- N/A if the caller never reports a lost card.", CleanEvalType.BOOLEAN, None, llm=None))[0]
    text = result.clean_description
    na_section = text.split("N/A CONDITIONS", 1)[1].split("OUTPUT INSTRUCTIONS", 1)[0]
    assert "never reports a lost card" in na_section
    criteria = text.split("CRITERIA", 1)[1].split("FAILURE CONDITIONS", 1)[0]
    assert "never reports a lost card" not in criteria
    assert "When the Testing Agent reports it lost or stolen, the Main Agent freezes the card immediately." in criteria


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
