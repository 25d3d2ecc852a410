"""Reading drafts: labels, numbers, wording, sentence roles, agent vocabulary."""

from __future__ import annotations

import pytest

from scenarist.generation.metric_cleaning import draft


@pytest.mark.parametrize(
    "text, labels",
    [
        ("Classify the call as resolved, escalated or abandoned.", ["resolved", "escalated", "abandoned"]),
        ("Label it with one of: 'billing', 'technical', 'cancellation'.", ["billing", "technical", "cancellation"]),
        ("Categories:\n- happy: caller satisfied\n- angry: caller upset", ["happy", "angry"]),
        ("Possible values are yes / no / partly.", ["yes", "no", "partly"]),
        ("The agent is polite and helpful.", []),
        ("what did caller want: book / resched / cancel / lookup", ["book", "resched", "cancel", "lookup"]),
        ("outcome: booked | waitlisted | sent to events", ["booked", "waitlisted", "sent to events"]),
    ],
)
def test_enum_labels(text, labels):
    assert draft.enum_labels_in(text) == labels


def test_numbers_direction_and_unit():
    assert draft.direction_in("Count interruptions.")[0] == "lower"
    assert draft.direction_in("Count how many upsells succeed.")[0] == "higher"
    assert draft.direction_in("Count greetings. Higher is better.") == ("higher", "stated in the draft")
    assert draft.unit_in("Measure the latency in seconds.") == "seconds"
    assert draft.unit_in("Count greetings.") is None
    assert draft.counted_quantity("How many times does the agent repeat itself?") == "times the Main Agent repeats itself"
    assert draft.rating_scale_in("Use a 1-10 scale") == (1, 10)


def test_wording_is_standardised_outside_variables_only():
    text, changes = draft.standardise_wording("The bot greets the customer by {{the agent}} name.")
    assert text == "The Main Agent greets the Testing Agent by {{the agent}} name."
    assert "'the bot' → 'the Main Agent'" in changes


def test_sentence_roles():
    reading = draft.read_draft(
        "- Check that the agent confirms the order.\n- Fail if it shares the courier's number.\n"
        "- N/A if the caller has no order.\n- Don't penalise short answers.\n- Use a 1-5 scale."
    )
    assert reading.criteria == ["The Main Agent confirms the order."]
    assert reading.failure_rules == ["The Main Agent shares the courier's number."]
    assert reading.na_rules == ["The Testing Agent has no order."]
    assert reading.do_not_flag == ["Don't penalise short answers."]
    assert reading.scoring_notes == ["Use a 1-5 scale."]


def test_shorthand_directions_and_sentences():
    assert draft.direction_in("how many turns until booked? fewer = better") == ("lower", "stated in the draft")
    assert draft.direction_in("count attempts; more than 3 = bad")[0] == "lower"
    assert draft.direction_in("count times agent pushes upsells unprompted")[0] == "lower"
    reading = draft.read_draft("one at a time. never say which one failed")
    assert reading.criteria == ["One at a time.", "Never say which one failed."]
