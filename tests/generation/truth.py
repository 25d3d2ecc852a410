"""Corpus agents and an AgentModel built from each one's hand-written truth (expected_model.yaml).

Generation is tested twice: on the product's own agent model (`build_agent_model`) and on this truth model, so
the properties of planning, fixtures and writing are checked even where understanding is still imperfect.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import yaml

from scenarist.generation.agent_model import (
    AgentModel,
    Chain,
    ClassifiedRow,
    Disclosure,
    FailureMode,
    IntentModel,
    PolicyKind,
    PolicyModel,
    RowOutcome,
    ToolModel,
    Verification,
)
from scenarist.generation.fields import canonical_field, is_identity_field
from scenarist.generation.text import flatten_values, leaf_key, normalise_value, slugify
from scenarist.generation.types import AgentSpec
from scenarist.client.agent_dir import load_agent_dir
from scenarist.offline import agent_spec_from_dir

CORPUS = Path(__file__).resolve().parents[1] / "fixtures" / "agents"
_KINDS = (("book", "booking"), ("schedul", "booking"), ("reserv", "booking"), ("cancel", "cancellation"),
          ("reschedul", "change"), ("change", "change"), ("modif", "change"), ("status", "status"),
          ("track", "status"), ("look up", "status"), ("report", "report"), ("pay", "payment"))


def corpus_slugs() -> list[str]:
    """Every corpus agent folder with a hand-written model."""
    return sorted(p.parent.name for p in CORPUS.glob("*/expected_model.yaml"))


@lru_cache(maxsize=32)
def corpus_agent(slug: str) -> AgentSpec:
    """The AgentSpec of a corpus folder, loaded like `--agent-dir` does."""
    return agent_spec_from_dir(load_agent_dir(CORPUS / slug))


@lru_cache(maxsize=32)
def expected(slug: str) -> dict:
    """The hand-written truth of a corpus agent."""
    return yaml.safe_load((CORPUS / slug / "expected_model.yaml").read_text())


def _sentence(prompt: str, quote: str) -> str:
    """The sentence of the prompt holding `quote` (case-insensitive), on one line."""
    flat = " ".join(prompt.split())
    at = flat.lower().find(" ".join(quote.split()).lower())
    if at < 0:
        return quote
    start = max(flat.rfind(". ", 0, at) + 2, flat.rfind("- ", 0, at) + 2, 0)
    end = flat.find(". ", at + len(quote))
    return flat[start:(end + 1 if end >= 0 else len(flat))].strip()


def _chains(tools: list[ToolModel]) -> list[Chain]:
    """Success rows linked by a shared identity value, anchored on the first tool's success rows."""
    chains: list[Chain] = []
    success = [(t, r) for t in tools for r in t.rows if r.outcome == RowOutcome.SUCCESS]
    anchors = [(t, r) for t, r in success if t is tools[0]] if tools else []
    for number, (tool, row) in enumerate(anchors):
        known = {normalise_value(v) for k, v in list(flatten_values(row.input)) + list(flatten_values(row.output))
                 if is_identity_field(leaf_key(k))}
        members = [(tool.name, row.index)]
        identity = {canonical_field(leaf_key(k)): v for k, v in
                    list(flatten_values(row.input)) + list(flatten_values(row.output))
                    if isinstance(v, (str, int)) and not isinstance(v, bool)}
        for other, other_row in success:
            if other is tool or any(name == other.name for name, _ in members):
                continue
            values = {normalise_value(v) for k, v in flatten_values(other_row.input) if is_identity_field(leaf_key(k))}
            if values and values & known and not (values - known - _record_ids(other_row.input)):
                members.append((other.name, other_row.index))
                known |= {normalise_value(v) for _, v in flatten_values(other_row.output)}
        chains.append(Chain(id=f"chain:{number}", rows=members, identity=identity))
    return chains


def _record_ids(value) -> set[str]:
    """Values of the input that name a record of another kind (a slot id): allowed to be new."""
    return {normalise_value(v) for k, v in flatten_values(value) if re.search(r"slot|new_", leaf_key(k))}


@lru_cache(maxsize=32)
def truth_model(slug: str) -> AgentModel:
    """An AgentModel holding exactly the hand-written truth (plus row classification and simple chains)."""
    agent, truth = corpus_agent(slug), expected(slug)
    outcomes = truth.get("mock_outcomes") or {}
    tools = []
    for spec in agent.tools:
        rows = [ClassifiedRow(tool=spec.name, index=i, outcome=RowOutcome(outcomes.get(spec.name, [])[i]
                                                                          if i < len(outcomes.get(spec.name, []))
                                                                          else "success"),
                              input=r.input, output=r.output) for i, r in enumerate(spec.information)]
        no_match = next((r.output for r in rows if r.outcome == RowOutcome.NO_MATCH), None)
        props = (spec.parameters or {}).get("properties") or {}
        tools.append(ToolModel(name=spec.name, description=spec.description, needs=list(props), rows=rows,
                               no_match_output=no_match, capability=spec.name.replace("_", " "),
                               side_effect=bool(re.match(r"(book|cancel|create|add|resched|transfer|update|file)",
                                                         spec.name))))
    intents = []
    for item in truth.get("intents") or []:
        kind = next((k for word, k in _KINDS if word in item["name"].lower()), "general")
        intents.append(IntentModel(id=f"intent:{slugify(item['name'])}", name=item["name"], kind=kind,
                                   tools=list(item.get("tools") or []),
                                   requires_verification=bool(truth.get("verification_fields"))))
    policies = [PolicyModel(id=f"policy:{n}", kind=PolicyKind(g["kind"]), text=_sentence(agent.description, g["quote"]))
                for n, g in enumerate(truth.get("guardrails") or [])]
    failures = []
    for mode in truth.get("failure_modes") or []:
        rows = outcomes.get(mode["tool"], [])
        index = rows.index(mode["outcome"]) if mode["outcome"] in rows else None
        failures.append(FailureMode(id=f"failure:{mode['tool']}:{mode['outcome']}", tool=mode["tool"],
                                    outcome=RowOutcome(mode["outcome"]), row_index=index))
    disclosures = [Disclosure(kind="internal_ids" if "id" in d.lower() else "tool_names" if "tool" in d.lower()
                              else "other", text=d) for d in truth.get("forbidden_disclosures") or []]
    ver_tool = next((t.name for t in tools if any(canonical_field(n) in (truth.get("verification_fields") or [])
                                                  for n in t.needs)), None)
    return AgentModel(
        engine="truth", agent_name=agent.name, organisation=truth.get("organisation"), domain=truth.get("domain"),
        language=truth.get("language") or "en", speaks_first=bool(truth.get("speaks_first")),
        today=truth.get("today"), intents=intents, tools=tools, chains=_chains(tools), policies=policies,
        verification=Verification(fields=list(truth.get("verification_fields") or []), tool=ver_tool),
        forbidden_disclosures=disclosures, failure_modes=failures, variables=[v.name for v in agent.variables])
