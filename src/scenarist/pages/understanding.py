"""What Scenarist understood of an agent: the one way the workspace obtains an AgentModel."""

from __future__ import annotations

from scenarist.agents.models import Agent
from scenarist.agents.specs import agent_to_spec
from scenarist.generation.agent_model import AgentModel


def agent_model_of(agent: Agent) -> AgentModel:
    """The agent model built from the agent's rows exactly as a generation job builds its AgentSpec (KB included)."""
    from scenarist.generation.understanding import build_agent_model

    return build_agent_model(agent_to_spec(agent, include_kb=True, kb_file_ids=None))
