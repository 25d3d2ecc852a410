"""The generation pipeline: understand (agent model) → plan → (per slot, concurrently) fixture + write + check.

`ScenarioGenerator` is what the job handler drives (plan once, then `write_item` per missing slot);
`generate` is the synchronous library call used by the CLI's offline mode and the benchmarks.
"""

from __future__ import annotations

import asyncio
import logging
import re
from typing import Any

from .agent_model import AgentModel
from .checks import check_item, coverage_report, goal_problems
from .diversity import diversity_report, is_near_duplicate, most_similar
from .llm_prompts import MAX_PROMPT_CHARS, PROMPT_VERSION, LLMScenarioDraft, item_messages, item_prompt
from .pacing import PrepTurns
from .planning import plan_slots
from .spoken import spoken
from .types import (
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
from .understanding import build_agent_model, llm_agent_model
from .writers.outcomes import tools_to_words
from .writers.phrasing import label, strip_tool_mentions
from .writers.workflow import WritingContext, build_context, spoken_facts, unique_name, write_workflow_item
from .writers.voice import LANGUAGE_NAMES
from scenarist.llm.port import PermanentLLMError, StructuredLLM, Usage
from scenarist.llm.sizing import request_tokens, text_chars_that_fit

ENGINE_OFFLINE = "offline"
ENGINE_LLM = "llm"
ENGINE_FALLBACK = "offline-fallback"
MAX_REASKS = 2  # an LLM item failing its checks is re-asked at most this often, then written offline
MAX_REWRITES = 3  # offline variations tried when an item is a near duplicate of an accepted one
RED_TEAM_KINDS = (ScenarioKind.RED_TEAMING_VOICE, ScenarioKind.RED_TEAMING_TEXT)
log = logging.getLogger(__name__)


class ScenarioGenerator:
    """Plans and writes scenarios with the offline engine (llm=None) or an LLM behind the StructuredLLM port."""

    def __init__(self, llm: StructuredLLM | None = None, *, seed: int = 0):
        self.llm = llm
        self.seed = seed
        self.engine_name = ENGINE_LLM if llm is not None else ENGINE_OFFLINE
        self._turns = PrepTurns()

    # ---------------------------------------------------------------- plan

    async def plan(self, agent: AgentSpec, request: GenerationRequest, *,
                   cached_model: AgentModel | None = None) -> tuple[Plan, Usage]:
        """Understand the agent (one LLM call at most, none with a cached model) and allocate the slots in code."""
        request = self._seeded(request)
        usage = Usage()
        if cached_model is not None:
            model = cached_model
        elif self.llm is not None:
            # llm_agent_model builds its offline fallback synchronously; the first build in a process loads the
            # language detector (seconds), so it is done once off the event loop first to keep heartbeats beating.
            await asyncio.to_thread(build_agent_model, agent)
            model, usage = await llm_agent_model(agent, self.llm, seed=self.seed)
        else:  # CPU-bound text analysis: off the event loop, so a worker's heartbeat keeps beating
            model = await asyncio.to_thread(build_agent_model, agent)
        return self._allocate(agent, model, request), usage

    def _allocate(self, agent: AgentSpec, model: AgentModel, request: GenerationRequest) -> Plan:
        """Slots for the request's scenario kind."""
        kind = request.scenario_type
        if kind == ScenarioKind.WORKFLOW:
            return plan_slots(agent, model, request, engine=self.engine_name, prompt_version=PROMPT_VERSION)
        if kind == ScenarioKind.KNOWLEDGE_BASE:
            planner = _load("knowledge.planning", "plan_kb_slots", kind)
        else:
            planner = _load("redteam.planning", "plan_attack_slots", kind)
        slots = planner(agent, model, request)
        return Plan(model=model, slots=slots, engine=self.engine_name, prompt_version=PROMPT_VERSION,
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
        return await writer(agent, plan.model, request, slot, llm=self.llm,
                            taken_names=taken_names, seed=slot.seed, accepted=accepted)

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
        """One LLM call per slot on the fixed fixture, re-asked with the check errors at most MAX_REASKS times,
        then written offline."""
        usage = Usage()
        async with self._turns.turn():  # this item's request leaves before the next item is prepared
            ctx = build_context(agent, plan, request, slot)  # fixtures are fixed before the model writes
            base = write_workflow_item(agent, plan, request, slot, taken_names=set(taken_names), ctx=ctx)
            facts = slot_facts(ctx, request)
            profile_keys = {k: label(k) for k in {**ctx.profile.main_agent_variables,
                                                  **ctx.profile.testing_agent_variables}}
            prompt = item_prompt(agent, relevant_sections(agent, plan.model, ctx),
                                 self._item_prompt_chars(agent, plan.model, facts, profile_keys))
            others = _comparables(agent.existing_scenarios, accepted, slot.index)
        problems: list[str] | None = None
        previous: str | None = None
        for attempt in range(MAX_REASKS + 1):
            messages = item_messages(agent, plan.model, facts, profile_keys, prompt=prompt, problems=problems,
                                     previous_answer=previous)
            try:
                answer, call_usage = await self.llm.complete_structured(  # type: ignore[union-attr]
                    messages, LLMScenarioDraft, temperature=0.8, seed=slot.seed + attempt)  # a new sample per ask
            except PermanentLLMError as exc:  # refusal or unparseable output: the offline writer takes the slot
                problems = [str(exc)]
                break
            usage.add(call_usage)
            previous = answer.model_dump_json()
            item = _from_draft(answer, base, ctx, request, plan, slot, self.llm.model_name, taken_names)  # type: ignore[union-attr]
            problems = check_item(item, agent=agent, model=plan.model, request=request, slot=slot)
            problems += goal_problems(item.instructions, [g for g in (ctx.goal, ctx.intent and ctx.intent.name) if g])
            score, similar_to = most_similar(item.instructions, others)
            if is_near_duplicate(score):
                problems.append(f"instructions are {score:.2f} similar to {similar_to!r}; write a clearly different "
                                f"scenario")
            if not problems:
                taken_names.add(item.name)
                return item, usage
            log.info("item %d: the model's answer failed checks: %s", slot.index, "; ".join(problems))
            log.debug("item %d: the answer that failed: %s", slot.index, previous)
        log.warning("item %d written offline after the model's answers failed: %s", slot.index,
                    "; ".join(problems or []))
        fallback = self._write_offline(agent, plan, request, slot, taken_names, accepted, engine=ENGINE_FALLBACK,
                                       ctx=ctx)
        return fallback, usage

    def _item_prompt_chars(self, agent: AgentSpec, model: AgentModel, facts: dict, profile_keys: dict) -> int:
        """How much agent prompt an item call can carry: MAX_PROMPT_CHARS, or less when the model's context
        (SCENARIST_LLM_CONTEXT_TOKENS) leaves less beside the task, the slot, the schema and the answer."""
        available = getattr(self.llm, "prompt_tokens_available", None)
        if available is None:
            return MAX_PROMPT_CHARS
        overhead = request_tokens(item_messages(agent, model, facts, profile_keys, prompt=""), LLMScenarioDraft)
        return min(MAX_PROMPT_CHARS, text_chars_that_fit(available(LLMScenarioDraft), overhead))

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


def slot_facts(ctx: WritingContext, request: GenerationRequest) -> dict:
    """What the item call is told about its slot: the model's facts and the fixed fixture (no identity values)."""
    slot, model = ctx.slot, ctx.model
    facts: dict[str, Any] = {
        "category": slot.category,
        "caller_goal": ctx.goal,
        "caller_language": LANGUAGE_NAMES.get(ctx.language, ctx.language),
        "organisation": ctx.org,
        "agent_speaks_first": model.speaks_first,
        "request_details": spoken_facts(ctx),
        "verification": {"fields": model.verification.fields, "rule": model.verification.text},
        "expected_tool_calls": [e.model_dump(mode="json") for e in ctx.entries],
        "today": spoken(ctx.fixture.today.isoformat(), ctx.language),
        "forbidden_disclosures": [d.text for d in model.forbidden_disclosures],
        "write_expected_outcome": request.generate_expected_outcomes,
    }
    # What the model echoes into the expected outcome is given in words: an outcome may not name internal tools,
    # and a fact that does only earns a re-ask.
    if ctx.intent is not None:
        facts["intent"] = {"name": ctx.intent.name, "steps": ctx.intent.steps, "tools": ctx.intent.tools,
                           "success": _in_words(ctx.intent.success, model)}
    if ctx.policy is not None:
        facts["rule_to_probe"] = {"kind": ctx.policy.kind.value, "text": ctx.policy.text,
                                  "trigger": ctx.policy.trigger,
                                  "prescribed_response": _in_words(ctx.policy.response, model)}
    if ctx.failure is not None:
        facts["failure"] = {"outcome": ctx.failure.outcome.value,
                            "error_handling_rule": _in_words(ctx.failure.handling, model)}
    if slot.branch:
        facts["branch"] = slot.branch
    if ctx.complication is not None and ctx.complication.key != "plain":
        facts["complication"] = ctx.complication.behaviour.split("||")[0]
        facts["complication_expected_behaviour"] = ctx.complication.outcome
    if slot.listed_instruction:
        facts["listed_scenario"] = slot.listed_instruction
    if ctx.steering:
        facts["steering"] = ctx.steering
    if "TOOL_END_CALL" in request.caller_tool_ids:
        facts["end_of_call"] = "Tell the caller to end the call once the goal is reached."
    return facts


def _in_words(text: str | None, model: AgentModel) -> str | None:
    """Agent text with its tool names replaced by what they do (the outcome a judge reads names no tool)."""
    return strip_tool_mentions(tools_to_words(text, model)) if text else text


def relevant_sections(agent: AgentSpec, model: AgentModel, ctx: WritingContext) -> list[str]:
    """Prompt sections a slot needs when the prompt is too long to send whole: identity, guardrails, error
    handling, verification, its playbook and the section of its rule."""
    wanted = {"identity", "guardrails", "error_handling", "verification", "flow"}
    ids = {ctx.intent.section_id if ctx.intent else None, ctx.policy.section_id if ctx.policy else None}
    return [agent.description[s.start:s.end] for s in model.sections
            if (s.role.value in wanted or s.id in ids) and s.end > s.start]


def _from_draft(answer: LLMScenarioDraft, offline: GeneratedScenario, ctx, request: GenerationRequest, plan: Plan,
                slot: Slot, model: str, taken_names: set[str]) -> GeneratedScenario:
    """The LLM's text on the code-built fixture; the name is made unique in code."""
    name = unique_name(" ".join(answer.name.split())[:80] or offline.name, ctx, set(taken_names))
    expected = answer.expected_outcome.strip() if request.generate_expected_outcomes else ""
    expected = _tool_names_as_the_system(expected, plan.model)
    return offline.model_copy(update={
        "name": name,
        "instructions": answer.instructions.strip(),
        "expected_outcome_prompt": expected or offline.expected_outcome_prompt,
        "provenance": Provenance(engine=ENGINE_LLM, model=model, prompt_version=plan.prompt_version, seed=slot.seed,
                                 covers=list(slot.covers)),
    })


def _tool_names_as_the_system(text: str, model: AgentModel) -> str:
    """A model's outcome that says "calls `verify_cardholder`" says "calls the system", and drops the prompt's step
    numbers ("(Step 4)"): the judge reads the call, not the prompt's internals, and small models keep writing them
    after a re-ask (fixes code can make, line by line)."""
    for tool in model.tools:
        text = re.sub(rf"`?\b{re.escape(tool.name)}\b`?(?:\s+tools?\b)?", "the system", text)
    text = re.sub(r"\bthe the system\b", "the system", text, flags=re.I)
    text = re.sub(r"\bthe system(?:,? and the system)+(?:\s+tools?\b)?", "the system", text)  # "the X and the Y tools"
    return re.sub(r"[ \t]*\((?:see )?step \d+\)", "", text, flags=re.I)


# ---------------------------------------------------------------- the library call


def _without_near_duplicates(generator: ScenarioGenerator, agent: AgentSpec, plan: Plan, request: GenerationRequest,
                             scenarios: list[GeneratedScenario]) -> list[GeneratedScenario]:
    """Items written concurrently never saw each other: a later item too close to an earlier one is written
    again offline (bounded variations, the least similar kept)."""
    slots = {s.index: s for s in plan.slots}
    out: list[GeneratedScenario] = []
    for item in scenarios:
        if item.scenario_type == ScenarioKind.WORKFLOW and out:
            score, _ = most_similar(item.instructions, [(o.name, o.instructions) for o in out])
            if is_near_duplicate(score):
                taken = {o.name for o in out} | {e.name for e in agent.existing_scenarios}
                item = generator._write_offline(agent, plan, request, slots[item.index], taken, out,
                                                engine=ENGINE_FALLBACK)
        out.append(item)
    return out



def generate(agent: AgentSpec, request: GenerationRequest, llm: StructuredLLM | None = None, *,
             model: AgentModel | None = None) -> GenerationResult:
    """Plan, write every slot concurrently, check, and report (synchronous; for the CLI and benchmarks).
    `model` is an agent model already at hand (a cached one): then the agent is not understood again."""
    return asyncio.run(generate_async(agent, request, llm, model=model))


async def generate_async(agent: AgentSpec, request: GenerationRequest, llm: StructuredLLM | None = None, *,
                         model: AgentModel | None = None) -> GenerationResult:
    """The async body of `generate`."""
    generator = ScenarioGenerator(llm, seed=request.seed)
    plan, usage = await generator.plan(agent, request, cached_model=model)
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
    scenarios = _without_near_duplicates(generator, agent, plan, request, sorted(accepted, key=lambda s: s.index))
    return GenerationResult(
        plan=plan, scenarios=scenarios, errors=sorted(errors, key=lambda e: e.index), usage=usage.to_dict(),
        coverage=generator.coverage(plan, scenarios), diversity=generator.diversity(scenarios, agent.existing_scenarios),
    )
