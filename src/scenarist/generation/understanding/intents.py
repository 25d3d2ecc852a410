"""Intents: only real workflows/playbooks of the prompt and, when it has none, the tools' capabilities."""

from __future__ import annotations

import re

from ..agent_model import Branch, IntentModel, RowOutcome, SectionRole, ToolModel, Verification
from ..text import content_stems, goal_phrase, sentences, slugify, split_identifier, truncate, with_article
from .sections import Block, ParsedPrompt

MAX_INTENTS = 16
_CONTAINER = re.compile(
    r"\b(playbooks?|workflows?|tasks?|use cases?|services?|capabilities|what you (can )?(do|handle)|intents?|"
    r"call (types|reasons)|scenarios|requests? you handle|goals?|procedimientos|casos de uso|servicios|gestiones|"
    r"tr[aá]mites|qu[eé] puedes hacer)\b", re.I)
_NOT_A_GOAL = re.compile(
    r"^\s*(step|paso)\s*\d|\b(verif\w*|authenticat(e|ion)|identify the|greet\w*|clos(e|ing)|introduc\w*|"
    r"confirm(ation)? step|example|rule|note|precondition|when|how|if it fails|never|tone|style|saludo|cierre)\b",
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
                             r"availability|availability|slots|options|transfer|escalate|handoff|hand_off|log|note|"
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


def caller_goal(title: str, language: str) -> str:
    """A caller-facing goal from a playbook title ('Book a new appointment' → 'book a new appointment')."""
    title = re.sub(r"^(workflow|playbook|flow|task|intent|goal)\s*[:\-–—]\s*", "", title.strip(), flags=re.I)
    title = re.sub(r"\s*\([^)]*\)", "", title).replace("`", "").replace("*", "").strip(" :.-–—")
    if language != "en":
        return title[:1].lower() + title[1:]
    return goal_phrase(title)


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
            section_id: str | None) -> IntentModel | None:
    name = caller_goal(title, language)
    if not name or len(name.split()) > 12:
        return None
    return IntentModel(
        id=f"intent:{slugify(name)}", name=name, kind=intent_kind(name, " ".join(steps)),
        description=truncate(body, 600), steps=[truncate(s, 300) for s in steps][:14],
        tools=tools_mentioned(body, tool_names), branches=_branches(steps), section_id=section_id,
    )


def _item_title(item: str) -> tuple[str, str]:
    """(title, rest) of a list item or bold-label paragraph ('**Password resets:** The most…')."""
    label = _BOLD_LABEL.match(item)
    if label:
        return label.group(1).strip(), label.group(2).strip()
    text = " ".join(item.split()).replace("**", "")
    match = re.search(r":|\s[—–-]\s", text)
    if match and len(text[:match.start()].split()) <= 8:
        return text[:match.start()].strip(), text[match.end():].strip()
    first = (sentences(text) or [text])[0]
    return first.rstrip("."), text[len(first):].strip()


def _from_items(parsed: ParsedPrompt, block: Block, tool_names: list[str], language: str) -> list[IntentModel]:
    """Intents from the items of a container ('What you handle', 'goals:')."""
    out = []
    for item in parsed.items(block):
        title, rest = _item_title(item)
        if _NOT_A_GOAL.search(title) or len(title.split()) > 8:
            continue
        intent = _intent(title, sentences(rest) or [item], item, tool_names, language, f"section:{block.index}")
        if intent:
            out.append(intent)
    return out


def playbook_intents(parsed: ParsedPrompt, tool_names: list[str], language: str) -> list[IntentModel]:
    """Intents from playbook sections (leaf playbooks by title, containers by their items)."""
    intents: list[IntentModel] = []
    for block in parsed.in_role(SectionRole.PLAYBOOK):
        children = [c for c in parsed.children(block) if c.role == SectionRole.PLAYBOOK]
        is_container = bool(_CONTAINER.search(block.title)) and block.kind != "xml" or block.tag in ("goals",)
        if block.kind == "xml" and block.tag in ("workflow", "playbook", "task", "procedure", "flow"):
            is_container = False
        if is_container or children:
            intents.extend(_from_items(parsed, block, tool_names, language))
            continue
        if not block.title or _NOT_A_GOAL.search(block.title):
            continue
        title = block.title.split(":", 1)[1] if block.kind == "xml" and ":" in block.title else block.title
        text = parsed.prompt[block.start:block.end]
        steps = parsed.items(block) or sentences(parsed.body(block))
        intent = _intent(title, steps, text, tool_names, language, f"section:{block.index}")
        if intent:
            intents.append(intent)
    return intents


def tool_intents(tools: list[ToolModel], verification: Verification) -> list[IntentModel]:
    """For prompts without playbooks: one intent per tool a caller would come for (not verification/transfer
    helpers or the lookups that only feed another tool)."""
    intents = []
    for tool in tools:
        if tool.name == verification.tool or _AUXILIARY_TOOL.search(tool.name):
            continue
        name = tool.capability or " ".join(split_identifier(tool.name))
        intents.append(IntentModel(id=f"intent:{slugify(name)}", name=name, kind=intent_kind(name),
                                   description=tool.description, steps=sentences(tool.description)[:4],
                                   tools=[tool.name]))
    return intents


def capability(tool_name: str) -> str:
    """Caller-facing phrase of a tool: 'book_appointment' → 'book an appointment'."""
    tokens = split_identifier(tool_name)
    if not tokens:
        return tool_name
    verb, obj = tokens[0], " ".join(tokens[1:])
    if verb in ("get", "fetch", "lookup", "find", "search", "list", "query"):
        return f"look up {with_article(obj)}" if obj else "look something up"
    return f"{verb} {with_article(obj)}".strip() if obj else verb


def _same(a: IntentModel, b: IntentModel) -> bool:
    """Two intents that name the same thing ('Password resets' / 'reset a password')."""
    sa, sb = content_stems(a.name), content_stems(b.name)
    if not sa or not sb:
        return a.name.lower() == b.name.lower()
    return sa <= sb or sb <= sa or len(sa & sb) / len(sa | sb) >= 0.5


def merge_intents(intents: list[IntentModel]) -> list[IntentModel]:
    """Drop duplicates: the one stated as its own section (with steps) wins, at the first one's position."""
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
    given = set(vtool.returns)
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
