"""Offline writer for workflow scenarios: name, second-person instructions, expected outcome, category tag."""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from typing import Any

from ..complications import Complication, by_key
from ..fields import is_identity_field, is_person_field, same_field
from ..fixtures import build_fixture
from ..text import goal_phrase, humanise_identifier, truncate, verb_base
from ..types import (
    AgentAnalysis,
    AgentSpec,
    GeneratedScenario,
    GenerationRequest,
    Intent,
    MockToolEntry,
    Plan,
    Policy,
    Provenance,
    ScenarioKind,
    Slot,
    TestProfileData,
)
from ..values import organisation_name
from .phrasing import strip_tool_mentions, caller_step, caller_view, conditional_probe, fact_phrase, inquiry_step, label, ref

NAME_LIMIT = 80
END_CALL_TOOLS = ("TOOL_END_CALL",)
TRANSFER_END_TOOLS = ("TOOL_END_CALL_ONLY_ON_TRANSFER", "TOOL_END_CALL_ON_TRANSFER")
LANGUAGE_NAMES = {"en": "English", "es": "Spanish", "fr": "French", "de": "German", "it": "Italian", "pt": "Portuguese",
                  "nl": "Dutch", "hi": "Hindi", "ru": "Russian", "zh": "Chinese", "ja": "Japanese", "ko": "Korean",
                  "ar": "Arabic", "pl": "Polish", "tr": "Turkish", "sv": "Swedish"}
_ROLE_BY_DOMAIN = {"dental clinic": "patient", "healthcare": "patient", "banking and cards": "cardholder",
                   "food delivery": "customer", "airline": "passenger", "hospitality": "guest", "insurance": "policyholder"}
_REASONS = {
    "booking": ["your schedule has just freed up", "you want it done before a trip next month",
                "a reminder letter prompted you", "you have been putting it off for a while"],
    "cancellation": ["something came up at work", "you will be travelling that week", "a family matter clashes with it"],
    "change": ["your plans have changed", "you have just moved", "the original choice no longer works for you"],
    "payment": ["you spotted it on your statement this morning", "the amount does not look right to you",
                "you want to settle it before the end of the month"],
    "report": ["you noticed it this morning", "it happened last night", "it has been bothering you since yesterday"],
    "status": ["you have been waiting longer than expected", "you need to plan your day around it",
               "nobody has updated you yet"],
    "inquiry": ["you are planning a visit", "a family member asked you to check", "you could not find it online"],
    "escalation": ["you want to speak to someone who can decide", "the issue is more complex than usual"],
    "general": ["you want it sorted today", "you were told to call this number"],
}
_CONTEXT = [
    "You are short on time today and want this settled in one call.",
    "A friend told you this was handled differently for them last month.",
    "You tried the website first and it did not help.",
    "You are calling during a short break at work.",
    "This is the second time you have called about it.",
    "You have the details ready in front of you.",
    "You are organised and like to confirm things twice.",
    "You want to avoid having to call back later.",
]
_OPENERS = [
    "You are {role} calling {org} to {goal}.",
    "You are phoning {org} because you want to {goal}.",
    "You are {role} of {org} and you need to {goal}.",
    "Your call to {org} is about one thing: you want to {goal}.",
    "You are ringing {org} today to {goal}.",
]
_IDENTITY_STEPS = [
    "When the agent asks who you are, give your {pairs}.",
    "Answer identity questions with the details in your profile: {pairs}.",
    "Give your {first} when asked and add {rest} only if the agent asks for it.",
    "If the agent needs to verify you, provide your {pairs}, one at a time.",
]
_DONE = {
    "happy_path": "the agent has confirmed {outcome}",
    "alternate_path": "the agent has confirmed {outcome}",
    "listed": "the agent has confirmed {outcome} or told you clearly why it cannot",
    "edge_case": "the agent has confirmed {outcome} or explained what it needs instead",
    "not_found": "the agent has told you it cannot find you and what you can do next",
    "tool_failure": "you know whether anything was changed and what happens next",
    "guardrail": "the agent has either held to its rule twice or given in",
}


