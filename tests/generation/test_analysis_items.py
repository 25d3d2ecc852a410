"""Intents read from list items: wrapped lines, short titles, verification steps, organisation names."""

from scenarist.generation.analysis import _item_title_and_steps, analyse_offline
from scenarist.generation.prompt_sections import parse_sections
from scenarist.generation.types import AgentSpec, ToolSpec
from scenarist.generation.values import organisation_name

PROMPT = """# Role
You are Maya, the receptionist of {{clinic_name}}.

# What you can do
1. Identify the patient: ask for their full name and date of birth, then call `lookup_patient` (you may also pass
   the caller's phone number). Never share record details before both match.
2. Book appointments with `book_appointment` (cleaning, check-up, filling). Offer the two earliest
   slots; confirm the date back to the caller.
3. Cancel appointments with `cancel_appointment`. Late cancellations carry a $50 fee.
"""


def test_wrapped_list_items_keep_their_continuation_lines():
    _, roots = parse_sections(PROMPT)
    container = [s for s in roots if s.title == "What you can do"][0]
    assert container.items[0].endswith("Never share record details before both match.")
    assert "the caller's phone number" in container.items[0]
    assert len(container.items) == 3


def test_item_titles_are_the_head_of_the_item():
    assert _item_title_and_steps("Identify the patient: ask for their name, then call `lookup_patient`.")[0] == \
        "Identify the patient"
    title, steps = _item_title_and_steps("Book appointments with `book_appointment` (cleaning, filling). Offer two slots.")
    assert title == "Book appointments" and steps == ["Offer two slots."]


def test_verification_items_are_not_caller_goals_but_their_tools_lead_every_intent():
    tools = [ToolSpec(name=n) for n in ("lookup_patient", "book_appointment", "cancel_appointment")]
    analysis = analyse_offline(AgentSpec(name="Bright Smile Dental — front desk", description=PROMPT, tools=tools))
    assert [i.name for i in analysis.intents] == ["Book appointments", "Cancel appointments"]
    assert all(i.tools[0] == "lookup_patient" for i in analysis.intents)


def test_organisation_name_drops_a_role_after_a_separator():
    assert organisation_name("Bright Smile Dental — front desk") == "Bright Smile Dental"
    assert organisation_name("Acme Air | support line") == "Acme Air"
