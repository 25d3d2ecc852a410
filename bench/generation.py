"""Generation speed and token cost against the LLM simulator.

Prints, for n = 10 and n = 100 with a fixed simulated latency per call, the client's default settings and server
concurrency >= n: wall time of plan + every item written concurrently (the library, in this process), the number
of sequential LLM rounds seen in the simulator log, the ratio wall / critical path (2 rounds x latency; target
<= 1.3), LLM calls per scenario (target <= 1.1) and prompt tokens per scenario (all, and uncached: the simulator
reports OpenAI-style prefix caching).
Then the same batches through the service (HTTP API + `scenarist serve` on a scratch SQLite dir, from the POST
to the first `completed` poll), prompt and completion tokens per scenario for a long (>= 30,000 character)
agent prompt, and the offline engine's wall time for n = 100.

Run: .venv/bin/python bench/generation.py [--latency 1.0] [--sizes 10,100] [--no-service]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import logging
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]

from scenarist.generation.pipeline import ScenarioGenerator  # noqa: E402
from scenarist.generation.types import GenerationRequest, PersonalitySpec  # noqa: E402
from scenarist.llm.client import OpenAICompatibleLLM  # noqa: E402
from scenarist.llm.config import LLMConfig  # noqa: E402
from scenarist.llm.port import Usage, UsageMeter  # noqa: E402
from tests.fixtures.agents import ALL_AGENTS, long_prompt_variant  # noqa: E402
from tests.generation.responders import good_responder  # noqa: E402
from tests.llm_sim import LLMSimulator, SimConfig  # noqa: E402

from generation_service import service_batches  # noqa: E402  (bench/ is on sys.path when run as a script)

PERSONALITIES = [PersonalitySpec(id=1, name="Normal Male"), PersonalitySpec(id=2, name="Fast Impatient", mood="impatient")]


async def run_batch(generator: ScenarioGenerator, agent, n: int) -> tuple[int, Usage]:
    """Plan, then write every slot concurrently (as the job handler does); returns (items written, usage)."""
    request = GenerationRequest(num_scenarios=n, personalities=PERSONALITIES, generate_expected_outcomes=True, seed=7)
    total = Usage()
    plan, usage = await generator.plan(agent, request)
    total.add(usage)
    accepted, taken = [], set()

    async def one(slot):
        item, u = await generator.write_item(agent, plan, request, slot, taken_names=taken, accepted=accepted)
        taken.add(item.name)
        accepted.append(item)
        total.add(u)

    await asyncio.gather(*(one(s) for s in plan.slots))
    if generator.llm is not None:
        await generator.llm.aclose()
    return len(accepted), total


def sequential_rounds(calls) -> int:
    """Length of the longest chain of calls in which each starts only after the previous one ended."""
    spans = sorted((c["start"], c["end"]) for c in calls)
    depth: list[int] = []
    for i, (start, _) in enumerate(spans):
        depth.append(1 + max((depth[j] for j in range(i) if spans[j][1] <= start), default=0))
    return max(depth, default=0)


@contextlib.contextmanager
def simulator_process(latency: float, responder: str | None):
    """The simulator as its own process (so it does not share our GIL); yields (base_url, read_log)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    log_path = Path(tempfile.mkdtemp()) / "calls.jsonl"
    cmd = [sys.executable, "-m", "tests.llm_sim", "--port", str(port), "--latency", str(latency),
           "--call-log", str(log_path)] + (["--responder", responder] if responder else [])
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 20
    while time.time() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                break
        time.sleep(0.05)

    def read_log() -> list[dict]:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=20)
        return [json.loads(line) for line in log_path.read_text().splitlines()]

    try:
        yield f"http://127.0.0.1:{port}/v1", read_log
    finally:
        if proc.poll() is None:
            proc.kill()


class _Endpoint:
    """Just enough of LLMSimulator for llm_for()."""

    def __init__(self, base_url: str):
        self.base_url = base_url


def llm_for(sim: LLMSimulator, n: int) -> OpenAICompatibleLLM:
    """A client with the default settings (128 / 100 calls in flight, adaptive) pointed at the simulator."""
    del n  # the defaults are sized for n = 100 in two rounds; the benchmark measures them as shipped
    config = LLMConfig.from_env({
        "SCENARIST_LLM_BASE_URL": sim.base_url, "SCENARIST_LLM_API_KEY": "bench", "SCENARIST_LLM_MODEL": "sim",
    })
    return OpenAICompatibleLLM(config)


