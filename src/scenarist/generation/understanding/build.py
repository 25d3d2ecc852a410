"""The offline engine: assemble an AgentModel from the understanding modules (deterministic, no network)."""

from __future__ import annotations

import hashlib
import json

from ..agent_model import AGENT_MODEL_VERSION, AgentModel
from ..types import AgentSpec
from .mocks import chains_of, tool_models


def agent_model_version_hash(agent: AgentSpec) -> str:
    """Stable hash of everything understanding reads (description, tools, variables, KB, language, flags)."""
    payload = {
        "v": AGENT_MODEL_VERSION,
        "name": agent.name,
        "description": agent.description,
        "language": agent.language,
        "inbound": agent.inbound,
        "first": agent.agent_gives_first_message,
        "tools": [tool.model_dump(mode="json", exclude={"id"}) for tool in agent.tools],
        "variables": [variable.model_dump(mode="json") for variable in agent.variables],
        "kb": [hashlib.sha256(doc.text.encode()).hexdigest() for doc in agent.kb_files],
    }
    raw = json.dumps(payload, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(raw.encode()).hexdigest()[:32]


def build_agent_model(agent: AgentSpec) -> AgentModel:
    """Deterministic text analysis of the agent into its AgentModel."""
    tools = tool_models(agent.tools)
    chains = chains_of(tools)
    return AgentModel(
        engine="offline",
        version_hash=agent_model_version_hash(agent),
        agent_name=agent.name,
        language=agent.language or "en",
        speaks_first=bool(agent.agent_gives_first_message),
        tools=tools,
        chains=chains,
        variables=[v.name for v in agent.variables],
    )
