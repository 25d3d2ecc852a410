"""Plan and write KB batches for the tests."""

from __future__ import annotations

import asyncio
import re

from scenarist.generation.knowledge.planning import plan_kb_slots
from scenarist.generation.knowledge.writer import write_kb_item
from scenarist.generation.types import AgentSpec, GeneratedScenario, GenerationRequest, ScenarioKind
from scenarist.generation.understanding import build_agent_model
from scenarist.llm.port import Usage
from tests.fixtures.agents import personalities


def kb_request(n: int, **extra) -> GenerationRequest:
    """A knowledge_base generation request."""
    return GenerationRequest(scenario_type=ScenarioKind.KNOWLEDGE_BASE, num_scenarios=n, seed=extra.pop("seed", 11),
                             personalities=extra.pop("personalities", personalities()), **extra)


def generate_kb(agent: AgentSpec, request: GenerationRequest, llm=None) -> tuple[list[GeneratedScenario], Usage]:
    """Plan and write a whole KB batch (sequentially), as the pipeline would."""
    model = build_agent_model(agent)
    taken: set[str] = set()
    total = Usage()

    async def run() -> list[GeneratedScenario]:
        items = []
        for slot in plan_kb_slots(agent, model, request):
            item, usage = await write_kb_item(agent, model, request, slot, llm=llm, taken_names=taken,
                                              seed=slot.seed, accepted=items)
            total.add(usage)
            items.append(item)
        return items

    return asyncio.run(run()), total


def asked_question(instructions: str) -> str:
    """The example question quoted in KB instructions (English "…" or Spanish «…»)."""
    line = next(line for line in instructions.splitlines() if re.search(r'"[^"]+"$|«[^»]+»$', line))
    return re.search(r'"([^"]+)"$|«([^»]+)»$', line).group(1) or re.search(r'«([^»]+)»$', line).group(1)
