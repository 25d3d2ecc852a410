"""`OpenAICompatibleLLM`: the StructuredLLM over any OpenAI-compatible Chat Completions server."""

from __future__ import annotations

import asyncio
import logging
import random
import ssl
import threading
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, TypeVar

import httpx2
import openai
from openai.types.chat import ChatCompletion
from pydantic import BaseModel

from scenarist.llm.config import LLMConfig, StructuredMode
from scenarist.llm.errors import (
    LLMError,
    OutputValidationError,
    RefusalError,
    RetryableLLMError,
)
from scenarist.llm.failures import StructuredModeRejected, classify
from scenarist.llm.limiter import CrossLoopLimiter
from scenarist.llm.port import StructuredLLM, Usage, UsageMeter
from scenarist.llm.structured import (
    looks_like_refusal,
    parse_answer,
    reask_messages,
    response_format_for,
    with_schema_instruction,
)

T = TypeVar("T", bound=BaseModel)
log = logging.getLogger("scenarist.llm")

OPENAI_BASE_URL = "https://api.openai.com/v1"
# Local servers ignore the key, but the SDK insists on one.
PLACEHOLDER_API_KEY = "not-needed"

UsageSink = Callable[[Usage], None]
Hook = Callable[[], None]
# Name of the task carrying one HTTP call: a job engine stopping an attempt lets these finish (they are billed).
IN_FLIGHT_TASK_NAME = "scenarist.llm.in-flight"


@dataclass
class _Answer:
    """The assistant's text from one successful HTTP call."""

    content: str
    finish_reason: str | None


