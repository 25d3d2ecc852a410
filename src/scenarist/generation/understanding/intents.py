"""Intents: only real workflows/playbooks of the prompt and, when it has none, the tools' capabilities."""

from __future__ import annotations

import re

from ..agent_model import Branch, IntentModel, RowOutcome, SectionRole, ToolModel, Verification
from ..text import (
    content_stems,
    goal_phrase,
    sentences,
    slugify,
    split_identifier,
    truncate,
    verb_base,
    with_article,
)
from .fields import canonical_identity_field
from .sections import Block, ParsedPrompt

MAX_INTENTS = 16
_CONTAINER = re.compile(
    r"\b(playbooks?|workflows?|tasks?|use cases?|services?|capabilities|what you (can )?(do|handle)|intents?|"
    r"what (callers|customers|patients|people|members|guests) (can )?(ask|call|come) (for|about)|"
    r"call (types|reasons)|scenarios|requests? you handle|goals?|procedimientos|casos de uso|servicios|gestiones|"
    r"tr[aá]mites|qu[eé] puedes hacer)\b", re.I)
_NOT_A_GOAL = re.compile(
    r"^\s*(step|paso)\s*\d|\b(verif\w*|authenticat(e|ion)|identify the|greet\w*|clos(e|ing)|introduc\w*|"
    r"confirm(ation)? step|example|rule|note|precondition|if it fails|never|tone|style|saludo|cierre|log|"
    r"logging|disposition|angry|upset|frustrated|rude|abusive|confused|silent|difficult|irate)\b|"
    r"^what (our|we|you|the)\b|^(when|how (you|we|it))\b",
    re.I)
_BOLD_LABEL = re.compile(r"^\s*\*\*([^*]{2,60}?):?\*\*:?\s*(.*)$")
_INTENT_KINDS: list[tuple[str, re.Pattern[str]]] = [
    ("cancellation", re.compile(r"\b(cancel|anul|baja)", re.I)),
    ("change", re.compile(r"\b(reschedul|chang|updat|modif|mov(e|ing)|address|cambi|exchange)", re.I)),
    ("booking", re.compile(r"\b(book|schedul|reserv|appointment|cita|new order)", re.I)),
    ("payment", re.compile(r"\b(pay|refund|bill|invoice|charge|dispute|fee|pago|factur)", re.I)),
    ("report", re.compile(r"\b(lost|stolen|report|complain|missing|damag|outage|fraud|robo|p[eé]rdida|averi)", re.I)),
    ("status", re.compile(r"\b(status|track|where|balance|check|look ?up|saldo|consult|estado)", re.I)),
    ("inquiry", re.compile(r"\b(information|info|question|faq|hours|location|price|explain|inquir|enquir)", re.I)),
    ("escalation", re.compile(r"\b(transfer|escalat|human|supervisor|speak to)", re.I)),
]
_AUXILIARY_TOOL = re.compile(r"(^|_)(verify|verificar|authenticate|identify|lookup|look_up|find|search|check_"
                             r"availability|availability|slots|options|transfer|transferir|derivar|escalate|"
                             r"subscribe|notify|sms|handoff|hand_off|log|note|callback|call_back|openings|windows|"
                             r"end_call|hang_up|send_summary)(_|$)", re.I)


def intent_kind(name: str, steps_text: str = "") -> str:
    """Rough family of an intent (booking, cancellation, change, payment, report, status, inquiry, escalation)."""
    for text in (name, steps_text):
        for kind, pattern in _INTENT_KINDS:
            if pattern.search(text):
                return kind
    return "general"


def tools_mentioned(text: str, tool_names: list[str]) -> list[str]:
    """Tool names the text mentions, in order of first mention."""
    found = []
    for name in tool_names:
        match = re.search(rf"(?<![\w]){re.escape(name)}(?![\w])", text)
        if match:
            found.append((match.start(), name))
    return [name for _, name in sorted(found)]


