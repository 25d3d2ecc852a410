"""Personality allocation (even spread, mood-matched) — shared by every scenario kind."""

from __future__ import annotations

import re

from .types import PersonalitySpec, Slot

_TENSE = re.compile(r"\b(angry|frustrat|impatient|aggress|rude|annoy|irritat|hostile|interrupt|upset|demanding|fast)",
                    re.I)
_CALM = re.compile(r"\b(neutral|calm|friendly|polite|happy|normal|relaxed|patient)\b", re.I)

# How demanding a slot's conversation is; tense personalities go to the hardest slots.
_DIFFICULTY = {
    "happy_path": 0, "kb_question": 0, "listed": 1, "alternate_path": 1, "kb_out_of_scope": 1,
    "edge_case": 2, "not_found": 2, "tool_failure": 3, "guardrail": 3,
}


def slot_difficulty(slot: Slot) -> int:
    """0 (plain) … 3 (failures, probes, attacks)."""
    if slot.category.startswith("attack"):
        return 3
    return _DIFFICULTY.get(slot.category, 1)


def tension(personality: PersonalitySpec) -> int:
    """0 calm, 1 unknown, 2 tense (impatient/angry/interrupting)."""
    text = f"{personality.mood} {personality.name}"
    if _TENSE.search(text) or personality.interruption_level in ("high", "very_high"):
        return 2
    if _CALM.search(text):
        return 0
    return 1


def catalogue_for(catalogue: list[PersonalitySpec], language: str) -> list[PersonalitySpec]:
    """The personalities of a catalogue that speak the agent's language (English ones when none does): the set a
    batch spreads over when the request names none."""
    lang = (language or "en")[:2].lower()
    same = [p for p in catalogue if (p.language or "en")[:2].lower() == lang]
    return same or [p for p in catalogue if (p.language or "en")[:2].lower() == "en"] or list(catalogue)


def assign_personalities(slots: list[Slot], personalities: list[PersonalitySpec]) -> None:
    """Give each slot a personality id: each used ⌊n/k⌋ or ⌈n/k⌉ times, calm ones on the easiest slots."""
    if not personalities or not slots:
        return
    n, k = len(slots), len(personalities)
    quota = {p.id: n // k + (1 if i < n % k else 0) for i, p in enumerate(personalities)}
    # Sequence of ids from calmest to tensest; within a tension level, round-robin so the mix stays varied.
    sequence: list[int] = []
    for level in (0, 1, 2):
        group = [p for p in personalities if tension(p) == level]
        remaining = {p.id: quota[p.id] for p in group}
        while any(remaining.values()):
            for p in group:
                if remaining[p.id]:
                    sequence.append(p.id)
                    remaining[p.id] -= 1
    ordered = sorted(slots, key=lambda s: (slot_difficulty(s), s.index))
    for slot, personality_id in zip(ordered, sequence):
        slot.personality_id = personality_id
