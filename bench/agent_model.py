"""Offline agent model vs the hand-written expected model, per corpus agent: intents P/R, guardrails R,
verification exact, mock outcome accuracy (and what was missed, with --details).

    .venv/bin/python bench/agent_model.py [--details] [--heldout] [slug ...]

--heldout scores the held-out agents (tests/fixtures/agents_heldout/), written after the analysis was tuned.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from scenarist.generation.understanding import build_agent_model  # noqa: E402
from tests.generation.understanding.expected import CORPUS, HELDOUT, corpus_slugs, load_agent, load_expected, score  # noqa: E402,E501


def main(argv: list[str]) -> int:
    """Print the table; exit 1 when an agent misses a threshold."""
    details = "--details" in argv
    root = HELDOUT if "--heldout" in argv else CORPUS
    slugs = [a for a in argv if not a.startswith("--")] or corpus_slugs(root)
    print(f"{'agent':<26} {'intents P':>9} {'intents R':>9} {'rails R':>7} {'verif':>5} {'outcomes':>8} "
          f"{'ms':>5}  scalars")
    failed = 0
    for slug in slugs:
        agent = load_agent(slug, root)
        started = time.perf_counter()
        model = build_agent_model(agent)
        elapsed = (time.perf_counter() - started) * 1000
        result = score(slug, model, load_expected(slug, root))
        failed += not result.passes
        scalars = ", ".join(f"{k}={v[0]!r}≠{v[1]!r}" for k, v in result.scalars.items()) or "ok"
        print(f"{slug:<26} {result.intent_precision:>9.2f} {result.intent_recall:>9.2f} "
              f"{result.guardrail_recall:>7.2f} {'yes' if result.verification_exact else 'NO':>5} "
              f"{result.outcome_accuracy:>8.2f} {elapsed:>5.0f}  {scalars}")
        if details:
            print(f"    intents: {[i.name for i in model.intents]}")
            for label, items in (("unmatched intents", result.unmatched_intents),
                                 ("missed intents", result.missed_intents),
                                 ("missed guardrails", result.missed_guardrails),
                                 ("wrong outcomes", result.wrong_outcomes)):
                if items:
                    print(f"    {label}: {items}")
            if not result.verification_exact:
                print(f"    verification: got {result.verification[0]} expected {result.verification[1]}")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
