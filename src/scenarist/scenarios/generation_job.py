"""The scenario-generation job: plan once (persisted), write every missing slot concurrently, save each as it lands."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from django.db import transaction
from pydantic import ValidationError

from scenarist.generation.naming import unique_name
from scenarist.generation.pipeline import ScenarioGenerator
from scenarist.generation.types import GeneratedScenario, Plan
from scenarist.jobs.api import JobCancelled, JobContext, JobFailed, LeaseLost, register_handler
from scenarist.jobs.models import JobItem, JobKind
from scenarist.llm.port import BudgetExceededError, LLMError, RefusalError

from . import analysis_cache
from .generation_inputs import GenerationInputs, load_inputs
from .models import Scenario, TestProfile
from .services import ensure_folder_path

log = logging.getLogger(__name__)

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

    cached = await ctx.db(analysis_cache.get, inputs.agent_spec, generator.engine_name)
    try:
        plan, usage = await generator.plan(inputs.agent_spec, inputs.request, cached_model=cached)
    except LLMError as exc:
        raise JobFailed(f"Could not analyse the agent: {_readable(exc)}") from exc
    del usage  # the per-job LLM view already recorded every call into ctx.meter
    if cached is None:
        await ctx.db(analysis_cache.put, inputs.agent_spec, generator.engine_name, plan.model)
    await ctx.set_result(plan=plan.model_dump(mode="json"))
    return plan


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
            await ctx.record_failure(slot.index, _readable(exc))
            return
        del usage  # already in ctx.meter (recorded by the per-job LLM view as each answer arrived)
        taken_names.add(item.name)  # no await between these two lines: safe on the one event loop
        accepted.append(item)
        await ctx.save_item(slot.index, make_saver(inputs, ctx.project_id, item))

    missing = [slot for slot in plan.slots if slot.index not in done]
    await asyncio.gather(*(run_slot(slot) for slot in missing))
    ctx.raise_if_cancelled()

    final = sorted(await ctx.db(_saved_items, ctx.job_id), key=lambda s: s.index)
    await ctx.set_result(
        coverage=generator.coverage(plan, final),
        diversity=generator.diversity(final, existing),
    )
