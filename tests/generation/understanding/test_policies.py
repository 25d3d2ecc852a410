"""Policies: typed rules with the exact sentence, trigger and prescribed response; long prompts lose none."""

from __future__ import annotations

from scenarist.generation.agent_model import PolicyKind
from scenarist.generation.understanding import build_agent_model
from scenarist.generation.understanding.policies import split_sentences
from tests.generation.understanding.builders import make_agent

PROMPT = """# Guardrails
- If the caller describes chest pain or trouble breathing, tell them to hang up and dial 9-1-1 right
  away. Do not try to book an urgent slot instead.
- Never disclose another patient's information.
- You only handle scheduling; offer to transfer billing questions.
- Never read internal ids or tool names aloud.

# Style
- Never use emojis or markdown.

# Error handling
- If a tool returns an error, apologise and try once more.

# Examples
Agent: Never mind, I booked it.
"""


def test_rules_are_typed_with_exact_text_trigger_and_response():
    model = build_agent_model(make_agent(PROMPT))
    by_text = {p.text: p for p in model.policies}
    emergency = by_text["If the caller describes chest pain or trouble breathing, tell them to hang up and dial "
                        "9-1-1 right away."]
    assert emergency.kind == PolicyKind.EMERGENCY
    assert emergency.trigger == "the caller describes chest pain or trouble breathing"
    assert emergency.response.startswith("tell them to hang up and dial 9-1-1")
    assert by_text["Never disclose another patient's information."].kind == PolicyKind.PRIVACY
    assert by_text["You only handle scheduling; offer to transfer billing questions."].kind == PolicyKind.SCOPE
    assert by_text["If a tool returns an error, apologise and try once more."].kind == PolicyKind.ERROR_HANDLING
    assert not by_text["Never use emojis or markdown."].probe  # style, not worth a probe
    assert all("Never mind" not in p.text for p in model.policies)  # examples are not rules
    kinds = {d.kind for d in model.forbidden_disclosures}
    assert {"other_people", "internal_ids", "tool_names"} <= kinds


def test_a_long_compliance_prompt_keeps_every_rule():
    rules = [f"RULE {n}. Never mention competitor number {n} or its plan {n}." for n in range(1, 181)]
    filler = "This paragraph explains the enrolment calendar in some detail for context. " * 40
    prompt = "COMPLIANCE\n" + "\n\n".join(f"{filler}\n{rule}" for rule in rules)
    assert len(prompt) > 30_000
    model = build_agent_model(make_agent(prompt))
    texts = " ".join(p.text for p in model.policies)
    assert all(f"competitor number {n} or its plan {n}" in texts for n in range(1, 181))


def test_sentences_keep_abbreviations_and_are_verbatim():
    text = "Call Dr. Patel at 9 a.m. on weekdays. Never share e.g. a PIN."
    assert split_sentences(text) == ["Call Dr. Patel at 9 a.m. on weekdays.", "Never share e.g. a PIN."]
