"""Plan red-teaming slots: one attack type, distinct tactics rotating, targets rotating over the agent's assets."""

from __future__ import annotations

import random

from scenarist.generation.personas import assign_personalities
from scenarist.generation.planning import slot_seed
from scenarist.generation.redteam.assets import collect_assets
from scenarist.generation.redteam.strategies import Tactic, tactics_for
from scenarist.generation.types import AgentAnalysis, AgentSpec, GenerationRequest, ScenarioKind, Slot


def plan_attack_slots(agent: AgentSpec, analysis: AgentAnalysis, request: GenerationRequest) -> list[Slot]:
    """n slots of `request.attack_type`; tactics rotate so consecutive slots differ, targets rotate over assets."""
    if request.attack_type is None:
        raise ValueError("attack_type is required for red-teaming generation")
    attack_type = request.attack_type
    voice = request.scenario_type == ScenarioKind.RED_TEAMING_VOICE
    tactics = tactic_order(tactics_for(attack_type, voice=voice), request.seed)
    assets = collect_assets(agent, analysis)
    rng = random.Random(request.seed)
    tool_offset = rng.randrange(len(assets.tools)) if assets.tools else 0
    policy_offset = rng.randrange(len(assets.policies)) if assets.policies else 0
    slots: list[Slot] = []
    for index in range(request.num_scenarios):
        tactic = tactics[index % len(tactics)]
        round_no = index // len(tactics)
        # After a full round, each tactic is paired with another one's escalation (a hybrid) so no plan repeats.
        partner = tactics[(index + round_no) % len(tactics)] if round_no else tactic
        tactic_id = tactic.id if partner is tactic else f"{tactic.id}+{partner.id}"
        tool = assets.tools[(index + tool_offset) % len(assets.tools)] if assets.tools else None
        # Policies advance once per full tactic cycle too, so repeated tactics meet a different rule.
        policy_index = index + index // len(tactics) + policy_offset
        policy = assets.policies[policy_index % len(assets.policies)] if assets.policies else None
        covers = [c for c in (tool.id if tool else None, policy.id if policy else None) if c]
        key = (f"attack:{attack_type.value}", tactic_id, tool.name if tool else None)
        slots.append(
            Slot(
                index=index,
                kind=request.scenario_type,
                category=f"attack:{attack_type.value}",
                attack_type=attack_type,
                tactic=tactic_id,
                tool_name=tool.name if tool else None,
                covers=covers,
                seed=slot_seed(request.seed, index, key),
            )
        )
    assign_personalities(slots, request.personalities)
    return slots


def tactic_order(tactics: list[Tactic], seed: int) -> list[Tactic]:
    """Seeded order; in text mode speakable and text-only tactics alternate so small batches get both."""
    rng = random.Random(seed)
    speakable = [t for t in tactics if not t.text_only]
    text_only = [t for t in tactics if t.text_only]
    rng.shuffle(speakable)
    rng.shuffle(text_only)
    ordered: list[Tactic] = []
    for i in range(max(len(speakable), len(text_only))):
        ordered.extend(group[i] for group in (speakable, text_only) if i < len(group))
    return ordered
