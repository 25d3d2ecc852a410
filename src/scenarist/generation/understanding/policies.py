"""Policies: every rule sentence of the prompt as a typed rule with its exact text, trigger and prescribed response.

No cap on long prompts: a 30 000-character compliance prompt keeps every rule (duplicates are dropped)."""

from __future__ import annotations

import re

from ..agent_model import IntentModel, PolicyKind, PolicyModel, SectionRole, ToolModel
from ..text import slugify
from .sections import Block, ParsedPrompt

MAX_POLICIES = 400
_RULE_SECTIONS = (SectionRole.GUARDRAILS, SectionRole.ERROR_HANDLING, SectionRole.VERIFICATION)
_SKIP_SECTIONS = (SectionRole.EXAMPLES,)
_RULE_WORDS = re.compile(
    r"\b(never|must|always|do not|don't|cannot|can't|can not|only|under no circumstances|not allowed|required|"
    r"may not(?! be\b)|should not|shouldn't|is not permitted|prohibited|forbidden|refuse|before (you|any|collecting|"
    r"transferring|booking)|unless|nunca|jam[aá]s|siempre|debes|no debes|no puedes|solo|s[oó]lo|prohibido|"
    r"obligatori\w*|antes de|(does|do) not handle|doesn'?t handle|not able to|at most|no more than|at least|"
    r"(is|are) not (taken|accepted|handled|processed|offered|done)|out of scope|\w+ fees?|penalt\w*|"
    r"niemals|nie|kein\w*|nicht|immer|muss\w*|darf\w*|nur|sofort|jamais|toujours|doi(s|t)|seulement)\b", re.I)
_CONDITIONAL = re.compile(
    r"^(?:(?:if|when|whenever|should|in case|si|cuando|en caso de que|en caso de|wenn|falls|sobald|lorsque|"
    r"quand)\b)\s*(.+?)(?:,\s*|"
    r"\s+then\s+|\s*[—–→]\s*|:\s+)"
    r"(.+)$", re.I)
_INSTRUCTING = re.compile(r"\b(tell|say|transfer|escalate|offer|inform|warn|remind|explain|read|stop|end the call|"
                          r"hang up|apologi[sz]e|advise|direct|refer|give|dile|transfiere|ofrece|informa|indica|"
                          r"explica|deriva|ind[ií]quel\w*|recomiend\w*|d[ií]gal\w*|expliqu\w*|ofrezc\w*|transfier\w*|"
                          r"inform\w*|pida|remit\w*|no haga|no siga|sag\w*|rate|biete\w*|leite\w*|verbinde\w*|"
                          r"entschuldige|"
                          r"dis|propose\w*|transf[eè]re\w*)\b", re.I)
