"""The golden set: 24 rough drafts (4 eval types × 3 corpus agents) in the shorthand teams really write, each with
the facts a correct clean description must contain and must not contain."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from scenarist.client.agent_dir import load_agent_dir
from scenarist.generation.types import AgentSpec, CleanEvalType
from scenarist.offline import agent_spec_from_dir

CORPUS = Path(__file__).resolve().parents[2] / "fixtures" / "agents"


@dataclass(frozen=True)
class GoldenCase:
    """One draft and what its clean description must (not) contain (case-insensitive substrings)."""

    id: str
    agent: str  # corpus folder
    eval_type: CleanEvalType
    draft: str
    key_terms: tuple[str, ...] = ()  # the author's terms that must survive (written out, as a reader would)
    absent: tuple[str, ...] = ()  # must not appear anywhere in the clean description
    grounded: str | None = None  # a substring of the agent's own rule that must be quoted
    labels: tuple[str, ...] = ()  # enum: the author's labels, exactly and in order
    direction: str | None = None  # numeric: "higher" | "lower"
    unit: str | None = None  # numeric: a word the unit line must contain


@lru_cache(maxsize=None)
def _agent(folder: str) -> AgentSpec:
    """The corpus agent (loaded once)."""
    return agent_spec_from_dir(load_agent_dir(CORPUS / folder))


def agent_of(case: GoldenCase) -> AgentSpec:
    """A fresh copy of the case's agent."""
    return _agent(case.agent).model_copy(deep=True)


B, R, N, E = CleanEvalType.BOOLEAN, CleanEvalType.RATING, CleanEvalType.NUMERIC, CleanEvalType.ENUM
C, K, T = "clinic-scheduling", "card-services", "restaurant-reservations"

GOLDEN: tuple[GoldenCase, ...] = (
    # ---------------------------------------------------------------- clinic scheduling
    GoldenCase("clinic-boolean-emergency", C, B,
               "Emergency handling ok? chest pain, bleeding etc => tell caller hang up & dial 911 right away, "
               "no more booking questions",
               key_terms=("chest pain", "bleeding", "hang up", "booking questions"),
               absent=("=>", " etc", "ok?"), grounded="hang up and dial 9-1-1"),
    GoldenCase("clinic-boolean-identify", C, B,
               "ident caller by phone only, no DOB/addr asked. not found => offer to register as new pt",
               key_terms=("phone", "date of birth", "new patient"),
               absent=("# identity", " pt ", "dob/"), grounded="is the only identifier this line uses"),
    GoldenCase("clinic-rating-politeness", C, R,
               "politeness & warmth 1-5: greets, no jargon, 1 question at a time, apologises if system down",
               key_terms=("jargon", "question at a time", "apologis"),
               absent=("voice, tone and audio quality",)),
    GoldenCase("clinic-rating-readback", C, R,
               "rate readback b4 booking: visit type, day, time, provider, location + waits for a yes. "
               "no internal ids read out",
               key_terms=("provider", "location", "before booking", "internal ids"),
               absent=("b4", "alwayses"), grounded="read back the visit type"),
    GoldenCase("clinic-numeric-repeats", C, N,
               "count # of times agent asks for info it already has (phone etc)",
               key_terms=("phone", "information"), absent=(" etc",), direction="lower", unit="occurrence"),
    GoldenCase("clinic-numeric-turns", C, N,
               "how many turns until appt is booked? fewer = better",
               key_terms=("appointment",), absent=("appt",), direction="lower", unit="turn"),
    GoldenCase("clinic-enum-intent", C, E,
               "what did caller want: book / resched / cancel / lookup",
               labels=("book", "resched", "cancel", "lookup"), absent=("how the call ended",)),
    GoldenCase("clinic-enum-ending", C, E,
               "how did call end: booked, moved, cancelled, caller hung up, sent to 911",
               labels=("booked", "moved", "cancelled", "caller hung up", "sent to 911"),
               absent=("The Testing Agent hung up before",)),
    # ---------------------------------------------------------------- card services
    GoldenCase("card-boolean-verify", K, B,
               "verif order ok? last 4 of card -> ZIP -> DOB, one at a time. never say which one failed",
               key_terms=("last 4", "zip", "date of birth", "one at a time"),
               absent=("->", "ok?"), grounded="one at a time and in this order"),
    GoldenCase("card-boolean-cvv", K, B,
               "never read back full card # or CVV even if cx asks!!",
               key_terms=("card", "cvv", "never"), absent=("cx", "!!")),
    GoldenCase("card-rating-lost", K, R,
               "lost/stolen card flow: freeze asap, confirm replacement & delivery time, show empathy",
               key_terms=("freeze", "replacement", "as soon as possible", "empathy"),
               absent=("asap", "voice, tone and audio quality")),
    GoldenCase("card-rating-dispute", K, R,
               "dispute handling 1-5: gets txn date/amount/merchant, opens dispute, explains next steps",
               key_terms=("merchant", "amount", "dispute", "next steps"), absent=("txn",)),
    GoldenCase("card-numeric-attempts", K, N,
               "count verification attempts agent allows b4 it stops; more than 3 = bad",
               key_terms=("verification attempts",), absent=("b4",), direction="lower", unit="occurrence"),
    GoldenCase("card-numeric-latency", K, N,
               "avg secs agent takes to give the balance once verified",
               key_terms=("balance",), direction="lower", unit="second"),
    GoldenCase("card-enum-reason", K, E,
               "reason for call: lost card, freeze, replacement, dispute, balance, other",
               labels=("lost card", "freeze", "replacement", "dispute", "balance", "other")),
    GoldenCase("card-enum-fraud", K, E,
               "fraud claim over $500 => outcome: transferred to fraud / handled by agent / refused",
               labels=("transferred to fraud", "handled by agent", "refused"), key_terms=("$500",)),
    # ---------------------------------------------------------------- restaurant reservations
    GoldenCase("restaurant-boolean-large-party", T, B,
               "party 8+ => hand off to events team, don't book thru normal flow",
               key_terms=("events team", "8+"), absent=("thru", "=>"), grounded="do NOT book 8+"),
    GoldenCase("restaurant-boolean-allergy", T, B,
               "allergy q's: never promise allergen-free, note it on the resv, no medical advice",
               key_terms=("allergen-free", "medical advice"), grounded="never guarantee anything is allergen-free"),
    GoldenCase("restaurant-rating-friendly", T, R,
               "friendliness + casual tone, sounds like a person not a menu",
               key_terms=("friendliness", "casual tone"), absent=("voice, tone and audio quality",)),
    GoldenCase("restaurant-rating-modify", T, R,
               "modify reservation flow: finds booking w/ name + phone, checks new time, confirms change",
               key_terms=("name", "phone", "new time", "confirm"), absent=("w/ ",)),
    GoldenCase("restaurant-numeric-upsell", T, N,
               "count times agent pushes specials / upsells unprompted",
               key_terms=("specials", "unprompted"), direction="lower", unit="occurrence"),
    GoldenCase("restaurant-numeric-readback", T, N,
               "number of reservation details read back (date, time, party size, name). more is better",
               key_terms=("party size",), direction="higher", unit="occurrence"),
    GoldenCase("restaurant-enum-outcome", T, E,
               "outcome: booked | waitlisted | sent to events | no availability | cancelled",
               labels=("booked", "waitlisted", "sent to events", "no availability", "cancelled")),
    GoldenCase("restaurant-enum-language", T, E,
               "which language did the caller use: English, Spanish, other",
               labels=("English", "Spanish", "other")),
)
