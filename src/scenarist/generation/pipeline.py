"""The generation pipeline: analyse → plan → (per slot, concurrently) fixture + write + check.

`ScenarioGenerator` is what the job handler drives (plan once, then `write_item` per missing slot);
`generate` is the synchronous library call used by the CLI's offline mode and the benchmarks.
"""

from __future__ import annotations

import asyncio
from typing import Any

from .analysis import analyse_offline
from .analysis_merge import merge_analysis
from .checks import check_item, coverage_report
from .diversity import diversity_report, is_near_duplicate, most_similar
from .llm_prompts import PROMPT_VERSION, LLMAnalysis, LLMScenarioDraft, analysis_messages, item_messages
from .pacing import PrepTurns
from .planning import plan_slots
from .types import (
    AgentAnalysis,
    AgentSpec,
    ExistingScenario,
    GeneratedScenario,
    GenerationError,
    GenerationRequest,
    GenerationResult,
    Plan,
    Provenance,
    ScenarioKind,
    Slot,
)
from .writers.phrasing import label
from .writers.workflow import WritingContext, build_context, unique_name, write_workflow_item
from scenarist.llm.port import PermanentLLMError, StructuredLLM, Usage

ENGINE_OFFLINE = "offline"
ENGINE_LLM = "llm"
ENGINE_FALLBACK = "offline-fallback"
MAX_REASKS = 2  # an LLM item failing its checks is re-asked at most this often, then written offline
MAX_REWRITES = 3  # offline variations tried when an item is a near duplicate of an accepted one
RED_TEAM_KINDS = (ScenarioKind.RED_TEAMING_VOICE, ScenarioKind.RED_TEAMING_TEXT)


