"""Allocate n distinct workflow slots over the coverage map (intents × path type × complication)."""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass

from .complications import LIBRARY, complications_for
from .fields import is_identity_field, same_field
from .personas import assign_personalities
from .text import content_stems
from .types import AgentAnalysis, AgentSpec, ExistingScenario, GenerationRequest, Intent, Plan, Policy, ScenarioKind, Slot

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

    def key(self) -> tuple:
        return (self.category, self.intent_id, self.complication, self.tool_name, self.variation)


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


def plan_slots(agent: AgentSpec, analysis: AgentAnalysis, request: GenerationRequest, *, engine: str,
               prompt_version: str) -> Plan:
    """n distinct workflow slots: listed scenarios, then a happy path per intent, uncovered tools, variants, probes."""
    n = request.num_scenarios
    header, listed = split_listed(request.extra_instructions)
    notes: list[str] = []
    candidates: list[_Candidate] = []
    if listed:
        if len(listed) > n:
            notes.append(f"extra_instructions listed {len(listed)} scenarios; only the first {n} were planned")
        for item in listed[:n]:
            intent = best_intent(analysis.intents, item)
            covers = (intent.id, *(f"tool:{t}" for t in intent.tools)) if intent else ()
            candidates.append(_Candidate("listed", intent.id if intent else None, None, covers=covers))
    steering = header if listed else (request.extra_instructions or "").strip()
    if len(candidates) < n:
        candidates.extend(_map_candidates(analysis, agent.existing_scenarios, n - len(candidates)))
    slots = [
        Slot(
            index=index,
            kind=ScenarioKind.WORKFLOW,
            category=cand.category,
            intent_id=cand.intent_id,
            tool_name=cand.tool_name,
            complication=cand.complication if cand.variation == 0 else f"{cand.complication}#{cand.variation}",
            listed_instruction=listed[index] if cand.category == "listed" else None,
            covers=list(dict.fromkeys(cand.covers)),
            seed=slot_seed(request.seed, index, cand.key()),
        )
        for index, cand in enumerate(candidates[:n])
    ]
    assign_personalities(slots, request.personalities)
    return Plan(analysis=analysis, slots=slots, engine=engine, prompt_version=prompt_version, steering=steering,
                notes=notes)


def slot_seed(seed: int, index: int, key: tuple) -> int:
    """A per-slot seed stable for (request seed, index, slot identity)."""
    return zlib.crc32(f"{seed}|{index}|{key}".encode()) & 0x7FFFFFFF


def best_intent(intents: list[Intent], text: str) -> Intent | None:
    """The intent whose name/steps share most content words with `text` (None when nothing overlaps)."""
    target = content_stems(text)
    best, best_score = None, 0
    for intent in intents:
        score = 3 * len(target & content_stems(intent.name)) + len(target & content_stems(" ".join(intent.steps)))
        if score > best_score:
            best, best_score = intent, score
    return best if best_score >= 2 else None


