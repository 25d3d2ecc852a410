"""The offline engine: a deterministic rewrite of the draft into the clean-description structure."""

from __future__ import annotations

import re

from scenarist.generation.types import AgentSpec, CleanDescription, CleanEvalType

from . import draft as drafts
from .observations import focus_of, has_observation, is_judge_instruction, met_and_unmet
from .sections import (
    CRITERIA,
    FAILURE_CONDITIONS,
    FALLBACK_LABELS,
    NA_CONDITIONS,
    NA_LABEL,
    OTHER_LABEL,
    OUTPUT,
    SCOPE,
    STANDARD_NA_CONDITIONS,
)
from .variables import (
    needs_agent_description,
    needs_evaluator_instructions,
    placeholder_mapping,
    rewrite_placeholders,
)
from .vocabulary import AgentVocabulary, matches_in, vocabulary_of

_IGNORE_ITEMS: tuple[tuple[str, str], ...] = (
    (r"latenc|delay|response time|speed|fast|slow|seconds?\b|minutes?\b|timing|how long|quick",
     "response latency and speed"),
    (r"audio|voice|tone|pitch|accent|pronunc|sound", "voice, tone and audio quality"),
    (r"transcri|mishear|speech recognition|asr", "speech-recognition slips in the transcript"),
    (r"greet|introduc|opening", "how the call opens, unless a criterion refers to it"),
    (r"small talk|chit|off[- ]topic", "small talk unrelated to the criteria"),
)
_EXPLANATION_LINE = (
    "Explain the verdict in 2–4 sentences; when the result is negative, cite the MM:SS timestamp and quote the "
    "Main Agent's words."
)


def clean_offline(draft: str, eval_type: CleanEvalType, agent: AgentSpec | None) -> CleanDescription:
    """Rewrite a draft into a clean description without any model; every assumption is listed in `thinking`."""
    return _Writer(draft, eval_type, agent).write()


