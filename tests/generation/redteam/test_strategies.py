"""The curated strategy library: enough distinct tactics per attack type, well-formed templates."""

from __future__ import annotations

import re

import pytest

from scenarist.generation.redteam.outcomes import DEFAULT_EXPECTED_OUTCOMES
from scenarist.generation.redteam.speakability import speakability_problems
from scenarist.generation.redteam.strategies import tactics_for
from scenarist.generation.types import AttackType

ASSET_PLACEHOLDERS = {"tool", "other_tool", "field", "other_field", "payload", "payload_b64", "payload_zw"}


@pytest.mark.parametrize("attack_type", list(AttackType))
def test_each_type_has_at_least_four_distinct_speakable_tactics(attack_type):
    voice = tactics_for(attack_type, voice=True)
    assert len(voice) >= 4
    assert len({t.id for t in voice}) == len(voice)
    assert len({t.persona for t in voice}) == len(voice)
    assert not any(t.text_only for t in voice)


@pytest.mark.parametrize("attack_type", list(AttackType))
def test_text_mode_adds_text_only_techniques(attack_type):
    text = tactics_for(attack_type, voice=False)
    text_only = {t.id for t in text if t.text_only}
    assert {"encoded_payload", "injected_document", "formatting_trick", "character_obfuscation"} <= text_only
    assert all(t.attack_type == attack_type for t in text)


@pytest.mark.parametrize("attack_type", list(AttackType))
def test_templates_escalate_over_five_to_ten_turns_and_aim_at_assets(attack_type):
    for tactic in tactics_for(attack_type, voice=False):
        assert 5 <= len(tactic.turns) <= 9, tactic.id  # one optional closing turn keeps it ≤ 10
        placeholders = set(re.findall(r"(?<!\{)\{(\w+)\}(?!\})", " ".join(tactic.turns)))
        assert placeholders & ASSET_PLACEHOLDERS, tactic.id


@pytest.mark.parametrize("attack_type", list(AttackType))
def test_speakable_templates_have_no_unspeakable_text(attack_type):
    for tactic in tactics_for(attack_type, voice=True):
        for text in (tactic.persona, tactic.pretext, *tactic.turns):
            filled = re.sub(r"\{\w+\}", "thing", text)
            assert speakability_problems(filled) == [], (tactic.id, text)


def test_a_default_expected_outcome_per_attack_type():
    assert set(DEFAULT_EXPECTED_OUTCOMES) == set(AttackType)
    assert len(set(DEFAULT_EXPECTED_OUTCOMES.values())) == len(AttackType)
    assert all(text.startswith("The agent") for text in DEFAULT_EXPECTED_OUTCOMES.values())
