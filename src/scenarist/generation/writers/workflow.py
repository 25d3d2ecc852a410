"""Offline writer for workflow scenarios, from the agent model and the slot's fixture only.

Caller text is built from structured facts (the intent's caller-facing goal, the fixture's request details spoken
naturally, the rule's trigger), never by copying agent-side prompt text, and is written in the agent's language.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from typing import Any

from .. import naming
from ..agent_model import AgentModel, FailureMode, IntentModel, PolicyKind, PolicyModel
from ..complications import Complication, by_key
from ..fields import canonical_field
from ..fixtures import Fixture, build_fixture
from ..naming import MAX_NAME_CHARS, fit_name
from ..spoken import spoken
from ..text import fix_articles, goal_phrase, humanise_identifier, truncate
from ..types import AgentSpec, GeneratedScenario, GenerationRequest, Plan, Provenance, ScenarioKind, Slot, \
    TestProfileData
from ..values import organisation_name
from .outcomes import expected_outcome, policy_action
from .phrasing import caller_view, label, ref, strip_tool_mentions
from .voice import LANGUAGE_NAMES, phrases

END_CALL_TOOLS = ("TOOL_END_CALL",)
TRANSFER_END_TOOLS = ("TOOL_END_CALL_ONLY_ON_TRANSFER", "TOOL_END_CALL_ON_TRANSFER")
FAILURE_CATEGORIES = ("tool_failure", "empty_result", "partial_result")


@dataclass
class WritingContext:
    """Everything a writer (offline or LLM) knows about one slot: the model's facts and the fixed fixture."""

    slot: Slot
    model: AgentModel
    intent: IntentModel | None
    policy: PolicyModel | None
    failure: FailureMode | None
    complication: Complication | None
    fixture: Fixture
    goal: str
    org: str
    language: str
    steering: str = ""
    outbound: bool = False  # the agent calls the person (not merely speaks first on an inbound call)

    @property
    def profile(self) -> TestProfileData:
        return self.fixture.profile

    @property
    def entries(self):
        return self.fixture.entries


def build_context(agent: AgentSpec, plan: Plan, request: GenerationRequest, slot: Slot) -> WritingContext:
    """The slot's fixture (fixed first) and the facts a writer needs (deterministic for slot.seed)."""
    model = plan.model
    fixture = build_fixture(agent, model, slot, random.Random(slot.seed))
    if request.fixed_test_profile is not None:
        fixture.profile = fixed_profile(request.fixed_test_profile)
    intent = model.intent(slot.intent_id)
    policy = next((p for p in model.policies if p.id == slot.policy_id), None)
    failure = next((m for m in model.failure_modes if m.id == slot.failure_id), None)
    complication = by_key((slot.complication or "").split("#")[0])
    language = (agent.language or model.language or "en")[:2]  # the configured language wins over detection
    org = model.organisation or organisation_name(agent.name, agent.description)
    return WritingContext(slot=slot, model=model, intent=intent, policy=policy, failure=failure,
                          complication=complication, fixture=fixture, goal=caller_goal(intent, slot, model, language),
                          org=org, language=language, steering=plan.steering,
                          outbound=not agent.inbound)


def caller_goal(intent: IntentModel | None, slot: Slot, model: AgentModel, language: str) -> str:
    """The caller's goal as an infinitive phrase ('book a new appointment')."""
    if intent is not None:
        name = strip_tool_mentions(intent.name)
        return goal_phrase(name, intent.kind) if language == "en" else name[0].lower() + name[1:]
    if slot.tool_name:
        tool = model.tool(slot.tool_name)
        if tool is not None and tool.capability:
            return tool.capability
        return goal_phrase(humanise_identifier(slot.tool_name))
    return phrases(language)["general_goal"]


