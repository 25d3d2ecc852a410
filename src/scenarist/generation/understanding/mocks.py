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
                            r"^unknown$|unknown_|not_?registered|not_?verified|no_?existe|invalid_(id|number|"
                            r"account)|"
                            r"does_?not_?exist|nicht_?gefunden|^kein(e|en)?_|introuvable", re.I)
_EMPTY_CODE = re.compile(r"^(no_\w*available|none_available|no_availability|no_slots|no_results|no_openings|"
                         r"sin_disponibilidad|fully_booked|sold_out|no_hay_\w+)$", re.I)
_FAILURE_TOKENS = {"ERROR", "ERRORS", "FAILED", "FAILURE", "FAIL", "REJECTED", "RECHAZADO", "RECHAZADA", "DENIED",
                   "DECLINED", "TIMEOUT", "TIMED", "UNAVAILABLE", "FALLIDO", "FALLIDA", "KO", "REFUSED", "DOWN",
                   "NO_DISPONIBLE", "DISPONIBLE_NO", "LOCKED", "BLOCKED", "SUSPENDED", "DISABLED", "UNREACHABLE",
                   "CONFLICT", "EXCEPTION"}
_MESSAGE_KEYS = {"message", "msg", "detail", "details", "note", "hint", "meldung", "mensaje"}
_LOCK_TOKENS = {"LOCKED", "BLOCKED", "SUSPENDED", "DISABLED", "ERROR", "TIMEOUT", "UNAVAILABLE", "FAILED"}
_PARTIAL_TOKENS = {"PARTIAL", "PARTIALLY", "INCOMPLETE", "PARCIAL", "PARCIALMENTE", "INCOMPLETO"}
_PARTIAL_VALUE = re.compile(r"^(no_aplicad[oa]|not_applied|backordered|partial\w*|skipped|incomplete)$", re.I)
_MATCH_FLAGS = {"match", "matched", "found", "exists", "verified", "valid", "coincide", "encontrado", "authenticated",
                "is_match", "record_found", "verificado", "identified", "is_valid", "gefunden", "trouve", "trouvé"}
_DONE_FLAGS = {"ok", "success", "succeeded", "transferred", "transferido", "reset", "created", "booked", "cancelled",
               "canceled", "connected", "completed", "done", "sent", "updated", "scheduled", "submitted", "accepted",
               "processed", "confirmed", "added", "saved", "filed", "registered", "approved", "exito", "éxito",
               "realizado", "enviado", "held", "rescheduled", "conectado", "bloqueado", "cambiado", "gebucht",
               "verschoben", "abgesagt", "storniert", "erstellt", "gesendet"}
_AVAILABILITY_FLAG = re.compile(r"(^|_)(open|available|availability|covered|in_stock|has_\w+|disponible|"
                                r"eligible_now)$", re.I)
_STATUS_KEYS = {"status", "state", "result", "resultado", "estado", "outcome", "code", "error_code", "codigo",
                "código", "reason", "motivo", "error", "type", "fehler", "stand", "erreur"}
_STATUS_SUFFIX = re.compile(r"_(status|state|result|code|estado|resultado)$", re.I)
_ERROR_KEYS = {"error", "errors", "error_code", "error_message", "fault", "exception", "fehler", "erreur"}
_NOTE_KEYS = {"warning", "warnings", "aviso", "advertencia", "note", "partial", "partial_failure", "failed_items",
              "missing"}
_LOOKUP_TOOL = re.compile(r"(^|_)(lookup|look_up|find|search|verify|identify|locate|authenticate|match|buscar|"
                          r"verificar|identificar|validate|suchen|rechercher)(_|$)", re.I)
_AVAILABILITY_TOOL = re.compile(r"slots?|availab|openings?|times|tables|windows|points|locations|plans|planes|"
                                r"options|dates|disponib", re.I)
_SIDE_EFFECT = re.compile(r"(^|_)(book|create|cancel|update|modify|change|reschedule|transfer|refund|freeze|block|"
                          r"unblock|submit|file|send|add|delete|remove|register|reset|order|place|schedule|"
                          r"report|open|"
                          r"close|pay|charge|issue|request|escalate|log|record|save|set|replace|return|"
                          r"initiate|start|"
                          r"stop|dispute|enroll|activate|deactivate|reserve|confirm|assign|notify|page|dispatch|hold|"
                          r"bloquear|cambiar|crear|cancelar|anular|reservar|registrar|transferir|enviar|solicitar|"
                          r"modificar|actualizar|buchen|verschieben|absagen|stornieren|erstellen|melden|"
                          r"[äa]ndern)(_|$)", re.I)


