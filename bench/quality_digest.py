"""Read 20 scenarios of an agent in a minute: one line per scenario for every corpus agent.

Each line: category, name, goal (the caller's first sentence), the mock row the caller's identity comes from
(`tool[row] outcome`, `unknown to the mocks` for no-match paths, `—` when the agent verifies nobody), and the
first line of the expected outcome.

Run: .venv/bin/python bench/quality_digest.py [-n 20] [--agents clinic-scheduling,medicare-leads]
     [--model product|truth]   (product: the offline agent model; truth: the corpus's hand-written model)
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]

from scenarist.generation.agent_model import AgentModel  # noqa: E402
from scenarist.generation.fields import canonical_field  # noqa: E402
from scenarist.generation.pipeline import generate  # noqa: E402
from scenarist.generation.text import flatten_values, normalise_value  # noqa: E402
from scenarist.generation.types import GeneratedScenario, GenerationRequest  # noqa: E402
from scenarist.generation.understanding import build_agent_model  # noqa: E402
from tests.fixtures.agents import personalities  # noqa: E402
from tests.generation.truth import corpus_agent, corpus_slugs, truth_model  # noqa: E402


def identity_source(item: GeneratedScenario, model: AgentModel) -> str:
    """Where the caller's identity comes from: the mock row(s) holding its verification values."""
    profile = item.test_profile.testing_agent_variables if item.test_profile else {}
    values = [normalise_value(v) for k, v in profile.items() if canonical_field(k) in model.verification.fields]
    if not values:
        return "—"
    found = []
    for tool in model.tools:
        for row in tool.rows:
            row_values = {normalise_value(v) for _, v in list(flatten_values(row.input)) + list(flatten_values(row.output))}
            if set(values) <= row_values:
                found.append(f"{tool.name}[{row.index}] {row.outcome.value}")
    return ", ".join(found[:2]) if found else "unknown to the mocks"


def first_sentence(text: str) -> str:
    """The caller's goal sentence (the first one)."""
    return re.split(r"(?<=[.!?])\s", text.strip(), maxsplit=1)[0]


def digest(slug: str, n: int, which: str) -> list[str]:
    """The digest lines of one agent."""
    agent = corpus_agent(slug)
    model = truth_model(slug) if which == "truth" else build_agent_model(agent)
    request = GenerationRequest(num_scenarios=n, personalities=personalities(), generate_expected_outcomes=True,
                                caller_tool_ids=["TOOL_END_CALL"])
    result = generate(agent, request, model=model)
    lines = [f"## {slug} ({which} model: {len(model.intents)} intents, {len(model.probe_policies())} probe rules, "
             f"{len(model.failure_modes)} failure modes; max similarity "
             f"{result.diversity['max_pairwise_similarity']})"]
    for item in result.scenarios:
        lines_ = [line.lstrip("- ") for line in item.expected_outcome_prompt.splitlines()]
        # The verification line is the same on most paths; show the first line that is this scenario's own.
        outcome = next((line for line in lines_ if not line.startswith("The agent identifies the caller")),
                       lines_[0] if lines_ else "")
        lines.append(f"{item.index + 1:>2}. [{item.category}] {item.name} | {first_sentence(item.instructions)} | "
                     f"id: {identity_source(item, model)} | EO: {outcome}")
    cov = result.coverage
    gaps = {k: cov[k]["gaps"] for k in ("intents", "policies", "failure_modes") if cov.get(k, {}).get("gaps")}
    lines.append(f"   coverage: " + ", ".join(f"{k} {cov[k]['covered']}/{cov[k]['total']}"
                                              for k in ("intents", "tools", "policies", "failure_modes")))
    if gaps:
        lines.append(f"   gaps: {gaps}")
    return lines


def main(argv: list[str] | None = None) -> None:
    """Print the digest of the chosen corpus agents."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=20)
    parser.add_argument("--agents", default="", help="comma-separated corpus slugs (default: all)")
    parser.add_argument("--model", choices=("product", "truth"), default="product")
    args = parser.parse_args(argv)
    slugs = [s for s in args.agents.split(",") if s] or corpus_slugs()
    for slug in slugs:
        print("\n".join(digest(slug, args.n, args.model)))
        print()


if __name__ == "__main__":
    main()
