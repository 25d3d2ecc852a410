"""Prompt sections by role across prompt styles: markdown, XML tags, YAML keys, ALL-CAPS labels, bold labels,
paragraph lead phrases, Spanish."""

from __future__ import annotations

from scenarist.generation.agent_model import SectionRole
from scenarist.generation.understanding.sections import parse_prompt, title_role


def roles(prompt: str, tools=()) -> dict[str, SectionRole]:
    return {b.title: b.role for b in parse_prompt(prompt, tools).blocks if b.title}


def test_markdown_headings_steps_and_playbooks():
    prompt = """# Identity
You are Sam, the booking assistant for Pine Dental.

# Guardrails
- Never give medical advice.

## Step 1 — Greet
Say hello.

# Playbooks
## Book a cleaning
1. Call `find_slots`.
2. Call `book_slot`.

# Error handling
If a tool fails, apologise.

# Examples
Caller: I want to book.
"""
    found = roles(prompt, ["find_slots", "book_slot"])
    assert found["Identity"] == SectionRole.IDENTITY
    assert found["Guardrails"] == SectionRole.GUARDRAILS
    assert found["Step 1 — Greet"] == SectionRole.FLOW
    assert found["Playbooks"] == SectionRole.PLAYBOOK
    assert found["Book a cleaning"] == SectionRole.PLAYBOOK  # a playbook's child
    assert found["Error handling"] == SectionRole.ERROR_HANDLING
    assert found["Examples"] == SectionRole.EXAMPLES


def test_xml_tagged_prompt_with_named_workflows():
    prompt = """<role>
You are the refill line of Oak Pharmacy.
</role>
<workflow name="refill">
1. Ask for the prescription number.
2. Call submit_refill.
</workflow>
<rules>
<rule>Never give dosing advice.</rule>
</rules>
<examples>
<example>
Caller: refill please
</example>
</examples>
"""
    parsed = parse_prompt(prompt, ["submit_refill"])
    by_title = {b.title: b for b in parsed.blocks}
    assert by_title["role"].role == SectionRole.IDENTITY
    assert by_title["workflow: refill"].role == SectionRole.PLAYBOOK
    assert by_title["rules"].role == SectionRole.GUARDRAILS
    assert by_title["example"].role == SectionRole.EXAMPLES
    assert by_title["example"].parent == by_title["examples"].index
    assert "Never give dosing advice" in parsed.body(by_title["rules"])


def test_yaml_like_prompt():
    prompt = """persona:
  name: Remy
goals:
  confirm: get a yes, then call confirm_visit
  cancel: call cancel_visit
rules:
  privacy: Never share details with anyone else.
tool_errors:
  fails: If confirm_visit fails, apologise.
"""
    found = roles(prompt)
    assert found["persona"] == SectionRole.IDENTITY
    assert found["goals"] == SectionRole.PLAYBOOK
    assert found["rules"] == SectionRole.GUARDRAILS
    assert found["tool errors"] == SectionRole.ERROR_HANDLING


def test_caps_labels_bold_labels_and_spanish_titles():
    prompt = """ERES ANA, LA ASISTENTE DE TELCO

VERIFICACIÓN DEL TITULAR
Pida el número de línea.

GESTIÓN A — CONSULTAR SALDO
Llame a consultar_saldo.

PRIVACIDAD
Nunca dé datos de otra línea.

**how you sound**
- short and warm
"""
    found = roles(prompt, ["consultar_saldo"])
    assert found["VERIFICACIÓN DEL TITULAR"] == SectionRole.VERIFICATION
    assert found["GESTIÓN A — CONSULTAR SALDO"] == SectionRole.PLAYBOOK
    assert found["PRIVACIDAD"] == SectionRole.GUARDRAILS
    assert found["how you sound"] == SectionRole.STYLE


def test_plain_paragraphs_with_lead_phrases():
    prompt = ("You are the receptionist of a small law firm.\n\n"
              "Where and when. We are open 9 to 5 on weekdays.\n\n"
              "Taking a message. Get the caller's name and number.\n\n"
              "Never give legal advice, even if asked twice.\n")
    parsed = parse_prompt(prompt)
    titles = [b.title for b in parsed.blocks]
    assert titles == ["", "Where and when", "Taking a message", ""]
    assert [b.role for b in parsed.blocks] == [SectionRole.IDENTITY, SectionRole.KNOWLEDGE, SectionRole.PLAYBOOK,
                                               SectionRole.GUARDRAILS]


def test_offsets_cover_the_section_text():
    prompt = "# Rules\nNever lie.\n\n# Tools\n- `a_tool` does a thing.\n"
    parsed = parse_prompt(prompt)
    rules = parsed.blocks[0]
    assert prompt[rules.start:rules.end].startswith("# Rules") and "Never lie." in prompt[rules.start:rules.end]
    sections = parsed.sections()
    assert [s.id for s in sections] == ["section:0", "section:1"]


def test_title_roles_prefer_the_specific_meaning():
    assert title_role("Identity verification") == SectionRole.VERIFICATION
    assert title_role("MFA (authenticator) resets") is None
    assert title_role("When tools fail") == SectionRole.ERROR_HANDLING
    assert title_role("Sample conversations") == SectionRole.EXAMPLES
