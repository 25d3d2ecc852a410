"""The post-validator catches each kind of broken clean description (the LLM path relies on it)."""

from __future__ import annotations

import asyncio

import pytest

from scenarist.generation.metric_cleaning import clean_metric_description, labels_in_text, problems_of
from scenarist.generation.types import CleanDescription, CleanEvalType


def offline(draft: str, eval_type: CleanEvalType) -> CleanDescription:
    """A valid description to break."""
    return asyncio.run(clean_metric_description(draft, eval_type, None, llm=None))[0]


def broken(result: CleanDescription, old: str, new: str, **changes) -> CleanDescription:
    """A copy with one text replacement (asserting it applied) and field changes."""
    assert old in result.clean_description
    return result.model_copy(update={"clean_description": result.clean_description.replace(old, new), **changes})


def test_missing_section_and_wrong_order():
    good = offline("The agent is polite.", CleanEvalType.BOOLEAN)
    assert any("N/A CONDITIONS" in p for p in problems_of(broken(good, "N/A CONDITIONS", "NOTES"), CleanEvalType.BOOLEAN))
    swapped = good.clean_description.replace("CRITERIA\n", "TMP\n").replace("SCOPE & FOCUS", "CRITERIA")
    swapped = swapped.replace("TMP\n", "SCOPE & FOCUS\n")
    problems = problems_of(good.model_copy(update={"clean_description": swapped}), CleanEvalType.BOOLEAN)
    assert any("order" in p for p in problems)


def test_disallowed_variable_and_agent_names():
    good = offline("The agent is polite.", CleanEvalType.BOOLEAN)
    problems = problems_of(broken(good, "{{transcript}}", "{{metadata.transcript}}"), CleanEvalType.BOOLEAN)
    assert any("{{metadata.transcript}}" in p for p in problems)
    no_testing = good.model_copy(update={"clean_description": good.clean_description.replace("Testing Agent", "caller")})
    assert any("Testing Agent" in p for p in problems_of(no_testing, CleanEvalType.BOOLEAN))


def test_boolean_needs_false_definition_and_examples():
    good = offline("The agent is polite.", CleanEvalType.BOOLEAN)
    problems = problems_of(broken(good, "Example (FALSE)", "Case"), CleanEvalType.BOOLEAN)
    assert any("example of a FALSE" in p for p in problems)


def test_rating_needs_every_level_once():
    good = offline("Rate the agent's clarity.", CleanEvalType.RATING)
    assert problems_of(broken(good, "\n3 — ", "\n(three) "), CleanEvalType.RATING)
    assert problems_of(broken(good, "\n2 — ", "\n4 — "), CleanEvalType.RATING)


def test_numeric_needs_unit_and_direction():
    good = offline("Count the interruptions.", CleanEvalType.NUMERIC)
    assert any("direction" in p for p in problems_of(broken(good, "lower is better", "it depends"), CleanEvalType.NUMERIC))
    assert any("unit" in p for p in problems_of(broken(good, "Unit:", "Kind:"), CleanEvalType.NUMERIC))


def test_enum_labels_must_match_and_include_fallback_and_tie_break():
    good = offline("Classify as resolved, escalated or abandoned.", CleanEvalType.ENUM)
    assert labels_in_text(good.clean_description) == good.enum_values
    mismatch = good.model_copy(update={"enum_values": ["resolved", "escalated"]})
    assert any("must equal" in p for p in problems_of(mismatch, CleanEvalType.ENUM))
    no_tie = broken(good, "Tie-break: if more than one label fits", "When unsure")
    assert any("tie-break" in p for p in problems_of(no_tie, CleanEvalType.ENUM))
    no_fallback = broken(good, "- other:", "- unclear:").model_copy(
        update={"enum_values": [v if v != "other" else "unclear" for v in good.enum_values]})
    no_fallback = broken(no_fallback, "- N/A:", "- skipped:").model_copy(
        update={"enum_values": [v if v != "N/A" else "skipped" for v in no_fallback.enum_values]})
    assert any("'other' or 'N/A'" in p for p in problems_of(no_fallback, CleanEvalType.ENUM))


@pytest.mark.parametrize("eval_type", list(CleanEvalType))
def test_empty_thinking_is_a_problem(eval_type):
    good = offline("The agent is polite; classify as polite or rude.", eval_type)
    assert problems_of(good, eval_type) == []
    assert any("thinking" in p for p in problems_of(good.model_copy(update={"thinking": " "}), eval_type))
