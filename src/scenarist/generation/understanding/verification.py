"""The verification procedure the agent really runs: which fields (canonical names, in the order asked), with which
tool, and the prompt's sentences stating it. Negated mentions ("do not ask for a date of birth") do not count."""

from __future__ import annotations

import re

from ..agent_model import SectionRole, ToolModel, Verification
from ..text import sentences
from .fields import canonical_identity_field, fields_in_text
from .sections import ParsedPrompt

_ASK = re.compile(r"\b(ask(s|ed)? (for|them|the caller|the customer)?|request|collect|verify|verif\w*|confirm|"
                  r"provide|give|read (out|back)?|identify|authenticat\w*|look(s)? up|match(es)?|check|need|"
                  r"requires?|using|with|by|pide|pedir|solicita\w*|verifica\w*|pregunta\w*|confirma\w*|comprueba\w*)\b",
                  re.I)
_NEGATED = re.compile(r"\b(do not|don't|never|must not|no need|not ask|not required|nunca|no (le )?pidas|no pedir|"
                      r"no solicites|sin pedir)\b", re.I)
_VERIFY_SENTENCE = re.compile(r"\b(verif\w*|authenticat\w*|identif\w*|confirm (their|the caller'?s|who)|"
                              r"look (them|the \w+) up|security (check|questions)|comprob\w*|titular)\b", re.I)
_VERIFY_TOOL = re.compile(r"(^|_)(verify|authenticate|identify|verificar|validar|validate|lookup_(patient|customer|"
                          r"caller|member|account|employee|cardholder|client|owner|user)|find_(patient|customer|"
                          r"caller|member|account))(_|$)", re.I)


def _candidate_texts(parsed: ParsedPrompt) -> tuple[list[str], bool]:
    """Sentences that state verification: every sentence of verification sections, else verification-worded
    sentences elsewhere (never examples). The flag tells whether a verification section exists."""
    blocks = parsed.in_role(SectionRole.VERIFICATION)
    if blocks:
        out = []
        for block in blocks:
            out.extend(sentences(parsed.prompt[block.start:block.end]))
        return out, True
    out = []
    for block in parsed.blocks:
        if block.role == SectionRole.EXAMPLES:
            continue
        out.extend(s for s in sentences(parsed.body(block)) if _VERIFY_SENTENCE.search(s))
    return out, False


def verification_of(parsed: ParsedPrompt, tools: list[ToolModel]) -> Verification:
    """Fields (in the order the prompt asks them), tool and text of the caller's verification."""
    texts, _ = _candidate_texts(parsed)
    used: list[str] = []
    text_fields: list[str] = []
    for sentence in texts:
        if _NEGATED.search(sentence) or not _ASK.search(sentence):
            continue
        found = [field for _, field in fields_in_text(sentence)]
        if found:
            used.append(sentence)
            text_fields.extend(f for f in found if f not in text_fields)
    tool = _verification_tool(" ".join(texts), tools)
    tool_fields: list[str] = []
    if tool is not None:
        for need in tool.needs:
            field = canonical_identity_field(need)
            if field and field not in tool_fields:
                tool_fields.append(field)
    if tool_fields and text_fields:
        shared = [f for f in text_fields if f in tool_fields]
        fields = shared or tool_fields
    else:
        fields = text_fields or tool_fields
    if tool is None and not used:
        return Verification()
    return Verification(fields=fields, tool=tool.name if tool else None, text=" ".join(used)[:1200])


def _verification_tool(text: str, tools: list[ToolModel]) -> ToolModel | None:
    """The tool the verification text names (taking identity inputs), else one named like a verifier."""
    for tool in tools:
        if re.search(rf"(?<!\w){re.escape(tool.name)}(?!\w)", text) and any(
                canonical_identity_field(n) for n in tool.needs):
            return tool
    return next((t for t in tools if _VERIFY_TOOL.search(t.name)), None)
