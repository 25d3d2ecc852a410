"""Split a system prompt into sections and classify each by role (markdown, bold/caps labels, XML tags, YAML keys,
plain paragraphs; English and Spanish titles)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..agent_model import PromptSection, SectionRole

_MD_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$")
_BOLD_TITLE = re.compile(r"^\*\*(.+?)\*\*\s*:?\s*$")
_CAPS_TITLE = re.compile(r"^([A-ZÁÉÍÓÚÑ][A-ZÁÉÍÓÚÑ0-9 &/,'()\-—–]{2,70}?)\s*:?\s*$")
_NUMBERED_TITLE = re.compile(r"^(?:\d+|[A-Z])[.)]\s+([^.!?]{2,70}?):?\s*$")
_ID_TITLE = re.compile(r"^([A-Z]{2,8}[- ]?\d+[a-z]?)\s*[:.—–-]\s+([^.!?]{3,70}?)\s*$")
_COLON_TITLE = re.compile(r"^([A-ZÁÉÍÓÚÑ¿][^.!?:]{2,60}):\s*$")
_YAML_KEY = re.compile(r"^([a-z_][a-z0-9_]{1,30}):\s*(.*)$")
_XML_OPEN = re.compile(r"^\s*<([A-Za-z_][\w-]*)((?:\s+[\w-]+\s*=\s*\"[^\"]*\")*)\s*>\s*$")
_XML_CLOSE = re.compile(r"^\s*</([A-Za-z_][\w-]*)\s*>\s*$")
_XML_NAME_ATTR = re.compile(r"\b(?:name|id|title|type)\s*=\s*\"([^\"]+)\"")
_BULLET = re.compile(r"^\s*(?:[-*•·–]|\d+(?:\.\d+)*[.)]|[a-z][.)])\s+(.+?)\s*$")
_TABLE_ROW = re.compile(r"^\s*\|(.+)\|\s*$")
_TABLE_RULE = re.compile(r"^\s*\|[\s:|-]+\|\s*$")
_BOLD_LABEL = re.compile(r"^\s*(?:[-*•]\s+)?\*\*([^*]{2,60}?):?\*\*:?\s*(.*)$")

_ROLE_TITLES: list[tuple[SectionRole, re.Pattern[str]]] = [
    (SectionRole.EXAMPLES, re.compile(
        r"\b(examples?|samples?|sample (dialogues?|conversations?|calls?|transcripts?)|example (calls?|"
        r"conversations?|"
        r"dialogues?)|ejemplos?|di[aá]logos? de ejemplo)\b", re.I)),
    (SectionRole.ERROR_HANDLING, re.compile(
        r"\b(errors?|error handling|when things go wrong|fail\w*|(does|do) not work|doesn'?t work|not working|"
        r"(stuff|something|things) breaks|goes wrong|algo falla|troubleshooting tools|fallbacks?|if (a|the) tool|"
        r"system (issues|problems|down)|errores|fallos?|incidencias del sistema)\b", re.I)),
    (SectionRole.VERIFICATION, re.compile(
        r"\b(verif\w*|authenticat(e|ion|ing)\b|identity (check|verification)|identify(ing)? the (caller|"
        r"customer|patient)|"
        r"security (check|questions)|identificaci[oó]n|verificaci[oó]n|find the (patient|caller|customer|"
        r"account|service location|member|record)|locate the (account|caller)|"
        r"who is calling)\b", re.I)),
    (SectionRole.FLOW, re.compile(r"^\s*(step|paso|stage|phase|etapa|fase)\s*\d", re.I)),
    (SectionRole.GUARDRAILS, re.compile(
        r"\b(guardrails?|rules?|polic(y|ies)|compliance|restrictions?|constraints?|prohibit\w*|do not|don'?t|never|"
        r"safety|security|privacy|legal|disclosures?|escalat\w*|emergenc\w*|important|limits|boundaries|consent|"
        r"do[- ]not[- ]call|dnc|don'?ts|vulnerable|hazards?|quality|reviewers?|checklist|may not|"
        r"special situations|things (we|you) never|reglas?|normas?|restricciones|cumplimiento|prohibid\w*|"
        r"seguridad|privacidad|"
        r"escalad\w*|emergencias?|urgent\w*|must|musts)\b", re.I)),
    (SectionRole.TOOLS, re.compile(
        r"\b(tools?|functions?|available actions|api|integrations?|herramientas|funciones|systems? you can use)\b",
        re.I)),
    (SectionRole.PLAYBOOK, re.compile(
        r"\b(playbooks?|workflows?|tasks?|use cases?|services?|capabilities|what you (can )?(do|handle)|"
        r"what (callers|customers|patients) (can )?(ask|call) (for|about)|intents?|call (types|reasons)|"
        r"scenarios|requests? you handle|goals?|procedimientos|casos de uso|servicios|gestiones|tr[aá]mites|"
        r"qu[eé] puedes hacer|what you handle|gesti[oó]n(es)?|(taking|take|leaving|leave) (a )?messages?|"
        r"new (clients?|patients?|customers?)( (inquiries|intake))?)\b", re.I)),
    (SectionRole.FLOW, re.compile(
        r"\b(flow|steps?|process|procedure|script|opening|greeting|introduction|closing|close|wrap[- ]?up|"
        r"qualification|qualify|objections?|structure|sequence|stages?|phases?|voicemail|call handling|"
        r"routing|ending|end of (the )?call|order of|flujo|pasos|gui[oó]n|saludo|cierre|despedida|estructura|"
        r"apertura)\b", re.I)),
    (SectionRole.IDENTITY, re.compile(
        r"\b(identity|role|who you are|persona|about you|your job|objective|purpose|mission|overview|you are|"
        r"rol|identidad|qui[eé]n eres|objetivo|prop[oó]sito|misi[oó]n)\b", re.I)),
    (SectionRole.STYLE, re.compile(
        r"\b(style|tone|voice|personality|speaking|speech|formatting|format|language|delivery|manner|"
        r"communication|how to speak|vibe|how you sound|sound|estilo|tono|personalidad|idioma|forma de hablar|"
        r"comunicaci[oó]n)\b", re.I)),
    (SectionRole.KNOWLEDGE, re.compile(
        r"\b(faqs?|frequently asked|general questions|questions you (may|can) answer|where and when|calendar|"
        r"hours|locations?|prices?|pricing|fees?|menu|knowledge|reference|"
        r"horarios?|precios|tarifas|preguntas frecuentes|ubicaci[oó]n|direcci[oó]n|sucursales)\b", re.I)),
    (SectionRole.CONTEXT, re.compile(
        r"\b(context|background|company|business|about (us|the \w+)|organi[sz]ation|variables|today|date|"
        r"information|info|details|facts|contexto|empresa|datos|informaci[oó]n|call context)\b", re.I)),
]
# German and French titles (the same roles; kept apart so the English patterns stay readable).
_ROLE_TITLES_OTHER: dict[SectionRole, re.Pattern[str]] = {
    SectionRole.EXAMPLES: re.compile(r"\b(beispiel\w*|exemples?)\b", re.I),
    SectionRole.ERROR_HANDLING: re.compile(r"\b(fehler\w*|st[öo]rung\w*|erreurs?|en cas d'erreur|pannes?)\b", re.I),
    SectionRole.VERIFICATION: re.compile(r"\b(identifizierung|verifizierung|legitimation|identifikation|"
                                         r"identification|v[ée]rification)\b", re.I),
    SectionRole.GUARDRAILS: re.compile(r"\b(regeln|richtlinien|verbote|wichtig|sicherheit|datenschutz|grenzen|"
                                       r"r[èe]gles|interdictions|s[ée]curit[ée]|confidentialit[ée]|scope)\b", re.I),
    SectionRole.PLAYBOOK: re.compile(r"\b(anliegen|aufgaben|leistungen|abl[äa]ufe|services propos[ée]s|demandes)\b",
                                     re.I),
    SectionRole.FLOW: re.compile(r"\b(ablauf|gespr[äa]chsablauf|schritte|d[ée]roulement|[ée]tapes)\b", re.I),
    SectionRole.IDENTITY: re.compile(r"\b(rolle|wer du bist|identit[äa]t|r[ôo]le|qui tu es)\b", re.I),
    SectionRole.STYLE: re.compile(r"\b(sprache|ton|stil|tonalit[ée])\b", re.I),
    SectionRole.KNOWLEDGE: re.compile(r"\b(öffnungszeiten|preise|h[ée]ures d'ouverture|tarifs)\b", re.I),
}
# Untitled paragraphs are classified by what they say.
_CONTENT_ROLES: list[tuple[SectionRole, re.Pattern[str]]] = [
    (SectionRole.EXAMPLES, re.compile(r"^\s*(caller|user|customer|agent|assistant|cliente|agente)\s*:", re.I | re.M)),
    (SectionRole.IDENTITY, re.compile(r"^\s*(you are|your name is|eres|te llamas|tu nombre es)\b", re.I)),
    (SectionRole.ERROR_HANDLING, re.compile(r"\b(if (a|the|any) (tool|system|lookup)|tool (fails|returns an error)|"
                                            r"(is|are) (down|unavailable|not responding))\b", re.I)),
    (SectionRole.VERIFICATION, re.compile(r"\b(verify|authenticate|verifica)\w*\b.{0,80}\b(caller|identity|"
                                          r"cardholder|customer|titular|cliente)\b", re.I)),
    (SectionRole.GUARDRAILS, re.compile(r"\b(never|do not|don't|must not|under no circumstances|nunca|no debes|"
                                        r"niemals|nie|keine|darfst nicht|jamais|ne (jamais|pas))\b", re.I)),
    (SectionRole.STYLE, re.compile(r"\b(tone|speak|sound|friendly|concise|warm)\b", re.I)),
]
_STEP_TITLE = re.compile(r"^\s*(step|paso)\s*\d", re.I)


@dataclass
class Block:
    """A section while parsing: title, nesting, and the (offset, line) pairs of its own body."""

    index: int
    title: str
    level: int
    start: int
    kind: str  # md | label | numbered | xml | yaml | preamble (an untitled or lead-phrase paragraph)
    tag: str = ""
    parent: int | None = None
    end: int = 0
    lines: list[tuple[int, str]] = field(default_factory=list)
    role: SectionRole = SectionRole.OTHER


@dataclass
class ParsedPrompt:
    """A prompt split into blocks, with helpers the other understanding modules read."""

    prompt: str
    blocks: list[Block]
    tool_names: tuple[str, ...] = ()

    def sections(self) -> list[PromptSection]:
        """The typed sections of the agent model."""
        return [PromptSection(id=f"section:{b.index}", title=b.title, role=b.role, level=b.level, start=b.start,
                              end=b.end, parent_id=None if b.parent is None else f"section:{b.parent}")
                for b in self.blocks]

    def children(self, block: Block) -> list[Block]:
        """Direct children of a block."""
        return [b for b in self.blocks if b.parent == block.index]

    def body(self, block: Block) -> str:
        """The block's own text (without its children)."""
        return "\n".join(line for _, line in block.lines).strip()

    def items(self, block: Block) -> list[str]:
        """List items and bold-label paragraphs of the block's own body (continuation lines joined)."""
        out: list[str] = []
        open_item = False
        header = True
        for _, line in block.lines:
            row = _TABLE_ROW.match(line)
            if row:  # a markdown table: every row but the header is an item, cells joined as 'first: rest'
                if not _TABLE_RULE.match(line) and not header:
                    cells = [c.strip() for c in row.group(1).split("|")]
                    cells = cells[1:] if cells and cells[0].isdigit() else cells
                    out.append(f"{cells[0]}: {' '.join(cells[1:])}" if len(cells) > 1 else cells[0])
                header = False
                open_item = False
                continue
            header = True
            bullet = _BULLET.match(line)
            if bullet or _BOLD_LABEL.match(line):
                out.append((bullet.group(1) if bullet else line).strip())
                open_item = True
            elif open_item and line.strip() and (line.startswith((" ", "\t")) or not out[-1].endswith((".", ":"))):
                out[-1] += " " + line.strip()
            else:
                open_item = False
        return out

    def role_of(self, index: int | None) -> SectionRole | None:
        """The role of a block by index."""
        return None if index is None else self.blocks[index].role

    def in_role(self, *roles: SectionRole) -> list[Block]:
        """Blocks having one of the roles."""
        return [b for b in self.blocks if b.role in roles]