def _nothing(tool_name: str) -> RowOutcome:
    """An empty answer: no match for a lookup of a person/record, empty for a search of availability/options."""
    if _LOOKUP_TOOL.search(tool_name) and not _AVAILABILITY_TOOL.search(tool_name):
        return RowOutcome.NO_MATCH
    return RowOutcome.EMPTY


def classify_output(output: Any, tool_name: str = "") -> RowOutcome:
    """What a mock row's output models: success, no_match, failure, empty or partial."""
    if output is None or output == "" or output == {}:
        return RowOutcome.EMPTY
    if isinstance(output, list):
        return RowOutcome.SUCCESS if output else _nothing(tool_name)
    if isinstance(output, str):
        return _classify_text(output)
    if not isinstance(output, dict):
        return RowOutcome.SUCCESS
    codes = _status_values(output)
    tokens = {t for c in codes for t in re.split(r"[_\W]+", c.upper()) if t}
    match_false = any(output.get(k) is False for k in output if k.lower() in _MATCH_FLAGS)
    if any(_NO_MATCH_CODE.search(c) for c in codes) or (match_false and not tokens & _LOCK_TOKENS):
        return RowOutcome.NO_MATCH
    if _hard_failure(output) or tokens & _FAILURE_TOKENS:
        return RowOutcome.FAILURE
    if any(_EMPTY_CODE.match(c) for c in codes):
        return RowOutcome.EMPTY
    if all(v is None for k, v in output.items() if k.lower() not in _MESSAGE_KEYS):
        return _nothing(tool_name)  # {"order": null}, {"reservation": null, "message": "no reservation matches"}
    lists = [v for v in output.values() if isinstance(v, list)]
    subject = set(re.split(r"_", tool_name.lower())) - {"check", "get", "find", "lookup", "status", "list"}
    flags = [k for k, v in output.items() if v is False and (_AVAILABILITY_FLAG.search(k) or k.lower() in subject)]
    if flags:
        return RowOutcome.PARTIAL if any(lists) else RowOutcome.EMPTY
    if match_false or any(v is False and (k.lower() in _DONE_FLAGS or re.fullmatch(r"[a-z]+ed", k.lower()))
                          for k, v in output.items()) or output.get("rejected") is True:
        return RowOutcome.FAILURE
    if _is_partial(output, codes, tokens):
        return RowOutcome.PARTIAL
    if lists and not any(lists) and not any(isinstance(v, dict) and v for v in output.values()):
        return _nothing(tool_name)
    counts = [v for k, v in output.items() if re.search(r"(^|_)(count|total|total_results|available)$", k)
              and isinstance(v, int) and not isinstance(v, bool)]
    if counts and all(c == 0 for c in counts):
        return _nothing(tool_name)
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
        low = key.lower()
        if low in _STATUS_KEYS or _STATUS_SUFFIX.search(low):
            if isinstance(value, str):
                values.append(value.strip().replace(" ", "_").replace("-", "_"))
            elif isinstance(value, dict):
                values.extend(str(v).replace(" ", "_") for k, v in value.items() if k.lower() in ("code", "type"))
    return values


def _hard_failure(output: dict) -> bool:
    """An error key, or an HTTP error status."""
    for key, value in output.items():
        low = key.lower()
        if low in _ERROR_KEYS and value not in (None, "", [], {}, False):
            return True
        if low in ("status", "http_status", "status_code", "statuscode", "code", "sip_code") and \
                isinstance(value, int) and not isinstance(value, bool) and value >= 400:
            return True
    return False


def _is_partial(output: dict, codes: list[str], tokens: set[str]) -> bool:
    """A partial/incomplete/pending status, a 'not applied'/'backordered' value anywhere, several candidates for
    one lookup, several answers missing, or a warning/note beside a result that is not complete."""
    if tokens & _PARTIAL_TOKENS or any(c.upper().startswith("PENDING") for c in codes):
        return True
    if any(re.search(r"(^|_)(match_count|matches|candidate_count)$", k) and isinstance(v, int) and v > 1
           for k, v in output.items()):
        return True
    if sum(v is None for v in output.values()) >= 3 and sum(v is not None for v in output.values()) >= 2:
        return True
    if any(_PARTIAL_VALUE.match(str(v).strip()) for _, v in flatten_values(output) if isinstance(v, str)):
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
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}.*", str(scalar)) or text.isdigit() and len(text) < 3:
            continue
        leaf = leaf_key(key)
        if _LINK_KEY.search(leaf) and len(text) >= 2 or canonical_identity_field(leaf, key) and len(text) >= 4:
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
