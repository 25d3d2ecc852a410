"""Demo seeding for `scenarist serve --demo`: idempotent rows, one live demo key (older ones revoked), a sign-in link."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from scenarist.agents.models import Agent
from scenarist.demo import seed_demo

pytestmark = pytest.mark.django_db


def test_seed_demo_is_idempotent_and_keeps_one_live_demo_key():
    first = seed_demo()
    second = seed_demo()
    assert first.project.pk == second.project.pk and first.agent.pk == second.agent.pk
    assert first.api_key != second.api_key
    assert Agent.objects.filter(project=first.project).count() == 1

    agent = second.agent
    assert sorted(agent.tools.values_list("name", flat=True)) == [
        "book_appointment", "cancel_appointment", "lookup_patient"]
    assert all(tool.information for tool in agent.tools.all())  # every tool has mock rows
    assert agent.placeholder_names() == ["clinic_name", "caller_phone"]
    assert sorted(agent.dynamic_variables.values_list("name", flat=True)) == ["caller_phone", "clinic_name"]

    assert (first.revoked_keys, second.revoked_keys) == (0, 1)
    assert first.signin_token and first.signin_token != second.signin_token
    for key, status in ((first.api_key, 401), (second.api_key, 200)):
        client = APIClient()
        client.credentials(HTTP_X_CEKURA_API_KEY=key)
        assert client.get("/test_framework/v1/aiagents/").status_code == status
