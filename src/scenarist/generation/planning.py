"""Allocate n distinct workflow slots over the agent model.

Order: one happy path per real intent, then one probe per probe-worthy policy interleaved with one path per
failure mode (tool error, no match, empty, partial), then intent branches, edge cases and variants.
"""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass

from .agent_model import AgentModel, FailureMode, IntentModel, PolicyKind, PolicyModel, RowOutcome
from .complications import LIBRARY, complications_for
from .personas import assign_personalities
from .text import content_stems
from .types import AgentSpec, ExistingScenario, GenerationRequest, Plan, ScenarioKind, Slot
from .writers.outcomes import policy_action

_BULLET = re.compile(r"^\s*(?:[-*•·–]|\(?\d+[.):]|\(?[a-zA-Z][.)])\s+(.+)$")

# Category words in existing scenarios (used to see what they already cover).
_CATEGORY_HINTS = [
    ("not_found", re.compile(r"not (?:on file|found|registered)|unknown|no record|doesn'?t exist|new (?:patient|customer)", re.I)),
    ("tool_failure", re.compile(r"\b(fail(?:s|ure|ed)?|error|outage|down|unavailable|timeout)\b", re.I)),
    ("guardrail", re.compile(r"\b(refus|polic|rule|exception|guardrail|jailbreak|not allowed)", re.I)),
    ("edge_case", re.compile(r"\b(edge|wrong|typo|mistake|vague|correct(?:s|ion)?)\b", re.I)),
    ("alternate_path", re.compile(r"\b(alternat|instead|changes? (?:their|his|her) mind|relative|behalf)", re.I)),
]


@dataclass
class _Candidate:
    """A slot before it has an index, personality or seed."""

    category: str
    intent_id: str | None
    complication: str | None
    tool_name: str | None = None
    covers: tuple[str, ...] = ()
    variation: int = 0
    policy_id: str | None = None
    failure_id: str | None = None
    branch: str | None = None

    def key(self) -> tuple:
        return (self.category, self.intent_id, self.complication, self.tool_name, self.variation, self.policy_id,
                self.failure_id, self.branch)


# ---------------------------------------------------------------- extra_instructions


def split_listed(extra_instructions: str) -> tuple[str, list[str]]:
    """(steering header, listed scenarios). A list is ≥2 bullets/numbered items, paragraphs or lines."""
    text = (extra_instructions or "").strip()
    if not text:
        return "", []
    lines = [line.rstrip() for line in text.splitlines()]
    if sum(1 for line in lines if _BULLET.match(line)) >= 2:
        header, items = [], []
        for line in lines:
            match = _BULLET.match(line)
            if match:
                items.append(match.group(1).strip())
            elif line.strip() and items:
                items[-1] += " " + line.strip()  # continuation of the previous item
            elif line.strip():
                header.append(line.strip())
        return " ".join(header), items
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]
    blocks = paragraphs if len(paragraphs) >= 2 else [line.strip() for line in lines if line.strip()]
    header = ""
    if blocks and blocks[0].endswith(":"):
        header, blocks = blocks[0], blocks[1:]
    if len(blocks) >= 2 and all(len(b.split()) >= 3 for b in blocks):
        return header, [" ".join(b.split()) for b in blocks]
    return text, []


# ---------------------------------------------------------------- plan

# Slot category of each failure-mode outcome.
FAILURE_CATEGORY = {RowOutcome.NO_MATCH: "not_found", RowOutcome.FAILURE: "tool_failure",
                    RowOutcome.EMPTY: "empty_result", RowOutcome.PARTIAL: "partial_result"}
# Which intent kinds a caller most often comes for: the core transaction is planned first.
_KIND_ORDER = {"booking": 0, "change": 1, "cancellation": 2, "payment": 3, "report": 4, "status": 5, "inquiry": 6,
               "general": 7, "escalation": 8}
