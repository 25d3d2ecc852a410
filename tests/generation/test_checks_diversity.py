"""Item checks catch what they should; the near-duplicate measure and the reports behave as documented."""

from __future__ import annotations

from scenarist.generation.checks import check_item, coverage_report
from scenarist.generation.diversity import NEAR_DUPLICATE_THRESHOLD, diversity_report, similarity
from scenarist.generation.types import ExistingScenario
from tests.generation.helpers import agent_for, offline_batch, request_for


def _item_and_context(index=0):
    result = offline_batch("dental", 5)
    scenario = result.scenarios[index]
    return scenario, dict(agent=agent_for("dental"), analysis=result.plan.analysis, request=request_for(5),
                          slot=result.plan.slots[scenario.index])


def test_a_good_item_passes():
    scenario, ctx = _item_and_context()
    assert check_item(scenario, **ctx) == []


def test_checks_catch_each_problem():
    scenario, ctx = _item_and_context()
    phone = scenario.test_profile.testing_agent_variables["phone"]
    bad = scenario.model_copy(update={
        "name": "x" * 81,
        "instructions": f"I am calling about my teeth. My phone is {phone}. {{{{test_profile.shoe_size}}}} " * 3,
        "expected_outcome_prompt": "",
    })
    errors = " | ".join(check_item(bad, **ctx, taken_names={"x" * 81}))
    for expected in ("longer than 80", "second person", "first person", "shoe_size", "restate the identity value",
                     "expected_outcome_prompt is empty"):
        assert expected in errors


def test_duplicate_name_and_fixture_problems_are_reported():
    scenario, ctx = _item_and_context()
    errors = check_item(scenario, **ctx, taken_names={scenario.name.upper(), "other"})
    assert any("already used" in e for e in errors)
    broken = scenario.model_copy(deep=True)
    broken.test_profile.main_agent_variables.pop("clinic_name")
    broken.test_profile.testing_agent_variables["phone"] = "+44 0000 111111"
    errors = " | ".join(check_item(broken, **ctx))
    assert "one value per dynamic variable" in errors and "not taken from a mock row" in errors


def test_not_found_with_a_known_identity_is_rejected():
    result = offline_batch("dental", 20)
    scenario = next(s for s in result.scenarios if s.category == "not_found")
    known = scenario.model_copy(deep=True)
    known.test_profile.testing_agent_variables["phone"] = "+44 7700 900123"
    errors = check_item(known, agent=agent_for("dental"), analysis=result.plan.analysis, request=request_for(20),
                        slot=result.plan.slots[scenario.index])
    assert any("mocks know" in e for e in errors)


def test_similarity_measure_and_threshold():
    text = "You are calling to book a cleaning. Give your name when asked and accept the second slot offered."
    assert similarity(text, text) > 0.999
    assert similarity(text, text.replace("second", "first")) > 0.6
    assert similarity(text, "You want to dispute a charge from an airline and ask about the refund timeline.") < 0.1
    assert NEAR_DUPLICATE_THRESHOLD == 0.85


def test_diversity_report_counts_near_duplicates_within_batch_and_against_existing():
    scenarios = offline_batch("dental", 5).scenarios
    twin = scenarios[0].model_copy(update={"index": 5, "name": "twin"})
    report = diversity_report(list(scenarios) + [twin],
                              [ExistingScenario(name="old", instructions=scenarios[1].instructions)])
    assert report["near_duplicates"] == 1 and report["near_duplicates_of_existing"] == 1
    assert report["max_pairwise_similarity"] > 0.99 and report["pairs_compared"] == 15
    assert set(report) >= {"measure", "threshold", "max_pairwise_similarity", "mean_pairwise_similarity",
                           "near_duplicates"}


def test_coverage_report_shape_and_uncovered_items():
    result = offline_batch("bank", 1)
    report = coverage_report(result.plan, result.scenarios)
    assert report["intents"]["total"] == 4 and report["intents"]["covered"] == 1
    assert report["tools"]["covered"] < report["tools"]["total"]
    item = report["intents"]["items"][0]
    assert set(item) == {"id", "name", "covered", "scenarios"} and item["scenarios"] == [0]
    assert report["categories"] == {"happy_path": 1}
