"""Plan knowledge-base slots: one question per topic (a section, a table row, a JSON group) across files before any
topic is asked twice, and a share of out-of-scope questions chosen by n and by how many topics the KB has."""

from __future__ import annotations


from scenarist.generation.knowledge.phrases import kb_phrases
from scenarist.generation.knowledge.out_of_scope import OutOfScopeTopic, out_of_scope_topics
from scenarist.generation.knowledge.passages import Candidate, section_candidates
from scenarist.generation.knowledge.sections import Section, split_sections
from scenarist.generation.personas import assign_personalities
from scenarist.generation.planning import slot_seed
from scenarist.generation.types import (
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


def plan_kb_slots(agent: AgentSpec, model, request: GenerationRequest) -> list[Slot]:
    """n slots: in-scope questions, one per topic across files first, and out-of-scope questions near the KB."""
    docs = selected_documents(agent, request)
    n = request.num_scenarios
    pools = {doc.file_id: ranked_sections(doc) for doc in docs}
    has_passages = any(pools.values())
    topics = sum(len(topic_pools(pools[d.file_id])) for d in docs)
    wanted_out = out_of_scope_count(n, topics) if has_passages else n
    domain = getattr(model, "domain", "") or ""
    domain = "" if domain == "general" else domain
    domain_text = " ".join([domain, agent.name]) if domain else f"{agent.name} {agent.description}"
    covered_text = "\n".join([agent.description, *(d.text for d in agent.kb_files)])
    near_text = "\n".join([*(d.file_name for d in docs), *(f"{s.label} {s.heading or ''}" for pool in pools.values()
                                                         for s, _ in pool), *getattr(model, "scope", [])])
    language = getattr(model, "language", None) or agent.language or "en"
    gaps = out_of_scope_topics(domain_text, covered_text, wanted_out, request.seed, must_fill=not has_passages,
                               near_text=near_text, language=kb_phrases(language).code)
    passages = pick_passages(docs, pools, n - len(gaps)) if has_passages else []
    slots = _interleave(passages, gaps, n, request)
    assign_personalities(slots, request.personalities)
    return slots


def selected_documents(agent: AgentSpec, request: GenerationRequest) -> list[KBDocument]:
    """The request's KB files (empty → all of the agent's files), in the agent's order."""
    if not request.kb_file_ids:
        return list(agent.kb_files)
    wanted = set(request.kb_file_ids)
    return [doc for doc in agent.kb_files if doc.file_id in wanted]


def out_of_scope_count(n: int, topics: int) -> int:
    """Out-of-scope questions for n: none below 3; one for 3–7; then about one in eight while the KB still has
    unasked topics, and half of the excess once n outruns its topics (a small KB gets more gap questions rather
    than the same topics asked again)."""
    if n < 3:
        return 0
    base = 1 if n < 8 else round(n / 8)
    excess = max(0, n - base - topics)
    return min(n - 1, base + (excess + 1) // 2)


def ranked_sections(doc: KBDocument) -> list[tuple[Section, list[Candidate]]]:
    """Sections that have candidates, in document order, each with its candidates best first."""
    out = []
    for section in split_sections(doc):
        candidates = sorted(section_candidates(doc, section), key=lambda c: (-c.score, c.start))
        if candidates:
            out.append((section, candidates))
    return out


def topic_key(candidate: Candidate) -> tuple[int, str]:
    """The topic a candidate belongs to: its table row for CSV, else its section."""
    if candidate.kind in ("csv_row", "json_value"):
        return candidate.section.file_id, candidate.subheading or str(candidate.start)
    return candidate.section.file_id, candidate.section.label


def topic_pools(sections: list[tuple[Section, list[Candidate]]]) -> list[list[Candidate]]:
    """A file's topics in document order, each with its candidates best first."""
    pools: dict[tuple[int, str], list[Candidate]] = {}
    for _, candidates in sections:
        for candidate in candidates:
            pools.setdefault(topic_key(candidate), []).append(candidate)
    return list(pools.values())


def spread_order(count: int) -> list[int]:
    """0..count-1 in an order that spreads early picks over the whole range (0, mid, quarters, …)."""
    order: list[int] = []
    step = count
    while len(order) < count:
        for i in range(0, count, max(step, 1)):
            if i not in order:
                order.append(i)
        step //= 2
        if step == 0:
            order.extend(i for i in range(count) if i not in order)
    return order


def pick_passages(
    docs: list[KBDocument], pools: dict[int, list[tuple[Section, list[Candidate]]]], count: int
) -> list[Candidate]:
    """`count` candidates: files take turns, each giving its next unasked topic (spread over the file), so no topic
    is asked twice while another is unasked; later rounds take each topic's next-best passage."""
    if count <= 0:
        return []
    usable = sorted((d for d in docs if pools.get(d.file_id)), key=lambda d: -len(d.text))
    queues = {}
    for doc in usable:
        file_topics = topic_pools(pools[doc.file_id])
        ordered = [file_topics[i] for i in spread_order(len(file_topics))]
        # Sections of one file often share a shape (every location opens with its address): the k-th topic
        # leads with its k-th best passage, so the first round asks different kinds of things.
        queues[doc.file_id] = [t[k % len(t):] + t[:k % len(t)] for k, t in enumerate(ordered)]
    picks: list[Candidate] = []
    depth = 0
    while len(picks) < count and any(any(len(t) > depth for t in q) for q in queues.values()):
        rounds = {fid: [t[depth] for t in q if len(t) > depth] for fid, q in queues.items()}
        while len(picks) < count and any(rounds.values()):
            for doc in usable:
                if rounds[doc.file_id] and len(picks) < count:
                    picks.append(rounds[doc.file_id].pop(0))
        depth += 1
    everything = [c for q in queues.values() for t in q for c in t]
    while len(picks) < count and everything:
        picks.append(everything[len(picks) % len(everything)])
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
        kb_passage=KBPassage(file_id=section.file_id, file_name=section.file_name,
                             section=candidate.subheading if candidate.kind in ("csv_row", "json_value")
                             and candidate.subheading
                             else section.label, quote=candidate.quote),
        covers=[f"kb:file:{section.file_id}:{topic_key(candidate)[1]}"],
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
