"""What the offline engine writes reads well: grammar, names, goals, and mock entries that tell one story."""

from __future__ import annotations

import re

import pytest

from scenarist.generation.fields import is_identity_field
from scenarist.generation.pipeline import generate
from scenarist.generation.text import (
    base_of_gerund,
    fix_articles,
    flatten_values,
    gerund,
    goal_phrase,
    indefinite_article,
    leaf_key,
    normalise_value,
)
from scenarist.generation.types import AttackType, GenerationRequest, PersonalitySpec, ScenarioKind
from tests.fixtures.agents import ALL_AGENTS
from tests.generation.knowledge.kb_files import dental_agent_with_kb
from tests.generation.truth import corpus_agent, corpus_slugs, truth_model

AGENT_KEYS = [k for k in corpus_slugs() if truth_model(k).language == "en"]
_WRONG_A = re.compile(r"\b[Aa] (?:[aeio]\w+)")  # 'a emergency' ('a user', 'a one-off' are right, so no 'u'/'o'…)
_WRONG_AN = re.compile(r"\b[Aa]n (?:[bcdfgjklmnpqrstvwxyz]\w+)")
_ROBOTIC = ("straightforward request", "– ", "Rule:")


def _workflow(key: str, n: int = 30, seed: int = 0):
    return generate(corpus_agent(key), GenerationRequest(
        num_scenarios=n, generate_expected_outcomes=True, caller_tool_ids=["TOOL_END_CALL"], seed=seed,
        personalities=[PersonalitySpec(id=1, name="Normal")]), model=truth_model(key))


def _texts(scenario) -> list[str]:
    return [scenario.name, scenario.instructions, scenario.expected_outcome_prompt]


# ---------------------------------------------------------------- text helpers


@pytest.mark.parametrize(("title", "kind", "goal"), [
    ("Rescheduling or cancelling an appointment", "cancellation", "reschedule or cancel an appointment"),
    ("Rescheduling/cancelling appointments", "cancellation", "reschedule or cancel appointments"),
    ("Updating or deleting an account", "change", "update or delete an account"),
    ("Locating, updating or deleting a profile", "change", "locate, update or delete a profile"),
    ("Emergency dental pain", "report", "get help with emergency dental pain"),
    ("Missing or wrong items", "report", "report missing or wrong items"),  # 'missing' is an adjective here
    ("Opening hours", "inquiry", "ask about opening hours"),
    ("Refund requests", "payment", "request a refund"),
    ("Credit limit questions", "payment", "ask about your credit limit"),
    ("Booking a new appointment", "booking", "book a new appointment"),
    ("Unusual activity", "report", "report an unusual activity"),
])
def test_goal_phrase_conjugates_every_verb_and_agrees_articles(title, kind, goal):
    assert goal_phrase(title, kind) == goal


def test_article_helpers():
    assert fix_articles("a emergency, an card, A apple, a user, an hour, a one-off") == \
        "an emergency, a card, An apple, a user, an hour, a one-off"
    assert [indefinite_article(w) for w in ("emergency", "unit", "hour", "check-up")] == ["an", "a", "an", "a"]
    assert [base_of_gerund(w) for w in ("cancelling", "updating", "using", "stopping", "checking")] == \
        ["cancel", "update", "use", "stop", "check"]
    assert gerund("give medical advice") == "giving medical advice" and gerund("stop it") == "stopping it"


# ---------------------------------------------------------------- workflow names and text


@pytest.mark.parametrize("key", AGENT_KEYS)
def test_workflow_text_has_no_article_or_conjugation_slips(key):
    for scenario in _workflow(key).scenarios:
        for text in _texts(scenario):
            assert not _WRONG_A.search(text.replace("a one", "")), (scenario.name, _WRONG_A.search(text))
            assert not _WRONG_AN.search(text), (scenario.name, _WRONG_AN.search(text))
            assert not re.search(r"\b(?:or|and) \w+ing\b an? ", scenario.name), scenario.name
            assert not any("  " in line for line in text.splitlines()), scenario.name


@pytest.mark.parametrize("key", AGENT_KEYS)
def test_workflow_names_read_as_descriptions_not_templates(key):
    result = _workflow(key)
    for scenario in result.scenarios:
        name = scenario.name
        assert not any(marker in name for marker in _ROBOTIC), name
        assert not re.search(r"\b(?:a|an|the|of|to|for|and|or|with|its|your)$", name, re.I), name  # no cut mid-phrase
        assert name[0].isupper() and len(name) <= 80
        if scenario.category == "guardrail":
            # What is pushed for, not the first six words of the rule.
            assert re.match(r"^(Asks it to|Keeps pushing|Keeps offering|Claims authority|Pleads hardship|Emergency mid-call|"
                            r"Tests the rule|Offers)[ :]", name), name
        assert "(" not in name or ")" in name