class _Writer:
    """Builds one clean description and the `thinking` notes that explain it."""

    def __init__(self, draft: str, eval_type: CleanEvalType, agent: AgentSpec | None):
        self.draft = draft.strip()
        self.eval_type = eval_type
        self.agent = agent
        self.vocabulary: AgentVocabulary = vocabulary_of(agent)
        self.reading = drafts.read_draft(self.draft)
        self.mapping = placeholder_mapping(self.reading.placeholders)
        self.notes: list[str] = []
        self.assumptions: list[str] = []
        self.enum_values: list[str] | None = None
        self.linked: list[str] = []  # agent names the criteria were linked to

    # ------------------------------------------------------------------ assembly

    def write(self) -> CleanDescription:
        """All sections in order, then `thinking`."""
        criteria = [rewrite_placeholders(c, self.mapping) for c in self.reading.criteria]
        if not criteria:  # e.g. a draft made only of N/A rules: judge what it says as one criterion
            criteria = [drafts.standardise_wording(" ".join(self.draft.split()))[0]]
        failures = [rewrite_placeholders(c, self.mapping) for c in self.reading.failure_rules]
        na_rules = [rewrite_placeholders(c, self.mapping) for c in self.reading.na_rules]
        uses_rules = needs_agent_description(self.draft)
        uses_evaluator = needs_evaluator_instructions(self.draft)
        blocks = [
            self._scope(criteria, uses_rules, uses_evaluator),
            self._criteria(criteria),
            self._failures(criteria, failures),
            self._na(na_rules),
            self._output(criteria),
        ]
        text = "\n\n".join(blocks).strip() + "\n"
        self._note_variables(uses_rules, uses_evaluator)
        return CleanDescription(clean_description=text, thinking=self._thinking(criteria), enum_values=self.enum_values)

    # ------------------------------------------------------------------ sections

    def _scope(self, criteria: list[str], uses_rules: bool, uses_evaluator: bool) -> str:
        """What is judged, with which inputs, and what is ignored."""
        who = f", {self.vocabulary.agent_name}" if self.vocabulary.agent_name else ""
        lines = [
            SCOPE,
            f"You are judging one call between the Main Agent (the agent under test{who}) and the Testing Agent "
            "(the simulated caller). Read the call in {{transcript}}.",
            f"Judge ONLY this: {_lower_first(criteria[0]) if criteria else 'the behaviour described below.'}",
        ]
        if len(criteria) > 1:
            lines.append(f"…and the {_count(len(criteria) - 1, 'related point')} listed under CRITERIA. Nothing else.")
        tools, workflows = matches_in(self.draft, self.vocabulary)
        if tools or workflows:
            lines.append("In this agent's own terms this concerns " + _join_names(tools, workflows) + ".")
        if uses_rules:
            lines.append(
                "The Main Agent's own rules are in {{agent.description}}; use them only where a criterion refers to "
                "them, and judge their spirit, not the letter."
            )
        if uses_evaluator:
            lines.append("What the Testing Agent set out to do is in {{evaluator.instructions}}.")
        for rule in self.reading.do_not_flag:
            lines.append(f"Do not flag: {rewrite_placeholders(rule, self.mapping)}")
        ignored = [label for pattern, label in _IGNORE_ITEMS if not re.search(pattern, self.draft, re.IGNORECASE)]
        ignored.append("how the Testing Agent behaves, except where a criterion refers to it")
        lines.append("Ignore (must not affect the result): " + "; ".join(ignored) + ".")
        return "\n".join(lines)

    def _criteria(self, criteria: list[str]) -> str:
        """The author's criteria, numbered, annotated with the agent's tool/workflow names."""
        lines = [CRITERIA]
        for number, criterion in enumerate(criteria, 1):
            tools, workflows = matches_in(criterion, self.vocabulary)
            suffix = f" (in this agent: {_join_names(tools, workflows)})" if tools or workflows else ""
            lines.append(f"{number}. {criterion}{suffix}")
            for name in tools + workflows:
                linked = _quote_name(name, tools)
                if linked not in self.linked:
                    self.linked.append(linked)
        return "\n".join(lines)

    def _failures(self, criteria: list[str], explicit: list[str]) -> str:
        """The closed list: each behavioural criterion not met, plus the author's own failure rules."""
        lines = [FAILURE_CONDITIONS, _FAILURE_PREFACE[self.eval_type]]
        items = [item for n, c in enumerate(criteria, 1) if (item := self._failure_of(n, c))]
        items += explicit
        if not items:
            items = [self._default_failure()]
        lines += [f"{n}. {item}" for n, item in enumerate(items, 1)]
        lines.append(_FAILURE_CLOSING[self.eval_type])
        return "\n".join(lines)

    def _failure_of(self, number: int, criterion: str) -> str | None:
        """How criterion `number` fails; None for a pure judge instruction of a numeric/enum metric."""
        if not is_judge_instruction(criterion):
            return f"Criterion {number} is not met: {met_and_unmet(criterion)[1]}"
        if self.eval_type in (CleanEvalType.NUMERIC, CleanEvalType.ENUM):
            return None  # "measure X" / "classify as …" says how to score, not what goes wrong
        focus = focus_of(criterion)
        if focus:
            return f"Criterion {number} is only partly met or not met ({_lower_first(focus)})."
        return f"Criterion {number} is not met: {met_and_unmet(criterion)[1]}"

    def _default_failure(self) -> str:
        """The closed list's single entry when every criterion is a scoring instruction."""
        if self.eval_type is CleanEvalType.ENUM:
            return f"The call matches none of the label criteria below (the label is then '{OTHER_LABEL}')."
        direction, _ = drafts.direction_in(self.draft)
        worse = "higher" if direction == "lower" else "lower"
        return f"Only the quantity measured below is judged: a {worse} value is worse; nothing else counts as a failure."

    def _na(self, na_rules: list[str]) -> str:
        """Standard N/A cases plus the author's own."""
        lines = [NA_CONDITIONS, _NA_PREFACE[self.eval_type]]
        lines += [f"- {rule}" for rule in (*STANDARD_NA_CONDITIONS, *na_rules)]
        self.assumptions.append(
            "Added the standard N/A conditions (call too short, Testing Agent hung up, flow never started, "
            "infrastructure failure)" + ("" if na_rules else "; the draft named none") + "."
        )
        return "\n".join(lines)

    def _output(self, criteria: list[str]) -> str:
        """Per-eval-type output instructions."""
        return {
            CleanEvalType.BOOLEAN: self._output_boolean,
            CleanEvalType.RATING: self._output_rating,
            CleanEvalType.NUMERIC: self._output_numeric,
            CleanEvalType.ENUM: self._output_enum,
        }[self.eval_type](criteria)

    def _output_boolean(self, criteria: list[str]) -> str:
        """TRUE/FALSE definitions, an example of each."""
        example = next((c for c in criteria if has_observation(c)), criteria[0])
        met, unmet = met_and_unmet(example)
        return "\n".join([
            OUTPUT,
            "Answer TRUE, FALSE or N/A.",
            "TRUE — every criterion above is met and none of the failure conditions occurs.",
            f"  Example (TRUE): {met}",
            "FALSE — at least one failure condition occurs.",
            f"  Example (FALSE): {unmet}",
            "N/A — one of the N/A conditions applies.",
            _EXPLANATION_LINE,
        ])

    def _output_rating(self, criteria: list[str]) -> str:
        """An anchored 1–5 (or 0–5) scale, one line per level."""
        scale = drafts.rating_scale_in(self.draft)
        low = 0 if scale == (0, 5) else 1
        if scale and scale not in ((1, 5), (0, 5)):
            self.assumptions.append(
                f"The draft mentions a {scale[0]}–{scale[1]} scale; rating metrics use 1–5, so the scale was "
                "mapped onto 1–5 anchors."
            )
        elif not scale:
            self.assumptions.append("The draft names no scale; used the standard anchored 1–5 scale.")
        focus = "; ".join(_lower_first(_short(focus_of(c) or c)) for c in criteria[:3]) + "."
        lines = [
            OUTPUT,
            f"Rate the Main Agent on a {low}–5 scale (higher is better). Weigh: {focus}",
            "5 — Every criterion is fully met throughout the call; no failure condition occurs.",
            "4 — All criteria are met, with at most one minor lapse that the Main Agent corrects and that does not "
            "affect the outcome.",
            "3 — Most criteria are met, but one failure condition occurs once or one criterion is only partly met.",
            "2 — Several criteria are not met or a failure condition occurs repeatedly; the Testing Agent's goal is "
            "noticeably harmed.",
            "1 — The criteria are essentially not met; failure conditions dominate the call.",
        ]
        if low == 0:
            lines.append("0 — The Main Agent does the opposite of what the criteria ask.")
        lines += ["Return the integer level (or N/A when an N/A condition applies).", _EXPLANATION_LINE]
        return "\n".join(lines)

    def _output_numeric(self, criteria: list[str]) -> str:
        """What is counted, unit, counting rules, direction."""
        quantity = drafts.counted_quantity(self.draft)
        if quantity is None:
            quantity = "failure conditions above that occur in the call"
            self.assumptions.append(
                "The draft does not say what to count; the number is the count of failure-condition occurrences."
            )
        quantity = rewrite_placeholders(quantity, self.mapping)
        unit = drafts.unit_in(self.draft)
        if unit is None:
            unit = "occurrences (a whole number)"
            self.assumptions.append("No unit given; the result is a plain count of occurrences.")
        direction, why = drafts.direction_in(self.draft)
        if not why.startswith("stated"):
            self.assumptions.append(f"Direction '{direction} is better' was {why}.")
        measuring_time = unit in {"seconds", "minutes", "percent (0–100)"}
        rule = (
            "measure from the timestamps in {{transcript}}; when several instances occur, report their average "
            "unless the criteria say otherwise."
            if measuring_time
            else "count each distinct occurrence once; the same occurrence repeated later in the call counts again; "
            "actions of the Testing Agent are not counted unless a criterion says so."
        )
        counted = unit.startswith("occurrences") or re.match(r"(?:times|seconds|minutes|words|turns|questions)\b", quantity)
        return "\n".join([
            OUTPUT,
            f"Measure: the {'number of ' if counted else ''}{_strip_lead(quantity)}.",
            f"Unit: {unit}.",
            f"Counting rules: {rule} Only behaviour matching the criteria above counts.",
            f"Direction: {direction} is better.",
            "Return a single number (or N/A when an N/A condition applies, instead of a number); list each counted "
            "occurrence with its MM:SS timestamp.",
        ])

    def _output_enum(self, criteria: list[str]) -> str:
        """Closed labels with criteria, tie-break rule, other/N/A labels."""
        labels = drafts.enum_labels_in(self.draft)
        if labels:
            self.notes.append("Labels taken from the draft, in the author's order: " + ", ".join(labels) + ".")
        else:
            labels = drafts.proposed_labels(self.draft)
            self.assumptions.append(
                "The draft lists no labels; proposed " + ", ".join(labels) + " from its wording — rename them "
                "if they do not match your intent."
            )
        glossed = []
        for label in labels:
            gloss = drafts.label_gloss(self.draft, label)
            if not gloss:
                gloss = _default_gloss(label, criteria)
                self.assumptions.append(f"The draft gives no criteria for label '{label}'; used: {gloss}")
                related = [c for c in criteria if not is_judge_instruction(c) and _shares_word(label, c)]
                if related:
                    gloss += " Per the criteria: " + " ".join(related)
            glossed.append((label, rewrite_placeholders(gloss, self.mapping)))
        lowered = {label.lower() for label in labels}
        if not lowered & (FALLBACK_LABELS - {"n/a", "na", "not applicable", "not_applicable"}):
            glossed.append((OTHER_LABEL, "the call fits none of the labels above."))
            self.assumptions.append(f"Added the label '{OTHER_LABEL}' for calls that fit no listed label.")
        if not lowered & {"n/a", "na", "not applicable", "not_applicable"}:
            glossed.append((NA_LABEL, "one of the N/A conditions applies."))
            self.assumptions.append(f"Added the label '{NA_LABEL}' for the N/A conditions.")
        self.assumptions.append("Tie-break by list order (the author's order): an assumption; reorder to change it.")
        self.enum_values = [label for label, _ in glossed]
        return "\n".join([
            OUTPUT,
            "Return exactly one label from this closed list, written exactly as shown.",
            "Labels (closed list, in priority order):",
            *[f"- {label}: {gloss}" for label, gloss in glossed],
            "",
            "Tie-break: if more than one label fits, choose the one listed first.",
            _EXPLANATION_LINE,
        ])

    # ------------------------------------------------------------------ thinking

    def _note_variables(self, uses_rules: bool, uses_evaluator: bool) -> None:
        """Why each variable is there (and which the draft's placeholders became)."""
        used = ["{{transcript}} (the call being judged)"]
        if uses_rules:
            used.append("{{agent.description}} (the draft judges the Main Agent against its own rules)")
        if uses_evaluator:
            used.append("{{evaluator.instructions}} (the draft refers to the scenario/expected outcome)")
        self.notes.append("Variables used: " + "; ".join(used) + ".")
        for old, new in self.mapping.items():
            if old != new:
                self.assumptions.append(
                    f"The draft's {{{{{old}}}}} is not an allowed variable; read it as the test profile field "
                    f"{{{{{new}}}}}."
                )

    def _thinking(self, criteria: list[str]) -> str:
        """Assumptions made, ambiguities resolved and what changed, as a bullet list."""
        lines = [
            f"Kept the author's intent: {_count(len(criteria), 'criterion', 'criteria')} taken from the draft in its "
            f"own words (eval type: {self.eval_type.value}); nothing was added to what is judged.",
        ]
        if self.reading.wording_changes:
            lines.append("Standardised wording: " + ", ".join(self.reading.wording_changes) + ".")
        if self.reading.failure_rules:
            lines.append(
                f"Moved {_count(len(self.reading.failure_rules), 'explicit failure rule')} of the draft under "
                "FAILURE CONDITIONS."
            )
        if self.reading.do_not_flag:
            lines.append(
                f"Kept {_count(len(self.reading.do_not_flag), 'exclusion')} of the draft as 'Do not flag' in the scope."
            )
        if self.reading.scoring_notes:
            lines.append(
                "Used the draft's scoring remark(s) in OUTPUT INSTRUCTIONS rather than as criteria: "
                + " ".join(self.reading.scoring_notes)
            )
        if self.reading.na_rules:
            lines.append(f"Moved {_count(len(self.reading.na_rules), 'explicit N/A rule')} of the draft under N/A CONDITIONS.")
        if self.linked:
            lines.append("Used the agent's own vocabulary for the draft's wording: " + ", ".join(self.linked) + ".")
        lines += self.notes
        if self.agent is not None and not self.linked:
            lines.append("No tool or workflow name of the agent matched the draft's wording, so none is named.")
        lines += [f"Assumption: {a}" for a in self.assumptions]
        lines.append(
            "Every failure condition is the negation of a criterion or a rule the author wrote; a judge should "
            "not flag anything outside that list."
        )
        return "\n".join(f"- {line}" for line in lines)


