"""Item checks catch what they should; the near-duplicate measure and the reports behave as documented."""

from __future__ import annotations

import pytest

from scenarist.generation.checks import caller_text_problems, check_item, coverage_report, outcome_problems
from scenarist.generation.diversity import NEAR_DUPLICATE_THRESHOLD, diversity_report, similarity
from scenarist.generation.types import ExistingScenario
from tests.generation.helpers import agent_for, offline_batch, request_for
from tests.generation.truth import truth_model

SLUG = "clinic-scheduling"


def _item_and_context(index=0, n=5):
    result = offline_batch(SLUG, n)
    scenario = result.scenarios[index]
    return scenario, dict(agent=agent_for(SLUG), model=result.plan.model, request=request_for(n),
                          slot=result.plan.slots[scenario.index])


def test_a_good_item_passes():
    scenario, ctx = _item_and_context()
    assert check_item(scenario, **ctx) == []


def test_checks_catch_each_problem():
    scenario, ctx = _item_and_context()
    phone = scenario.test_profile.testing_agent_variables["phone"]
    bad = scenario.model_copy(update={
        "name": "x" * 81,
        "instructions": f"I am calling about my visit. My phone is {phone}. {{{{test_profile.shoe_size}}}} " * 3,
        "expected_outcome_prompt": "",
    })
    errors = " | ".join(check_item(bad, **ctx, taken_names={"x" * 81}))
    for expected in ("longer than 80", "second person", "first person", "shoe_size", "restate the identity value",
                     "expected_outcome_prompt is empty"):
        assert expected in errors


@pytest.mark.parametrize("text, problem", [
    ("## Step 1 — Greet and get intent\nYou want to book a visit and you call the clinic about it today.", "headings"),
    ("You want to cancel the step 1 part of your visit and you tell them so when you call.", "headings"),
    ("You want your visit_type changed to a follow up; you tell the agent what you need.", "machine identifiers"),
    ("You want the slot on 2026-07-16T09:00 and you tell the agent that you need it.", "machine dates"),
    ("Thank you for calling Brightwater, how can I help you today? You want to book.", "agent's side"),
    ("When the agent asks if you'd like to make any changes. If yes, route to the Reschedule flow. You agree.",
     "agent's side"),
    ("You ask the agent to run lookup_patient for you because you want your file checked.", "internal tools"),
])
def test_caller_text_checks_catch_agent_side_and_machine_text(text, problem):
    errors = " | ".join(caller_text_problems(text, truth_model(SLUG)))
    assert problem in errors


def test_natural_caller_text_passes_the_caller_text_checks():
    text = ("You are phoning Brightwater Family Clinic because you want to book a new appointment. You would like "
            "Thursday July sixteenth at nine AM. When the agent asks who you are, give {{test_profile.phone}}.")
    assert caller_text_problems(text, truth_model(SLUG)) == []


def test_outcome_checks_reject_forbidden_disclosures():
    scenario, ctx = _item_and_context()
    bad = scenario.model_copy(update={"expected_outcome_prompt": "- The agent confirms the appointment id to the "
                                                                 "caller.\n- The agent calls book_appointment."})
    errors = " | ".join(outcome_problems(bad, ctx["model"]))
    assert "internal id" in errors and "internal tools" in errors


def test_duplicate_name_and_fixture_problems_are_reported():
    scenario, ctx = _item_and_context()
    errors = check_item(scenario, **ctx, taken_names={scenario.name.upper(), "other"})
    assert any("already used" in e for e in errors)
    broken = scenario.model_copy(deep=True)
    broken.test_profile.main_agent_variables.pop("current_date")
    broken.test_profile.testing_agent_variables["phone"] = "+16175550000"
    errors = " | ".join(check_item(broken, **ctx))
    assert "one value per dynamic variable" in errors and "not taken from a success row" in errors


def test_not_found_with_a_known_identity_is_rejected():
    result = offline_batch(SLUG, 20)
    scenario = next(s for s in result.scenarios if s.category == "not_found")
    known = scenario.model_copy(deep=True)
    known.test_profile.testing_agent_variables["phone"] = "+16175550142"
    errors = check_item(known, agent=agent_for(SLUG), model=result.plan.model, request=request_for(20),
                        slot=result.plan.slots[scenario.index])
    assert any("mocks know" in e for e in errors)


