"""Per-slot fixtures, fixed before anything is written: the caller's identity, request details, variable values
and the expected tool calls, all taken from the agent model's classified mock rows.

Happy paths follow one chain (the same person across tools) using success rows only; no-match paths use a value
no mock row knows and the agent's own no-match shape; failure paths use the failure (empty, partial) row.
"""

from __future__ import annotations

import copy
import random
import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from .agent_model import AgentModel, Chain, ClassifiedRow, FailureMode, IntentModel, RowOutcome, ToolModel
from .fields import canonical_field, is_identity_field, same_field
from .text import flatten_values, leaf_key, normalise_value
from .types import AgentSpec, MockToolEntry, Slot, TestProfileData, ToolSpec
from .values import person_name, value_for

FALLBACK_NO_MATCH = {"found": False}
_ISO_DATE = re.compile(r"^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}):(\d{2}))?")
# Keys of dates that lie in the future of the call (appointments, slots, deliveries), as opposed to history.
_FUTURE_KEY = re.compile(r"(date|day|slot|start|time|when|scheduled|appointment|delivery|eta|window|visit|arriv)",
                         re.I)
_PAST_KEY = re.compile(r"(birth|dob|since|created|opened|last|issued|expir|purchase|placed|ordered|paid|joined|"
                       r"shipped|updated|reported|filed|signed)", re.I)


@dataclass
class Fixture:
    """What a slot is played with; the writer only reads it."""

    profile: TestProfileData
    entries: list[MockToolEntry]
    identity: dict[str, Any] = field(default_factory=dict)  # profile key → value the caller identifies with
    facts: dict[str, Any] = field(default_factory=dict)  # request details in machine formats (dates ISO)
    chain_id: str | None = None
    source_rows: list[tuple[str, int]] = field(default_factory=list)  # mock rows used verbatim, in call order
    failing_tool: str | None = None
    unknown: dict[str, Any] = field(default_factory=dict)  # no-match paths: the values the mocks do not know
    today: date = field(default_factory=date.today)


def build_fixture(agent: AgentSpec, model: AgentModel, slot: Slot, rng: random.Random) -> Fixture:
    """The fixture of one slot (deterministic for the slot's seed)."""
    intent = model.intent(slot.intent_id)
    mode = next((m for m in model.failure_modes if m.id == slot.failure_id), None)
    today = reference_today(model, agent)
    if slot.category == "not_found":
        fixture = _no_match(agent, model, intent, mode, slot, rng)
    else:
        fixture = _from_chain(agent, model, intent, mode, slot, rng)
    fixture.today = today
    ids = {t.name: t.id for t in agent.tools}
    for entry in fixture.entries:
        entry.tool_id = ids.get(entry.tool_name)
    testing = dict(fixture.identity)
    if not any(canonical_field(k) in ("full_name", "first_name") for k in testing):
        testing["name"] = person_name(rng, model.language)
    for key, value in fixture.facts.items():
        testing.setdefault(key, value)
    avoid = row_values(agent.tools) if slot.category == "not_found" else None
    main = main_agent_variables(agent, model, testing, today, rng, avoid=avoid)
    display = next((str(v) for k, v in testing.items() if canonical_field(k) in ("full_name", "first_name")),
                   "Caller")
    fixture.profile = TestProfileData(
        name=f"{display} – {slot.category.replace('_', ' ')} #{slot.index + 1}"[:255],
        main_agent_variables=main, testing_agent_variables=testing)
    return fixture


# ---------------------------------------------------------------- "today"


def reference_today(model: AgentModel, agent: AgentSpec) -> date:
    """The agent's stated today; else (a {{variable}} or nothing) a day just before the mocks' future dates."""
    if model.today and _ISO_DATE.match(model.today):
        return date.fromisoformat(model.today[:10])
    found = sorted(d for d in (_as_date(v) for k, v in _all_row_values(agent.tools)
                               if _FUTURE_KEY.search(k) and not _PAST_KEY.search(k)) if d and d.year >= 2020)
    if found:
        return found[0] - timedelta(days=3)
    return date.today()