# Rules whose probe matters most come first when n cannot hold them all.
_POLICY_ORDER = {PolicyKind.EMERGENCY: 0, PolicyKind.PRIVACY: 1, PolicyKind.PROHIBITION: 2, PolicyKind.ESCALATION: 3,
                 PolicyKind.SCOPE: 4, PolicyKind.OBLIGATION: 5, PolicyKind.ERROR_HANDLING: 6}


def plan_slots(agent: AgentSpec, model: AgentModel, request: GenerationRequest, *, engine: str,
               prompt_version: str) -> Plan:
    """n distinct workflow slots: listed scenarios, or happy paths, probes, failures, branches, edges, variants."""
    n = request.num_scenarios
    header, listed = split_listed(request.extra_instructions)
    notes: list[str] = []
    candidates: list[_Candidate] = []
    if listed:
        if len(listed) > n:
            notes.append(f"extra_instructions listed {len(listed)} scenarios; only the first {n} were planned")
        for item in listed[:n]:
            intent = best_intent(model.intents, item)
            covers = (intent.id, *(f"tool:{t}" for t in intent.tools)) if intent else ()
            candidates.append(_Candidate("listed", intent.id if intent else None, None, covers=covers))
    steering = header if listed else (request.extra_instructions or "").strip()
    if len(candidates) < n:
        candidates.extend(map_candidates(model, agent.existing_scenarios, n - len(candidates)))
    slots = [
        Slot(
            index=index,
            kind=ScenarioKind.WORKFLOW,
            category=cand.category,
            intent_id=cand.intent_id,
            tool_name=cand.tool_name,
            complication=cand.complication if cand.variation == 0 else f"{cand.complication}#{cand.variation}",
            listed_instruction=listed[index] if cand.category == "listed" else None,
            policy_id=cand.policy_id,
            failure_id=cand.failure_id,
            branch=cand.branch,
            covers=list(dict.fromkeys(cand.covers)),
            seed=slot_seed(request.seed, index, cand.key()),
        )
        for index, cand in enumerate(candidates[:n])
    ]
    assign_personalities(slots, request.personalities)
    return Plan(model=model, slots=slots, engine=engine, prompt_version=prompt_version, steering=steering,
                notes=notes)


def slot_seed(seed: int, index: int, key: tuple) -> int:
    """A per-slot seed stable for (request seed, index, slot identity)."""
    return zlib.crc32(f"{seed}|{index}|{key}".encode()) & 0x7FFFFFFF


def best_intent(intents: list[IntentModel], text: str) -> IntentModel | None:
    """The intent whose name/steps share most content words with `text` (None when nothing overlaps)."""
    target = content_stems(text)
    best, best_score = None, 0
    for intent in intents:
        score = 3 * len(target & content_stems(intent.name)) + len(target & content_stems(" ".join(intent.steps)))
        if score > best_score:
            best, best_score = intent, score
    return best if best_score >= 2 else None


def ordered_intents(model: AgentModel) -> list[IntentModel]:
    """Intents in planning order: transactions before look-ups and questions, the model's order otherwise."""
    return sorted(model.intents, key=lambda i: (_KIND_ORDER.get(i.kind, 7), 0 if i.tools else 1))


def map_candidates(model: AgentModel, existing: list[ExistingScenario], needed: int) -> list[_Candidate]:
    """Candidates in allocation order until `needed` are found."""
    taken = _existing_coverage(model, existing)
    intents = ordered_intents(model)
    happy = [_happy(model, intent) for intent in intents]
    if not intents:  # nothing understood as a workflow: the tools' capabilities are all a caller can come for
        happy += [_Candidate("happy_path", None, "plain", tool_name=t.name, covers=(f"tool:{t.name}",))
                  for t in model.tools if t.rows]
    probes = [_probe(model, policy) for policy in sorted(model.probe_policies(), key=probe_rank)]
    failures = [_failure(model, mode) for mode in model.failure_modes]
    second = _interleave(probes, failures)
    later = _branches(model, intents) + _edges(model, intents) + _variants(model, intents)
    ordered, seen = [], set()
    for cand in happy + second + later:  # one slot per distinct candidate
        if cand.key() not in seen:
            seen.add(cand.key())
            ordered.append(cand)
    # Path types the agent's existing scenarios already cover go last.
    out = [c for c in ordered if (c.category, c.intent_id) not in taken]
    out += [c for c in ordered if (c.category, c.intent_id) in taken]
    base, variation = list(out), 1
    while len(out) < needed and base:  # the map is exhausted: the same slots again with another variation
        out.extend(_Candidate(c.category, c.intent_id, c.complication, c.tool_name, c.covers, variation,
                              c.policy_id, c.failure_id, c.branch) for c in base)
        variation += 1
    return out[:needed]