def _title_of(line: str, next_line: str | None, yaml_mode: bool) -> tuple[str, int, str] | None:
    """(title, level, kind) when the line opens a section."""
    stripped = line.strip()
    if not stripped:
        return None
    match = _MD_HEADING.match(stripped)
    if match:
        return match.group(2).strip(" *:"), len(match.group(1)), "md"
    match = _BOLD_TITLE.match(stripped)
    if match and line == line.lstrip():
        return match.group(1).strip(" :"), 7, "label"
    match = _CAPS_TITLE.match(stripped)
    if match and line == line.lstrip() and len(stripped.split()) <= 8 and sum(c.isalpha() for c in stripped) >= 3:
        return match.group(1).strip(" :—–-"), 7, "label"
    if yaml_mode and line == line.lstrip():
        match = _YAML_KEY.match(stripped)
        if match:
            return match.group(1).replace("_", " "), 1, "yaml"
    match = _ID_TITLE.match(stripped)
    if match and line == line.lstrip():  # "SOP-1: Submit a maintenance request", "WF-2 — Refunds"
        return match.group(2).strip(" :"), 8, "label"
    match = _NUMBERED_TITLE.match(stripped)
    follows = next_line or ""
    if match and line == line.lstrip() and (stripped.endswith(":") or follows.startswith((" ", "\t"))
                                            or re.match(r"^[-*•]\s", follows) or _is_caps(match.group(1))):
        return match.group(1).strip(" :"), 8, "numbered"
    match = _COLON_TITLE.match(stripped)
    if match and line == line.lstrip() and len(stripped.split()) <= 8:
        return match.group(1).strip(), 8, "label"
    return None


