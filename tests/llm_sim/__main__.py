"""Run the LLM simulator by hand: `python -m tests.llm_sim --port 8099 --latency 1.0 --fault-rate 0.2`."""

from __future__ import annotations

import argparse
import importlib
import json
import signal
import threading

from tests.llm_sim.config import FAULTS, SimConfig
from tests.llm_sim.server import LLMSimulator


def parse_args(argv: list[str] | None = None) -> tuple[SimConfig, argparse.Namespace]:
    """Command-line flags → (SimConfig, the extra script-only flags)."""
    parser = argparse.ArgumentParser(prog="python -m tests.llm_sim", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8099)
    parser.add_argument("--model", default="sim-model")
    parser.add_argument("--latency", type=float, default=0.0, help="fixed seconds per answer")
    parser.add_argument("--tokens-per-s", type=float, default=0.0, help="completion speed (0 = instant)")
    parser.add_argument("--max-concurrency", type=int, default=0, help="server-side cap; 0 = unlimited")
    parser.add_argument("--fault-rate", type=float, default=0.0, help="share of calls given a random fault")
    parser.add_argument(
        "--fault-mix", default=",".join(FAULTS), help=f"comma-separated faults to draw from ({','.join(FAULTS)})"
    )
    parser.add_argument("--retry-after", type=float, default=1.0, help="Retry-After seconds on 429")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--reject-json-schema", action="store_true", help="400 on response_format json_schema")
    parser.add_argument("--api-key", default=None, help="require this bearer key (401 otherwise)")
    parser.add_argument("--responder", default=None, help="module:function scripting answers (see set_responder)")
    parser.add_argument("--call-log", default=None, help="write the call log here as JSON lines on exit")
    args = parser.parse_args(argv)
    return SimConfig(
        host=args.host,
        port=args.port,
        model=args.model,
        latency_s=args.latency,
        tokens_per_s=args.tokens_per_s,
        max_concurrency=args.max_concurrency,
        fault_rate=args.fault_rate,
        fault_mix=tuple(f.strip() for f in args.fault_mix.split(",") if f.strip()),
        retry_after_s=args.retry_after,
        seed=args.seed,
        reject_json_schema=args.reject_json_schema,
        require_api_key=args.api_key,
    ), args


def load_responder(spec: str):
    """`package.module:function` → the function."""
    module, _, name = spec.partition(":")
    return getattr(importlib.import_module(module), name)


def write_call_log(sim: LLMSimulator, path: str) -> None:
    """One JSON object per call: timings, status, fault and token counts."""
    with open(path, "w", encoding="utf-8") as out:
        for c in sim.calls:
            out.write(json.dumps({"index": c.index, "started_at": c.started_at, "ended_at": c.ended_at,
                                  "status": c.status, "fault": c.fault, "prompt_tokens": c.prompt_tokens,
                                  "completion_tokens": c.completion_tokens}) + "\n")


def main(argv: list[str] | None = None) -> None:
    """Serve until Ctrl-C / SIGTERM, then print the totals."""
    config, extra = parse_args(argv)
    done = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: done.set())
    with LLMSimulator(config) as sim:
        if extra.responder:
            sim.set_responder(load_responder(extra.responder))
        print(f"LLM simulator listening: SCENARIST_LLM_BASE_URL={sim.base_url}  model={config.model}", flush=True)
        try:
            done.wait()
        except KeyboardInterrupt:
            pass
        if extra.call_log:
            write_call_log(sim, extra.call_log)
        totals = sim.usage_totals()
        print(
            f"served {len(sim.calls)} calls ({totals['llm_calls']} answered), "
            f"{totals['prompt_tokens']} prompt + {totals['completion_tokens']} completion tokens, "
            f"max {sim.max_in_flight} in flight",
            flush=True,
        )


if __name__ == "__main__":
    main()
