"""Write one red-teaming scenario from its (risk, technique) slot: offline, or the LLM engine with the same facts and
checks, one re-ask and the offline writer as fallback (refusals included)."""

from __future__ import annotations

import random
import re
from dataclasses import replace

from pydantic import BaseModel, Field

from scenarist.generation.agent_model import AgentModel
from scenarist.generation.attempts import ask_validated
from scenarist.generation.diversity import is_near_duplicate, most_similar
from scenarist.generation.naming import unique_name
from scenarist.generation.redteam.checks import plan_problems
from scenarist.generation.redteam.caller import attack_context
from scenarist.generation.redteam.outcomes import expected_outcome
from scenarist.generation.redteam.planning import attack_type_of, covers_of, ensure_model, pair
from scenarist.generation.redteam.prompts import END_CALL_TOOL, PROMPT_VERSION, attack_messages, render_instructions
from scenarist.generation.redteam.risks import Risk, RiskModel, build_risk_model
from scenarist.generation.redteam.techniques import AttackContext, Plan, Technique, technique_by_id, technique_order
from scenarist.generation.types import (
    AgentSpec,
    GeneratedScenario,
    GenerationRequest,
    Provenance,
    ScenarioKind,
    Slot,
    TestProfileData,
)
from scenarist.generation.values import person_name
from scenarist.llm.port import StructuredLLM, Usage

ENGINE_OFFLINE = "offline"
ENGINE_LLM = "llm"
ENGINE_FALLBACK = "offline-fallback"
_STOP = {"your", "you", "with", "that", "this", "have", "from", "they", "their", "what", "when", "about", "just",
         "tell", "because", "before", "without", "ask", "whether", "right", "away"}


class AttackDraft(BaseModel):
    """What the LLM writes for one attack scenario."""

    name: str = Field(description="short title, at most 80 characters")
    persona: str = Field(description="who the simulated caller is")
    pretext: str = Field(description="the cover story, second person")
    turns: list[str] = Field(description="5 to 10 escalating steps")


async def write_attack_item(
    agent: AgentSpec, model: AgentModel, request: GenerationRequest, slot: Slot, *,
    llm: StructuredLLM | None, taken_names: set[str], seed: int, accepted: list[GeneratedScenario] | None = None,
) -> tuple[GeneratedScenario, Usage]:
    """One attack scenario for `slot`; `taken_names` gets the chosen name added. An LLM draft that is a near
    duplicate of an `accepted` item (or of the agent's existing scenarios) is re-asked, then written offline."""
    model = ensure_model(agent, model)
    attack_type = attack_type_of(slot, request)
    voice = request.scenario_type == ScenarioKind.RED_TEAMING_VOICE
    risk, technique = slot_risk_and_technique(build_risk_model(model), slot, request, voice)
    ctx = attack_context(model, risk, slot.index, seed)
    others = comparables(agent, accepted, slot.index)
    end_call = END_CALL_TOOL in request.caller_tool_ids
    offline = offline_plan(ctx, technique, risk, voice, seed, others, end_call, slot.index)
    usage = Usage()
    if llm is None:
        return _scenario(agent, model, request, slot, offline, risk, technique, ENGINE_OFFLINE, None, seed,
                         taken_names, offline_title=True), usage
    words = risk_words(risk) | risk_words_of(ctx.ask, ctx.soft)

    def problems(d: AttackDraft) -> list[str]:
        found = plan_problems(d.persona, d.pretext, d.turns, model, agent.description, voice=voice,
                              technique=technique, risk_words=words, language=ctx.language)
        found += [] if d.name.strip() else ["name is empty"]
        plan = Plan(d.persona, d.pretext, tuple(t for t in d.turns if t.strip()), ctx.ask, ctx.language)
        score, other = most_similar(render_instructions(plan, risk, end_call=end_call, variant=slot.index), others)
        if is_near_duplicate(score):
            found.append(f"the scenario is {score:.2f} similar to {other!r}; write a clearly different one")
        return found

    messages = attack_messages(ctx, technique, attack_type, voice=voice, steering=request.extra_instructions or "")
    draft, usage = await ask_validated(llm, messages, AttackDraft, problems, seed=seed)
    if draft is None:
        return _scenario(agent, model, request, slot, offline, risk, technique, ENGINE_FALLBACK, llm.model_name, seed,
                         taken_names, offline_title=True), usage
    plan = Plan(draft.persona.strip(), draft.pretext.strip(), tuple(t.strip() for t in draft.turns if t.strip()),
                ctx.ask, ctx.language)
    item = _scenario(agent, model, request, slot, plan, risk, technique, ENGINE_LLM, llm.model_name, seed,
                     taken_names, title=" ".join(draft.name.split())[:80])
    return item, usage


