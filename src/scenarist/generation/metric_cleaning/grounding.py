"""Grounding a metric draft in the agent model: the agent's own rules, tools, workflows and verification.

Only what truly matches the draft is attached (a draft about identifying the caller grounds in the
verification procedure, never in a persona section); every match is quoted so a judge can check it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from scenarist.generation.agent_model import (
    AgentModel,
    IntentModel,
    PolicyKind,
    PolicyModel,
    SectionRole,
    ToolModel,
    Verification,
)
from scenarist.generation.text import content_stems, split_identifier, stem

from scenarist.generation.grammar import is_verb

# Words every draft and rule share: they never make a match on their own.
_GENERIC = frozenset(stem(w) for w in """agent main testing caller call calls customer patient user client person
    always never must should make sure good correct correctly right ok handle handling properly well time one way
    ask tell say give get check look find use also any every other only need want like mention number times count
    already thing things even through let""".split())
_GENERIC_TOOL_VERBS = frozenset("get check lookup look find search list fetch query retrieve read".split())
_VERIFY_RE = re.compile(r"\b(?:verif\w*|identif\w*|authenticat\w*|identity|who (?:they|the caller) (?:is|are)|"
                        r"confirm\w* (?:the )?(?:caller|identity))\b", re.IGNORECASE)
MIN_SHARED = 2
_DESCRIPTIVE_ROLES = frozenset({SectionRole.IDENTITY, SectionRole.STYLE, SectionRole.CONTEXT, SectionRole.EXAMPLES})
_ALWAYS_RULES = frozenset({PolicyKind.EMERGENCY, PolicyKind.PRIVACY, PolicyKind.ESCALATION})
_DIRECTIVE_RE = re.compile(
    r"\b(?:must|never|do not|don't|always|only|should|may not|cannot|can't|need to|have to|required|make sure|"
    r"no more than|at most|unless|before you|until)\b|^\s*(?:if|when|once|after|before)\b", re.IGNORECASE)
MIN_SHARE = 0.2  # of the smaller word set: two incidental words in common do not make a long rule relevant
_PROHIBITION_LEAD_RE = re.compile(r"^\s*(?:do not|don't|never|must not)\b", re.IGNORECASE)


@dataclass
class Grounding:
    """What of the agent a draft (or one criterion) is about."""

    policies: list[PolicyModel] = field(default_factory=list)
    tools: list[ToolModel] = field(default_factory=list)
    intents: list[IntentModel] = field(default_factory=list)
    verification: Verification | None = None

    def is_empty(self) -> bool:
        """True when nothing of the agent matched."""
        return not (self.policies or self.tools or self.intents or self.verification)


def ground(text: str, model: AgentModel | None, *, max_policies: int = 2) -> Grounding:
    """The agent's rules, tools, workflows and verification that `text` talks about."""
    if model is None:
        return Grounding()
    stems = _meaningful(text)
    grounding = Grounding(
        policies=_matching_policies(stems, model, max_policies),
        tools=[t for t in model.tools if _tool_matches(t, stems)],
        intents=[i for i in model.intents if _intent_matches(i, stems)],
    )
    if _VERIFY_RE.search(text) and model.verification.fields:
        grounding.verification = model.verification
    return grounding


def _meaningful(text: str) -> set[str]:
    """Content stems of a text minus the words every draft shares, plus its figures ('8+', '$500', '911')."""
    figures = {f"#{m}" for m in re.findall(r"\$?\d[\d,.-]*\+?", text)}
    return {s for s in content_stems(text) if s not in _GENERIC} | figures


def _is_directive(text: str) -> bool:
    """A rule tells the agent what to do: a modal or condition word, or an imperative first verb."""
    first = text.split()[0] if text.split() else ""
    return bool(_DIRECTIVE_RE.search(text)) or (is_verb(first) and not first.lower().endswith("ing"))


def _score(shared: set[str]) -> int:
    """Words count once, figures twice: a shared '8+' or '$500' is strong evidence."""
    return sum(2 if s.startswith("#") else 1 for s in shared)


def _matching_policies(stems: set[str], model: AgentModel, limit: int) -> list[PolicyModel]:
    """Policies sharing at least MIN_SHARED meaningful stems with the text, best first, each with the rules of the
    same kind stated right after it in the same section (an emergency rule's "and then do not …" sentence)."""
    scored = []
    descriptive = {s.id for s in model.sections if s.role in _DESCRIPTIVE_ROLES}
    for order, policy in enumerate(model.policies):
        if policy.section_id in descriptive and policy.kind not in _ALWAYS_RULES:
            continue  # persona/style/context prose is no rule to judge against
        if not _is_directive(policy.text):
            continue  # a sentence of context ("Customers call this line about …") is no rule to judge against
        rule = _meaningful(" ".join((policy.text, policy.trigger, policy.response)))
        shared = stems & rule
        if _score(shared) >= MIN_SHARED and _score(shared) >= MIN_SHARE * min(len(stems), len(rule)):
            scored.append((-_score(shared), order, policy))
    chosen = [policy for _, _, policy in sorted(scored, key=lambda item: item[:2])[:limit]]
    result: list[PolicyModel] = []
    for policy in chosen:
        result.append(policy)
        position = model.policies.index(policy)
        follower = model.policies[position + 1] if position + 1 < len(model.policies) else None
        if (follower is not None and follower.id not in {p.id for p in chosen}
                and follower.kind is PolicyKind.PROHIBITION and _PROHIBITION_LEAD_RE.match(follower.text)
                and follower.section_id == policy.section_id and policy.section_id is not None):
            result.append(follower)
    unique = {policy.id: policy for policy in result}
    return list(unique.values())


def _tool_matches(tool: ToolModel, stems: set[str]) -> bool:
    """'booking' matches `book_appointment`; a generic verb (`get_…`) needs its object named too."""
    parts = [p for p in split_identifier(tool.name) if len(p) > 2]
    if not parts:
        return False
    verb, objects = parts[0], [stem(p) for p in parts[1:]]
    if tool.name.lower() in stems or " ".join(parts) in stems:
        return True
    if verb in _GENERIC_TOOL_VERBS:
        return bool(objects) and all(o in stems for o in objects)
    return stem(verb) in stems


def _intent_matches(intent: IntentModel, stems: set[str]) -> bool:
    """Most of the intent name's meaningful stems occur in the text."""
    name = _meaningful(intent.name)
    return bool(name) and len(name & stems) * 2 >= len(name) + (1 if len(name) > 2 else 0)


def label_intent(label: str, model: AgentModel | None) -> IntentModel | None:
    """The workflow an enum label names ('book' → "book a new appointment"), when exactly one fits."""
    if model is None:
        return None
    stems = _meaningful(label.replace("lookup", "look up"))
    if not stems:
        return None
    fits = [i for i in model.intents if stems <= _meaningful(i.name) | {stem(w) for t in i.tools for w in split_identifier(t)}]
    return fits[0] if len(fits) == 1 else None


def quote(policy: PolicyModel, limit: int = 400) -> str:
    """The policy's exact sentence, whole when it is short enough to quote; its {{variables}} shown as [name] so a
    judge prompt never carries a variable it cannot fill."""
    text = re.sub(r"\{\{\s*([^{}]+?)\s*\}\}", r"[\1]", " ".join(policy.text.split()))
    if len(text) <= limit:
        return text
    cut = re.split(r"(?<=[.!?])\s+", text)
    kept = ""
    for sentence in cut:
        if len(kept) + len(sentence) > limit:
            break
        kept = f"{kept} {sentence}".strip()
    return kept or text
