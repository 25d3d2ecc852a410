"""Small helpers shared by the agents tests."""

from __future__ import annotations

BASE = "/test_framework/v1/aiagents/"


def make_agent(client, **overrides) -> dict:
    """Create an agent through the API and return its body."""
    body = {"agent_name": "Clinic desk", "description": "You book appointments for {{clinic_name}}."}
    body.update(overrides)
    r = client.post(BASE, body, format="json")
    assert r.status_code == 201, r.content
    return r.json()