def test_similarity_measure_and_threshold():
    text = "You are calling to book a cleaning. Give your name when asked and accept the second slot offered."
    assert similarity(text, text) > 0.999
    assert similarity(text, text.replace("second", "first")) > 0.6
    assert similarity(text, "You want to dispute a charge from an airline and ask about the refund timeline.") < 0.1
    assert NEAR_DUPLICATE_THRESHOLD == 0.85


def test_diversity_report_counts_near_duplicates_within_batch_and_against_existing():
    scenarios = offline_batch(SLUG, 5).scenarios
    twin = scenarios[0].model_copy(update={"index": 5, "name": "twin"})
    report = diversity_report(list(scenarios) + [twin],
                              [ExistingScenario(name="old", instructions=scenarios[1].instructions)])
    assert report["near_duplicates"] == 1 and report["near_duplicates_of_existing"] == 1
    assert report["max_pairwise_similarity"] > 0.99 and report["pairs_compared"] == 15


def test_coverage_report_names_families_and_gaps():
    result = offline_batch(SLUG, 1)
    report = coverage_report(result.plan, result.scenarios)
    model = result.plan.model
    assert report["intents"]["total"] == len(model.intents) and report["intents"]["covered"] == 1
    assert report["policies"]["covered"] == 0 and len(report["policies"]["gaps"]) == len(model.policies)
    assert report["failure_modes"]["total"] == len(model.failure_modes)
    item = report["intents"]["items"][0]
    assert set(item) == {"id", "name", "covered", "scenarios"} and item["scenarios"] == [0]
    assert report["categories"] == {"happy_path": 1}
    full = offline_batch(SLUG, 40)
    wide = coverage_report(full.plan, full.scenarios)
    assert wide["policies"]["covered"] == len(model.probe_policies())
    assert wide["failure_modes"]["covered"] == len(model.failure_modes) and not wide["failure_modes"]["gaps"]


def test_an_outcome_must_say_what_the_agent_does():
    """Seen on a real 1.5B model: 'the system returns failure with reason MISMATCH' as the expected outcome."""
    item = offline_batch("card-services", 3).scenarios[0]
    model = truth_model("card-services")
    tool_output = item.model_copy(update={"expected_outcome_prompt": "the system returns failure with the reason "
                                                                     "MISMATCH and 2 attempts remaining."})
    assert any("what the agent does" in p for p in outcome_problems(tool_output, model))
    assert not any("what the agent does" in p for p in outcome_problems(item, model))


def test_thin_instructions_are_told_apart_from_third_person_ones():
    from scenarist.generation.checks import instruction_problems

    thin = instruction_problems("You are calling Brightwater Family Clinic scheduling line. You want to book a new "
                                "appointment for a check-up.")
    assert any("too thin" in p for p in thin) and not any("second person" in p for p in thin)
    third = instruction_problems("The caller phones the clinic to book a check-up and gives the phone number when "
                                 "the agent asks for it, then confirms the slot offered.")
    assert any("second person" in p for p in third)


def test_an_item_that_drifts_from_its_goal_is_caught():
    """Seen on a real 1.5B model: a bank's 'report a lost card' slot came back as booking an appointment."""
    from scenarist.generation.checks import goal_problems

    drifted = ("You are calling Keystone Valley Bank about a new appointment. You want to book an appointment at 9 AM "
               "on Thursday. Please provide the last four digits of your card when asked.")
    assert goal_problems(drifted, ["report a lost or stolen card", "report lost card"])
    on_goal = ("You are calling Keystone Valley Bank because your card was stolen last night and you want to report "
               "it. When asked, give the last four digits of your card.")
    assert goal_problems(on_goal, ["report a lost or stolen card"]) == []
    assert goal_problems("You want to move your check-up to next week.", ["reschedule", "reschedule an appointment"])
    assert goal_problems("You want to reschedule your check-up to next week.", ["reschedule"]) == []