_NOMINAL = {"reset": "reset", "resets": "reset", "request": "request", "requests": "request", "troubleshooting": "fix",
            "problems": "fix", "issues": "fix", "outage": "report", "outages": "report", "cancellation": "cancel",
            "cancellations": "cancel", "booking": "book", "bookings": "book", "refill": "refill", "refills": "refill",
            "renewal": "renew", "renewals": "renew", "returns": "return", "exchanges": "exchange",
            "callbacks": "schedule", "callback": "schedule", "transfer": "transfer", "transfers": "transfer",
            "dispute": "dispute", "disputes": "dispute", "replacement": "order", "registration": "register"}
_OBJECTS = ("appointment", "reservation", "prescription", "order", "booking", "delivery", "shipment", "ticket",
            "card", "claim", "account", "plan", "cita", "pedido", "reserva", "línea")
_PREFIX = re.compile(r"^(workflow|playbook|flow|task|intent|goal|gesti[oó]n|tr[aá]mite|scenario|use case|"
                     r"request type|caso)\s*[A-Z0-9]?\s*[:\-–—]\s*",
                     re.I)


def main_object(prompt: str) -> str:
    """The thing most calls are about ('appointment', 'reservation' …), for one-word playbook titles."""
    lowered = prompt.lower()
    counts = {o: len(re.findall(rf"\b{o}s?\b", lowered)) for o in _OBJECTS}
    best = max(counts, key=lambda o: counts[o])
    return best if counts[best] else ""


def caller_goal(title: str, language: str, obj: str = "") -> str:
    """A caller-facing goal from a playbook title ('Book a new appointment' → 'book a new appointment',
    'Password reset' → 'reset a password', 'Cancel' → 'cancel an appointment')."""
    title = _PREFIX.sub("", title.strip())
    first = title.split()[0] if title.split() else ""
    if language == "en" and len(title.split()) >= 3 and first[:1].isupper() and first.lower() in _VERB_FIRST and \
            title.split()[1].lower() in ("a", "an", "the", "my", "your", "on", "about", "for"):
        return title[:1].lower() + title[1:]  # already a goal: "Submit a maintenance request", "Ask about a rent …"
    title = re.sub(r"^(how to|handling|dealing with)\s+(?=\w)", "", title, flags=re.I)  # "How to book a table"
    title = re.sub(r"\s*\([^)]*\)", "", title).replace("`", "").replace("*", "").strip(" :.;,-–—")
    title = _TOOL_TAIL.sub("", title).strip(" :.;,-–—")
    if title.isupper():
        title = title.lower()
    if language != "en":
        return title[:1].lower() + title[1:]
    tokens = title.split()
    topic = re.match(r"^(?:questions|inquiries|enquiries|asking) (?:about|on) (.+)$", title, re.I)
    if topic:
        return f"ask about {topic.group(1)}"
    status = re.match(r"^(status|progress) of (?:a |an |the |my )?(.+)$", title, re.I)
    if status:  # "Status of a return / refund" → "check the return or refund status"
        thing = re.sub(r"\s*/\s*", " or ", status.group(2))
        return f"check the {thing} {status.group(1).lower()}"
    if len(tokens) == 1:
        word = tokens[0].lower()
        if word in _SINGLE:
            return _SINGLE[word]
        if obj and (word in _NOMINAL or verb_base(word)):  # "Cancel" → "cancel an appointment"; not "Billing"
            return f"{_NOMINAL.get(word, word)} {with_article(obj)}"
    new = re.fullmatch(r"new (\w+)", title, re.I)
    if new and new.group(1).lower() in _CREATE:  # "New claim" → "file a new claim"
        return f"{_CREATE[new.group(1).lower()]} a new {new.group(1).lower()}"
    leading_verb = verb_base(tokens[0].lower()) or tokens[0].lower() in _NOMINAL.values()
    if 2 <= len(tokens) <= 4 and tokens[-1].lower() in _NOMINAL and not leading_verb:
        verb = _NOMINAL[tokens[-1].lower()]
        rest = " ".join(tokens[:-1])
        rest = rest[:1].lower() + rest[1:] if not rest[:2].isupper() else rest
        if verb == "fix":
            return f"fix a {rest} problem"
        return f"{verb} {with_article(rest)}"
    goal = _singular_object(goal_phrase(title))
    # a caller reports/books/files *an* outage, not "the" one the prompt's heading names
    indefinite = re.match(r"^(report|book|make|file|open|request|start|place|schedule) the (\w.*)$", goal)
    return f"{indefinite.group(1)} {with_article(indefinite.group(2))}" if indefinite else goal


