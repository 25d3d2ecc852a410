"""The offline engine: assemble an AgentModel from the understanding modules (deterministic, no network)."""

from __future__ import annotations

import hashlib
import json
import re

from ..agent_model import (
    AGENT_MODEL_VERSION,
    AgentModel,
    FailureMode,
    IntentModel,
    PolicyKind,
    PolicyModel,
    RowOutcome,
    SectionRole,
    ToolModel,
)
from ..text import placeholders, slugify, split_identifier, stem
from ..text import words as words_of
from ..types import AgentSpec
from .intents import (
    attach_verification,
    capability,
    finish_intents,
    handed_on_intents,
    inquiry_intents,
    knowledge_intents,
    main_object,
    merge_intents,
    playbook_intents,
    tool_intents,
)
from .goals import caller_goal_name, glossary_of, initialisms
from .mocks import chains_of, tool_models
from .policies import policies_of
from .profile import (
    caller_noun_of,
    disclosures_of,
    domain_of,
    language_of,
    organisation_of,
    persona_of,
    prompt_language,
    sensitive_fields_of,
    speaks_first_of,
    today_of,
)
from .sections import parse_prompt
from .verification import verification_of


# Bump when the offline analysis changes what it finds, so cached agent models are rebuilt.
UNDERSTANDING_VERSION = "understanding-2"


