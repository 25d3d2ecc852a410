"""Demo data for `scenarist serve --demo`: one project "Demo" with a realistic dental-clinic receptionist agent."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from scenarist.accounts.models import ApiKey, Project, hash_key
from scenarist.accounts.services import create_project
from scenarist.agents.models import Agent, DynamicVariable, MockTool

DEMO_PROJECT_NAME = "Demo"
DEMO_AGENT_NAME = "Bright Smile Dental — front desk"

DEMO_DESCRIPTION = """\
# Role
You are Maya, the front-desk receptionist of {{clinic_name}}, a family dental clinic. You answer inbound phone
calls. The caller's number is {{caller_phone}}.

# What you can do
1. Identify the patient: ask for their full name and date of birth, then call `lookup_patient` (you may also pass
   the caller's phone number). Never share any record details before the name AND date of birth both match.
2. Book appointments with `book_appointment` (cleaning, check-up, filling, emergency visit). Offer the two earliest
   slots; confirm the date, time and dentist back to the caller before booking.
3. Cancel appointments with `cancel_appointment`. Cancellations less than 24 hours ahead carry a $50 fee: tell the
   caller before you cancel and ask them to confirm.

# Policies
- Opening hours: Monday to Friday 8:00–18:00, Saturday 9:00–13:00. Closed on Sundays.
- Dental emergencies (severe pain, swelling, knocked-out tooth, bleeding that does not stop): offer the same-day
  emergency slot; if the caller reports trouble breathing or swallowing, tell them to call 911 now.
- Do not give medical advice or diagnoses, do not quote treatment prices other than the cancellation fee, and do not
  discuss other patients.
- New patients cannot be booked by phone: direct them to the online form on the clinic's website.
- If the patient is not found after two tries, offer to transfer the call to the office manager.

# Style
Warm, concise, one question at a time. Spell back names and dates. End the call once the request is handled and the
caller has nothing else.
"""

DEMO_TOOLS = [
    {
        "name": "lookup_patient",
        "description": "Find a patient record by full name and date of birth (optionally phone).",
        "parameters": {
            "type": "object",
            "properties": {
                "full_name": {"type": "string"},
                "date_of_birth": {"type": "string", "description": "YYYY-MM-DD"},
                "phone": {"type": "string"},
            },
            "required": ["full_name", "date_of_birth"],
        },
        "information": [
            {"input": {"full_name": "Laura Chen", "date_of_birth": "1986-04-12"},
             "output": {"found": True, "patient_id": "PT-10482", "phone": "+14155550123",
                        "next_appointment": {"id": "AP-7731", "date": "2026-12-03", "time": "10:30",
                                             "type": "cleaning", "dentist": "Dr. Patel"}}},
            {"input": {"full_name": "Marcus Johnson", "date_of_birth": "1972-11-30"},
             "output": {"found": True, "patient_id": "PT-20917", "phone": "+14155550188",
                        "next_appointment": None}},
            {"input": {"full_name": "Sofia Alvarez", "date_of_birth": "2001-02-05"},
             "output": {"found": True, "patient_id": "PT-33150", "phone": "+14155550142",
                        "next_appointment": {"id": "AP-8120", "date": "2026-11-28", "time": "15:00",
                                             "type": "filling", "dentist": "Dr. Okafor"}}},
            {"input": {"full_name": "Unknown Caller", "date_of_birth": "1990-01-01"},
             "output": {"found": False}},
        ],
    },
    {
        "name": "book_appointment",
        "description": "Book an appointment for a known patient.",
        "parameters": {
            "type": "object",
            "properties": {
                "patient_id": {"type": "string"},
                "type": {"type": "string", "enum": ["cleaning", "check-up", "filling", "emergency"]},
                "date": {"type": "string"},
                "time": {"type": "string"},
            },
            "required": ["patient_id", "type", "date", "time"],
        },
        "information": [
            {"input": {"patient_id": "PT-20917", "type": "check-up", "date": "2026-12-01", "time": "09:00"},
             "output": {"booked": True, "appointment_id": "AP-9004", "dentist": "Dr. Patel"}},
            {"input": {"patient_id": "PT-10482", "type": "emergency", "date": "2026-11-24", "time": "16:30"},
             "output": {"booked": True, "appointment_id": "AP-9011", "dentist": "Dr. Okafor"}},
            {"input": {"patient_id": "PT-33150", "type": "cleaning", "date": "2026-11-29", "time": "12:00"},
             "output": {"booked": False, "reason": "slot_unavailable",
                        "alternatives": ["2026-12-02 08:30", "2026-12-02 14:00"]}},
        ],
    },
    {
        "name": "cancel_appointment",
        "description": "Cancel an existing appointment by its id.",
        "parameters": {
            "type": "object",
            "properties": {"appointment_id": {"type": "string"}, "patient_id": {"type": "string"}},
            "required": ["appointment_id", "patient_id"],
        },
        "information": [
            {"input": {"appointment_id": "AP-7731", "patient_id": "PT-10482"},
             "output": {"cancelled": True, "late_fee": 0}},
            {"input": {"appointment_id": "AP-8120", "patient_id": "PT-33150"},
             "output": {"cancelled": True, "late_fee": 50}},
            {"input": {"appointment_id": "AP-0000", "patient_id": "PT-10482"},
             "output": {"cancelled": False, "reason": "appointment_not_found"}},
        ],
    },
]

DEMO_VARIABLES = {
    "clinic_name": "Name of the clinic the receptionist works for.",
    "caller_phone": "Phone number the call comes from (E.164).",
}


DEMO_KEY_NAME = "demo"


@dataclass
class DemoSeed:
    """What `seed_demo` made or found, the new raw key, how many older demo keys it revoked, a sign-in token."""

    project: Project
    agent: Agent
    api_key: str
    revoked_keys: int
    signin_token: str


def seed_demo() -> DemoSeed:
    """Create the demo project and agent once (idempotent); issue the ONE live demo key (older demo keys are
    revoked, keys with other names are left alone) and a one-time workspace sign-in link for it."""
    from scenarist.pages.auth import issue_signin_link

    with transaction.atomic():
        project = Project.objects.filter(name=DEMO_PROJECT_NAME).order_by("pk").first()
        revoked = 0
        if project is None:
            project, raw_key = create_project(DEMO_PROJECT_NAME, key_name=DEMO_KEY_NAME)
        else:
            revoked = ApiKey.objects.filter(project=project, name=DEMO_KEY_NAME, revoked_at__isnull=True).update(
                revoked_at=timezone.now())
            _, raw_key = project.issue_key(DEMO_KEY_NAME)
        key = ApiKey.objects.get(hashed_key=hash_key(raw_key))
        agent = Agent.objects.filter(project=project, agent_name=DEMO_AGENT_NAME).first()
        if agent is None:
            agent = _create_demo_agent(project)
        token = issue_signin_link(key)
    return DemoSeed(project=project, agent=agent, api_key=raw_key, revoked_keys=revoked, signin_token=token)


def _create_demo_agent(project: Project) -> Agent:
    """The receptionist agent with its mock tools and dynamic variables."""
    agent = Agent.objects.create(
        project=project, agent_name=DEMO_AGENT_NAME, description=DEMO_DESCRIPTION, language="en",
        inbound=True, contact_number="+14155550100", agent_gives_first_message=True,
    )
    for tool in DEMO_TOOLS:
        MockTool.objects.create(agent=agent, **tool)
    for name, description in DEMO_VARIABLES.items():
        # The agents app may already have auto-detected the placeholder: describe it either way.
        DynamicVariable.objects.update_or_create(agent=agent, name=name, defaults={"description": description})
    return agent
