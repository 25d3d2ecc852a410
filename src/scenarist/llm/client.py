"""`OpenAICompatibleLLM`: the StructuredLLM over any OpenAI-compatible Chat Completions server."""

from __future__ import annotations

import asyncio
import contextvars
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

from scenarist.llm.aimd import AdaptiveLimiter, limiter_for
from scenarist.llm.config import LLMConfig, StructuredMode
from scenarist.llm.errors import (
    LLMError,
    OutputTruncatedError,
    OutputValidationError,
    PermanentLLMError,
    RefusalError,
    RetryableLLMError,
)
from scenarist.llm.failures import ParameterRejected, StructuredModeRejected, classify
from scenarist.llm.limiter import CrossLoopLimiter
from scenarist.llm.sizing import estimate_prompt_tokens, output_token_bound, prompt_tokens_that_fit
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
# A 429/503 also teaches the AIMD limiter to slow down, so those get this many retries on top of max_retries:
# the calls of a burst sent above the provider's limit must survive the few halvings that find it.
OVERLOAD_EXTRA_RETRIES = 8
# The smallest answer worth asking for; a prompt that leaves less room than this in the context is refused.
MIN_ANSWER_TOKENS = 64

# Response headers of the current task's last HTTP answer (set by an httpx event hook, read by _ask_once).
_response_headers: contextvars.ContextVar[list | None] = contextvars.ContextVar("scenarist_llm_headers", default=None)


class ContextOverflowError(PermanentLLMError):
    """The prompt leaves no room for the answer in the model's context (SCENARIST_LLM_CONTEXT_TOKENS)."""

UsageSink = Callable[[Usage], None]
Hook = Callable[[], None]
# Name of the task carrying one HTTP call: a job engine stopping an attempt lets these finish (they are billed).
IN_FLIGHT_TASK_NAME = "scenarist.llm.in-flight"


@dataclass
class _Answer:
    """The assistant's text from one successful HTTP call."""

    content: str
    finish_reason: str | None
    max_tokens: int = 0