_GENERIC_TRIGGER = re.compile(r"(pushes towards what the rule forbids|\{\{)", re.I)
_ACTIONABLE = re.compile(r"\b(never|do not|don't|must not|cannot|may not|nunca)\b", re.I)


def probe_rank(policy: PolicyModel) -> tuple[int, int]:
    """Rules a caller can clearly trigger first: emergencies, then privacy and prohibitions with a concrete
    move, then rules with a real trigger and prescribed response; obligations and error handling (the failure
    paths play those out) last."""
    concrete = bool(_ACTIONABLE.search(policy.text)) or bool(policy.trigger and not _GENERIC_TRIGGER.search(
        policy.trigger) and policy.response)
    vague = bool(_GENERIC_TRIGGER.search(policy.trigger or "")) and not _ACTIONABLE.search(policy.text)
    # A prohibition with no move a caller can ask for and no trigger to act out makes an unrunnable probe: last.
    unrunnable = (_ACTIONABLE.search(policy.text) and policy_action(policy) is None
                  and not (policy.trigger and not _GENERIC_TRIGGER.search(policy.trigger) and policy.response))
    return (0 if policy.kind == PolicyKind.EMERGENCY else 5 if unrunnable else 4 if vague else 1 if concrete else 2,
            _POLICY_ORDER.get(policy.kind, 9))


# At most this many probes are planned before the next failure path when n cannot hold both.
_PROBES_PER_FAILURE = 2


def _interleave(first: list[_Candidate], second: list[_Candidate]) -> list[_Candidate]:
    """Both lists merged so a short n still gets some of each: `first` in proportion, but never more than
    _PROBES_PER_FAILURE of `first` in a row while `second` has items."""
    out: list[_Candidate] = []
    i = j = run = 0
    while i < len(first) or j < len(second):
        proportional = i < len(first) and i * len(second) <= j * len(first)
        take_first = j >= len(second) or (proportional or run < 1) and run < _PROBES_PER_FAILURE and i < len(first)
        run = run + 1 if take_first else 0
        if take_first:
            out.append(first[i])
            i += 1
        else:
            out.append(second[j])
            j += 1
    return out


def _intent_covers(intent: IntentModel) -> tuple[str, ...]:
    return (intent.id, *(f"tool:{t}" for t in intent.tools))


def _happy(model: AgentModel, intent: IntentModel) -> _Candidate:
    return _Candidate("happy_path", intent.id, "plain", intent.tools[0] if intent.tools else None,
                      _intent_covers(intent))


def _probe(model: AgentModel, policy: PolicyModel) -> _Candidate:
    """A guardrail probe, set inside the intent the rule belongs to (or the first one)."""
    intent = model.intent(policy.intent_id) or best_intent(model.intents, policy.text)
    if intent is None and policy.kind not in (PolicyKind.EMERGENCY, PolicyKind.SCOPE):
        intent = next(iter(ordered_intents(model)), None)
    tactic = "direct_ask" if policy.kind in (PolicyKind.EMERGENCY, PolicyKind.SCOPE, PolicyKind.ESCALATION) \
        else ("pressure" if policy.kind == PolicyKind.PRIVACY else "direct_ask")
    covers = (policy.id,) + ((intent.id,) if intent else ())
    return _Candidate("guardrail", intent.id if intent else None, tactic, covers=covers, policy_id=policy.id)


