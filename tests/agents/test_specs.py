"""agent_to_spec: the AgentSpec handed to generation carries tools, rows, variables, KB text, scenarios."""

from __future__ import annotations

import base64

from scenarist.agents.models import Agent
from scenarist.agents.specs import agent_to_spec
from scenarist.generation.types import AgentSpec
from scenarist.scenarios.models import Scenario

from .helpers import BASE, make_agent


def test_agent_to_spec(api, tenant):
    body = make_agent(api, language="fr", agent_gives_first_message=True, inbound=False)
    url = f"{BASE}{body['id']}/"
    rows = [{"input": {"phone": "+331"}, "output": {"name": "Luc"}}]
    api.post(f"{url}tools/", {"name": "lookup", "description": "find", "parameters": {"type": "object"},
                              "information": rows, "freetext_params": ["note"]}, format="json")  # fmt: skip
    api.post(f"{url}dynamic-variables/", {"name": "plan", "description": "gold|silver"}, format="json")
    files = [{"name": n, "content_base64": base64.b64encode(t).decode()} for n, t in [("a.txt", b"Alpha"), ("b.md", b"Beta")]]
    kb_ids = [f["id"] for f in api.post(f"{url}upload_knowledge_base/", {"files": files}, format="json").json()["results"]]
    agent = Agent.objects.get(pk=body["id"])
    Scenario.objects.create(project=tenant.project, agent=agent, name="Happy path", instructions="Book a slot",
                            scenario_type="workflow")  # fmt: skip

    spec = agent_to_spec(agent)
    assert isinstance(spec, AgentSpec)
    assert (spec.id, spec.name, spec.language, spec.inbound, spec.agent_gives_first_message) == (
        agent.pk, "Clinic desk", "fr", False, True)  # fmt: skip
    assert spec.description == agent.description
    tool = spec.tools[0]
    assert (tool.name, tool.parameters, tool.freetext_params) == ("lookup", {"type": "object"}, ["note"])
    assert [r.model_dump() for r in tool.information] == rows
    assert [(v.name, v.description) for v in spec.variables] == [("clinic_name", ""), ("plan", "gold|silver")]
    assert [(d.file_id, d.file_name, d.text) for d in spec.kb_files] == [(kb_ids[0], "a.txt", "Alpha"), (kb_ids[1], "b.md", "Beta")]
    assert [(s.name, s.instructions, s.scenario_type) for s in spec.existing_scenarios] == [("Happy path", "Book a slot", "workflow")]

    assert [d.file_id for d in agent_to_spec(agent, kb_file_ids=[kb_ids[1]]).kb_files] == [kb_ids[1]]
    assert agent_to_spec(agent, include_kb=False).kb_files == []
