"""Which `{{…}}` variables a clean description needs, and mapping the draft's own placeholders onto them."""

from __future__ import annotations

import re

from .sections import is_allowed_variable

_AGENT_RULES_RE = re.compile(
    r"\b(?:system prompt|prompt|instructions? it was given|its instructions|script|polic(?:y|ies)|guidelines?|rules?|"
    r"workflow|procedure|protocol|agent(?:'s)? description|as instructed|per (?:the|its) )\b",
    re.IGNORECASE,
)
_EVALUATOR_RE = re.compile(
    r"\b(?:scenario|test instructions?|expected outcome|evaluator|the test|caller'?s? (?:goal|instructions?)|"
    r"testing agent'?s? (?:goal|instructions?))\b",
    re.IGNORECASE,
)


def placeholder_mapping(placeholders: list[str]) -> dict[str, str]:
    """Draft placeholder → allowed variable: kept when allowed, else moved under `test_profile.`."""
    mapping: dict[str, str] = {}
    for name in placeholders:
        if is_allowed_variable(name):
            mapping[name] = name
            continue
        field = re.sub(r"[^A-Za-z0-9_]", "_", name.split(".")[-1]).strip("_") or "value"
        if field[0].isdigit():
            field = "v_" + field
        mapping[name] = f"test_profile.{field}"
    return mapping


def rewrite_placeholders(text: str, mapping: dict[str, str]) -> str:
    """Replace each `{{old}}` in text by its mapped `{{new}}`."""

    def repl(match: re.Match) -> str:
        name = match.group(1).strip()
        return "{{" + mapping.get(name, name) + "}}"

    return re.sub(r"\{\{\s*([^{}]*?)\s*\}\}", repl, text)


def needs_agent_description(draft: str) -> bool:
    """The draft judges the Main Agent against its own prompt/rules/workflow."""
    return "{{agent.description}}" in draft.replace(" ", "") or bool(_AGENT_RULES_RE.search(draft))


def needs_evaluator_instructions(draft: str) -> bool:
    """The draft refers to the scenario the Testing Agent followed or its expected outcome."""
    return "{{evaluator.instructions}}" in draft.replace(" ", "") or bool(_EVALUATOR_RE.search(draft))
