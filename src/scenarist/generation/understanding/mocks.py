"""Mock rows classified by outcome from their output (in whatever shape the backend answers), tools summarised,
and chains of rows across tools (the id one tool returns is the input of the next, for the same person)."""

from __future__ import annotations

import re
from typing import Any

from ..agent_model import Chain, ClassifiedRow, RowOutcome, ToolModel
from ..text import flatten_values, leaf_key, normalise_value
from ..types import ToolSpec
from .fields import canonical_identity_field

_NO_MATCH_CODE = re.compile(r"not_?found|no_?match|mismatch|not_?match|no_?coincide|no_?encontrad|no_?record|"
                            r"unknown_|not_?registered|not_?verified|no_?existe|invalid_(id|number|account)|"
                            r"does_?not_?exist", re.I)
_FAILURE_WORD = re.compile(r"^(error|errors|failed|failure|fail|rejected|rechazad[oa]|denied|declined|timeout|"
                           r"timed_?out|unavailable|fallid[oa]|ko|refused|blocked)$", re.I)
_PARTIAL_WORD = re.compile(r"^(partial|partial_success|partially_\w+|parcial|no_aplicad[oa]|not_applied|"
                           r"backordered|skipped|pending_vendor)$", re.I)
_MATCH_FLAGS = {"match", "matched", "found", "exists", "verified", "valid", "coincide", "encontrado", "authenticated",
                "is_match", "record_found", "verificado", "identified"}
_DONE_FLAGS = {"ok", "success", "succeeded", "transferred", "transferido", "reset", "created", "booked", "cancelled",
               "canceled", "connected", "completed", "done", "sent", "updated", "scheduled", "submitted", "accepted",
               "processed", "confirmed", "added", "saved", "filed", "registered", "approved", "exito", "éxito",
               "realizado", "enviado"}
_STATUS_KEYS = {"status", "state", "result", "resultado", "estado", "outcome", "code", "error_code", "codigo",
                "código", "reason", "motivo", "error", "type"}
_ERROR_KEYS = {"error", "errors", "error_code", "error_message", "fault", "exception"}
_NOTE_KEYS = {"warning", "warnings", "aviso", "advertencia", "note", "partial", "partial_failure", "failed_items"}
_LOOKUP_TOOL = re.compile(r"(^|_)(lookup|look_up|find|search|verify|identify|locate|authenticate|match|buscar|"
                          r"verificar|identificar|validate)(_|$)", re.I)
_SIDE_EFFECT = re.compile(r"(^|_)(book|create|cancel|update|modify|change|reschedule|transfer|refund|freeze|block|"
                          r"unblock|submit|file|send|add|delete|remove|register|reset|order|place|schedule|report|open|"
                          r"close|pay|charge|issue|request|escalate|log|record|save|set|replace|return|initiate|start|"
                          r"stop|dispute|enroll|activate|deactivate|reserve|confirm|assign|notify|page|dispatch|"
                          r"bloquear|cambiar|crear|cancelar|anular|reservar|registrar|transferir|enviar|solicitar|"
                          r"modificar|actualizar)(_|$)", re.I)


def classify_output(output: Any, tool_name: str = "") -> RowOutcome:
    """What a mock row's output models: success, no_match, failure, empty or partial."""
    lookup = bool(_LOOKUP_TOOL.search(tool_name))
    if output is None or output == "" or output == {}:
        return RowOutcome.EMPTY
    if isinstance(output, list):
        if not output:
            return RowOutcome.NO_MATCH if lookup else RowOutcome.EMPTY
        return RowOutcome.SUCCESS
    if isinstance(output, str):
        return _classify_text(output)
    if not isinstance(output, dict):
        return RowOutcome.SUCCESS
    codes = _status_values(output)
    if any(_NO_MATCH_CODE.search(c) for c in codes) or any(
            output.get(k) is False for k in output if k.lower() in _MATCH_FLAGS):
        return RowOutcome.NO_MATCH
    if _is_failure(output, codes):
        return RowOutcome.FAILURE
    if _is_partial(output, codes):
        return RowOutcome.PARTIAL
    lists = [v for v in output.values() if isinstance(v, list)]
    if lists and not any(lists) and not any(isinstance(v, dict) and v for v in output.values()):
        return RowOutcome.NO_MATCH if lookup else RowOutcome.EMPTY
    counts = [output.get(k) for k in ("count", "total", "total_results", "results_count") if k in output]
    if counts and all(c == 0 for c in counts):
        return RowOutcome.NO_MATCH if lookup else RowOutcome.EMPTY
    return RowOutcome.SUCCESS


