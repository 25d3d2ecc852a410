"""Merge the LLM's analysis into the offline one: add what it found, keep everything offline analysis had."""

from __future__ import annotations

import re

from .analysis import MAX_INTENTS, MAX_POLICIES, intent_kind
from .fields import is_identity_field, same_field
from .llm_prompts import LLMAnalysis
from .text import content_stems, slugify, truncate
from .types import AgentAnalysis, Intent, Policy

MAX_IDENTITY_FIELDS = 8
_FIELD_NAME = re.compile(r"^[a-z][a-z0-9]*(?:_[a-z0-9]+){0,3}$")  # at most four words
_INTENT_NAME = re.compile(r"^[^\W_][\w\s&/'’,().:-]{2,79}$")


def merge_analysis(offline: AgentAnalysis, llm: LLMAnalysis) -> AgentAnalysis:
    """Offline map plus the LLM's extra intents/steps/policies/identity fields (tools limited to real ones)."""
    merged = offline.model_copy(deep=True)
    tool_names = {t.name for t in merged.tools}
    if llm.domain.strip() and len(llm.domain) <= 60:
        merged.domain = llm.domain.strip()
    for found in llm.intents:
        name = " ".join(found.name.split())
        if not _INTENT_NAME.match(name):
            continue
        tools = [t for t in found.tools if t in tool_names]
        steps = [truncate(s.strip(), 240) for s in found.steps if s.strip()]
        existing = _same_intent(merged.intents, name)
        if existing is not None:
            existing.steps.extend(s for s in steps if s not in existing.steps)
            existing.steps = existing.steps[:12]
            existing.tools.extend(t for t in tools if t not in existing.tools)
            continue
        if len(merged.intents) >= MAX_INTENTS:
            continue
        merged.intents.append(Intent(id=f"intent:{slugify(name)}", name=name,
                                     description=truncate(found.description, 1500), tools=tools, steps=steps[:12],
                                     kind=intent_kind(name, " ".join(steps))))
    known_policies = {p.text.strip().lower() for p in merged.policies}
    for policy in llm.policies:
        text = truncate(policy.text.strip(), 300)
        if len(text) < 12 or text.lower() in known_policies or len(merged.policies) >= MAX_POLICIES:
            continue
        known_policies.add(text.lower())
        merged.policies.append(Policy(id=f"policy:{len(merged.policies) + 1}", text=text, kind=policy.kind))
    for field in llm.identity_fields:
        snake = slugify(field, 40)
        if (_FIELD_NAME.match(snake) and is_identity_field(snake) and len(merged.identity_fields) < MAX_IDENTITY_FIELDS
                and not any(same_field(snake, f) for f in merged.identity_fields)):
            merged.identity_fields.append(snake)
    if merged.speaks_first is None:
        merged.speaks_first = llm.speaks_first
    return merged


def _same_intent(intents: list[Intent], name: str) -> Intent | None:
    """An existing intent with the same slug or mostly the same content words."""
    slug = f"intent:{slugify(name)}"
    stems = content_stems(name)
    for intent in intents:
        if intent.id == slug:
            return intent
        other = content_stems(intent.name)
        if stems and other and len(stems & other) / len(stems | other) >= 0.5:
            return intent
    return None
