"""Agent models cached by agent version (`agent_model_version_hash`: description, tools, variables, KB) and engine."""

from __future__ import annotations

from pydantic import ValidationError

from scenarist.generation.agent_model import AgentModel
from scenarist.generation.types import AgentSpec
from scenarist.generation.understanding import agent_model_version_hash

from .models import AnalysisCacheEntry


def get(agent: AgentSpec, engine: str) -> AgentModel | None:
    """The cached agent model of this exact agent version, if any (an unreadable entry counts as none)."""
    row = AnalysisCacheEntry.objects.filter(version_hash=agent_model_version_hash(agent), engine=engine).first()
    if row is None:
        return None
    try:
        return AgentModel.model_validate(row.analysis)
    except ValidationError:
        return None


def put(agent: AgentSpec, engine: str, model: AgentModel) -> None:
    """Store an agent model for this agent version (last writer wins); an LLM call's offline fallback is not
    cached, so the next job asks the model again."""
    if model.engine == "offline-fallback":
        return
    AnalysisCacheEntry.objects.update_or_create(
        version_hash=agent_model_version_hash(agent), engine=engine,
        defaults={"analysis": model.model_dump(mode="json")},
    )