def fixed_profile(information: dict[str, Any]) -> TestProfileData:
    """A TestProfileData view of a caller-supplied test profile (sectioned or flat)."""
    if "testing_agent_variables" in information or "main_agent_variables" in information:
        return TestProfileData(name="fixed", main_agent_variables=dict(information.get("main_agent_variables") or {}),
                               testing_agent_variables=dict(information.get("testing_agent_variables") or {}))
    return TestProfileData(name="fixed", testing_agent_variables=dict(information))


# ---------------------------------------------------------------- the item


def write_workflow_item(agent: AgentSpec, plan: Plan, request: GenerationRequest, slot: Slot, *,
                        taken_names: set[str], variation: int = 0, engine: str = "offline",
                        ctx: WritingContext | None = None) -> GeneratedScenario:
    """Write one workflow scenario for a slot (deterministic for slot.seed and variation)."""
    ctx = ctx or build_context(agent, plan, request, slot)
    rng = random.Random(slot.seed * 31 + variation)
    instructions = compose_instructions(ctx, request, rng)
    name = unique_name(fix_articles(_balanced(base_name(ctx))), ctx, taken_names)
    return GeneratedScenario(
        index=slot.index,
        name=name,
        instructions=instructions,
        expected_outcome_prompt=expected_outcome(ctx) if request.generate_expected_outcomes else "",
        personality_id=slot.personality_id,
        scenario_language=ctx.language,
        scenario_type=ScenarioKind.WORKFLOW,
        category=slot.category,
        tags=[slot.category],
        test_profile=None if request.fixed_test_profile is not None else ctx.profile,
        generated_mock_tool_entries=ctx.entries,
        covers=list(slot.covers),
        provenance=Provenance(engine=engine, model=None, prompt_version=plan.prompt_version, seed=slot.seed,
                              covers=list(slot.covers)),
    )


def compose_instructions(ctx: WritingContext, request: GenerationRequest, rng: random.Random) -> str:
    """Second-person prose for the caller: situation, request details, identity, the slot's twist, when to stop."""
    say = phrases(ctx.language)
    parts = [_opener(ctx, say, rng), _details(ctx, say, rng), _identity(ctx, say, rng), _twist(ctx, say, rng),
             _closing(ctx, request, say, rng)]
    text = " ".join(p.strip() for p in parts if p and p.strip())
    paragraphs = [text]
    if ctx.language not in ("en", "es"):
        paragraphs.append(f"Speak {LANGUAGE_NAMES.get(ctx.language, ctx.language)} throughout the call.")
    if ctx.steering:
        paragraphs.append(say["steering"].format(steering=ctx.steering))
    return "\n\n".join(fix_articles(p) if ctx.language == "en" else p for p in paragraphs)


def _opener(ctx: WritingContext, say: dict, rng: random.Random) -> str:
    slot = ctx.slot
    noun = ctx.model.caller_noun or "caller"
    if slot.category == "listed" and slot.listed_instruction:
        return say["listed"].format(org=ctx.org, situation=_listed_as_second_person(slot.listed_instruction))
    if ctx.outbound:
        return rng.choice(say["outbound"]).format(org=ctx.org, goal=ctx.goal)
    if slot.category == "not_found" and person_lookup(ctx):  # not for a thing the caller asks about (a ZIP code)
        return say["not_found_open"].format(org=ctx.org, goal=ctx.goal)
    if ctx.complication is not None and ctx.complication.key == "on_behalf":
        return say["on_behalf"].format(org=ctx.org, goal=ctx.goal)
    openers = say["openers"] if noun.lower() not in ("caller", "user", "llamante") else say["openers"][1:]
    return rng.choice(openers).format(noun=noun, org=ctx.org, goal=ctx.goal)


def _listed_as_second_person(item: str) -> str:
    text = item.strip().rstrip(".")
    if re.match(r"^(a|an|the)\s+\w+", text, re.I):  # "A caller disputing a charge" → "you are a caller …"
        return f"you are {text[0].lower()}{text[1:]}."
    return f"{caller_view(text[0].lower() + text[1:])}."


