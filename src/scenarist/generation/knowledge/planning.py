"""Plan knowledge-base slots: passages spread over files (weighted by size) and their sections, ~1 in 5 out of scope."""

from __future__ import annotations

import math

from scenarist.generation.knowledge.out_of_scope import OutOfScopeTopic, out_of_scope_topics
from scenarist.generation.knowledge.passages import Candidate, section_candidates
from scenarist.generation.knowledge.sections import Section, split_sections
from scenarist.generation.personas import assign_personalities
from scenarist.generation.planning import slot_seed
from scenarist.generation.types import (
    AgentAnalysis,
    AgentSpec,
    GenerationRequest,
    KBDocument,
    KBPassage,
    ScenarioKind,
    Slot,
)

CATEGORY_QUESTION = "kb_question"
CATEGORY_OUT_OF_SCOPE = "kb_out_of_scope"
COVER_OUT_OF_SCOPE = "kb:out_of_scope"


def plan_kb_slots(agent: AgentSpec, analysis: AgentAnalysis, request: GenerationRequest) -> list[Slot]:
    """n slots: in-scope questions on passages spread over the chosen files and sections, ~1 in 5 out of scope."""
    docs = selected_documents(agent, request)
    n = request.num_scenarios
    pools = {doc.file_id: ranked_sections(doc) for doc in docs}
    has_passages = any(pools.values())
    wanted_out = out_of_scope_count(n) if has_passages else n
    domain_text = " ".join([analysis.domain, agent.name]) if analysis.domain else f"{agent.name} {agent.description}"
    covered_text = "\n".join([agent.description, *(d.text for d in agent.kb_files)])
    topics = out_of_scope_topics(domain_text, covered_text, wanted_out, request.seed, must_fill=not has_passages)
    passages = pick_passages(docs, pools, n - len(topics)) if has_passages else []
    slots = _interleave(passages, topics, n, request)
    assign_personalities(slots, request.personalities)
    return slots


def selected_documents(agent: AgentSpec, request: GenerationRequest) -> list[KBDocument]:
    """The request's KB files (empty → all of the agent's files), in the agent's order."""
    if not request.kb_file_ids:
        return list(agent.kb_files)
    wanted = set(request.kb_file_ids)
    return [doc for doc in agent.kb_files if doc.file_id in wanted]


def out_of_scope_count(n: int) -> int:
    """About one in five, rounded to nearest: 1→0, 3→1, 5→1, 10→2, 20→4."""
    return (n + 2) // 5


def ranked_sections(doc: KBDocument) -> list[tuple[Section, list[Candidate]]]:
    """Sections that have candidates, in document order, each with its candidates best first."""
    out = []
    for section in split_sections(doc):
        candidates = sorted(section_candidates(doc, section), key=lambda c: (-c.score, c.start))
        if candidates:
            out.append((section, candidates))
    return out


def pick_passages(
    docs: list[KBDocument], pools: dict[int, list[tuple[Section, list[Candidate]]]], count: int
) -> list[Candidate]:
    """`count` candidates: files take turns (weighted by size), each file's picks spread evenly over its sections."""
    if count <= 0:
        return []
    usable = [doc for doc in docs if pools.get(doc.file_id)]
    allocation = allocate(usable, pools, count)
    per_file = {doc.file_id: spread_over_sections(pools[doc.file_id], allocation[doc.file_id]) for doc in usable}
    ordered: list[Candidate] = []
    while len(ordered) < count and any(per_file.values()):
        for doc in usable:
            if per_file[doc.file_id] and len(ordered) < count:
                ordered.append(per_file[doc.file_id].pop(0))
    return ordered


