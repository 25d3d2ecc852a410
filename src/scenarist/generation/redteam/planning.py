"""Plan red-teaming slots: one attack type; each slot pairs a risk of the agent's risk model with a technique."""

from __future__ import annotations

from scenarist.generation.agent_model import AgentModel
from scenarist.generation.personas import assign_personalities
from scenarist.generation.planning import slot_seed
from scenarist.generation.redteam.risks import Risk, build_risk_model
from scenarist.generation.redteam.techniques import Technique, technique_order
from scenarist.generation.types import AgentSpec, AttackType, GenerationRequest, ScenarioKind, Slot


def plan_attack_slots(agent: AgentSpec, model: AgentModel, request: GenerationRequest) -> list[Slot]:
    """n slots of `request.attack_type`: risks rotate (guardrail-backed first), techniques rotate so consecutive
    slots differ; after a full round of techniques each is paired with another risk."""
    if request.attack_type is None:
        raise ValueError("attack_type is required for red-teaming generation")
    model = ensure_model(agent, model)
    attack_type = request.attack_type
    voice = request.scenario_type == ScenarioKind.RED_TEAMING_VOICE
    risks = build_risk_model(model).for_type(attack_type)
    techniques = technique_order(voice, request.seed)
    slots = []
    for index in range(request.num_scenarios):
        risk, technique = pair(risks, techniques, index)
        slots.append(Slot(
            index=index, kind=request.scenario_type, category=f"attack:{attack_type.value}", attack_type=attack_type,
            tactic=technique.id, policy_id=risk.source if risk.source.startswith("policy:") else None,
            covers=covers_of(risk),
            seed=slot_seed(request.seed, index, (f"attack:{attack_type.value}", risk.id, technique.id)),
        ))
    assign_personalities(slots, request.personalities)
    return slots


def pair(risks: list[Risk], techniques: list[Technique], index: int) -> tuple[Risk, Technique]:
    """The (risk, technique) of slot `index`: both rotate; the risk advances once more per full technique round,
    so a technique meets a new risk before any pair repeats."""
    rounds = index // len(techniques)
    return risks[(index + rounds) % len(risks)], techniques[index % len(techniques)]


def covers_of(risk: Risk) -> list[str]:
    """Coverage ids of a risk: the risk itself and the policy it rests on."""
    return [risk.id] + ([risk.source] if risk.source.startswith("policy:") else [])


def ensure_model(agent: AgentSpec, model) -> AgentModel:
    """The AgentModel (a caller still passing the older analysis view gets the offline model of the agent)."""
    if isinstance(model, AgentModel):
        return model
    from scenarist.generation.understanding import build_agent_model

    return build_agent_model(agent)


def attack_type_of(slot: Slot, request: GenerationRequest) -> AttackType:
    """The slot's attack type (the request's when the slot has none)."""
    attack_type = slot.attack_type or request.attack_type
    if attack_type is None:
        raise ValueError("attack_type is required for red-teaming generation")
    return attack_type
