"""Offline (deterministic) analysis of an agent into a coverage map: intents, tools, policies, identity fields."""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter

from .fields import fields_in_phrase, is_identity_field, is_person_field, is_sensitive_field, same_field
from .prompt_sections import Section, parse_sections, walk
from .text import (
    STOPWORDS,
    content_stems,
    flatten_values,
    leaf_key,
    placeholders,
    sentences,
    slugify,
    split_identifier,
    truncate,
    words,
)
from .types import AgentAnalysis, AgentSpec, Intent, Policy, ToolSpec, ToolSummary

ANALYSIS_VERSION = "analysis-1"
MAX_INTENTS = 24
MAX_POLICIES = 40
INTENT_DESCRIPTION_CHARS = 1500

_POLICY_TITLE = re.compile(r"\b(rules?|polic(y|ies)|guardrails?|guidelines?|restrictions?|compliance|security|privacy|"
                           r"safety|prohibited|important|constraints?|do ?n[o']t|never)\b", re.I)
_META_TITLE = re.compile(r"\b(role|identity|who you are|about you|persona|personality|tone|style|voice|overview|"
                         r"introduction|background|context|greeting|opening lines?|closing|ending|format|formatting|"
                         r"language|general|notes?|objective|purpose|verif\w*|authenticat\w*|reference)\b", re.I)
_CONTAINER_TITLE = re.compile(r"\b(workflows?|tasks?|capabilities|services|what you (?:can )?do|responsibilities|"
                              r"call flows?|use cases|procedures|intents|scenarios)\b", re.I)
_VERIFY_TITLE = re.compile(r"\b(verif\w*|identity|authenticat\w*|security check)\b", re.I)
_IDENTIFY_STEP = re.compile(r"^(identify|look up|find|confirm)\s+(the\s+)?(caller|patient|customer|member|client|user)\b", re.I)
_STYLE_TITLE = re.compile(r"\b(role|who you are|about you|persona|personality|tone|style|voice|greeting)\b", re.I)
_INFO_TITLE = re.compile(r"\b(information|info|faqs?|hours|location|prices|pricing|about us|contact)\b", re.I)
_POLICY_WORDS = re.compile(r"\b(never|must|only|do not|don't|always|verify|cannot|can't|not allowed|under no "
                           r"circumstances|refuse|should not|shouldn't|prohibited|may not|required|before (?:any|you))\b",
                           re.I)
_GUARDRAIL_WORDS = re.compile(r"\b(never|do not|don't|cannot|can't|not allowed|under no circumstances|refuse|should "
                              r"not|shouldn't|prohibited|may not|not share|not discuss|not give)\b", re.I)
_SPEAKS_FIRST = re.compile(r"\b(greet the caller|start (?:the|each) call|begin (?:the call )?by (?:saying|greeting)|"
                           r"open (?:the call )?with|introduce yourself)\b", re.I)

_INTENT_KINDS: list[tuple[str, re.Pattern[str]]] = [
    ("cancellation", re.compile(r"\bcancel", re.I)),
    ("change", re.compile(r"\b(reschedul|chang|updat|modif|mov(e|ing)|address)", re.I)),
    ("booking", re.compile(r"\b(book|schedul|reserv|appointment|order(ing)? (a|new))", re.I)),
    ("payment", re.compile(r"\b(pay|refund|bill|invoice|charge|dispute|transaction|fee|credit)", re.I)),
    ("report", re.compile(r"\b(lost|stolen|report|complain|missing|wrong|damag|problem|issue|emergenc|pain|fraud)", re.I)),
    ("status", re.compile(r"\b(status|track|where|balance|check|activat|look ?up)", re.I)),
    ("inquiry", re.compile(r"\b(information|info|question|faq|hours|location|price|policy|explain)", re.I)),
    ("escalation", re.compile(r"\b(transfer|escalat|human|supervisor|manager)", re.I)),
]

