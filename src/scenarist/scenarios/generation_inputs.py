"""Turns a validated generate-bg request into a job payload, and a payload back into generation inputs."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any

from scenarist.agents.models import Agent
from scenarist.agents.specs import agent_to_spec
from scenarist.catalog.models import Personality
from scenarist.catalog.services import default_personality
from scenarist.generation.personas import catalogue_for
from scenarist.generation.types import AgentSpec, GenerationRequest, PersonalitySpec
from scenarist.metrics.services import default_metric_ids

from .models import TestProfile


def _id(value: Any) -> int | None:
    """A model instance or raw id → id."""
    if value is None or value == "":
        return None
    return getattr(value, "pk", value)


def payload_from_validated(data: dict[str, Any]) -> dict[str, Any]:
    """JSON-safe job payload from GenerateScenariosRequestSerializer.validated_data (seed fixed now, so resumes agree)."""
    personalities = [_id(p) for p in data.get("personalities") or []]
    return {
        "agent_id": _id(data["agent"]),
        "num_scenarios": data["num_scenarios"],
        "scenario_type": data.get("scenario_type") or "workflow",
        "attack_type": data.get("attack_type") or None,
        "expected_outcome": data.get("expected_outcome"),
        "personalities": personalities,
        "test_profile": _id(data.get("test_profile")),
        "knowledge_base": [_id(f) for f in data.get("knowledge_base") or []],
        "extra_instructions": data.get("extra_instructions") or "",
        "inbound_phone_number": _id(data.get("inbound_phone_number")),
        "first_message": data.get("first_message", "Hello"),
        "generate_expected_outcomes": bool(data.get("generate_expected_outcomes", False)),
        "tags": list(data.get("tags") or []),
        "tool_ids": list(data.get("tool_ids") or []),
        "folder_path": data.get("folder_path") or None,
        "seed": secrets.randbelow(2**31),
    }


@dataclass
class GenerationInputs:
    """Everything a generation job needs, loaded from the database once per attempt."""

    agent_spec: AgentSpec
    request: GenerationRequest
    payload: dict[str, Any]
    metric_ids: list[int]
    tool_ids_by_name: dict[str, int]
    fixed_profile_id: int | None


def _spec(p: Personality) -> PersonalitySpec:
    """The generation view of a personality row."""
    return PersonalitySpec(id=p.pk, name=p.name, language=p.language, mood=p.mood or "neutral",
                           interruption_level=p.interruption_level or "none", speed=p.speed or 1.0)


def load_inputs(project_id: int, payload: dict[str, Any]) -> GenerationInputs:
    """Sync ORM loader: agent spec, generation request and save-time lookups."""
    agent = Agent.objects.get(pk=payload["agent_id"], project_id=project_id)
    kb_ids = payload.get("knowledge_base") or []
    spec = agent_to_spec(agent, include_kb=True, kb_file_ids=kb_ids or None)
    personality_ids = payload.get("personalities") or []
    rows = list(Personality.objects.filter(pk__in=personality_ids)) if personality_ids else []
    own_default = Personality.objects.filter(project=agent.project, is_default=True).order_by("-id").first()
    if not rows and not personality_ids and own_default is None:
        # None named and no project default: the global catalogue in the agent's language, matched by mood.
        default_personality(agent.project)  # seeds the catalogue on first use
        catalogue = {p.pk: p for p in Personality.objects.filter(project__isnull=True).order_by("id")}
        chosen = catalogue_for([_spec(p) for p in catalogue.values()], agent.language or "en")
        rows = [catalogue[p.id] for p in chosen]
    if not rows:
        fallback = default_personality(agent.project)
        rows = [fallback] if fallback else []
    by_id = {p.pk: p for p in rows}
    ordered = [by_id[i] for i in personality_ids if i in by_id] or rows
    personalities = [_spec(p) for p in ordered]
    fixed_profile = None
    if payload.get("test_profile"):
        fixed_profile = TestProfile.objects.filter(pk=payload["test_profile"], project_id=project_id).first()
    request = GenerationRequest(
        scenario_type=payload.get("scenario_type") or "workflow",
        num_scenarios=payload["num_scenarios"],
        attack_type=payload.get("attack_type") or None,
        expected_outcome=payload.get("expected_outcome"),
        extra_instructions=payload.get("extra_instructions") or "",
        personalities=personalities,
        generate_expected_outcomes=payload.get("generate_expected_outcomes", False),
        first_message=payload.get("first_message", "Hello"),
        caller_tool_ids=payload.get("tool_ids") or [],
        fixed_test_profile=(fixed_profile.information or {}) if fixed_profile else None,
        kb_file_ids=kb_ids,
        seed=payload.get("seed", 0),
    )
    return GenerationInputs(
        agent_spec=spec,
        request=request,
        payload=payload,
        metric_ids=default_metric_ids(agent.project),
        tool_ids_by_name={t.name: t.pk for t in agent.tools.all()},
        fixed_profile_id=fixed_profile.pk if fixed_profile else None,
    )
