"""Shared pieces of the clean-description HTTP tests: agent rows and the three body encodings."""

from __future__ import annotations

import json

from scenarist.agents.models import Agent, MockTool
from tests.fixtures.agents import BANK_PROMPT, DENTAL_PROMPT

BG_URL = "/test_framework/v1/metrics/generate_clean_description_bg/"
PROGRESS_URL = "/test_framework/v1/metrics/generate_clean_description_progress/"
SYNC_URL = "/test_framework/v1/metrics/generate_clean_description/"
ENCODINGS = ("json", "form", "multipart")


def make_agent(project, kind: str = "dental") -> Agent:
    """A committed agent row with a couple of mock tools."""
    prompt, tools = {
        "dental": (DENTAL_PROMPT, ["lookup_patient", "check_availability", "book_appointment"]),
        "bank": (BANK_PROMPT, ["verify_customer", "freeze_card"]),
    }[kind]
    agent = Agent.objects.create(project=project, agent_name=f"{kind} agent", description=prompt)
    for name in tools:
        MockTool.objects.create(agent=agent, name=name, description=f"{name} tool")
    return agent


def post(client, url: str, body: dict, encoding: str = "json"):
    """POST `body` as JSON, urlencoded form or multipart."""
    if encoding == "json":
        return client.post(url, data=json.dumps(body), content_type="application/json")
    if encoding == "form":
        from urllib.parse import urlencode

        return client.post(url, data=urlencode(body), content_type="application/x-www-form-urlencoded")
    return client.post(url, data=body, format="multipart")