# Verbs a title can open with when it already states the caller's goal.
_VERB_FIRST = frozenset("""submit ask check book cancel reschedule report request order track pay change update make
    file open renew return exchange schedule reset replace freeze dispute find get buy apply register""".split())
_TOOL_TAIL = re.compile(r"\s+(?:with|using|via|through|by calling|and call|by using)\s+\S*_\S*.*$", re.I)


def _singular_object(goal: str) -> str:
    """'book appointments' → 'book an appointment' (a caller comes for one)."""
    match = re.fullmatch(r"(\w+) (\w+)s", goal)
    if match and match.group(2) in _OBJECTS:
        return f"{match.group(1)} {with_article(match.group(2))}"
    return goal


_CREATE = {"claim": "file", "order": "place", "appointment": "book", "reservation": "make", "ticket": "open",
           "account": "open", "booking": "make", "request": "make", "case": "open"}
_SINGLE = {"refund": "request a refund", "refunds": "request a refund", "outage": "report an outage", "outages": "report an outage", "callback": "schedule a callback",
           "callbacks": "schedule a callback", "disputes": "dispute a charge", "dispute": "dispute a charge"}


def _branches(steps: list[str]) -> list[Branch]:
    """'If …, …' steps become branches, with the mock outcome that triggers them when one does."""
    out = []
    for step in steps:
        for sentence in sentences(step):
            match = re.match(r"^(?:\d+[.)]\s*)?(?:if|when|si|cuando)\s+(.+?)[,:]\s+(.+)$", sentence.strip(), re.I)
            if not match:
                continue
            condition, action = match.group(1).strip(), match.group(2).strip()
            out.append(Branch(condition=truncate(condition, 200), action=truncate(action, 300),
                              outcome=branch_outcome(condition)))
    return out[:8]


def branch_outcome(condition: str) -> RowOutcome | None:
    """The mock outcome a condition describes, if any."""
    lowered = condition.lower()
    if re.search(r"no (match|record|result)|not (find|found|match|on file)|doesn'?t match|does not match|"
                 r"no coincide|no se encuentra|unknown|isn'?t found", lowered):
        return RowOutcome.NO_MATCH
    if re.search(r"no (slots?|availability|openings?|appointments?|tables?|times?)|nothing (is )?available|"
                 r"returns? no|are none|is empty|sin disponibilidad", lowered):
        return RowOutcome.EMPTY
    if re.search(r"\b(error|fails?|failed|down|not respond|times? out|unavailable|falla|error)\b", lowered):
        return RowOutcome.FAILURE
    if re.search(r"\bpartial|only (some|part)\b", lowered):
        return RowOutcome.PARTIAL
    return None


def _intent(title: str, steps: list[str], body: str, tool_names: list[str], language: str,
            section_id: str | None, obj: str = "") -> IntentModel | None:
    name = caller_goal(title, language, obj)
    if not name or len(name.split()) > 12:
        return None
    return IntentModel(
        id=f"intent:{slugify(name)}", name=name, kind=intent_kind(name, " ".join(steps)),
        description=truncate(body, 600), steps=[truncate(s, 300) for s in steps][:14],
        tools=tools_mentioned(body, tool_names), branches=_branches(steps), section_id=section_id,
    )


_WANTS = re.compile(r"^(?:if|when)\s+(?:the\s+|a\s+)?(?:caller|customer|patient|user|member|client|guest|person)s?\s+"
                    r"(?:wants?|would like|asks?|needs?|calls?|is calling)\s+(?:to\s+)?(.+?)\s*(?:[,:;]|\s[—–-]\s|\s?→)"
                    r"\s*(.*)$", re.I)


