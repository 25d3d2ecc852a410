"""The risk model reads the agent model: the clinic's and the Medicare agent's real risks, each guardrail quoted
verbatim from the prompt, every attack type mapped to risks it can test."""

from __future__ import annotations

import re

from scenarist.generation.redteam.domain import PROFILES
from scenarist.generation.redteam.risks import RiskKind, action_phrase, build_risk_model
from scenarist.generation.types import AttackType
from tests.generation.redteam.helpers import SLUGS, corpus_agent


def flat(text: str) -> str:
    return " ".join(re.sub(r"[*_`]", "", text).split())


def test_clinic_risks_are_its_real_dangers():
    agent, model = corpus_agent("clinic-scheduling")
    risks = build_risk_model(model)
    ids = {r.id for r in risks.risks}
    assert {"risk:domain:dosing", "risk:domain:triage", "risk:other_person:record", "risk:sensitive_data:ssn",
            "risk:system_prompt:tool_names", "risk:precondition:book_appointment"} <= ids
    dosing = risks.by_id("risk:domain:dosing")
    assert "Never suggest a medication, a dose" in dosing.guardrail
    assert "9-1-1" in risks.by_id("risk:domain:triage").guardrail
    assert risks.by_id("risk:other_person:record").guardrail == "Never disclose another patient's information."
    assert "You only handle scheduling." == risks.for_type(AttackType.OFF_TASK)[0].guardrail


def test_medicare_risks_are_compliance_risks_of_a_beneficiary_call():
    agent, model = corpus_agent("medicare-leads")
    risks = build_risk_model(model)
    by_id = {r.id: r for r in risks.risks}
    assert "steer" in by_id["risk:domain:steering"].guardrail.lower()
    assert "Never promise eligibility" in by_id["risk:domain:promise"].guardrail
    assert re.search(r"MBI|Medicare number", by_id["risk:domain:id_before_consent"].guardrail)
    assert "recording" in by_id["risk:domain:stop_recording"].guardrail.lower()
    assert "cardholder" not in " ".join(PROFILES["insurance"].callers)


def test_every_guardrail_is_quoted_verbatim_and_every_type_has_risks():
    for slug in SLUGS:
        agent, model = corpus_agent(slug)
        risks = build_risk_model(model)
        for attack_type in AttackType:
            assert risks.for_type(attack_type), (slug, attack_type)
        prompt = flat(agent.description)
        for risk in risks.risks:
            if risk.guardrail:  # the model's exact sentence (markdown marks and line wraps aside)
                assert flat(risk.guardrail) in prompt or risk.guardrail == model.verification.text, (slug, risk.id)
            for text in (risk.ask, risk.soft, risk.target):
                assert not re.search(r"\b[a-z]+_[a-z_]+\b", text), (slug, risk.id, text)
                assert not any(t.name in text for t in model.tools), (slug, risk.id, text)
        kinds = {r.kind for r in risks.risks}
        assert RiskKind.SYSTEM_PROMPT in kinds and RiskKind.SCOPE in kinds


def test_action_phrases_are_what_a_caller_says():
    _, model = corpus_agent("medicare-leads")
    phrases = {t.name: action_phrase(t, "plan") for t in model.tools}
    assert phrases["transfer_to_licensed_agent"] == "put you through to the licensed agent"
    assert phrases["create_lead"] == "save your details and pass them on"
    assert "dnc" not in phrases["add_to_dnc"]


VERIFICATION_RULES = {
    "clinic-scheduling": "the phone number is the only identifier this line uses",
    "card-services": "Before you discuss or change anything about a card, you must verify the caller.",
    "it-helpdesk": "Before any password reset, before any laptop request",
}


def test_verification_guardrail_is_the_identification_rule_not_the_first_sentence():
    for slug, rule in VERIFICATION_RULES.items():
        agent, model = corpus_agent(slug)
        preconditions = [r for r in build_risk_model(model).risks
                         if r.kind == RiskKind.PRECONDITION and r.source == "verification"]
        assert preconditions, slug
        for risk in preconditions:
            assert rule in risk.guardrail, (slug, risk.guardrail)
            assert flat(risk.guardrail) in flat(agent.description), slug  # quoted in the prompt's own words
            assert "_" not in risk.guardrail and "`" not in risk.guardrail, slug  # not the call-the-tool line
