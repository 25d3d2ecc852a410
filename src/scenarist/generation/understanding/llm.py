"""The LLM engine: the model is asked for the agent model directly from the full prompt (chunked when long, never
cut), its answer validated against the prompt and tools; mock rows, chains and failure modes stay computed in code.
On failure the offline model is returned, marked "offline-fallback"."""

from __future__ import annotations

import asyncio
import re

from ...llm.errors import BudgetExceededError, LLMError
from ...llm.port import StructuredLLM, Usage
from ...llm.sizing import request_tokens, text_chars_that_fit
from ..agent_model import (
    DOMAINS,
    IDENTITY_FIELDS,
    AgentModel,
    Branch,
    Disclosure,
    IntentModel,
    PolicyKind,
    PolicyModel,
    RowOutcome,
    SectionRole,
    SensitiveField,
    Verification,
)
from ..attempts import ask_validated
from ..text import content_stems, slugify, truncate
from ..types import AgentSpec
from .build import build_agent_model, failure_modes_of, name_goals
from .fields import canonical_identity_field, fields_in_text
from .intents import attach_verification, branch_outcome, finish_intents, intent_kind, merge_intents
from .llm_prompt import DEFAULT_CHUNK_CHARS, LLMAgentModel, chunks_of, messages_for
from .policies import is_probe, policy_kind, rule_units, split_sentences
from .profile import prompt_language
from .sections import parse_prompt

FUZZY_MATCH = 0.6
MIN_CHUNK_CHARS = 2_000  # below this a part holds too little of a section to be understood; the call may overflow
_KINDS = {k.value for k in PolicyKind}
_OUTCOMES = {o.value for o in RowOutcome}
# What the model may still offer as an intent although it is a part of the call, not a caller's goal.
# Verifying or identifying someone is the agent's step before a goal, never the goal ("verify a cardholder").
_PERSON = r"(caller|cardholder|customer|patient|member|user|client|account ?holder|identity|beneficiary)"
_FRAGMENT = re.compile(rf"^\s*(step|paso)\s*\d|^#|\b(greet(ing)?|closing|close the call|(identify|verify|authenticate) "
                       rf"(the|a|an|their)? ?{_PERSON}|introduction|tools?|guardrails?|examples?)\b", re.I)


async def llm_agent_model(agent: AgentSpec, llm: StructuredLLM, *, chunk_chars: int | None = None,
                          seed: int = 0) -> tuple[AgentModel, Usage]:
    """(agent model, usage): the LLM's understanding of the agent, validated; the offline model marked
    "offline-fallback" when a call fails or gives nothing usable. A spent token budget still raises.
    `chunk_chars` defaults to what the model's context holds (see chunk_chars_for)."""
    offline = build_agent_model(agent)
    outline = [s.title for s in offline.sections if s.title and s.parent_id is None]
    chunk_chars = chunk_chars or chunk_chars_for(agent, llm, offline, outline)
    chunks = chunks_of(agent.description, chunk_chars)
    prompt_sentences = _prompt_sentences(agent.description, [t.name for t in offline.tools])
    tool_names = {t.name for t in offline.tools}

    def validate(answer: LLMAgentModel) -> list[str]:
        """Problems worth a re-ask (the rest is fixed up in code)."""
        if not answer.intents and not answer.policies:
            return ["the answer lists no intents and no policies; the prompt has both"]
        unknown = sorted({t for i in answer.intents for t in i.tools if t not in tool_names})
        if unknown and len(chunks) == 1 and all(t not in tool_names for i in answer.intents for t in i.tools):
            # The names are not repeated: they came from the answer, which may echo agent text, and a re-ask sits
            # outside the data blocks.
            return [f"intents use {len(unknown)} tool name(s) that do not exist; use only names listed in <tools>"]
        return []

    async def one(index: int, chunk: str) -> tuple[LLMAgentModel | None, Usage]:
        messages = messages_for(agent, offline.tools, offline.variables, chunk, index + 1, len(chunks), outline)
        return await ask_validated(llm, messages, LLMAgentModel, validate, seed=seed + 7 * index, temperature=0.1)

    usage = Usage()
    try:
        answers = await asyncio.gather(*(one(i, c) for i, c in enumerate(chunks)))
    except BudgetExceededError:
        raise
    except LLMError as exc:
        return _fallback(offline, f"LLM understanding failed ({type(exc).__name__}); offline model used"), usage
    for _, call_usage in answers:
        usage.add(call_usage)
    if any(answer is None for answer, _ in answers):
        return _fallback(offline, "LLM understanding gave no usable answer; offline model used"), usage
    model = _assemble(agent, offline, [a for a, _ in answers if a is not None], prompt_sentences)
    if not model.intents:
        return _fallback(offline, "LLM understanding found no valid intent; offline model used"), usage
    return model, usage


