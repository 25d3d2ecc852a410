"""Split a system prompt into titled sections (markdown headings, bold/caps titles, numbered titles, `Title:` lines)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_MD_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$")
_BOLD_TITLE = re.compile(r"^\*\*(.+?)\*\*\s*:?\s*$")
_CAPS_TITLE = re.compile(r"^([A-Z][A-Z0-9 &/,'\-]{3,70})\s*:?\s*$")
_NUMBERED = re.compile(r"^\s*(?:\d+|[A-Za-z])[.)]\s+(.+?)\s*$")
_BULLET = re.compile(r"^\s*(?:[-*•·–]|\d+[.)]|[a-z][.)])\s+(.+?)\s*$")
_COLON_TITLE = re.compile(r"^([A-Z][^.!?:]{2,60}):\s*$")


@dataclass
class Section:
    """A titled block of the prompt; `level` 1 is the outermost."""

    title: str
    level: int
    lines: list[str] = field(default_factory=list)
    children: list["Section"] = field(default_factory=list)
    parent: "Section | None" = None

    @property
    def items(self) -> list[str]:
        """Bullet / numbered items of the body (cleaned)."""
        out: list[str] = []
        open_item = False
        for line in self.lines:
            match = _BULLET.match(line)
            if match:
                out.append(match.group(1).strip())
                open_item = True
            elif open_item and line.startswith((" ", "\t")) and line.strip():
                out[-1] += " " + line.strip()  # an item wrapped onto an indented continuation line
            else:
                open_item = False
        return out

    @property
    def text(self) -> str:
        """The body as plain text."""
        return "\n".join(self.lines).strip()

    def full_text(self) -> str:
        """Title, body and children's text (for digests)."""
        parts = [self.title, self.text] + [child.full_text() for child in self.children]
        return "\n".join(p for p in parts if p)


def _is_numbered_title(line: str, next_line: str | None) -> bool:
    """A numbered line is a title when short, unpunctuated, and followed by a bullet/indented line (or ends in ':')."""
    match = _NUMBERED.match(line)
    if not match or line.startswith((" ", "\t")):
        return False
    text = match.group(1)
    if text.endswith(":") and len(text.split()) <= 8:
        return True
    if len(text.split()) > 6 or text[-1:] in ".!?,;":
        return False
    return bool(next_line) and (next_line.startswith((" ", "\t")) or bool(re.match(r"^\s*[-*•·–]\s", next_line)))


def _title_of(line: str, next_line: str | None) -> tuple[str, int] | None:
    """(title, level) when the line is a section title."""
    stripped = line.strip()
    if not stripped:
        return None
    match = _MD_HEADING.match(stripped)
    if match:
        return match.group(2).strip(" *:"), len(match.group(1))
    match = _BOLD_TITLE.match(stripped)
    if match:
        return match.group(1).strip(" :"), 3
    match = _CAPS_TITLE.match(stripped)
    if match and len(stripped.split()) <= 8 and any(c.isalpha() for c in stripped):
        return match.group(1).strip().title(), 2
    if _is_numbered_title(line, next_line):
        return _NUMBERED.match(line).group(1).strip(" :"), 4  # type: ignore[union-attr]
    match = _COLON_TITLE.match(stripped)
    if match and len(stripped.split()) <= 8:
        return match.group(1).strip(), 5
    return None


def parse_sections(prompt: str) -> tuple[list[str], list[Section]]:
    """(preamble lines before the first title, top-level sections as a tree)."""
    lines = prompt.splitlines()
    preamble: list[str] = []
    roots: list[Section] = []
    stack: list[Section] = []
    for index, line in enumerate(lines):
        next_line = next((l for l in lines[index + 1:] if l.strip()), None)
        title = _title_of(line, next_line)
        if title:
            name, level = title
            section = Section(title=name, level=level)
            while stack and stack[-1].level >= level:
                stack.pop()
            if stack:
                section.parent = stack[-1]
                stack[-1].children.append(section)
            else:
                roots.append(section)
            stack.append(section)
        elif stack:
            if line.strip():
                stack[-1].lines.append(line.rstrip())
        elif line.strip():
            preamble.append(line.strip())
    return preamble, roots


def walk(sections: list[Section]):
    """Depth-first iteration over a section tree."""
    for section in sections:
        yield section
        yield from walk(section.children)
