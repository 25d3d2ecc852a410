"""Turn agent-perspective prompt text into caller-perspective behaviour (pronoun flips, step conversion)."""

from __future__ import annotations

import random
import re

from ..text import as_agent_action, humanise_identifier, sentences, truncate, verb_base, with_article

_CALLER_NOUN = r"(?:caller|patient|customer|client|member|cardholder|user|guest|passenger)"
_TOOL_CLAUSE = re.compile(r"\s*(?:\b(?:with|using|via|by calling|call|through)\s+)?`?\b[a-z]+(?:_[a-z0-9]+)+\b`?", re.I)


def caller_view(text: str) -> str:
    """Rewrite agent-facing text for the caller: 'you' → 'the agent', 'the patient' → 'you'."""
    out = re.sub(r"\byourself\b", "itself", text)
    out = re.sub(r"\byour\b", "its", out)
    out = re.sub(r"\bYour\b", "Its", out)
    out = re.sub(r"\byou\b", "the agent", out)
    out = re.sub(r"\bYou\b", "The agent", out)
    out = re.sub(rf"\b(?:the|a) {_CALLER_NOUN}'s\b", "your", out, flags=re.I)
    out = re.sub(rf"\b(?:the|a) {_CALLER_NOUN}\b", "you", out, flags=re.I)
    out = re.sub(r"\btheir\b", "your", out)
    out = re.sub(r"\bthey\b", "you", out)
    out = re.sub(r"\bthem\b", "you", out)
    out = re.sub(r"\byou (need|want|require|prefer|give|call|say|do|describe|ask|start|report|mention|request|"
                 r"refuse|insist|claim|become|seem|sound|tell|speak|mention|sign|stop|agree|decline|try)s\b",
                 r"you \1", out)
    out = re.sub(r"\byou (push|reach|wish|fix|miss)es\b", r"you \1", out)
    out = re.sub(r"\byou (tr|den|appl|repl)ies\b", r"you \1y", out)
    return out.replace("you has", "you have").replace("you is", "you are").replace("you was", "you were")


def strip_tool_mentions(text: str) -> str:
    """Remove 'with lookup_patient'-style tool clauses (the caller does not know tool names); a {{variable}}
    becomes its words ('the caller phone')."""
    text = re.sub(r"\{\{\s*([\w.]+)\s*\}\}", lambda m: "the " + m.group(1).split(".")[-1].replace("_", " "), text)
    cleaned = _TOOL_CLAUSE.sub("", text)
    return " ".join(cleaned.split()).strip(" ,;:")


def label(field: str) -> str:
    """Human label of a profile field: `card_last_four` → 'card last four'."""
    return humanise_identifier(field).replace("dob", "date of birth")


def ref(field: str) -> str:
    """Template reference to a profile field."""
    return "{{test_profile.%s}}" % field


_KIND_WORDS = ("treatment", "service", "type", "product", "appointment_type", "room", "plan")


def fact_phrase(key: str, value: object, money: str = "{}") -> str:
    """A request detail as a phrase: ('date', '2025-06-10') → 'on 2025-06-10', ('treatment', 'check-up') →
    'for a check-up', ('amount', 4.5) → 'of 4.50' (`money` formats amounts, e.g. '£{}')."""
    name = key.lower()
    if isinstance(value, list):
        value = ", ".join(str(v) for v in value)
    if "date" in name or name == "day":
        return f"on {value}"
    if "time" in name:
        return f"around {value}"
    if "amount" in name or "total" in name or "price" in name:
        return f"of {format_money(value, money)}"
    if "merchant" in name:
        return f"at {value}"
    if "address" in name:
        return f"to {value}"
    if name in ("items", "item", "products"):
        return f"the {value}"
    if name in _KIND_WORDS or name.endswith("_type"):
        return f"for {with_article(str(value))}"
    if name in ("delivery", "shipping"):
        return f"by {value} {name}"
    return f"{label(key)} {value}"