_DOMAINS: list[tuple[str, re.Pattern[str]]] = [
    ("dental clinic", re.compile(r"\bdent(al|ist)\b", re.I)),
    ("healthcare", re.compile(r"\b(clinic|patient|doctor|hospital|pharmacy|medical)\b", re.I)),
    ("banking and cards", re.compile(r"\b(bank|card|credit|debit|account balance)\b", re.I)),
    ("food delivery", re.compile(r"\b(food|delivery|restaurant|courier|order)\b", re.I)),
    ("airline", re.compile(r"\b(flight|airline|boarding|baggage|pnr)\b", re.I)),
    ("insurance", re.compile(r"\b(insurance|claim|policyholder|premium)\b", re.I)),
    ("hospitality", re.compile(r"\b(hotel|reservation|check-in|room)\b", re.I)),
    ("telecom", re.compile(r"\b(mobile plan|data plan|sim|broadband|router)\b", re.I)),
    ("retail", re.compile(r"\b(store|shop|return|exchange|purchase)\b", re.I)),
]


def version_hash(agent: AgentSpec) -> str:
    """Stable hash of everything analysis reads (description, tools, variables, KB texts, language)."""
    payload = {
        "v": ANALYSIS_VERSION,
        "description": agent.description,
        "language": agent.language,
        "first": agent.agent_gives_first_message,
        "tools": [tool.model_dump(mode="json", exclude={"id"}) for tool in agent.tools],
        "variables": [variable.model_dump(mode="json") for variable in agent.variables],
        "kb": [hashlib.sha256(doc.text.encode()).hexdigest() for doc in agent.kb_files],
    }
    raw = json.dumps(payload, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(raw.encode()).hexdigest()[:32]


def analyse_offline(agent: AgentSpec) -> AgentAnalysis:
    """Deterministic text analysis of the agent's prompt, tools and variables into an AgentAnalysis."""
    preamble, roots = parse_sections(agent.description)
    tools = [summarise_tool(tool, agent.tools) for tool in agent.tools]
    intents = _intents_from_sections(roots) or _intents_from_tools(agent.tools)
    intents = _dedupe_intents(intents)[:MAX_INTENTS]
    _map_tools_to_intents(intents, agent.tools)
    _attach_verification_tools(intents, roots, agent.tools)
    policies = _policies(agent.description, roots, intents)
    return AgentAnalysis(
        agent_name=agent.name,
        domain=_domain(agent),
        language=agent.language or "en",
        speaks_first=_speaks_first(agent),
        intents=intents,
        tools=tools,
        policies=policies,
        identity_fields=identity_fields(agent),
        variables=agent_variables(agent),
        assets=_assets(agent, policies),
        version_hash=version_hash(agent),
    )


# ---------------------------------------------------------------- tools


def summarise_tool(tool: ToolSpec, all_tools: list[ToolSpec] | None = None) -> ToolSummary:
    """What a tool needs (parameter names / mock input keys) and returns (mock output keys)."""
    needs = _tool_input_keys(tool)
    returns: list[str] = []
    for row in tool.information:
        for key, _ in flatten_values(row.output):
            leaf = leaf_key(key)
            if leaf and leaf not in returns:
                returns.append(leaf)
    return ToolSummary(
        id=f"tool:{tool.name}",
        name=tool.name,
        description=tool.description,
        needs=needs,
        returns=returns,
        has_mock_rows=bool(tool.information),
    )


def _tool_input_keys(tool: ToolSpec) -> list[str]:
    """Parameter names from the JSON schema, then keys seen in mock inputs."""
    keys: list[str] = []
    properties = (tool.parameters or {}).get("properties") if isinstance(tool.parameters, dict) else None
    if isinstance(properties, dict):
        keys.extend(str(k) for k in properties)
    for row in tool.information:
        if isinstance(row.input, dict):
            for key in row.input:
                if str(key) not in keys:
                    keys.append(str(key))
    return [k for k in keys if k not in tool.freetext_params] + [k for k in keys if k in tool.freetext_params]


def returned_fields(tools: list[ToolSpec]) -> set[str]:
    """Every leaf key any tool returns in its mock rows."""
    out: set[str] = set()
    for tool in tools:
        for row in tool.information:
            out.update(leaf_key(k) for k, _ in flatten_values(row.output))
    return out


def identity_fields(agent: AgentSpec) -> list[str]:
    """Caller-facing identity fields: lookup inputs the caller must know, person fields in outputs, prompt phrases."""
    returned = returned_fields(agent.tools)
    found: list[str] = []

    def add(name: str) -> None:
        if not any(same_field(name, existing) for existing in found):
            found.append(name)

    for tool in agent.tools:
        for key in _tool_input_keys(tool):
            # An id another tool returns (patient_id, appointment_id) is internal, not something the caller says.
            if is_identity_field(key) and (is_person_field(key) or key not in returned):
                add(key)
    for tool in agent.tools:
        for row in tool.information:
            for key, _ in flatten_values(row.output):
                leaf = leaf_key(key)
                if is_person_field(leaf) and not leaf.startswith(("guardian", "courier")) and "address" not in leaf:
                    add(leaf)
    for sentence in sentences(agent.description):
        if re.search(r"\b(verify|confirm|ask for|identify|authenticate)\b", sentence, re.I) and re.search(
            r"\b(caller|customer|patient|member|their|identity)\b", sentence, re.I
        ):
            for name in fields_in_phrase(sentence):
                add(name)
    return found


def agent_variables(agent: AgentSpec) -> list[str]:
    """Declared dynamic variables, then `{{var}}` placeholders of the prompt (excluding test_profile refs)."""
    names = [v.name for v in agent.variables]
    for name in placeholders(agent.description):
        if not name.startswith(("test_profile", "agent.", "evaluator")) and name not in names:
            names.append(name)
    return names


# ---------------------------------------------------------------- intents


def _classify(section: Section) -> str:
    """policy | meta | container | info | intent."""
    title = section.title
    if _POLICY_TITLE.search(title):
        return "policy"
    if _CONTAINER_TITLE.search(title):
        return "container"
    if _INFO_TITLE.search(title):
        return "info"
    if _META_TITLE.search(title):
        return "meta"
    return "intent"


def _intent_from(title: str, steps: list[str], body: str, kind_hint: str | None = None) -> Intent:
    """Build an Intent from a section-like block."""
    name = re.sub(r"^(workflow|flow|task|intent)\s*[:\-–]\s*", "", title.strip(), flags=re.I).strip(" :")
    return Intent(
        id=f"intent:{slugify(name)}",
        name=name,
        description=truncate(body, INTENT_DESCRIPTION_CHARS),
        steps=[truncate(s, 240) for s in steps][:12],
        kind=kind_hint or intent_kind(name, " ".join(steps)),
    )


ITEM_TITLE_MAX_WORDS = 8
_TOOL_TAIL = re.compile(r"\s+(?:with|using|via|through|by calling|and call)\s+[a-z]+_[a-z0-9_]+\b.*$", re.I)


def _item_title_and_steps(item: str) -> tuple[str, list[str]]:
    """Split a list item into a short intent title and its steps.

    'Identify the patient: ask for their name, then call `lookup_patient`.' → ('Identify the patient', [...]);
    'Book appointments with `book_appointment` (cleaning, …). Offer two slots.' → ('Book appointments', [...]).
    """
    text = " ".join(item.split())
    head, colon, rest = text.partition(":")
    if not colon or len(head.split()) > ITEM_TITLE_MAX_WORDS:
        parts = sentences(text) or [text]
        head, rest = parts[0], " ".join(parts[1:])
    head = re.sub(r"\s*\([^)]*\)", "", head).replace("`", "")
    head = _TOOL_TAIL.sub("", head).strip(" .;,")
    words = head.split()
    if len(words) > ITEM_TITLE_MAX_WORDS:
        head = " ".join(words[:ITEM_TITLE_MAX_WORDS])
    steps = sentences(rest) if rest.strip() else []
    return head or truncate(text, 60), steps or [text]


def _intents_from_items(items: list[str]) -> list[Intent]:
    """Intents from the list items of a container section; verification steps are not caller goals."""
    intents = []
    for item in items:
        title, steps = _item_title_and_steps(item)
        if not _VERIFY_TITLE.search(title) and not _IDENTIFY_STEP.match(title):
            intents.append(_intent_from(title, steps, item))
    return intents


def _verification_items(roots: list[Section]) -> list[str]:
    """List items of container sections that describe identifying/verifying the caller."""
    found = []
    for section in walk(roots):
        if _classify(section) == "container":
            for item in section.items:
                title, _ = _item_title_and_steps(item)
                if _VERIFY_TITLE.search(title) or _IDENTIFY_STEP.match(title):
                    found.append(item)
    return found


def _intents_from_sections(roots: list[Section]) -> list[Intent]:
    """Leaf sections that describe a workflow become intents; containers contribute their children or bullets."""
    intents: list[Intent] = []
    for section in walk(roots):
        kind = _classify(section)
        if kind in ("policy", "meta") and not section.children:
            continue
        if section.children:
            if kind == "container" and not any(_classify(c) in ("intent", "info") for c in section.children):
                intents.extend(_intents_from_items(section.items))
            continue
        if kind == "container":
            intents.extend(_intents_from_items(section.items))
            continue
        if kind == "info":
            if section.items or section.text:
                steps = section.items or sentences(section.text)
                intents.append(_intent_from(f"Ask about {section.title.lower()}", steps, section.full_text(),
                                            "inquiry"))
            continue
        steps = section.items or sentences(section.text)
        if steps:
            intents.append(_intent_from(section.title, steps, section.full_text()))
    return intents


def _intents_from_tools(tools: list[ToolSpec]) -> list[Intent]:
    """Fallback for unstructured prompts: one intent per tool."""
    intents = []
    for tool in tools:
        name = " ".join(split_identifier(tool.name)).capitalize()
        steps = [tool.description] if tool.description else []
        intents.append(_intent_from(name, steps, tool.description))
    return intents


def _dedupe_intents(intents: list[Intent]) -> list[Intent]:
    """Drop intents whose id repeats."""
    seen: set[str] = set()
    out = []
    for intent in intents:
        if intent.id not in seen:
            seen.add(intent.id)
            out.append(intent)
    return out


def intent_kind(name: str, steps_text: str = "") -> str:
    """Rough family of an intent (booking, cancellation, change, payment, report, status, inquiry, escalation)."""
    for kind, pattern in _INTENT_KINDS:
        if pattern.search(name):
            return kind
    for kind, pattern in _INTENT_KINDS:
        if pattern.search(steps_text):
            return kind
    return "general"


def _map_tools_to_intents(intents: list[Intent], tools: list[ToolSpec]) -> None:
    """Attach each tool to the intents that mention it, else to the best keyword match."""
    for tool in tools:
        mentioned = [i for i in intents if re.search(rf"\b{re.escape(tool.name)}\b", f"{i.name}\n{i.description}\n"
                                                     + "\n".join(i.steps))]
        for intent in mentioned:
            if tool.name not in intent.tools:
                intent.tools.append(tool.name)
        if mentioned:
            continue
        tool_stems = content_stems(tool.name) | content_stems(tool.description)
        best, best_score = None, 0
        for intent in intents:
            score = 2 * len(content_stems(tool.name) & content_stems(intent.name))
            score += len(tool_stems & content_stems(" ".join(intent.steps)))
            if score > best_score:
                best, best_score = intent, score
        if best is not None and best_score >= 2:
            best.tools.append(tool.name)


def _attach_verification_tools(intents: list[Intent], roots: list[Section], tools: list[ToolSpec]) -> None:
    """Tools named in a verification section are a first step of every transactional intent."""
    verification_text = "\n".join([s.full_text() for s in walk(roots) if _VERIFY_TITLE.search(s.title)]
                                  + _verification_items(roots))
    if not verification_text:
        return
    for tool in tools:
        if re.search(rf"\b{re.escape(tool.name)}\b", verification_text):
            for intent in intents:
                if intent.kind != "inquiry" and tool.name not in intent.tools:
                    intent.tools.insert(0, tool.name)


# ---------------------------------------------------------------- policies, domain, assets


def _policies(prompt: str, roots: list[Section], intents: list[Intent]) -> list[Policy]:
    """Rule sentences: everything in policy sections, plus sentences with policy wording anywhere."""
    texts: list[tuple[str, str | None]] = []
    intent_by_title = {i.name.lower(): i.id for i in intents}
    for section in walk(roots):
        in_policy_section = _classify(section) == "policy"
        style_section = bool(_STYLE_TITLE.search(section.title)) and not in_policy_section
        owner = intent_by_title.get(section.title.lower())
        body = section.items or sentences(section.text)
        for line in body:
            for sentence in sentences(line):
                if style_section and not _GUARDRAIL_WORDS.search(sentence):
                    continue  # "always use British English" is style, not a rule worth probing
                if in_policy_section or _POLICY_WORDS.search(sentence):
                    texts.append((sentence, owner))
    if not roots:
        texts.extend((s, None) for s in sentences(prompt) if _POLICY_WORDS.search(s))
    policies: list[Policy] = []
    seen: set[str] = set()
    for text, owner in texts:
        clean = text.strip(" -*•").strip()
        key = clean.lower()
        if len(clean) < 12 or key in seen:
            continue
        seen.add(key)
        kind = "guardrail" if _GUARDRAIL_WORDS.search(clean) else "policy"
        policies.append(Policy(id=f"policy:{len(policies) + 1}", text=truncate(clean, 300), kind=kind, intent_id=owner))
        if len(policies) >= MAX_POLICIES:
            break
    return policies


def _domain(agent: AgentSpec) -> str:
    """A short domain label from a small lexicon, else the most frequent content words."""
    text = f"{agent.name}\n{agent.description}"
    for label, pattern in _DOMAINS:  # ordered most specific first
        if len(pattern.findall(text)) >= 2:
            return label
    counts = Counter(w for w in words(text) if w not in STOPWORDS and len(w) > 3)
    return " ".join(w for w, _ in counts.most_common(3))


def domain_words(agent: AgentSpec, limit: int = 12) -> list[str]:
    """Most frequent content words of the prompt (domain vocabulary)."""
    counts = Counter(w for w in words(agent.description) if w not in STOPWORDS and len(w) > 3 and not w.isdigit())
    return [w for w, _ in counts.most_common(limit)]


def _speaks_first(agent: AgentSpec) -> bool | None:
    """The agent's own flag, else a hint from the prompt ('greet the caller…')."""
    if agent.agent_gives_first_message is not None:
        return agent.agent_gives_first_message
    return True if _SPEAKS_FIRST.search(agent.description) else None


def _assets(agent: AgentSpec, policies: list[Policy]) -> list[str]:
    """Things worth attacking: `system_prompt`, `tool:<name>`, `field:<name>` (sensitive mock data), `policy:<n>`."""
    assets = ["system_prompt"]
    assets.extend(f"tool:{tool.name}" for tool in agent.tools)
    for tool in agent.tools:
        for row in tool.information:
            for key, _ in flatten_values(row.output):
                leaf = leaf_key(key)
                if is_sensitive_field(leaf) and f"field:{leaf}" not in assets:
                    assets.append(f"field:{leaf}")
    assets.extend(p.id for p in policies if p.kind == "guardrail")
    return assets