class ScenarioGenerator:
    """Plans and writes scenarios with the offline engine (llm=None) or an LLM behind the StructuredLLM port."""

    def __init__(self, llm: StructuredLLM | None = None, *, seed: int = 0):
        self.llm = llm
        self.seed = seed
        self.engine_name = ENGINE_LLM if llm is not None else ENGINE_OFFLINE
        self._turns = PrepTurns()

    # ---------------------------------------------------------------- plan

    async def plan(self, agent: AgentSpec, request: GenerationRequest, *,
                   cached_analysis: AgentAnalysis | None = None) -> tuple[Plan, Usage]:
        """Analyse (one LLM call at most, none with a cached analysis) and allocate the slots in code."""
        request = self._seeded(request)
        usage = Usage()
        if cached_analysis is not None:
            analysis = cached_analysis
        else:
            analysis = analyse_offline(agent)
            if self.llm is not None:
                analysis, usage = await self._enrich(agent, analysis)
        return self._allocate(agent, analysis, request), usage

    async def _enrich(self, agent: AgentSpec, offline: AgentAnalysis) -> tuple[AgentAnalysis, Usage]:
        """The single analysis call; a permanent failure keeps the offline analysis."""
        try:
            found, usage = await self.llm.complete_structured(  # type: ignore[union-attr]
                analysis_messages(agent, offline), LLMAnalysis, temperature=0.2, seed=self.seed)
        except PermanentLLMError:
            return offline, Usage()
        return merge_analysis(offline, found), usage

    def _allocate(self, agent: AgentSpec, analysis: AgentAnalysis, request: GenerationRequest) -> Plan:
        """Slots for the request's scenario kind."""
        kind = request.scenario_type
        if kind == ScenarioKind.WORKFLOW:
            return plan_slots(agent, analysis, request, engine=self.engine_name, prompt_version=PROMPT_VERSION)
        if kind == ScenarioKind.KNOWLEDGE_BASE:
            planner = _load("knowledge.planning", "plan_kb_slots", kind)
        else:
            planner = _load("redteam.planning", "plan_attack_slots", kind)
        slots = planner(agent, analysis, request)
        return Plan(analysis=analysis, slots=slots, engine=self.engine_name, prompt_version=PROMPT_VERSION,
                    steering=(request.extra_instructions or "").strip())

    # ---------------------------------------------------------------- write

    async def write_item(self, agent: AgentSpec, plan: Plan, request: GenerationRequest, slot: Slot, *,
                         taken_names: set[str], accepted: list[GeneratedScenario]) -> tuple[GeneratedScenario, Usage]:
        """Write one slot (independent of the others); the chosen name is added to `taken_names`."""
        request = self._seeded(request)
        if slot.kind == ScenarioKind.WORKFLOW:
            if self.llm is None:
                return self._write_offline(agent, plan, request, slot, taken_names, accepted), Usage()
            return await self._write_llm(agent, plan, request, slot, taken_names, accepted)
        if slot.kind == ScenarioKind.KNOWLEDGE_BASE:
            writer = _load("knowledge.writer", "write_kb_item", slot.kind)
        else:
            writer = _load("redteam.writer", "write_attack_item", slot.kind)
        return await writer(agent, plan.analysis, request, slot, llm=self.llm, taken_names=taken_names,
                            seed=slot.seed)

    def _write_offline(self, agent: AgentSpec, plan: Plan, request: GenerationRequest, slot: Slot,
                       taken_names: set[str], accepted: list[GeneratedScenario],
                       engine: str = ENGINE_OFFLINE, ctx: WritingContext | None = None) -> GeneratedScenario:
        """Offline writer with bounded rewrites while the item is a near duplicate (keeps the least similar)."""
        others = _comparables(agent.existing_scenarios, accepted, slot.index)
        ctx = ctx or build_context(agent, plan, request, slot)  # the same for every variation
        best: tuple[float, GeneratedScenario] | None = None
        for variation in range(MAX_REWRITES + 1):
            scratch = set(taken_names)
            item = write_workflow_item(agent, plan, request, slot, taken_names=scratch, variation=variation,
                                       engine=engine, ctx=ctx)
            score, _ = most_similar(item.instructions, others)
            if best is None or score < best[0]:
                best = (score, item)
            if not is_near_duplicate(score):
                break
        item = best[1]  # type: ignore[index]
        taken_names.add(item.name)
        return item

    async def _write_llm(self, agent: AgentSpec, plan: Plan, request: GenerationRequest, slot: Slot,
                         taken_names: set[str], accepted: list[GeneratedScenario]) -> tuple[GeneratedScenario, Usage]:
        """One LLM call per slot, re-asked with the check errors at most MAX_REASKS times, then offline."""
        usage = Usage()
        async with self._turns.turn():  # this item's request leaves before the next item is prepared
            ctx = build_context(agent, plan, request, slot)
            draft = write_workflow_item(agent, plan, request, slot, taken_names=set(taken_names), ctx=ctx)
            brief = _slot_brief(ctx, request)
            profile_keys = {k: label(k) for k in {**ctx.profile.main_agent_variables,
                                                  **ctx.profile.testing_agent_variables}}
            entries = [e.model_dump(mode="json") for e in ctx.entries]
            others = _comparables(agent.existing_scenarios, accepted, slot.index)
        problems: list[str] | None = None
        for _attempt in range(MAX_REASKS + 1):
            messages = item_messages(agent, plan, request, slot, slot_brief=brief, profile_keys=profile_keys,
                                     entries=entries, reference_draft=draft.instructions, problems=problems)
            try:
                answer, call_usage = await self.llm.complete_structured(  # type: ignore[union-attr]
                    messages, LLMScenarioDraft, temperature=0.8, seed=slot.seed)
            except PermanentLLMError as exc:  # refusal or unparseable output: the offline writer takes the slot
                problems = [str(exc)]
                break
            usage.add(call_usage)
            item = _from_draft(answer, draft, ctx, request, plan, slot, self.llm.model_name, taken_names)  # type: ignore[union-attr]
            problems = check_item(item, agent=agent, analysis=plan.analysis, request=request, slot=slot)
            score, similar_to = most_similar(item.instructions, others)
            if is_near_duplicate(score):
                problems.append(f"instructions are {score:.2f} similar to {similar_to!r}; write a clearly different "
                                f"scenario")
            if not problems:
                taken_names.add(item.name)
                return item, usage
        fallback = self._write_offline(agent, plan, request, slot, taken_names, accepted, engine=ENGINE_FALLBACK,
                                       ctx=ctx)
        return fallback, usage

    # ---------------------------------------------------------------- reports

    def coverage(self, plan: Plan, scenarios: list[GeneratedScenario]) -> dict:
        """Coverage of the plan's map by the written scenarios."""
        return coverage_report(plan, scenarios)

    def diversity(self, scenarios: list[GeneratedScenario], existing: list[ExistingScenario]) -> dict:
        """Near-duplicate measure within the batch and against existing scenarios."""
        return diversity_report(scenarios, existing)

    def _seeded(self, request: GenerationRequest) -> GenerationRequest:
        """The request's seed, or the generator's when the request leaves it at 0."""
        if request.seed == 0 and self.seed:
            return request.model_copy(update={"seed": self.seed})
        return request


