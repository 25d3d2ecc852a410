"""Per-slot fixtures: a caller identity consistent with the mock tools, variable values, expected tool calls."""

from __future__ import annotations

import copy
import random
import re
from dataclasses import dataclass
from typing import Any

from .fields import is_identity_field, is_person_field, same_field
from .text import content_stems, flatten_values, leaf_key, normalise_value, split_identifier
from .types import AgentAnalysis, AgentSpec, Intent, MockRow, MockToolEntry, Slot, TestProfileData, ToolSpec
from .values import person_name, value_for

NOT_FOUND_OUTPUT = {"error": "not_found"}
_ATTRIBUTE_WORDS = {"tier", "plan", "segment", "level", "status", "membership", "language", "city", "country", "region"}
REAL_IDENTITY_CATEGORIES = {"happy_path", "alternate_path", "edge_case", "guardrail", "listed", "tool_failure"}
_NOT_FOUND_WORDS = ("not_found", "not found", "no_match", "no match", "unknown", "does not exist")


_CHOOSE = object()


def build_fixture(agent: AgentSpec, analysis: AgentAnalysis, slot: Slot, rng: random.Random,
                  branch: "Branch | None | object" = _CHOOSE) -> tuple[TestProfileData, list[MockToolEntry]]:
    """(test profile, expected tool calls) for one slot; identities copied from or absent from the mock rows.

    `branch` is the alternative of a 'reschedule or cancel' intent the slot plays out (chosen here if not given).
    """
    tools = {tool.name: tool for tool in agent.tools}
    if branch is _CHOOSE:
        branch = choose_branch(agent, analysis, slot)
    relevant = [tools[name] for name in _relevant_tool_names(analysis, slot, branch) if name in tools]
    if slot.category == "not_found":
        known, entries = _not_found_identity(agent, analysis, slot, relevant, rng)
    else:
        known, entries = _real_identity(analysis, slot, relevant, rng, _topic_stems(analysis, slot))
        _complete_identity(known, analysis, agent.tools)
        _take_action_details(known, entries)
    testing = _testing_variables(agent, analysis, slot, known, rng)
    main = main_agent_variables(agent, analysis, known, testing, rng)
    display = next((str(v) for k, v in testing.items() if "name" in k and isinstance(v, str)), "Caller")
    profile = TestProfileData(
        name=f"{display} – {slot.category.replace('_', ' ')} #{slot.index + 1}"[:255],
        main_agent_variables=main,
        testing_agent_variables=testing,
    )
    return profile, entries


# ---------------------------------------------------------------- mock-row helpers


def row_values(tools: list[ToolSpec]) -> set[str]:
    """Normalised scalar values of every mock row (inputs and outputs) of the given tools."""
    out: set[str] = set()
    for tool in tools:
        for row in tool.information:
            for _, value in list(flatten_values(row.input)) + list(flatten_values(row.output)):
                out.add(normalise_value(value))
    return out


def is_not_found_output(output: Any) -> bool:
    """Whether a mock output reads as 'nothing matched' (null, empty, error/not found, verified: false)."""
    if output in (None, {}, [], ""):
        return True
    if isinstance(output, dict):
        if output.get("found") is False or output.get("verified") is False or output.get("exists") is False:
            return True
        text = " ".join(str(v).lower() for _, v in flatten_values(output))
        return "error" in output and any(word in text for word in _NOT_FOUND_WORDS) or any(
            word in text for word in _NOT_FOUND_WORDS[:3])
    return False


def not_found_output(tool: ToolSpec) -> Any:
    """The tool's own not-found shape if a mock row shows one, else `{"error": "not_found"}`."""
    for row in tool.information:
        if is_not_found_output(row.output):
            return copy.deepcopy(row.output)
    return dict(NOT_FOUND_OUTPUT)


