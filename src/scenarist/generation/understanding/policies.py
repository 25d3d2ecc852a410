"""Policies: every rule sentence of the prompt as a typed rule with its exact text, trigger and prescribed response.

No cap on long prompts: a 30 000-character compliance prompt keeps every rule (duplicates are dropped)."""

from __future__ import annotations

import re

from ..agent_model import IntentModel, PolicyKind, PolicyModel, SectionRole
from ..text import slugify
from .sections import Block, ParsedPrompt

MAX_POLICIES = 400
_RULE_SECTIONS = (SectionRole.GUARDRAILS, SectionRole.ERROR_HANDLING, SectionRole.VERIFICATION)
_SKIP_SECTIONS = (SectionRole.EXAMPLES,)
_RULE_WORDS = re.compile(
    r"\b(never|must|always|do not|don't|cannot|can't|can not|only|under no circumstances|not allowed|required|"
    r"may not(?! be\b)|should not|shouldn't|is not permitted|prohibited|forbidden|refuse|before (you|any|collecting|"
    r"transferring|booking)|unless|nunca|jam[aá]s|siempre|debes|no debes|no puedes|solo|s[oó]lo|prohibido|"
    r"obligatori\w*|antes de|(does|do) not handle|doesn'?t handle|not able to)\b", re.I)
_CONDITIONAL = re.compile(
    r"^(?:(?:if|when|whenever|should|in case|si|cuando|en caso de que|en caso de)\b)\s*(.+?)(?:,\s*|"
    r"\s+then\s+|\s*[—–→]\s*|:\s+)"
    r"(.+)$", re.I)
_INSTRUCTING = re.compile(r"\b(tell|say|transfer|escalate|offer|inform|warn|remind|explain|read|stop|end the call|"
                          r"hang up|apologi[sz]e|advise|direct|refer|give|dile|transfiere|ofrece|informa|indica|"
                          r"explica|deriva|ind[ií]quel\w*|recomiend\w*|d[ií]gal\w*|expliqu\w*|ofrezc\w*|transfier\w*|"
                          r"inform\w*|pida|remit\w*|no haga|no siga)\b", re.I)
_SPANISH_PROHIBITION = re.compile(r"^(no|nunca|jam[aá]s)\s+\w+", re.I)
_KINDS: list[tuple[PolicyKind, re.Pattern[str]]] = [
    (PolicyKind.EMERGENCY, re.compile(
        r"\b(9-?1-?1|112|emergenc\w*|ambulance|chest pain|trouble breathing|stroke|suicid\w*|self-harm|hurt(ing)? "
        r"(themselves|yourself|someone)|downed (power )?lines?|live wires?|gas leak|smell of gas|poison\w*|overdose|"
        r"life[- ]threatening|urgencias?)\b", re.I)),
    (PolicyKind.PRIVACY, re.compile(
        r"\b(another (patient|customer|person|member|caller|employee|cardholder|client|guest|owner)|other "
        r"(patients|customers|people|members|callers|employees|cardholders|clients|guests|owners)'?|someone else'?s|"
        r"third[- ]part\w*|personal (information|data)|disclos\w*|privacy|hipaa|social security|ssn|card number|"
        r"card details|cvv|cvc|security code|password|\bpin\b|mbi|internal (ids?|identifiers?|codes?|notes?)|"
        r"tool names?|system prompt|your instructions|reveal|read (it|them|\w+ \w+)? ?(back|aloud|out)|"
        r"otr[oa]s? (clientes?|titulares?|l[ií]neas?)|datos personales|puk|full card)\b", re.I)),
    (PolicyKind.SCOPE, re.compile(
        r"\b(only (handle|help|assist|deal|answer|discuss|take)|(does|do) not handle|doesn'?t handle|"
        r"outside (of )?(your|the|this) (scope|line)|"
        r"not able to help with|off-topic|unrelated|you do not (handle|do|troubleshoot)|not your job|"
        r"legal advice|medical advice|financial advice|solo (atiendes|gestionas|puedes)|no gestionas)\b", re.I)),
    (PolicyKind.ERROR_HANDLING, re.compile(
        r"\b((tool|system|lookup|booking|transfer|call|request|it|search|function) (fails|failed|returns an error|"
        r"is down|does not answer|doesn't answer|not responding|times out|errors?)|fails?( a second time| again)?|"
        r"returns? an error|error|not responding|no match|not found|can'?t find|cannot find|unavailable|"
        r"try (once|again)|falla\w*|no responde)\b", re.I)),
    (PolicyKind.ESCALATION, re.compile(
        r"\b(transfer\w*|escalat\w*|hand (it |them )?(off|over)|supervisor|licensed (agent|insurance agent)|human|"
        r"specialist|on-call|team lead|manager on duty|transfier\w*|deriva\w*|agente humano)\b", re.I)),
    (PolicyKind.PROHIBITION, re.compile(
        r"\b(never|do not|don't|must not|cannot|can't|may not(?! be\b)|not allowed|under no circumstances|should not|"
        r"shouldn't|prohibited|forbidden|nunca|no debes|no puedes|jam[aá]s|prohibido)\b", re.I)),
]
_STYLE_ONLY = re.compile(r"\b(tone|emoji|markdown|bullet points|short sentences|sound like|formal|informal|"
                         r"speak (slowly|clearly)|say dates|spell out|filler)\b", re.I)
_ABBREVIATIONS = re.compile(r"\b(e\.g|i\.e|etc|dr|mr|mrs|ms|st|vs|no|approx|a\.m|p\.m|u\.s|jr|sr|inc|ltd|dept|"
                            r"min|max|sra?|srta|ud|uds|p\.ej)\.$", re.I)


