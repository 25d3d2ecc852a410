"""Intents come only from real workflows/playbooks and tool capabilities: never a heading, a step or a fragment."""

from __future__ import annotations

import re

import pytest

from scenarist.generation.agent_model import RowOutcome
from scenarist.generation.understanding import build_agent_model
from scenarist.generation.understanding.intents import caller_goal, capability
from tests.generation.understanding.builders import make_agent, make_tool

CLINIC = """# Identity
You are Ava at Lakeside Clinic. Today's date is {{today}}.

# Tools
- `find_patient` — finds a patient by phone.
- `open_slots` — open slots.
- `book_visit` — books a slot.
- `cancel_visit` — cancels a visit.

## Step 1 — Greet and get intent
Greet the caller. If the intent is unclear, ask.

## Step 2 — Find the patient
Ask for the phone number and call `find_patient`.

## Step 5 — Close
Ask if there is anything else.

# Playbooks
## Book a new appointment
1. Call `open_slots` and offer two times.
2. If there are no slots, offer the waitlist.
3. Call `book_visit`.

## Cancel
1. Confirm which visit, then call `cancel_visit`.

# Examples
Caller: Can I book for my son?
Agent: Sure, what's his phone number?
"""
TOOLS = [make_tool("find_patient", [({"phone": "+15550001111"}, {"match": True, "patient_id": "P-1"})],
                   params=["phone"]),
         make_tool("open_slots", [({"date": "2026-01-02"}, {"slots": [{"slot_id": "S-1"}]}),
                                  ({"date": "2026-01-03"}, {"slots": []})]),
         make_tool("book_visit", [({"patient_id": "P-1", "slot_id": "S-1"}, {"ok": True})]),
         make_tool("cancel_visit", [({"visit_id": "V-1"}, {"ok": False, "error_code": "CANCEL_FAILED"})])]
_FRAGMENT = re.compile(r"\b(step \d|tools|greet|close|identity|examples?|if the intent)\b", re.I)


def test_only_playbooks_become_intents_with_steps_tools_and_branches():
    model = build_agent_model(make_agent(CLINIC, TOOLS))
    assert [i.name for i in model.intents] == ["book a new appointment", "cancel an appointment"]
    assert not any(_FRAGMENT.search(i.name) for i in model.intents)
    book = model.intents[0]
    assert book.tools == ["find_patient", "open_slots", "book_visit"]  # verification first, then the flow's order
    assert book.requires_verification
    assert len(book.steps) == 3
    assert any(b.outcome == RowOutcome.EMPTY for b in book.branches)
    assert "book_visit" in book.success


def test_examples_never_yield_intents():
    example = "# Examples\n## Reschedule for my son\n1. Caller asks to move `book_visit`."
    prompt = CLINIC.replace("# Examples", example)
    model = build_agent_model(make_agent(prompt, TOOLS))
    assert all("son" not in i.name for i in model.intents)


def test_without_playbooks_the_tools_capabilities_are_the_intents():
    tools = [make_tool("verify_member", params=["member_id"]), make_tool("get_claim_status"),
             make_tool("file_claim"), make_tool("transfer_to_human")]
    model = build_agent_model(make_agent("You help members with claims. Be polite.", tools))
    assert [i.name for i in model.intents] == ["check the claim status", "file a claim"]
    assert model.notes


def test_container_items_and_bold_labels():
    prompt = ("### What you handle\n\n**Password resets:** the most common call.\n\n**VPN problems:** can't connect."
              "\n\n**Outages:** when a shared service is down.\n\n### Rules\n- Never read a password aloud.\n")
    model = build_agent_model(make_agent(prompt))
    assert [i.name for i in model.intents] == ["reset a password", "fix a VPN problem", "report an outage"]


def test_yaml_goals_are_intents_and_logging_is_not():
    prompt = ("persona:\n  name: Remy\ngoals:\n"
              "  confirm: get a clear yes for the appointment, then call confirm_visit\n"
              "  reschedule: call find_slots and move it\n  log: every call ends with log_outcome\n"
              "rules:\n  privacy: Never share details.\n")
    model = build_agent_model(make_agent(prompt, [make_tool("confirm_visit"), make_tool("log_outcome")]))
    names = [i.name for i in model.intents]
    assert names == ["confirm an appointment", "reschedule an appointment"]


def test_caller_goals_and_capabilities():
    assert caller_goal("Book a new appointment", "en") == "book a new appointment"
    assert caller_goal("Password reset", "en") == "reset a password"
    assert caller_goal("Cancel", "en", "reservation") == "cancel a reservation"
    assert caller_goal("GESTIÓN A — CONSULTAR SALDO", "es") == "consultar saldo"
    assert caller_goal("questions about hours and parking", "en") == "ask about hours and parking"
    assert caller_goal("How to book an appointment", "en") == "book an appointment"
    assert caller_goal("Handling refunds", "en", "order") == "request a refund"
    assert caller_goal("Billing", "en", "order") == "get help with billing"  # a noun, not a verb on the object
    assert capability("book_appointment") == "book an appointment"
    assert capability("hold_at_location") == "hold at location"
    assert capability("get_balance") == "look up a balance"
    assert capability("add_to_dnc") == "ask to be put on the do-not-call list"


