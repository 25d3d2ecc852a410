"""The LLM engine: one structured call, post-validation, one re-ask with the problems, then the offline engine."""

from __future__ import annotations

import asyncio
import json

from scenarist.generation.agent_model import AgentModel
from scenarist.generation.types import AgentSpec, CleanDescription, CleanEvalType
from scenarist.llm.port import OutputValidationError, StructuredLLM, Usage

from .offline import clean_offline
from .prompt import CleanDescriptionOutput, build_messages, reask_message
from .validation import draft_problems, problems_of

TEMPERATURE = 0.3


async def clean_with_llm(
    draft: str, eval_type: CleanEvalType, agent: AgentSpec | None, llm: StructuredLLM, seed: int = 0,
    model: AgentModel | None = None,
) -> tuple[CleanDescription, Usage]:
    """Ask the model; validate against the rules and the draft; re-ask once with the problems.

    When the second answer still fails the checks (or cannot be parsed at all), the offline engine writes the description instead (counted
    in `usage.fallbacks` and said in `thinking`), so a job never fails for a model's bad prose.
    """
    if model is None and agent is not None:
        from scenarist.generation.understanding import build_agent_model

        model = await asyncio.to_thread(build_agent_model, agent)
    messages = build_messages(draft, eval_type, agent, model)
    usage = Usage()
    problems: list[str] = []
    for _attempt in range(2):
        try:
            output, call_usage = await llm.complete_structured(
                messages, CleanDescriptionOutput, temperature=TEMPERATURE, seed=seed  # output bounded by the schema
            )
        except OutputValidationError as exc:  # unparseable or cut off even after the port's own re-ask
            problems = [f"the model's answer could not be used: {exc}"]
            break
        usage.add(call_usage)
        result = _normalised(output, eval_type)
        problems = problems_of(result, eval_type) + draft_problems(result, eval_type, draft)
        if not problems:
            return result, usage
        messages = [
            *messages,
            {"role": "assistant", "content": json.dumps(output.model_dump(), ensure_ascii=False)},
            reask_message(problems),
        ]
    fallback = await asyncio.to_thread(clean_offline, draft, eval_type, agent, model)
    usage.fallbacks += 1
    note = ("- The model's answers could not be used (" + "; ".join(problems)[:400]
            + "); this description was written by the offline engine instead.")
    return fallback.model_copy(update={"thinking": fallback.thinking + "\n" + note}), usage


def _normalised(output: CleanDescriptionOutput, eval_type: CleanEvalType) -> CleanDescription:
    """Trim text; enum_values only for enum (a stray list on another type is dropped, not an error)."""
    values = [v.strip() for v in output.enum_values or [] if v.strip()] if eval_type is CleanEvalType.ENUM else None
    return CleanDescription(
        clean_description=output.clean_description.strip() + "\n",
        thinking=output.thinking.strip(),
        enum_values=values or None,
    )