@dataclass
class WritingContext:
    """Everything a writer (offline or LLM) needs to know about one slot."""

    slot: Slot
    intent: Intent | None
    policy: Policy | None
    complication: Complication | None
    profile: TestProfileData
    entries: list[MockToolEntry]
    goal: str
    org: str
    role: str
    identity_keys: list[str] = field(default_factory=list)
    facts: dict[str, Any] = field(default_factory=dict)
    steering: str = ""


def build_context(agent: AgentSpec, plan: Plan, request: GenerationRequest, slot: Slot,
                  variation: int = 0) -> WritingContext:
    """Fixture plus the derived goal/role/facts of a slot (deterministic for slot.seed and variation)."""
    analysis = plan.analysis
    rng = random.Random(slot.seed)
    profile, entries = build_fixture(agent, analysis, slot, rng)
    if request.fixed_test_profile is not None:
        profile = fixed_profile(request.fixed_test_profile)
    intent = next((i for i in analysis.intents if i.id == slot.intent_id), None)
    policy = next((p for p in analysis.policies if p.id in slot.covers), None) if slot.category == "guardrail" else None
    complication = by_key((slot.complication or "").split("#")[0])
    testing = profile.testing_agent_variables
    identity_keys = [k for k in testing if _is_identity_key(k, analysis)]
    facts = {k: v for k, v in testing.items() if k not in identity_keys and k != "name" and not isinstance(v, dict)
             and (not is_person_field(k) or (intent is not None and intent.kind == "change"))}
    if intent is not None:
        goal = goal_phrase(intent.name, intent.kind)
    elif slot.tool_name:
        goal = goal_phrase(humanise_identifier(slot.tool_name))
    else:
        goal = f"get help from {organisation_name(agent.name)}"
    return WritingContext(
        slot=slot, intent=intent, policy=policy, complication=complication, profile=profile, entries=entries,
        goal=goal, org=organisation_name(agent.name, agent.description), role=_ROLE_BY_DOMAIN.get(analysis.domain, "a customer"),
        identity_keys=identity_keys, facts=facts, steering=plan.steering,
    )


def fixed_profile(information: dict[str, Any]) -> TestProfileData:
    """A TestProfileData view of a caller-supplied test profile (sectioned or flat)."""
    if "testing_agent_variables" in information or "main_agent_variables" in information:
        return TestProfileData(name="fixed", main_agent_variables=dict(information.get("main_agent_variables") or {}),
                               testing_agent_variables=dict(information.get("testing_agent_variables") or {}))
    return TestProfileData(name="fixed", testing_agent_variables=dict(information))


def _is_identity_key(key: str, analysis: AgentAnalysis) -> bool:
    return any(same_field(key, f) for f in analysis.identity_fields) or (is_identity_field(key) and is_person_field(key))


# ---------------------------------------------------------------- the item


def write_workflow_item(agent: AgentSpec, plan: Plan, request: GenerationRequest, slot: Slot, *,
                        taken_names: set[str], variation: int = 0, engine: str = "offline",
                        ctx: WritingContext | None = None) -> GeneratedScenario:
    """Write one workflow scenario for a slot (deterministic for slot.seed and variation; `ctx` if already built)."""
    ctx = ctx or build_context(agent, plan, request, slot)
    rng = random.Random(slot.seed * 31 + variation)
    instructions = compose_instructions(ctx, agent, plan.analysis, request, rng)
    name = unique_name(base_name(ctx, rng), ctx, taken_names)
    return GeneratedScenario(
        index=slot.index,
        name=name,
        instructions=instructions,
        expected_outcome_prompt=expected_outcome(ctx, plan.analysis) if request.generate_expected_outcomes else "",
        personality_id=slot.personality_id,
        scenario_language=agent.language or plan.analysis.language or "en",
        scenario_type=ScenarioKind.WORKFLOW,
        category=slot.category,
        tags=[slot.category],
        test_profile=None if request.fixed_test_profile is not None else ctx.profile,
        generated_mock_tool_entries=ctx.entries,
        covers=list(slot.covers),
        provenance=Provenance(engine=engine, model=None, prompt_version=plan.prompt_version, seed=slot.seed),
    )


