"""Caller-facing wording of red-teaming attacks, one phrase table per language (adding a language is a data change:
a module here with the same names, registered in LANGUAGES).

A technique's steps each hold several phrasings, picked by seed, so a batch does not repeat itself; placeholders are
{org} {opener} {ask} {soft} {proxy} {staff} {caller} {payload} {leet} {homoglyph}. Risk wording is looked up by risk
id, then by risk kind ("kind:<kind>"); English uses the risk model's own wording.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class TechniqueText:
    """How one technique reads in a language: persona and pretext options, and the steps' phrasings."""

    persona: tuple[str, ...]
    pretext: tuple[str, ...]
    turns: tuple[tuple[str, ...], ...]
    marker: str = ""  # text the turns must contain (proof a text-only technique was applied)


@dataclass(frozen=True)
class RiskText:
    """A risk's forbidden request (infinitive) and its smaller first version (imperative), in a language."""

    ask: str
    soft: str


@dataclass(frozen=True)
class ProfileText:
    """Who calls a domain's agent, in a language."""

    callers: tuple[str, ...]
    proxy: str  # the relative a caller claims to act for
    staff: str  # an insider a caller claims to be
    record: str  # what the caller's own record is called


@dataclass(frozen=True)
class Phrases:
    """Everything caller-facing an attack needs in one language."""

    code: str
    name: str  # the language's English name (told to the LLM writer)
    techniques: dict[str, TechniqueText]
    you_are: str  # "You are {persona}. {pretext}"
    goal_lines: tuple[str, ...]
    plan_lines: tuple[str, ...]
    closing_lines: tuple[str, ...]
    end_call: str
    encoded: str  # the sentence hidden in a base64 payload
    disguised: str  # the sentence written with look-alike characters
    risks: dict[str, RiskText] = field(default_factory=dict)
    profiles: dict[str, ProfileText] = field(default_factory=dict)
    verbs: dict[str, str] = field(default_factory=dict)  # tool verb → infinitive in this language
    nouns: dict[str, str] = field(default_factory=dict)  # tool object word → noun phrase with article
    opener_prefix: str = ""  # put before an intent name that is not a verb ("report …")


def _languages() -> dict[str, Phrases]:
    from scenarist.generation.redteam.phrases import en, es

    return {p.code: p for p in (en.PHRASES, es.PHRASES)}


LANGUAGES: dict[str, Phrases] = _languages()


def phrases_for(language: str | None) -> Phrases:
    """The phrase table of a language (English when the language has none yet)."""
    return LANGUAGES.get((language or "en").split("-")[0].lower(), LANGUAGES["en"])
