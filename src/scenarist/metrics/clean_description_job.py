"""The clean-description job handler, plus the pieces the synchronous endpoint shares with it."""

from __future__ import annotations

from scenarist.agents.models import Agent
from scenarist.agents.specs import agent_to_spec
from scenarist.generation.metric_cleaning import PROMPT_VERSION, clean_metric_description
from scenarist.generation.types import AgentSpec, CleanEvalType
from scenarist.jobs.api import JobContext, JobFailed, JobKind, register_handler
from scenarist.llm.port import (
    BudgetExceededError,
    LLMError,
    OutputValidationError,
    PermanentLLMError,
    RefusalError,
    RetryableLLMError,
)

OFFLINE_ENGINE = "offline"
LLM_ENGINE = "llm"
FALLBACK_ENGINE = "offline-fallback"  # the model's answers failed the checks twice; the offline engine wrote it


def job_payload(agent: Agent, metric_description: str, eval_type: str) -> dict:
    """What a clean-description job carries (ids and text only, so a worker reloads the agent itself)."""
    return {"agent_id": agent.pk, "metric_description": metric_description, "eval_type": eval_type}


def agent_spec_of(project_id: int, agent_id: int | None) -> AgentSpec | None:
    """The project's agent as generation input (KB text is not needed to clean a metric), or None if it is gone."""
    agent = Agent.objects.filter(project_id=project_id, pk=agent_id).first() if agent_id else None
    return agent_to_spec(agent, include_kb=False) if agent else None


def failure_reason(exc: LLMError) -> str:
    """A readable sentence for an LLM failure (what the progress body's `error` and a 502 `detail` say)."""
    if isinstance(exc, RefusalError):
        return f"The LLM provider refused to write the clean description: {exc}"
    if isinstance(exc, OutputValidationError):
        return f"The LLM's answer was not valid structured output, even after a re-ask: {exc}"
    if isinstance(exc, RetryableLLMError):
        return f"The LLM provider could not be reached or kept failing after retries: {exc}"
    if isinstance(exc, BudgetExceededError):
        return f"The job's LLM token budget was spent: {exc}"
    if isinstance(exc, PermanentLLMError):
        return f"The LLM provider rejected the request: {exc}"
    return f"The LLM call failed: {exc}"


@register_handler(JobKind.CLEAN_DESCRIPTION)
async def handle_clean_description(ctx: JobContext) -> None:
    """Load the agent, clean the draft with the job's LLM (or offline), store the result on the job."""
    payload = ctx.payload
    agent = await ctx.db(agent_spec_of, ctx.project_id, payload.get("agent_id"))
    if agent is None:
        raise JobFailed("The agent of this request no longer exists.")
    try:
        eval_type = CleanEvalType(payload.get("eval_type"))
    except ValueError:
        raise JobFailed(f"Unknown eval_type {payload.get('eval_type')!r}.") from None
    ctx.raise_if_cancelled()
    try:
        result, usage = await clean_metric_description(
            payload.get("metric_description") or "", eval_type, agent, llm=ctx.llm
        )  # calls are already on ctx.meter (the job's LLM view records every call); fallbacks are not calls
    except LLMError as exc:
        raise JobFailed(failure_reason(exc)) from exc
    if usage.fallbacks and ctx.meter is not None:
        ctx.meter.record_fallback(usage.fallbacks)
    await ctx.set_result(
        clean_description=result.clean_description,
        thinking=result.thinking,
        enum_values=result.enum_values,
        engine=OFFLINE_ENGINE if ctx.llm is None else (FALLBACK_ENGINE if usage.fallbacks else LLM_ENGINE),
        model=getattr(ctx.llm, "model_name", None),
        prompt_version=PROMPT_VERSION,
    )