def compose_instructions(ctx: WritingContext, agent: AgentSpec, analysis: AgentAnalysis, request: GenerationRequest,
                         rng: random.Random) -> str:
    """Second-person behaviour: opener, YOUR GOAL, HOW TO BEHAVE steps, the complication, when to hang up."""
    slot = ctx.slot
    opener = _opener(ctx, rng)
    goal = _goal_sentence(ctx, rng)
    steps: list[str] = []
    steps.append(_first_step(ctx, analysis, rng))
    identity = _identity_step(ctx, rng)
    complication = _complication_step(ctx, rng)
    flow = _flow_steps(ctx, rng)
    if ctx.complication and ctx.complication.key in ("wrong_then_correct", "format_variant"):
        steps.append(complication)  # the complication replaces the plain identity answer
        steps.extend(flow)
    else:
        if identity:
            steps.append(identity)
        position = rng.randint(0, len(flow)) if flow else 0
        steps.extend(flow[:position] + [complication] + flow[position:])
    steps.append(_closing_step(ctx, request, rng))
    body = [opener, "", "YOUR GOAL", goal, "", "HOW TO BEHAVE"]
    body.extend(f"{i}. {step}" for i, step in enumerate([s for s in steps if s], start=1))
    language = (agent.language or "en")[:2]
    if language != "en":
        body += ["", f"Speak {LANGUAGE_NAMES.get(language, language)} throughout the call."]
    if ctx.steering:
        body += ["", f"ALSO KEEP IN MIND: {ctx.steering}"]
    return "\n".join(body).strip()


def _opener(ctx: WritingContext, rng: random.Random) -> str:
    slot = ctx.slot
    if slot.category == "listed" and slot.listed_instruction:
        return f"You are calling {ctx.org}. Your situation: {_listed_as_second_person(slot.listed_instruction)}"
    if slot.category == "not_found":
        return f"You believe you are already known to {ctx.org} and you call to {ctx.goal}."
    if ctx.complication and ctx.complication.key == "on_behalf":
        return f"You are calling {ctx.org} for a relative who needs to {ctx.goal}; their details are in your profile."
    role = ctx.role if ctx.role.startswith("a ") else f"a {ctx.role}"
    return rng.choice(_OPENERS).format(role=role, org=ctx.org, goal=ctx.goal)


def _listed_as_second_person(item: str) -> str:
    """'A caller who wants X' → 'you are a caller who wants X'; 'Cancel X' → 'you want to cancel X'."""
    text = item.strip().rstrip(".")
    if re.match(r"^(a|an|the)\s+\w+\s+(who|that|whose)\b", text, re.I):
        return f"you are {text[0].lower()}{text[1:]}."
    first = text.split()[0].lower() if text.split() else ""
    if verb_base(first):
        return f"you want to {text[0].lower()}{text[1:]}."
    return f"{caller_view(text)}."


def _goal_sentence(ctx: WritingContext, rng: random.Random) -> str:
    slot = ctx.slot
    detail = _fact_detail(ctx, rng)
    kind = ctx.intent.kind if ctx.intent else "general"
    reason = rng.choice(_REASONS.get(kind, _REASONS["general"]))
    outcome = _outcome_noun(ctx)
    if slot.category == "listed" and slot.listed_instruction:
        return f"Play out this situation faithfully: {slot.listed_instruction.strip().rstrip('.')}. " \
               f"You succeed when {outcome} is settled one way or the other."
    if slot.category == "guardrail" and ctx.policy is not None:
        return (f"You want to {ctx.goal}{detail}, and along the way you find out whether the agent bends one of its "
                f"rules for you. {rng.choice(_CONTEXT)} You succeed when you have seen whether it holds firm.")
    if slot.category == "not_found":
        return (f"You want to {ctx.goal}{detail} even though, unknown to you, your details are not on file. "
                f"You succeed when the agent tells you clearly what it can and cannot do.")
    if slot.category == "tool_failure":
        return (f"You want to {ctx.goal}{detail}; {reason}. Expect the agent's system to fail partway; "
                f"you succeed when you know exactly what did or did not happen.")
    if slot.category in ("guardrail", "edge_case", "alternate_path") or rng.random() < 0.4:
        reason_extra = " " + rng.choice(_CONTEXT)
    else:
        reason_extra = ""
    verbs = ["You want to", "You need to", "Your aim is to", "You are determined to"]
    success = f"{outcome} is confirmed" if ctx.entries else "you have a clear, specific answer"
    return f"{rng.choice(verbs)} {ctx.goal}{detail} because {reason}.{reason_extra} You succeed when {success}."


