"""Agent models cached by agent version (`agent_model_version_hash`: description, tools, variables, KB) and engine."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from pydantic import ValidationError

from scenarist.generation.agent_model import AgentModel
from scenarist.generation.types import AgentSpec
from scenarist.generation.understanding import agent_model_version_hash

from .models import AnalysisCacheEntry


# An LLM call's offline fallback is shared this long (concurrent jobs of one agent then make one failing
# analysis, not one each); after that the next job asks the model again.
FALLBACK_TTL = timedelta(minutes=10)


def get(agent: AgentSpec, engine: str) -> AgentModel | None:
    """The cached agent model of this exact agent version, if any (an unreadable or expired-fallback entry counts
    as none)."""
    row = AnalysisCacheEntry.objects.filter(version_hash=agent_model_version_hash(agent), engine=engine).first()
    if row is None:
        return None
    try:
        model = AgentModel.model_validate(row.analysis)
    except ValidationError:
        return None
    if model.engine == "offline-fallback" and timezone.now() - row.updated_at > FALLBACK_TTL:
        return None
    return model


def put(agent: AgentSpec, engine: str, model: AgentModel) -> None:
    """Store an agent model for this agent version (last writer wins); an LLM call's offline fallback is kept only
    for FALLBACK_TTL."""
    AnalysisCacheEntry.objects.update_or_create(
        version_hash=agent_model_version_hash(agent), engine=engine,
        defaults={"analysis": model.model_dump(mode="json")},
    )
