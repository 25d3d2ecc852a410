"""Write one knowledge-base scenario: LLM engine with validation, one re-ask and an offline fallback; or offline."""

from __future__ import annotations

import random
import re

from pydantic import BaseModel, Field

from scenarist.generation.knowledge.passages import Candidate, passage_kind, section_candidates
from scenarist.generation.knowledge.planning import CATEGORY_OUT_OF_SCOPE
from scenarist.generation.knowledge.prompts import (
    END_CALL_TOOL,
    OUT_OF_SCOPE_OUTCOME,
    PROMPT_VERSION,
    kb_out_of_scope_messages,
    kb_question_messages,
    render_kb_instructions,
)
from scenarist.generation.knowledge.questions import KBQuestion, clean, write_question
from scenarist.generation.knowledge.sections import Section, split_sections
from scenarist.generation.attempts import ask_validated
from scenarist.generation.naming import unique_name
from scenarist.generation.refusal import looks_like_refusal
from scenarist.generation.text import content_stems
from scenarist.generation.values import organisation_name
from scenarist.generation.types import (
    AgentAnalysis,
    AgentSpec,
    GeneratedScenario,
    GenerationRequest,
    KBDocument,
    KBPassage,
    KBSource,
    Provenance,
    Slot,
)
from scenarist.llm.port import StructuredLLM, Usage

ENGINE_OFFLINE = "offline"
ENGINE_LLM = "llm"
ENGINE_FALLBACK = "offline-fallback"
_DOCUMENT_TALK = re.compile(
    r"\b(documents?|knowledge ?base|kb|passages?|the (?:file|text|section|excerpt|source)|according to|"
    r"as (?:stated|written|described) in)\b", re.I)
_OUT_OF_SCOPE_FOLLOW_UP = "If the agent says it does not know, ask whether someone can get back to you."


class KBDraft(BaseModel):
    """What the LLM writes for one KB scenario."""

    name: str = Field(description="short title, at most 80 characters")
    caller_question: str = Field(description="the question in the caller's own words")
    expected_answer: str = Field(description="the correct answer (or, out of scope: the agent says it does not know)")


async def write_kb_item(
    agent: AgentSpec, analysis: AgentAnalysis, request: GenerationRequest, slot: Slot, *,
    llm: StructuredLLM | None, taken_names: set[str], seed: int,
) -> tuple[GeneratedScenario, Usage]:
    """One KB scenario for `slot`; `taken_names` gets the chosen name added."""
    rng = random.Random(seed)
    out_of_scope = slot.category == CATEGORY_OUT_OF_SCOPE or slot.kb_passage is None
    if out_of_scope:
        topic = slot.out_of_scope_topic or "something this business does not deal with"
        offline = KBQuestion(question=f"Hi, quick question. {topic}", answer=OUT_OF_SCOPE_OUTCOME,
                             follow_up=_OUT_OF_SCOPE_FOLLOW_UP, topic=topic)
        messages = kb_out_of_scope_messages(agent.name, agent.description, topic)
        validate = _out_of_scope_validator(topic)
    else:
        passage = slot.kb_passage
        doc = _document(agent, passage)
        candidate = locate_candidate(doc, passage)
        offline = write_question(candidate, rng)
        context = doc.text[candidate.section.start:candidate.section.end]
        messages = kb_question_messages(agent.name, agent.description, doc.file_name, passage.section, passage.quote,
                                        context)
        validate = _in_scope_validator(passage.quote)

    usage = Usage()
    engine, model, question = ENGINE_OFFLINE, None, offline
    if llm is not None:
        draft, usage = await ask_validated(llm, messages, KBDraft, validate, seed=seed)
        model = llm.model_name
        if draft is None:
            engine = ENGINE_FALLBACK
        else:
            engine = ENGINE_LLM
            answer = OUT_OF_SCOPE_OUTCOME if out_of_scope else draft.expected_answer.strip()
            question = KBQuestion(question=" ".join(draft.caller_question.split()), answer=answer,
                                  follow_up=offline.follow_up, topic=draft.name.strip() or offline.topic)
    return _scenario(agent, request, slot, question, out_of_scope, engine, model, seed, taken_names), usage