def chunk_chars_for(agent: AgentSpec, llm: StructuredLLM, offline: AgentModel, outline: list[str]) -> int:
    """The most prompt one understanding call reads: what the model's context (SCENARIST_LLM_CONTEXT_TOKENS) leaves
    beside the prefix, the task, the schema and the answer — never more than DEFAULT_CHUNK_CHARS."""
    available = getattr(llm, "prompt_tokens_available", None)
    if available is None:  # a port that does not know its context
        return DEFAULT_CHUNK_CHARS
    overhead = request_tokens(messages_for(agent, offline.tools, offline.variables, "", 1, 2, outline), LLMAgentModel)
    room = text_chars_that_fit(available(LLMAgentModel), overhead)
    return max(MIN_CHUNK_CHARS, min(DEFAULT_CHUNK_CHARS, room))


def _grounded(name: str, grounds: set[str] | None) -> bool:
    """An intent the prompt or its tools speak of: at least half its content words occur there. A small model
    copies the example of our own instructions ('book a new appointment') into a bank's model otherwise."""
    if grounds is None:
        return True
    wanted = content_stems(name)
    return not wanted or 2 * len(wanted & grounds) >= len(wanted)


def _fallback(offline: AgentModel, note: str) -> AgentModel:
    """The offline model, marked as the fallback, with the reason."""
    return offline.model_copy(update={"engine": "offline-fallback", "notes": [*offline.notes, note]})


def _prompt_sentences(prompt: str, tool_names: list[str]) -> list[str]:
    """Every sentence/list item of the prompt, whitespace-normalised (what a quoted rule must be)."""
    parsed = parse_prompt(prompt, tool_names)
    out = []
    for block in parsed.blocks:
        out.extend(rule_units(parsed, block))
    return out or split_sentences(prompt)


def _norm(text: str) -> str:
    return " ".join(text.replace("**", "").split()).lower()


def verbatim(text: str, prompt_norm: str, sentences: list[str]) -> str | None:
    """The rule's text when the prompt contains it (whitespace and case aside), else the prompt sentence it
    paraphrases (enough shared words), else None."""
    clean = " ".join(text.strip().strip("\"'“”").split())
    if len(clean) >= 8 and _norm(clean) in prompt_norm:
        return clean
    stems = content_stems(clean)
    if not stems:
        return None
    best, best_score = None, 0.0
    for sentence in sentences:
        other = content_stems(sentence)
        if other:
            score = len(stems & other) / len(stems | other)
            if score > best_score:
                best, best_score = sentence, score
    return best if best_score >= FUZZY_MATCH else None


def _canonical_field(name: str) -> str | None:
    """A field name the model gave, in the canonical vocabulary (or None)."""
    snake = "_".join(re.findall(r"[a-z0-9]+", name.lower()))
    if snake in IDENTITY_FIELDS:
        return snake
    found = canonical_identity_field(snake) or next((f for _, f in fields_in_text(name.replace("_", " "))), None)
    return found if found in IDENTITY_FIELDS else None


