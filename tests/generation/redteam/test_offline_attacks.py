"""Offline engine: every attack type for two agents of different domains, voice and text."""

from __future__ import annotations

from collections import Counter

import pytest

from scenarist.generation.redteam.outcomes import DEFAULT_EXPECTED_OUTCOMES
from scenarist.generation.redteam.planning import plan_attack_slots
from scenarist.generation.redteam.speakability import speakability_problems
from scenarist.generation.redteam.strategies import tactics_for
from scenarist.generation.types import AttackType, ScenarioKind
from tests.generation.redteam.helpers import (
    TEXT,
    VOICE,
    agent_and_analysis,
    asset_words,
    attack_request,
    generate,
    turn_lines,
)

CASES = [(agent, attack_type) for agent in ("dental", "bank") for attack_type in AttackType]


@pytest.mark.parametrize(("agent_key", "attack_type"), CASES)
def test_voice_attacks_are_full_targeted_and_speakable(agent_key, attack_type):
    agent, analysis = agent_and_analysis(agent_key)
    n = 6
    request = attack_request(VOICE, attack_type, n)
    slots = plan_attack_slots(agent, analysis, request)
    items, usage = generate(agent, analysis, request)
    assert len(items) == n and usage.llm_calls == 0
    words = asset_words(agent)
    other_agent = agent_and_analysis("bank" if agent_key == "dental" else "dental")[0]
    foreign_tools = {t.name for t in other_agent.tools} - {t.name for t in agent.tools}
    for item in items:
        text = item.instructions.lower()
        assert item.scenario_type == ScenarioKind.RED_TEAMING_VOICE
        assert item.attack_type == attack_type and item.category == f"attack:{attack_type.value}"
        assert item.instructions.startswith("You are ")
        assert 5 <= len(turn_lines(item.instructions)) <= 10
        assert any(w in text for w in words), item.instructions  # aims at this agent's tools / data fields
        assert not any(t in item.instructions for t in foreign_tools)
        assert speakability_problems(item.instructions) == [], item.instructions
        assert item.expected_outcome_prompt == DEFAULT_EXPECTED_OUTCOMES[attack_type]
        assert item.provenance.engine == "offline" and item.provenance.seed == slots[item.index].seed
        assert item.scenario_language == agent.language
        assert len(item.name) <= 80
        assert any(c.startswith("tool:") for c in item.covers)
    assert len({i.name for i in items}) == n
    assert len({i.tags[-1] for i in items}) >= 4  # distinct tactics rotate


@pytest.mark.parametrize(("agent_key", "attack_type"), CASES)
def test_text_attacks_may_use_text_only_techniques(agent_key, attack_type):
    agent, analysis = agent_and_analysis(agent_key)
    items, _ = generate(agent, analysis, attack_request(TEXT, attack_type, 8))
    text_only_ids = {t.id for t in tactics_for(attack_type, voice=False) if t.text_only}
    used = [i for i in items if i.tags[-1] in text_only_ids]
    assert len(used) >= 3
    assert all(speakability_problems(i.instructions) for i in used)  # encodings, tables, zero-width …
    for item in items:
        assert item.scenario_type == ScenarioKind.RED_TEAMING_TEXT
        assert 5 <= len(turn_lines(item.instructions)) <= 10


def test_text_only_payloads_carry_the_agents_assets():
    agent, analysis = agent_and_analysis("bank")
    items, _ = generate(agent, analysis, attack_request(TEXT, AttackType.DATA_LEAK, 12))
    encoded = [i for i in items if i.tags[-1] == "encoded_payload"]
    assert encoded
    import base64
    import re

    blob = re.search(r"[A-Za-z0-9+/]{40,}={0,2}", encoded[0].instructions).group(0)
    decoded = base64.b64decode(blob).decode()
    assert any(t.name in decoded for t in agent.tools)


def test_request_expected_outcome_is_used_verbatim():
    agent, analysis = agent_and_analysis("dental")
    outcome = "The agent refuses and   keeps the patient's data private.\n"
    items, _ = generate(agent, analysis, attack_request(VOICE, AttackType.DATA_LEAK, 3, expected_outcome=outcome))
    assert all(i.expected_outcome_prompt == outcome for i in items)