def _positive_rows(tool: ToolSpec) -> list[MockRow]:
    """Rows that return something: not a not-found answer, and not an empty result (`{"appointments": []}`)."""
    return [row for row in tool.information if not is_not_found_output(row.output) and not _empty_result(row.output)]


def _empty_result(output: Any) -> bool:
    return isinstance(output, dict) and bool(output) and all(v in ([], {}, None, "") for v in output.values())


# ---------------------------------------------------------------- branches ("reschedule or cancel")


@dataclass(frozen=True)
class Branch:
    """One alternative of an intent that offers several ('To move it, …' / 'To cancel, …'), with its tools."""

    verb: str
    tools: tuple[str, ...]


_BRANCH_STEP = re.compile(r"^\s*(?:to|if (?:the \w+ |they |you )?wants? to)\s+([a-z]+)\b", re.I)


def intent_branches(intent: Intent) -> list[Branch]:
    """The alternatives an intent's steps spell out, each with the shared tools plus its own (in call order)."""
    mentioned = {tool: min((i for i, step in enumerate(intent.steps) if tool in step), default=-1)
                 for tool in intent.tools}
    own: dict[str, list[str]] = {}
    for step in intent.steps:
        match = _BRANCH_STEP.match(step)
        tools_here = [t for t in intent.tools if t in step]
        if match and tools_here:
            own.setdefault(match.group(1).lower(), []).extend(tools_here)
    if len(own) < 2:
        return []
    specific = {t for tools in own.values() for t in tools}
    shared = [t for t in intent.tools if t not in specific]
    order = sorted(intent.tools, key=lambda t: (mentioned[t] >= 0, mentioned[t]))  # unmentioned (verification) first
    return [Branch(verb, tuple(t for t in order if t in shared or t in tools)) for verb, tools in own.items()]


def choose_branch(agent: AgentSpec, analysis: AgentAnalysis, slot: Slot) -> Branch | None:
    """The alternative this slot plays out: the one its complication or failing tool needs, else one whose mock
    rows link into a single consistent story (chosen by seed among equals)."""
    intent = next((i for i in analysis.intents if i.id == slot.intent_id), None)
    branches = intent_branches(intent) if intent else []
    if not branches:
        return None
    complication = (slot.complication or "").split("#")[0]
    if complication == "cancel_or_move":
        moving = [b for b in branches if not b.verb.startswith("cancel")]
        return moving[0] if moving else branches[0]
    if slot.tool_name and slot.category == "tool_failure":
        owning = [b for b in branches if slot.tool_name in b.tools]
        if owning and len(owning) < len(branches):
            return owning[slot.seed % len(owning)]
    tools = {tool.name: tool for tool in agent.tools}
    scored = []
    for branch in branches:
        relevant = [tools[n] for n in branch.tools if n in tools]
        links = _best_links(relevant, slot)
        scored.append(((links - (len(relevant) - 1), links), branch))  # fully linked stories first
    best = max(score for score, _ in scored)
    pool = [b for score, b in scored if score == best]
    return pool[slot.seed % len(pool)]


def _best_links(relevant: list[ToolSpec], slot: Slot) -> int:
    """How many tools the best anchor row links into one story (for comparing branches)."""
    anchor_tool = next((t for t in relevant if _positive_rows(t)), None)
    if anchor_tool is None:
        return 0
    return max(_link_chain(anchor_tool, row, relevant, random.Random(slot.seed))[2] for row in _positive_rows(anchor_tool))


_CONDITION = re.compile(r"^\s*(?:if|when|unless|in case)\b|\b(?:over|more than|less than|above|below|exceeds?|"
                        r"only if|suspected)\b", re.I)


def optional_tools(intent: Intent) -> set[str]:
    """Tools the intent's steps call only under a condition ('Refunds over 30 EUR …: transfer with transfer_to_agent');
    a plain call does not reach them, so they get no expected entry unless the slot is about them."""
    optional = set()
    for tool in intent.tools:
        steps = [step for step in intent.steps if tool in step]
        # The condition must come before the call ("Refunds over 30 EUR …: transfer with …"), not after it
        # ("Issue a refund with issue_refund; never refund more than the total").
        if steps and all(_CONDITION.search(step[: step.index(tool)]) for step in steps):
            optional.add(tool)
    return optional if len(optional) < len(intent.tools) else set()