def _assemble(agent: AgentSpec, offline: AgentModel, answers: list[LLMAgentModel],
              sentences: list[str]) -> AgentModel:
    """The validated, merged LLM answers on top of what code computes (tools, rows, chains, sections)."""
    tool_names = [t.name for t in offline.tools]
    prompt_norm = _norm(agent.description)
    # Grounding compares words, so only where the intent names and the prompt share a language (English names).
    grounds = content_stems(" ".join([agent.description, *(f"{t.name} {t.description}" for t in offline.tools)])) \
        if prompt_language(agent) == "en" else None
    intents: list[IntentModel] = []
    for answer in answers:
        for item in answer.intents:
            name = " ".join(item.name.split()).strip(" .")
            if not name or len(name.split()) > 14 or _FRAGMENT.search(name) or not _grounded(name, grounds):
                continue
            intents.append(IntentModel(
                id=f"intent:{slugify(name)}", name=name, kind=item.kind if item.kind != "general" else
                intent_kind(name, " ".join(item.steps)), description=truncate(item.description, 600),
                steps=[truncate(s, 300) for s in item.steps][:14],
                tools=[t for t in dict.fromkeys(item.tools) if t in tool_names], success=truncate(item.success, 300),
                branches=[Branch(condition=b.condition, action=b.action,
                                 outcome=RowOutcome(b.outcome) if b.outcome in _OUTCOMES else
                                 branch_outcome(b.condition)) for b in item.branches][:8]))
    intents = merge_intents(intents)
    if prompt_language(agent) == "en":
        name_goals(intents, [], agent)  # the same caller-goal grammar as the offline engine
    policies: list[PolicyModel] = []
    seen: set[str] = set()
    for answer in answers:
        for item in answer.policies:
            text = verbatim(item.text, prompt_norm, sentences)
            if text is None or text.lower() in seen:
                continue
            seen.add(text.lower())
            kind = PolicyKind(item.kind) if item.kind in _KINDS else policy_kind(text, SectionRole.GUARDRAILS)
            policies.append(PolicyModel(id=f"policy:{len(policies) + 1}:{slugify(text, 32)}",
                                        kind=kind, text=text, trigger=item.trigger,
                                        response=item.response,
                                        probe=item.probe and is_probe(text, kind, SectionRole.GUARDRAILS,
                                                                      bool(re.match(r"(if|when)\b", text, re.I)))))
    verification = _verification(answers, tool_names, prompt_norm, sentences)
    attach_verification(intents, verification, offline.tools)
    finish_intents(intents, offline.tools)
    first = answers[0]
    domain = next((a.domain for a in answers if a.domain in DOMAINS and a.domain != "general"), offline.domain)
    language = next((a.language for a in answers if a.language and re.fullmatch(r"[a-z]{2}", a.language)),
                    offline.language)
    today = next((a.today for a in answers if a.today and (a.today in agent.description or
                                                           re.fullmatch(r"\d{4}-\d{2}-\d{2}", a.today))),
                 offline.today)
    speaks_first = agent.agent_gives_first_message if agent.agent_gives_first_message is not None else next(
        (a.speaks_first for a in answers if a.speaks_first is not None), offline.speaks_first)
    disclosures = [Disclosure(kind=d.kind, text=d.text) for a in answers for d in a.forbidden_disclosures if d.text]
    sensitive = {f.name: f for f in offline.sensitive_fields}
    for answer in answers:
        for item in answer.sensitive_fields:
            name = slugify(item.name, 40)
            sensitive[name] = SensitiveField(name=name, source="prompt", collect_allowed=item.collect_allowed) \
                if name not in sensitive else sensitive[name].model_copy(
                update={"collect_allowed": sensitive[name].collect_allowed and item.collect_allowed})
    return offline.model_copy(update={
        "engine": "llm",
        "organisation": first.organisation or offline.organisation,
        "persona_name": first.persona_name or offline.persona_name,
        "domain": domain,
        "caller_noun": first.caller_noun if first.caller_noun not in ("", "caller") else offline.caller_noun,
        "language": language,
        "today": today,
        "speaks_first": bool(speaks_first),
        "intents": intents,
        "policies": policies,
        "verification": verification,
        "forbidden_disclosures": disclosures or offline.forbidden_disclosures,
        "failure_modes": failure_modes_of(offline.tools, policies, intents),
        "sensitive_fields": list(sensitive.values()),
        "scope": list(dict.fromkeys([s for a in answers for s in a.scope] or offline.scope)),
    })


def _verification(answers: list[LLMAgentModel], tool_names: list[str], prompt_norm: str,
                  sentences: list[str]) -> Verification:
    """The answer's verification with canonical fields and a real tool (the part that states the most fields)."""
    best = max((a.verification for a in answers), key=lambda v: len(v.fields))
    fields = list(dict.fromkeys(f for f in (_canonical_field(name) for name in best.fields) if f))
    tool = best.tool if best.tool in tool_names else None
    text = verbatim(best.text, prompt_norm, sentences) or "" if best.text else ""
    return Verification(fields=fields, tool=tool, text=text)