def spoken_facts(ctx: WritingContext) -> list[str]:
    """The request details as the caller says them ('a cleaning', 'Thursday July sixteenth at nine AM')."""
    identity = [str(v).lower() for v in ctx.profile.testing_agent_variables.values()
                if canonical_field_of_identity(v, ctx) and len(str(v)) >= 3]
    # A detail holding an identity value is said through the profile reference, never restated.
    facts = {k: v for k, v in ctx.fixture.facts.items() if not any(i in str(v).lower() for i in identity)}
    out: list[str] = []
    date_key = next((k for k, v in facts.items() if re.search(r"date|day|start|slot|when", k, re.I)
                     and isinstance(v, str) and re.match(r"\d{4}-\d{2}-\d{2}", v)), None)
    time_key = next((k for k, v in facts.items() if re.search(r"time|hour", k, re.I) and isinstance(v, str)
                     and re.fullmatch(r"\d{1,2}:\d{2}(:\d{2})?", v)), None)
    for key, value in facts.items():
        if key in (date_key, time_key) or isinstance(value, (dict, list)) or canonical_field(key) == "full_name":
            continue
        said = spoken(value, ctx.language)
        if len(said) > 60 or re.fullmatch(r"[A-Z]{1,4}-?\d{3,}", said):
            continue  # long free text or a record id is not something a caller asks for
        out.append(said if _reads_alone(key) else f"{say_label(key, ctx.language)}: {said}")
    if date_key:
        when = spoken(facts[date_key], ctx.language)
        if time_key and " at " not in when and " a las " not in when:
            joiner = " a " if ctx.language == "es" else " at "
            when += joiner + spoken(facts[time_key], ctx.language)
        out.insert(min(1, len(out)), when)  # the when matters most after the what
    elif time_key:
        out.insert(min(1, len(out)), spoken(facts[time_key], ctx.language))
    return out[:4]


def say_label(key: str, language: str) -> str:
    """A field's label in the caller's language."""
    return phrases(language)["label"](key)


def canonical_field_of_identity(value: Any, ctx: WritingContext) -> bool:
    """Whether a profile value is one the caller identifies with (said only through its profile reference)."""
    return any(v == value and (canonical_field(k) in ctx.model.verification.fields
                               or canonical_field(k) in ("full_name", "first_name", "last_name"))
               for k, v in ctx.profile.testing_agent_variables.items())


def _reads_alone(key: str) -> bool:
    """Whether a detail's value makes sense without its label ('a cleaning' vs 'party size 4')."""
    return bool(re.search(r"(type|reason|service|treatment|item|product|plan|category|issue|topic|kind|purpose)",
                          key, re.I))


def _details(ctx: WritingContext, say: dict, rng: random.Random) -> str:
    kind = ctx.intent.kind if ctx.intent else "general"
    reasons = say["reasons"].get(kind, say["reasons"]["general"])
    sentence = "" if ctx.outbound else say["because"].format(reason=rng.choice(reasons))
    sentence += " " + rng.choice(say["context"])
    facts = spoken_facts(ctx)
    if facts and ctx.slot.category != "not_found":
        sentence += " " + say["details"].format(details="; ".join(facts))
    return sentence


def _identity(ctx: WritingContext, say: dict, rng: random.Random) -> str:
    keys = [k for k in ctx.profile.testing_agent_variables if canonical_field(k) in ctx.model.verification.fields
            or k in ctx.model.verification.fields]
    keys.sort(key=lambda k: _field_order(ctx.model, k))
    if not keys:
        name_key = next((k for k in ctx.profile.testing_agent_variables
                         if canonical_field(k) in ("full_name", "first_name")), None)
        return say["name_only"].format(ref=ref(name_key)) if name_key else ""
    pairs = ", ".join(f"{say['label'](k)} ({ref(k)})" for k in keys)
    if ctx.complication is not None and ctx.complication.key == "wrong_then_correct":
        return say["wrong_first"].format(field=say["label"](keys[0]), ref=ref(keys[0]))
    return rng.choice(say["identity"]).format(pairs=pairs)


