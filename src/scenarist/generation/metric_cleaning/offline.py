"""The offline engine: a deterministic rewrite of the draft into the clean-description structure.

The draft's shorthand is written out (shorthand.py), its behaviour decomposed into atomic criteria
(atoms.py), grounded in the agent model's own rules, tools, workflows and verification (grounding.py),
and turned into observable failure events, examples and N/A cases (events.py).
"""

from __future__ import annotations

import re

from scenarist.generation.agent_model import AgentModel
from scenarist.generation.text import content_stems, with_article
from scenarist.generation.types import AgentSpec, CleanDescription, CleanEvalType

from . import draft as drafts
from .atoms import Atom, decompose
from .events import examples, failure_events, na_for, policy_events
from .grounding import Grounding, ground, label_intent, quote
from .observations import focus_of, is_judge_instruction
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
from .shorthand import IMPLIES, expand
from .variables import (
    needs_agent_description,
    needs_evaluator_instructions,
    placeholder_mapping,
    rewrite_placeholders,
)

# (pattern of what the draft judges, what is ignored unless the draft judges it). A politeness draft judges
# tone, so "voice and tone" is never in its ignore list.
_IGNORE_ITEMS: tuple[tuple[str, str], ...] = (
    (r"latenc|delay|response time|speed|fast|slow|seconds?\b|minutes?\b|timing|how long|quick|pause|silen",
     "response latency and speed"),
    (r"audio|voice|tone|pitch|accent|pronunc|sound|polite|courte|rude|friendl|empath|warm|manner|respect|"
     r"professional|kind|patien(?:ce|t with)|calm|sarcas|attitude|natural", "voice, tone and audio quality"),
    (r"transcri|mishear|speech recognition|asr|spell", "speech-recognition slips in the transcript"),
    (r"greet|introduc|opening|hello|welcome", "how the call opens, unless a criterion refers to it"),
    (r"small talk|chit|off[- ]topic|rapport", "small talk unrelated to the criteria"),
)
_EXPLANATION_LINE = (
    "Explain the verdict in 2–4 sentences; when the result is negative, cite the MM:SS timestamp and quote the "
    "Main Agent's words."
)
_INTENT_QUESTION_RE = re.compile(r"\b(?:want|wanted|intent|reason|purpose|why\b.*\bcall|called (?:for|about)|"
                                 r"request(?:ed)?|ask(?:ed|ing)? for)\b", re.IGNORECASE)
_OUTCOME_QUESTION_RE = re.compile(r"\b(?:end(?:ed|s)?|outcome|result|final|disposition|how the call)\b", re.IGNORECASE)
_GENERIC_NA_KEYS = (  # a standard N/A case is dropped when the draft judges the same thing
    r"short|length|duration|turns?\b",
    r"hang|hung|hangs|abandon|disconnect",
    r"never (?:started|raised)",
    r"audio|dead air|silen|connection|dropped|latenc|infrastructure",
)


def clean_offline(draft: str, eval_type: CleanEvalType, agent: AgentSpec | None,
                  model: AgentModel | None = None) -> CleanDescription:
    """Rewrite a draft into a clean description without any model; every assumption is listed in `thinking`."""
    if model is None and agent is not None:
        from scenarist.generation.understanding import build_agent_model

        model = build_agent_model(agent)
    return _Writer(draft, eval_type, agent, model).write()