def _relevant_tool_names(analysis: AgentAnalysis, slot: Slot, branch: Branch | None = None) -> list[str]:
    """Tools this slot's conversation should call, in order."""
    intent = next((i for i in analysis.intents if i.id == slot.intent_id), None)
    names = list(branch.tools) if branch else list(intent.tools) if intent else []
    if intent is not None:
        skipped = optional_tools(intent) - {slot.tool_name}
        names = [name for name in names if name not in skipped]
    if slot.tool_name and slot.tool_name not in names:
        names.append(slot.tool_name)
    if slot.category == "not_found" and slot.tool_name:
        return [slot.tool_name]  # the conversation stops at the failed lookup
    if slot.category == "tool_failure" and slot.tool_name in names:
        return names[: names.index(slot.tool_name) + 1]  # nothing after the failing call can run
    return names


def _entry(tool: ToolSpec, row_input: Any, row_output: Any) -> MockToolEntry:
    return MockToolEntry(tool_id=tool.id, tool_name=tool.name,
                         new_entry=MockRow(input=copy.deepcopy(row_input), output=copy.deepcopy(row_output)))


def _flat(value: Any) -> dict[str, Any]:
    """Leaf-key → value of a nested JSON value (first occurrence wins)."""
    out: dict[str, Any] = {}
    for key, scalar in flatten_values(value):
        out.setdefault(leaf_key(key), scalar)
    return out


# ---------------------------------------------------------------- real identities


def _topic_stems(analysis: AgentAnalysis, slot: Slot) -> set[str]:
    """Content words of the slot's intent (name and steps): which unlinked mock rows fit the story best."""
    intent = next((i for i in analysis.intents if i.id == slot.intent_id), None)
    return content_stems(f"{intent.name} {intent.description} {' '.join(intent.steps)}") if intent else set()


def _real_identity(analysis: AgentAnalysis, slot: Slot, relevant: list[ToolSpec], rng: random.Random,
                   topic: set[str] | None = None) -> tuple[dict[str, Any], list[MockToolEntry]]:
    """Anchor on a real mock row, then chain rows of the other tools that share values with what is known.

    Only anchors whose rows link the most tools are used: a less-linked anchor would pair one record with
    another record's details (one order's refund on a different order).
    """
    anchor_tool = next((t for t in relevant if _positive_rows(t) and _has_identity(t, analysis)), None) or next(
        (t for t in relevant if _positive_rows(t)), None)
    if anchor_tool is None:
        return _link_chain(None, None, relevant, random.Random(slot.seed), topic)[:2] if relevant else ({}, [])
    rows = _positive_rows(anchor_tool)
    scored = [(_link_chain(anchor_tool, row, relevant, random.Random(slot.seed), topic)[2], i)
              for i, row in enumerate(rows)]
    best = max(score for score, _ in scored)
    pool = [rows[i] for score, i in scored if score == best]
    anchor = pool[(rng.randrange(len(pool)) + _variation(slot)) % len(pool)]
    known, entries, _ = _link_chain(anchor_tool, anchor, relevant, rng, topic)
    if slot.category == "tool_failure":
        for entry in entries:
            if entry.tool_name == slot.tool_name:
                entry.new_entry.output = _failure(next(t for t in relevant if t.name == slot.tool_name))
    return known, entries