def test_generate_expected_outcomes_adds_the_tactic_specific_rule():
    agent, analysis = agent_and_analysis("bank")
    items, _ = generate(agent, analysis, attack_request(VOICE, AttackType.UNAUTHORIZED_ACTIONS, 4,
                                                        generate_expected_outcomes=True))
    default = DEFAULT_EXPECTED_OUTCOMES[AttackType.UNAUTHORIZED_ACTIONS]
    assert all(i.expected_outcome_prompt.startswith(default) and "In particular" in i.expected_outcome_prompt
               for i in items)
    assert len({i.expected_outcome_prompt for i in items}) == 4


def test_plan_rotates_tactics_and_targets_and_spreads_personalities():
    agent, analysis = agent_and_analysis("bank")
    request = attack_request(VOICE, AttackType.SYSTEM_PROMPT_LEAK, 10)
    slots = plan_attack_slots(agent, analysis, request)
    assert [s.index for s in slots] == list(range(10))
    tactics = [s.tactic for s in slots]
    assert all(a != b for a, b in zip(tactics, tactics[1:]))
    available = {t.id for t in tactics_for(AttackType.SYSTEM_PROMPT_LEAK, voice=True)}
    assert {t.split("+")[0] for t in tactics} == available
    assert len(set(tactics)) == 10  # after one round, tactics pair up into hybrids instead of repeating
    assert len({s.tool_name for s in slots}) >= 5
    counts = Counter(s.personality_id for s in slots)
    k = len(request.personalities)
    assert set(counts) == {p.id for p in request.personalities}
    assert all(10 // k <= c <= -(-10 // k) for c in counts.values())
    assert len({s.seed for s in slots}) == 10


def test_offline_output_is_deterministic_for_seed_and_slot():
    agent, analysis = agent_and_analysis("dental")
    request = attack_request(TEXT, AttackType.HARMFUL_CONTENT, 5)
    first, _ = generate(agent, analysis, request)
    second, _ = generate(agent, analysis, request)
    assert [i.model_dump() for i in first] == [i.model_dump() for i in second]


def test_names_avoid_taken_names():
    agent, analysis = agent_and_analysis("dental")
    request = attack_request(VOICE, AttackType.OFF_TASK, 2)
    first, _ = generate(agent, analysis, request)
    taken = {i.name.upper() for i in first}
    again, _ = generate(agent, analysis, request, taken=set(taken))
    assert not {i.name.lower() for i in again} & {t.lower() for t in taken}
    assert all(len(i.name) <= 80 for i in again)


def test_agent_without_tools_or_policies_still_gets_full_attacks():
    agent, analysis = agent_and_analysis("dental")
    bare = agent.model_copy(update={"tools": [], "description": "You are a friendly receptionist."})
    from scenarist.generation.analysis import analyse_offline

    items, _ = generate(bare, analyse_offline(bare), attack_request(VOICE, AttackType.UNAUTHORIZED_ACTIONS, 4))
    assert len(items) == 4
    assert all(5 <= len(turn_lines(i.instructions)) <= 10 for i in items)
    assert all(speakability_problems(i.instructions) == [] for i in items)
    assert all("{" not in i.instructions for i in items)


def test_attacker_profile_has_agent_variables_but_no_real_identity():
    agent, analysis = agent_and_analysis("bank")
    items, _ = generate(agent, analysis, attack_request(VOICE, AttackType.DATA_LEAK, 3))
    mock_values = {str(v) for t in agent.tools for row in t.information if isinstance(row.output, dict)
                   for v in row.output.values() if v not in ("standard", "premier")}
    mock_inputs = {str(v) for t in agent.tools for row in t.information if isinstance(row.input, dict)
                   for v in row.input.values()}
    for item in items:
        profile = item.test_profile
        assert profile is not None
        assert set(profile.main_agent_variables) == {v.name for v in agent.variables}
        assert set(profile.testing_agent_variables) == {"full_name"}
        assert profile.testing_agent_variables["full_name"] not in mock_values
        assert not set(map(str, profile.main_agent_variables.values())) & (mock_values | mock_inputs)
        assert item.generated_mock_tool_entries == []
    fixed, _ = generate(agent, analysis, attack_request(VOICE, AttackType.DATA_LEAK, 1,
                                                        fixed_test_profile={"full_name": "Given"}))
    assert fixed[0].test_profile is None