def agent_model_version_hash(agent: AgentSpec) -> str:
    """Stable hash of everything understanding reads (description, tools, variables, KB, language, flags) and of
    the versions of the model's types and of this analysis."""
    payload = {
        "v": AGENT_MODEL_VERSION,
        "u": UNDERSTANDING_VERSION,
        "name": agent.name,
        "description": agent.description,
        "language": agent.language,
        "inbound": agent.inbound,
        "first": agent.agent_gives_first_message,
        "tools": [tool.model_dump(mode="json", exclude={"id"}) for tool in agent.tools],
        "variables": [variable.model_dump(mode="json") for variable in agent.variables],
        "kb": [hashlib.sha256(doc.text.encode()).hexdigest() for doc in agent.kb_files],
    }
    raw = json.dumps(payload, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(raw.encode()).hexdigest()[:32]


def build_agent_model(agent: AgentSpec) -> AgentModel:
    """Deterministic text analysis of the agent's prompt, tools and mock rows into its AgentModel."""
    language = language_of(agent)
    written_in = prompt_language(agent)
    tools = tool_models(agent.tools, capability)
    parsed = parse_prompt(agent.description, [t.name for t in tools])
    chains = chains_of(tools)
    tool_names = [t.name for t in tools]
    verification = verification_of(parsed, tools)
    intents = playbook_intents(parsed, tool_names, written_in)
    if intents:
        intents += tool_intents(tools, verification, intents, side_effect_only=True)
    else:
        intents = tool_intents(tools, verification)
    intents = merge_intents(intents + handed_on_intents(parsed, tool_names) + inquiry_intents(parsed)
                            + knowledge_intents(parsed, written_in))
    if written_in == "en":
        name_goals(intents, tools, agent)
    attach_verification(intents, verification, tools)
    finish_intents(intents, tools)
    policies = policies_of(parsed, intents, tools)
    domain = domain_of(agent)
    return AgentModel(
        engine="offline",
        version_hash=agent_model_version_hash(agent),
        agent_name=agent.name,
        organisation=organisation_of(agent.description),
        persona_name=persona_of(agent.description),
        domain=domain,
        caller_noun=caller_noun_of(agent.description, domain),
        language=language,
        speaks_first=speaks_first_of(agent),
        today=today_of(agent.description),
        sections=parsed.sections(),
        intents=intents,
        tools=tools,
        chains=chains,
        policies=policies,
        verification=verification,
        forbidden_disclosures=disclosures_of(policies),
        failure_modes=failure_modes_of(tools, policies, intents),
        sensitive_fields=sensitive_fields_of(tools, policies),
        scope=[i.name for i in intents] + [s.title for s in parsed.sections() if s.role == SectionRole.KNOWLEDGE
                                             and s.title],
        variables=agent_variables(agent),
        notes=_notes(parsed, intents, tools),
    )


def name_goals(intents: list[IntentModel], tools: list[ToolModel], agent: AgentSpec) -> None:
    """English intent names and tool capabilities as grammatical caller goals (ids follow the names)."""
    glossary = glossary_of(" ".join([agent.description] + [t.description or "" for t in agent.tools]))
    for tool in agent.tools:
        for short, long in initialisms(tool.name, tool.description or "").items():
            glossary.setdefault(short, long)
    obj = main_object(agent.description + " " + " ".join(t.name.replace("_", " ") for t in agent.tools))
    taken: set[str] = set()
    for intent in intents:
        intent.name = caller_goal_name(intent.name, obj, glossary)
        slug = f"intent:{slugify(intent.name)}"
        intent.id = slug if slug not in taken else f"{slug}_{len(taken)}"
        taken.add(intent.id)
    for tool in tools:
        tool.capability = caller_goal_name(tool.capability, obj, glossary) if tool.capability else ""


def agent_variables(agent: AgentSpec) -> list[str]:
    """Declared dynamic variables, then `{{var}}` placeholders of the prompt (not test-profile references)."""
    names = [v.name for v in agent.variables]
    for name in placeholders(agent.description):
        if not name.startswith(("test_profile", "agent.", "evaluator")) and name not in names:
            names.append(name)
    return names


_OUTCOME_WORDS = {
    RowOutcome.NO_MATCH: re.compile(r"no match|not (find|found|match)|doesn'?t match|no record|no coincide|"
                                    r"no se encuentra|can'?t find|cannot find|unknown", re.I),
    RowOutcome.EMPTY: re.compile(r"no (slots?|availability|openings?|results?|appointments?|tables?|plans?|times?)|"
                                 r"nothing (is )?available|returns? no|none available|sin disponibilidad|empty",
                                 re.I),
    RowOutcome.FAILURE: re.compile(r"\b(error|fails?|failed|down|not respond\w*|does not answer|times? out|"
                                   r"unavailable|falla|no responde)\b", re.I),
    RowOutcome.PARTIAL: re.compile(r"\b(partial\w*|only (some|part)|backorder\w*|parcial\w*|no aplicad\w*)\b", re.I),
}


def failure_modes_of(tools: list[ToolModel], policies: list[PolicyModel],
                     intents: list[IntentModel]) -> list[FailureMode]:
    """One failure mode per (tool, non-success outcome) of the mocks, with the prompt's handling sentence; plus
    the failures the prompt describes that no mock row models."""
    modes: list[FailureMode] = []
    handlers = [p for p in policies if p.kind == PolicyKind.ERROR_HANDLING or _OUTCOME_WORDS[RowOutcome.FAILURE]
                .search(p.text) or _OUTCOME_WORDS[RowOutcome.NO_MATCH].search(p.text)]
    for tool in tools:
        for outcome in (RowOutcome.NO_MATCH, RowOutcome.EMPTY, RowOutcome.PARTIAL, RowOutcome.FAILURE):
            row = next((r for r in tool.rows if r.outcome == outcome), None)
            if row is None:
                continue
            intent = next((i for i in intents if tool.name in i.tools), None)
            handling = _handling(tool.name, outcome, handlers) or _branch_step(tool.name, outcome, intents)
            modes.append(FailureMode(id=f"failure:{tool.name}:{outcome.value}", tool=tool.name, outcome=outcome,
                                     row_index=row.index, handling=handling, intent_id=intent.id if intent else None))
    if not any(m.outcome == RowOutcome.FAILURE for m in modes):
        generic = next((p for p in handlers if p.kind == PolicyKind.ERROR_HANDLING and
                        _OUTCOME_WORDS[RowOutcome.FAILURE].search(p.text)), None)
        if generic is not None:
            modes.append(FailureMode(id="failure:agent:failure", outcome=RowOutcome.FAILURE, handling=generic.text))
    return modes


def _branch_step(tool: str, outcome: RowOutcome, intents: list[IntentModel]) -> str:
    """The playbook step that handles that outcome ('If there are none, say so and offer to book one.'), taken from
    a branch of an intent using the tool."""
    for intent in intents:
        if tool not in intent.tools:
            continue
        for branch in intent.branches:
            if branch.outcome == outcome:
                step = next((s for s in intent.steps if branch.condition[:60] in s), "")
                if step:
                    return step
    return ""


def _handling(tool: str, outcome: RowOutcome, handlers: list[PolicyModel]) -> str:
    """The error-handling sentence for that tool and outcome: one naming the tool and the outcome, else one
    describing the outcome, else the generic error rule."""
    words = _OUTCOME_WORDS[outcome]
    named = [p for p in handlers if re.search(rf"(?<!\w){re.escape(tool)}(?!\w)", p.text)]
    verb = stem(split_identifier(tool)[0]) if split_identifier(tool) else tool
    action = [p for p in handlers if verb in {stem(w) for w in words_of(p.text)}]  # "If a booking fails" ~ book_…
    for candidates in ([p for p in named if words.search(p.text)], [p for p in action if words.search(p.text)],
                       [p for p in handlers if words.search(p.text)
                                                                     and p.kind == PolicyKind.ERROR_HANDLING],
                       [p for p in handlers if words.search(p.text)]):
        if candidates:
            return candidates[0].text
    if outcome == RowOutcome.FAILURE:
        generic = next((p for p in handlers if p.kind == PolicyKind.ERROR_HANDLING), None)
        return generic.text if generic else ""
    return ""


def _notes(parsed, intents: list[IntentModel], tools: list[ToolModel]) -> list[str]:
    """What analysis assumed or could not read."""
    notes = []
    if not any(s.role == SectionRole.PLAYBOOK for s in parsed.blocks) and tools:
        notes.append("no playbook sections found; intents are the tools' capabilities")
    if not intents:
        notes.append("no intent found")
    return notes