class OpenAICompatibleLLM:
    """Structured completions with timeouts, retries, a process-wide cap, refusal detection and a re-ask."""

    def __init__(self, config: LLMConfig):
        self.config = config
        self.model_name = config.model
        self._limiter = CrossLoopLimiter(config.max_concurrency)
        self._structured_mode = config.structured_mode
        self._clients: dict[int, tuple[weakref.ref, openai.AsyncOpenAI]] = {}
        self._clients_lock = threading.Lock()
        self._jitter = random.Random()
        shared_tls_context()  # built now (worker start), not on the first call of a job

    @property
    def structured_mode(self) -> StructuredMode:
        """The mode in use now (json_schema falls back to json_object once a server rejects it)."""
        return self._structured_mode

    @property
    def in_flight(self) -> int:
        """HTTP calls currently holding a process-wide slot."""
        return self._limiter.in_use

    def new_meter(self) -> UsageMeter:
        """A fresh per-job meter carrying the configured token budget."""
        return UsageMeter(budget_tokens=self.config.job_token_budget)

    def for_job(self, meter: UsageMeter, max_concurrency: int | None = None) -> StructuredLLM:
        """A per-job view: its own cap (inside the process-wide one), usage into `meter`, budget checked per call."""
        return JobLLM(self, meter, max_concurrency or self.config.job_concurrency)

    async def complete_structured(
        self,
        messages: list[dict[str, str]],
        output_model: type[T],
        *,
        temperature: float = 0.7,
        seed: int | None = None,
        max_tokens: int | None = None,
    ) -> tuple[T, Usage]:
        """Ask for one object of `output_model`; the LLMError raised on failure carries `.usage`."""
        return await self.run_structured(
            messages, output_model, temperature=temperature, seed=seed, max_tokens=max_tokens
        )

    async def run_structured(
        self,
        messages: list[dict[str, str]],
        output_model: type[T],
        *,
        temperature: float = 0.7,
        seed: int | None = None,
        max_tokens: int | None = None,
        on_usage: UsageSink | None = None,
        before_request: Hook | None = None,
    ) -> tuple[T, Usage]:
        """complete_structured with hooks: `on_usage` after each HTTP answer, `before_request` before each call."""
        spent = Usage()

        def record(usage: Usage) -> None:
            spent.add(usage)
            if on_usage is not None:
                on_usage(usage)

        request = _Request(messages, output_model, temperature, seed, max_tokens, record, before_request)
        try:
            return await self._answer_with_reask(request), spent
        except LLMError as exc:
            exc.usage = spent
            raise

    async def aclose(self) -> None:
        """Close the SDK client bound to the running event loop (others close with their loops)."""
        loop = asyncio.get_running_loop()
        with self._clients_lock:
            entry = self._clients.pop(id(loop), None)
        if entry is not None:
            await entry[1].close()

    # --- one logical call: ask, validate, re-ask once -----------------------------------------

    async def _answer_with_reask(self, request: "_Request") -> Any:
        answer = await self._ask_with_retries(request, request.messages)
        outcome = parse_answer(answer.content, request.output_model, answer.finish_reason)
        if outcome.value is not None:
            return outcome.value
        log.info("LLM answer unusable (%s); re-asking once", outcome.problem)
        retry_messages = reask_messages(request.messages, answer.content, outcome.problem or "invalid")
        second = await self._ask_with_retries(request, retry_messages)
        second_outcome = parse_answer(second.content, request.output_model, second.finish_reason)
        if second_outcome.value is not None:
            return second_outcome.value
        raise OutputValidationError(
            f"{request.output_model.__name__}: {second_outcome.problem} (after one re-ask)"
        )

    async def _ask_with_retries(self, request: "_Request", messages: list[dict[str, str]]) -> _Answer:
        attempt = 0
        while True:
            try:
                return await self._ask_once(request, messages)
            except StructuredModeRejected:
                if self._structured_mode is not StructuredMode.JSON_SCHEMA:
                    raise
                log.warning("LLM server rejected json_schema; using json_object mode from now on")
                self._structured_mode = StructuredMode.JSON_OBJECT
            except RetryableLLMError as exc:
                if attempt >= self.config.max_retries:
                    raise
                delay = self._retry_delay(attempt, exc.retry_after)
                log.info("LLM call failed (%s); retry %d in %.2fs", exc, attempt + 1, delay)
                attempt += 1
                await asyncio.sleep(delay)

    async def _ask_once(self, request: "_Request", messages: list[dict[str, str]]) -> _Answer:
        if request.before_request is not None:
            request.before_request()
        mode = self._structured_mode
        wire_messages = messages if mode is StructuredMode.JSON_SCHEMA else with_schema_instruction(
            messages, request.output_model
        )
        body: dict[str, Any] = {
            "model": self.config.model,
            "messages": wire_messages,
            "temperature": request.temperature,
            "response_format": response_format_for(mode, request.output_model),
        }
        if request.seed is not None:
            body["seed"] = request.seed
        if request.max_tokens:
            body["max_tokens"] = request.max_tokens
        client = self._sdk_client()
        # `post` is the SDK's documented raw call: `chat.completions.create` would re-walk this plain-JSON body
        # against its TypedDicts on every request (~0.5 ms of CPU each, paid n times before the last item leaves).
        async with self._limiter.slot():
            call = asyncio.get_running_loop().create_task(self._post(client, body), name=IN_FLIGHT_TASK_NAME)
            try:
                response = await asyncio.shield(call)
            except asyncio.CancelledError:
                await _record_when_answered(call, request.record)
                raise
        request.record(_usage_of(response))
        return _answer_of(response)

    async def _post(self, client: openai.AsyncOpenAI, body: dict[str, Any]) -> ChatCompletion:
        """One HTTP call within the timeout; failures mapped onto the taxonomy."""
        try:
            async with asyncio.timeout(self.config.timeout_s):
                return await client.post("/chat/completions", body=body, cast_to=ChatCompletion)
        except Exception as exc:  # noqa: BLE001 — every failure is mapped onto the taxonomy
            raise classify(exc) from exc

    def _retry_delay(self, attempt: int, retry_after: float | None) -> float:
        if retry_after is not None:
            return min(retry_after, self.config.max_retry_after_s)
        ceiling = min(self.config.backoff_max_s, self.config.backoff_base_s * (2**attempt))
        return ceiling / 2 + self._jitter.random() * ceiling / 2

    def _sdk_client(self) -> openai.AsyncOpenAI:
        """One AsyncOpenAI per event loop: its httpx pool is bound to the loop that first used it."""
        loop = asyncio.get_running_loop()
        with self._clients_lock:
            entry = self._clients.get(id(loop))
            if entry is not None and entry[0]() is loop:
                return entry[1]
            self._forget_dead_loops()
            client = openai.AsyncOpenAI(
                api_key=self.config.api_key or PLACEHOLDER_API_KEY,
                base_url=self.config.base_url or OPENAI_BASE_URL,
                timeout=self.config.timeout_s,
                max_retries=0,  # retries are ours, so Retry-After and the taxonomy stay under our control
                http_client=openai.DefaultAsyncHttpxClient(verify=shared_tls_context()),
            )
            self._clients[id(loop)] = (weakref.ref(loop), client)
            return client

    def _forget_dead_loops(self) -> None:
        for key, (loop_ref, _client) in list(self._clients.items()):
            loop = loop_ref()
            if loop is None or loop.is_closed():
                del self._clients[key]


