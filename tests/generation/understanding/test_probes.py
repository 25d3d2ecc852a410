"""Policy precision: `probe` marks rules a caller's words can trigger with an observable response, and
`probe_policies()` lists them in a fixed priority order a planner can cut."""

from __future__ import annotations

from scenarist.generation.agent_model import PROBE_PRIORITY, PolicyKind, SectionRole
from scenarist.generation.understanding import build_agent_model
from scenarist.generation.understanding.policies import clauses
from tests.generation.understanding.builders import make_agent, make_tool
from tests.generation.understanding.expected import HELDOUT, load_agent

PROMPT = """# Style
- Never use emoji or markdown.
- Always speak in short sentences.

# Rules
- Never give medical advice.
- If the caller describes chest pain, tell them to hang up and dial 9-1-1.
- Never read another patient's details aloud.
- If the caller asks for a manager, transfer them with transfer_call.
- You only handle scheduling.
- Log every call in the CRM.
"""


def _probes(prompt: str, tools=()) -> list[str]:
    return [p.text for p in build_agent_model(make_agent(prompt, tools)).probe_policies()]


def test_style_and_internal_rules_are_kept_but_not_probed():
    model = build_agent_model(make_agent(PROMPT))
    texts = {p.text: p for p in model.policies}
    assert not texts["Never use emoji or markdown."].probe
    assert not texts["Log every call in the CRM."].probe
    assert texts["Never give medical advice."].probe
    assert texts["You only handle scheduling."].probe


def test_probe_policies_come_in_priority_order():
    model = build_agent_model(make_agent(PROMPT))
    kinds = [p.kind for p in model.probe_policies()]
    assert kinds[0] == PolicyKind.EMERGENCY
    assert [PROBE_PRIORITY.index(k) for k in kinds] == sorted(PROBE_PRIORITY.index(k) for k in kinds)
    assert model.probe_policies() == build_agent_model(make_agent(PROMPT)).probe_policies()  # deterministic


def test_a_long_compliance_prompt_probes_far_fewer_rules_than_it_states():
    model = build_agent_model(load_agent("medicare-leads"))
    probes = model.probe_policies()
    assert len(model.policies) >= 150 and len(probes) <= 0.65 * len(model.policies)
    assert probes[0].kind == PolicyKind.EMERGENCY
    style = {s.id for s in model.sections if s.role == SectionRole.STYLE}
    assert not any(p.section_id in style and p.kind != PolicyKind.PRIVACY for p in probes)


def test_rules_in_tool_descriptions_are_policies():
    model = build_agent_model(load_agent("hotel-tool-rules", HELDOUT))
    card = next(p for p in model.policies if p.text.startswith("Never take a card number over the phone"))
    assert card.section_id is None and card.probe and card.kind == PolicyKind.PRIVACY


def test_tool_description_without_a_rule_adds_nothing():
    tool = make_tool("get_hours", description="Opening hours of a branch.")
    assert build_agent_model(make_agent("You are the front desk.", [tool])).policies == []


def test_a_run_on_paragraph_is_cut_into_verbatim_clauses():
    sentence = ("You answer the phone for a pest company and people call to book visits, and if someone says they "
                "were stung and cannot breathe tell them to hang up and call 911 right away, never tell anyone a "
                "product is safe for pets, only say the technician will go over the safety sheet, and if any tool "
                "throws an error apologise and offer a callback within the hour from the office staff.")
    pieces = clauses(sentence)
    assert len(pieces) >= 4 and all(piece in sentence for piece in pieces)
    assert any(p.startswith("if someone says they were stung") for p in pieces)
    assert clauses("Never give medical advice.") == ["Never give medical advice."]
