"""The verification procedure the agent really runs: which fields (canonical names, in the order asked), with which
tool, and the prompt's sentences stating it. Negated mentions ("do not ask for a date of birth") do not count."""

from __future__ import annotations

import re

from ..agent_model import SectionRole, ToolModel, Verification
from .fields import canonical_identity_field, fields_in_text
from .policies import rule_units
from .sections import ParsedPrompt

_ASK = re.compile(r"\b(ask(s|ed)?|request|collect|verify|verif\w*|confirm|provide|give (us|me)|identify|"
                  r"authenticat\w*|need|requires?|take (their|the)|get (their|the)|pide|pida|pedir|solicit\w*|"
                  r"verifiqu\w*|pregunt\w*|confirm\w*|comprueb\w*|frag\w*|erfrag\w*|pr[üu]f\w*|bestätig\w*|"
                  r"verifizier\w*|identifizier\w*|demande\w*|v[ée]rifie\w*)\b", re.I)
_NEGATED = re.compile(r"\b(do not|don't|never|must not|no need|not ask|not required|nunca|no (le )?pidas?|no pedir|"
                      r"no solicites|sin pedir|no d[eé] por hecho|nicht|niemals|keine)\b", re.I)
_EXCEPTION = re.compile(r"\b(exception|except|in that case|otherwise|instead|if (they|the caller) (can(no|')t|"
                        r"cannot|do(es)? not) (remember|recall|know)|if still|still nothing|if nothing|is not found|"
                        r"isn'?t found|if (it|the lookup|verification) fails|wird kein|nicht gefunden|falls kein|sinon|"
                        r"comes? back (with )?nothing|returns? nothing|as a new (customer|patient|client|caller))\b",
                        re.I)
_VERIFY_SENTENCE = re.compile(r"\b(verif\w*|authenticat\w*|identif\w*|confirm (their|the caller'?s|who)|"
                              r"look (them|the \w+) up|security (check|questions)|comprob\w*|titular|"
                              r"(make sure|check|confirm) (it|that it|they) match(es)?|matches what)\b", re.I)
_VERIFY_TOOL = re.compile(r"(^|_)(verify|authenticate|identify|verificar|validar|validate|lookup|look_up|find|"
                          r"search|locate|buscar)(_|$)", re.I)
_NOT_A_VERIFIER = re.compile(r"slots?|availab|openings?|times|tables|windows|points|locations|plans|planes|options|"
                             r"dates|coverage|status", re.I)


def _candidate_texts(parsed: ParsedPrompt, tool_name: str | None = None) -> list[str]:
    """Sentences that state verification: every sentence of verification sections, else verification-worded
    sentences (or ones naming the verification tool) elsewhere, never examples."""
    blocks = parsed.in_role(SectionRole.VERIFICATION)
    if blocks:
        out = []
        for block in blocks:
            out.extend(rule_units(parsed, block))
        return out
    out = []
    for block in parsed.blocks:
        if block.role == SectionRole.EXAMPLES:
            continue
        out.extend(s for s in rule_units(parsed, block) if _VERIFY_SENTENCE.search(s.replace("_", " "))
                   or tool_name and re.search(rf"(?<!\w){re.escape(tool_name)}(?!\w)", s))
    return out


def verification_of(parsed: ParsedPrompt, tools: list[ToolModel]) -> Verification:
    """Fields (in the order the prompt asks them), tool and text of the caller's verification."""
    named = _verification_tool("", tools)
    texts = _candidate_texts(parsed, named.name if named else None)
    used: list[str] = []
    text_fields: list[str] = []
    clauses = [c for sentence in texts for c in re.split(r"(?<=[.;!?])\s+|\s+[—–]\s+", sentence) if c.strip()]
    for sentence in clauses:
        plain = sentence.replace("_", " ")
        if _NEGATED.search(plain) or _EXCEPTION.search(plain) or not _ASK.search(plain):
            continue
        unquoted = re.sub(r"\{\{[^}]*\}\}|\"[^\"]*\"|“[^”]*”|\([^)]*\)", "", sentence)  # optional asides too
        found = [field for _, field in fields_in_text(unquoted)]
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
    fields = text_fields or tool_fields
    if tool is None and not used:
        return Verification()
    return Verification(fields=fields, tool=tool.name if tool else None, text=" ".join(used)[:1200])


def _verification_tool(text: str, tools: list[ToolModel]) -> ToolModel | None:
    """The tool the verification text names (taking identity inputs), else one named like a verifier or a lookup
    of a person/record that takes identity inputs (not a search of availability)."""
    def takes_identity(tool: ToolModel) -> bool:
        return any(canonical_identity_field(n) for n in tool.needs)

    for tool in tools:
        if text and re.search(rf"(?<!\w){re.escape(tool.name)}(?!\w)", text) and takes_identity(tool):
            return tool
    return next((t for t in tools if _VERIFY_TOOL.search(t.name) and not _NOT_A_VERIFIER.search(t.name)
                 and takes_identity(t)), None)
