"""Item checks every engine's output must pass, and the coverage report of a batch."""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

from .agent_model import AgentModel, RowOutcome
from .fields import canonical_field, is_identity_field
from .fixtures import row_values
from .naming import MAX_NAME_CHARS
from .text import content_stems, flatten_values, leaf_key, normalise_value, placeholders
from .types import AgentSpec, GeneratedScenario, GenerationRequest, Plan, ScenarioKind, Slot

_SECOND_PERSON = re.compile(r"\b(you|your|yours|yourself|tu|tus|te|eres|llamas|quieres|usted)\b", re.I)
_FIRST_PERSON_START = re.compile(r"^\s*(i|i'm|i am|my|the caller|caller:)\b", re.I)
REAL_IDENTITY = {"happy_path", "alternate_path", "listed", "branch", "edge_case"}

# Caller text must read like a person's brief, not like the agent's prompt.
HEADING = re.compile(r"(^\s*#{1,6}\s|^\s*[A-Z][A-Z /&-]{5,}:?\s*$|\bstep\s*\d|^\s*\d+[.)]\s|^\s*[-*•]\s)",
                     re.I | re.M)
SNAKE_CASE = re.compile(r"(?<![{.\w])[a-z][a-z0-9]*(?:_[a-z0-9]+)+(?![\w}])")
ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2})?)?")
AGENT_SIDE = re.compile(
    r"(thank(?:s| you) for calling|how (?:can|may) i (?:help|assist)|this is \w+ (?:from|at|with)\b|"
    r"\broute (?:the call |them |the caller )?to\b|\btransfer the caller\b|\bverify the (?:caller|patient|customer)\b|"
    r"\bask the (?:caller|patient|customer)\b|\bif yes,|\bthe agent asks if you'?d like\b|"
    r"\bwhat would you like to\b|\bplease provide\b|"
    r"^\s*(?:hello|hi|good (?:morning|afternoon|evening))[,!.]? (?:thank|welcome|this is|you'?ve reached)|"
    r"gracias por llamar|¿en qué (?:le|te) puedo ayudar)", re.I | re.M)
_ID_DEMAND = re.compile(r"\b(?:reads?|confirms?|gives?|tells?|shares?|states?)\b[^.\n]{0,40}\b(?:id|ids|identifier)\b",
                        re.I)