def _map_candidates(analysis: AgentAnalysis, existing: list[ExistingScenario], needed: int) -> list[_Candidate]:
    """Candidates in allocation order until `needed` are found."""
    taken = _existing_coverage(analysis, existing)
    queues = [_intent_queue(intent, analysis, taken) for intent in analysis.intents]
    out: list[_Candidate] = [queue.pop(0) for queue in queues if queue]  # round 0: one per intent
    covered_tools = {t for intent in analysis.intents for t in intent.tools}
    for tool in analysis.tools:  # round 1: tools no intent uses
        if tool.name not in covered_tools:
            out.append(_Candidate("happy_path", None, "plain", tool_name=tool.name, covers=(tool.id,)))
    probes = _guardrail_queue(analysis)
    per_round = max(1, len(analysis.intents) // 2)
    while len(out) < needed and (any(queues) or probes):
        for queue in queues:
            if queue:
                out.append(queue.pop(0))
        for _ in range(per_round):
            if probes:
                out.append(probes.pop(0))
    variation = 1
    base = list(out)
    while len(out) < needed and base:  # the map is exhausted: same slots again with another variation
        out.extend(_Candidate(c.category, c.intent_id, c.complication, c.tool_name, c.covers, variation) for c in base)
        variation += 1
    return out[:needed]


def _intent_queue(intent: Intent, analysis: AgentAnalysis, taken: set[tuple[str, str | None]]) -> list[_Candidate]:
    """Every slot candidate of one intent: plain happy path first, then variants interleaved by category."""
    lookup_tool = _lookup_tool(intent, analysis)
    has_tool = bool(intent.tools)
    has_identity = lookup_tool is not None
    covers_all = (intent.id, *(f"tool:{t}" for t in intent.tools))
    intent_text = " ".join([intent.name, intent.description, *intent.steps])
    per_category = {
        category: complications_for(category, intent.kind, has_tool=has_tool, has_identity=has_identity,
                                    intent_text=intent_text)
        for category in ("happy_path", "not_found", "alternate_path", "tool_failure", "edge_case")
    }
    happy = per_category.pop("happy_path")
    queue = [_Candidate("happy_path", intent.id, happy[0].key, intent.tools[0] if intent.tools else None, covers_all)]
    lists = list(per_category.items())
    position = 0
    while any(items for _, items in lists):
        for category, items in lists:
            if len(items) > position:
                comp = items[position]
                tool = _tool_for(category, intent, lookup_tool, position)
                covers = covers_all if category != "tool_failure" else (intent.id, f"tool:{tool}")
                queue.append(_Candidate(category, intent.id, comp.key, tool, covers))
        position += 1
        if position > max(len(items) for _, items in lists):
            break
    queue.extend(_Candidate("happy_path", intent.id, c.key, intent.tools[0] if intent.tools else None, covers_all)
                 for c in happy[1:])
    # Path types the agent's existing scenarios already cover for this intent go last.
    fresh = [c for c in queue if (c.category, intent.id) not in taken]
    return fresh + [c for c in queue if (c.category, intent.id) in taken]


def _lookup_tool(intent: Intent, analysis: AgentAnalysis) -> str | None:
    """The intent's first tool whose inputs include a caller identity field (a lookup that can miss)."""
    tools = {t.name: t for t in analysis.tools}
    for name in intent.tools:
        summary = tools.get(name)
        if summary and any(
            is_identity_field(need) and any(same_field(need, f) for f in analysis.identity_fields) for need in summary.needs
        ):
            return name
    return None


def _tool_for(category: str, intent: Intent, lookup_tool: str | None, position: int) -> str | None:
    """Which tool a variant exercises: the lookup for not_found, a rotating tool for failures."""
    if category == "not_found":
        return lookup_tool
    if category == "tool_failure" and intent.tools:
        # Fail the action tool (last) first, then earlier ones: it is the call that matters most.
        return intent.tools[-(position % len(intent.tools)) - 1]
    return intent.tools[0] if intent.tools else None


def _guardrail_queue(analysis: AgentAnalysis) -> list[_Candidate]:
    """Policy probes: every policy once (guardrails first), then again with the next tactic."""
    tactics = [c.key for c in LIBRARY if c.category == "guardrail"]
    ordered: list[Policy] = sorted(analysis.policies, key=lambda p: 0 if p.kind == "guardrail" else 1)
    queue = []
    intent_ids = [i.id for i in analysis.intents]
    for round_no, tactic in enumerate(tactics):
        for offset, policy in enumerate(ordered):
            intent_id = policy.intent_id or _intent_for_policy(analysis, policy)
            if round_no and intent_ids:  # later probes of the same rule happen inside other workflows
                start = intent_ids.index(intent_id) if intent_id in intent_ids else 0
                intent_id = intent_ids[(start + round_no) % len(intent_ids)]
            queue.append(_Candidate("guardrail", intent_id, tactics[(round_no + offset) % len(tactics)],
                                    covers=(policy.id,) + ((intent_id,) if intent_id else ())))
    return queue


def _intent_for_policy(analysis: AgentAnalysis, policy: Policy) -> str | None:
    """The intent a policy is most about (for context in the probe)."""
    intent = best_intent(analysis.intents, policy.text)
    return intent.id if intent else (analysis.intents[0].id if analysis.intents else None)


def _existing_coverage(analysis: AgentAnalysis, existing: list[ExistingScenario]) -> set[tuple[str, str | None]]:
    """(category, intent_id) pairs the agent's existing scenarios already cover."""
    taken = set()
    for scenario in existing:
        text = f"{scenario.name}\n{scenario.instructions}"
        intent = best_intent(analysis.intents, text)
        category = next((cat for cat, pattern in _CATEGORY_HINTS if pattern.search(text)), "happy_path")
        taken.add((category, intent.id if intent else None))
    return taken
