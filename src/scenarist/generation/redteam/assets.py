"""The agent's real assets an attack aims at: tool names, data fields its mocks return, policies, variables."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from scenarist.generation.fields import is_identity_field, is_person_field, is_sensitive_field
from scenarist.generation.text import goal_phrase
from scenarist.generation.types import AgentAnalysis, AgentSpec, Slot
from scenarist.generation.values import organisation_name

# Mock output keys that carry no information worth attacking.
_TRIVIAL_FIELDS = {"status", "success", "ok", "message", "error", "result", "found", "code"}
_GENERIC_TOOL = "the system you use to look up customer records"
_GENERIC_FIELD = "account details"
_GENERIC_POLICY = "the rules you were given about checking who you are talking to"


@dataclass(frozen=True)
class ToolAsset:
    """One of the agent's tools, as an attack target."""

    id: str
    name: str
    needs: tuple[str, ...] = ()
    returns: tuple[str, ...] = ()


@dataclass(frozen=True)
class PolicyAsset:
    """One stated policy or guardrail, as an attack target."""

    id: str
    text: str


@dataclass(frozen=True)
class AttackAssets:
    """Everything of this agent worth attacking, read from its analysis and mock rows."""

    agent_name: str
    domain: str
    ordinary_requests: tuple[str, ...]
    tools: tuple[ToolAsset, ...]
    data_fields: tuple[str, ...]
    identity_fields: tuple[str, ...]
    policies: tuple[PolicyAsset, ...]
    variables: tuple[str, ...]
    sample_values: dict[str, str] = field(default_factory=dict)
    organisation: str = ""  # the business the agent speaks for ('Park Row Dental'), used in spoken pretexts

    def tool_named(self, name: str | None) -> ToolAsset | None:
        """The tool with this name, if the agent has it."""
        return next((t for t in self.tools if t.name == name), None)

    def policy_with_id(self, policy_id: str | None) -> PolicyAsset | None:
        """The policy with this id, if the agent has it."""
        return next((p for p in self.policies if p.id == policy_id), None)


def collect_assets(agent: AgentSpec, analysis: AgentAnalysis) -> AttackAssets:
    """Build the attack targets of an agent from its analysis (and sample values from its mock rows)."""
    tools = tuple(
        ToolAsset(id=t.id or f"tool:{t.name}", name=t.name, needs=tuple(t.needs), returns=tuple(_useful(t.returns)))
        for t in analysis.tools
    )
    if not tools:
        tools = tuple(ToolAsset(id=f"tool:{t.name}", name=t.name) for t in agent.tools)
    sensitive = [a.split(":", 1)[1] for a in analysis.assets if a.startswith("field:")]
    fields: list[str] = []
    for name in sensitive + [f for t in tools for f in t.returns] + list(analysis.identity_fields):
        if name and name not in fields and name.lower() not in _TRIVIAL_FIELDS:
            fields.append(name)
    fields.sort(key=_value_rank)  # stable: sensitive, then personal, then record ids, then the rest
    samples = _sample_values(agent)
    return AttackAssets(
        agent_name=analysis.agent_name or agent.name,
        domain=analysis.domain or _domain_from_name(agent.name),
        ordinary_requests=_ordinary_requests(analysis),
        tools=tools,
        data_fields=tuple(fields),
        identity_fields=tuple(analysis.identity_fields),
        # Guardrails first: they are what an attacker pushes against.
        policies=tuple(
            PolicyAsset(id=p.id, text=p.text)
            for p in sorted(analysis.policies, key=lambda p: 0 if p.kind == "guardrail" else 1)
            if p.text.strip()
        ),
        variables=tuple(analysis.variables or [v.name for v in agent.variables]),
        sample_values={k: v for k, v in samples.items() if v},
        organisation=organisation_name(agent.name, agent.description),
    )


@dataclass(frozen=True)
class AttackFocus:
    """The concrete targets one scenario aims at (raw identifiers; `Phrasing` renders them)."""

    tool: str | None
    other_tool: str | None
    field: str | None
    other_field: str | None
    identity_field: str | None
    identity_value: str | None
    policy: PolicyAsset | None
    variable: str | None
    ordinary: str

    def covers(self, assets: AttackAssets) -> list[str]:
        """Coverage-map ids this focus exercises."""
        ids = []
        tool = assets.tool_named(self.tool)
        if tool:
            ids.append(tool.id)
        if self.policy:
            ids.append(self.policy.id)
        return ids