def _link_chain(anchor_tool: ToolSpec | None, anchor: MockRow | None, relevant: list[ToolSpec],
                rng: random.Random, topic: set[str] | None = None) -> tuple[dict[str, Any], list[MockToolEntry], int]:
    """(known values, entries in call order, number of tools linked by a shared value) for one anchor row.

    A row links when its input shares a value with the story so far and names no other record (an id field whose
    value differs from the one already known); other tools get a substituted copy of their best-fitting row.
    """
    known: dict[str, Any] = {}
    lists: dict[str, list[Any]] = {}
    chosen: dict[str, MockToolEntry] = {}
    links = 0
    if anchor_tool is not None and anchor is not None:
        known.update(_flat(anchor.input))
        known.update({k: v for k, v in _flat(anchor.output).items() if k not in known})
        _remember_lists(lists, anchor.input, anchor.output)
        chosen[anchor_tool.name] = _entry(anchor_tool, anchor.input, anchor.output)
    remaining = [t for t in relevant if t.name not in chosen]
    while remaining:
        known_norm = {normalise_value(v) for v in known.values()}
        best: tuple[int, int, ToolSpec, MockRow] | None = None
        for order, tool in enumerate(remaining):
            for row in _positive_rows(tool):
                row_input = _flat(row.input)
                if _names_another_record(row_input, known):
                    continue
                score = len({normalise_value(v) for v in row_input.values()} & known_norm)
                if score > 0 and (best is None or score > best[0]):
                    best = (score, order, tool, row)
        if best is not None:
            _, _, tool, row = best
            row_input, row_output = row.input, row.output
            links += 1
        else:
            tool = remaining[0]
            row_input, row_output = _substituted_row(tool, known, lists, rng, topic or set())
        chosen[tool.name] = _entry(tool, row_input, row_output)
        for key, value in list(_flat(row_input).items()) + list(_flat(row_output).items()):
            known.setdefault(key, value)
        _remember_lists(lists, row_input, row_output)
        remaining.remove(tool)
    entries = [chosen[t.name] for t in relevant if t.name in chosen]
    return known, entries, links


def _names_another_record(row_input: dict[str, Any], known: dict[str, Any]) -> bool:
    """Whether a row's input carries an id field whose value differs from the one the story already holds."""
    return any(is_identity_field(key) and key in known and not isinstance(known[key], (dict, list))
               and normalise_value(value) != normalise_value(known[key]) for key, value in row_input.items())


def _remember_lists(lists: dict[str, list[Any]], *values: Any) -> None:
    """Top-level lists of scalars (an order's items) kept whole, so a later row can take them over."""
    for value in values:
        if isinstance(value, dict):
            for key, inner in value.items():
                if isinstance(inner, list) and inner and all(isinstance(v, (str, int, float)) for v in inner):
                    lists.setdefault(str(key), list(inner))


def _substituted_row(tool: ToolSpec, known: dict[str, Any], lists: dict[str, list[Any]], rng: random.Random,
                     topic: set[str]) -> tuple[Any, Any]:
    """A copy of the tool's best-fitting row with what the story already knows substituted (or a minimal row).

    The row that shares most words with the intent wins ('emergency pain visit' for an emergency-pain call);
    ids and details the story knows (order number, the order's items) replace the row's own, so no entry
    carries another record's details.
    """
    rows = _positive_rows(tool)
    if not rows:
        return {need: known[need] for need in _needs(tool) if need in known}, {"status": "ok"}
    fit = [len(topic & _row_stems(row)) for row in rows]
    best = max(fit)
    candidates = [row for row, score in zip(rows, fit) if score == best]
    row = candidates[rng.randrange(len(candidates))]
    row_input = copy.deepcopy(row.input)
    if isinstance(row_input, dict):
        for key, value in row_input.items():
            if key not in known or isinstance(known[key], (dict, list)):
                continue  # nothing known: the row's own value stays (a detail of this call, not another record)
            if is_identity_field(key):
                row_input[key] = known[key]
            elif isinstance(value, list):
                row_input[key] = list(lists.get(key, [known[key]]))[: max(1, len(value))]
    return row_input, row.output


