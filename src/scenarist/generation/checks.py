"""Item checks every engine's output must pass, and the coverage report of a batch."""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

from .fields import same_field
from .fixtures import is_not_found_output, row_values
from .naming import MAX_NAME_CHARS
from .text import normalise_value, placeholders
from .types import AgentAnalysis, AgentSpec, GeneratedScenario, GenerationRequest, Plan, ScenarioKind, Slot


_SECOND_PERSON = re.compile(r"\b(you|your|yours|yourself)\b", re.I)
_FIRST_PERSON_START = re.compile(r"^\s*(i|i'm|i am|my|the caller|caller:)\b", re.I)
REAL_IDENTITY = {"happy_path", "alternate_path", "listed"}


def check_item(item: GeneratedScenario, *, agent: AgentSpec, analysis: AgentAnalysis, request: GenerationRequest,
               slot: Slot, taken_names: set[str] | None = None) -> list[str]:
    """Human-readable problems of one generated scenario (empty list = it passes)."""
    errors: list[str] = []
    name = item.name.strip()
    if not name:
        errors.append("name is empty")
    if len(name) > MAX_NAME_CHARS:
        errors.append(f"name is longer than {MAX_NAME_CHARS} characters")
    if taken_names is not None and name.lower() in {t.lower() for t in taken_names if t != item.name}:
        errors.append(f"name {name!r} is already used")
    errors.extend(instruction_problems(item.instructions))
    if item.scenario_type == ScenarioKind.WORKFLOW:
        errors.extend(profile_problems(item, agent, analysis, request, slot))
    if request.generate_expected_outcomes and not item.expected_outcome_prompt.strip():
        errors.append("expected_outcome_prompt is empty although generate_expected_outcomes is set")
    if not item.scenario_language:
        errors.append("scenario_language is empty")
    return errors


def instruction_problems(instructions: str) -> list[str]:
    """Second person, behaviour rather than a script, reasonable length."""
    errors = []
    text = instructions.strip()
    if len(text) < 80:
        errors.append("instructions are too short to describe a behaviour")
    if len(_SECOND_PERSON.findall(text)) < 3:
        errors.append("instructions are not written in the second person (to the caller)")
    if _FIRST_PERSON_START.match(text):
        errors.append("instructions start in the first person / as a script")
    return errors


def profile_problems(item: GeneratedScenario, agent: AgentSpec, analysis: AgentAnalysis, request: GenerationRequest,
                     slot: Slot) -> list[str]:
    """`{{test_profile.x}}` keys exist, identity values are not restated, fixtures agree with the mock rows."""
    errors: list[str] = []
    profile = item.test_profile
    info: dict[str, Any] = {}
    if profile is not None:
        info = {**profile.main_agent_variables, **profile.testing_agent_variables}
    elif request.fixed_test_profile is not None:
        fixed = request.fixed_test_profile
        info = {**(fixed.get("main_agent_variables") or {}), **(fixed.get("testing_agent_variables") or {})} \
            if "testing_agent_variables" in fixed or "main_agent_variables" in fixed else dict(fixed)
    for ref in placeholders(item.instructions):
        if ref.startswith("test_profile."):
            key = ref.split(".", 2)[1]
            if key not in info:
                errors.append(f"instructions reference {{{{{ref}}}}} but the profile has no {key!r}")
    identity_values = _identity_values(info, analysis)
    lowered = item.instructions.lower()
    for key, value in identity_values.items():
        text = str(value).strip().lower()
        if len(text) >= 3 and re.search(rf"(?<![\w]){re.escape(text)}(?![\w])", lowered):
            errors.append(f"instructions restate the identity value of {key!r}; reference {{{{test_profile.{key}}}}}")
    if profile is None:
        return errors
    if set(profile.main_agent_variables) != set(analysis.variables):
        errors.append("main_agent_variables must hold exactly one value per dynamic variable")
    errors.extend(fixture_problems(item, agent, analysis, slot))
    return errors


def _identity_values(info: dict[str, Any], analysis: AgentAnalysis) -> dict[str, Any]:
    return {k: v for k, v in info.items()
            if any(same_field(k, f) for f in analysis.identity_fields) and isinstance(v, (str, int))}


def fixture_problems(item: GeneratedScenario, agent: AgentSpec, analysis: AgentAnalysis, slot: Slot) -> list[str]:
    """Happy paths use an identity some mock row contains; not-found paths one no mock row contains."""
    errors: list[str] = []
    profile = item.test_profile
    if profile is None:
        return errors
    identity = _identity_values(profile.testing_agent_variables, analysis)
    all_values = row_values(agent.tools)
    mocked_keys = _mocked_identity_keys(agent)
    if slot.category == "not_found":
        known = [k for k, v in identity.items() if normalise_value(v) in all_values]
        if known:
            errors.append(f"not-found identity uses values the mocks know: {', '.join(sorted(known))}")
        for entry in item.generated_mock_tool_entries[:1]:
            if not is_not_found_output(entry.new_entry.output):
                errors.append(f"not-found path expects {entry.tool_name} to return a match")
    elif slot.category in REAL_IDENTITY and item.generated_mock_tool_entries:
        for key, value in identity.items():
            if any(same_field(key, m) for m in mocked_keys) and normalise_value(value) not in all_values:
                errors.append(f"identity field {key!r} is not taken from a mock row")
    tool_names = {t.name for t in agent.tools}
    for entry in item.generated_mock_tool_entries:
        if entry.tool_name not in tool_names:
            errors.append(f"mock entry for unknown tool {entry.tool_name!r}")
    return errors


def _mocked_identity_keys(agent: AgentSpec) -> set[str]:
    """Identity-looking keys that appear in some mock row."""
    keys: set[str] = set()
    for tool in agent.tools:
        for row in tool.information:
            for part in (row.input, row.output):
                if isinstance(part, dict):
                    keys.update(str(k) for k in part)
    return keys


# ---------------------------------------------------------------- coverage


def coverage_report(plan: Plan, scenarios: list[GeneratedScenario]) -> dict:
    """Which items of the coverage map (intents, tools, policies) the scenarios exercise, and category counts."""
    analysis = plan.analysis
    exercised: dict[str, list[int]] = {}
    for scenario in scenarios:
        for item_id in scenario.covers:
            exercised.setdefault(item_id, []).append(scenario.index)
        for entry in scenario.generated_mock_tool_entries:
            exercised.setdefault(f"tool:{entry.tool_name}", [])
            if scenario.index not in exercised[f"tool:{entry.tool_name}"]:
                exercised[f"tool:{entry.tool_name}"].append(scenario.index)

    def section(items: list[tuple[str, str]]) -> dict:
        rows = [{"id": item_id, "name": name, "covered": bool(exercised.get(item_id)),
                 "scenarios": sorted(exercised.get(item_id, []))} for item_id, name in items]
        return {"total": len(rows), "covered": sum(r["covered"] for r in rows), "items": rows}

    return {
        "intents": section([(i.id, i.name) for i in analysis.intents]),
        "tools": section([(t.id, t.name) for t in analysis.tools]),
        "policies": section([(p.id, p.text) for p in analysis.policies]),
        "categories": dict(Counter(s.category for s in scenarios)),
        "planned_slots": len(plan.slots),
        "written": len(scenarios),
    }
