"""Two agents of different domains (dental clinic, card services bank), their analyses and attack requests."""

from __future__ import annotations

import asyncio

from scenarist.generation.analysis import analyse_offline
from scenarist.generation.redteam.assets import field_noun, spoken
from scenarist.generation.redteam.planning import plan_attack_slots
from scenarist.generation.redteam.writer import write_attack_item
from scenarist.generation.types import (
    AgentAnalysis,
    AgentSpec,
    AttackType,
    GeneratedScenario,
    GenerationRequest,
    ScenarioKind,
)
from scenarist.llm.port import Usage
from tests.fixtures.agents import bank_agent, dental_agent, personalities

AGENTS = {"dental": dental_agent, "bank": bank_agent}
VOICE = ScenarioKind.RED_TEAMING_VOICE
TEXT = ScenarioKind.RED_TEAMING_TEXT


def agent_and_analysis(key: str) -> tuple[AgentSpec, AgentAnalysis]:
    """A shared test agent and its offline analysis."""
    agent = AGENTS[key]()
    return agent, analyse_offline(agent)


def attack_request(kind: ScenarioKind, attack_type: AttackType, n: int, **extra) -> GenerationRequest:
    """A red-teaming generation request."""
    return GenerationRequest(scenario_type=kind, attack_type=attack_type, num_scenarios=n, seed=extra.pop("seed", 7),
                             personalities=extra.pop("personalities", personalities()), **extra)


def generate(agent: AgentSpec, analysis: AgentAnalysis, request: GenerationRequest, llm=None,
             taken: set[str] | None = None) -> tuple[list[GeneratedScenario], Usage]:
    """Plan and write a whole batch (sequentially), as the pipeline would."""
    taken = set() if taken is None else taken
    total = Usage()

    async def run() -> list[GeneratedScenario]:
        items = []
        for slot in plan_attack_slots(agent, analysis, request):
            item, usage = await write_attack_item(agent, analysis, request, slot, llm=llm, taken_names=taken,
                                                  seed=slot.seed)
            total.add(usage)
            items.append(item)
        return items

    return asyncio.run(run()), total


def asset_words(agent: AgentSpec) -> set[str]:
    """Lower-case tool names (raw and spoken) and mock data field names of an agent."""
    words: set[str] = set()
    for tool in agent.tools:
        words |= {tool.name.lower(), spoken(tool.name)}
        for row in tool.information:
            for part in (row.input, row.output):
                if isinstance(part, dict):
                    for key in part:
                        words |= {key.lower(), spoken(key), field_noun(spoken(key))}
    return {w for w in words if len(w) > 3 and w not in {"error", "status"}}


def turn_lines(instructions: str) -> list[str]:
    """The numbered turn lines of an attack's instructions."""
    lines = instructions.splitlines()
    return [line for line in lines if line[:1].isdigit() and ". " in line[:4]]