def failure_intent(model: AgentModel, mode: FailureMode) -> IntentModel | None:
    """The intent a failure mode happens in: its own, else the first (in planning order) using its tool."""
    own = model.intent(mode.intent_id)
    if own is not None:
        return own
    return next((i for i in ordered_intents(model) if mode.tool and mode.tool in i.tools), None)


def _failure(model: AgentModel, mode: FailureMode) -> _Candidate:
    intent = failure_intent(model, mode)
    covers = (mode.id,) + ((intent.id,) if intent else ()) + ((f"tool:{mode.tool}",) if mode.tool else ())
    category = FAILURE_CATEGORY.get(mode.outcome, "tool_failure")
    return _Candidate(category, intent.id if intent else None, None, mode.tool, covers, failure_id=mode.id)


def _branches(model: AgentModel, intents: list[IntentModel]) -> list[_Candidate]:
    """One slot per intent branch that no failure mode already plays out."""
    out = []
    for intent in intents:
        for branch in intent.branches:
            if branch.outcome is not None and branch.outcome != RowOutcome.SUCCESS and any(
                    m.outcome == branch.outcome and (m.intent_id in (None, intent.id)) for m in model.failure_modes):
                continue
            out.append(_Candidate("branch", intent.id, None, intent.tools[0] if intent.tools else None,
                                  _intent_covers(intent), branch=branch.condition))
    return out


def _edges(model: AgentModel, intents: list[IntentModel]) -> list[_Candidate]:
    """Edge cases per intent, round-robin over intents."""
    queues = []
    for intent in intents:
        has_identity = bool(model.verification.fields) and intent.requires_verification
        text = " ".join([intent.name, intent.description, *intent.steps])
        queues.append([_Candidate("edge_case", intent.id, c.key, intent.tools[0] if intent.tools else None,
                                  _intent_covers(intent))
                       for c in complications_for("edge_case", intent.kind, has_tool=bool(intent.tools),
                                                  has_identity=has_identity, intent_text=text)])
    return _round_robin(queues)


def _variants(model: AgentModel, intents: list[IntentModel]) -> list[_Candidate]:
    """Alternate paths and happy-path flavours per intent, then probes of the same rules with other tactics."""
    queues = []
    for intent in intents:
        text = " ".join([intent.name, intent.description, *intent.steps])
        has_identity = bool(model.verification.fields)
        comps = complications_for("alternate_path", intent.kind, has_tool=bool(intent.tools),
                                  has_identity=has_identity, intent_text=text)
        comps += complications_for("happy_path", intent.kind, has_tool=bool(intent.tools),
                                   has_identity=has_identity, intent_text=text)[1:]
        queues.append([_Candidate("alternate_path" if c.category == "alternate_path" else "happy_path", intent.id,
                                  c.key, intent.tools[0] if intent.tools else None, _intent_covers(intent))
                       for c in comps])
    out = _round_robin(queues)
    tactics = [c.key for c in LIBRARY if c.category == "guardrail"]
    for round_no in range(1, len(tactics)):
        for offset, policy in enumerate(model.probe_policies()):
            base = _probe(model, policy)
            base.complication = tactics[(round_no + offset) % len(tactics)]
            out.append(base)
    return out


def _round_robin(queues: list[list[_Candidate]]) -> list[_Candidate]:
    out: list[_Candidate] = []
    while any(queues):
        for queue in queues:
            if queue:
                out.append(queue.pop(0))
    return out


def _existing_coverage(model: AgentModel, existing: list[ExistingScenario]) -> set[tuple[str, str | None]]:
    """(category, intent_id) pairs the agent's existing scenarios already cover."""
    taken = set()
    for scenario in existing:
        text = f"{scenario.name}\n{scenario.instructions}"
        intent = best_intent(model.intents, text)
        category = next((cat for cat, pattern in _CATEGORY_HINTS if pattern.search(text)), "happy_path")
        taken.add((category, intent.id if intent else None))
    return taken