_FAILURE_PREFACE = {
    CleanEvalType.BOOLEAN: "Return FALSE only if one of these occurs:",
    CleanEvalType.RATING: "Only these lower the rating; the more often and the more severely they occur, the lower it is:",
    CleanEvalType.NUMERIC: "Only these count as failures of the criteria:",
    CleanEvalType.ENUM: "Only these count as failures:",
}
_FAILURE_CLOSING = {
    CleanEvalType.BOOLEAN: "If the call matches none of these conditions, the answer is TRUE.",
    CleanEvalType.RATING: "Anything not listed here does not lower the rating.",
    CleanEvalType.NUMERIC: "Anything not listed here is not a failure.",
    CleanEvalType.ENUM: "Anything not listed here is not a failure; the labels below decide the result.",
}
_NA_PREFACE = {
    CleanEvalType.BOOLEAN: "Return N/A (not TRUE or FALSE) when:",
    CleanEvalType.RATING: "Return N/A instead of a rating when:",
    CleanEvalType.NUMERIC: "Return N/A instead of a number when:",
    CleanEvalType.ENUM: f"Return the label '{NA_LABEL}' when:",
}


def _count(n: int, singular: str, plural: str | None = None) -> str:
    """'1 criterion', '3 criteria'."""
    return f"{n} {singular if n == 1 else (plural or singular + 's')}"