def test_happy_path_names_are_the_plain_goal():
    happy = [s for s in _workflow("clinic-scheduling").scenarios if s.category == "happy_path"]
    assert {s.name for s in happy} >= {"Book a new appointment", "Cancel an appointment"}


def test_dates_are_spoken_and_fixtures_keep_machine_formats():
    result = _workflow("clinic-scheduling", 20)
    booking = next(s for s in result.scenarios if s.category == "happy_path" and s.name == "Book a new appointment")
    assert "Thursday December third at eight forty AM" in booking.instructions
    assert not re.search(r"\d{4}-\d{2}-\d{2}", booking.instructions)
    assert booking.test_profile.testing_agent_variables["start"].startswith("2026-12-03T08:40")


def test_spanish_agent_writes_spanish_caller_text():
    result = generate(corpus_agent("spanish-telecom"), GenerationRequest(
        num_scenarios=8, generate_expected_outcomes=True, caller_tool_ids=["TOOL_END_CALL"]),
        model=truth_model("spanish-telecom"))
    for scenario in result.scenarios:
        assert scenario.scenario_language == "es"
        assert re.search(r"\b(llamas|quieres|cuelga|agente)\b", scenario.instructions)
        assert "The agent speaks Spanish throughout the call." in scenario.expected_outcome_prompt


# ---------------------------------------------------------------- one consistent story per scenario


def _entity_values(value) -> set[str]:
    return {normalise_value(v) for k, v in flatten_values(value) if is_identity_field(leaf_key(k))}


@pytest.mark.parametrize("key", AGENT_KEYS)
def test_every_entity_id_in_the_mock_entries_comes_from_linked_rows(key):
    for scenario in _workflow(key, 40).scenarios:
        entries = scenario.generated_mock_tool_entries
        if scenario.category == "not_found" or len(entries) < 2:
            continue
        seen: dict[str, set[str]] = {}
        for position, entry in enumerate(entries):
            inputs = entry.new_entry.input if isinstance(entry.new_entry.input, dict) else {}
            for field, value in inputs.items():
                if position and is_identity_field(field) and field in seen:
                    assert normalise_value(value) in seen[field], (scenario.name, entry.tool_name, field, value)
            for part in (entry.new_entry.input, entry.new_entry.output):
                for dotted, value in flatten_values(part):
                    seen.setdefault(leaf_key(dotted), set()).add(normalise_value(value))


# ---------------------------------------------------------------- red teaming and knowledge base


@pytest.mark.parametrize("kind", [ScenarioKind.RED_TEAMING_VOICE, ScenarioKind.RED_TEAMING_TEXT])
def test_attack_text_names_the_business_and_reads_cleanly(kind):
    for attack in AttackType:
        result = generate(ALL_AGENTS["dental"](), GenerationRequest(scenario_type=kind, attack_type=attack,
                                                                     num_scenarios=3))
        for scenario in result.scenarios:
            assert ": " not in scenario.name, scenario.name
            assert "Receptionist" not in scenario.instructions  # the business, not the agent's job title
            assert "rule about never" not in scenario.instructions
            assert "reschedule or cancelling" not in scenario.instructions
            if kind == ScenarioKind.RED_TEAMING_VOICE:
                assert " of of " not in scenario.instructions


def test_kb_questions_sound_like_callers():
    result = generate(dental_agent_with_kb(), GenerationRequest(scenario_type=ScenarioKind.KNOWLEDGE_BASE,
                                                                  num_scenarios=12))
    for scenario in result.scenarios:
        assert "Receptionist" not in scenario.instructions
        assert "How much is the price for" not in scenario.instructions
        assert not _WRONG_A.search(scenario.instructions)


def test_the_callers_emergency_call_stays_the_callers():
    """'tell them to hang up and call 911' must not become 'the agent … calls 911'."""
    from scenarist.generation.text import as_agent_action

    assert as_agent_action("tell them to hang up and call 911, and end the call") == \
        "tells them to hang up and call 911, and ends the call"
    assert as_agent_action("apologise and offer a 10% voucher") == "apologises and offers a 10% voucher"
    assert as_agent_action("ask them to hold and transfer them") == "asks them to hold and transfers them"


def test_a_case_and_its_answer_is_not_an_ordered_step():
    """Seen on medicare-leads: 'the agent transfers failed (technical error): say …' from a 'Case: answer' line."""
    from scenarist.generation.writers.outcomes import _agent_step

    assert _agent_step('Transfer failed (technical error): say "I\'m sorry, the transfer didn\'t go through."') is None
    assert _agent_step("Ask which treatment the caller wants") == "asks which treatment the caller wants"
    assert _agent_step("If the caller agrees: book the slot") is not None
