"""Turn agent-perspective text into the caller's perspective (pronoun flips), drop tool names, label fields."""

from __future__ import annotations

import re

from ..text import humanise_identifier

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
