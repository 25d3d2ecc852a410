"""The agent model seen through the older AgentAnalysis shape, for the red-team and knowledge rooms until they
read the AgentModel directly (a view computed from the model, never a second analysis)."""

from __future__ import annotations

import random

from .agent_model import (
    AgentModel,
    ClassifiedRow,
    PolicyKind,
    RowOutcome,
    ToolModel,
    Verification,
)
from .types import AgentAnalysis, AgentSpec, Intent, MockToolEntry, Policy, Slot, TestProfileData, ToolSummary

_GUARDRAIL_KINDS = (PolicyKind.PROHIBITION, PolicyKind.PRIVACY, PolicyKind.EMERGENCY, PolicyKind.SCOPE)


def legacy_analysis(model: AgentModel) -> AgentAnalysis:
    """The AgentAnalysis view of an agent model."""
    return AgentAnalysis(
        agent_name=model.agent_name,
        domain=model.domain if model.domain != "general" else "",
        language=model.language,
        speaks_first=model.speaks_first,
        intents=[Intent(id=i.id, name=i.name, description=i.description, tools=i.tools, steps=i.steps, kind=i.kind)
                 for i in model.intents],
        tools=[ToolSummary(id=f"tool:{t.name}", name=t.name, description=t.description, needs=t.needs,
                           returns=t.returns, has_mock_rows=bool(t.rows)) for t in model.tools],
        policies=[Policy(id=p.id, text=p.text, kind="guardrail" if p.kind in _GUARDRAIL_KINDS else "policy",
                         intent_id=p.intent_id) for p in model.policies],
        identity_fields=list(model.verification.fields),
        variables=list(model.variables),
        assets=[f"field:{s.name}" for s in model.sensitive_fields],
        version_hash=model.version_hash,
    )


def build_fixture(agent: AgentSpec, analysis: AgentAnalysis, slot: Slot,
                  rng: random.Random) -> tuple[TestProfileData, list[MockToolEntry]]:
    """(profile, entries) of a slot for writers still holding an AgentAnalysis (red teaming's attacker profile)."""
    from .fixtures import build_fixture as fixture_of

    tools = [ToolModel(name=t.name, description=t.description,
                       needs=list(((t.parameters or {}).get("properties") or {}).keys())
                       if isinstance(t.parameters, dict) else [],
                       rows=[ClassifiedRow(tool=t.name, index=i, outcome=RowOutcome.SUCCESS, input=r.input,
                                           output=r.output) for i, r in enumerate(t.information)])
             for t in agent.tools]
    model = AgentModel(agent_name=analysis.agent_name or agent.name, language=analysis.language or agent.language,
                       tools=tools, variables=list(analysis.variables),
                       verification=Verification(fields=list(analysis.identity_fields)))
    fixture = fixture_of(agent, model, slot, rng)
    return fixture.profile, fixture.entries