def format_money(value: object, money: str = "{}") -> str:
    """4.5 → '4.50' inside the agent's currency pattern ('£{}', '{} EUR')."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return money.format(f"{value:.2f}")
    return str(value)


def inline_fact(key: str) -> bool:
    """Whether a request detail reads naturally inside the goal sentence (others become a preference)."""
    name = key.lower()
    return any(word in name for word in ("date", "time", "amount", "total", "price", "merchant", "address")) or \
        name == "day" or name in _KIND_WORDS or name.endswith("_type")


def caller_step(step: str, facts: dict[str, object], rng: random.Random, choice: str | None = None) -> str | None:
    """A caller behaviour derived from one agent step, or None when the step is the agent's internal work.

    `choice` is the alternative the caller wants when the agent asks them to pick ('cancel' in 'move it or cancel it').
    """
    text = strip_tool_mentions(step.strip().rstrip("."))
    lowered = text.lower()
    if not text or re.search(r"\b(verify|date of birth|full name|phone number|last four)\b", lowered):
        return None  # identity questions are handled by the identity step
    match = re.match(r"^ask (?:the \w+ )?(which|what|for|about|where|when|how|whether|if)\b\s*(.*)$", text, re.I)
    if match:
        topic = caller_view(f"{match.group(1)} {match.group(2)}".strip())
        if choice and " or " in topic and re.search(rf"\b{re.escape(choice)}\b", topic, re.I):
            return f"When the agent asks {_paren_trim(topic)}, say you want to {choice} it."
        answer = _answer_for(topic, facts, rng) or rng.choice([
            "give a short, concrete answer (make up a plausible detail)",
            "answer briefly with one concrete, plausible detail",
        ])
        return f"When the agent asks {_paren_trim(topic)}, {answer}."
    if re.match(r"^(offer|suggest|propose|list)\b", lowered):
        return rng.choice([
            "When options are offered, ask which one is soonest before choosing.",
            "When the agent lists options, pick the one closest to your preference and say why.",
            "Take the second option offered unless it clashes with your preference.",
        ])
    if re.match(r"^(read back|confirm|repeat)\b", lowered) or "read back" in lowered:
        return rng.choice([
            "Check every detail the agent reads back against what you asked for and confirm only if it matches.",
            "When the agent confirms the details, double-check each one against your request before agreeing.",
        ])
    match = re.match(r"^(?:explain|tell(?: the \w+)?)\s+that\s+(.+)$", text, re.I)
    if match:
        return f"Ask whether {truncate(caller_view(match.group(1)), 140)}."
    if re.match(r"^(explain|give)\b", lowered):
        body = caller_view(re.sub(r"^(explain|give)\s+", "", text, flags=re.I))
        return f"Ask the agent to explain {truncate(body, 120)}." if body else None
    match = re.match(r"^tell (?:the \w+ )?that (.+)$", text, re.I)
    if match:
        return f"Ask whether {truncate(caller_view(match.group(1)), 140)}."
    return None


def conditional_probe(step: str) -> str | None:
    """'If the order is late, offer a voucher.' → a caller move that triggers the branch."""
    split = conditional_parts(step)
    if split is None:
        return None
    return f"Make it clear that {truncate(caller_view(split[0]), 140)}, and see how the agent handles it."


def conditional_outcome(step: str) -> str | None:
    """'If the order is late, apologise and offer a voucher.' → what the agent must then do, for the outcome."""
    split = conditional_parts(step)
    if split is None:
        return None
    condition, action = split
    return f"When the caller says {truncate(condition, 140)}, the agent {truncate(as_agent_action(action), 160)}."


def conditional_parts(step: str) -> tuple[str, str] | None:
    """('the order is more than 20 minutes late', 'apologise and offer a 10% voucher') from an 'If …, do …' step.

    The split is at the first comma followed by an instruction verb, so a condition listing several things
    ('facial swelling, difficulty breathing or bleeding') stays whole.
    """
    text = strip_tool_mentions(step.strip().rstrip("."))
    match = re.match(r"^(?:if|when)\s+(.+)$", text, re.I)
    if not match:
        return None
    body = match.group(1)
    for comma in re.finditer(r",\s*(\w+)", body):
        word = comma.group(1).lower()
        if verb_base(word) == word or word in _INSTRUCTION_VERBS:
            return body[: comma.start()].strip(), body[comma.start(1):].strip()
    return None


_INSTRUCTION_VERBS = frozenset("tell apologise apologize say offer explain advise warn inform direct refer suggest "
                               "escalate give end".split())


def _answer_for(topic: str, facts: dict[str, object], rng: random.Random) -> str | None:
    """Answer an agent question from the request facts whose names appear in the question."""
    lowered = topic.lower()
    synonyms = {"date": ("date", "day", "when"), "time": ("time", "hour"), "items": ("item",)}
    picked = [(k, v) for k, v in facts.items()
              if any(part in lowered for word in label(k).split() if len(word) > 2 for part in synonyms.get(word, (word,)))]
    if not picked:
        return None
    picked.sort(key=lambda kv: 0 if any(w in kv[0].lower() for w in ("amount", "total", "price")) else 1)
    phrases = [fact_phrase(k, v) for k, v in picked[:2]]
    if any(("date" in k or "time" in k) for k, _ in picked[:2]):
        return rng.choice(["say you would prefer it ", "ask for a slot "]) + " ".join(phrases)
    if phrases[0].startswith("for ") and len(phrases) == 1:
        return rng.choice(["say you need ", "tell them plainly: you need "]) + phrases[0][4:]
    if phrases[0].startswith("of "):
        return "say it was " + " ".join([phrases[0][3:], *phrases[1:]])
    if phrases[0].startswith(("on ", "around ", "to ", "at ")):
        return "say it was " + " ".join(phrases)
    return rng.choice(["say ", "tell them plainly: "]) + ", ".join(phrases)


def _paren_trim(text: str) -> str:
    """Drop a trailing parenthetical list (the caller should not echo the agent's option list)."""
    return re.sub(r"\s*\([^)]*\)\s*$", "", text).strip()


def inquiry_steps(step: str) -> list[str]:
    """One caller question per sentence of an information step ('… at 14 Park Row. Parking is available …')."""
    out = []
    for sentence in sentences(step):
        question = inquiry_step(sentence)
        if question and question not in out:
            out.append(question)
    return out


def inquiry_step(step: str) -> str | None:
    """'Opening hours are Monday to Friday…' → 'Ask about the opening hours.' (never repeats the answer)."""
    text = strip_tool_mentions(step.strip().rstrip("."))
    match = re.match(r"^(.{3,60}?)\s+(?:is|are)\s+(at|in|on|near)\b", text, re.I)
    if match:
        return f"Ask where {caller_view(match.group(1)).lower()} is."
    match = re.match(r"^(.{3,60}?)\s+(?:is|are|costs?|takes?|includes?)\b", text, re.I)
    if match:
        subject = caller_view(match.group(1))
        return f"Ask about {subject[0].lower() + subject[1:]}."
    return None