def _row_stems(row: MockRow) -> set[str]:
    text = " ".join(str(v) for _, v in list(flatten_values(row.input)) + list(flatten_values(row.output))
                    if isinstance(v, str))
    return content_stems(text)


def _take_action_details(known: dict[str, Any], entries: list[MockToolEntry]) -> None:
    """Request details (items, amount, delivery…) come from the calls that act, not from the first lookup: the
    caller asks for what the action entry will be called with (the refunded item is the one reported missing)."""
    for entry in entries[1:]:
        for key, value in _flat(entry.new_entry.input).items():
            if not is_identity_field(key) and not isinstance(value, (dict, list)):
                known[key] = value


def _complete_identity(known: dict[str, Any], analysis: AgentAnalysis, tools: list[ToolSpec]) -> None:
    """Fill identity fields still missing from rows of any tool that share a value with the caller's known ones."""
    missing = [f for f in analysis.identity_fields if not any(same_field(f, k) for k in known)]
    if not missing:
        return
    known_norm = {normalise_value(v) for v in known.values() if not isinstance(v, (dict, list))}
    for tool in tools:
        for row in _positive_rows(tool):
            values = {**_flat(row.input), **_flat(row.output)}
            if not {normalise_value(v) for v in values.values()} & known_norm:
                continue
            for key, value in values.items():
                if any(same_field(key, f) for f in missing) and not any(same_field(key, k) for k in known):
                    known[key] = value


def _has_identity(tool: ToolSpec, analysis: AgentAnalysis) -> bool:
    keys = set(_flat([row.input for row in tool.information])) | set(_flat([row.output for row in tool.information]))
    return any(any(same_field(key, f) for f in analysis.identity_fields) for key in keys)


def _needs(tool: ToolSpec) -> list[str]:
    properties = (tool.parameters or {}).get("properties") if isinstance(tool.parameters, dict) else None
    return list(properties) if isinstance(properties, dict) else []


def _failure(tool: ToolSpec) -> dict[str, Any]:
    return {"error": "service_unavailable", "message": f"{tool.name} did not respond (simulated outage)"}


def _variation(slot: Slot) -> int:
    """The '#k' variation number of a repeated complication (0 for the first)."""
    if slot.complication and "#" in slot.complication:
        return int(slot.complication.rsplit("#", 1)[1] or 0)
    return 0


# ---------------------------------------------------------------- synthetic (not-found) identities


def _not_found_identity(agent: AgentSpec, analysis: AgentAnalysis, slot: Slot, relevant: list[ToolSpec],
                        rng: random.Random) -> tuple[dict[str, Any], list[MockToolEntry]]:
    """An identity no mock row contains, and the lookup's not-found answer."""
    taken = row_values(agent.tools)
    tool = relevant[0] if relevant else None
    known: dict[str, Any] = {}
    samples = _flat([row.input for row in tool.information]) if tool else {}
    samples.update({k: v for k, v in _flat([row.output for row in tool.information]).items() if k not in samples}
                   if tool else {})
    keys = [k for k in (_needs(tool) if tool else []) if is_identity_field(k)] or [
        k for k in samples if is_identity_field(k)]
    person_keys = [k for k in samples if is_person_field(k) and k not in keys and not k.startswith("guardian")]
    for key in keys + person_keys + [f for f in analysis.identity_fields if f not in samples and f not in keys]:
        known[key] = _fresh_value(key, samples.get(key), taken, rng, agent)
    entries = []
    if tool is not None:
        lookup_input = {key: known[key] for key in keys} or {"query": next(iter(known.values()), "unknown")}
        entries.append(_entry(tool, lookup_input, not_found_output(tool)))
    return known, entries