def allocate(docs: list[KBDocument], pools: dict[int, list[tuple[Section, list[Candidate]]]],
             count: int) -> dict[int, int]:
    """Slots per file: one each while they last, the rest by sqrt(text size), capped by each file's passages
    (the surplus moves to files with passages to spare; passages repeat only when the whole KB runs out)."""
    allocation = {doc.file_id: 0 for doc in docs}
    if not docs:
        return allocation
    capacity = {doc.file_id: sum(len(cands) for _, cands in pools[doc.file_id]) for doc in docs}
    weights = {doc.file_id: math.sqrt(max(len(doc.text), 1)) for doc in docs}
    for doc in sorted(docs, key=lambda d: -len(d.text))[:count]:
        allocation[doc.file_id] = 1
    while sum(allocation.values()) < count:
        open_files = [fid for fid in allocation if allocation[fid] < capacity[fid]] or list(allocation)
        # The file furthest below its weighted share gets the next slot (deterministic tie-break by order).
        total = sum(weights[f] for f in open_files)
        target = count - sum(allocation[f] for f in allocation if f not in open_files)
        best = max(open_files, key=lambda f: (target * weights[f] / total - allocation[f], -docs.index(
            next(d for d in docs if d.file_id == f))))
        allocation[best] += 1
    return allocation


def spread_over_sections(sections: list[tuple[Section, list[Candidate]]], k: int) -> list[Candidate]:
    """k candidates: round r takes the r-th best passage of evenly spaced sections (so not just the first pages);
    passages repeat only when the file has fewer than k."""
    picks: list[Candidate] = []
    depth = 0
    while len(picks) < k:
        available = [(s, c) for s, c in sections if len(c) > depth]
        if not available:
            break
        take = min(k - len(picks), len(available))
        for j in range(take):
            _, candidates = available[math.floor((j + 0.5) * len(available) / take)]
            picks.append(candidates[depth])
        depth += 1
    all_candidates = [c for _, cs in sections for c in cs]
    while len(picks) < k and all_candidates:
        picks.append(all_candidates[len(picks) % len(all_candidates)])
    return picks


def _interleave(passages: list[Candidate], topics: list[OutOfScopeTopic], n: int,
                request: GenerationRequest) -> list[Slot]:
    """Out-of-scope slots at evenly spaced positions among the in-scope ones; indexes 0..n-1."""
    positions = {round((j + 1) * n / (len(topics) + 1)) - 1 for j in range(len(topics))}
    positions = set(sorted(positions)[: len(topics)])
    slots: list[Slot] = []
    passage_iter, topic_iter = iter(passages), iter(topics)
    for index in range(n):
        topic = next(topic_iter, None) if index in positions else None
        candidate = None if topic else next(passage_iter, None)
        if topic is None and candidate is None:
            topic = next(topic_iter, None)
        if candidate is not None:
            slots.append(_question_slot(index, candidate, request))
        elif topic is not None:
            slots.append(_out_of_scope_slot(index, topic, request))
    return slots


def _question_slot(index: int, candidate: Candidate, request: GenerationRequest) -> Slot:
    """An in-scope question slot on one passage."""
    section = candidate.section
    return Slot(
        index=index,
        kind=ScenarioKind.KNOWLEDGE_BASE,
        category=CATEGORY_QUESTION,
        complication=candidate.kind,
        kb_passage=KBPassage(file_id=section.file_id, file_name=section.file_name, section=section.label,
                             quote=candidate.quote),
        covers=[f"kb:file:{section.file_id}:{section.label}"],
        seed=slot_seed(request.seed, index, ("kb", section.file_id, candidate.start)),
    )


def _out_of_scope_slot(index: int, topic: OutOfScopeTopic, request: GenerationRequest) -> Slot:
    """A slot asking something no KB file (nor the prompt) covers."""
    return Slot(
        index=index,
        kind=ScenarioKind.KNOWLEDGE_BASE,
        category=CATEGORY_OUT_OF_SCOPE,
        complication=topic.id,
        out_of_scope_topic=topic.question,
        covers=[COVER_OUT_OF_SCOPE],
        seed=slot_seed(request.seed, index, ("kb_out_of_scope", topic.id)),
    )