def _as_date(value: Any) -> date | None:
    match = _ISO_DATE.match(str(value)) if isinstance(value, str) else None
    if not match:
        return None
    try:
        return date.fromisoformat(match.group(1))
    except ValueError:
        return None


def _all_row_values(tools: list[ToolSpec]) -> list[tuple[str, Any]]:
    return [(leaf_key(k), v) for t in tools for row in t.information
            for k, v in list(flatten_values(row.input)) + list(flatten_values(row.output))]


def row_values(tools: list[ToolSpec]) -> set[str]:
    """Normalised scalar values of every mock row (inputs and outputs) of the given tools."""
    return {normalise_value(v) for _, v in _all_row_values(tools)}


# ---------------------------------------------------------------- chains and rows


def _flat(value: Any) -> dict[str, Any]:
    """Top-level scalars of a row part, and nested scalars under their leaf key (first wins)."""
    out: dict[str, Any] = {}
    for key, inner in flatten_values(value):
        out.setdefault(leaf_key(key), inner)
    return out


def _tools_of(model: AgentModel, intent: IntentModel | None, slot: Slot) -> list[str]:
    if intent is not None and intent.tools:
        return list(intent.tools)
    return [slot.tool_name] if slot.tool_name else []


def choose_chain(model: AgentModel, tools: list[str], slot: Slot, rng: random.Random,
                 must_hold: tuple[str, int] | None = None) -> Chain | None:
    """The chain (one person) whose success rows cover most of the slot's tools; rotated among equals by seed."""
    if not model.chains:
        return None
    if must_hold is not None:
        holding = [c for c in model.chains if must_hold in [tuple(r) for r in c.rows]]
        if holding:
            return holding[0]

    def score(chain: Chain) -> tuple[int, int]:
        held = {tool for tool, index in chain.rows if _row(model, tool, index, RowOutcome.SUCCESS) is not None}
        # The tool that acts (last in the flow) weighs double: a chain must not borrow another person's booking.
        weight = sum(2 if tools and tool == tools[-1] else 1 for tool in held & set(tools))
        return (weight, 1 if chain.all_success else 0)

    best = max(score(c) for c in model.chains)
    pool = [c for c in model.chains if score(c) == best and c.all_success] or \
        [c for c in model.chains if score(c) == best]
    return pool[(rng.randrange(len(pool)) + _variation(slot) + slot.index) % len(pool)]


def _row(model: AgentModel, tool: str, index: int, outcome: RowOutcome | None = None) -> ClassifiedRow | None:
    spec = model.tool(tool)
    row = next((r for r in spec.rows if r.index == index), None) if spec else None
    return row if row is not None and (outcome is None or row.outcome == outcome) else None


def _known_conflict(row_input: dict[str, Any], known: dict[str, Any]) -> bool:
    """Whether a row's input names another record (an id or identity value different from the story's)."""
    for key, value in row_input.items():
        if isinstance(value, (dict, list)) or key not in known or isinstance(known[key], (dict, list)):
            continue
        if is_identity_field(key) and normalise_value(value) != normalise_value(known[key]):
            return True
    return False


def _pick_row(model: AgentModel, tool: str, chain: Chain | None, known: dict[str, Any],
              rng: random.Random) -> tuple[ClassifiedRow | None, bool]:
    """(success row for the tool on this story, whether it is used verbatim)."""
    if chain is not None:
        for name, index in chain.rows:
            row = _row(model, name, index, RowOutcome.SUCCESS) if name == tool else None
            if row is not None:
                return row, True
    rows = model.rows(RowOutcome.SUCCESS, tool)
    if not rows:
        return None, False
    fitting = [r for r in rows if not _known_conflict(_flat(r.input), known)]
    if fitting:
        shared = [len({normalise_value(v) for v in _flat(r.input).values()}
                      & {normalise_value(v) for v in known.values()}) for r in fitting]
        top = max(shared)
        pool = [r for r, s in zip(fitting, shared) if s == top]
        return pool[rng.randrange(len(pool))], True
    return rows[0], False


