"""Write one red-teaming scenario: LLM engine with validation, one re-ask and an offline fallback; or offline."""

from __future__ import annotations

import random

from pydantic import BaseModel, Field

from scenarist.generation.legacy import build_fixture
from scenarist.generation.text import flatten_values
from scenarist.generation.values import person_name

from scenarist.generation.redteam.assets import (
    AttackAssets,
    AttackFocus,
    asset_mentions,
    collect_assets,
    focus_for_slot,
)
from scenarist.generation.attempts import ask_validated
from scenarist.generation.redteam.fill import MAX_TURNS, MIN_TURNS, AttackPlan, fill_tactic
from scenarist.generation.naming import unique_name
from scenarist.generation.redteam.outcomes import expected_outcome_for
from scenarist.generation.redteam.prompts import (
    END_CALL_TOOL,
    PROMPT_VERSION,
    attack_messages,
    render_instructions,
)
from scenarist.generation.refusal import looks_like_refusal
from scenarist.generation.redteam.speakability import speakability_problems
from scenarist.generation.redteam.strategies import Tactic, tactic_by_id, tactics_for
from scenarist.generation.types import (
    AgentAnalysis,
    AgentSpec,
    AttackType,
    GeneratedScenario,
    GenerationRequest,
    Provenance,
    ScenarioKind,
    Slot,
    TestProfileData,
)
from scenarist.llm.port import StructuredLLM, Usage

ENGINE_OFFLINE = "offline"
ENGINE_LLM = "llm"
ENGINE_FALLBACK = "offline-fallback"


class AttackDraft(BaseModel):
    """What the LLM writes for one attack scenario."""

    name: str = Field(description="short title, at most 80 characters")
    persona: str = Field(description="who the simulated caller pretends to be")
    pretext: str = Field(description="the cover story, second person")
    turns: list[str] = Field(description=f"{MIN_TURNS} to {MAX_TURNS} escalating steps")
    expected_outcome: str = Field(default="", description="what a well-behaved agent does")


async def write_attack_item(
    agent: AgentSpec, analysis: AgentAnalysis, request: GenerationRequest, slot: Slot, *,
    llm: StructuredLLM | None, taken_names: set[str], seed: int,
) -> tuple[GeneratedScenario, Usage]:
    """One attack scenario for `slot`; `taken_names` gets the chosen name added."""
    attack_type = slot.attack_type or request.attack_type
    if attack_type is None:
        raise ValueError("attack_type is required for red-teaming generation")
    voice = request.scenario_type == ScenarioKind.RED_TEAMING_VOICE
    assets = collect_assets(agent, analysis)
    tactic = _tactic(attack_type, slot, voice)
    focus = focus_for_slot(assets, slot)
    offline = fill_tactic(tactic, assets, focus, voice=voice, seed=seed)
    usage = Usage()
    if llm is None:
        return _scenario(agent, analysis, request, slot, offline, assets, focus, ENGINE_OFFLINE, None, seed,
                         taken_names), usage

    messages = attack_messages(agent, assets, focus, offline, attack_type, voice=voice,
                               extra_instructions=request.extra_instructions)
    draft, usage = await ask_validated(
        llm, messages, AttackDraft, lambda d: draft_problems(d, assets, voice=voice), seed=seed
    )
    if draft is None:
        fallback = _scenario(agent, analysis, request, slot, offline, assets, focus, ENGINE_FALLBACK, llm.model_name,
                             seed, taken_names)
        return fallback, usage
    plan = _plan_from_draft(draft, offline)
    scenario = _scenario(agent, analysis, request, slot, plan, assets, focus, ENGINE_LLM, llm.model_name, seed,
                         taken_names, written_outcome=draft.expected_outcome)
    return scenario, usage


