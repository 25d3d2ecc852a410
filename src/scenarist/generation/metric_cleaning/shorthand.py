"""Expanding the shorthand teams write in metric drafts ("appt", "etc", "=>", "ok?", "w/o", "b4") into words.

Each expansion is recorded so that `thinking` can say truthfully what was expanded.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# (pattern, replacement, label for `thinking`). Order matters: longer forms first.
_WORD_FORMS: tuple[tuple[str, str, str], ...] = (
    (r"\bw/o\b", "without", "w/o"),
    (r"\bw/(?=\s|\w)", "with ", "w/"),
    (r"\bb/c\b|\bbc\b(?=\s+(?:the|it|they|we|he|she|of)\b)", "because", "b/c"),
    (r"\bb4\b", "before", "b4"),
    (r"\bthru\b", "through", "thru"),
    (r"\basap\b", "as soon as possible", "asap"),
    (r"\bappts\b", "appointments", "appts"),
    (r"\bappt\b", "appointment", "appt"),
    (r"\bresched(?:ule)?s?\b(?!\w)", "reschedule", "resched"),
    (r"\bpts\b", "patients", "pts"),
    (r"\bpt\b", "patient", "pt"),
    (r"\bcx\b|\bcust\b", "customer", "cx"),
    (r"\bacct\b", "account", "acct"),
    (r"\baddr\b", "address", "addr"),
    (r"\bmgr\b", "manager", "mgr"),
    (r"\bppl\b", "people", "ppl"),
    (r"\bconvo\b", "conversation", "convo"),
    (r"\binfo\b", "information", "info"),
    (r"\bmsgs?\b", "message", "msg"),
    (r"\bapprox\.?(?=\s)", "approximately", "approx"),
    (r"\bmins\b", "minutes", "mins"),
    (r"\bavg\b", "average", "avg"),
    (r"\bsecs\b", "seconds", "secs"),
    (r"\bno\.\s?(?=of\b)", "number ", "no."),
    (r"\bnum\b", "number", "num"),
    (r"\bconf(?:irm)?\s?#", "confirmation number", "conf #"),
    (r"\bdob\b", "date of birth", "DOB"),
    (r"\bdnc\b", "do-not-call list", "DNC"),
    (r"\bsth\b", "something", "sth"),
    (r"\btxns?\b", "transaction", "txn"),
    (r"\by/n\b", "yes or no", "y/n"),
    (r"\bpls\b|\bplz\b", "", "pls"),
    (r"\bimo\b", "", "imo"),
    (r"\bagt\b", "agent", "agt"),
    (r"\bverif\b", "verification", "verif"),
    (r"\bident\b", "identify", "ident"),
    (r"\bresv\b", "reservation", "resv"),
    (r"\bq's\b|\bqs\b", "questions", "q's"),
    (r"(?<=phone )#|(?<=card )#|(?<=account )#|(?<=order )#", "number", "#"),
    (r"(?<=^)#\s?(?=of\b)|(?<=\s)#\s?(?=of\b)", "number ", "# of"),
    (r"\bvs\.?(?=\s)", "versus", "vs"),
)
_ETC_RE = re.compile(r",?\s*\betc\b\.?(?=[\s,;:)=>-]|$)", re.IGNORECASE)
_AMPERSAND_RE = re.compile(r"(?<=\w)\s+(?:&|\+)\s+(?=\w)|(?<=[a-z]{2})(?:&|\+)(?=[a-z]{2})")  # not in "A&E"
_ARROW_RE = re.compile(r"\s*(?:=>|->|→|==>|-->)\s*")
_SEQUENCE_RE = re.compile(r"[^\n.;]*?(?:=>|->|→|==>|-->)[^\n.;]*?(?:=>|->|→|==>|-->)[^\n.;]*")  # a -> b -> c
_OK_QUESTION_RE = re.compile(r"\b(?:ok|okay|good|fine|correct|right|handled)\s*\?+", re.IGNORECASE)
_BANGS_RE = re.compile(r"([!?])\1+")

IMPLIES = " ⇒ "  # internal marker of the author's arrow; atoms.py splits condition ⇒ consequence on it
CHECK = " ✓?"  # internal marker of "… ok?" (is this handled correctly?)


@dataclass
class Expanded:
    """A draft with its shorthand written out, and the list of expansions made."""

    text: str
    expansions: list[str] = field(default_factory=list)


def expand(draft: str) -> Expanded:
    """Write the draft's shorthand out in words; arrows and 'ok?' become internal markers for atoms.py."""
    notes: list[str] = []
    text = draft

    def sub(pattern: str | re.Pattern, new: str, label: str, value: str) -> str:
        compiled = pattern if isinstance(pattern, re.Pattern) else re.compile(pattern, re.IGNORECASE)
        result, count = compiled.subn(new, value)
        if count and label not in notes:
            notes.append(label)
        return result

    pieces = re.split(r"(\{\{[^{}]*\}\})", text)  # never rewrite inside a {{variable}}
    out = []
    for piece in pieces:
        if piece.startswith("{{"):
            out.append(piece)
            continue
        for pattern, new, label in _WORD_FORMS:
            piece = sub(pattern, new, f"'{label}' → '{new.strip() or '(dropped)'}'", piece)
        piece = sub(_ETC_RE, " or similar", "'etc' → 'or similar'", piece)
        piece = sub(_AMPERSAND_RE, " and ", "'&'/'+' → 'and'", piece)
        piece = sub(_SEQUENCE_RE, lambda m: _ARROW_RE.sub(" then ", m.group(0)), "'a -> b -> c' read as 'a, then b, then c'",
                    piece)
        piece = sub(_ARROW_RE, IMPLIES, "'=>' read as 'when …, then …'", piece)
        piece = sub(_OK_QUESTION_RE, CHECK, "'… ok?' read as 'is … handled correctly'", piece)
        piece = _BANGS_RE.sub(r"\1", piece)
        out.append(piece)
    text = re.sub(r"[ \t]+", " ", "".join(out))
    return Expanded(text=text, expansions=notes)


def has_shorthand(draft: str) -> bool:
    """True when the draft uses any shorthand `expand` writes out."""
    return bool(expand(draft).expansions)
