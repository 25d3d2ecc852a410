"""Shorthand written out, drafts decomposed into atomic criteria, verbs inflected by a dictionary."""

from __future__ import annotations

import pytest

from scenarist.generation.metric_cleaning.atoms import decompose
from scenarist.generation.metric_cleaning.events import examples, failure_events, na_for
from scenarist.generation.grammar import agent_clause, is_verb, third_person_of
from scenarist.generation.metric_cleaning.shorthand import expand, has_shorthand


@pytest.mark.parametrize("raw, written", [
    ("read back appt details b4 booking", "read back appointment details before booking"),
    ("w/o asking for DOB", "without asking for date of birth"),
    ("freeze asap", "freeze as soon as possible"),
    ("hang up & dial 911", "hang up and dial 911"),
    ("sent to A&E", "sent to A&E"),  # an ampersand inside a name stays
    ("last 4 -> ZIP -> DOB", "last 4 then ZIP then date of birth"),
])
def test_expand(raw, written):
    assert expand(raw).text == written


def test_expansions_are_listed_for_thinking():
    expanded = expand("pt not found => offer new pt booking etc")
    assert any("'pt'" in e for e in expanded.expansions) and any("etc" in e for e in expanded.expansions)
    assert has_shorthand("appt ok?") and not has_shorthand("The agent reads back the date.")


def test_arrow_draft_becomes_condition_and_atoms():
    text = expand("Emergency handling ok? chest pain, bleeding etc => tell caller hang up & dial 911 right away, "
                  "no more booking questions").text
    result = decompose([text])
    assert result.topics == ["emergency handling"]
    first, second = result.atoms
    assert first.sentence == ("When the Testing Agent mentions chest pain, bleeding or similar, the Main Agent tells "
                              "the Testing Agent to hang up and dial 911 right away.")
    assert second.negative and second.follows
    assert second.sentence == "After that, the Main Agent does not continue with booking questions."
    events = failure_events(first) + failure_events(second)
    assert "The Main Agent continues with booking questions after the Testing Agent mentions" in events[-1]
    assert all(e not in (first.sentence, second.sentence) for e in events)  # events, not the criteria again
    true, false = examples(result.atoms)
    assert "chest pain" in true and "bleeding" in false and true != false
    assert na_for(first.condition).startswith("The Testing Agent never mentions chest pain")


@pytest.mark.parametrize("draft, sentence", [
    ("never give medical advice", "The Main Agent never gives medical advice."),
    ("agent always reads back the date and time", "The Main Agent always reads back the date and time."),
    ("if caller asks for dosing, refuse and offer to book with a doctor",
     "When the Testing Agent asks for dosing, the Main Agent refuses and offers to book with a doctor."),
    ("Did the assistant transfer refunds over 30 EUR?", "The Main Agent transfers refunds over 30 EUR."),
    ("Swelling or difficulty breathing must always lead to A&E",
     "Swelling or difficulty breathing must always lead to A&E."),
    ("read back date and time ok?", "The Main Agent reads back date and time correctly."),
])
def test_atoms_are_grammatical_sentences(draft, sentence):
    atoms = decompose([expand(draft).text]).atoms
    assert atoms[0].sentence == sentence


def test_adverbs_and_nouns_are_never_inflected():
    assert agent_clause("always confirm the slot") == "always confirms the slot"
    assert third_person_of("always") == "always" and not is_verb("always") and not is_verb("last")
    assert third_person_of("verify") == "verifies" and third_person_of("be") == "is"
    assert agent_clause("apologise and offer a callback") == "apologises and offers a callback"
    assert agent_clause("tell them to go to A&E or call 999") == "tells them to go to A&E or call 999"
