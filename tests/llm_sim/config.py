"""Simulator settings and the names of the faults it can inject."""

from __future__ import annotations

from dataclasses import dataclass

RATE_LIMIT = "rate_limit"  # 429 with a Retry-After header
SERVER_ERROR = "server_error"  # 500
HANG = "hang"  # never answers (until the client gives up or the simulator stops)
MALFORMED_JSON = "malformed_json"  # content is not JSON (single quotes)
TRUNCATED_JSON = "truncated_json"  # content cut in half, finish_reason "length"
REFUSAL = "refusal"  # message.refusal set, content null (OpenAI's structured-output refusal)
REFUSAL_TEXT = "refusal_text"  # content "I'm sorry, but I can't help with that." (open models)
NO_USAGE = "no_usage"  # a good answer without the `usage` object

FAULTS = (RATE_LIMIT, SERVER_ERROR, HANG, MALFORMED_JSON, TRUNCATED_JSON, REFUSAL, REFUSAL_TEXT, NO_USAGE)

REFUSAL_MESSAGE = "I'm sorry, but I can't help with that."


@dataclass
class SimConfig:
    """How the simulated server behaves; every random choice derives from `seed`."""

    host: str = "127.0.0.1"
    port: int = 0  # 0 = a free port
    model: str = "sim-model"
    latency_s: float = 0.0  # fixed time to first byte of each answer
    tokens_per_s: float = 0.0  # completion speed; 0 = instant
    max_concurrency: int = 0  # server-side cap; requests beyond it queue; 0 = unlimited
    fault_rate: float = 0.0  # share of calls that get a random fault from fault_mix
    fault_mix: tuple[str, ...] = FAULTS
    seed: int = 0
    retry_after_s: float = 1.0  # value of the Retry-After header on 429
    hang_s: float = 3600.0  # how long a hang lasts at most
    chars_per_token: int = 4
    reject_json_schema: bool = False  # answer 400 to response_format json_schema (old servers)
    require_api_key: str | None = None  # when set, other keys get 401
    # 429 (with Retry-After) for every call that arrives while this many are already being served; 0 = never.
    rate_limit_above: int = 0
    # x-ratelimit-remaining-requests on every answer: this many minus the calls in flight (0 = no header).
    ratelimit_requests: int = 0
    # 400 "Unsupported parameter" (OpenAI's wording) when a request carries one of these (e.g. reasoning models).
    reject_params: tuple[str, ...] = ()
    # OpenAI-style prompt caching: a prompt prefix already seen (>= 1024 tokens, in 128-token blocks) is reported
    # as usage.prompt_tokens_details.cached_tokens.
    prompt_cache: bool = True

    def __post_init__(self) -> None:
        unknown = [f for f in self.fault_mix if f not in FAULTS]
        if unknown:
            raise ValueError(f"unknown fault(s) {unknown}; known: {', '.join(FAULTS)}")
        if not 0.0 <= self.fault_rate <= 1.0:
            raise ValueError("fault_rate must be within [0, 1]")