def _is_caps(text: str) -> bool:
    """An ALL-CAPS label ('WHO YOU ARE', 'SAFETY SCRIPT (say every point)'), parenthesised asides aside."""
    letters = [c for c in re.sub(r"\([^)]*\)", "", text) if c.isalpha()]
    return len(letters) >= 3 and all(c.isupper() for c in letters)


def _is_yaml_prompt(lines: list[str]) -> bool:
    """A prompt written as `key:` blocks (three or more top-level keys)."""
    keys = [l for l in lines if l == l.lstrip() and _YAML_KEY.match(l.strip())]
    return len(keys) >= 3


def parse_prompt(prompt: str, tool_names: tuple[str, ...] | list[str] = ()) -> ParsedPrompt:
    """Split the prompt into nested blocks and classify each by role."""
    raw_lines = prompt.splitlines(keepends=True)
    offsets, position = [], 0
    for raw in raw_lines:
        offsets.append(position)
        position += len(raw)
    lines = [raw.rstrip("\r\n") for raw in raw_lines]
    yaml_mode = _is_yaml_prompt(lines)
    blocks: list[Block] = []
    stack: list[Block] = []

    def open_block(title: str, level: int, start: int, kind: str, tag: str = "") -> Block:
        block = Block(index=len(blocks), title=title, level=level, start=start, kind=kind, tag=tag,
                      parent=stack[-1].index if stack else None)
        blocks.append(block)
        stack.append(block)
        return block

    for number, line in enumerate(lines):
        start = offsets[number]
        next_line = next((l for l in lines[number + 1:] if l.strip()), None)
        xml_open, xml_close = _XML_OPEN.match(line), _XML_CLOSE.match(line)
        if xml_open:
            name = _XML_NAME_ATTR.search(xml_open.group(2) or "")
            title = name.group(1).replace("_", " ") if name else xml_open.group(1).replace("_", " ")
            block = open_block(title, 0, start, "xml", tag=xml_open.group(1).lower())
            block.title = title if not name else f"{xml_open.group(1)}: {title}"
            continue
        if xml_close:
            tag = xml_close.group(1).lower()
            if any(b.kind == "xml" and b.tag == tag for b in stack):
                while stack:
                    closed = stack.pop()
                    if closed.kind == "xml" and closed.tag == tag:
                        break
            continue
        title = _title_of(line, next_line, yaml_mode)
        if title:
            name, level, kind = title
            while stack and stack[-1].kind != "xml" and stack[-1].kind != "preamble" and stack[-1].level >= level:
                stack.pop()
            while stack and stack[-1].kind == "para":
                stack.pop()
            block = open_block(name, level, start, kind)
            if kind == "yaml":
                inline = _YAML_KEY.match(line.strip()).group(2)  # type: ignore[union-attr]
                if inline:
                    block.lines.append((start + line.index(inline), inline))
            continue
        if not line.strip():
            if stack and stack[-1].kind in ("para", "preamble"):
                stack.pop()
            continue
        if not stack:
            open_block("", 1, start, "preamble")
        stack[-1].lines.append((start, line))
    _finish(blocks, prompt)
    parsed = ParsedPrompt(prompt=prompt, blocks=blocks, tool_names=tuple(tool_names))
    for block in parsed.blocks:
        if block.kind == "preamble" and block.lines:
            block.title = _inline_title(block.lines[0][1])
    for block in parsed.blocks:
        block.role = _role(parsed, block)
    return parsed


