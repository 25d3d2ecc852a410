"""Reading an author's rough metric draft: criteria, explicit failure/N/A rules, labels, numbers, wording."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from scenarist.generation.text import third_person

_BULLET_PREFIX_RE = re.compile(r"^\s*(?:[-*•]+|\d+[.)]|[a-z][.)])\s+")
_SENTENCE_SPLIT_RE = re.compile(
    r"(?<=[.!?])\s+(?=[A-Z\"'(`{])"  # ordinary sentences
    r"|(?<=[a-z0-9)])(?<!\be\.g)(?<!\bi\.e)(?<!\bvs)(?<!\bapprox)(?<!\bno)(?<!\bdr)[.?!]\s+(?=[a-z]{2,}\s)"  # lower-case notes
)
_FAILURE_RE = re.compile(
    r"^(?:it\s+)?(?:fails?|false|fail\s+it|mark\s+(?:it\s+)?(?:as\s+)?false)\b|\b(?:is|counts as|as) a fail(?:ure)?\b"
    r"|\bshould be marked (?:as )?false\b|\bscore (?:it )?(?:as )?false\b",
    re.IGNORECASE,
)
_NA_RE = re.compile(r"\bN/?A\b|\bnot applicable\b|\bdoes not apply\b|\bskip (?:this|the) (?:metric|evaluation)\b", re.IGNORECASE)

# Wording the clean description standardises; each entry is (pattern, replacement, label for `thinking`).
_MAIN_AGENT_RE = re.compile(
    r"\b(?:the|our|this)\s+(?:voice\s+|ai\s+|virtual\s+)?(?:agent|bot|assistant|receptionist|representative)\b|"
    r"\b(?:the|our|this)\s+ai\b|\b(?:the\s+)?main agent\b",
    re.IGNORECASE,
)
_LEADING_AGENT_RE = re.compile(
    r"^(?:agent|bot|assistant|ai)\b|^(?:it|they)\b(?=\s+(?:must|should|needs?|has|have|will|shall|never|does|do|"
    r"cannot|can't|can|may|is|are|always|only|ought)\b)",
    re.IGNORECASE,
)
_TESTING_AGENT_RE = re.compile(r"\bthe\s+(?:caller|customer|user|patient|client|guest|testing agent)\b", re.IGNORECASE)
_PLACEHOLDER_RE = re.compile(r"\{\{[^{}]*\}\}")

_LIST_STOP = r"(?=\s+(?:based|depending|according|using|from|when|if|by)\b|[.;:\n]|$)"
_ENUM_LIST_RES = (
    re.compile(
        r"\b(?:classify|categori[sz]e|label|tag|bucket|mark|sort)\b[^.\n]{0,80}?\b(?:as|into|with)\s+"
        r"(?:one of\s*)?(?:the following\s*)?:?\s*(?P<list>[^.;\n]+?)" + _LIST_STOP,
        re.IGNORECASE,
    ),
    re.compile(
        r"\b(?:one of|categories|labels|options|possible values|values)\s*(?:are|is|include)?\s*:?\s*"
        r"(?P<list>[^.;\n]+?)" + _LIST_STOP,
        re.IGNORECASE,
    ),
)
# "what did the caller want: book / resched / cancel / lookup", "outcome: booked | waitlisted | cancelled"
_COLON_LIST_RE = re.compile(r":\s*(?P<list>[^:\n]+?)\s*[.?]?\s*$", re.MULTILINE)
_LIST_ITEM_SPLIT_RE = re.compile(r"\s*,\s*(?:or\s+|and\s+)?|\s+or\s+|\s+and\s+|\s*/\s*|\s*\|\s*")
_LABEL_BULLET_RE = re.compile(r"^\s*(?:[-*•]|\d+[.)])\s+[`\"'*]*(?P<label>[A-Za-z][\w /-]{0,40}?)[`\"'*]*\s*(?::|\s[—–-]\s)(?P<rest>.*)$")
_LABEL_INTRO_RE = re.compile(r"\b(?:categor|label|classif|one of|bucket|option)", re.IGNORECASE)

_SCALE_RE = re.compile(r"\b([01])\s*(?:-|–|to)\s*(5|10|100)\b")
_DIRECTION_RE = re.compile(
    r"\b(higher|more|greater|lower|fewer|less)\b[^.\n]{0,20}?\bis better\b|\bthe (fewer|less|more|higher|lower) the better\b"
    r"|\b(higher|more|greater|lower|fewer|less)\s*(?:=|is|are)\s*(?:better|good)\b",
    re.IGNORECASE,
)
_BAD_DIRECTION_RE = re.compile(r"\b(?:more than \d+|over \d+|too many|higher|more)\s*(?:=|is|are)\s*(?:bad|worse)\b", re.I)
_COUNT_RE = re.compile(
    r"\b(?:count(?:s|ing)?(?:\s+(?:up|of))?|number of|how many|how often|measure(?:s|d)?|track(?:s)?|total|avg|average)\s+"
    r"(?:the\s+number\s+of\s+|how many\s+)?(?P<what>[^.;\n]+)",
    re.IGNORECASE,
)
_QUESTION_COUNT_RE = re.compile(
    r"^(?P<lead>(?:times|occurrences)\s+)?(?:does|do|did)\s+(?P<subj>the (?:Main|Testing) Agent)\s+(?P<verb>[a-z]+)(?P<rest>.*)$"
)
_UNITS: tuple[tuple[str, str], ...] = (
    (r"\bseconds?\b|\bsecs?\b|\blatency\b|\bdelay\b|\bresponse time\b", "seconds"),
    (r"\bminutes?\b|\bmins?\b|\bduration\b", "minutes"),
    (r"%|\bpercent(?:age)?\b|\bratio\b|\brate\b", "percent (0–100)"),
    (r"\bwords?\b", "words"),
    (r"\bturns?\b", "turns"),
    (r"\bquestions?\b", "questions"),
)
_LOWER_IS_BETTER_RE = re.compile(
    r"unprompted|push(?:es|ing)?\b|interrupt|repeat|repetit|error|fail|mistake|latenc|delay|silen|dead air|hold|wait|filler|jargon|hallucin|"
    r"unnecessar|stack|talk(?:s|ed)? over|apolog|escalat|transfer|redundan|confus|wrong|incorrect|miss|drop|"
    r"re-?ask|loop|off[- ]topic|profan|rude",
    re.IGNORECASE,
)
_HIGHER_IS_BETTER_RE = re.compile(
    r"correct|success|resolv|confirm|empath|acknowledg|helpful|complet|accura|satisf|upsell|booked|sold",
    re.IGNORECASE,
)
_OUTCOME_LABELS: tuple[tuple[str, str], ...] = (
    (r"resolv", "resolved"),
    (r"escalat", "escalated"),
    (r"transfer", "transferred"),
    (r"\bbook|schedul", "booked"),
    (r"reschedul", "rescheduled"),
    (r"cancel", "cancelled"),
    (r"refund", "refunded"),
    (r"callback|call back|follow[- ]up", "callback_scheduled"),
    (r"abandon|hang[s]? up|hung up", "abandoned"),
)


_DO_NOT_FLAG_RE = re.compile(
    r"^(?:do not|don't|never|no need to)\s+(?:penali[sz]e|flag|count|mark|punish|fail|deduct|score)\b|^ignore\b|"
    r"^(?:it is|it's|this is|that is)\s+(?:fine|acceptable|ok|okay)\b",
    re.IGNORECASE,
)
_SCORING_NOTE_RE = re.compile(r"\bscale\b|\bis better\b|\bthe (?:fewer|less|more|higher|lower) the better\b|"
                              r"\b(?:fewer|less|more|higher|lower)\s*=\s*(?:better|worse|bad|good)\b", re.IGNORECASE)
_INSTRUCTION_LEAD_RE = re.compile(
    r"^(?:please\s+)?(?:check|verify|ensure|make sure|confirm|see|evaluate|assess|judge|determine)\s+(?:that|whether|if)\s+",
    re.IGNORECASE,
)
_RULE_LEAD_RE = re.compile(
    r"^(?:it\s+)?(?:fails?|(?:mark|score)\s+(?:it\s+)?(?:as\s+)?false|false|n/?a|not applicable)\s+(?:if|when|whenever)\s+",
    re.IGNORECASE,
)


@dataclass
class DraftReading:
    """What the offline engine understood from a draft, plus notes for `thinking`."""

    criteria: list[str] = field(default_factory=list)
    failure_rules: list[str] = field(default_factory=list)
    na_rules: list[str] = field(default_factory=list)
    do_not_flag: list[str] = field(default_factory=list)  # the author's "don't penalise …" exclusions
    scoring_notes: list[str] = field(default_factory=list)  # scale/direction remarks, used by OUTPUT INSTRUCTIONS
    wording_changes: list[str] = field(default_factory=list)
    placeholders: list[str] = field(default_factory=list)


def read_draft(draft: str) -> DraftReading:
    """Sort the draft's sentences by role (criterion, failure rule, N/A rule, exclusion, scoring note)."""
    reading = DraftReading()
    reading.placeholders = list(dict.fromkeys(m.strip("{} ") for m in _PLACEHOLDER_RE.findall(draft)))
    for unit in _units_of(draft):
        sentence, changes = standardise_wording(unit)
        reading.wording_changes += [c for c in changes if c not in reading.wording_changes]
        lists_labels = len(enum_labels_in(sentence)) >= 2
        if _NA_RE.search(sentence) and not lists_labels:
            reading.na_rules.append(_as_rule(sentence))
        elif _FAILURE_RE.search(sentence):
            reading.failure_rules.append(_as_rule(sentence))
        elif _DO_NOT_FLAG_RE.search(sentence):
            reading.do_not_flag.append(sentence)
        elif _SCORING_NOTE_RE.search(sentence) and len(sentence.split()) <= 10 and not lists_labels:
            reading.scoring_notes.append(sentence)
        else:
            stated = _INSTRUCTION_LEAD_RE.sub("", sentence)
            if stated != sentence:
                stated = standardise_wording(_tidy(stated))[0]
            reading.criteria.append(stated)
    if not reading.criteria and reading.failure_rules:
        reading.criteria.append("The Main Agent avoids every failure condition listed below.")
    return reading


