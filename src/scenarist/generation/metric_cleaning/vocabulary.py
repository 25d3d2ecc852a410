"""The agent's own vocabulary (tool names, workflow names) and matching it to a draft's wording."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from scenarist.generation.prompt_sections import parse_sections, walk
from scenarist.generation.types import AgentSpec

_NAMED_FLOW_RE = re.compile(r"\b((?:[A-Z][a-z]+\s){0,3}[A-Z][a-z]+)\s+(?:flow|workflow|process|procedure|protocol)\b")
_TOOLISH_RE = re.compile(
    r"`([A-Za-z_][A-Za-z0-9_]*)`|\b([a-z][a-z0-9]*(?:_[a-z0-9]+)+)\b(?=\s*(?:\(|tool\b|function\b))|"
    r"\b(?:call|use|invoke|trigger)\s+(?:the\s+)?([a-z][a-z0-9]*(?:_[a-z0-9]+)+)\b"
)
_CAMEL_RE = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
_GENERIC_TOKENS = frozenset(
    "get set fetch lookup look find call tool run do make info data api func the and for with to of a an "
    "step steps section rules rule general notes note overview role you your instructions".split()
)
_STOPWORDS = frozenset(
    "the a an and or of to in on for with from by at as is are be been was were it its this that these those "
    "agent main testing caller call must should never not no any all each every if when then than before after "
    "during does do did has have had can may will would could about into over under per".split()
)


@dataclass
class AgentVocabulary:
    """Names the agent itself uses: its tools and its workflow/section names."""

    agent_name: str = ""
    tools: list[str] = field(default_factory=list)
    workflows: list[str] = field(default_factory=list)


def vocabulary_of(agent: AgentSpec | None) -> AgentVocabulary:
    """Tool names (declared tools first, then tool-like names in the prompt) and workflow headings."""
    if agent is None:
        return AgentVocabulary()
    tools = [t.name for t in agent.tools]
    for match in _TOOLISH_RE.finditer(agent.description or ""):
        name = next(g for g in match.groups() if g)
        if "_" in name or name in tools:
            tools.append(name)
    return AgentVocabulary(
        agent_name=agent.name,
        tools=list(dict.fromkeys(tools)),
        workflows=workflow_names(agent.description or ""),
    )


def workflow_names(description: str) -> list[str]:
    """Section titles of a prompt (the shared parser's) and '<Name> flow' phrases, in order."""
    names = section_titles(description)
    names += [re.sub(r"\s+", " ", m.group(0).strip()) for m in _NAMED_FLOW_RE.finditer(description)]
    return [n for n in dict.fromkeys(names) if _meaningful_tokens(n)]


def headings_of(description: str) -> list[str]:
    """Section headings of a prompt (used to summarise a long description)."""
    return section_titles(description)


def section_titles(description: str) -> list[str]:
    """Titles of every section found by the shared prompt parser, in document order."""
    return [section.title for section in walk(parse_sections(description)[1])]


def _tokens(text: str) -> list[str]:
    """Lower-case word tokens; snake_case and camelCase split."""
    text = _CAMEL_RE.sub(" ", text).replace("_", " ")
    return [t.lower() for t in re.findall(r"[A-Za-z][A-Za-z0-9]+", text)]


def _meaningful_tokens(text: str) -> list[str]:
    """Tokens that can identify a topic (no stopwords, no generic verbs)."""
    return [t for t in _tokens(text) if t not in _STOPWORDS and t not in _GENERIC_TOKENS and len(t) >= 3]


def _stem(token: str) -> str:
    """A crude stem: enough to match booking/book, checks/check, verified/verify."""
    for suffix, new in (("ies", "y"), ("ied", "y"), ("ing", ""), ("ed", ""), ("es", ""), ("s", "")):
        if token.endswith(suffix) and len(token) - len(suffix) >= 3:
            return token[: -len(suffix)] + new
    return token


def _same_word(a: str, b: str) -> bool:
    """Same stem, or a shared prefix of at least 5 letters (verification/verify, availability/available)."""
    if _stem(a) == _stem(b):
        return True
    prefix = 0
    for x, y in zip(a, b):
        if x != y:
            break
        prefix += 1
    return prefix >= 5


def mentions(text: str, name: str) -> bool:
    """True when the text talks about the named tool/workflow (all of a short name's words, or most of a long one's)."""
    name_tokens = _meaningful_tokens(name)
    if not name_tokens:
        return False
    words = _meaningful_tokens(text)
    hits = sum(1 for nt in name_tokens if any(_same_word(nt, w) for w in words))
    needed = len(name_tokens) if len(name_tokens) <= 2 else (len(name_tokens) + 1) // 2
    return hits >= needed


def names_tool(text: str, tool: str) -> bool:
    """A tool is named verbatim, or by all of its (at least two) meaningful words: 'checks availability'.

    A tool with one meaningful word (`get_appointments`) needs the verbatim name: 'appointment' alone is too loose.
    """
    spaced = tool.replace("_", " ")
    if re.search(rf"\b(?:{re.escape(tool)}|{re.escape(spaced)})\b", text, re.IGNORECASE):
        return True
    return len(_meaningful_tokens(tool)) >= 2 and mentions(text, tool)


def matches_in(text: str, vocabulary: AgentVocabulary) -> tuple[list[str], list[str]]:
    """The agent's tools and workflows that a piece of the draft talks about."""
    tools = [t for t in vocabulary.tools if names_tool(text, t)]
    workflows = [w for w in vocabulary.workflows if mentions(text, w)]
    return tools, workflows
