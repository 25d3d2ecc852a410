"""One validated LLM item: ask, check the draft, re-ask once with the problems, else report failure (caller falls back).

Shared by the red-team and knowledge-base writers. A `RefusalError` or `OutputValidationError` from the port and a
draft whose content fails the checks (refusal prose, bad turn count, unspeakable text …) all count as a failed
attempt; every other LLM error propagates (the job decides about retries, budgets and failures).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from pydantic import BaseModel

from scenarist.llm.errors import OutputValidationError, RefusalError
from scenarist.llm.port import StructuredLLM, Usage

D = TypeVar("D", bound=BaseModel)
ATTEMPTS = 2  # the first ask and one re-ask


async def ask_validated(
    llm: StructuredLLM, messages: list[dict[str, str]], output_model: type[D], validate: Callable[[D], list[str]], *,
    seed: int, temperature: float = 0.8,
) -> tuple[D | None, Usage]:
    """(a draft that passed `validate`, usage) — or (None, usage) after the re-ask also failed."""
    usage = Usage()
    for attempt in range(ATTEMPTS):
        try:
            draft, call_usage = await llm.complete_structured(
                messages, output_model, temperature=temperature, seed=seed + attempt
            )
        except (RefusalError, OutputValidationError) as exc:
            usage.add(exc.usage if exc.usage is not None else Usage(prompt_tokens=None, completion_tokens=None,
                                                                    llm_calls=1))
            previous = "(no usable answer)"
            problems = [f"the previous answer was rejected ({type(exc).__name__}): {exc}"[:300]]
        else:
            usage.add(call_usage)
            problems = validate(draft)
            if not problems:
                return draft, usage
            previous = draft.model_dump_json()
        messages = reask_messages(messages, previous, problems)
    return None, usage


def reask_messages(messages: list[dict[str, str]], previous: str, problems: list[str]) -> list[dict[str, str]]:
    """The conversation extended with the rejected answer and the problems to fix."""
    listed = "\n".join(f"- {p}" for p in problems)
    return messages + [
        {"role": "assistant", "content": previous},
        {"role": "user", "content": f"That answer cannot be used:\n{listed}\nWrite the complete item again, fixing "
                                    f"every problem. Reply with the JSON object only."},
    ]
