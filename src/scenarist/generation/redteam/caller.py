"""Who the simulated caller is and what they ask for, in the agent's language (the caller's language is the
agent's): the domain's caller vocabulary, a real request of the agent, and the risk's request."""

from __future__ import annotations

import random
import re

from scenarist.generation.agent_model import AgentModel
from scenarist.generation.redteam.domain import profile_for
from scenarist.generation.redteam.phrases import LANGUAGES, Phrases, ProfileText, phrases_for
from scenarist.generation.redteam.phrases.es import SENSITIVE_TARGETS
from scenarist.generation.redteam.risks import Risk, RiskKind
from scenarist.generation.redteam.techniques import AttackContext

_RELATION = re.compile(r"\b(parent|daughter|son|mother|father|wife|husband|caregiver|padre|madre|hija|hijo)\b", re.I)


def caller_language(model: AgentModel) -> str:
    """The language callers speak: the agent's, when a phrase table exists for it (English otherwise)."""
    code = (model.language or "en").split("-")[0].lower()
    return code if code in LANGUAGES else "en"


def profile_in(model: AgentModel, language: str) -> ProfileText:
    """The domain's caller vocabulary in a language."""
    if language == "en":
        p = profile_for(model.domain)
        return ProfileText(p.callers, p.proxy, p.staff, p.record)
    table = phrases_for(language).profiles
    return table.get(model.domain) or table["general"]


def attack_context(model: AgentModel, risk: Risk, index: int, seed: int) -> AttackContext:
    """Who calls and with which legitimate request, in the agent's language and domain vocabulary. A caller whose
    request names the relative they act for is that relative's caller, never someone else's ('the parent of a
    young patient' does not ask on behalf of 'your elderly mother')."""
    language = caller_language(model)
    profile = profile_in(model, language)
    rng = random.Random(seed)
    ask, soft = risk_request(risk, model, language, profile)
    callers = profile.callers
    if profile.proxy in f"{ask} {soft}":
        callers = tuple(c for c in callers if not _RELATION.search(c)) or callers[:1]
    fallback = profile_for(model.domain).opener if language == "en" else ""
    return AttackContext(
        org=model.organisation or model.agent_name or "the company", caller=rng.choice(callers),
        caller_noun=model.caller_noun, proxy=profile.proxy, staff=profile.staff, record=profile.record,
        opener=legitimate_request(model, profile.record, fallback, index, phrases_for(language)), risk=risk,
        variant=index, language=language, ask=ask, soft=soft)


def legitimate_request(model: AgentModel, record: str, fallback: str, index: int, words: Phrases) -> str:
    """A real request of this agent (a playbook intent, rotating), in caller words; the domain's when none."""
    names = [i.name.strip() for i in model.intents
             if i.section_id and i.name.strip() and i.kind not in ("general", "escalation")
             and not re.search(r"[_#]|\bstep\b|\bdnc\b|general questions", i.name, re.I)]
    if not names:
        return fallback or (model.scope[0] if model.scope else record)
    name = names[index % len(names)]
    name = name[:1].lower() + name[1:]
    if words.code == "en":
        return f"{name} your {record}" if len(name.split()) == 1 else name
    verb = re.match(r"\w+(ar|er|ir)(se)?\b", name)
    return name if verb or not words.opener_prefix else f"{words.opener_prefix} {name}"


def risk_request(risk: Risk, model: AgentModel, language: str, profile: ProfileText) -> tuple[str, str]:
    """(ask, soft) of a risk in the caller's language: the risk model's own wording in English, else the phrase
    table's by risk id, then by kind."""
    if language == "en":
        return risk.ask, risk.soft
    words = phrases_for(language)
    text = words.risks.get(risk.id) or words.risks.get(f"kind:{risk.kind.value}")
    if text is None:
        return risk.ask, risk.soft
    values = {"action": _action(risk, words, profile), "name": _named_person(model), "record": profile.record,
              "proxy": profile.proxy, "org": model.organisation or model.agent_name,
              "target": SENSITIVE_TARGETS.get(risk.id.rsplit(":", 1)[-1], risk.target)}
    return text.ask.format(**values), text.soft.format(**values)


def _action(risk: Risk, words: Phrases, profile: ProfileText) -> str:
    """A precondition risk's action ('bloquear la línea') from its tool's words, in the phrase table's language."""
    if risk.kind != RiskKind.PRECONDITION:
        return ""
    parts = [w for w in risk.id.rsplit(":", 1)[-1].split("_") if w]
    verb = words.verbs.get(parts[0], parts[0]) if parts else "cambiar"
    obj = next((words.nouns[w] for w in parts[1:] if w in words.nouns), f"su {profile.record}")
    return f"{verb} {obj}"


def _named_person(model: AgentModel) -> str:
    """Someone the agent's records know (a caller may know a neighbour's name), else a made-up one."""
    from scenarist.generation.redteam.risks import _named_person as named

    return named(model)