def _as_rule(sentence: str) -> str:
    """'Fail if it books …' → 'The Main Agent books …' (the section heading already says what it is)."""
    stripped = _RULE_LEAD_RE.sub("", sentence)
    if stripped == sentence:
        return sentence
    stripped = re.sub(r"^(?:it|they)\b", "the Main Agent", stripped, flags=re.IGNORECASE)
    return standardise_wording(_tidy(stripped))[0]


def _units_of(draft: str) -> list[str]:
    """Bullets, lines, sentences and ';'-clauses of the draft, each tidied into a sentence."""
    units: list[str] = []
    for line in draft.splitlines():
        line = _BULLET_PREFIX_RE.sub("", line).strip()
        if not line:
            continue
        for sentence in _SENTENCE_SPLIT_RE.split(line):
            for clause in re.split(r";\s+", sentence):
                tidy = _tidy(clause)
                if len(re.findall(r"[A-Za-z]{2,}", tidy)) >= 2 and tidy not in units:
                    units.append(tidy)
    return units


def _tidy(text: str) -> str:
    """Collapse spaces, capitalise, end with a full stop."""
    text = re.sub(r"\s+", " ", text).strip().strip(",")
    if not text:
        return ""
    text = text[0].upper() + text[1:]
    return text if text[-1] in ".!?:" else text + "."