class OpenAICompatibleLLM:
    """Structured completions with timeouts, retries, a process-wide cap, refusal detection and a re-ask."""

    def __init__(self, config: LLMConfig):
        self.config = config
        self.model_name = config.model
        base_url = config.base_url or OPENAI_BASE_URL
        self._limiter = (limiter_for(base_url, config.model, config.max_concurrency, config.initial_concurrency)
                         if config.adaptive_concurrency else AdaptiveLimiter(config.max_concurrency))
        self._structured_mode = config.structured_mode
        self._object_mode_models: set[type[BaseModel]] = set()  # schemas this server could not turn into a grammar
        self._mode_lock = threading.Lock()
        # Per-model parameter quirks learnt from 400s (this client serves one model): dropped, renamed.
        self._dropped_params: set[str] = set()
        self._max_tokens_field = "max_tokens"
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

    @property
    def concurrency_limit(self) -> int:
        """The adaptive limit of this (base URL, model) now."""
        return self._limiter.limit

    def output_tokens_for(self, output_model: type[BaseModel], max_tokens: int | None = None) -> int:
        """The output bound a call for `output_model` gets (its schema's need, at most MAX_OUTPUT_TOKENS)."""
        return output_token_bound(output_model, max_tokens, self.config.max_output_tokens)

    def prompt_tokens_available(self, output_model: type[BaseModel], max_tokens: int | None = None) -> int:
        """Prompt tokens that fit SCENARIST_LLM_CONTEXT_TOKENS beside this call's answer (callers chunk to it)."""
        return prompt_tokens_that_fit(self.config.context_tokens, self.output_tokens_for(output_model, max_tokens))

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
        bound = self.output_tokens_for(request.output_model, request.max_tokens)
        answer = await self._ask_with_retries(request, request.messages, bound)
        outcome = parse_answer(answer.content, request.output_model, answer.finish_reason)
        if outcome.value is not None:
            return outcome.value
        log.info("LLM answer unusable (%s); re-asking once", outcome.problem)
        retry_messages = reask_messages(request.messages, answer.content, outcome.problems)
        # A cut-off answer may have been a fair need above the estimate: the re-ask gets twice the room (capped).
        retry_bound = min(self.config.max_output_tokens, bound * 2) if outcome.truncated else bound
        second = await self._ask_with_retries(request, retry_messages, retry_bound)
        second_outcome = parse_answer(second.content, request.output_model, second.finish_reason)
        if second_outcome.value is not None:
            return second_outcome.value
        error = OutputTruncatedError if second_outcome.truncated else OutputValidationError
        raise error(f"{request.output_model.__name__}: {second_outcome.problem} (after one re-ask)")

    async def _ask_with_retries(self, request: "_Request", messages: list[dict[str, str]], max_tokens: int) -> _Answer:
        attempt = 0
        overloads = 0
        while True:
            mode = (StructuredMode.JSON_OBJECT if request.output_model in self._object_mode_models
                    else self._structured_mode)
            try:
                return await self._ask_once(request, messages, mode, max_tokens)
            except StructuredModeRejected as exc:
                if mode is not StructuredMode.JSON_SCHEMA:
                    raise
                self._fall_back_to_json_object(request.output_model if exc.schema_specific else None, exc)
            except ParameterRejected as exc:
                if not self._adapt_to(exc):
                    raise
            except RetryableLLMError as exc:
                if exc.overload and overloads < OVERLOAD_EXTRA_RETRIES:
                    overloads += 1
                elif attempt >= self.config.max_retries:
                    raise
                else:
                    attempt += 1
                delay = self._retry_delay(attempt + overloads - 1, exc.retry_after)
                log.info("LLM call failed (%s); retry in %.2fs", exc, delay)
                await asyncio.sleep(delay)

    def _fall_back_to_json_object(self, output_model: type[BaseModel] | None, exc: Exception) -> None:
        """json_object mode for one schema the server cannot use, or for the whole client; logged once each."""
        with self._mode_lock:
            if output_model is not None:
                if output_model not in self._object_mode_models:
                    self._object_mode_models.add(output_model)
                    log.warning("LLM server could not use the JSON schema of %s (%s); json_object mode for it",
                                output_model.__name__, str(exc)[:300])
                return
            if self._structured_mode is StructuredMode.JSON_SCHEMA:
                self._structured_mode = StructuredMode.JSON_OBJECT
                log.warning("LLM server %s rejected response_format json_schema; using json_object mode from now on",
                            self.config.base_url or OPENAI_BASE_URL)

    def _adapt_to(self, exc: ParameterRejected) -> bool:
        """Remember a rejected parameter for this model (drop it or use its replacement); False if already done."""
        with self._mode_lock:
            if exc.replacement and self._max_tokens_field == exc.param:
                self._max_tokens_field = exc.replacement
            elif exc.param not in self._dropped_params and exc.param != self._max_tokens_field:
                self._dropped_params.add(exc.param)
            else:
                return False
        log.warning("model %s rejects '%s'; %s from now on", self.model_name, exc.param,
                    f"sending '{exc.replacement}' instead" if exc.replacement else "leaving it out")
        return True

    async def _ask_once(
        self, request: "_Request", messages: list[dict[str, str]], mode: StructuredMode, max_tokens: int
    ) -> _Answer:
        if request.before_request is not None:
            request.before_request()
        wire_messages = messages if mode is StructuredMode.JSON_SCHEMA else with_schema_instruction(
            messages, request.output_model
        )
        max_tokens = self._fit_to_context(wire_messages, max_tokens)
        body: dict[str, Any] = {
            "model": self.config.model,
            "messages": wire_messages,
            "temperature": request.temperature,
            "response_format": response_format_for(mode, request.output_model),
            self._max_tokens_field: max_tokens,
        }
        if request.seed is not None:
            body["seed"] = request.seed
        for param in self._dropped_params:
            body.pop(param, None)
        client = self._sdk_client()
        adaptive = self.config.adaptive_concurrency
        # `post` is the SDK's documented raw call: `chat.completions.create` would re-walk this plain-JSON body
        # against its TypedDicts on every request (~0.5 ms of CPU each, paid n times before the last item leaves).
        async with self._limiter.slot() as ticket:
            headers: list = []
            token = _response_headers.set(headers)
            try:
                # The call runs as its own task (it copies this context, so the header hook still reaches
                # `headers`); a cancelled attempt lets it finish and records its usage, since the provider bills it.
                call = asyncio.get_running_loop().create_task(self._post(client, body), name=IN_FLIGHT_TASK_NAME)
                try:
                    response = await asyncio.shield(call)
                except asyncio.CancelledError:
                    await _record_when_answered(call, request.record)
                    raise
            except RetryableLLMError as failure:
                if adaptive and failure.overload:
                    self._limiter.on_overload(ticket, failure.retry_after)
                raise
            finally:
                _response_headers.reset(token)
            usage = _usage_of(response)
            # Any conversation that shows the model a previous answer is a re-ask (ours or a caller's check re-ask).
            usage.reasks = int(any(m.get("role") == "assistant" for m in messages))
            if adaptive:
                self._limiter.on_success(ticket, headers[-1] if headers else None,
                                         (usage.prompt_tokens or 0) + (usage.completion_tokens or 0))
        request.record(usage)
        answer = _answer_of(response)
        answer.max_tokens = max_tokens
        return answer

    def _fit_to_context(self, messages: list[dict[str, str]], max_tokens: int) -> int:
        """The output bound shrunk to what the context leaves after the prompt; refuse a prompt that leaves none."""
        prompt = estimate_prompt_tokens(messages)
        room = prompt_tokens_that_fit(self.config.context_tokens, prompt)
        if room < min(max_tokens, MIN_ANSWER_TOKENS):
            raise ContextOverflowError(
                f"the prompt (~{prompt} tokens) leaves no room for the answer in a context of "
                f"{self.config.context_tokens} tokens (SCENARIST_LLM_CONTEXT_TOKENS); the caller must shorten it")
        return min(max_tokens, room)

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
                http_client=openai.DefaultAsyncHttpxClient(
                    verify=shared_tls_context(), event_hooks={"response": [_capture_headers]}),
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


async def _capture_headers(response) -> None:
    """httpx response hook: hand the headers (x-ratelimit-*) to the call running in this task."""
    holder = _response_headers.get()
    if holder is not None:
        holder.append(response.headers)


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

    def record_fallback(self, count: int = 1) -> None:
        """Count an item written by the offline writer after the model failed it (reported as usage.fallbacks)."""
        self.meter.record_fallback(count)

    def prompt_tokens_available(self, output_model: type[BaseModel], max_tokens: int | None = None) -> int:
        """Prompt tokens that fit the model's context beside this call's answer (see OpenAICompatibleLLM)."""
        return self._llm.prompt_tokens_available(output_model, max_tokens)

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
    details = getattr(usage, "prompt_tokens_details", None)
    if isinstance(details, dict):
        cached = details.get("cached_tokens")
    else:
        cached = getattr(details, "cached_tokens", None)
    return Usage(
        prompt_tokens=_count(getattr(usage, "prompt_tokens", None)),
        completion_tokens=_count(getattr(usage, "completion_tokens", None)),
        llm_calls=1,
        cached_prompt_tokens=_count(cached) or 0,
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