def _classify_text(text: str) -> RowOutcome:
    lowered = text.lower()
    if re.search(r"not found|no match|no record|unknown", lowered):
        return RowOutcome.NO_MATCH
    if re.search(r"\b(error|failed|failure|unavailable|timed? ?out|exception)\b", lowered):
        return RowOutcome.FAILURE
    if re.search(r"\b(none|no results|nothing|empty)\b", lowered):
        return RowOutcome.EMPTY
    return RowOutcome.SUCCESS


def _status_values(output: dict) -> list[str]:
    """String values of status-like keys, at the top level and inside an `error` object."""
    values = []
    for key, value in output.items():
        if key.lower() in _STATUS_KEYS:
            if isinstance(value, str):
                values.append(value.strip().replace(" ", "_").replace("-", "_"))
            elif isinstance(value, dict):
                values.extend(str(v).replace(" ", "_") for k, v in value.items() if k.lower() in ("code", "type"))
    return values


def _is_failure(output: dict, codes: list[str]) -> bool:
    """An error key, an HTTP error status, a failure status word, a done-flag set to false, or `rejected`."""
    for key, value in output.items():
        low = key.lower()
        if low in _ERROR_KEYS and value not in (None, "", [], {}, False):
            return True
        if low in ("status", "http_status", "status_code", "statuscode", "code") and isinstance(value, int) \
                and value >= 400:
            return True
        if low in _DONE_FLAGS and value is False:
            return True
        if low in ("rejected", "failed", "error") and value is True:
            return True
    return any(_FAILURE_WORD.match(c) for c in codes if c)


def _is_partial(output: dict, codes: list[str]) -> bool:
    """A partial-status word anywhere, or a warning/note beside a result that is not complete."""
    if any(_PARTIAL_WORD.match(c) for c in codes):
        return True
    scalars = [str(v) for _, v in flatten_values(output) if isinstance(v, str)]
    if any(_PARTIAL_WORD.match(s.strip()) for s in scalars):
        return True
    return any(k.lower() in _NOTE_KEYS and v not in (None, "", [], False) for k, v in output.items()) and \
        any(v is None for v in output.values())


def _keys(value: Any) -> list[str]:
    """Leaf keys of a JSON value, in order, deduplicated."""
    out: list[str] = []
    for key, _ in flatten_values(value):
        leaf = leaf_key(key)
        if leaf and leaf not in out:
            out.append(leaf)
    return out


def row_identity(row_input: Any, output: Any) -> dict[str, Any]:
    """Canonical identity fields found in a row (inputs first), e.g. {'phone': '+1…', 'full_name': 'Dana …'}."""
    identity: dict[str, Any] = {}
    for value in (row_input, output):
        for key, scalar in flatten_values(value):
            field = canonical_identity_field(leaf_key(key), key)
            if field and field not in identity and isinstance(scalar, (str, int)) and not isinstance(scalar, bool):
                identity[field] = scalar
    if "full_name" not in identity and "first_name" in identity and "last_name" in identity:
        identity["full_name"] = f"{identity['first_name']} {identity['last_name']}"
    return identity


