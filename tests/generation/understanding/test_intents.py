"""Intents come only from real workflows/playbooks and tool capabilities: never a heading, a step or a fragment."""

from __future__ import annotations

import re

from scenarist.generation.agent_model import RowOutcome
from scenarist.generation.understanding import build_agent_model
from scenarist.generation.understanding.intents import caller_goal, capability
from tests.generation.understanding.conftest import make_agent, make_tool

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
    prompt = CLINIC.replace("# Examples", "# Examples\n## Reschedule for my son\n1. Caller asks to move `book_visit`.")
    model = build_agent_model(make_agent(prompt, TOOLS))
    assert all("son" not in i.name for i in model.intents)


def test_without_playbooks_the_tools_capabilities_are_the_intents():
    tools = [make_tool("verify_member", params=["member_id"]), make_tool("get_claim_status"),
             make_tool("file_claim"), make_tool("transfer_to_human")]
    model = build_agent_model(make_agent("You help members with claims. Be polite.", tools))
    assert [i.name for i in model.intents] == ["look up a claim status", "file a claim"]
    assert model.notes


def test_container_items_and_bold_labels():
    prompt = ("### What you handle\n\n**Password resets:** the most common call.\n\n**VPN problems:** can't connect."
              "\n\n**Outages:** when a shared service is down.\n\n### Rules\n- Never read a password aloud.\n")
    model = build_agent_model(make_agent(prompt))
    assert [i.name for i in model.intents] == ["reset a password", "fix a VPN problem", "report an outage"]


def test_yaml_goals_are_intents_and_logging_is_not():
    prompt = ("persona:\n  name: Remy\ngoals:\n  confirm: get a clear yes for the appointment, then call confirm_visit\n"
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
    assert capability("book_appointment") == "book an appointment"
    assert capability("hold_at_location") == "hold at location"
    assert capability("get_balance") == "look up a balance"
