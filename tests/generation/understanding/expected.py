"""The corpus agents and their hand-written expected models, and how a product AgentModel is scored against them.

Shared by tests/generation/understanding/test_corpus_models.py and bench/agent_model.py (one matching rule).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from scenarist.client.agent_dir import load_agent_dir
from scenarist.generation.agent_model import AgentModel
from scenarist.generation.types import AgentSpec
from scenarist.offline import agent_spec_from_dir

CORPUS = Path(__file__).resolve().parents[2] / "fixtures" / "agents"
# Agents written after the offline analysis was tuned on the corpus, to measure how it generalises.
HELDOUT = Path(__file__).resolve().parents[2] / "fixtures" / "agents_heldout"
INTENT_PRECISION = 0.9
INTENT_RECALL = 0.9
GUARDRAIL_RECALL = 0.8


def corpus_slugs(root: Path = CORPUS) -> list[str]:
    """Every agent folder of the corpus (or of `root`) that has an expected model."""
    return sorted(p.parent.name for p in root.glob("*/expected_model.yaml"))


def load_agent(slug: str, root: Path = CORPUS) -> AgentSpec:
    """The corpus agent as generation reads it."""
    return agent_spec_from_dir(load_agent_dir(root / slug))


def load_expected(slug: str, root: Path = CORPUS) -> dict:
    """The hand-written expected model."""
    return yaml.safe_load((root / slug / "expected_model.yaml").read_text())


def intent_matches(name: str, expected_intent: dict) -> bool:
    """A product intent matches an expected one when its name contains one of the keywords (case-insensitive)."""
    lowered = name.lower()
    return any(str(k).lower() in lowered for k in expected_intent.get("keywords") or [])


@dataclass
class Score:
    """How a product agent model compares with the expected one."""

    slug: str
    intent_precision: float
    intent_recall: float
    guardrail_recall: float
    verification_exact: bool
    outcome_accuracy: float
    unmatched_intents: list[str] = field(default_factory=list)  # product intents matching nothing expected
    missed_intents: list[str] = field(default_factory=list)  # expected intents no product intent matches
    missed_guardrails: list[str] = field(default_factory=list)
    wrong_outcomes: list[str] = field(default_factory=list)
    verification: tuple[list[str], list[str]] = ([], [])  # (product, expected)
    scalars: dict[str, tuple] = field(default_factory=dict)  # name → (product, expected) where they differ

    @property
    def passes(self) -> bool:
        """Whether every threshold of the issue holds."""
        return (self.intent_precision >= INTENT_PRECISION and self.intent_recall >= INTENT_RECALL
                and self.guardrail_recall >= GUARDRAIL_RECALL and self.verification_exact
                and self.outcome_accuracy == 1.0 and not self.scalars)


def score(slug: str, model: AgentModel, expected: dict) -> Score:
    """Intents P/R, guardrail recall, verification exactness, mock outcome accuracy, scalar equality."""
    wanted = expected.get("intents") or []
    names = [i.name for i in model.intents]
    unmatched = [n for n in names if not any(intent_matches(n, e) for e in wanted)]
    missed = [e["name"] for e in wanted if not any(intent_matches(n, e) for n in names)]
    precision = (len(names) - len(unmatched)) / len(names) if names else (1.0 if not wanted else 0.0)
    recall = (len(wanted) - len(missed)) / len(wanted) if wanted else 1.0
    texts = [p.text.lower() for p in model.policies]
    guardrails = expected.get("guardrails") or []
    missed_rails = [g["quote"] for g in guardrails if not any(g["quote"].lower() in t for t in texts)]
    rail_recall = (len(guardrails) - len(missed_rails)) / len(guardrails) if guardrails else 1.0
    wrong, total = [], 0
    for tool_name, outcomes in (expected.get("mock_outcomes") or {}).items():
        tool = model.tool(tool_name)
        got = [r.outcome.value for r in tool.rows] if tool else []
        for index, outcome in enumerate(outcomes):
            total += 1
            if index >= len(got) or got[index] != outcome:
                wrong.append(f"{tool_name}[{index}]: {got[index] if index < len(got) else None} != {outcome}")
    accuracy = (total - len(wrong)) / total if total else 1.0
    scalars = {}
    for name in ("speaks_first", "language", "domain"):
        if getattr(model, name) != expected.get(name):
            scalars[name] = (getattr(model, name), expected.get(name))
    fields = list(expected.get("verification_fields") or [])
    return Score(slug=slug, intent_precision=precision, intent_recall=recall, guardrail_recall=rail_recall,
                 verification_exact=model.verification.fields == fields, outcome_accuracy=accuracy,
                 unmatched_intents=unmatched, missed_intents=missed, missed_guardrails=missed_rails,
                 wrong_outcomes=wrong, verification=(model.verification.fields, fields), scalars=scalars)