def _item_title(item: str) -> tuple[str, str]:
    """(title, rest) of a list item or bold-label paragraph ('**Password resets:** The most…'), or the goal of an
    'If the caller wants to book a class, call …' item."""
    item = _PREFIX.sub("", item.strip())
    wants = _WANTS.match(" ".join(item.split()).replace("**", ""))
    if wants:
        goal = re.sub(r"\b(their|his|her|my)\b", "a", wants.group(1)).strip()
        goal = re.sub(r"^about\b", "ask about", goal)
        return goal, wants.group(2)
    label = _BOLD_LABEL.match(item)
    if label:
        return label.group(1).strip(), label.group(2).strip()
    text = " ".join(item.split()).replace("**", "")
    match = re.search(r":|\s[—–-]\s|\s?(→|->|=>)\s?", text)
    if match and len(text[:match.start()].split()) <= 12:
        return text[:match.start()].strip(), text[match.end():].strip()
    first = (sentences(text) or [text])[0]
    return first.rstrip(".;,"), text[len(first):].strip()


def _from_items(parsed: ParsedPrompt, block: Block, tool_names: list[str], language: str,
                obj: str) -> list[IntentModel]:
    """Intents from the items of a container ('What you handle', 'goals:')."""
    out = []
    for item in parsed.items(block) + _key_items(block):
        title, rest = _item_title(item)
        if _NOT_A_GOAL.search(title) or len(title.split()) > 12:
            continue
        intent = _intent(title, sentences(rest) or [item], item, tool_names, language, f"section:{block.index}", obj)
        if intent:
            out.append(intent)
    return out


_KEY_ITEM = re.compile(r"^\s+([a-z][a-z0-9_ ]{1,30}):\s+(.+)$")


def _key_items(block: Block) -> list[str]:
    """Indented `key: text` lines of a YAML-like block ('  confirm: Get a clear yes…'), as 'key: text' items."""
    return [f"{m.group(1).replace('_', ' ')}: {m.group(2)}" for _, line in block.lines if (m := _KEY_ITEM.match(line))]


_TOPIC = re.compile(r"\b(faqs?|frequently asked|general questions|questions|hours|locations?|prices?|pricing|fees?|"
                    r"menu|parking|directions|where and when|horarios|precios|preguntas)\b", re.I)
_TOPIC_WORDS = ("hours", "address", "location", "parking", "directions", "prices", "fees", "menu", "allergens",
                "holidays")


def knowledge_intents(parsed: ParsedPrompt, language: str) -> list[IntentModel]:
    """One inquiry intent per knowledge section about something callers ask (hours, prices, FAQ …)."""
    intents = []
    for block in parsed.in_role(SectionRole.KNOWLEDGE):
        if not block.title or not _TOPIC.search(block.title) or block.parent is not None and \
                parsed.blocks[block.parent].role == SectionRole.KNOWLEDGE:
            continue
        title = re.sub(r"\s*(,?\s*etc\.?|you (may|can) answer)\s*$", "", block.title.strip(" .:"), flags=re.I)
        if re.fullmatch(r"faqs?|frequently asked questions|general questions|preguntas frecuentes", title, re.I):
            title = "general questions"
        if title.isupper():
            title = title.lower()
        words = [w for w in _TOPIC_WORDS if re.search(rf"\b{w}", parsed.prompt[block.start:block.end], re.I)]
        if language == "en" and not re.search(r"\b(hours|prices?|fees|menu|parking|questions|faq)\b", title, re.I):
            title = ", ".join(words[:3]) or title
        name = f"ask about {title[:1].lower() + title[1:]}" if language == "en" else title
        name = "ask a general question" if name == "ask about general questions" else name
        intents.append(IntentModel(id=f"intent:{slugify(name)}", name=name, kind="inquiry",
                                   description=truncate(parsed.prompt[block.start:block.end], 600),
                                   steps=parsed.items(block)[:8] or sentences(parsed.body(block))[:6],
                                   section_id=f"section:{block.index}"))
    return intents


_HANDED_ON = re.compile(
    r"^(?:if|when)\s+(?:the\s+|a\s+)?(?:caller|customer|patient|member|client|guest|user|resident|subscriber)s?\s+"
    r"(?:asks|wants|would like|calls|is calling|needs)\s+to\s+(.{4,60}?),\s*(?:politely\s+)?"
    r"(?:transfer|escalate|route|connect|hand|pass|put)\b", re.I)