def check_item(item: GeneratedScenario, *, agent: AgentSpec, model: AgentModel, request: GenerationRequest,
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
    errors.extend(instruction_problems(item.instructions, model))
    if item.scenario_type == ScenarioKind.WORKFLOW:
        errors.extend(profile_problems(item, agent, model, request, slot))
        errors.extend(outcome_problems(item, model))
    if request.generate_expected_outcomes and not item.expected_outcome_prompt.strip():
        errors.append("expected_outcome_prompt is empty although generate_expected_outcomes is set")
    if not item.scenario_language:
        errors.append("scenario_language is empty")
    return errors


def instruction_problems(instructions: str, model: AgentModel | None = None) -> list[str]:
    """Second person, a person's behaviour rather than agent text, machine values or a script."""
    errors = []
    text = instructions.strip()
    if len(text) < 80:
        errors.append("instructions are too short to describe a behaviour")
    addressed = len(_SECOND_PERSON.findall(text))
    if addressed == 0:
        errors.append("instructions are not written in the second person (to the caller)")
    elif addressed < 3:  # "You are calling X. You want Y." says nothing about how the caller behaves
        errors.append("instructions are too thin: write several sentences to the caller ('you …') that use the "
                      "slot's request details and profile keys and say how the call should go")
    if _FIRST_PERSON_START.match(text):
        errors.append("instructions start in the first person / as a script")
    errors.extend(caller_text_problems(text, model))
    return errors


def caller_text_problems(text: str, model: AgentModel | None = None) -> list[str]:
    """Headings, step numbers, snake_case, ISO dates, agent-side lines and tool names in caller text."""
    errors = []
    bare = re.sub(r"\{\{[^}]*\}\}", "", text)
    if HEADING.search(bare):
        errors.append("instructions contain headings, step numbers or list markers; write plain prose")
    snake = SNAKE_CASE.findall(bare)
    if snake:
        errors.append(f"instructions contain machine identifiers ({', '.join(sorted(set(snake))[:3])}); use words")
    if ISO_DATE.search(bare):
        errors.append("instructions contain machine dates; say dates the way people do")
    agent_side = AGENT_SIDE.search(bare)
    if agent_side:
        errors.append(f"instructions are written from the agent's side ({agent_side.group(0).strip()!r}); "
                      f"write only what the caller does")
    if model is not None:
        named = [t.name for t in model.tools if re.search(rf"\b{re.escape(t.name)}\b", bare)]
        if named:
            errors.append(f"the caller names internal tools ({', '.join(named)}); callers do not know them")
    return errors


def goal_problems(instructions: str, goals: list[str]) -> list[str]:
    """A written item must pursue its slot's goal: at least half the content words of the goal (or of the intent's
    name) appear in the instructions. A model that copies an example or drifts to another task fails this."""
    said = content_stems(instructions)
    for goal in goals:
        wanted = content_stems(goal)
        if not wanted or 2 * len(wanted & said) >= len(wanted):
            return []
    return [f"the instructions do not pursue this scenario's goal ({goals[0]!r}): the caller must call for exactly "
            f"that"] if goals else []


def outcome_problems(item: GeneratedScenario, model: AgentModel) -> list[str]:
    """An expected outcome must never require a disclosure the agent forbids (tool names, internal ids)."""
    text = item.expected_outcome_prompt
    if not text:
        return []
    errors = []
    kinds = {d.kind for d in model.forbidden_disclosures}
    if _ID_DEMAND.search(text) and not re.search(r"\bnever\b[^.\n]{0,40}\bid", text, re.I):
        errors.append("expected outcome asks the agent to tell the caller an internal id")
    if not re.search(r"\b(agent|agente)\b", text, re.I):
        errors.append("the expected outcome must say what the agent does ('The agent …'), not what a tool returns "
                      "or the prompt's own steps")
    named = [t.name for t in model.tools if re.search(rf"\b{re.escape(t.name)}\b", text)]
    if named:  # the judge reads the conversation: outcomes describe behaviour, never internal names
        errors.append(f"expected outcome names internal tools ({', '.join(named)})")
    ids = internal_id_values(item)
    leaked = sorted(v for v in ids if v.lower() in text.lower())
    if leaked and "internal_ids" in kinds:
        errors.append(f"expected outcome contains internal ids ({', '.join(leaked[:3])})")
    return errors


def internal_id_values(item: GeneratedScenario) -> set[str]:
    """Values of id-like fields the expected tool calls return (record ids, slot ids, references)."""
    out = set()
    for entry in item.generated_mock_tool_entries:
        for key, value in flatten_values(entry.new_entry.output):
            leaf = leaf_key(key).lower()
            if isinstance(value, str) and len(value) >= 4 and re.search(r"(^|_)(id|ref|reference|code)$", leaf):
                out.add(value)
    return out


def profile_problems(item: GeneratedScenario, agent: AgentSpec, model: AgentModel, request: GenerationRequest,
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
    lowered = item.instructions.lower()
    for key, value in identity_values(info, model).items():
        text = str(value).strip().lower()
        if len(text) >= 3 and re.search(rf"(?<![\w]){re.escape(text)}(?![\w])", lowered):
            errors.append(f"instructions restate the identity value of {key!r}; reference {{{{test_profile.{key}}}}}")
    if profile is None:
        return errors
    expected = set(model.variables or [v.name for v in agent.variables])
    if set(profile.main_agent_variables) != expected:
        errors.append("main_agent_variables must hold exactly one value per dynamic variable")
    errors.extend(fixture_problems(item, agent, model, slot))
    return errors


def identity_values(info: dict[str, Any], model: AgentModel) -> dict[str, Any]:
    """Profile values of the fields the agent verifies callers with (and names)."""
    fields = set(model.verification.fields) | {"full_name"}
    return {k: v for k, v in info.items() if (k in fields or canonical_field(k) in fields) and isinstance(v, (str, int))}


def fixture_problems(item: GeneratedScenario, agent: AgentSpec, model: AgentModel, slot: Slot) -> list[str]:
    """Happy paths use success-row identities; no-match paths values no mock row knows and the real no-match shape."""
    errors: list[str] = []
    profile = item.test_profile
    if profile is None:
        return errors
    identity = {k: v for k, v in identity_values(profile.testing_agent_variables, model).items()
                if k in model.verification.fields or canonical_field(k) in model.verification.fields}
    if slot.category == "not_found":
        known = [k for k, v in identity.items() if normalise_value(v) in row_values(agent.tools)]
        if known:
            errors.append(f"no-match identity uses values the mocks know: {', '.join(sorted(known))}")
    elif slot.category in REAL_IDENTITY and item.generated_mock_tool_entries and model.chains:
        success = {normalise_value(v) for t in model.tools for r in t.rows if r.outcome == RowOutcome.SUCCESS
                   for _, v in list(flatten_values(r.input)) + list(flatten_values(r.output))}
        no_match = {normalise_value(v) for t in model.tools for r in t.rows if r.outcome == RowOutcome.NO_MATCH
                    for _, v in flatten_values(r.input)}
        for key, value in identity.items():
            if normalise_value(value) not in success and is_identity_field(key):
                errors.append(f"identity field {key!r} is not taken from a success row")
            if normalise_value(value) in no_match - success:
                errors.append(f"identity field {key!r} uses the mocks' no-match value")
    tool_names = {t.name for t in agent.tools}
    for entry in item.generated_mock_tool_entries:
        if entry.tool_name not in tool_names:
            errors.append(f"mock entry for unknown tool {entry.tool_name!r}")
    return errors


# ---------------------------------------------------------------- coverage


def coverage_report(plan: Plan, scenarios: list[GeneratedScenario]) -> dict:
    """Which intents, tools, policies and failure modes the scenarios exercise, with the gaps named."""
    model = plan.model
    exercised: dict[str, list[int]] = {}
    for scenario in scenarios:
        for item_id in scenario.covers:
            exercised.setdefault(item_id, []).append(scenario.index)
        for entry in scenario.generated_mock_tool_entries:
            indexes = exercised.setdefault(f"tool:{entry.tool_name}", [])
            if scenario.index not in indexes:
                indexes.append(scenario.index)
    families: dict[str, list[tuple[str, str]]] = {"intents": [], "tools": [], "policies": [], "failure_modes": []}
    for item_id, family, label in model.coverage_items():
        families.setdefault(family, []).append((item_id, label))

    def section(items: list[tuple[str, str]]) -> dict:
        rows = [{"id": item_id, "name": name, "covered": bool(exercised.get(item_id)),
                 "scenarios": sorted(exercised.get(item_id, []))} for item_id, name in items]
        return {"total": len(rows), "covered": sum(r["covered"] for r in rows), "items": rows,
                "gaps": [r["name"] for r in rows if not r["covered"]]}

    report: dict[str, Any] = {family: section(items) for family, items in families.items()}
    report.update({"categories": dict(Counter(s.category for s in scenarios)), "planned_slots": len(plan.slots),
                   "written": len(scenarios)})
    return report
