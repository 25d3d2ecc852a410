"""Grounding a draft in the corpus agents' own rules, tools, workflows and verification."""

from __future__ import annotations

from functools import lru_cache

from scenarist.generation.metric_cleaning.grounding import ground, label_intent, quote
from scenarist.generation.understanding import build_agent_model

from .golden import CORPUS, _agent


@lru_cache(maxsize=None)
def model(folder: str):
    """The offline agent model of a corpus agent."""
    return build_agent_model(_agent(folder))


def test_emergency_draft_grounds_in_the_emergency_rule_and_its_prohibition():
    grounding = ground("emergency: chest pain or bleeding, tell caller to hang up and dial 911 right away",
                       model("clinic-scheduling"))
    texts = [p.text for p in grounding.policies]
    assert any("dial 9-1-1" in t for t in texts)
    assert any(t.startswith("Do not try to book an urgent slot") for t in texts)


def test_identification_grounds_in_verification_not_in_a_persona_section():
    grounding = ground("identify the caller by phone only", model("clinic-scheduling"))
    assert grounding.verification is not None and grounding.verification.fields == ["phone"]
    card = ground("verify the cardholder before any change", model("card-services"))
    assert card.verification.fields == ["card_last4", "zip_code", "date_of_birth"]


def test_booking_matches_the_booking_tool_and_incidental_words_match_no_rule():
    grounding = ground("booking questions are answered quickly", model("clinic-scheduling"))
    assert "book_appointment" in [t.name for t in grounding.tools]
    assert ground("count number of times agent asks for phone", model("clinic-scheduling")).policies == []


def test_labels_map_to_one_workflow_each():
    clinic = model("clinic-scheduling")
    assert label_intent("book", clinic).name == "book a new appointment"
    assert label_intent("sent to 911", clinic) is None


def test_quotes_never_carry_template_variables():
    policy = next(p for p in model("clinic-scheduling").policies if "{{" in p.text)
    assert "{{" not in quote(policy) and "[caller_phone]" in quote(policy)
    assert CORPUS.is_dir()
