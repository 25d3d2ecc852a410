"""Verification: the fields the agent really asks (canonical names, in order), its tool; negations do not count."""

from __future__ import annotations

from scenarist.generation.understanding import build_agent_model
from tests.generation.understanding.builders import make_agent, make_tool


def test_fields_in_the_order_asked_with_the_tool():
    prompt = ("Before you change anything, verify the caller. Ask for the last four digits of the card, then the ZIP "
              "code of the billing address, then their date of birth, and call verify_cardholder.")
    tool = make_tool("verify_cardholder", params=["card_last4", "zip", "dob"])
    verification = build_agent_model(make_agent(prompt, [tool])).verification
    assert verification.fields == ["card_last4", "zip_code", "date_of_birth"]
    assert verification.tool == "verify_cardholder"
    assert "last four digits" in verification.text


def test_negated_and_quoted_mentions_do_not_count():
    prompt = """## Find the patient
Ask for the phone number on file and call `lookup_patient`. Do not ask for a date of birth or an address; the
phone number is the only identifier. If there is a match, greet the patient by first name.
If it fails, say: "I can't verify your email over the phone."
"""
    tool = make_tool("lookup_patient", params=["phone"])
    assert build_agent_model(make_agent(prompt, [tool])).verification.fields == ["phone"]


def test_spanish_verification():
    prompt = ("VERIFICACIÓN DEL TITULAR\n1. Pida el número de la línea.\n2. Pida las cuatro últimas cifras del DNI."
              "\n3. Llame a verificar_titular.\nNo pida nunca el PIN ni la fecha de nacimiento.\n")
    tool = make_tool("verificar_titular", params=["numero_linea", "dni_ultimas4"])
    verification = build_agent_model(make_agent(prompt, [tool], language="es")).verification
    assert verification.fields == ["phone", "national_id_last4"]
    assert verification.tool == "verificar_titular"


def test_tool_inputs_when_the_prompt_names_no_field():
    tool = make_tool("verify_employee", params=["employee_id", "manager_name"])
    verification = build_agent_model(make_agent("Call verify_employee before any reset.", [tool])).verification
    assert verification.fields == ["employee_id", "manager_name"]


def test_no_verification_when_nobody_is_identified():
    verification = build_agent_model(make_agent("You answer questions about opening hours.")).verification
    assert verification.fields == [] and verification.tool is None