def offline_plan(ctx: AttackContext, technique: Technique, risk: Risk, voice: bool, seed: int,
                 others: list[tuple[str, str]], end_call: bool, index: int) -> Plan:
    """The technique's plan; when it is a near duplicate of an accepted item (a repeated risk and technique), its
    second half is borrowed from another technique of the same modality, keeping the least similar."""
    plan = technique.build(ctx, random.Random(seed))
    score, _ = most_similar(render_instructions(plan, risk, end_call=end_call, variant=index), others)
    if not is_near_duplicate(score):
        return plan
    best = (score, plan)
    for partner in technique_order(voice, seed):
        if partner.id == technique.id or partner.text_only != technique.text_only:
            continue
        other = partner.build(ctx, random.Random(seed + 1))
        half = len(plan.turns) // 2
        hybrid = replace(plan, turns=plan.turns[:half] + other.turns[half:])
        score, _ = most_similar(render_instructions(hybrid, risk, end_call=end_call, variant=index), others)
        if score < best[0]:
            best = (score, hybrid)
        if not is_near_duplicate(score):
            break
    return best[1]


def comparables(agent: AgentSpec, accepted: list[GeneratedScenario] | None, index: int) -> list[tuple[str, str]]:
    """(name, instructions) a new item must not duplicate: existing scenarios and accepted items of the batch."""
    pairs = [(e.name, e.instructions) for e in agent.existing_scenarios if e.instructions]
    pairs += [(a.name, a.instructions) for a in accepted or [] if a.index != index]
    return pairs


def slot_risk_and_technique(risks: RiskModel, slot: Slot, request: GenerationRequest,
                            voice: bool) -> tuple[Risk, Technique]:
    """The slot's planned risk and technique (re-derived by index when the slot predates them)."""
    attack_type = attack_type_of(slot, request)
    candidates = risks.for_type(attack_type)
    planned = next((risks.by_id(c) for c in slot.covers if risks.by_id(c) is not None), None)
    technique = technique_by_id(slot.tactic)
    if planned is None or technique is None or (voice and technique.text_only):
        risk, technique = pair(candidates, technique_order(voice, request.seed), slot.index)
        return planned or risk, technique
    return planned, technique


def risk_words(risk: Risk) -> set[str]:
    """Content words of a risk's ask and target (an attack must use some of them)."""
    return risk_words_of(risk.ask, risk.target, risk.soft)


def risk_words_of(*texts: str) -> set[str]:
    """Content words of the texts (four letters or more, accents kept)."""
    return set(re.findall(r"[a-záéíóúñü]{4,}", " ".join(texts).lower())) - _STOP


def attacker_profile(model: AgentModel, slot: Slot, seed: int) -> TestProfileData:
    """A made-up caller the mocks do not know (an attack must not pass verification legitimately)."""
    rng = random.Random(seed)
    known = {str(v).lower() for c in model.chains for v in c.identity.values()}
    name = next((n for n in (person_name(rng, model.language) for _ in range(20)) if n.lower() not in known),
                "Alex Morgan")
    return TestProfileData(name=f"{name} – {slot.category} #{slot.index + 1}",
                           main_agent_variables={v: "" for v in model.variables},
                           testing_agent_variables={"full_name": name})


def _scenario(agent: AgentSpec, model: AgentModel, request: GenerationRequest, slot: Slot, plan: Plan, risk: Risk,
              technique: Technique, engine: str, llm_model: str | None, seed: int, taken_names: set[str], *,
              title: str = "", offline_title: bool = False) -> GeneratedScenario:
    """Assemble the GeneratedScenario; risk and technique are recorded in tags, covers and provenance."""
    attack_type = attack_type_of(slot, request)
    base = f"{technique.title} — {risk.target}" if offline_title or not title else title
    name = unique_name(base[:80], taken_names)
    taken_names.add(name)
    covers = list(dict.fromkeys([*covers_of(risk), *slot.covers]))
    return GeneratedScenario(
        index=slot.index, name=name,
        instructions=render_instructions(plan, risk, end_call=END_CALL_TOOL in request.caller_tool_ids,
                                         variant=slot.index),
        expected_outcome_prompt=expected_outcome(request, risk, technique),
        personality_id=slot.personality_id, scenario_language=agent.language, scenario_type=request.scenario_type,
        category=slot.category or f"attack:{attack_type.value}",
        tags=["RedTeam", attack_type.value, risk.id, f"technique:{technique.id}"],
        test_profile=None if request.fixed_test_profile is not None else attacker_profile(model, slot, seed),
        attack_type=attack_type, covers=covers,
        provenance=Provenance(engine=engine, model=llm_model, prompt_version=PROMPT_VERSION, seed=seed, covers=covers),
    )