def standardise_wording(sentence: str) -> tuple[str, list[str]]:
    """Speak of the Main Agent and the Testing Agent; return the sentence and the changes made."""
    changes: list[str] = []

    def swap(pattern: re.Pattern, new: str, text: str) -> str:
        def repl(match: re.Match) -> str:
            old = match.group(0)
            if old.lower() != new.lower():
                note = f"'{old.lower()}' → '{new}'"
                if note not in changes:
                    changes.append(note)
            return new[0].upper() + new[1:] if match.start() == 0 else new

        pieces = re.split(r"(\{\{[^{}]*\}\})", text)  # never rewrite inside a {{variable}}
        return "".join(p if p.startswith("{{") else pattern.sub(repl, p) for p in pieces)

    sentence = swap(_MAIN_AGENT_RE, "the Main Agent", sentence)
    sentence = swap(_LEADING_AGENT_RE, "the Main Agent", sentence)
    sentence = swap(_TESTING_AGENT_RE, "the Testing Agent", sentence)
    return sentence, changes


def enum_labels_in(draft: str) -> list[str]:
    """Labels the author listed ('classify as X, Y or Z', 'one of: …', or a bullet list of 'label: meaning')."""
    bullets = _bullet_labels(draft)
    if len(bullets) >= 2:
        return bullets
    for pattern in (*_ENUM_LIST_RES, _COLON_LIST_RE):
        for match in pattern.finditer(draft):
            items = [_clean_label(i) for i in _LIST_ITEM_SPLIT_RE.split(match.group("list"))]
            items = [i for i in items if i]
            if len(items) >= 2 and all(len(i.split()) <= 4 for i in items):
                return list(dict.fromkeys(items))
    return []