def _substitute(part: Any, known: dict[str, Any]) -> Any:
    """A copy of a row input with the story's identity values in place of another record's."""
    part = copy.deepcopy(part)
    if isinstance(part, dict):
        for key in list(part):
            if key in known and is_identity_field(key) and not isinstance(known[key], (dict, list)):
                part[key] = known[key]
    return part


def _entry(tool: ToolModel | None, name: str, row_input: Any, row_output: Any) -> MockToolEntry:
    from .types import MockRow

    return MockToolEntry(tool_id=None, tool_name=name,
                         new_entry=MockRow(input=copy.deepcopy(row_input), output=copy.deepcopy(row_output)))


def _from_chain(agent: AgentSpec, model: AgentModel, intent: IntentModel | None, mode: FailureMode | None,
                slot: Slot, rng: random.Random) -> Fixture:
    """Success rows of one chain along the intent's tools; a failure path ends on its failure row."""
    tools = _tools_of(model, intent, slot)
    hold = (mode.tool, mode.row_index) if mode and mode.tool and mode.row_index is not None else None
    chain = choose_chain(model, tools, slot, rng, must_hold=hold)
    known: dict[str, Any] = {}
    if chain is not None:
        known.update(chain.identity)
        for name, index in chain.rows:
            row = _row(model, name, index, RowOutcome.SUCCESS)
            if row is not None:
                known.update({k: v for k, v in _flat(row.input).items() if k not in known})
    entries: list[MockToolEntry] = []
    sources: list[tuple[str, int]] = []
    failing = None
    facts: dict[str, Any] = {}
    for position, tool_name in enumerate(tools):
        spec = model.tool(tool_name)
        if mode is not None and mode.tool == tool_name:
            bad = _row(model, tool_name, mode.row_index) if mode.row_index is not None else None
            outcome_rows = model.rows(mode.outcome, tool_name)
            bad = bad or (outcome_rows[0] if outcome_rows else None)
            output = bad.output if bad is not None else (spec.failure_output if spec else None)
            row_input = _substitute(bad.input, known) if bad is not None else {}
            entries.append(_entry(spec, tool_name, row_input, output))
            if bad is not None and row_input == bad.input:
                sources.append((tool_name, bad.index))
            failing = tool_name
            break
        row, verbatim = _pick_row(model, tool_name, chain, known, rng)
        if row is None:
            needs = spec.needs if spec else []
            entries.append(_entry(spec, tool_name, {n: known[n] for n in needs if n in known}, None))
            continue
        row_input = row.input if verbatim else _substitute(row.input, known)
        entries.append(_entry(spec, tool_name, row_input, row.output))
        if verbatim:
            sources.append((tool_name, row.index))
        for key, value in {**_flat(row_input), **_flat(row.output)}.items():
            known.setdefault(key, value)
    facts = request_facts(entries)
    identity = _identity(model, chain, known, entries)
    return Fixture(profile=TestProfileData(name=""), entries=entries, identity=identity, facts=facts,
                   chain_id=chain.id if chain else None, source_rows=sources, failing_tool=failing)


_RECORD_ID = re.compile(r"(^|_)(id|ref|reference|code)$", re.I)
_PERSON_FIELDS = ("full_name", "first_name", "last_name", "date_of_birth", "phone", "email")
_RANGE_KEY = re.compile(r"(_from|_to|_start|_end|^from$|^to$|range|limit|max|min)$", re.I)