def handed_on_intents(parsed: ParsedPrompt, tool_names: list[str]) -> list[IntentModel]:
    """What the agent's rules hand to someone else is still a reason to call: 'If the caller asks to cancel service,
    transfer them to the retention team with `transfer_call`' → intent 'cancel service' (tools: the transfer)."""
    from .policies import rule_units  # policies reads intents' owners; import here keeps the modules acyclic

    intents = []
    for block in parsed.in_role(SectionRole.GUARDRAILS):
        for sentence in rule_units(parsed, block):
            match = _HANDED_ON.match(sentence)
            if not match:
                continue
            name = re.sub(r"\b(their|his|her)\b", "a", match.group(1)).strip()
            intents.append(IntentModel(id=f"intent:{slugify(name)}", name=name, kind="escalation",
                                       description=sentence, steps=[sentence],
                                       tools=tools_mentioned(sentence, tool_names),
                                       section_id=f"section:{block.index}"))
    return intents


_WANTS_TO_KNOW = re.compile(
    r"\b(?:callers?|people|customers?|they|patients?|clients?|guests?|members?|residents?)\b[^.;]{0,40}?\bwants? to "
    r"(?:know|find out|check|ask) (whether|if|what|when|how|where) ([^,.;]{5,60})", re.I)


def inquiry_intents(parsed: ParsedPrompt) -> list[IntentModel]:
    """Questions the prompt says callers come with ('… or they just want to know whether we handle a certain bug')
    → 'ask whether they handle a certain bug' (not in examples)."""
    intents = []
    for block in parsed.blocks:
        if block.role == SectionRole.EXAMPLES:
            continue
        for match in _WANTS_TO_KNOW.finditer(" ".join(parsed.body(block).split())):
            rest = re.sub(r"\b(we|us)\b", "they", match.group(2).strip())
            rest = re.sub(r"\b(our)\b", "their", rest)
            rest = re.sub(r"\b(they|it) (handle|do|offer|cover|serve|have)\b",
                          lambda m: f"{m.group(1)} {m.group(2)}", rest)
            name = f"ask {match.group(1).lower()} {rest}"
            intents.append(IntentModel(id=f"intent:{slugify(name)}", name=name, kind="inquiry",
                                       description=match.group(0), steps=[match.group(0)],
                                       section_id=f"section:{block.index}"))
    return intents


def playbook_intents(parsed: ParsedPrompt, tool_names: list[str], language: str) -> list[IntentModel]:
    """Intents from playbook sections (leaf playbooks by title, containers by their items)."""
    intents: list[IntentModel] = []
    obj = main_object(parsed.prompt)
    for block in parsed.in_role(SectionRole.PLAYBOOK):
        children = [c for c in parsed.children(block) if c.role == SectionRole.PLAYBOOK]
        is_container = bool(_CONTAINER.search(block.title)) and block.kind != "xml" or block.tag in ("goals",)
        named = _PREFIX.match(block.title) and _PREFIX.sub("", block.title).strip()  # "Workflow: Place an order"
        if block.kind == "xml" and block.tag in ("workflow", "playbook", "task", "procedure", "flow") or named:
            is_container = False
        if sum(bool(_WANTS.match(i)) for i in parsed.items(block)) >= 2:
            is_container = True  # "- If the caller wants to book a class, call book_class …"
        if is_container or children:
            intents.extend(_from_items(parsed, block, tool_names, language, obj))
            continue
        if not block.title or _NOT_A_GOAL.search(block.title):
            continue
        title = block.title.split(":", 1)[1] if block.kind == "xml" and ":" in block.title else block.title
        text = parsed.prompt[block.start:block.end]
        steps = parsed.items(block) or sentences(parsed.body(block))
        for child in parsed.children(block):  # "### Steps" under "## Workflow: Place an order"
            if child.role in (SectionRole.FLOW, SectionRole.PLAYBOOK):
                steps += parsed.items(child) or sentences(parsed.body(child))
        intent = _intent(title, steps, text, tool_names, language, f"section:{block.index}", obj)
        if intent:
            intents.append(intent)
    return intents


