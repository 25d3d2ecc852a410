"""Metric-description cleaning: turn a rough LLM-judge draft into a clean, structured judge prompt.

Pure library (no Django): `clean_metric_description(draft, eval_type, agent, llm=…)`. With `llm=None` the
deterministic offline engine writes it; otherwise the LLM engine does, and its output is post-validated.
"""

from __future__ import annotations

import asyncio

from scenarist.generation.agent_model import AgentModel
from scenarist.generation.types import AgentSpec, CleanDescription, CleanEvalType
from scenarist.llm.port import StructuredLLM, Usage

from .llm_engine import clean_with_llm
from .offline import clean_offline
from .prompt import PROMPT_VERSION
from .validation import labels_in_text, problems_of, section_text, variables_used

MAX_DRAFT_CHARS = 20_000

__all__ = [
    "MAX_DRAFT_CHARS",
    "PROMPT_VERSION",
    "clean_metric_description",
    "labels_in_text",
    "problems_of",
    "section_text",
    "variables_used",
]


async def clean_metric_description(
    draft: str,
    eval_type: CleanEvalType,
    agent: AgentSpec | None,
    *,
    llm: StructuredLLM | None,
    seed: int = 0,
    model: AgentModel | None = None,
) -> tuple[CleanDescription, Usage]:
    """Clean one metric draft for `eval_type`, grounded in the agent model (built offline from `agent` when not
    given); returns the result and the LLM usage (`usage.fallbacks` is 1 when the offline engine stood in)."""
    eval_type = CleanEvalType(eval_type)
    if not draft or not draft.strip():
        raise ValueError("metric draft is empty")
    if llm is None:
        # CPU-bound text analysis: off the event loop, so a job's heartbeat keeps beating meanwhile
        return await asyncio.to_thread(clean_offline, draft, eval_type, agent, model), Usage()
    return await clean_with_llm(draft, eval_type, agent, llm, seed=seed, model=model)