def request_facts(entries: list[MockToolEntry]) -> dict[str, Any]:
    """What the caller asks for, in machine formats: the acting calls' own details (reason, type) and, for an id
    they pass (a slot, an appointment), the details of that record from an earlier output (its start, provider)."""
    facts: dict[str, Any] = {}
    ranges: dict[str, Any] = {}
    for position, entry in enumerate(entries):
        if position == 0 and len(entries) > 1:
            continue  # the first lookup's filters are not something the caller asks for
        row_input = entry.new_entry.input if isinstance(entry.new_entry.input, dict) else {}
        for key, value in row_input.items():
            if isinstance(value, (dict, list, bool)) or value in (None, ""):
                continue
            if _RECORD_ID.search(key):
                facts.update(_record_details(value, entries[:position]))
            elif is_identity_field(key):
                continue
            elif _RANGE_KEY.search(key):
                ranges[key] = value
            else:
                facts[key] = value
    if not any(_as_date(v) for v in facts.values()):
        start = next((v for k, v in ranges.items() if _as_date(v) and not re.search(r"(_to|_end)$", k)), None)
        if start is not None:
            facts["date"] = start
    return facts


def _record_details(value: Any, earlier: list[MockToolEntry]) -> dict[str, Any]:
    """Scalar, non-id details of the record (a dict in an earlier output) that holds `value`."""
    target = normalise_value(value)
    for entry in reversed(earlier):
        for record in _dicts(entry.new_entry.output):
            if any(canonical_field(k) in _PERSON_FIELDS for k in record):
                continue  # the caller's own record: its details are identity, not something they ask for
            if any(normalise_value(v) == target for v in record.values() if not isinstance(v, (dict, list))):
                return {k: v for k, v in record.items() if not isinstance(v, (dict, list, bool)) and v is not None
                        and not is_identity_field(k)}
    return {}


def _dicts(value: Any) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    if isinstance(value, dict):
        out.append(value)
        for inner in value.values():
            out.extend(_dicts(inner))
    elif isinstance(value, list):
        for inner in value:
            out.extend(_dicts(inner))
    return out


def _identity(model: AgentModel, chain: Chain | None, known: dict[str, Any],
              entries: list[MockToolEntry]) -> dict[str, Any]:
    """The caller's identity: the verification fields (canonical names) and the person's name. Values the
    expected tool calls carry come first (the lookup finds exactly this person); the chain's identity fills the
    rest unless the verifying tool is called, whose rows then decide alone."""
    in_calls: dict[str, Any] = {}
    for entry in entries:
        for part in (entry.new_entry.input, entry.new_entry.output):
            for key, value in flatten_values(part):
                if isinstance(value, (str, int)) and not isinstance(value, bool):
                    in_calls.setdefault(canonical_field(leaf_key(key)), value)
    verifier_called = model.verification.tool is not None and any(
        e.tool_name == model.verification.tool for e in entries)
    source = dict(chain.identity) if chain is not None else {}
    out: dict[str, Any] = {}
    for name in list(model.verification.fields) + ["full_name", "first_name", "last_name"]:
        if name in out:
            continue
        value = in_calls.get(name)
        if value is None and not (verifier_called and name in model.verification.fields):
            value = source.get(name)
            if value is None:
                value = next((v for k, v in known.items() if canonical_field(k) == name
                              and isinstance(v, (str, int))), None)
        if value is not None:
            out[name] = value
    return out


def _variation(slot: Slot) -> int:
    """The '#k' variation number of a repeated slot (0 for the first)."""
    if slot.complication and "#" in slot.complication:
        return int(slot.complication.rsplit("#", 1)[1] or 0)
    return 0


# ---------------------------------------------------------------- no match


def no_match_output(model: AgentModel, tool: str, mode: FailureMode | None) -> Any:
    """The agent's real no-match shape for the tool (its no-match row), else a neutral `{"found": false}`."""
    spec = model.tool(tool)
    if mode is not None and mode.row_index is not None:
        row = _row(model, tool, mode.row_index)
        if row is not None:
            return copy.deepcopy(row.output)
    if spec is not None and spec.no_match_output is not None:
        return copy.deepcopy(spec.no_match_output)
    rows = model.rows(RowOutcome.NO_MATCH, tool)
    return copy.deepcopy(rows[0].output) if rows else dict(FALLBACK_NO_MATCH)