def tool_intents(tools: list[ToolModel], verification: Verification, taken: list[IntentModel] | None = None,
                 side_effect_only: bool = False) -> list[IntentModel]:
    """One intent per tool a caller would come for (not verification/transfer helpers or the lookups that only
    feed another tool); with `taken`, only tools no intent uses yet."""
    used = {name for intent in taken or [] for name in intent.tools}
    intents = []
    for tool in tools:
        if tool.name == verification.tool or _AUXILIARY_TOOL.search(tool.name) or tool.name in used:
            continue
        if (side_effect_only and not tool.side_effect) or _feeds_only(tool, tools):
            continue
        name = tool.capability or " ".join(split_identifier(tool.name))
        intents.append(IntentModel(id=f"intent:{slugify(name)}", name=name, kind=intent_kind(name),
                                   description=tool.description, steps=sentences(tool.description)[:4],
                                   tools=[tool.name]))
    return intents


_SEARCH_TOOL = re.compile(r"^(list|search|find|get)_.*|.*_(options|windows|slots|points|locations|transactions)$")


def _feeds_only(tool: ToolModel, tools: list[ToolModel]) -> bool:
    """A read-only list/search tool whose results feed a side-effecting tool (recent transactions → dispute)."""
    if tool.side_effect or not _SEARCH_TOOL.match(tool.name) or tool.name.startswith("get_") and not \
            re.search(r"(options|windows|slots|points|locations|transactions)$", tool.name):
        return False
    returned = set(tool.returns)
    return any(other.side_effect and returned & set(other.needs) for other in tools if other is not tool)


def capability(tool_name: str) -> str:
    """Caller-facing phrase of a tool: 'book_appointment' → 'book an appointment'."""
    tokens = split_identifier(tool_name)
    if not tokens:
        return tool_name
    if "dnc" in tokens or "do not call" in " ".join(tokens):
        return "ask to be put on the do-not-call list"
    verb, obj = tokens[0], " ".join(tokens[1:])
    if verb in ("get", "fetch", "lookup", "find", "search", "list", "query"):
        verb = "look up"
    if not obj:
        return verb
    if tokens[1] in ("at", "to", "for", "from", "on", "in", "by", "with", "a", "an", "the"):
        return f"{verb} {obj}"
    return f"{verb} {with_article(obj)}"


def _same(a: IntentModel, b: IntentModel) -> bool:
    """Two intents that name the same thing ('Password resets' / 'reset a password')."""
    sa, sb = content_stems(a.name), content_stems(b.name)
    if not sa or not sb:
        return a.name.lower() == b.name.lower()
    if (sa ^ sb) & _DISTINCT:
        return False  # "check the status of a return" is not "return for a refund"
    return sa <= sb or sb <= sa or len(sa & sb) / len(sa | sb) >= 0.5


_DISTINCT = {"status", "check", "track", "progress", "estado", "saldo", "consult", "where"}


def _split_combined(intents: list[IntentModel]) -> list[IntentModel]:
    """'change or cancel' beside 'change a reservation' and 'cancel a reservation': its steps and tools go to the
    two (each keeps the steps naming its own verb or neither), and the combined one is dropped."""
    out = list(intents)
    for combined in intents:
        match = re.match(r"^(\w+)(?:,| or| and/or)\s+(\w+)\b", combined.name)
        if not match:
            continue
        verbs = [match.group(1).lower()[:5], match.group(2).lower()[:5]]  # "change"/"changing" share "chang"
        twins = [next((i for i in out if i is not combined and i.name.lower()[:5] == v), None) for v in verbs]
        if None in twins:
            continue
        for verb, twin in zip(verbs, twins):
            other = verbs[1 - verbs.index(verb)]
            steps = [s for s in combined.steps if verb in _stems(s) or other not in _stems(s)]
            if len(steps) > len(twin.steps):
                twin.steps = steps
            if not twin.tools:
                twin.tools = [t for t in combined.tools if any(t in s for s in steps)]
            twin.branches = twin.branches or [b for b in combined.branches if any(b.condition in s for s in steps)]
        out.remove(combined)
    return out