def print_service_rows(latency: float, sizes: list[int]) -> None:
    """The same batches through HTTP + a real worker, timed from the POST to the first `completed` poll."""
    print("# service: POST generate-bg -> worker (`scenarist serve`, SQLite) -> first 'completed' poll (50 ms polls);")
    print("#          a new agent per batch, so the analysis is not cached (2 rounds)")
    responder = "tests.generation.responders:good_responder"
    with simulator_process(latency, responder) as (base_url, read_log):
        timings = service_batches(base_url, ALL_AGENTS["dental"](), sizes)
        calls = [c for c in read_log() if c["ended_at"]]
    for t in timings:
        mine = [{"start": c["started_at"], "end": c["ended_at"]} for c in calls
                if t.started_at <= c["started_at"] <= t.ended_at]
        critical = latency * 2
        print(f"{'service':>9} {t.n:>5} {t.wall_s:>8.2f} {sequential_rounds(mine):>7} {critical:>11.2f} "
              f"{t.wall_s / critical:>6.2f} {len(mine):>6}   ({t.written} written, {t.status})")


def main() -> int:
    """Run the benchmark and print its figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--latency", type=float, default=1.0)
    parser.add_argument("--sizes", default="10,100")
    parser.add_argument("--no-service", action="store_true", help="skip the HTTP + worker figures")
    args = parser.parse_args()
    # The 'random' model fails every item on purpose: its per-item fallback warnings are not figures.
    logging.getLogger("scenarist.generation.pipeline").setLevel(logging.ERROR)
    agent = ALL_AGENTS["dental"]()
    sizes = [int(s) for s in args.sizes.split(",")]
    print(f"# generation benchmark (simulated latency {args.latency:.2f}s per call, token rate unlimited)")
    print("# model: 'scripted' = a well-behaved model (valid drafts); 'random' = schema-valid random strings,")
    print("#        which fail the item checks and are re-asked (worst case, shows the rewrite cost)")
    print(f"{'model':>9} {'n':>5} {'wall_s':>8} {'rounds':>7} {'critical_s':>11} {'ratio':>6} {'calls':>6} "
          f"{'calls/scn':>9} {'prompt/scn':>10} {'uncached/scn':>12}")
    responder = "tests.generation.responders:good_responder"
    for model, n in [("scripted", n) for n in sizes] + [("random", sizes[-1])]:
        with simulator_process(args.latency, responder if model == "scripted" else None) as (base_url, read_log):
            generator = ScenarioGenerator(llm_for(_Endpoint(base_url), n), seed=1)
            t0 = time.perf_counter()
            written, usage = asyncio.run(run_batch(generator, agent, n))
            wall = time.perf_counter() - t0
            calls = [{"start": c["started_at"], "end": c["ended_at"]} for c in read_log() if c["ended_at"]]
        rounds = sequential_rounds(calls)
        critical = args.latency * 2  # the design's chain: one plan round, one parallel item round
        per = max(written, 1)
        print(f"{model:>9} {n:>5} {wall:>8.2f} {rounds:>7} {critical:>11.2f} {wall / critical:>6.2f} {len(calls):>6} "
              f"{usage.llm_calls / per:>9.2f} {(usage.prompt_tokens or 0) / per:>10,.0f} "
              f"{(usage.uncached_prompt_tokens or 0) / per:>12,.0f}   ({written} written)")

    if not args.no_service:
        print_service_rows(args.latency, sizes)

    long_agent = long_prompt_variant(ALL_AGENTS["bank"]())
    n = 20
    with LLMSimulator(SimConfig(latency_s=0.05, tokens_per_s=0, max_concurrency=64, seed=2)) as sim:
        sim.set_responder(good_responder)
        generator = ScenarioGenerator(llm_for(sim, n), seed=2)
        written, usage = asyncio.run(run_batch(generator, long_agent, n))
    print(f"# long prompt ({len(long_agent.description):,} chars), n={n}: "
          f"{(usage.prompt_tokens or 0) / written:,.0f} prompt tokens "
          f"({(usage.uncached_prompt_tokens or 0) / written:,.0f} uncached: the simulator caches 1,024+-token "
          f"prefixes as OpenAI does) and {(usage.completion_tokens or 0) / written:,.0f} completion tokens per "
          f"scenario ({usage.llm_calls} calls)")

    offline = ScenarioGenerator(None, seed=3)
    t0 = time.perf_counter()
    written, _ = asyncio.run(run_batch(offline, agent, 100))
    print(f"# offline engine: {written} scenarios in {time.perf_counter() - t0:.2f}s")
    return 0


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    sys.exit(main())