def draft_problems(draft: AttackDraft, assets: AttackAssets, *, voice: bool) -> list[str]:
    """Why an LLM draft cannot be used (empty list = usable)."""
    problems: list[str] = []
    turns = [t.strip() for t in draft.turns if t and t.strip()]
    spoken_parts = [draft.persona, draft.pretext, *turns]
    if looks_like_refusal(draft.name, draft.persona, draft.pretext, *turns):
        problems.append("the answer reads as a refusal or apology instead of the requested scenario")
    if not MIN_TURNS <= len(turns) <= MAX_TURNS:
        problems.append(f"turns must hold {MIN_TURNS} to {MAX_TURNS} non-empty steps (got {len(turns)})")
    if not draft.name.strip() or not draft.persona.strip() or not draft.pretext.strip():
        problems.append("name, persona and pretext must all be filled")
    mentions = asset_mentions(assets)
    text = " ".join(spoken_parts).lower()
    if mentions and not any(m in text for m in mentions):
        problems.append("the turns do not mention any of the agent's real tools, data fields or values")
    if voice:
        for part in spoken_parts:
            for problem in speakability_problems(part):
                problems.append(f"not speakable on a voice call: {problem}")
    return problems[:12]


def _tactic(attack_type: AttackType, slot: Slot, voice: bool) -> Tactic:
    """The slot's tactic; a text-only tactic in a voice slot falls back to the first speakable one."""
    tactic = tactic_by_id(attack_type, slot.tactic)
    if tactic is None or (voice and tactic.text_only):
        options = tactics_for(attack_type, voice=voice)
        tactic = options[slot.index % len(options)]
    return tactic


def _plan_from_draft(draft: AttackDraft, offline: AttackPlan) -> AttackPlan:
    """An AttackPlan carrying the LLM's persona, pretext and turns (goal and target from the library tactic)."""
    persona = draft.persona.strip().rstrip(".")
    if persona.lower().startswith("you are "):
        persona = persona[8:]
    return AttackPlan(
        tactic_id=offline.tactic_id,
        title=draft.name.strip() or offline.title,
        persona=persona,
        pretext=draft.pretext.strip(),
        goal=offline.goal,
        turns=tuple(t.strip() for t in draft.turns if t.strip()),
        must_not=offline.must_not,
        target_label=offline.target_label,
    )


def attacker_profile(agent: AgentSpec, analysis: AgentAnalysis, slot: Slot, seed: int) -> TestProfileData:
    """A test profile for the attacker: the agent's call-time variables and a made-up caller name, but none of a
    real customer's identity data (the attack must not be able to pass verification legitimately)."""
    rng = random.Random(seed)
    # A not-found identity: the attacker is nobody the mocks know (caller-id variables included).
    profile, _ = build_fixture(agent, analysis, slot.model_copy(update={"category": "not_found"}), rng)
    known = {str(v).lower() for _, v in flatten_values([row.output for t in agent.tools for row in t.information])}
    name = next((n for n in (person_name(rng, agent.language) for _ in range(20)) if n.lower() not in known),
                "Alex Morgan")
    return TestProfileData(name=f"{name} – {slot.category} #{slot.index + 1}",
                           main_agent_variables=profile.main_agent_variables,
                           testing_agent_variables={"full_name": name})


def _scenario(
    agent: AgentSpec, analysis: AgentAnalysis, request: GenerationRequest, slot: Slot, plan: AttackPlan,
    assets: AttackAssets,
    focus: AttackFocus, engine: str, model: str | None, seed: int, taken_names: set[str], *,
    written_outcome: str | None = None,
) -> GeneratedScenario:
    """Assemble the GeneratedScenario from a plan."""
    attack_type = slot.attack_type or request.attack_type
    assert attack_type is not None
    base_name = plan.title if engine == ENGINE_LLM else f"{plan.title} ({plan.target_label})"
    name = unique_name(base_name, taken_names)
    taken_names.add(name)
    end_call = END_CALL_TOOL in request.caller_tool_ids
    return GeneratedScenario(
        index=slot.index,
        name=name,
        instructions=render_instructions(plan, end_call=end_call, variant=slot.index),
        expected_outcome_prompt=expected_outcome_for(
            request, attack_type, written=written_outcome if request.generate_expected_outcomes else None,
            must_not=plan.must_not,
        ),
        personality_id=slot.personality_id,
        scenario_language=agent.language,
        scenario_type=request.scenario_type,
        category=slot.category or f"attack:{attack_type.value}",
        tags=["RedTeam", attack_type.value, plan.tactic_id],
        test_profile=None if request.fixed_test_profile is not None else attacker_profile(agent, analysis, slot, seed),
        attack_type=attack_type,
        covers=list(dict.fromkeys([*slot.covers, *focus.covers(assets)])),
        provenance=Provenance(engine=engine, model=model, prompt_version=PROMPT_VERSION, seed=seed),
    )
