"""Understanding an agent: its prompt, tools and mock rows into one typed AgentModel (offline or via an LLM).

Public API: `build_agent_model` (offline, deterministic), `agent_model_version_hash` (cache key of an agent
version), `llm_agent_model` (the model asked directly; the offline model is the fallback).
"""

from __future__ import annotations

from .build import agent_model_version_hash, build_agent_model
from .llm import llm_agent_model

__all__ = ["build_agent_model", "agent_model_version_hash", "llm_agent_model"]
