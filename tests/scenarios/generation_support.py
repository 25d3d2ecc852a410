"""Shared pieces of the scenario-generation HTTP tests: agent rows built from the shared test agents."""

from __future__ import annotations

from rest_framework.test import APIClient

from scenarist.accounts.services import create_project
from scenarist.agents.models import Agent, DynamicVariable, MockTool
from scenarist.generation.types import AgentSpec
from tests.fixtures.agents import ALL_AGENTS
from tests.support.processes import wait_for

BG_URL = "/test_framework/v1/scenarios/generate-bg/"
PROGRESS_URL = "/test_framework/v1/scenarios/generate-progress/"
CANCEL_URL = "/test_framework/v1/scenarios/generate-cancel/"


def agent_row(project, kind: str = "dental", **overrides) -> tuple[Agent, AgentSpec]:
    """A committed Agent with the tools, mock rows and variables of one shared test agent."""
    spec = ALL_AGENTS[kind]()
    fields = {"agent_name": spec.name, "description": spec.description, "language": spec.language,
              "agent_gives_first_message": spec.agent_gives_first_message, **overrides}
    agent = Agent.objects.create(project=project, **fields)
    for tool in spec.tools:
        MockTool.objects.create(agent=agent, name=tool.name, description=tool.description, parameters=tool.parameters,
                                information=[row.model_dump(mode="json") for row in tool.information])
    for var in spec.variables:
        DynamicVariable.objects.update_or_create(agent=agent, name=var.name, defaults={"description": var.description})
    return agent, spec


def keyed_client(name: str = "Generation") -> tuple[APIClient, object]:
    """A committed project and an API client with its key."""
    project, key = create_project(name)
    client = APIClient()
    client.credentials(HTTP_X_CEKURA_API_KEY=key)
    return client, project


def start(client, **body) -> str:
    """POST generate-bg (JSON); returns the progress id."""
    r = client.post(BG_URL, body, format="json")
    assert r.status_code == 200, r.content
    assert r.json()["session_id"] is None
    return r.json()["progress_id"]


def poll(client, progress_id: str) -> dict:
    """GET the progress body."""
    r = client.get(PROGRESS_URL, {"progress_id": progress_id})
    assert r.status_code == 200, r.content
    return r.json()


def finished(client, progress_id: str, timeout: float = 60) -> dict:
    """Poll until the job is terminal; returns the last body."""
    return wait_for(
        lambda: (b := poll(client, progress_id))["status"] in {"completed", "failed", "cancelled"} and b,
        timeout, interval=0.1, what=f"generation job {progress_id} to finish",
    )
