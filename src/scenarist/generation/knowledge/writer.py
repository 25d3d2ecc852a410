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
from scenarist.generation.diversity import is_near_duplicate, most_similar
from scenarist.generation.knowledge.checks import question_problems
from scenarist.generation.knowledge.phrases import kb_phrases
from scenarist.generation.knowledge.questions import SPOKEN_FORMS, KBQuestion, _figure, clean, write_question_in
from scenarist.generation.knowledge.sections import Section, split_sections
from scenarist.generation.attempts import ask_validated
from scenarist.generation.naming import unique_name
from scenarist.generation.refusal import looks_like_refusal
from scenarist.generation.text import content_stems
from scenarist.generation.values import organisation_name
from scenarist.generation.understanding.language import detect_language
from scenarist.generation.types import (
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


class KBDraft(BaseModel):
    """What the LLM writes for one KB scenario."""

    name: str = Field(description="short title, at most 80 characters")
    caller_question: str = Field(description="the question in the caller's own words")
    expected_answer: str = Field(description="the correct answer (or, out of scope: the agent says it does not know)")


MAX_VARIATIONS = 6  # offline rewrites tried while an item is a near duplicate of an accepted one


async def write_kb_item(
    agent: AgentSpec, model, request: GenerationRequest, slot: Slot, *,
    llm: StructuredLLM | None, taken_names: set[str], seed: int, accepted: list[GeneratedScenario] | None = None,
) -> tuple[GeneratedScenario, Usage]:
    """One KB scenario for `slot`; `taken_names` gets the chosen name added. Neither engine delivers a near
    duplicate of an `accepted` item (or of the agent's existing scenarios) when another wording avoids it."""
    out_of_scope = slot.category == CATEGORY_OUT_OF_SCOPE or slot.kb_passage is None
    others = [(e.name, e.instructions) for e in agent.existing_scenarios if e.instructions]
    others += [(a.name, a.instructions) for a in accepted or [] if a.index != slot.index]
    end_call = END_CALL_TOOL in request.caller_tool_ids
    org = organisation_name(agent.name, agent.description)
    words = kb_phrases(getattr(model, "language", None) or agent.language)
    candidate = None
    if out_of_scope:
        topic = slot.out_of_scope_topic or "something this business does not deal with"
        messages = kb_out_of_scope_messages(agent.name, agent.description, topic)
        check = _out_of_scope_validator(topic)
    else:
        passage = slot.kb_passage
        doc = _document(agent, passage)
        candidate = locate_candidate(doc, passage)
        context = doc.text[candidate.section.start:candidate.section.end]
        messages = kb_question_messages(agent.name, agent.description, doc.file_name, passage.section, passage.quote,
                                        context)
        check = _in_scope_validator(candidate)

    if words.code != "en":
        messages = [*messages[:-1], {**messages[-1], "content": messages[-1]["content"] + (
            f"\nThe caller speaks the agent's language ({words.code}): write caller_question in that language; "
            f"expected_answer stays in English.")}]
        check = _in_language(check, words.code)

    def instructions(question: KBQuestion, variant: int) -> str:
        return render_kb_instructions(org, question.question, question.follow_up, out_of_scope=out_of_scope,
                                      end_call=end_call, variant=variant, language=words.code)

    def offline(k: int) -> KBQuestion:
        if candidate is None:
            openers = _OOS_OPENERS if words.code == "en" else words.bare_openers
            return KBQuestion(question=f"{openers[(slot.index + k) % len(openers)]} {topic}",
                              answer=OUT_OF_SCOPE_OUTCOME, follow_up=words.out_of_scope_follow_up, topic=topic)
        return write_question_in(candidate, random.Random(seed + 7919 * k), words)

    best: tuple[float, KBQuestion, int] | None = None
    for k in range(MAX_VARIATIONS):
        question, variant = offline(k), slot.index + 5 * k
        score, _ = most_similar(instructions(question, variant), others)
        if best is None or score < best[0]:
            best = (score, question, variant)
        if not is_near_duplicate(score):
            break
    _, question, variant = best  # type: ignore[misc]

    usage = Usage()
    engine, llm_model = ENGINE_OFFLINE, None
    if llm is not None:
        def validate(draft: KBDraft) -> list[str]:
            problems = check(draft)
            draft_question = KBQuestion(" ".join(draft.caller_question.split()), "", question.follow_up, "")
            score, other = most_similar(instructions(draft_question, slot.index), others)
            if is_near_duplicate(score):
                problems.append(f"the question is {score:.2f} similar to {other!r}; ask about it differently")
            return problems

        draft, usage = await ask_validated(llm, messages, KBDraft, validate, seed=seed)
        llm_model = llm.model_name
        if draft is None:
            engine = ENGINE_FALLBACK
        else:
            engine, variant = ENGINE_LLM, slot.index
            answer = OUT_OF_SCOPE_OUTCOME if out_of_scope else (
                f"{draft.expected_answer.strip()} {SPOKEN_FORMS} (Source: {slot.kb_passage.file_name}, "
                f"{slot.kb_passage.section}: {slot.kb_passage.quote})")
            question = KBQuestion(question=" ".join(draft.caller_question.split()), answer=answer,
                                  follow_up=question.follow_up, topic=draft.name.strip() or question.topic)
    item = _scenario(agent, request, slot, question, out_of_scope, engine, llm_model, seed, taken_names,
                     instructions(question, variant))
    return item, usage


_OOS_OPENERS = ("Hi, quick question.", "Hello there, I was wondering something.", "Hi, maybe you can help me.",
                "Good morning, just one thing.", "Hi, sorry, random question.", "Hello! Before I forget:")


def locate_candidate(doc: KBDocument, passage: KBPassage) -> Candidate:
    """The planned passage as a Candidate (section context included); the quote must occur verbatim in the file."""
    start = doc.text.find(passage.quote)
    for section in split_sections(doc):  # the planned candidate: its quote, in its section, row or JSON leaf
        match = next((c for c in section_candidates(doc, section) if c.quote == passage.quote
                      and passage.section in (section.label, c.subheading)), None)
        if match:
            return match
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


def in_scope_problems(draft: KBDraft, candidate: Candidate) -> list[str]:
    """Why an in-scope KB draft cannot be used (empty list = usable); spoken figures are fine in the answer."""
    problems = _common_problems(draft)
    if not draft.expected_answer.strip():
        problems.append("expected_answer is empty")
    flat_quote = clean(candidate.quote).lower()
    if len(flat_quote) > 40 and flat_quote in draft.caller_question.lower():
        problems.append("caller_question copies the passage; write it as the caller would say it")
    problems += question_problems(draft.caller_question, candidate.quote,
                                  figure=_figure(clean(candidate.quote), candidate.kind),
                                  columns=candidate.section.columns)
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


def _in_scope_validator(candidate: Candidate):
    """Validator bound to one passage."""
    return lambda draft: in_scope_problems(draft, candidate)


def _out_of_scope_validator(topic: str):
    """Validator bound to one topic."""
    return lambda draft: out_of_scope_problems(draft, topic)


def _in_language(check, language: str):
    """A validator that also rejects a caller question written in English for a non-English agent."""
    def validate(draft: KBDraft) -> list[str]:
        problems = check(draft)
        if detect_language(draft.caller_question) == "en":
            problems.append(f"caller_question must be in the agent's language ({language}), not English")
        return problems
    return validate


def _document(agent: AgentSpec, passage: KBPassage) -> KBDocument:
    """The KB file a passage comes from."""
    doc = next((d for d in agent.kb_files if d.file_id == passage.file_id), None)
    if doc is None:
        raise ValueError(f"KB file {passage.file_id} is not one of the agent's files")
    return doc


def _scenario(agent: AgentSpec, request: GenerationRequest, slot: Slot, question: KBQuestion, out_of_scope: bool,
              engine: str, model: str | None, seed: int, taken_names: set[str], instructions: str) -> GeneratedScenario:
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
        instructions=instructions,
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