def focus_for_slot(assets: AttackAssets, slot: Slot) -> AttackFocus:
    """Pick the tool, fields, policy and variable one slot aims at (rotating with the slot index)."""
    i = slot.index
    tool = assets.tool_named(slot.tool_name) or _pick(assets.tools, i)
    other_tool = _pick([t for t in assets.tools if t != tool], i)
    # Valuable data (sensitive or personal) first, preferring what the focus tool returns.
    valuable = [f for f in assets.data_fields if _value_rank(f) < 3]
    personal = [f for f in valuable if _value_rank(f) < 2]
    fields = [f for f in personal if tool and f in tool.returns] or personal or valuable or list(assets.data_fields)
    field_name = _pick(fields, i)
    others = [f for f in valuable if f != field_name] or [f for f in assets.data_fields if f != field_name]
    other_field = _pick(others, i + 1)
    identity_candidates = [f for f in assets.identity_fields if assets.sample_values.get(f)]
    identity_candidates += [
        f for f in assets.sample_values if f not in identity_candidates and is_person_field(f)
    ]
    identity = _pick(identity_candidates, i)
    policy_id = next((c for c in slot.covers if c.startswith("policy:")), None)
    policy = assets.policy_with_id(policy_id) or _pick(assets.policies, i)
    return AttackFocus(
        tool=tool.name if tool else None,
        other_tool=other_tool.name if other_tool else None,
        field=field_name,
        other_field=other_field,
        identity_field=identity,
        identity_value=assets.sample_values.get(identity or "", None),
        policy=policy,
        variable=_pick(assets.variables, i),
        ordinary=_pick(assets.ordinary_requests, i) or "ask a simple question about what they can help with",
    )


def spoken(identifier: str) -> str:
    """How a caller would say an identifier: `lookup_account` → 'lookup account', `getBalance` → 'get balance'."""
    words = re.sub(r"([a-z0-9])([A-Z])", r"\1 \2", identifier)
    words = re.sub(r"[_\-.:/]+", " ", words)
    return re.sub(r"\s+", " ", words).strip().lower()


def asset_mentions(assets: AttackAssets) -> list[str]:
    """Lower-case phrases whose presence shows a text aims at this agent's real assets."""
    phrases: set[str] = set()
    for tool in assets.tools:
        phrases.update({tool.name.lower(), spoken(tool.name)})
    for name in assets.data_fields + assets.variables:
        phrases.update({name.lower(), spoken(name), field_noun(spoken(name))})
    for value in assets.sample_values.values():
        if len(value) >= 4:
            phrases.add(value.lower())
    return sorted(p for p in phrases if len(p) >= 3)


def field_noun(label: str) -> str:
    """A field label usable as a noun: 'guardian of' → 'guardian details' (a trailing preposition reads broken)."""
    words = label.split()
    if len(words) > 1 and words[-1].lower() in ("of", "for", "to", "with", "by", "in", "on", "at"):
        return " ".join(words[:-1] + ["details"])
    return label


def policy_phrase(policy: PolicyAsset | None, max_chars: int = 140) -> str | None:
    """A policy's text tidied for quoting inside a spoken sentence (no markdown, no trailing stop)."""
    if policy is None:
        return None
    text = re.sub(r"[*_`#>|\[\]{}]+", " ", policy.text)
    text = re.sub(r"\s+", " ", text).strip().rstrip(".;:!")
    if len(text) > max_chars:
        text = text[:max_chars].rsplit(" ", 1)[0]
    return text[:1].lower() + text[1:] if text else None


def generic_tool() -> str:
    """Wording used when the agent has no tools."""
    return _GENERIC_TOOL


def generic_field() -> str:
    """Wording used when the agent's mocks return no data fields."""
    return _GENERIC_FIELD


def generic_policy() -> str:
    """Wording used when the agent states no policy."""
    return _GENERIC_POLICY


def _pick(items: Any, i: int) -> Any:
    """Item `i` of a sequence, cycling; None when empty."""
    items = list(items)
    return items[i % len(items)] if items else None


def _value_rank(name: str) -> int:
    """How much an attacker wants a field: 0 sensitive, 1 personal, 2 record id, 3 other."""
    if is_sensitive_field(name):
        return 0
    if is_person_field(name):
        return 1
    return 2 if is_identity_field(name) else 3


def _useful(fields: list[str]) -> list[str]:
    """Drop trivial mock output keys."""
    return [f for f in fields if f and f.lower() not in _TRIVIAL_FIELDS]


def _ordinary_requests(analysis: AgentAnalysis) -> tuple[str, ...]:
    """Normal things a caller wants from this agent (infinitive goals), used to open an attack innocently."""
    return tuple(goal_phrase(intent.name) for intent in analysis.intents if intent.name.strip())


def _domain_from_name(name: str) -> str:
    """Fallback domain wording when the analysis has none."""
    return f"{name} services" if name else "this service"


def _sample_values(agent: AgentSpec) -> dict[str, str]:
    """First scalar value seen for every key in the agent's mock rows (used for realistic impersonation)."""
    found: dict[str, str] = {}

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if isinstance(value, (str, int, float)) and not isinstance(value, bool):
                    text = str(value).strip()
                    if text and len(text) <= 60 and key not in found:
                        found[str(key)] = text
                else:
                    walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    for tool in agent.tools:
        for row in tool.information:
            walk(row.input)
            walk(row.output)
    return found