class _Writer:
    """Builds one clean description and the `thinking` notes that explain it."""

    def __init__(self, draft: str, eval_type: CleanEvalType, agent: AgentSpec | None, model: AgentModel | None):
        self.original = draft.strip()
        self.eval_type = eval_type
        self.agent = agent
        self.model = model
        expanded = expand(self.original)
        self.draft = expanded.text
        self.expansions = expanded.expansions
        self.reading = drafts.read_draft(self.draft)
        self.mapping = placeholder_mapping(self.reading.placeholders)
        self.grounding: Grounding = ground(self.draft, model)
        if eval_type is CleanEvalType.ENUM:  # labels are matched to workflows one by one; no single rule governs
            self.grounding.policies, self.grounding.tools = [], []
        self.notes: list[str] = []
        self.assumptions: list[str] = []
        self.enum_values: list[str] | None = None
        self.topics: list[str] = []
        self.atoms: list[Atom] = []
        self.used_rules: list[str] = []

    # ------------------------------------------------------------------ assembly

    def write(self) -> CleanDescription:
        """All sections in order, then `thinking`."""
        criteria = [rewrite_placeholders(c, self.mapping) for c in self._criteria_sentences()]
        failures = [rewrite_placeholders(c, self.mapping) for c in self.reading.failure_rules]
        na_rules = [rewrite_placeholders(c, self.mapping) for c in self.reading.na_rules]
        uses_rules = needs_agent_description(self.draft) or bool(self.grounding.policies)
        uses_evaluator = needs_evaluator_instructions(self.draft)
        blocks = [
            self._scope(criteria, uses_rules, uses_evaluator),
            self._criteria(criteria),
            self._failures(criteria, failures),
            self._na(na_rules),
            self._output(criteria),
        ]
        text = rewrite_placeholders("\n\n".join(blocks).strip(), self.mapping) + "\n"
        self._note_variables(uses_rules, uses_evaluator)
        return CleanDescription(clean_description=text, thinking=self._thinking(criteria), enum_values=self.enum_values)

    def _criteria_sentences(self) -> list[str]:
        """Judge instructions kept as written; behaviour decomposed into atomic criteria."""
        sentences: list[str] = []
        for unit in self.reading.criteria:
            if self.eval_type is CleanEvalType.ENUM and drafts.enum_labels_in(unit):
                scope = ""
                if IMPLIES.strip() in unit:  # "fraud claim over $500 => outcome: …" keeps its condition
                    scope = "For calls where " + _lower_first(unit.split(IMPLIES.strip())[0].strip(" ,.")) + ", "
                sentences.append((scope + "classify the call by ").capitalize() if not scope else
                                 scope + "classify the call by ")
                sentences[-1] += (self._enum_question().rstrip(".")
                                  + ", using exactly one of the labels defined under OUTPUT INSTRUCTIONS.")
                continue
            if is_judge_instruction(unit):
                sentences.append(self._judge_sentence(unit))
                continue
            decomposition = decompose([unit])
            self.topics += [t for t in decomposition.topics if t not in self.topics]
            self.atoms += decomposition.atoms
            sentences += [atom.sentence for atom in decomposition.atoms] or [unit]
        if not sentences:  # e.g. a draft made only of N/A rules: judge what it says as one criterion
            sentences = [drafts.standardise_wording(" ".join(self.draft.split()))[0]]
        return sentences

    def _judge_sentence(self, unit: str) -> str:
        """A scoring instruction in full words: numeric → what is measured; others as the author wrote it."""
        if self.eval_type is CleanEvalType.NUMERIC:
            quantity = drafts.counted_quantity(unit)
            if quantity:
                quantity = re.sub(r"\?\s*$", "", _bare_agent(quantity)).strip().rstrip(".")
                return f"This metric measures the number of {_strip_lead(quantity)}."
        return drafts.standardise_wording(_bare_agent(unit))[0]

    # ------------------------------------------------------------------ sections

    def _scope(self, criteria: list[str], uses_rules: bool, uses_evaluator: bool) -> str:
        """What is judged, with which inputs, and what is ignored."""
        who = f", {self.model.agent_name}" if self.model else ""
        lines = [
            SCOPE,
            f"You are judging one call between the Main Agent (the agent under test{who}) and the Testing Agent "
            "(the simulated caller). Read the call in {{transcript}}.",
            f"Judge ONLY this: {self._focus(criteria)}",
        ]
        if len(criteria) > 1:
            lines.append(f"The {_count(len(criteria), 'criterion', 'criteria')} under CRITERIA spell this out. "
                         "Nothing else is judged.")
        names = self._agent_names()
        if names and self.eval_type is not CleanEvalType.ENUM:
            lines.append("In this agent's own terms this concerns " + names + ".")
        if uses_rules:
            lines.append("The Main Agent's own rules are in {{agent.description}}; the ones this metric checks are "
                         "quoted under CRITERIA.")
        if uses_evaluator:
            lines.append("What the Testing Agent set out to do is in {{evaluator.instructions}}.")
        for rule in self.reading.do_not_flag:
            lines.append(f"Do not flag: {rewrite_placeholders(rule, self.mapping)}")
        lines.append("Ignore (must not affect the result): " + "; ".join(self._ignored()) + ".")
        return "\n".join(lines)

    def _focus(self, criteria: list[str]) -> str:
        """One line naming what the metric judges, in the author's terms."""
        if self.topics:
            topics = [_strip_handling(t) for t in self.topics]
            return "how the Main Agent handles " + " and ".join(
                with_article(t) if len(t.split()) == 1 else t for t in topics) + "."
        instruction = next((c for c in criteria if is_judge_instruction(c)), None)
        if instruction:
            focus = focus_of(instruction)
            return (_lower_first(focus) if focus else _lower_first(instruction.rstrip("."))) + "."
        return _lower_first(criteria[0]) if criteria else "the behaviour described below."

    def _ignored(self) -> list[str]:
        """Ignore items that share nothing with what the draft judges."""
        judged = content_stems(self.draft)
        ignored = []
        for pattern, label in _IGNORE_ITEMS:
            if re.search(pattern, self.draft, re.IGNORECASE) or judged & content_stems(label.split(",")[0]):
                continue
            ignored.append(label)
        ignored.append("how the Testing Agent behaves, except where a criterion refers to it")
        return ignored

    def _agent_names(self) -> str:
        """The agent's tools and workflows the draft is about, e.g. 'tool `book_appointment`' (a tool named only in a
        prohibition — "no more booking questions" — is not what the metric is about)."""
        negated = " ".join(a.source for a in self.atoms if a.negative)
        positive = " ".join(a.sentence for a in self.atoms if not a.negative) or self.draft
        kept = {t.name for t in ground(positive, self.model).tools} if negated else None
        parts = [f"tool `{t.name}`" for t in self.grounding.tools if kept is None or t.name in kept]
        parts += [f'workflow "{i.name}"' for i in self.grounding.intents]
        return ", ".join(parts)

    def _criteria(self, criteria: list[str]) -> str:
        """The criteria, numbered; the agent's own matching rules quoted under the criterion they ground."""
        lines = [CRITERIA]
        attached = self._rules_by_criterion(criteria)
        for number, criterion in enumerate(criteria, 1):
            lines.append(f"{number}. {criterion}")
            for rule in attached.get(number, []):
                lines.append(f"   The Main Agent's own rule, as its prompt states it: \"{rule}\"")
        verification = self.grounding.verification
        if verification is not None:
            fields = ", ".join(f.replace("_", " ") for f in verification.fields)
            tool = f", checked with tool `{verification.tool}`" if verification.tool else ""
            lines.append(f"   This agent identifies callers by: {fields}{tool}; asking for more than that is not "
                         "required by its prompt.")
            self.notes.append(f"Grounded identification in the agent's verification procedure ({fields}{tool}).")
        return "\n".join(lines)

    def _rules_by_criterion(self, criteria: list[str]) -> dict[int, list[str]]:
        """Each grounded policy attached to the criterion it shares most words with."""
        attached: dict[int, list[str]] = {}
        for policy in self.grounding.policies:
            stems = content_stems(policy.text)
            best = max(range(len(criteria)), key=lambda i: (len(stems & content_stems(criteria[i])), -i))
            rule = quote(policy)
            attached.setdefault(best + 1, []).append(rule)
            self.used_rules.append(rule)
        return attached

    def _failures(self, criteria: list[str], explicit: list[str]) -> str:
        """The closed list: observable events that break a criterion, plus the author's own failure rules."""
        lines = [FAILURE_CONDITIONS, _FAILURE_PREFACE[self.eval_type]]
        items: list[str] = []
        for atom in self.atoms:
            items += [e for e in failure_events(atom) if e not in items]
        for policy in self.grounding.policies:
            items += [e for e in policy_events(policy) if e not in items]
        items += explicit
        if not items:
            items = [self._default_failure()]
        lines += [f"{n}. {item}" for n, item in enumerate(items, 1)]
        lines.append(_FAILURE_CLOSING[self.eval_type])
        return "\n".join(lines)

    def _default_failure(self) -> str:
        """The closed list's single entry when every criterion is a scoring instruction."""
        if self.eval_type is CleanEvalType.ENUM:
            return f"The call matches none of the label criteria below (the label is then '{OTHER_LABEL}')."
        direction, _ = drafts.direction_in(self.draft)
        worse = "higher" if direction == "lower" else "lower"
        return f"Only the quantity measured below is judged: a {worse} value is worse; nothing else counts as a failure."

    def _na(self, na_rules: list[str]) -> str:
        """N/A cases specific to this metric, the author's own, and the standard ones that do not collide."""
        lines = [NA_CONDITIONS, _NA_PREFACE[self.eval_type]]
        specific = list(dict.fromkeys(na_for(a.condition) for a in self.atoms if a.condition and not a.follows))
        judged = " ".join([self.original, *(self.enum_values or drafts.enum_labels_in(self.original))])
        standard = []
        for rule, key in zip(STANDARD_NA_CONDITIONS, _GENERIC_NA_KEYS):
            if re.search(key, judged, re.IGNORECASE):
                self.notes.append(f"Left out the standard N/A case \"{rule}\": the draft judges that itself.")
                continue
            if specific and key.startswith("never"):
                continue  # the specific "never mentions …" cases replace the generic "flow never started"
            standard.append(rule)
        lines += [f"- {rule}" for rule in (*specific, *na_rules, *standard)]
        if specific:
            self.notes.append("Added N/A for when the situation the criteria react to never comes up.")
        if standard:
            self.assumptions.append(f"Added {_count(len(standard), 'standard N/A condition')} (short call, hang-up, "
                                    "infrastructure) that do not collide with what the draft judges"
                                    + ("" if na_rules else "; the draft named none") + ".")
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
        """TRUE/FALSE definitions, a short, different call moment for each."""
        if self.atoms:
            true_example, false_example = examples(self.atoms)
        else:
            true_example = "The Main Agent does what the criteria ask at the moment they apply."
            false_example = "The moment comes and the Main Agent does something a failure condition lists."
        return "\n".join([
            OUTPUT,
            "Answer TRUE, FALSE or N/A.",
            "TRUE — every criterion above is met and none of the failure conditions occurs.",
            f"  Example (TRUE): {true_example}",
            "FALSE — at least one failure condition occurs.",
            f"  Example (FALSE): {false_example}",
            "N/A — one of the N/A conditions applies.",
            _EXPLANATION_LINE,
        ])

    def _output_rating(self, criteria: list[str]) -> str:
        """An anchored 1–5 (or 0–5) scale, one complete line per level."""
        scale = drafts.rating_scale_in(self.draft)
        low = 0 if scale == (0, 5) else 1
        if scale and scale not in ((1, 5), (0, 5)):
            self.assumptions.append(
                f"The draft mentions a {scale[0]}–{scale[1]} scale; rating metrics use 1–5, so the scale was "
                "mapped onto 1–5 anchors."
            )
        elif not scale:
            self.assumptions.append("The draft names no scale; used the standard anchored 1–5 scale.")
        weighed = [c for c in criteria if not is_judge_instruction(c)] or criteria
        lines = [
            OUTPUT,
            f"Rate the Main Agent on a {low}–5 scale (higher is better), weighing the "
            f"{_count(len(weighed), 'criterion', 'criteria')} above equally.",
            "5 — Every criterion is fully met throughout the call; no failure condition occurs.",
            "4 — Every criterion is met; one minor lapse occurs (e.g. a slightly awkward phrase) that the Main Agent "
            "corrects itself and that does not change the outcome.",
            "3 — One failure condition occurs once, or one criterion is only partly met, but the Testing Agent "
            "still gets what they needed.",
            "2 — Two or more criteria are not met, or a failure condition occurs repeatedly; the Testing Agent "
            "has to push, repeat themselves or accept a worse result.",
            "1 — The criteria are essentially not met: failure conditions dominate the call.",
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
        """Closed labels exactly as the author wrote them, criteria for each, tie-break, other/N/A labels."""
        labels = drafts.enum_labels_in(self.original)
        if labels:
            self.notes.append("Kept the draft's labels exactly as written, in the author's order: "
                              + ", ".join(labels) + ".")
        else:
            labels = drafts.proposed_labels(self.draft)
            self.assumptions.append(
                "The draft lists no labels; proposed " + ", ".join(labels) + " from its wording — rename them "
                "if they do not match your intent."
            )
        question = self._enum_question()
        glossed = []
        for label in labels:
            gloss = drafts.label_gloss(self.original, label)
            gloss = drafts.standardise_wording(expand(gloss).text)[0] if gloss else self._label_gloss(label, question)
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
            f"The question: {question}",
            "Return exactly one label from this closed list, written exactly as shown.",
            "Labels (closed list, in priority order):",
            *[f"- {label}: {gloss}" for label, gloss in glossed],
            "",
            "Tie-break: if more than one label fits, choose the one listed first.",
            _EXPLANATION_LINE,
        ])

    def _enum_question(self) -> str:
        """What the labels answer, kept as the author asked it (what the caller wanted ≠ how the call ended)."""
        if _INTENT_QUESTION_RE.search(self.draft) and not _OUTCOME_QUESTION_RE.search(self.draft):
            note = "Kept the draft's question: what the Testing Agent wanted, not how the call ended."
            if note not in self.notes:
                self.notes.append(note)
            return "what the Testing Agent wanted from the call (their main request), whatever the outcome."
        if _OUTCOME_QUESTION_RE.search(self.draft):
            return "how the call ended (its final outcome)."
        return "which label describes the call best, by the criteria above."

    def _label_gloss(self, label: str, question: str) -> str:
        """A plain reading of a label the author did not explain, matched to the agent's workflow when one fits."""
        words = expand(label.replace("_", " ")).text.strip()
        intent = label_intent(words, self.model)
        known = {"fully met": "every criterion above is met.",
                 "partially met": "some criteria above are met and others are not.",
                 "not met": "none of the criteria above is met."}
        if words.lower() in known:
            gloss = known[words.lower()]
        elif question.startswith("what the Testing Agent wanted"):
            gloss = f"the Testing Agent's main request is \"{words}\""
            gloss += f" (this agent's workflow \"{intent.name}\")." if intent else "."
        elif question.startswith("how the call ended"):
            gloss = f'the call ends with the outcome "{words}".'
        else:
            gloss = f'the call matches "{words}".'
        self.assumptions.append(f"The draft gives no criteria for label '{label}'; read it as: {gloss}")
        return gloss

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
        """Only true statements: shorthand expanded, rules of the agent used, labels kept or proposed, assumptions."""
        lines = [f"Eval type: {self.eval_type.value}; {_count(len(criteria), 'criterion', 'criteria')} written from "
                 "the draft, keeping every condition the author wrote."]
        if self.expansions:
            lines.append("Expanded shorthand: " + "; ".join(self.expansions) + ".")
        if self.reading.wording_changes:
            lines.append("Standardised wording: " + ", ".join(self.reading.wording_changes) + ".")
        if self.reading.failure_rules:
            lines.append(f"Moved {_count(len(self.reading.failure_rules), 'explicit failure rule')} of the draft "
                         "under FAILURE CONDITIONS.")
        if self.reading.do_not_flag:
            lines.append(f"Kept {_count(len(self.reading.do_not_flag), 'exclusion')} of the draft as 'Do not flag'.")
        if self.reading.scoring_notes:
            lines.append("Used the draft's scoring remark(s) in OUTPUT INSTRUCTIONS: " + " ".join(self.reading.scoring_notes))
        if self.reading.na_rules:
            lines.append(f"Moved {_count(len(self.reading.na_rules), 'explicit N/A rule')} of the draft under "
                         "N/A CONDITIONS.")
        for rule in self.used_rules:
            lines.append(f"Grounded in the agent's own rule (quoted under CRITERIA): \"{rule}\"")
        names = self._agent_names()
        if names:
            lines.append("The draft's wording matches the agent's " + names + ".")
        elif self.model is not None:
            lines.append("No tool or workflow of the agent matches the draft's wording, so none is named.")
        lines += self.notes
        lines += [f"Assumption: {a}" for a in self.assumptions]
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



def _strip_lead(quantity: str) -> str:
    """'the number of X' → 'X' so 'Measure: the …' reads naturally."""
    return re.sub(r"^(?:the\s+)?(?:number of\s+)?", "", quantity, flags=re.IGNORECASE)






def _strip_handling(topic: str) -> str:
    """'emergency handling' → 'emergency' (the focus line already says 'how the Main Agent handles …')."""
    return re.sub(r"\s+(?:handling|handled)$", "", topic).strip() or topic


def _bare_agent(text: str) -> str:
    """'times agent pushes …' → 'times the Main Agent pushes …' (a bare 'agent' in shorthand is the Main Agent)."""
    return re.sub(r"(?<!the )(?<!Main )(?<!Testing )\bagent\b", "the Main Agent", text)
