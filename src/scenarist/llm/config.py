"""LLM provider settings — the one reader of the `SCENARIST_LLM_*` environment variables."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, replace
from enum import Enum

ENV_PREFIX = "SCENARIST_LLM_"


class StructuredMode(str, Enum):
    """How structured output is requested from the server."""

    JSON_SCHEMA = "json_schema"  # response_format json_schema (OpenAI, vLLM, llama.cpp, Ollama, LM Studio …)
    JSON_OBJECT = "json_object"  # response_format json_object + the schema in the system message


@dataclass(frozen=True)
class LLMConfig:
    """Settings of the OpenAI-compatible client (see docs/llm-providers.md for the env table)."""

    base_url: str = ""
    api_key: str = ""
    model: str = "gpt-4o-mini"
    # 128 in flight per process / 100 per job: n = 100 items leave in one round after the analysis call, which
    # a tier-2 OpenAI account absorbs (5,000 RPM; 100 calls of ~3k tokens = 300k of a 2M TPM minute). Servers
    # with less room answer 429/503 and the AIMD limiter (aimd.py) halves down to what they take.
    max_concurrency: int = 128
    job_concurrency: int = 100
    start_concurrency: int = 0  # where the adaptive limit starts; 0 = at max_concurrency
    adaptive_concurrency: bool = True
    timeout_s: float = 60.0
    max_retries: int = 3
    structured_mode: StructuredMode = StructuredMode.JSON_SCHEMA
    job_token_budget: int = 0  # 0 = unlimited
    backoff_base_s: float = 0.5
    backoff_max_s: float = 20.0
    max_retry_after_s: float = 60.0  # cap on a server's Retry-After, so one header cannot stall a job
    # Upper bound of any call's output; each call asks for what its schema needs (sizing.py), at most this.
    max_output_tokens: int = 4096
    # The model's context window (prompt + output). 128k covers today's hosted models; set it to the server's
    # real window (llama-server -c, Ollama num_ctx) so callers size prompts to it instead of being cut.
    context_tokens: int = 128_000

    @property
    def is_configured(self) -> bool:
        """True when a provider is named (base URL or API key); otherwise the offline engine is used."""
        return bool(self.base_url or self.api_key)

    def with_overrides(self, **changes) -> "LLMConfig":
        """A copy with some fields replaced (tests and benchmarks)."""
        return replace(self, **changes)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> "LLMConfig":
        """Read the settings from the environment; raise ValueError naming a malformed variable."""
        env = os.environ if environ is None else environ
        reader = _EnvReader(env)
        default = cls()
        return cls(
            base_url=reader.text("BASE_URL", default.base_url).rstrip("/"),
            api_key=reader.text("API_KEY", default.api_key),
            model=reader.text("MODEL", default.model) or default.model,
            max_concurrency=reader.integer("MAX_CONCURRENCY", default.max_concurrency, minimum=1),
            job_concurrency=reader.integer("JOB_CONCURRENCY", default.job_concurrency, minimum=1),
            start_concurrency=reader.integer("START_CONCURRENCY", default.start_concurrency, minimum=0),
            adaptive_concurrency=reader.flag("ADAPTIVE_CONCURRENCY", default.adaptive_concurrency),
            timeout_s=reader.number("TIMEOUT_S", default.timeout_s, minimum=0.001),
            max_retries=reader.integer("MAX_RETRIES", default.max_retries, minimum=0),
            structured_mode=reader.mode("STRUCTURED_MODE", default.structured_mode),
            job_token_budget=reader.integer("JOB_TOKEN_BUDGET", default.job_token_budget, minimum=0),
            backoff_base_s=reader.number("BACKOFF_BASE_S", default.backoff_base_s, minimum=0.0),
            backoff_max_s=reader.number("BACKOFF_MAX_S", default.backoff_max_s, minimum=0.0),
            max_retry_after_s=reader.number("MAX_RETRY_AFTER_S", default.max_retry_after_s, minimum=0.0),
            max_output_tokens=reader.integer("MAX_OUTPUT_TOKENS", default.max_output_tokens, minimum=16),
            context_tokens=reader.integer("CONTEXT_TOKENS", default.context_tokens, minimum=256),
        )

    @property
    def initial_concurrency(self) -> int:
        """Where the adaptive limit starts (never above the process cap)."""
        return min(self.start_concurrency or self.max_concurrency, self.max_concurrency)


class _EnvReader:
    """Typed access to `SCENARIST_LLM_<NAME>` variables; blank means 'use the default'."""

    def __init__(self, env: Mapping[str, str]):
        self._env = env

    def _raw(self, name: str) -> str | None:
        value = self._env.get(ENV_PREFIX + name)
        if value is None or not value.strip():
            return None
        return value.strip()

    def text(self, name: str, default: str) -> str:
        raw = self._raw(name)
        return default if raw is None else raw

    def integer(self, name: str, default: int, *, minimum: int) -> int:
        raw = self._raw(name)
        if raw is None:
            return default
        try:
            value = int(raw)
        except ValueError:
            raise ValueError(f"{ENV_PREFIX}{name} must be an integer, got {raw!r}") from None
        if value < minimum:
            raise ValueError(f"{ENV_PREFIX}{name} must be >= {minimum}, got {value}")
        return value

    def number(self, name: str, default: float, *, minimum: float) -> float:
        raw = self._raw(name)
        if raw is None:
            return default
        try:
            value = float(raw)
        except ValueError:
            raise ValueError(f"{ENV_PREFIX}{name} must be a number, got {raw!r}") from None
        if value < minimum:
            raise ValueError(f"{ENV_PREFIX}{name} must be >= {minimum}, got {value}")
        return value

    def flag(self, name: str, default: bool) -> bool:
        raw = self._raw(name)
        if raw is None:
            return default
        if raw.lower() in ("1", "true", "yes", "on"):
            return True
        if raw.lower() in ("0", "false", "no", "off"):
            return False
        raise ValueError(f"{ENV_PREFIX}{name} must be 1/0 (true/false), got {raw!r}")

    def mode(self, name: str, default: StructuredMode) -> StructuredMode:
        raw = self._raw(name)
        if raw is None:
            return default
        try:
            return StructuredMode(raw.lower())
        except ValueError:
            choices = "|".join(m.value for m in StructuredMode)
            raise ValueError(f"{ENV_PREFIX}{name} must be one of {choices}, got {raw!r}") from None
