"""Agent analyses cached by agent version (hash of description, tools, variables and KB text) and engine."""

from __future__ import annotations

from scenarist.generation.analysis import version_hash
from scenarist.generation.types import AgentAnalysis, AgentSpec

from .models import AnalysisCacheEntry


def get(agent: AgentSpec, engine: str) -> AgentAnalysis | None:
    """The cached analysis of this exact agent version, if any."""
    row = AnalysisCacheEntry.objects.filter(version_hash=version_hash(agent), engine=engine).first()
    return AgentAnalysis.model_validate(row.analysis) if row else None


def put(agent: AgentSpec, engine: str, analysis: AgentAnalysis) -> None:
    """Store an analysis for this agent version (last writer wins)."""
    AnalysisCacheEntry.objects.update_or_create(
        version_hash=version_hash(agent), engine=engine, defaults={"analysis": analysis.model_dump(mode="json")}
    )
