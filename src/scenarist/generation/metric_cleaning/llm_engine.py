"""The LLM engine: one structured call, post-validation, one re-ask with the problems, then a clear error."""

from __future__ import annotations

import json

from scenarist.generation.types import AgentSpec, CleanDescription, CleanEvalType
from scenarist.llm.port import OutputValidationError, StructuredLLM, Usage

from .prompt import CleanDescriptionOutput, build_messages, reask_message
from .validation import problems_of

TEMPERATURE = 0.3
MAX_TOKENS = 4000


class CleanDescriptionInvalid(OutputValidationError):
    """The model's clean description still broke the rules after one re-ask."""

    def __init__(self, problems: list[str]):
        super().__init__("The model's clean description was invalid twice: " + " ".join(problems))
        self.problems = problems


async def clean_with_llm(
    draft: str, eval_type: CleanEvalType, agent: AgentSpec | None, llm: StructuredLLM, seed: int = 0
) -> tuple[CleanDescription, Usage]:
    """Ask the model; validate; re-ask once with the problems; raise CleanDescriptionInvalid if still wrong."""
    messages = build_messages(draft, eval_type, agent)
    usage = Usage()
    problems: list[str] = []
    for _attempt in range(2):
        output, call_usage = await llm.complete_structured(
            messages, CleanDescriptionOutput, temperature=TEMPERATURE, seed=seed, max_tokens=MAX_TOKENS
        )
        usage.add(call_usage)
        result = _normalised(output, eval_type)
        problems = problems_of(result, eval_type)
        if not problems:
            return result, usage
        messages = [
            *messages,
            {"role": "assistant", "content": json.dumps(output.model_dump(), ensure_ascii=False)},
            reask_message(problems),
        ]
    raise CleanDescriptionInvalid(problems)


def _normalised(output: CleanDescriptionOutput, eval_type: CleanEvalType) -> CleanDescription:
    """Trim text; enum_values only for enum (a stray list on another type is dropped, not an error)."""
    values = [v.strip() for v in output.enum_values or [] if v.strip()] if eval_type is CleanEvalType.ENUM else None
    return CleanDescription(
        clean_description=output.clean_description.strip() + "\n",
        thinking=output.thinking.strip(),
        enum_values=values or None,
    )