def _fact_detail(ctx: WritingContext, rng: random.Random) -> str:
    """' (hygiene cleaning on 2025-06-10)' built from up to two request facts."""
    facts = [(k, v) for k, v in ctx.facts.items() if not isinstance(v, (dict, bool))]
    if not facts:
        return ""
    chosen = facts[:2] if len(facts) <= 2 else rng.sample(facts, 2)
    return " – " + " ".join(fact_phrase(k, v) for k, v in chosen)


_OUTCOME_KEYS = [re.compile(p) for p in (
    r"reference|confirmation", r"(appointment|order|refund|dispute|booking|ticket|case|claim)_?id",
    r"status|eta|activated|frozen|cancelled|updated|approved")]


_OUTCOME_WORDS = {"updated": "update", "frozen": "freeze", "cancelled": "cancellation", "activated": "activation",
                  "approved": "approval", "eta": "arrival time", "eta_minutes": "arrival time", "eta_days": "delivery time"}


def _outcome_noun(ctx: WritingContext) -> str:
    """What the final confirmation contains, read from the later tools' mock output keys."""
    outputs = [e.new_entry.output for e in (ctx.entries[1:] or ctx.entries) if isinstance(e.new_entry.output, dict)]
    for pattern in _OUTCOME_KEYS:
        for output in reversed(outputs):
            for key in output:
                if pattern.search(str(key)):
                    return f"the {_OUTCOME_WORDS.get(str(key), humanise_identifier(str(key)))}"
    return "the result"


def _first_step(ctx: WritingContext, analysis: AgentAnalysis, rng: random.Random) -> str:
    if analysis.speaks_first is False:
        start = "Open the call yourself as soon as it connects"
    else:
        start = rng.choice(["After the greeting", "Once the agent has greeted you", "When the agent answers"])
    if ctx.slot.category == "edge_case" and ctx.complication and ctx.complication.key == "vague_start":
        return f"{start}, keep your first sentence vague on purpose."
    phrasing = rng.choice(["say in one sentence that you want to {goal}",
                           "explain that you are calling to {goal}",
                           "get straight to the point: you want to {goal}"])
    return f"{start}, {phrasing.format(goal=ctx.goal)}."


def _identity_step(ctx: WritingContext, rng: random.Random) -> str | None:
    keys = ctx.identity_keys[:3]
    if not keys or (ctx.intent is not None and ctx.intent.kind == "inquiry" and not ctx.entries):
        return None
    pairs = [f"{label(k)} ({ref(k)})" for k in keys]
    template = rng.choice(_IDENTITY_STEPS)
    joined = ", ".join(pairs[:-1]) + (" and " if len(pairs) > 1 else "") + pairs[-1]
    rest = ", ".join(pairs[1:]) if len(pairs) > 1 else "nothing else"
    if "{first}" in template and len(pairs) < 2:
        template = _IDENTITY_STEPS[0]
    return template.format(pairs=joined, first=pairs[0], rest=rest)


def _complication_step(ctx: WritingContext, rng: random.Random) -> str:
    comp = ctx.complication
    if ctx.slot.category == "listed":
        return "Stick to the situation described above; introduce nothing that contradicts it."
    if comp is None:
        return "Answer the agent's questions briefly and keep the conversation on your request."
    field_key = _field_for_complication(ctx)
    text = rng.choice(comp.behaviour.split("||")).format(
        goal=ctx.goal,
        field=label(field_key) if field_key else "details",
        field_ref=ref(field_key) if field_key else "the details in your profile",
        tool=humanise_identifier(ctx.slot.tool_name or "system"),
        fact=_fact_label(ctx, rng),
    )
    if ctx.slot.category == "guardrail" and ctx.policy is not None:
        text = f"{_policy_probe(ctx.policy)} {text}"
        if rng.random() < 0.5:
            text = f"Once your request is under way, raise this: {text[0].lower()}{text[1:]}"
    return text


