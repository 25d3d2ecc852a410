"""The scenario-generation job: plan once (persisted), write every missing slot concurrently, save each as it lands."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid
from typing import Any

from pydantic import ValidationError

from scenarist.generation.naming import unique_name
from scenarist.generation.understanding import agent_model_version_hash
from scenarist.generation.pipeline import ENGINE_FALLBACK, ScenarioGenerator
from scenarist.generation.types import GeneratedScenario, Plan
from scenarist.jobs import leases
from scenarist.jobs.api import JobCancelled, JobContext, JobFailed, LeaseLost, register_handler
from scenarist.jobs.models import JobItem, JobKind
from scenarist.llm.port import BudgetExceededError, LLMError, RefusalError

from . import analysis_cache
from .generation_inputs import GenerationInputs, load_inputs
from .models import Scenario, TestProfile
from .services import ensure_folder_path

log = logging.getLogger(__name__)

# Single flight of the agent analysis: the holder renews its lease; waiters poll the cache meanwhile.
ANALYSIS_LEASE_TTL_S = 30.0
ANALYSIS_WAIT_POLL_S = 0.25


def _unique_name(agent_id: int, name: str) -> str:
    """`name`, or a qualified variant when the agent already has one like it (checked inside the save transaction)."""
    taken = set(Scenario.objects.filter(agent_id=agent_id, name__istartswith=name[:20]).values_list("name", flat=True))
    return unique_name(name, taken)


def _mock_entries(item: GeneratedScenario, tool_ids_by_name: dict[str, int]) -> list[dict[str, Any]]:
    """Mock tool entries with the agent's real tool ids filled in."""
    entries = []
    for entry in item.generated_mock_tool_entries:
        data = entry.model_dump(mode="json")
        data["tool_id"] = tool_ids_by_name.get(entry.tool_name, entry.tool_id)
        entries.append(data)
    return entries


def make_saver(inputs: GenerationInputs, project_id: int, item: GeneratedScenario):
    """The sync save function for one generated item (runs inside the engine's fenced transaction)."""
    payload = inputs.payload

    def save(job) -> dict[str, Any]:
        profile_id = inputs.fixed_profile_id
        if profile_id is None and item.test_profile is not None:
            profile = TestProfile.objects.create(
                project_id=project_id, agent_id=payload["agent_id"],
                name=item.test_profile.name[:255], information=item.test_profile.information(),
            )
            profile_id = profile.pk
        if payload.get("folder_path"):
            ensure_folder_path(job.project, payload["folder_path"])
        tags = list(dict.fromkeys([*payload.get("tags", []), *item.tags, item.category]))
        scenario = Scenario.objects.create(
            project_id=project_id,
            agent_id=payload["agent_id"],
            name=_unique_name(payload["agent_id"], item.name),
            personality_id=item.personality_id,
            instructions=item.instructions,
            expected_outcome_prompt=item.expected_outcome_prompt,
            first_message=payload.get("first_message", "Hello"),
            scenario_language=item.scenario_language,
            scenario_type=item.scenario_type.value,
            tags=tags,
            tool_ids=payload.get("tool_ids", []),
            test_profile_id=profile_id,
            inbound_phone_number_id=payload.get("inbound_phone_number"),
            folder_path=payload.get("folder_path"),
            generated_mock_tool_entries=_mock_entries(item, inputs.tool_ids_by_name),
            attack_type=item.attack_type.value if item.attack_type else None,
            knowledge_base_sources=[s.model_dump(mode="json") for s in item.knowledge_base_sources],
            provenance=item.provenance.model_dump(mode="json"),
            job=job,
            job_index=item.index,
        )
        scenario.metrics.set(inputs.metric_ids)
        return {"scenario_id": scenario.pk, "item": item.model_dump(mode="json")}

    return save


def _saved_items(job_id: int) -> list[GeneratedScenario]:
    """Items an earlier attempt already saved (for de-duplication, names and the final reports)."""
    rows = JobItem.objects.filter(job_id=job_id).order_by("index").values_list("data", flat=True)
    return [GeneratedScenario.model_validate(d["item"]) for d in rows if d and "item" in d]


def _readable(exc: BaseException) -> str:
    """A one-line reason for the errors list."""
    if isinstance(exc, RefusalError):
        return f"The LLM provider refused to write this scenario: {exc}"
    if isinstance(exc, LLMError):
        return f"LLM provider error: {exc}"
    return f"{type(exc).__name__}: {exc}"


async def _plan(ctx: JobContext, generator: ScenarioGenerator, inputs: GenerationInputs) -> Plan:
    """The persisted plan of an earlier attempt, or a new one (agent model from the cache when the agent is unchanged)."""
    if ctx.result.get("plan"):
        try:
            return Plan.model_validate(ctx.result["plan"])
        except ValidationError:
            pass  # a plan persisted by an older version (before the agent model): plan again
    try:
        if ctx.llm is None:  # the offline agent model is local and cheap: nothing to share
            plan = await _plan_and_cache(ctx, generator, inputs)
        else:
            plan = await _plan_single_flight(ctx, generator, inputs)
    except LLMError as exc:
        raise JobFailed(f"Could not analyse the agent: {_readable(exc)}") from exc
    await ctx.set_result(plan=plan.model_dump(mode="json"))
    return plan