# ---------------------------------------------------------------- helpers


def _load(module: str, name: str, kind: ScenarioKind) -> Any:
    """Import a colleague room's entry point lazily; a clear error until it exists."""
    import importlib

    try:
        return getattr(importlib.import_module(f"scenarist.generation.{module}"), name)
    except (ImportError, AttributeError) as exc:
        raise NotImplementedError(f"{kind.value} generation is not available yet "
                                  f"(scenarist.generation.{module}.{name} is missing)") from exc


def _comparables(existing: list[ExistingScenario], accepted: list[GeneratedScenario],
                 index: int) -> list[tuple[str, str]]:
    """(name, instructions) of what a new item must not duplicate (itself excluded when re-written)."""
    pairs = [(e.name, e.instructions) for e in existing if e.instructions]
    pairs.extend((a.name, a.instructions) for a in accepted if a.index != index)
    return pairs


def _slot_brief(ctx, request: GenerationRequest) -> dict:
    """What the item prompt says about the slot (never the identity values)."""
    slot = ctx.slot
    brief: dict[str, Any] = {
        "category": slot.category,
        "caller_goal": ctx.goal,
        "intent": ctx.intent.name if ctx.intent else None,
        "intent_steps": ctx.intent.steps if ctx.intent else [],
        "complication": ctx.complication.behaviour if ctx.complication else None,
        "expected_agent_behaviour": ctx.complication.outcome if ctx.complication else None,
        "request_details": {k: v for k, v in ctx.facts.items()},
        "write_expected_outcome": request.generate_expected_outcomes,
    }
    if ctx.policy is not None:
        brief["rule_to_probe"] = ctx.policy.text
    if slot.listed_instruction:
        brief["listed_scenario"] = slot.listed_instruction
    if ctx.steering:
        brief["steering"] = ctx.steering
    if "TOOL_END_CALL" in request.caller_tool_ids:
        brief["end_of_call"] = "Tell the caller to end the call once the goal is reached."
    return brief


def _from_draft(answer: LLMScenarioDraft, offline: GeneratedScenario, ctx, request: GenerationRequest, plan: Plan,
                slot: Slot, model: str, taken_names: set[str]) -> GeneratedScenario:
    """The LLM's text on the code-built fixture; the name is made unique in code."""
    name = unique_name(" ".join(answer.name.split())[:80] or offline.name, ctx, set(taken_names))
    expected = answer.expected_outcome.strip() if request.generate_expected_outcomes else ""
    return offline.model_copy(update={
        "name": name,
        "instructions": answer.instructions.strip(),
        "expected_outcome_prompt": expected or offline.expected_outcome_prompt,
        "provenance": Provenance(engine=ENGINE_LLM, model=model, prompt_version=plan.prompt_version, seed=slot.seed),
    })


# ---------------------------------------------------------------- the library call


def generate(agent: AgentSpec, request: GenerationRequest, llm: StructuredLLM | None = None) -> GenerationResult:
    """Plan, write every slot concurrently, check, and report (synchronous; for the CLI and benchmarks)."""
    return asyncio.run(generate_async(agent, request, llm))


async def generate_async(agent: AgentSpec, request: GenerationRequest,
                         llm: StructuredLLM | None = None) -> GenerationResult:
    """The async body of `generate`."""
    generator = ScenarioGenerator(llm, seed=request.seed)
    plan, usage = await generator.plan(agent, request)
    taken = {s.name for s in agent.existing_scenarios}
    accepted: list[GeneratedScenario] = []
    errors: list[GenerationError] = []

    async def one(slot: Slot) -> None:
        try:
            item, item_usage = await generator.write_item(agent, plan, request, slot, taken_names=taken,
                                                          accepted=accepted)
        except NotImplementedError:
            raise
        except Exception as exc:  # one slot's provider failure must not sink the batch
            errors.append(GenerationError(index=slot.index, message=f"{type(exc).__name__}: {exc}"))
            return
        usage.add(item_usage)
        accepted.append(item)

    await asyncio.gather(*(one(slot) for slot in plan.slots))
    scenarios = sorted(accepted, key=lambda s: s.index)
    return GenerationResult(
        plan=plan, scenarios=scenarios, errors=sorted(errors, key=lambda e: e.index), usage=usage.to_dict(),
        coverage=generator.coverage(plan, scenarios), diversity=generator.diversity(scenarios, agent.existing_scenarios),
    )