def tool_models(tools: list[ToolSpec], capability) -> list[ToolModel]:
    """One ToolModel per tool: needs, returns, side effect, rows classified, real no-match and failure shapes."""
    models = []
    for tool in tools:
        needs = list((tool.parameters or {}).get("properties") or {}) if isinstance(tool.parameters, dict) else []
        for row in tool.information:
            for key in row.input if isinstance(row.input, dict) else {}:
                if str(key) not in needs:
                    needs.append(str(key))
        rows = [ClassifiedRow(tool=tool.name, index=i, outcome=classify_output(r.output, tool.name), input=r.input,
                              output=r.output, identity=row_identity(r.input, r.output))
                for i, r in enumerate(tool.information)]
        returns: list[str] = []
        for row in rows:
            if row.outcome in (RowOutcome.SUCCESS, RowOutcome.PARTIAL):
                returns.extend(k for k in _keys(row.output) if k not in returns)
        models.append(ToolModel(
            name=tool.name, capability=capability(tool.name), description=tool.description, needs=needs,
            returns=returns, side_effect=bool(_SIDE_EFFECT.search(tool.name)), rows=rows,
            no_match_output=next((r.output for r in rows if r.outcome == RowOutcome.NO_MATCH), None),
            failure_output=next((r.output for r in rows if r.outcome == RowOutcome.FAILURE), None),
        ))
    return models


_LINK_KEY = re.compile(r"(^|_)(id|ids|number|no|ref|reference|token|code|key|uuid|phone|email|num|numero|"
                       r"referencia|codigo|account|sku)$|^id_|_id_", re.I)


def _link_values(value: Any) -> set[str]:
    """Values that can tie rows together: ids, numbers, tokens, phones, emails (not booleans, dates, small ints)."""
    out = set()
    for key, scalar in flatten_values(value):
        if isinstance(scalar, bool) or not isinstance(scalar, (str, int)):
            continue
        text = normalise_value(scalar)
        if len(text) < 4 or re.fullmatch(r"\d{4}-\d{2}-\d{2}.*", str(scalar)):
            continue
        leaf = leaf_key(key)
        if _LINK_KEY.search(leaf) or canonical_identity_field(leaf, key):
            out.add(text)
    return out


def _identity_values(value: Any) -> set[str]:
    """Values of identity fields only (phone, email, name, date of birth …)."""
    return {normalise_value(v) for k, v in flatten_values(value)
            if isinstance(v, (str, int)) and not isinstance(v, bool) and canonical_identity_field(leaf_key(k), k)
            and len(normalise_value(v)) >= 4}


def chains_of(tools: list[ToolModel]) -> list[Chain]:
    """Rows of one person/record across tools form a chain (union-find), in call order. Two rows are linked when
    a value one takes as input appears in the other's input or output (the id flow), or both return the same
    identity value (same phone, name, email)."""
    rows = [row for tool in tools for row in tool.rows]
    given = [_link_values(row.input) | _identity_values(row.output) for row in rows]
    seen = [_link_values(row.input) | _link_values(row.output) for row in rows]
    parent = list(range(len(rows)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    by_value: dict[str, set[int]] = {}
    for index, found in enumerate(given):
        for value in found:
            by_value.setdefault(value, set()).add(index)
    for value, members in by_value.items():
        if len(members) > 3 and len({rows[m].tool for m in members}) < 2:
            continue  # a value many rows of one tool take is a category (a service, a queue), not a person
        others = {j for j, found in enumerate(seen) if value in found} | members
        first, *rest = sorted(others)
        for other in rest:
            parent[root(other)] = root(first)
    groups: dict[int, list[int]] = {}
    for index in range(len(rows)):
        groups.setdefault(root(index), []).append(index)
    order = {tool.name: position for position, tool in enumerate(tools)}
    chains = []
    for members in sorted(groups.values(), key=min):
        members.sort(key=lambda i: (_depth(i, members, rows), order[rows[i].tool], rows[i].index))
        chain_id = f"chain:{len(chains) + 1}"
        identity: dict[str, Any] = {}
        for i in members:
            rows[i].chain_id = chain_id
            for field, value in rows[i].identity.items():
                identity.setdefault(field, value)
        chains.append(Chain(id=chain_id, rows=[(rows[i].tool, rows[i].index) for i in members], identity=identity,
                            all_success=all(rows[i].outcome == RowOutcome.SUCCESS for i in members)))
    return chains


def _depth(index: int, members: list[int], rows: list[ClassifiedRow]) -> int:
    """How many rows of the chain feed this row's input (0 = the first call)."""
    needed = _link_values(rows[index].input)
    return sum(1 for m in members if m != index and needed & _link_values(rows[m].output))