async def _plan_and_cache(ctx: JobContext, generator: ScenarioGenerator, inputs: GenerationInputs) -> Plan:
    """Plan with the cached agent model of this agent version, building (and caching) it when there is none."""
    cached = await ctx.db(analysis_cache.get, inputs.agent_spec, generator.engine_name)
    plan, _usage = await generator.plan(inputs.agent_spec, inputs.request, cached_model=cached)
    # _usage is already in ctx.meter: the per-job LLM view records every call
    if cached is None:
        await ctx.db(analysis_cache.put, inputs.agent_spec, generator.engine_name, plan.model)
    return plan


async def _plan_single_flight(ctx: JobContext, generator: ScenarioGenerator, inputs: GenerationInputs) -> Plan:
    """One analysis per agent version at a time, across jobs and workers: a named lease guards the cache fill.

    The job holding the lease analyses and fills the cache; the others wait for the cache (or for the lease,
    should the holder fail or die — its lease then expires) instead of paying for the same analysis.
    """
    name = f"analysis:{generator.engine_name}:{agent_model_version_hash(inputs.agent_spec)}"
    holder = f"job:{ctx.job_id}:{ctx.attempt}:{uuid.uuid4().hex[:8]}"
    while True:
        cached = await ctx.db(analysis_cache.get, inputs.agent_spec, generator.engine_name)
        if cached is not None:
            plan, _usage = await generator.plan(inputs.agent_spec, inputs.request, cached_model=cached)
            return plan
        if await ctx.db(leases.acquire, name, holder, ANALYSIS_LEASE_TTL_S):
            renew = asyncio.ensure_future(_renew(ctx, name, holder))
            try:
                return await _plan_and_cache(ctx, generator, inputs)  # re-reads the cache under the lease
            finally:
                renew.cancel()
                with contextlib.suppress(BaseException):
                    await ctx.db(leases.release, name, holder)
        await asyncio.sleep(ANALYSIS_WAIT_POLL_S)


async def _renew(ctx: JobContext, name: str, holder: str) -> None:
    """Keep the analysis lease while the analysis runs (a dead holder's lease lapses after the TTL)."""
    while True:
        await asyncio.sleep(ANALYSIS_LEASE_TTL_S / 3)
        with contextlib.suppress(Exception):
            await ctx.db(leases.acquire, name, holder, ANALYSIS_LEASE_TTL_S)


@register_handler(JobKind.GENERATE_SCENARIOS)
async def handle_generate_scenarios(ctx: JobContext) -> None:
    """Generate `num_scenarios` scenarios for the payload's agent; each is saved the moment it is written."""
    inputs = await ctx.db(load_inputs, ctx.project_id, ctx.payload)
    generator = ScenarioGenerator(ctx.llm, seed=inputs.request.seed)
    await ctx.set_total(inputs.request.num_scenarios)
    plan = await _plan(ctx, generator, inputs)

    accepted = await ctx.db(_saved_items, ctx.job_id)
    done = {item.index for item in accepted} | await ctx.done_indexes()
    existing = inputs.agent_spec.existing_scenarios
    taken_names = {s.name for s in existing} | {s.name for s in accepted}
    budget_spent = asyncio.Event()
    provider_errors: list[str] = []

    async def run_slot(slot) -> None:
        if budget_spent.is_set():
            await ctx.record_failure(slot.index, "Token budget for this job is spent; scenario not written.")
            return
        ctx.raise_if_cancelled()
        try:
            item, usage = await generator.write_item(
                inputs.agent_spec, plan, inputs.request, slot, taken_names=taken_names, accepted=accepted
            )
        except BudgetExceededError as exc:
            budget_spent.set()
            await ctx.record_failure(slot.index, f"Token budget for this job is spent: {exc}")
            return
        except (JobCancelled, LeaseLost):
            raise
        except Exception as exc:  # one bad item must not sink the batch; it is reported against its index
            log.exception("job %s: item %s failed", ctx.job_id, slot.index)
            if isinstance(exc, LLMError):
                provider_errors.append(_readable(exc))
            await ctx.record_failure(slot.index, _readable(exc))
            return
        del usage  # already in ctx.meter (recorded by the per-job LLM view as each answer arrived)
        if ctx.llm is not None and item.provenance.engine == ENGINE_FALLBACK:
            ctx.meter.record_fallback()  # the model's answers failed the checks: the offline writer stood in
        taken_names.add(item.name)  # no await between these two lines: safe on the one event loop
        accepted.append(item)
        await ctx.save_item(slot.index, make_saver(inputs, ctx.project_id, item))

    # A TaskGroup, not gather: when one slot raises (lease lost, cancel) its siblings are cancelled at once.
    async with asyncio.TaskGroup() as group:
        for slot in plan.slots:
            if slot.index not in done:
                group.create_task(run_slot(slot))
    ctx.raise_if_cancelled()

    final = sorted(await ctx.db(_saved_items, ctx.job_id), key=lambda s: s.index)
    await ctx.set_result(
        coverage=generator.coverage(plan, final),
        diversity=generator.diversity(final, existing),
    )
    if not final and provider_errors:  # nothing could be written at all: the job failed, and says why
        raise JobFailed(f"No scenario could be written; the LLM provider kept failing: {provider_errors[0]}")