def test_markdown_table_of_requests():
    prompt = """## What callers ask for, and what to do

| Request | Steps |
|---------|-------|
| Where is my order? | `lookup_order` → `track_package` → tell them the status. |
| Return for a refund | `lookup_order` → `create_return`. |
| Status of a return / refund | `lookup_order` → `get_return_status`. |
"""
    tools = [make_tool(n) for n in ("lookup_order", "track_package", "create_return", "get_return_status")]
    model = build_agent_model(make_agent(prompt, tools))
    assert [i.name for i in model.intents] == ["track an order", "return for a refund",
                                               "check the return or refund status"]
    assert model.intents[1].tools == ["lookup_order", "create_return"]


def test_a_numbered_procedure_is_one_flow_and_its_tools_are_the_intents():
    prompt = """0) WHO YOU ARE
0.1) You are the outage line of a small electric cooperative.
1) FIND THE ACCOUNT
1.1) Ask for the account number and call find_account.
2) CHECK FOR A KNOWN OUTAGE
2.1) Call check_outage_status.
3) REPORT THE OUTAGE
3.1) Call report_outage. Never promise a restoration time.
"""
    tools = [make_tool("find_account", params=["account_number"]), make_tool("check_outage_status"),
             make_tool("report_outage"), make_tool("subscribe_outage_texts")]
    model = build_agent_model(make_agent(prompt, tools))
    assert [i.name for i in model.intents] == ["check the outage status", "report an outage"]
    assert model.verification.fields == ["account_number"] and model.verification.tool == "find_account"
    assert any(p.text == "Never promise a restoration time." for p in model.policies)


@pytest.mark.parametrize("prompt,tools,expected", [
    ("## Role\nYou are Tony at Luigi's Pizzeria.\n\n## Workflow: Place an order\n### Steps\n1. Ask for the items.\n"
     "2. Call `create_order`.\n### Rules\n- Never take card numbers by phone.\n\n## Workflow: Check order status\n"
     "1. Ask for the order number and call `get_order`.\n\n## FAQ\n- We open at 11am.\n",
     ["create_order", "get_order"], ["place an order", "check the order status", "ask a general question"]),
    ("You are the assistant for Nimbus Gym.\n\nHandling requests:\n"
     "- If the caller wants to book a class, call book_class with the class id.\n"
     "- If the caller wants to freeze their membership, call freeze_membership.\n"
     "- If the caller asks about prices, read them from the knowledge base.\n\nRules:\n- Never discuss other members.\n",
     ["book_class", "freeze_membership"], ["book a class", "freeze a membership", "ask about prices"]),
    ("# Persona\nYou are Kim at Acme Insurance.\n\n# Scenarios\n"
     "1. Scenario: New claim — collect the date of loss; call file_claim.\n"
     "2. Scenario: Claim status — ask the claim number; call get_claim.\n3. Scenario: Angry caller — stay calm.\n",
     ["file_claim", "get_claim"], ["file a new claim", "check the claim status"]),
])
def test_other_ways_of_stating_workflows(prompt, tools, expected):
    model = build_agent_model(make_agent(prompt, [make_tool(t) for t in tools]))
    assert [i.name for i in model.intents] == expected


def test_a_combined_section_feeds_its_two_intents():
    prompt = ("**what you handle**\n- changing a reservation\n- cancelling a reservation\n\n"
              "**changing or cancelling**\n- ask for the phone number → find_reservation\n"
              "- changing: check_tables first, then modify_reservation\n- cancelling: confirm, then cancel_reservation\n")
    tools = [make_tool(n) for n in ("find_reservation", "check_tables", "modify_reservation", "cancel_reservation")]
    model = build_agent_model(make_agent(prompt, tools))
    assert [(i.name, i.tools) for i in model.intents] == [
        ("change a reservation", ["find_reservation", "check_tables", "modify_reservation"]),
        ("cancel a reservation", ["find_reservation", "cancel_reservation"])]


def test_numbered_workflow_titles_followed_by_bullets():
    prompt = ("WORKFLOWS\n\n1. Lost or stolen card\n- Freeze the card immediately with freeze_card.\n"
              "- Offer a replacement with order_card.\n\n2. Card activation\n- Activate the card with activate_card.\n"
              "- Explain that the PIN arrives by separate post.\n\nPOLICIES\n- Do not give tax advice.\n")
    tools = [make_tool(n) for n in ("freeze_card", "order_card", "activate_card")]
    model = build_agent_model(make_agent(prompt, tools))
    assert [(i.name, i.tools) for i in model.intents] == [
        ("report a lost or stolen card", ["freeze_card", "order_card"]), ("activate the card", ["activate_card"])]
