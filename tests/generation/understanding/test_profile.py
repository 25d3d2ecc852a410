"""Who the agent is: organisation, persona, domain (closed list), caller noun, language, today, who speaks first,
sensitive fields."""

from __future__ import annotations

from scenarist.generation.agent_model import DOMAINS
from scenarist.generation.understanding import build_agent_model
from scenarist.generation.understanding.language import detect_language
from tests.generation.understanding.builders import make_agent, make_tool

MEDICARE = ("You are Grace, an intake assistant for Silver Harbor Benefits Group. You speak with Medicare "
            "beneficiaries about Medicare Advantage plans and connect them to a licensed insurance agent. "
            "Never collect a Medicare number or SSN before consent. Coverage, premiums and enrollment periods are "
            "for the licensed agent. Today's date is 2026-11-30.")


def test_a_medicare_agent_is_insurance_not_banking():
    model = build_agent_model(make_agent(MEDICARE, [make_tool("check_zip_coverage")]))
    assert model.domain == "insurance" and model.domain in DOMAINS
    assert model.organisation == "Silver Harbor Benefits Group"
    assert model.persona_name == "Grace"
    assert model.today == "2026-11-30"
    assert model.caller_noun != "cardholder"
    ssn = next(f for f in model.sensitive_fields if f.name == "ssn")
    assert ssn.collect_allowed is False


def test_spanish_prompt_language_and_today_variable():
    prompt = ("Eres Nuria, la asistente telefónica de Movilia, operador móvil. La fecha de hoy es {{fecha_actual}}. "
              "Atiendes llamadas de clientes que quieren consultar su saldo, cambiar de plan o bloquear una línea "
              "robada. Nunca pidas el PIN de la tarjeta SIM.")
    model = build_agent_model(make_agent(prompt, language="en"))  # the prompt's own language wins
    assert model.language == "es"
    assert model.today == "{{fecha_actual}}"
    assert model.domain == "telecom"


def test_who_speaks_first():
    prompt = "You are calling pet owners the day before their vet appointment to confirm it."
    assert build_agent_model(make_agent(prompt, agent_gives_first_message=True)).speaks_first is True
    assert build_agent_model(make_agent(prompt, inbound=False)).speaks_first is True
    assert build_agent_model(make_agent("You answer the clinic's line.", agent_gives_first_message=False)
                             ).speaks_first is False


def test_language_detection_abstains_on_too_little_text():
    assert detect_language("Hola") is None
    assert detect_language("You answer the main scheduling line of a family clinic and book visits.") == "en"


def test_unknown_business_is_general():
    assert build_agent_model(make_agent("Be nice to everyone who calls.")).domain == "general"


def test_an_english_prompt_that_speaks_spanish():
    prompt = ("**Who you are**\nYou are Leo, the support assistant for QuickBite, a food-delivery service. Respond in "
              "Spanish.\n\n**Cancelling an order:**\n- Use cancel_order and tell the customer whether a refund is "
              "due.\n")
    model = build_agent_model(make_agent(prompt, [make_tool("cancel_order")], language="es"))
    assert model.language == "es"
    assert [i.name for i in model.intents] == ["cancel an order"]  # named in the prompt's own language