_VERB_FIRST_PAIR = re.compile(r"^(\w+) (?:or|and/or) (\w+) (.+)$")
_VERB_FINAL_PAIR = re.compile(r"^(.+?) (\w+en) (?:oder|bzw\.) (\w+en)$")  # "Termin verschieben oder absagen"


def split_pairs(intents: list[IntentModel]) -> list[IntentModel]:
    """'reschedule or cancel an appointment' alone becomes two intents (a caller comes for one): each keeps the
    steps naming its own verb or neither, and the tools not named after the other verb."""
    out: list[IntentModel] = []
    for intent in intents:
        first = _VERB_FIRST_PAIR.match(intent.name)
        final = _VERB_FINAL_PAIR.match(intent.name)
        if first and verb_base(first.group(1)) and verb_base(first.group(2)):
            names = [f"{first.group(1)} {first.group(3)}", f"{first.group(2)} {first.group(3)}"]
            verbs = [first.group(1).lower()[:5], first.group(2).lower()[:5]]
        elif final:
            names = [f"{final.group(1)} {final.group(2)}", f"{final.group(1)} {final.group(3)}"]
            verbs = [final.group(2).lower()[:5], final.group(3).lower()[:5]]
        else:
            out.append(intent)
            continue
        for index, name in enumerate(names):
            own, other = verbs[index], verbs[1 - index]
            steps = [s for s in intent.steps if own in _stems(s) or other not in _stems(s)]
            out.append(intent.model_copy(update={
                "id": f"intent:{slugify(name)}", "name": name, "kind": intent_kind(name, " ".join(steps)),
                "steps": steps, "tools": [t for t in intent.tools if other not in t.lower() and (
                    t in " ".join(steps) or not any(t in step for step in intent.steps))],
                "branches": [b for b in intent.branches if any(b.condition in s for s in steps)]}, deep=True))
    return out


def _stems(text: str) -> set[str]:
    return {w[:5] for w in re.findall(r"[a-z]+", text.lower())}


def merge_intents(intents: list[IntentModel]) -> list[IntentModel]:
    """Drop duplicates: the one stated as its own section (with steps) wins, at the first one's position."""
    intents = split_pairs(_split_combined(intents))
    out: list[IntentModel] = []
    for intent in intents:
        twin = next((i for i in out if _same(i, intent)), None)
        if twin is None:
            out.append(intent)
            continue
        if len(intent.steps) > len(twin.steps):
            position = out.index(twin)
            out[position] = intent
    seen: set[str] = set()
    unique = []
    for intent in out:
        if intent.id in seen:
            intent.id = f"{intent.id}_{len(seen)}"
        seen.add(intent.id)
        unique.append(intent)
    return unique[:MAX_INTENTS]


def attach_verification(intents: list[IntentModel], verification: Verification, tools: list[ToolModel]) -> None:
    """An intent needs verification when its text says so or one of its tools takes what the verification tool
    returns (the id it looks up); the verification tool then comes first in its tools."""
    vtool = next((t for t in tools if t.name == verification.tool), None)
    if vtool is None:
        return
    # what the lookup hands on: ids and tokens (patient_id, verification_token), not the person's own fields
    given = {r for r in vtool.returns if re.search(r"(^|_)(id|token|ref|key|uuid)$|^id_", r)
             and not canonical_identity_field(r)}
    for intent in intents:
        needs = {field for t in tools if t.name in intent.tools for field in t.needs}
        if vtool.name in intent.tools or needs & given or re.search(r"\bverif", intent.description, re.I):
            intent.requires_verification = True
            if vtool.name in intent.tools:
                intent.tools.remove(vtool.name)
            intent.tools.insert(0, vtool.name)
    verification.before = [i.id for i in intents if i.requires_verification]


def finish_intents(intents: list[IntentModel], tools: list[ToolModel]) -> None:
    """Success condition: the last side-effecting tool confirming, else the last step."""
    side_effect = {t.name for t in tools if t.side_effect}
    for intent in intents:
        if intent.success:
            continue
        done = [t for t in intent.tools if t in side_effect]
        if done:
            intent.success = f"{done[-1]} succeeds and the agent confirms the result to the caller"
        elif intent.steps:
            intent.success = truncate(intent.steps[-1], 200)