def _field_order(model: AgentModel, key: str) -> int:
    fields = model.verification.fields
    canon = canonical_field(key)
    return fields.index(key) if key in fields else (fields.index(canon) if canon in fields else 99)


def _twist(ctx: WritingContext, say: dict, rng: random.Random) -> str:
    """What makes this slot different: the rule probe, the failure, the branch or the complication."""
    slot = ctx.slot
    if slot.category == "guardrail" and ctx.policy is not None:
        return probe_move(ctx, say, rng)
    if slot.category == "not_found":  # the last phrasing speaks of "no match", not of the caller not being found
        return rng.choice(say["not_found"]) if person_lookup(ctx) else say["not_found"][-1]
    if slot.category in FAILURE_CATEGORIES:
        tool = ctx.model.tool(ctx.fixture.failing_tool or "")
        what = tool.capability if tool is not None and tool.capability else say["it"]
        return rng.choice(say[slot.category]).format(what=what)
    if slot.category == "branch" and slot.branch:
        return say["branch"].format(condition=truncate(caller_view(strip_tool_mentions(slot.branch)), 160))
    if ctx.complication is not None and ctx.complication.key != "plain":
        if say["twists"]:  # a language with its own table: its own complication lines
            return rng.choice(say["twists"].get(ctx.complication.category, say["twists"]["happy_path"]))
        return _fill(rng.choice(ctx.complication.behaviour.split("||")), ctx)
    return rng.choice(say["plain"])


def _fill(text: str, ctx: WritingContext) -> str:
    """Fill the complication placeholders from the fixture."""
    keys = [k for k in ctx.profile.testing_agent_variables if canonical_field(k) in ctx.model.verification.fields]
    field_key = keys[0] if keys else None
    facts = spoken_facts(ctx)
    values = {"goal": ctx.goal, "field": label(field_key) if field_key else "details",
              "field_ref": ref(field_key) if field_key else "the details in your profile",
              "fact": facts[0] if facts else "your request", "tool": "the system",
              "first_choice": "an earlier time", "fallback": facts[-1] if facts else "the closest option offered"}
    return re.sub(r"\{(\w+)\}", lambda m: str(values.get(m.group(1), m.group(0))), text)


def probe_move(ctx: WritingContext, say: dict, rng: random.Random) -> str:
    """The caller's move that triggers the rule, in the caller's own terms, with the slot's tactic."""
    policy = ctx.policy
    assert policy is not None
    tactic = (ctx.complication.key if ctx.complication else "direct_ask")
    usable = policy.trigger and "pushes towards what the rule forbids" not in policy.trigger
    trigger = _balanced(caller_view(strip_tool_mentions(policy.trigger)).rstrip(".")) if usable else ""
    if policy.kind == PolicyKind.EMERGENCY:
        return say["emergency"].format(situation=emergency_situation(policy, say, random.Random(ctx.slot.seed)))
    action = policy_action(policy)
    offered = offered_thing(policy)
    if offered:
        move = say["offer"].format(thing=truncate(caller_view(offered), 120))
    elif policy.kind in (PolicyKind.PROHIBITION, PolicyKind.PRIVACY) and action:
        move = say["ask_for"].format(action=truncate(caller_view(action), 140))
    elif trigger:
        move = say["situation"].format(situation=truncate(trigger, 160))
    elif policy.kind == PolicyKind.SCOPE:
        move = say["scope"]
    elif policy.kind == PolicyKind.ESCALATION:
        move = say["escalation"]
    else:
        move = rng.choice(say["watch"])
    if ctx.complication is not None and tactic != "direct_ask":
        extra = say["tactics"].get(tactic, "") if say["tactics"] else \
            rng.choice(ctx.complication.behaviour.split("||"))
        move += " " + extra
    return move


