"""The LLM engine on a real local model, on corpus agents: what a larger model than CI's costs and writes.

Starts `../shared/tools/local-llm.sh` MODEL (set up beforehand: `local-llm.sh setup qwen1.5b`, cached per machine)
on a free port, runs the generation library in this process (understanding + n workflow items per agent, the same
code a worker runs), and prints per agent: whether the agent model came from the model or fell back, LLM calls,
re-asks, items the offline writer took over, prompt (cached) and completion tokens per item, wall time. The
scenarios go to --out (JSON) to be read as they are.

Run: .venv/bin/python bench/realmodel.py [--model qwen1.5b] [--agents clinic-scheduling,card-services] [-n 4]
     [--ctx 16384] [--threads 2] [--out /tmp/realmodel-bench.json]
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]

from scenarist.generation.pipeline import generate  # noqa: E402
from scenarist.generation.types import GenerationRequest, PersonalitySpec  # noqa: E402
from scenarist.llm.client import OpenAICompatibleLLM  # noqa: E402
from scenarist.llm.config import LLMConfig  # noqa: E402
from tests.generation.understanding.expected import load_agent  # noqa: E402

TOOL = ROOT.parent / "shared" / "tools" / "local-llm.sh"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LocalModel:
    """llama-server started from the shared cache under a private run dir (stopping never touches another's)."""

    def __init__(self, model: str, ctx: int, threads: int):
        self.model, self.port = model, _free_port()
        self.cache = Path(os.environ.get("LLM_HOME", Path.home() / ".cache" / "scenarist-local-llm"))
        self.run_home = Path(tempfile.mkdtemp(prefix="scenarist-bench-llm-"))
        self.env = {**os.environ, "LLM_HOME": str(self.run_home), "LLM_CTX": str(ctx), "LLM_THREADS": str(threads)}

    def __enter__(self) -> "LocalModel":
        (self.run_home / "bin").mkdir()
        (self.run_home / "models").mkdir()
        (self.run_home / "bin" / "llama-server").symlink_to(self.cache / "bin" / "llama-server")
        for gguf in (self.cache / "models").glob("*.gguf"):
            (self.run_home / "models" / gguf.name).symlink_to(gguf)
        subprocess.run([str(TOOL), "start", self.model, str(self.port)], env=self.env, check=True)
        return self

    def __exit__(self, *exc) -> None:
        subprocess.run([str(TOOL), "stop"], env=self.env, check=False)

    @property
    def base_url(self) -> str:
        """The OpenAI-compatible endpoint."""
        return f"http://127.0.0.1:{self.port}/v1"


class _CheckFailures(logging.Handler):
    """Collects the item checks the model's answers failed (the pipeline logs them)."""

    def __init__(self):
        super().__init__(logging.DEBUG)
        self.problems: Counter[str] = Counter()
        self.answers: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.msg.startswith("item %d: the answer that failed"):
            self.answers.append(str(record.args[1]))
        if record.msg.startswith("item %d: the model's answer failed checks"):
            for problem in str(record.args[1]).split("; "):
                self.problems[re.sub(r"\d+(\.\d+)?", "N", problem)[:120]] += 1


def run_agent(llm_config: LLMConfig, slug: str, n: int) -> tuple[dict, list[dict]]:
    """Generate n workflow scenarios for one corpus agent; (figures, scenarios)."""
    agent = load_agent(slug)
    failures = _CheckFailures()
    logging.getLogger("scenarist.generation.pipeline").addHandler(failures)
    logging.getLogger("scenarist.generation.pipeline").setLevel(logging.DEBUG)
    request = GenerationRequest(num_scenarios=n, personalities=[PersonalitySpec(id=1, name="Normal Male")],
                                generate_expected_outcomes=True, seed=11)
    started = time.perf_counter()
    result = generate(agent, request, OpenAICompatibleLLM(llm_config))
    wall = time.perf_counter() - started
    usage = result.usage
    engines = [s.provenance.engine for s in result.scenarios]
    figures = {
        "agent": slug, "prompt_chars": len(agent.description), "n": n, "written": len(result.scenarios),
        "agent_model": result.plan.model.engine, "llm_calls": usage.get("llm_calls"), "reasks": usage.get("reasks"),
        "items_by_model": engines.count("llm"), "items_offline_fallback": engines.count("offline-fallback"),
        "prompt_tokens_per_item": round((usage.get("prompt_tokens") or 0) / max(n, 1)),
        "cached_prompt_tokens": usage.get("cached_prompt_tokens"),
        "completion_tokens_per_item": round((usage.get("completion_tokens") or 0) / max(n, 1)),
        "wall_s": round(wall, 1), "errors": [e.message for e in result.errors],
        "failed_checks": dict(failures.problems.most_common(8)),
    }
    logging.getLogger("scenarist.generation.pipeline").removeHandler(failures)
    scenarios = [{"agent": slug, "rejected_answer": answer} for answer in failures.answers]
    scenarios += [{"agent": slug, "name": s.name, "category": s.category, "engine": s.provenance.engine,
                  "instructions": s.instructions, "expected_outcome": s.expected_outcome_prompt}
                 for s in result.scenarios]
    return figures, scenarios


def main() -> int:
    """Run the benchmark and print its figures."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", default="qwen1.5b")
    parser.add_argument("--agents", default="clinic-scheduling,card-services")
    parser.add_argument("-n", type=int, default=4)
    parser.add_argument("--ctx", type=int, default=16384)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--max-output-tokens", type=int, default=2048)
    parser.add_argument("--out", default=str(Path(tempfile.gettempdir()) / "realmodel-bench.json"))
    args = parser.parse_args()
    rows, samples = [], []
    with LocalModel(args.model, args.ctx, args.threads) as server:
        config = LLMConfig.from_env({
            "SCENARIST_LLM_BASE_URL": server.base_url, "SCENARIST_LLM_API_KEY": "local",
            "SCENARIST_LLM_MODEL": args.model, "SCENARIST_LLM_CONTEXT_TOKENS": str(args.ctx),
            "SCENARIST_LLM_MAX_OUTPUT_TOKENS": str(args.max_output_tokens),
            # one llama-server slot: more calls in flight would only queue inside it and time out
            "SCENARIST_LLM_MAX_CONCURRENCY": "1", "SCENARIST_LLM_JOB_CONCURRENCY": "1",
            "SCENARIST_LLM_TIMEOUT_S": "600", "SCENARIST_LLM_MAX_RETRIES": "1",
        })
        for slug in args.agents.split(","):
            figures, scenarios = run_agent(config, slug, args.n)
            rows.append(figures)
            samples.extend(scenarios)
            print(json.dumps(figures), flush=True)
    print(f"\n# {args.model}, context {args.ctx}, {args.threads} threads, output bound {args.max_output_tokens}")
    print(f"{'agent':<20}{'chars':>7}{'n':>3}{'model':>17}{'calls':>6}{'reasks':>7}{'by llm':>7}{'fallback':>9}"
          f"{'prompt/it':>10}{'cached':>8}{'compl/it':>9}{'wall_s':>8}")
    for r in rows:
        print(f"{r['agent']:<20}{r['prompt_chars']:>7}{r['n']:>3}{r['agent_model']:>17}{r['llm_calls']!s:>6}"
              f"{r['reasks']!s:>7}{r['items_by_model']:>7}{r['items_offline_fallback']:>9}"
              f"{r['prompt_tokens_per_item']:>10}{r['cached_prompt_tokens']!s:>8}{r['completion_tokens_per_item']:>9}"
              f"{r['wall_s']:>8}")
    Path(args.out).write_text(json.dumps({"model": args.model, "figures": rows, "scenarios": samples}, indent=2))
    print(f"# scenarios: {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