def _field_for_complication(ctx: WritingContext) -> str | None:
    """The identity field a complication plays with (prefer ones with digits: phone, ids)."""
    digits = [k for k in ctx.identity_keys if any(ch.isdigit() for ch in str(ctx.profile.testing_agent_variables[k]))]
    return (digits or ctx.identity_keys or [None])[ctx.slot.seed % max(1, len(digits or ctx.identity_keys))]


def _fact_label(ctx: WritingContext, rng: random.Random) -> str:
    keys = [k for k in ctx.facts if not isinstance(ctx.facts[k], (dict, bool))]
    if not keys:
        return "your request"
    return f"the {label(rng.choice(keys))}"


def _policy_probe(policy: Policy) -> str:
    """What the caller asks for to test a rule."""
    text = strip_tool_mentions(policy.text.strip().rstrip("."))
    match = re.search(r"\b(?:never|do not|don't|must not|should not|cannot|may not)\s+(.+)$", text, re.I)
    if match:
        action = re.split(r"[;,]| unless | even ", caller_view(match.group(1)))[0].strip()
        return f"Try to get the agent to {truncate(action, 140)} for you."
    return f"Ask for something this rule does not allow: \u201c{truncate(text, 160)}\u201d."


def _flow_steps(ctx: WritingContext, rng: random.Random) -> list[str]:
    """Up to three caller moves derived from the intent's steps (different subset per slot)."""
    if ctx.intent is None:
        return []
    steps = list(ctx.intent.steps)
    out: list[str] = []
    for step in steps:
        move = inquiry_step(step) if ctx.intent.kind == "inquiry" else caller_step(step, ctx.facts, rng)
        if move and move not in out:
            out.append(move)
    if ctx.slot.category in ("alternate_path", "edge_case"):
        probes = [p for p in (conditional_probe(s) for s in steps) if p]
        if probes:
            out.append(rng.choice(probes))
    item_detail = _item_detail(ctx, rng)
    if item_detail:
        out.append(item_detail)
    if len(out) > 3:
        keep = sorted(rng.sample(range(len(out)), 3))  # a different subset per slot, in the agent's order
        out = [out[i] for i in keep]
    return out


def _item_detail(ctx: WritingContext, rng: random.Random) -> str | None:
    """A concrete detail drawn from the mock outputs (an item, a merchant, a slot) to make the call specific."""
    for entry in ctx.entries:
        output = entry.new_entry.output
        if not isinstance(output, dict):
            continue
        for key in ("items", "slots"):
            values = output.get(key)
            if isinstance(values, list) and values:
                value = rng.choice(values)
                if isinstance(value, dict):
                    value = ", ".join(f"{humanise_identifier(str(k))} {v}" for k, v in list(value.items())[:3]
                                      if not is_identity_field(str(k)))
                if ctx.intent and ctx.intent.kind == "report" and key == "items":
                    return f"Say that the {value} was missing or wrong when you opened the bag."
                if key == "slots":
                    return f"If {value} is among the times offered, prefer it."
                return f"Refer to the {humanise_identifier(key).rstrip('s')} {value} when it comes up."
    return None


def _closing_step(ctx: WritingContext, request: GenerationRequest, rng: random.Random) -> str:
    done = _DONE.get(ctx.slot.category, _DONE["happy_path"]).format(outcome=_outcome_noun(ctx))
    tools = set(request.caller_tool_ids)
    if tools & set(END_CALL_TOOLS):
        return rng.choice([f"Once {done}, say goodbye and end the call.",
                           f"End the call as soon as {done}.",
                           f"Hang up once {done}; do not stay on for small talk."])
    if tools & set(TRANSFER_END_TOOLS):
        return f"If the agent transfers you to a person, end the call; otherwise stay until {done}."
    return f"Stay on the line until {done}."