async def _record_when_answered(call: asyncio.Future, record: UsageSink) -> None:
    """A call cancelled in flight was already sent, so the provider bills it: let it finish (within its timeout)
    and record its usage, so a job's recorded usage equals the provider's count even when the job is stopped."""
    try:
        response = await call
    except BaseException:  # noqa: BLE001 — failed or cancelled again: nothing billed to record
        return
    record(_usage_of(response))


@lru_cache(maxsize=1)
def shared_tls_context() -> ssl.SSLContext:
    """The verifying TLS context of every SDK client in the process (loading the CA bundle costs 30–70 ms)."""
    return httpx2.create_ssl_context()


class JobLLM:
    """One job's view of the shared client: its own concurrency cap, usage meter and token budget."""

    def __init__(self, llm: OpenAICompatibleLLM, meter: UsageMeter, max_concurrency: int):
        self.model_name = llm.model_name
        self.meter = meter
        self._llm = llm
        self._limiter = CrossLoopLimiter(max_concurrency)

    async def complete_structured(
        self,
        messages: list[dict[str, str]],
        output_model: type[T],
        *,
        temperature: float = 0.7,
        seed: int | None = None,
        max_tokens: int | None = None,
    ) -> tuple[T, Usage]:
        """As OpenAICompatibleLLM.complete_structured; raises BudgetExceededError once the budget is spent."""
        async with self._limiter.slot():
            self.meter.check_budget()
            return await self._llm.run_structured(
                messages,
                output_model,
                temperature=temperature,
                seed=seed,
                max_tokens=max_tokens,
                on_usage=self.meter.record,
                before_request=self.meter.check_budget,
            )


@dataclass
class _Request:
    """Everything one logical structured call needs."""

    messages: list[dict[str, str]]
    output_model: type[BaseModel]
    temperature: float
    seed: int | None
    max_tokens: int | None
    record: UsageSink
    before_request: Hook | None


def _usage_of(response: Any) -> Usage:
    """One call's usage; counts the server left out stay None."""
    usage = getattr(response, "usage", None)
    if usage is None:
        return Usage(prompt_tokens=None, completion_tokens=None, llm_calls=1)
    return Usage(
        prompt_tokens=_count(getattr(usage, "prompt_tokens", None)),
        completion_tokens=_count(getattr(usage, "completion_tokens", None)),
        llm_calls=1,
    )


def _count(value: Any) -> int | None:
    return value if isinstance(value, int) and value >= 0 else None


def _answer_of(response: Any) -> _Answer:
    """The first choice's text; a refusal (field, content filter or refusal prose) raises RefusalError."""
    choices = getattr(response, "choices", None) or []
    if not choices:
        raise RetryableLLMError("the LLM server answered without any choices")
    choice = choices[0]
    message = choice.message
    refusal = getattr(message, "refusal", None)
    if refusal:
        raise RefusalError(f"the model refused: {refusal}")
    if choice.finish_reason == "content_filter":
        raise RefusalError("the provider's content filter blocked the answer")
    content = message.content or ""
    if looks_like_refusal(content):
        raise RefusalError(f"the model refused: {content.strip()[:200]}")
    return _Answer(content=content, finish_reason=choice.finish_reason)


def build_llm(config: LLMConfig | None = None) -> OpenAICompatibleLLM | None:
    """The configured client, or None when no provider is set (the offline engine is used instead)."""
    config = config or LLMConfig.from_env()
    if not config.is_configured:
        return None
    return OpenAICompatibleLLM(config)