def _bullet_labels(draft: str) -> list[str]:
    """`- label: meaning` bullets that follow a line talking about categories/labels."""
    lines = draft.splitlines()
    for i, line in enumerate(lines):
        if not _LABEL_INTRO_RE.search(line):
            continue
        labels = []
        for follow in lines[i + 1 :]:
            match = _LABEL_BULLET_RE.match(follow)
            if not match:
                if labels:
                    break
                continue
            labels.append(_clean_label(match.group("label")))
        if len(labels) >= 2:
            return list(dict.fromkeys(labels))
    return []


def _clean_label(item: str) -> str:
    """Strip quotes, articles and parenthesised glosses from one listed label."""
    item = re.sub(r"\([^)]*\)", "", item)
    item = item.strip().strip("`\"'*").strip()
    item = re.sub(r"^(?:either|the|a|an)\s+", "", item, flags=re.IGNORECASE)
    return item.strip().rstrip(".").strip("`\"'*").strip()


def label_gloss(draft: str, label: str) -> str:
    """What the draft says about one label: its bullet, its parenthesised gloss, or a sentence naming it."""
    for line in draft.splitlines():
        match = _LABEL_BULLET_RE.match(line)
        if match and _clean_label(match.group("label")).lower() == label.lower() and match.group("rest").strip():
            return standardise_wording(_tidy(match.group("rest")))[0]
    gloss = re.search(re.escape(label) + r"[`\"'*]*\s*\(([^)]+)\)", draft, re.IGNORECASE)
    if gloss:
        return standardise_wording(_tidy(gloss.group(1)))[0]
    for unit in _units_of(draft):
        if re.search(rf"\b{re.escape(label)}\b", unit, re.IGNORECASE) and len(enum_labels_in(unit)) < 2:
            return standardise_wording(unit)[0]
    return ""


def proposed_labels(draft: str) -> list[str]:
    """Labels to propose when the draft lists none: outcome words it uses, else met / partially_met / not_met."""
    found = [label for pattern, label in _OUTCOME_LABELS if re.search(pattern, draft, re.IGNORECASE)]
    if len(found) >= 2:
        return list(dict.fromkeys(found))
    return ["fully_met", "partially_met", "not_met"]


def rating_scale_in(draft: str) -> tuple[int, int] | None:
    """The scale the author named (e.g. (1, 10) for '1-10'), if any."""
    match = _SCALE_RE.search(draft)
    return (int(match.group(1)), int(match.group(2))) if match else None


def counted_quantity(draft: str) -> str | None:
    """The phrase naming what the draft counts or measures ('times the Main Agent interrupts …')."""
    match = _COUNT_RE.search(draft)
    if not match:
        return None
    what = standardise_wording(match.group("what").strip().rstrip(".?!"))[0]
    what = re.sub(r"^(?:the\s+)?number\s+of\s+", "", what, flags=re.IGNORECASE)
    question = _QUESTION_COUNT_RE.match(what)  # "times does the Main Agent promise X" → "times the Main Agent promises X"
    if question:
        what = f"{question['lead']}{question['subj']} {third_person(question['verb'])}{question['rest']}"
    return re.sub(r"\s+", " ", what) or None


def unit_in(draft: str) -> str | None:
    """The unit the draft implies (seconds, percent, words …), or None for a plain count."""
    for pattern, unit in _UNITS:
        if re.search(pattern, draft, re.IGNORECASE):
            return unit
    return None


def direction_in(draft: str) -> tuple[str, str]:
    """('lower'|'higher', how it was decided): stated by the author, else inferred from what is counted."""
    stated = _DIRECTION_RE.search(draft)
    if stated:
        word = (stated.group(1) or stated.group(2) or stated.group(3)).lower()
        return ("higher" if word in {"higher", "more", "greater"} else "lower"), "stated in the draft"
    if _BAD_DIRECTION_RE.search(draft):
        return "lower", "stated in the draft"
    if _LOWER_IS_BETTER_RE.search(draft):
        return "lower", "inferred: the draft counts something undesirable"
    if _HIGHER_IS_BETTER_RE.search(draft):
        return "higher", "inferred: the draft counts something desirable"
    return "lower", "assumed (the draft does not say); counts of issues are usually better when low"
