"""In-process offline generation from an agent directory: no server, no Django, no network (for users' CI).

    result = generate_from_dir("examples/dental-agent", GenerationRequest(num_scenarios=20))
    records = suite_records(result, request)   # the same records `scenarios export` writes
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from scenarist.agents.extraction import ExtractionError, extract_text
from scenarist.catalog.seed_metrics import PREDEFINED_METRICS
from scenarist.catalog.seed_personalities import GLOBAL_PERSONALITIES
from scenarist.client.agent_dir import AgentDirectory, AgentDirError, load_agent_dir
from scenarist.generation.personas import catalogue_for
from scenarist.generation.pipeline import generate
from scenarist.llm.estimate import EstimatingLLM
from scenarist.generation.types import (
    AgentSpec,
    GeneratedScenario,
    GenerationRequest,
    GenerationResult,
    KBDocument,
    PersonalitySpec,
    ToolSpec,
    VariableSpec,
)

PLACEHOLDER_RE = re.compile(r"\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}")
# Offline runs share the server's extraction code but with explicit limits (no Django settings here).
KB_MAX_FILE_BYTES = 50 * 1024 * 1024
KB_MAX_CHARS = 5_000_000
KB_MAX_PDF_PAGES = 2_000
DEFAULT_METRIC_NAMES = [m["name"] for m in PREDEFINED_METRICS if m.get("is_default")]


@dataclass(frozen=True)
class CataloguePersonality:
    """A personality of the global catalogue, with the offline id generation refers to it by."""

    id: int
    name: str
    spec: PersonalitySpec


CATALOGUE = [
    CataloguePersonality(index, row["name"], PersonalitySpec(
        id=index, name=row["name"], language=row.get("language", "en"), mood=row.get("mood", "neutral"),
        interruption_level=row.get("interruption_level", "none"), speed=row.get("speed", 1.0)))
    for index, row in enumerate(GLOBAL_PERSONALITIES, start=1)
]
DEFAULT_PERSONALITY = next(p for p, row in zip(CATALOGUE, GLOBAL_PERSONALITIES) if row.get("is_default"))


def personalities_by_name(names: list[str]) -> list[PersonalitySpec]:
    """Catalogue personalities by name (case-insensitive); AgentDirError listing the valid names otherwise."""
    known = {p.name.lower(): p for p in CATALOGUE}
    missing = [name for name in names if name.lower() not in known]
    if missing:
        raise AgentDirError(f"unknown personality {', '.join(map(repr, missing))}; "
                            f"choose from: {', '.join(p.name for p in CATALOGUE)}")
    return [known[name.lower()].spec for name in names]


def agent_spec_from_dir(directory: AgentDirectory) -> AgentSpec:
    """The AgentSpec generation reads, built from an agent directory (KB text extracted like the server does)."""
    fields = directory.fields
    declared = {v["name"] for v in directory.variables}
    variables = [VariableSpec(**v) for v in directory.variables]
    for name in dict.fromkeys(PLACEHOLDER_RE.findall(directory.description)):
        if name not in declared:
            variables.append(VariableSpec(name=name))
    tools = [ToolSpec(id=number, **tool) for number, tool in enumerate(directory.tools, start=1)]
    return AgentSpec(
        name=str(fields["agent_name"]), description=directory.description, language=fields.get("language") or "en",
        inbound=bool(fields.get("inbound", True)), agent_gives_first_message=fields.get("agent_gives_first_message"),
        tools=tools, variables=variables, kb_files=_kb_documents(directory.kb_files),
    )


def _kb_documents(paths: list[Path]) -> list[KBDocument]:
    documents = []
    for number, path in enumerate(paths, start=1):
        data = path.read_bytes()
        if len(data) > KB_MAX_FILE_BYTES:
            raise AgentDirError(f"{path}: larger than the {KB_MAX_FILE_BYTES // (1024 * 1024)} MB limit")
        try:
            extracted = extract_text(path.name, data, max_chars=KB_MAX_CHARS, max_pages=KB_MAX_PDF_PAGES)
        except ExtractionError as exc:
            raise AgentDirError(f"{path}: {exc.message}") from None
        documents.append(KBDocument(file_id=number, file_name=path.name, file_type=extracted.file_type,
                                    text=extracted.text))
    return documents


def generate_from_dir(directory: str | Path, request: GenerationRequest) -> tuple[AgentSpec, GenerationResult]:
    """Read the agent directory and run the offline generation pipeline in this process."""
    agent, request = _agent_and_request(directory, request)
    return agent, generate(agent, request)


def estimate_from_dir(directory: str | Path, request: GenerationRequest, *, max_output_tokens: int = 4096,
                      context_tokens: int = 128_000) -> dict[str, Any]:
    """The LLM calls and tokens the request would use on the LLM engine, measured without calling a model."""
    agent, request = _agent_and_request(directory, request)
    llm = EstimatingLLM(max_output_tokens=max_output_tokens, context_tokens=context_tokens)
    quiet = logging.getLogger("scenarist.generation")
    level = quiet.level
    quiet.setLevel(logging.ERROR)  # "written offline after…" per item is the method here, not news
    try:
        generate(agent, request, llm)  # every item is written offline after its unusable answer; calls are measured
    finally:
        quiet.setLevel(level)
    return {"scenario_type": request.scenario_type.value, "num_scenarios": request.num_scenarios,
            "agent_prompt_chars": len(agent.description), **llm.report(request.num_scenarios)}


def _agent_and_request(directory: str | Path, request: GenerationRequest) -> tuple[AgentSpec, GenerationRequest]:
    """The directory's agent, and the request with the default personalities filled in."""
    agent = agent_spec_from_dir(load_agent_dir(directory))
    if request.scenario_type.value == "knowledge_base" and not agent.kb_files:
        raise AgentDirError(f"{directory}: knowledge_base scenarios need files in {Path(directory) / 'kb'}/")
    if not request.personalities:  # none named: spread over the catalogue in the agent's language, by mood
        spread = catalogue_for([p.spec for p in CATALOGUE], agent.language) or [DEFAULT_PERSONALITY.spec]
        request = request.model_copy(update={"personalities": spread})
    return agent, request