def split_sentences(text: str) -> list[str]:
    """Sentences of a text, whitespace-normalised but otherwise verbatim (abbreviations do not end a sentence)."""
    flat = " ".join(text.split())
    out: list[str] = []
    start = 0
    for match in re.finditer(r"(?<=[.!?])[\"')\]]*\s+(?=[A-Z0-9¿¡\"'(ÁÉÍÓÚÑ])", flat):
        piece = flat[start:match.start()].strip()
        if _ABBREVIATIONS.search(piece):
            continue
        out.append(flat[start:match.end()].strip())
        start = match.end()
    if flat[start:].strip():
        out.append(flat[start:].strip())
    return out


_MARKER = re.compile(r"^\s*(?:[-*•·–]|\d+(?:\.\d+)*[.)]|[a-z][.)]|\(?[a-z]\))\s+")


def rule_units(parsed: ParsedPrompt, block: Block) -> list[str]:
    """The block's own lines grouped into list items/paragraphs, then sentences (list markers and ** removed)."""
    units: list[str] = []
    current: list[str] = []
    for _, line in block.lines:
        if _MARKER.match(line) or not line.strip() or (current and not line.startswith((" ", "\t")) and
                                                       current[-1].rstrip().endswith((".", ":", "!", "?"))):
            if current:
                units.append(" ".join(current))
            current = [_MARKER.sub("", line).strip()] if line.strip() else []
        else:
            current.append(line.strip())
    if current:
        units.append(" ".join(current))
    out = []
    for unit in units:
        for piece in _INLINE_TAG.split(unit.replace("**", "")):  # <rule id="x">…</rule> items on one line
            out.extend(sentence for sentence in split_sentences(piece) if sentence)
    return out


_INLINE_TAG = re.compile(r"</?[A-Za-z_][\w-]*(?:\s+[\w-]+\s*=\s*\"[^\"]*\")*\s*/?>")


def policy_kind(sentence: str, role: SectionRole) -> PolicyKind:
    """The type of a rule sentence (error-handling sections default to error handling)."""
    for kind, pattern in _KINDS:
        if kind in (PolicyKind.EMERGENCY, PolicyKind.PRIVACY) and pattern.search(sentence):
            return kind
    if role == SectionRole.ERROR_HANDLING:
        return PolicyKind.ERROR_HANDLING
    for kind, pattern in _KINDS:
        if pattern.search(sentence):
            return kind
    return PolicyKind.OBLIGATION


def _mask_parentheses(text: str) -> str:
    """The text with what is inside parentheses blanked out (same length), so '(chest pain, trouble breathing)'
    does not end a condition at its comma."""
    out, depth = [], 0
    for char in text:
        depth += char == "("
        out.append("_" if depth and char not in "()" else char)
        depth -= char == ")" and depth > 0
    return "".join(out)


def _trigger_response(sentence: str, kind: PolicyKind) -> tuple[str, str]:
    """('the situation', 'what the agent must do') of a rule sentence."""
    match = _CONDITIONAL.match(_mask_parentheses(sentence))
    if match:  # offsets are those of the sentence: masking keeps its length
        cut = match.start(2)
        condition = sentence[match.start(1):match.end(1)]
        return condition.strip(" ,"), sentence[cut:].strip()
    if kind == PolicyKind.EMERGENCY:
        return "the caller describes an emergency", sentence
    if kind in (PolicyKind.PROHIBITION, PolicyKind.PRIVACY, PolicyKind.SCOPE):
        return "the caller asks for or pushes towards what the rule forbids", ""
    return "", sentence


def policies_of(parsed: ParsedPrompt, intents: list[IntentModel]) -> list[PolicyModel]:
    """Every rule sentence: all of rule sections, rule-worded or instructing conditionals elsewhere (not examples,
    not the tool reference)."""
    by_section = {i.section_id: i.id for i in intents if i.section_id}
    policies: list[PolicyModel] = []
    seen: set[str] = set()
    for block in parsed.blocks:
        if block.role in _SKIP_SECTIONS:
            continue
        owner = by_section.get(f"section:{block.index}")
        heading = [block.title] if block.title and _RULE_WORDS.search(block.title) else []
        for sentence in heading + rule_units(parsed, block):
            if len(sentence) < 12 or sentence.endswith(":") or sentence.lower() in seen:
                continue
            in_rules = block.role in _RULE_SECTIONS
            conditional = bool(_CONDITIONAL.match(sentence)) and bool(_INSTRUCTING.search(sentence))
            if not (in_rules or _RULE_WORDS.search(sentence) or conditional or _SPANISH_PROHIBITION.match(sentence)):
                continue
            if block.role == SectionRole.TOOLS and not _RULE_WORDS.search(sentence):
                continue
            seen.add(sentence.lower())
            kind = policy_kind(sentence, block.role)
            trigger, response = _trigger_response(sentence, kind)
            style = block.role == SectionRole.STYLE or bool(_STYLE_ONLY.search(sentence))
            # A caller can trigger it: a rule-worded sentence, a conditional instruction or a typed rule; a bare
            # fact of a rule section ("Closed on Sundays.") is kept as a policy but is not worth its own probe.
            probe = not style and (bool(_RULE_WORDS.search(sentence)) or conditional
                                   or kind not in (PolicyKind.OBLIGATION,))
            policies.append(PolicyModel(
                id=f"policy:{len(policies) + 1}:{slugify(sentence, 32)}", kind=kind, text=sentence, trigger=trigger,
                response=response, section_id=f"section:{block.index}", intent_id=owner, probe=probe))
            if len(policies) >= MAX_POLICIES:
                return policies
    return policies