def _finish(blocks: list[Block], prompt: str) -> None:
    """Set each block's end offset (its last own line or its last descendant's end)."""
    for block in reversed(blocks):
        own_end = max([offset + len(line) for offset, line in block.lines] or [block.start + len(block.title)])
        child_ends = [b.end for b in blocks if b.parent == block.index]
        block.end = min(len(prompt), max([own_end, *child_ends]))


_INLINE_TITLE = re.compile(r"^([A-Z][\w'&,-]*(?: [\w'&,-]+){0,5})\.\s+\S")


def _inline_title(first_line: str) -> str:
    """'Taking a message. This is most of the job…' → 'Taking a message' (a short lead phrase, not a sentence)."""
    match = _INLINE_TITLE.match(first_line.strip())
    if not match or re.search(r"\b(you|we|is|are|this|it|i)\b", match.group(1), re.I):
        return ""
    return match.group(1)


def title_role(title: str) -> SectionRole | None:
    """The role a title names, if any."""
    for role, pattern in _ROLE_TITLES:
        other = _ROLE_TITLES_OTHER.get(role)
        if pattern.search(title) or other is not None and other.search(title):
            return role
    return None


def _role(parsed: ParsedPrompt, block: Block) -> SectionRole:
    """The block's role: by its title, else its parent's (a playbook's children are playbooks), else its content."""
    parent_role = parsed.role_of(block.parent)
    by_title = title_role(block.title) if block.title else None
    if block.kind == "xml" and block.tag in ("workflow", "playbook", "task", "procedure", "flow") and \
            _XML_NAME_ATTR.search(parsed.prompt[block.start:block.start + 200].split("\n", 1)[0]):
        return SectionRole.PLAYBOOK
    if block.kind == "xml" and parent_role == SectionRole.EXAMPLES:
        return SectionRole.EXAMPLES
    if by_title is not None:
        if parent_role == SectionRole.FLOW and by_title == SectionRole.FLOW:
            return SectionRole.FLOW
        return by_title
    if parent_role in (SectionRole.PLAYBOOK, SectionRole.FLOW, SectionRole.GUARDRAILS, SectionRole.EXAMPLES,
                       SectionRole.ERROR_HANDLING, SectionRole.KNOWLEDGE, SectionRole.TOOLS):
        return parent_role
    body = parsed.body(block)
    if block.kind == "preamble" or not block.title:
        for role, pattern in _CONTENT_ROLES:
            if pattern.search(body):
                return role
        return SectionRole.CONTEXT if block.kind == "preamble" else SectionRole.OTHER
    if block.kind == "numbered" and sum(b.kind == "numbered" for b in parsed.blocks) >= 3:
        return SectionRole.FLOW  # "3) FIND THE SERVICE LOCATION": a step of one numbered procedure
    steps = len(re.findall(r"^\s*\d+[.)]\s", body, re.M))
    if block.title and (steps >= 2 or _mentions_tool(body, parsed.tool_names)):
        return SectionRole.PLAYBOOK  # a titled block of its own steps: "## Reschedule", "### Password reset"
    for role, pattern in _CONTENT_ROLES:
        if pattern.search(body):
            return role
    return SectionRole.OTHER


def _mentions_tool(text: str, tool_names: tuple[str, ...]) -> bool:
    """Whether the text names one of the tools."""
    return any(re.search(rf"(?<!\w){re.escape(name)}(?!\w)", text) for name in tool_names)