def _lower_first(text: str) -> str:
    """'The Main Agent …' → 'the Main Agent …' (for mid-sentence use)."""
    return text[0].lower() + text[1:] if re.match(r"(?:The|A|An|This)\s", text) else text


def _short(text: str, limit: int = 90) -> str:
    """A criterion trimmed for an inline list."""
    text = text.rstrip(".")
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


def _strip_lead(quantity: str) -> str:
    """'the number of X' → 'X' so 'Measure: the …' reads naturally."""
    return re.sub(r"^(?:the\s+)?(?:number of\s+)?", "", quantity, flags=re.IGNORECASE)


def _quote_name(name: str, tools: list[str]) -> str:
    """Tool names in backticks, workflow names in quotes."""
    return f"tool `{name}`" if name in tools else f'workflow "{name}"'


def _join_names(tools: list[str], workflows: list[str]) -> str:
    """'tool `a`, workflow "B"'."""
    return ", ".join([f"tool `{t}`" for t in tools] + [f'workflow "{w}"' for w in workflows])


def _default_gloss(label: str, criteria: list[str]) -> str:
    """A plain reading of a proposed label against the criteria."""
    words = label.replace("_", " ")
    known = {
        "fully met": "every criterion above is met.",
        "partially met": "some criteria above are met and others are not.",
        "not met": "none of the criteria above is met.",
    }
    return known.get(words, f'the call ended with the outcome "{words}".')


def _shares_word(label: str, criterion: str) -> bool:
    """True when a distinctive word of the label (e.g. 'A&E') occurs in the criterion."""
    words = [w for w in re.findall(r"[A-Za-z&]{3,}", label) if w.lower() not in {"the", "and", "only", "with", "sent"}]
    return any(re.search(rf"(?<![A-Za-z]){re.escape(w)}(?![A-Za-z])", criterion, re.IGNORECASE) for w in words)