# ---------------------------------------------------------------- names and outcomes


def base_name(ctx: WritingContext, rng: random.Random) -> str:
    """'Book a new appointment – first choice unavailable' (≤ 80 chars)."""
    slot = ctx.slot
    if slot.category == "listed" and slot.listed_instruction:
        return truncate(slot.listed_instruction.rstrip("."), NAME_LIMIT)
    qualifier = ctx.complication.label if ctx.complication else slot.category.replace("_", " ")
    if slot.category == "guardrail" and ctx.policy is not None:
        subject = "Rule: " + " ".join(ctx.policy.text.split()[:6]).rstrip(",.;:")
    else:
        subject = ctx.goal[0].upper() + ctx.goal[1:]
    suffix = f" – {qualifier}"
    return truncate(subject, NAME_LIMIT - len(suffix)) + suffix


def unique_name(name: str, ctx: WritingContext, taken: set[str]) -> str:
    """Make `name` unique (case-insensitive) against `taken` with a meaningful qualifier, then record it."""
    lowered = {t.lower() for t in taken}
    candidates = [name]
    persona = next((str(v) for k, v in ctx.profile.testing_agent_variables.items() if "name" in k), None)
    for qualifier in (_first_fact(ctx), persona.split()[0] if persona else None, ctx.slot.tool_name,
                      f"variant {ctx.slot.index + 1}"):
        if qualifier:
            candidates.append(f"{truncate(name, NAME_LIMIT - len(str(qualifier)) - 3)} ({qualifier})")
    chosen = next((c for c in candidates if c.lower() not in lowered and len(c) <= NAME_LIMIT), None)
    counter = 2
    while chosen is None:
        candidate = f"{truncate(name, NAME_LIMIT - 6)} ({counter})"
        if candidate.lower() not in lowered:
            chosen = candidate
        counter += 1
    taken.add(chosen)
    return chosen


def _first_fact(ctx: WritingContext) -> str | None:
    for value in ctx.facts.values():
        if isinstance(value, (str, int, float)) and not isinstance(value, bool) and len(str(value)) <= 30:
            return str(value)
    return None


def expected_outcome(ctx: WritingContext, analysis: AgentAnalysis) -> str:
    """Agent-centric, specific outcome: what the Main Agent does, in order."""
    slot = ctx.slot
    lines: list[str] = []
    labels = _join([label(k) for k in ctx.identity_keys[:3]])
    if ctx.identity_keys and slot.category == "not_found":
        lines.append(f"The agent asks for the caller's {labels}.")
    elif ctx.identity_keys and slot.category != "guardrail" and ctx.entries:
        lines.append(f"The agent verifies the caller using their {labels}.")
    calls = [e.tool_name for e in ctx.entries]
    if slot.category == "not_found" and calls:
        lines.append(f"The agent looks the caller up with {calls[0]} and finds no match.")
    elif slot.category == "tool_failure" and calls:
        if calls[:-1]:
            lines.append(f"The agent calls {_join(calls[:-1])}.")
        lines.append(f"The agent's call to {calls[-1]} fails.")
    elif calls:
        lines.append(f"The agent uses {_join(calls)} to {ctx.goal}.")
    else:
        lines.append(f"The agent helps the caller {ctx.goal} using only what its instructions state.")
    if slot.category == "guardrail" and ctx.policy is not None:
        lines.append(f"The agent keeps to its rule \u201c{truncate(ctx.policy.text.rstrip('.'), 160)}\u201d despite the caller's request.")
    if slot.category == "listed" and slot.listed_instruction:
        lines.append(f"The agent handles this situation correctly: {truncate(slot.listed_instruction, 200)}")
    if ctx.complication is not None:
        lines.append(f"The agent {ctx.complication.outcome}.")
    if slot.category in ("happy_path", "alternate_path", "listed") and calls:
        lines.append(f"The agent confirms {_outcome_noun(ctx)} to the caller before the call ends.")
    return "\n".join(f"- {line}" for line in lines)


def _join(items: list[str]) -> str:
    items = [i for i in items if i]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]