def locate_candidate(doc: KBDocument, passage: KBPassage) -> Candidate:
    """The planned passage as a Candidate (section context included); the quote must occur verbatim in the file."""
    start = doc.text.find(passage.quote)
    if not passage.quote or start < 0:
        raise ValueError(f"KB passage quote does not occur in file {passage.file_id} ({passage.file_name})")
    sections = split_sections(doc)
    for section in sections:
        if section.label == passage.section and passage.quote in doc.text[section.start:section.end]:
            match = next((c for c in section_candidates(doc, section) if c.quote == passage.quote), None)
            if match:
                return match
    section = next((s for s in sections if s.start <= start < s.end),
                   Section(doc.file_id, doc.file_name, passage.section or "whole file", 0, len(doc.text)))
    flat = clean(passage.quote)
    return Candidate(section, start, start + len(passage.quote), passage.quote, passage_kind(flat), 1.0,
                     subheading=section.heading)


def in_scope_problems(draft: KBDraft, quote: str) -> list[str]:
    """Why an in-scope KB draft cannot be used (empty list = usable)."""
    problems = _common_problems(draft)
    if not draft.expected_answer.strip():
        problems.append("expected_answer is empty")
    numbers = set(re.findall(r"\d+(?:[.,:]\d+)?", quote))
    if numbers and not numbers & set(re.findall(r"\d+(?:[.,:]\d+)?", draft.expected_answer)):
        problems.append(f"expected_answer must state the passage's figures exactly ({', '.join(sorted(numbers))})")
    flat_quote = clean(quote).lower()
    if len(flat_quote) > 40 and flat_quote in draft.caller_question.lower():
        problems.append("caller_question copies the passage; write it as the caller would say it")
    return problems


def out_of_scope_problems(draft: KBDraft, topic: str) -> list[str]:
    """Why an out-of-scope KB draft cannot be used (empty list = usable)."""
    problems = _common_problems(draft)
    if not content_stems(draft.caller_question) & content_stems(topic):
        problems.append("caller_question must ask about the given topic")
    return problems


def _common_problems(draft: KBDraft) -> list[str]:
    """Checks shared by both KB slot kinds."""
    problems = []
    if looks_like_refusal(draft.name, draft.caller_question):
        problems.append("the answer reads as a refusal or apology instead of the requested scenario")
    question = draft.caller_question.strip()
    if not question or len(question) > 500:
        problems.append("caller_question must be one natural question of at most 500 characters")
    if _DOCUMENT_TALK.search(question):
        problems.append("caller_question must not mention documents, files or a knowledge base")
    if not draft.name.strip():
        problems.append("name is empty")
    return problems


def _in_scope_validator(quote: str):
    """Validator bound to one passage."""
    return lambda draft: in_scope_problems(draft, quote)


def _out_of_scope_validator(topic: str):
    """Validator bound to one topic."""
    return lambda draft: out_of_scope_problems(draft, topic)


def _document(agent: AgentSpec, passage: KBPassage) -> KBDocument:
    """The KB file a passage comes from."""
    doc = next((d for d in agent.kb_files if d.file_id == passage.file_id), None)
    if doc is None:
        raise ValueError(f"KB file {passage.file_id} is not one of the agent's files")
    return doc


def _scenario(agent: AgentSpec, request: GenerationRequest, slot: Slot, question: KBQuestion, out_of_scope: bool,
              engine: str, model: str | None, seed: int, taken_names: set[str]) -> GeneratedScenario:
    """Assemble the GeneratedScenario."""
    if out_of_scope:
        base = f"KB gap: {question.topic if engine == ENGINE_LLM else slot.out_of_scope_topic or question.topic}"
    else:
        base = question.topic if engine == ENGINE_LLM else f"KB: {question.topic[:1].upper()}{question.topic[1:]}"
        if slot.kb_passage and engine != ENGINE_LLM:
            base += f" ({slot.kb_passage.file_name})"
    name = unique_name(base, taken_names)
    taken_names.add(name)
    sources = []
    if not out_of_scope and slot.kb_passage:
        sources = [KBSource(file_id=slot.kb_passage.file_id, file_name=slot.kb_passage.file_name,
                            quote=slot.kb_passage.quote)]
    return GeneratedScenario(
        index=slot.index,
        name=name,
        instructions=render_kb_instructions(
            organisation_name(agent.name, agent.description), question.question, question.follow_up,
            out_of_scope=out_of_scope,
            end_call=END_CALL_TOOL in request.caller_tool_ids, variant=slot.index,
        ),
        expected_outcome_prompt=OUT_OF_SCOPE_OUTCOME if out_of_scope else question.answer,
        personality_id=slot.personality_id,
        scenario_language=agent.language,
        scenario_type=request.scenario_type,
        category=slot.category,
        tags=["KnowledgeBase", slot.category],
        knowledge_base_sources=sources,
        covers=list(slot.covers),
        provenance=Provenance(engine=engine, model=model, prompt_version=PROMPT_VERSION, seed=seed),
    )
