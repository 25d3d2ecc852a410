"""Caller-facing intent names: every English intent of the corpus and held-out agents reads as a goal a caller
would state ("You are calling to <name>"), and the grammar pass fixes the shapes that used to leak."""

from __future__ import annotations

import re

import pytest
from lemminflect import getAllLemmas

from scenarist.generation.understanding import build_agent_model
from scenarist.generation.understanding.goals import article_for, caller_goal_name, glossary_of
from tests.generation.understanding.expected import CORPUS, HELDOUT, corpus_slugs, load_agent, load_expected

# English agents: goals of other languages keep the prompt's own wording ("termin absagen", "consultar saldo").
AGENTS = [(root, s) for root in (CORPUS, HELDOUT) for s in corpus_slugs(root)
          if load_expected(s, root)["language"] == "en"]


@pytest.mark.parametrize(("raw", "main_object", "goal"), [
    ("report a lost stolen", "card", "report a lost or stolen card"),
    ("check a zip coverage", "", "check the ZIP code coverage"),
    ("get help with where is my order?", "order", "track an order"),
    ("look up an appointments", "appointment", "look up appointments"),
    ("ask about general questions", "", "ask a general question"),
    ("transfer to a licensed agent", "", "get connected to a licensed agent"),
    ("transfer prescription", "prescription", "transfer a prescription"),
    ("get help with new clients", "", "ask about becoming a new client"),
    ("get help with damaged or defective item", "order", "report a damaged or defective item"),
    ("ask about hours, the menu, parking, dietary stuff", "", "ask about hours, the menu, parking and dietary stuff"),
    ("reset a MFA", "", "reset an MFA"),
    ("hold at location", "shipment", "hold a shipment at a location"),
    ("look up a balance", "card", "check the balance"),
    ("take a message", "", "leave a message"),
    ("check an area outage", "", "check for an area outage"),
    ("book a new appointment", "appointment", "book a new appointment"),
])
def test_shapes_that_leaked_become_caller_goals(raw, main_object, goal):
    assert caller_goal_name(raw, main_object) == goal


def test_acronyms_the_agent_defines_are_spelled_out():
    glossary = glossary_of("Use get_pod to fetch the proof of delivery (POD) for a shipment.")
    assert caller_goal_name("look up a pod", "shipment", glossary) == "look up a proof of delivery"
    assert article_for("MFA") == "an" and article_for("VPN") == "a" and article_for("hour") == "an"


def _verb_first(name: str) -> bool:
    first = name.split()[0].lower()
    return first in getAllLemmas(first).get("VERB", ()) or first in ("look", "get", "ask")


@pytest.mark.parametrize(("root", "slug"), AGENTS, ids=[s for _, s in AGENTS])
def test_every_english_intent_name_is_a_grammatical_caller_goal(root, slug):
    model = build_agent_model(load_agent(slug, root))
    assert model.intents
    for name in (i.name for i in model.intents):
        tokens = name.split()
        assert _verb_first(name), f"{name!r}: not a verb phrase"
        assert "_" not in name and "?" not in name, name
        assert not re.match(r"(transfer|escalate|route|connect) (the call |the caller )?to\b", name), name
        assert not re.search(r"\bget help with (where|what|when|how)\b|\bask about (\w+ )?questions\b", name), name
        for index, token in enumerate(tokens[:-1]):
            following = tokens[index + 1]
            if token in ("a", "an"):
                assert token == article_for(following), f"{name!r}: '{token} {following}'"
                nouns = getAllLemmas(following).get("NOUN", ())
                assert not (nouns and following not in nouns and following.endswith("s")), f"{name!r}: a + plural"
        # an acronym object is written as said ('an MFA'), never a bare lower-case code ('add to dnc')
        assert not any(len(t) <= 4 and t.isalpha() and t.islower() and not re.search(r"[aeiouy]", t)
                       for t in tokens), name


def test_a_tool_names_initialism_is_spelled_out_from_its_own_description():
    from scenarist.generation.understanding.goals import initialisms

    assert initialisms("get_pod", "Emails the proof of delivery to the caller.") == {"pod": "proof of delivery"}
    assert initialisms("add_to_dnc", "Adds the number to the do not call list.")["dnc"] == "do not call"
    assert initialisms("book_table", "Books a table.") == {}