_SPANISH_PROHIBITION = re.compile(r"^(no|nunca|jam[aá]s)\s+\w+", re.I)
_KINDS: list[tuple[PolicyKind, re.Pattern[str]]] = [
    (PolicyKind.EMERGENCY, re.compile(
        r"\b(9-?1-?1|112|emergenc\w*|ambulance|chest pain|trouble breathing|stroke|suicid\w*|self-harm|hurt(ing)? "
        r"(themselves|yourself|someone)|downed (power )?lines?|live wires?|gas leak|smell of gas|poison\w*|overdose|"
        r"life[- ]threatening|urgencias?|notruf|notarzt|verletzt\w*|nicht weiterzufahren|gas smell|"
        r"fire|injur\w*|in danger|urgences?|samu)\b", re.I)),
    (PolicyKind.PRIVACY, re.compile(
        r"\b(another (patient|customer|person|member|caller|employee|cardholder|client|guest|owner)|other "
        r"(patients|customers|people|members|callers|employees|cardholders|clients|guests|owners)'?|someone else'?s|"
        r"third[- ]part\w*|personal (information|data)|disclos\w*|privacy|hipaa|social security|ssn|card number|"
        r"card details|cvv|cvc|security code|password|\bpin\b|mbi|internal (ids?|identifiers?|codes?|notes?)|"
        r"tool names?|system prompt|your instructions|reveal|read (it|them|\w+ \w+)? ?(back|aloud|out)|"
        r"otr[oa]s? (clientes?|titulares?|l[ií]neas?)|datos personales|puk|full card|"
        r"anderer (kunden|patienten|personen)|interne\w*|datenschutz|personenbezogen\w*|autres clients|"
        r"(who|whether) (a particular person|someone|\w+) (is staying|lives)|"
        r"give out (a|an|the) [\w-]+'s (personal )?(cell|phone))\b", re.I)),
    (PolicyKind.SCOPE, re.compile(
        r"\b(only (handle|help|assist|deal|answer|discuss|take)|(does|do) not handle|doesn'?t handle|"
        r"outside (of )?(your|the|this) (scope|line)|"
        r"not able to help with|off-topic|unrelated|you do not (handle|do|troubleshoot)|not your job|"
        r"legal advice|medical advice|financial advice|solo (atiendes|gestionas|puedes)|no gestionas|"
        r"(is|are) not (taken|accepted|handled|processed|offered) (on|over|by|here|through)|(are|is) directed to|"
        r"(we|you) (don'?t|do not) (do|offer|handle|cover)|can'?t help)\b", re.I)),
    (PolicyKind.ERROR_HANDLING, re.compile(
        r"\b((tool|system|lookup|booking|transfer|call|request|it|search|function) (fails|failed|returns an error|"
        r"is down|does not answer|doesn't answer|not responding|times out|errors?)|fails?( a second time| again)?|"
        r"returns? an error|error|not responding|no match|not found|can'?t find|cannot find|unavailable|"
        r"try (once|again)|falla\w*|no responde|fehler\w*|erneut|nicht erreichbar|erreur)\b", re.I)),
    (PolicyKind.ESCALATION, re.compile(
        r"\b(transfer\w*|escalat\w*|hand (it |them )?(off|over)|supervisor|licensed (agent|insurance agent)|human|"
        r"specialist|on-call|team lead|manager on duty|transfier\w*|deriva\w*|agente humano|weiter(leiten|geleitet)?|"
        r"serviceberater\w*|(pass|put) (them|the caller) (to|through)|property manager|office manager)\b", re.I)),
    (PolicyKind.PROHIBITION, re.compile(
        r"\b(never|do not|don't|must not|cannot|can't|may not(?! be\b)|not allowed|under no circumstances|should not|"
        r"shouldn't|prohibited|forbidden|nunca|no debes|no puedes|jam[aá]s|prohibido|niemals|nie|kein\w*|nicht|"
        r"ne (jamais|pas))\b", re.I)),
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
            for sentence in split_sentences(piece):
                out.extend(clauses(sentence))
    return out


RUN_ON_CHARS = 300
_CLAUSE_BREAK = re.compile(r"(?:,|;)\s+(?:and\s+|but\s+|so\s+|also\s+)?(?=(?:if|when|whenever|never|don't|do not|"
                           r"always|only|please|tell|we don't|we do not|we never|and if)\b)", re.I)


def clauses(sentence: str) -> list[str]:
    """A run-on sentence (a prompt written as one paragraph of ', and if …, never …') cut into its clauses, each
    verbatim; ordinary sentences come back whole."""
    if len(sentence) <= RUN_ON_CHARS:
        return [sentence] if sentence else []
    out, start = [], 0
    for match in _CLAUSE_BREAK.finditer(sentence):
        piece = sentence[start:match.start()].strip()
        if piece:
            out.append(piece)
        start = match.end()
    out.append(sentence[start:].strip())
    return [piece for piece in out if piece]


_INLINE_TAG = re.compile(r"</?[A-Za-z_][\w-]*(?:\s+[\w-]+\s*=\s*\"[^\"]*\")*\s*/?>")


def policy_kind(sentence: str, role: SectionRole) -> PolicyKind:
    """The type of a rule sentence (error-handling sections default to error handling)."""
    for kind, pattern in _KINDS:
        if kind in (PolicyKind.EMERGENCY, PolicyKind.PRIVACY) and pattern.search(sentence):
            return kind
    if role == SectionRole.ERROR_HANDLING:
        return PolicyKind.ERROR_HANDLING
    for kind, pattern in _KINDS:
        if pattern.search(sentence) or kind == PolicyKind.PROHIBITION and _SPANISH_PROHIBITION.match(sentence):
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


def policies_of(parsed: ParsedPrompt, intents: list[IntentModel],
                tools: list[ToolModel] = ()) -> list[PolicyModel]:
    """Every rule sentence: all of rule sections, rule-worded or instructing conditionals elsewhere (not examples,
    not the tool reference), then the rules stated in the tools' descriptions ("Never take a card number …")."""
    policies = _prompt_policies(parsed, intents)
    seen = {p.text.lower() for p in policies}
    for tool in tools:
        owner = next((i.id for i in intents if tool.name in i.tools), None)
        for sentence in split_sentences(tool.description or ""):
            if len(sentence) < 12 or sentence.lower() in seen or not (
                    _RULE_WORDS.search(sentence) or _KINDS[0][1].search(sentence)):
                continue
            seen.add(sentence.lower())
            policies.append(_policy(len(policies), sentence, SectionRole.TOOLS, None, owner, conditional=False))
    return policies[:MAX_POLICIES]


def _prompt_policies(parsed: ParsedPrompt, intents: list[IntentModel]) -> list[PolicyModel]:
    """The rule sentences of the prompt itself."""
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
            policies.append(_policy(len(policies), sentence, block.role, f"section:{block.index}", owner,
                                    conditional))
            if len(policies) >= MAX_POLICIES:
                return policies
    return policies
    return policies


def _policy(position: int, sentence: str, role: SectionRole, section_id: str | None, owner: str | None,
            conditional: bool) -> PolicyModel:
    """One typed rule, with whether it is worth its own probe."""
    kind = policy_kind(sentence, role)
    trigger, response = _trigger_response(sentence, kind)
    return PolicyModel(id=f"policy:{position + 1}:{slugify(sentence, 32)}", kind=kind, text=sentence,
                       trigger=trigger, response=response, section_id=section_id, intent_id=owner,
                       probe=is_probe(sentence, kind, role, conditional))


# What a caller's words can provoke: the caller asks, says, mentions, refuses, pushes …
_CALLER_TRIGGER = re.compile(
    r"\b(caller|customer|patient|member|cardholder|guest|client|resident|user|employee|owner|someone|anyone|"
    r"they|them|he|she|person|beneficiary|subscriber|prospect|lead|anrufer\w*|kunde\w*|jemand|cliente|"
    r"paciente|titular|usuario|alguien|appelant)\b.{0,60}\b(asks?|ask(s|ed|ing) for|says?|mentions?|wants?|"
    r"requests?|refuses?|insists?|reports?|describes?|claims?|demands?|threatens?|sounds?|is upset|is angry|"
    r"pushes|presses|calls? (back|about)|berichtet|erw[äa]hnt|fragt|will|m[öo]chte|pide|dice|menciona|quiere|"
    r"solicita|demande|dit)\b|\b(even if|even when|even to|no matter|regardless|aunque|auch wenn|m[êe]me si)\b",
    re.I)
# What the agent visibly does or refuses to do in the conversation (said, given, promised, collected …).
_OBSERVABLE = re.compile(
    r"\b(say|tell|give|quote|promise|guarantee|confirm|disclose|reveal|share|read|repeat|recommend|advise|"
    r"advice|diagnos\w*|prescrib\w*|ask (for|about)|collect|take|accept|offer|discuss|speculate|comment|"
    r"steer|pressure|waive|reduce|refund|transfer|escalate|hang up|end the call|book|cancel|change|search|"
    r"sell|enroll|sign (them|anyone) up|nenne|gib|lies|verrate|sage|rate|verspr\w*|dile|digas|des|reveles|"
    r"compartas|ofrezcas|prometas|recomiendes|dis|donne|promets)\b|\bcall(ing)? `?[a-z]+_[a-z_]+", re.I)
# Rules about how the agent works, not what a caller can see or provoke.
_INTERNAL = re.compile(
    r"\b(log|logged|notes? field|disposition|crm|wrap[- ]?up code|tag the call|internally|silently|"
    r"in the background|tool call|function call|json|parameter|filler|pause|pacing|pronounc\w*|"
    r"format\w*)\b", re.I)
def is_probe(sentence: str, kind: PolicyKind, role: SectionRole, conditional: bool) -> bool:
    """Worth its own probe scenario: a caller's words can trigger it and the agent's correct response is
    observable (emergencies, privacy/compliance, prohibitions, escalations, scope, a prescribed answer to a caller's
    request or to a failure), not style, tone, persona, context or how the agent works inside (logging, notes)."""
    ruled = bool(_RULE_WORDS.search(sentence))
    if role == SectionRole.EXAMPLES or len(sentence.split()) <= 3 and not ruled:
        return False  # a sample dialogue, or a label ("EMERGENCIES.")
    if kind == PolicyKind.EMERGENCY:
        return True
    if (_STYLE_ONLY.search(sentence) or role == SectionRole.STYLE) and kind != PolicyKind.PRIVACY:
        return False
    prohibits = bool(_KINDS[-1][1].search(sentence) or _SPANISH_PROHIBITION.match(sentence))
    caller = bool(_CALLER_TRIGGER.search(sentence))
    imperative = bool(_IMPERATIVE.match(sentence))
    stated_rule = role == SectionRole.GUARDRAILS and kind != PolicyKind.OBLIGATION
    if not (ruled or conditional or prohibits or caller or imperative or stated_rule or kind == PolicyKind.SCOPE):
        return False  # a statement, not an instruction ("A call passes review when …")
    if role in (SectionRole.FLOW, SectionRole.PLAYBOOK) and not (caller or prohibits or _ONLY.search(sentence)
                                                                  or kind == PolicyKind.SCOPE):
        return False  # a step of the flow ("If yes, create the lead and transfer."), covered by the happy path
    triggered = caller or conditional
    observable = bool(_OBSERVABLE.search(sentence) or _INSTRUCTING.search(sentence))
    if _INTERNAL.search(sentence) and not triggered:
        return False
    if role == SectionRole.IDENTITY and not _RULE_WORDS.search(sentence):
        return False  # "You are Ava, the scheduling assistant …"
    if kind in (PolicyKind.PRIVACY, PolicyKind.PROHIBITION, PolicyKind.SCOPE, PolicyKind.ESCALATION):
        return True
    if kind == PolicyKind.ERROR_HANDLING:
        return observable or prohibits  # probed through a failure path: what the agent must say or offer then
    return observable and (triggered or bool(_STRONG.search(sentence)))  # an obligation the caller can check


_STRONG = re.compile(r"\b(must|always|required|mandatory|before|after|only|never|at most|at least|no more than|"
                     r"siempre|debe\w*|antes de|tras|"
                     r"immer|muss\w*|toujours|doit)\b", re.I)
_ONLY = re.compile(r"\b(only|solo|s[oó]lo|nur|seulement|uniquement)\b", re.I)
# A sentence that opens with an order to the agent ("Escalate P1 outages at once", "Transfer to a pharmacist …").
_IMPERATIVE = re.compile(
    r"^\W*(escalate|transfer|tell|say|offer|warn|advise|direct|refer|stop|end|hang up|explain|inform|remind|"
    r"apologi[sz]e|read|confirm|ask|give|hand|route|send|page|call|decline|refuse|keep|treat|add|put|stay|"
    r"transfiera|indique|informe|ofrezca|explique|recomiende|diga|derive|sage|biete|leite|verbinde|rate|nenne|"
    r"gib|lies)\b", re.I)
