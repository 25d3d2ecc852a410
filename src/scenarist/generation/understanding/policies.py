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
    r"may not|should not|shouldn't|is not permitted|prohibited|forbidden|refuse|before (you|any|collecting|"
    r"transferring|booking)|unless|nunca|jam[aá]s|siempre|debes|no debes|no puedes|solo|s[oó]lo|prohibido|"
    r"obligatori\w*|antes de)\b", re.I)
_CONDITIONAL = re.compile(
    r"^(?:(?:if|when|whenever|should|in case|si|cuando|en caso de que)\b)\s*(.+?)(?:,\s*|\s+then\s+|\s*[—–→]\s*|:\s+)"
    r"(.+)$", re.I)
_INSTRUCTING = re.compile(r"\b(tell|say|transfer|escalate|offer|inform|warn|remind|explain|read|stop|end the call|"
                          r"hang up|apologi[sz]e|advise|direct|refer|give|dile|transfiere|ofrece|informa|indica|"
                          r"explica|deriva)\b", re.I)
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
        r"\b(only (handle|help|assist|deal|answer|discuss|take)|outside (of )?(your|the|this) (scope|line)|"
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
        r"\b(never|do not|don't|must not|cannot|can't|may not|not allowed|under no circumstances|should not|"
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


_MARKER = re.compile(r"^\s*(?:[-*•·–]|\d+[.)]|[a-z][.)]|\d+\))\s+")


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
        for sentence in split_sentences(unit.replace("**", "")):
            sentence = re.sub(r"^(<[^>]+>\s*)+|(\s*</[^>]+>)+$", "", sentence).strip()
            if sentence:
                out.append(sentence)
    return out


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


def _trigger_response(sentence: str, kind: PolicyKind) -> tuple[str, str]:
    """('the situation', 'what the agent must do') of a rule sentence."""
    match = _CONDITIONAL.match(sentence)
    if match:
        return match.group(1).strip(" ,"), match.group(2).strip()
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
        for sentence in rule_units(parsed, block):
            if len(sentence) < 12 or sentence.endswith(":") or sentence.lower() in seen:
                continue
            in_rules = block.role in _RULE_SECTIONS
            conditional = bool(_CONDITIONAL.match(sentence)) and bool(_INSTRUCTING.search(sentence))
            if not (in_rules or _RULE_WORDS.search(sentence) or conditional):
                continue
            if block.role == SectionRole.TOOLS and not _RULE_WORDS.search(sentence):
                continue
            seen.add(sentence.lower())
            kind = policy_kind(sentence, block.role)
            trigger, response = _trigger_response(sentence, kind)
            style = block.role == SectionRole.STYLE or bool(_STYLE_ONLY.search(sentence))
            probe = not style and (in_rules or block.role in (SectionRole.PLAYBOOK, SectionRole.FLOW) and conditional
                                   or kind not in (PolicyKind.OBLIGATION,))
            policies.append(PolicyModel(
                id=f"policy:{len(policies) + 1}:{slugify(sentence, 32)}", kind=kind, text=sentence, trigger=trigger,
                response=response, section_id=f"section:{block.index}", intent_id=owner, probe=probe))
            if len(policies) >= MAX_POLICIES:
                return policies
    return policies