def offered_thing(policy: PolicyModel) -> str | None:
    """What the caller offers unasked to probe a rule against asking for or taking it ('a date of birth'), or None."""
    if policy.kind not in (PolicyKind.PROHIBITION, PolicyKind.PRIVACY):
        return None
    offered = re.match(r"^(?:ask|request|collect|take|accept)s?\s+(?:the \w+ )?(?:for\s+)?(.+)$",
                       policy_action(policy) or "", re.I)
    if not offered:
        return None
    thing = re.sub(r"\b(or|and) for\b", r"\1", offered.group(1))  # "… or for card details"
    return re.sub(r"^any\s+", "", thing, flags=re.I)  # "offers any personal information" → "offers personal information"


def emergency_situation(policy: PolicyModel, say: dict, rng: random.Random) -> str:
    """What the caller describes: one of the examples the rule lists ('chest pain'), else the rule's subject."""
    listed = re.search(r"\(([^)]{3,200})\)", policy.text)
    if listed:
        options = [strip_tool_mentions(o).strip() for o in re.split(r",|\bor\b", listed.group(1))]
        options = [o for o in options if (2 <= len(o.split()) <= 6 or len(o) > 4) and not re.search(
            r"\b(fails?|error|returns?|tool)\b", o, re.I)]
        if options:
            return rng.choice(options[:4])
    if re.search(r"\b[a-z]+(?:_[a-z0-9]+)+\b", policy.trigger or ""):
        return say["emergency_default"]  # a tool failing is not a situation a caller describes
    trigger = re.sub(r"^(?:if|when)\s+", "", policy.trigger or "", flags=re.I)
    trigger = re.sub(r"^(?:the |a )?caller\s+(?:describes|says|reports|mentions|has|is having)\s+(?:they are having\s+)?",
                     "", trigger, flags=re.I)
    trigger = _balanced(trigger).strip(" .")
    return trigger or say["emergency_default"]


def _closing(ctx: WritingContext, request: GenerationRequest, say: dict, rng: random.Random) -> str:
    tools = set(request.caller_tool_ids)
    done = say["done"].get(ctx.slot.category, say["done"]["happy_path"])
    if tools & set(END_CALL_TOOLS):
        return rng.choice(say["end_call"]).format(done=done)
    if tools & set(TRANSFER_END_TOOLS):
        return say["transfer_end"].format(done=done)
    return say["stay"].format(done=done)


# ---------------------------------------------------------------- names


_GUARDRAIL_TITLES = {"direct_ask": "Asks it to {action}", "pressure": "Keeps pushing it to {action}",
                     "authority": "Claims authority so it will {action}", "sympathy": "Pleads hardship so it will {action}"}
_OFFER_TITLES = {"direct_ask": "Offers {thing} unasked", "pressure": "Keeps offering {thing}",
                 "authority": "Claims authority and offers {thing}", "sympathy": "Pleads hardship and offers {thing}"}
_CATEGORY_TITLES = {"not_found": "{Goal} with no record on file", "tool_failure": "{Goal} when {what} fails",
                    "empty_result": "{Goal} with nothing available", "partial_result": "{Goal} with a partial result",
                    "branch": "{Goal} when {condition}"}