def suite_records(result: GenerationResult, request: GenerationRequest, *, tags: list[str] | None = None,
                  folder_path: str | None = None) -> list[dict[str, Any]]:
    """Suite records of the generated scenarios, shaped like a server export (importable with `scenarios import`)."""
    names = {p.id: p.name for p in CATALOGUE}
    return [_record(item, request, names, tags or [], folder_path) for item in result.scenarios]


def _record(item: GeneratedScenario, request: GenerationRequest, names: dict[int, str], tags: list[str],
            folder_path: str | None) -> dict[str, Any]:
    profile = item.test_profile
    return {
        "id": None,
        "name": item.name,
        "instructions": item.instructions,
        "expected_outcome_prompt": item.expected_outcome_prompt,
        "first_message": request.first_message,
        "scenario_language": item.scenario_language,
        "scenario_type": item.scenario_type.value,
        "tags": list(dict.fromkeys([*tags, *item.tags, item.category])),
        "tool_ids": list(request.caller_tool_ids),
        "personality": None,
        "personality_name": names.get(item.personality_id) if item.personality_id else None,
        "folder_path": folder_path or None,
        "test_profile": {"name": profile.name, "information": profile.information()} if profile else None,
        "metric_names": list(DEFAULT_METRIC_NAMES),
        "generated_mock_tool_entries": [e.model_dump(mode="json") for e in item.generated_mock_tool_entries],
        "attack_type": item.attack_type.value if item.attack_type else None,
        "knowledge_base_sources": [s.model_dump(mode="json") for s in item.knowledge_base_sources],
    }


def summary(result: GenerationResult) -> dict[str, Any]:
    """Count, shortfalls, coverage and diversity figures of a run (what the CLI prints)."""
    coverage = result.coverage or {}

    def ratio(section: str) -> str | None:
        part = coverage.get(section) or {}
        return f"{part.get('covered', 0)}/{part.get('total', 0)}" if part else None

    diversity = result.diversity or {}
    return {
        "count": len(result.scenarios),
        "requested": len(result.plan.slots),
        "errors": [e.model_dump() for e in result.errors],
        "coverage": {"intents": ratio("intents"), "tools": ratio("tools"), "policies": ratio("policies"),
                     "categories": coverage.get("categories", {})},
        "diversity": {"max_pairwise_similarity": diversity.get("max_pairwise_similarity"),
                      "mean_pairwise_similarity": diversity.get("mean_pairwise_similarity"),
                      "near_duplicates": diversity.get("near_duplicates")},
    }