def _fresh_value(key: str, sample: Any, taken: set[str], rng: random.Random, agent: AgentSpec) -> Any:
    """A value shaped like `sample` (or like the field name suggests) that no mock row contains."""
    tokens = set(split_identifier(key))
    for _ in range(50):
        if "name" in tokens:
            value = person_name(rng, agent.language)
        elif tokens & {"address", "email", "city", "street"} or sample is None:
            value = value_for(key, "", rng, language=agent.language, agent_name=agent.name)
        elif sample is not None:
            from .values import mimic

            value = mimic(sample, rng)
        if normalise_value(value) not in taken:
            return value
    return f"UNKNOWN-{rng.randint(10**7, 10**8 - 1)}"


# ---------------------------------------------------------------- profile sections


def _testing_variables(agent: AgentSpec, analysis: AgentAnalysis, slot: Slot, known: dict[str, Any],
                       rng: random.Random) -> dict[str, Any]:
    """The caller persona: identity fields, a name, and request details drawn from the tool inputs."""
    returned = {leaf_key(k) for t in agent.tools for row in t.information for k, _ in flatten_values(row.output)}
    testing: dict[str, Any] = {}
    for key, value in known.items():
        if isinstance(value, (dict, list)) or value is None or isinstance(value, bool):
            continue
        caller_facing = any(same_field(key, f) for f in analysis.identity_fields) or is_person_field(key)
        internal_id = is_identity_field(key) and not caller_facing and key in returned
        if internal_id or key.startswith(("guardian", "courier")):
            continue
        if caller_facing or key in _input_keys(agent):
            testing[key] = value
    if not any("name" in key for key in testing):
        testing["name"] = person_name(rng, agent.language)
    for field in analysis.identity_fields:
        if not any(same_field(field, key) for key in testing):
            testing[field] = _fresh_value(field, None, row_values(agent.tools), rng, agent) \
                if slot.category == "not_found" else value_for(field, "", rng, language=agent.language,
                                                               agent_name=agent.name, persona=_persona(testing),
                                                               sample_phone=_sample_phone(agent))
    return testing


def _sample_phone(agent: AgentSpec) -> str | None:
    """A phone number from the mock rows, so made-up callers get the same country format (a Leeds clinic's
    callers have +44 numbers)."""
    for tool in agent.tools:
        for row in tool.information:
            for key, value in list(flatten_values(row.input)) + list(flatten_values(row.output)):
                if "phone" in leaf_key(key).lower() and isinstance(value, str):
                    return value
    return None


def _input_keys(agent: AgentSpec) -> set[str]:
    return {str(k) for t in agent.tools for row in t.information if isinstance(row.input, dict) for k in row.input}


def _persona(testing: dict[str, Any]) -> str | None:
    return next((str(v) for k, v in testing.items() if "name" in k), None)


def main_agent_variables(agent: AgentSpec, analysis: AgentAnalysis, known: dict[str, Any], testing: dict[str, Any],
                         rng: random.Random) -> dict[str, Any]:
    """Exactly one value per dynamic variable, reusing the caller's own values where the names agree."""
    descriptions = {v.name: v.description for v in agent.variables}
    sample_phone = next((str(v) for k, v in {**known, **testing}.items() if "phone" in k), None)
    out: dict[str, Any] = {}
    pool = {**known, **testing}
    for name in analysis.variables:
        match = _matching_value(name, pool)
        out[name] = match if match is not None else value_for(
            name, descriptions.get(name, ""), rng, language=agent.language, agent_name=agent.name,
            persona=_persona(testing), sample_phone=sample_phone)
    return out


def _matching_value(variable: str, pool: dict[str, Any]) -> Any:
    """A known value for a variable with an equivalent name (`caller_phone` ~ `phone`, `customer_tier` ~ `tier`)."""
    var_tokens = split_identifier(variable)
    for key, value in pool.items():
        if isinstance(value, (dict, list)) or value is None:
            continue
        if same_field(variable, key):
            return value
        key_tokens = split_identifier(key)
        # A one-word caller attribute named inside the variable ("tier" in customer_tier); never dates or ids.
        if (len(key_tokens) == 1 and key_tokens[0] in var_tokens and key_tokens[0] in _ATTRIBUTE_WORDS):
            return value
    return None