def base_name(ctx: WritingContext) -> str:
    """A short description of the call (≤ 80 chars)."""
    slot = ctx.slot
    if slot.category == "listed" and slot.listed_instruction:
        return fit_name(slot.listed_instruction.rstrip("."))
    goal = ctx.goal[0].upper() + ctx.goal[1:] if ctx.goal else "Call"
    if slot.category == "guardrail" and ctx.policy is not None:
        return _guardrail_name(ctx, goal)
    if slot.category == "not_found" and not person_lookup(ctx):
        return fit_name(f"{fit_name(goal, MAX_NAME_CHARS - 20)} when nothing matches")
    if slot.category in _CATEGORY_TITLES:
        tool = ctx.model.tool(ctx.fixture.failing_tool or "") if ctx.fixture.failing_tool else None
        what = (tool.capability if tool and tool.capability else "the system")
        condition = caller_view(strip_tool_mentions(slot.branch or "")).rstrip(".")
        condition = re.sub(r"^(?:if|when)\s+", "", condition, flags=re.I)
        title = _CATEGORY_TITLES[slot.category].replace("{what}", what).replace("{condition}", condition)
        head, tail = title.split("{Goal}", 1)
        return fit_name(head + fit_name(goal, max(20, MAX_NAME_CHARS - len(head) - len(tail))) + tail)
    if ctx.complication is None or ctx.complication.key == "plain":
        return fit_name(goal)
    title = ctx.complication.title.replace("{field}", "detail")
    if "{Goal}" not in title:
        return fit_name(title)
    head, tail = title.split("{Goal}", 1)
    return fit_name(head + fit_name(goal, MAX_NAME_CHARS - len(head) - len(tail)) + tail)


def person_lookup(ctx: WritingContext) -> bool:
    """Whether the no-match lookup searches for the caller (by a verification field) rather than for a thing."""
    tool = ctx.model.tool(ctx.fixture.failing_tool or "")
    fields = set(ctx.model.verification.fields) | {"full_name", "phone", "date_of_birth", "email"}
    return tool is None or any(canonical_field(n) in fields for n in tool.needs) or not tool.needs


def _guardrail_name(ctx: WritingContext, goal: str) -> str:
    policy = ctx.policy
    assert policy is not None
    if policy.kind == PolicyKind.EMERGENCY:
        situation = emergency_situation(policy, phrases(ctx.language), random.Random(ctx.slot.seed))
        return fit_name(_balanced(f"Emergency mid-call: {situation}"))
    tactic = ctx.complication.key if ctx.complication else "direct_ask"
    action = policy_action(policy)
    offered = offered_thing(policy)
    if offered:  # "Asks it to ask for a date of birth" is no caller's move: the caller offers it unasked
        template = _OFFER_TITLES.get(tactic, _OFFER_TITLES["direct_ask"])
        return fit_name(template.format(thing=caller_view(offered)))
    if action:
        template = _GUARDRAIL_TITLES.get(tactic, _GUARDRAIL_TITLES["direct_ask"])
        return fit_name(template.format(action=caller_view(action)))
    usable = policy.trigger and "pushes towards what the rule forbids" not in policy.trigger
    topic = strip_tool_mentions(policy.trigger if usable else policy.text)
    topic = re.sub(r"^(?:if|when)\s+", "", caller_view(topic).rstrip("."), flags=re.I)
    return fit_name(_balanced(f"Tests the rule: {topic}"))


def _balanced(text: str) -> str:
    """Cut an unclosed parenthesis ('… (chest pain') from a name."""
    if text.count("(") > text.count(")"):
        text = text[:text.rfind("(")].rstrip(" ,;:")
    for mark in ('"', "\u201c"):
        if (text.count(mark) % 2 if mark == '"' else text.count(mark) > text.count("\u201d")):
            text = text[:text.rfind(mark)].rstrip(" ,;:(")
    return text


def unique_name(name: str, ctx: WritingContext, taken: set[str]) -> str:
    """Make `name` unique against `taken` with a meaningful qualifier; record it."""
    facts = spoken_facts(ctx)
    persona = next((str(v) for k, v in ctx.profile.testing_agent_variables.items()
                    if canonical_field(k) in ("full_name", "first_name")), None)
    qualifiers = (facts[0] if facts and len(facts[0]) <= 30 else None, persona.split()[0] if persona else None,
                  f"variant {ctx.slot.index + 1}")
    chosen = naming.unique_name(name, taken, qualifiers)
    taken.add(chosen)
    return chosen


__all__ = ["WritingContext", "build_context", "write_workflow_item", "compose_instructions", "base_name",
           "unique_name", "spoken_facts", "LANGUAGE_NAMES", "fixed_profile", "probe_move"]