def _no_match(agent: AgentSpec, model: AgentModel, intent: IntentModel | None, mode: FailureMode | None, slot: Slot,
              rng: random.Random) -> Fixture:
    """An identity no mock row knows, and the lookup's real no-match answer."""
    taken = row_values(agent.tools)
    tool_name = (mode.tool if mode else None) or model.verification.tool or next(iter(_tools_of(model, intent, slot)),
                                                                                 None)
    spec = model.tool(tool_name) if tool_name else None
    samples: dict[str, Any] = {}
    if spec is not None:
        for row in spec.rows:
            for key, value in _flat(row.input).items():
                samples.setdefault(key, value)
    keys = [k for k in (spec.needs if spec else []) if is_identity_field(k)] or \
        [k for k in samples if is_identity_field(k)]
    unknown = {key: fresh_value(key, samples.get(key), taken, rng, model.language) for key in keys}
    identity = {canonical_field(k): v for k, v in unknown.items()}
    for name in model.verification.fields:
        if name not in identity:
            identity[name] = fresh_value(name, None, taken, rng, model.language)
    entries = []
    if tool_name is not None:
        lookup_input = unknown or {"query": next(iter(identity.values()), "unknown")}
        entries.append(_entry(spec, tool_name, lookup_input, no_match_output(model, tool_name, mode)))
    return Fixture(profile=TestProfileData(name=""), entries=entries, identity=identity, facts={},
                   failing_tool=tool_name, unknown=unknown)


def fresh_value(key: str, sample: Any, taken: set[str], rng: random.Random, language: str = "en") -> Any:
    """A realistic value for the field that no mock row contains (shaped like `sample` when one exists)."""
    from .values import mimic

    for attempt in range(60):
        if sample is not None and canonical_field(key) not in ("full_name", "first_name", "last_name", "email"):
            value = mimic(sample, rng)
        else:
            value = value_for(key, "", rng, language=language)
        if normalise_value(value) not in taken:
            return value
    return value_for(key, "", rng, language=language)


# ---------------------------------------------------------------- variables


def main_agent_variables(agent: AgentSpec, model: AgentModel, pool: dict[str, Any], today: date,
                         rng: random.Random, avoid: set[str] | None = None) -> dict[str, Any]:
    """Exactly one value per dynamic variable: the caller's own value where names agree, today's date, else
    a realistic value."""
    descriptions = {v.name: v.description for v in agent.variables}
    names = model.variables or [v.name for v in agent.variables]
    today_var = model.today[2:-2].strip() if model.today and model.today.startswith("{{") else None
    out: dict[str, Any] = {}
    for name in names:
        if name == today_var or re.search(r"(today|current_date|^date$|call_date)", name):
            out[name] = today.isoformat()
            continue
        match = next((v for k, v in pool.items() if same_field(name, k) and not isinstance(v, (dict, list))), None)
        value, tried = match, []
        for _ in range(20 if match is None else 0):  # an unknown caller's values stay unknown to the mocks
            value = value_for(name, descriptions.get(name, ""), rng, language=model.language, agent_name=agent.name,
                              persona=next((str(v) for k, v in pool.items() if "name" in k), None))
            tried.append(value)
            if avoid is None or normalise_value(value) not in avoid:
                break
        else:
            if tried:  # every option is in some row: at least not one a lookup is called with
                inputs = {normalise_value(v) for t in agent.tools for row in t.information
                          for _, v in flatten_values(row.input)}
                value = next((v for v in tried if normalise_value(v) not in inputs), value)
        out[name] = value
    return out


def future_date(value: Any, today: date) -> bool:
    """Whether a machine date value is on or after `today` (non-dates count as True)."""
    parsed = _as_date(value)
    return parsed is None or parsed >= today


def parse_when(value: Any) -> datetime | date | None:
    """An ISO date or date-time value as a date/datetime (None for anything else)."""
    if not isinstance(value, str):
        return None
    match = _ISO_DATE.match(value.strip())
    if not match:
        return None
    try:
        day = date.fromisoformat(match.group(1))
    except ValueError:
        return None
    if match.group(2):
        return datetime(day.year, day.month, day.day, int(match.group(2)), int(match.group(3)))
    return day


