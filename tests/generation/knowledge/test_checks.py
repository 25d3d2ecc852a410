"""The KB question checks: fill-in-the-blank and answer-giving questions are caught, real questions pass."""

from __future__ import annotations

import pytest

from scenarist.generation.knowledge.checks import is_cloze, question_problems, restates_answer

QUOTE = ("Patients who arrive more than 15 minutes after their scheduled time may be asked to reschedule so that "
         "other patients are not delayed.")


@pytest.mark.parametrize("question", [
    "So patients who arrive more than how many minutes after their time may be asked to reschedule?",
    "Hi, quick question. So you open at what time on Saturdays?",
    "The late fee is how much?",
])
def test_cloze_questions_are_caught(question):
    assert is_cloze(question)


@pytest.mark.parametrize("question", [
    "Hi there, how late can I be before I have to reschedule?",
    "What happens if I'm running late?",
    "Morning! One question. What's the price of a women's health visit when you pay out of pocket?",
    "When is Northgate open?",
])
def test_real_questions_pass(question):
    assert not is_cloze(question)
    assert not question_problems(question, QUOTE, figure="15 minutes")


def test_leading_questions_that_give_the_answer_are_caught():
    assert restates_answer("Do I have to reschedule if I arrive more than 15 minutes late?", QUOTE, "15 minutes")
    assert restates_answer("So patients more than 15 minutes late reschedule?", QUOTE, None)
    assert restates_answer("Patients who arrive more than minutes after their scheduled time may be asked to "
                           "reschedule so other patients are not delayed?", QUOTE, None)
    assert not restates_answer("What happens if I arrive 15 minutes late?", QUOTE, "15 minutes")


def test_column_names_and_identifiers_are_caught():
    problems = question_problems("What is the self pay price usd for a sick visit?", "Sick visit,20,135,",
                                 columns=("service", "self_pay_price_usd"))
    assert any("column names" in p for p in problems)
    assert any("identifier" in p for p in question_problems("What's the visit_length_minutes?", "x"))
