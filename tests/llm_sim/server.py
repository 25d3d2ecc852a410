"""The LLM simulator: an OpenAI-compatible HTTP server on 127.0.0.1, run in a background thread."""

from __future__ import annotations

import asyncio
import hashlib
import json
import random
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from aiohttp import web

from tests.llm_sim.config import (
    FAULTS,
    HANG,
    MALFORMED_JSON,
    NO_USAGE,
    RATE_LIMIT,
    REFUSAL,
    REFUSAL_MESSAGE,
    REFUSAL_TEXT,
    SERVER_ERROR,
    TRUNCATED_JSON,
    SimConfig,
)
from tests.llm_sim.synth import (
    SchemaSynthesizer,
    Vocabulary,
    extract_schema_from_messages,
    plain_text_answer,
)
from tests.llm_sim.tokens import PrefixCache, count_prompt_tokens, count_text_tokens, prompt_text

Responder = Callable[[dict[str, Any]], "dict | list | str | None"]

STATUS_CLIENT_GONE = 499  # logged when the client hung up before the answer (e.g. its timeout)


@dataclass
class CallRecord:
    """One request to /v1/chat/completions, as the simulator saw it."""

    index: int
    started_at: float
    messages: list[dict[str, Any]]
    model: str | None
    response_format: dict[str, Any] | None
    fault: str | None
    temperature: float | None = None
    seed: int | None = None
    max_tokens: int | None = None
    ended_at: float | None = None
    status: int | None = None
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cached_tokens: int = 0
    content: str | None = None
    body: dict[str, Any] | None = None

    @property
    def is_reask(self) -> bool:
        """The request showed the model a previous answer (an assistant message): a re-ask."""
        return any(isinstance(m, dict) and m.get("role") == "assistant" for m in self.messages)

    @property
    def answered(self) -> bool:
        """True for a 200 answer (the calls a provider would bill)."""
        return self.status == 200

    @property
    def duration_s(self) -> float | None:
        """Wall time the server spent on the call."""
        return None if self.ended_at is None else self.ended_at - self.started_at


class LLMSimulator:
    """An OpenAI-compatible chat server with set latency, token rate, concurrency and injected faults."""

    def __init__(self, config: SimConfig | None = None):
        self.config = config or SimConfig()
        self._lock = threading.Lock()
        self._calls: list[CallRecord] = []
        self._in_flight = 0
        self._max_in_flight = 0
        self._scripted: deque[str | None] = deque()
        self._responder: Responder | None = None
        self._fault_rng = random.Random(self.config.seed)
        self._occurrences: dict[str, int] = {}
        self._cache = PrefixCache(self.config.chars_per_token)
        self._thread: threading.Thread | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stopping: asyncio.Event | None = None
        self._ready = threading.Event()
        self._startup_error: BaseException | None = None
        self.port: int | None = None

    # --- lifecycle ----------------------------------------------------------------------------

    def start(self) -> "LLMSimulator":
        """Serve in a background thread; returns once the server listens."""
        if self._thread is not None:
            return self
        self._ready.clear()
        self._thread = threading.Thread(target=self._run, name="llm-sim", daemon=True)
        self._thread.start()
        if not self._ready.wait(10):
            raise RuntimeError("LLM simulator did not start within 10 s")
        if self._startup_error is not None:
            self._thread = None
            raise RuntimeError("LLM simulator failed to start") from self._startup_error
        return self

    def stop(self) -> None:
        """Stop serving (hanging calls end at once) and join the thread."""
        if self._thread is None or self._loop is None:
            return
        try:
            self._loop.call_soon_threadsafe(self._stopping.set)
        except RuntimeError:
            pass
        self._thread.join(10)
        self._thread = None

    def __enter__(self) -> "LLMSimulator":
        return self.start()

    def __exit__(self, *exc_info) -> None:
        self.stop()

    @property
    def base_url(self) -> str:
        """The OpenAI base URL to give a client (ends in /v1)."""
        if self.port is None:
            raise RuntimeError("the simulator is not started")
        return f"http://{self.config.host}:{self.port}/v1"

    def env(self, **extra: str) -> dict[str, str]:
        """SCENARIST_LLM_* variables pointing Scenarist at this simulator."""
        return {
            "SCENARIST_LLM_BASE_URL": self.base_url,
            "SCENARIST_LLM_API_KEY": self.config.require_api_key or "sim-key",
            "SCENARIST_LLM_MODEL": self.config.model,
            **extra,
        }

    # --- what tests steer and inspect -----------------------------------------------------------

    @property
    def calls(self) -> list[CallRecord]:
        """A snapshot of the call log, in arrival order."""
        with self._lock:
            return list(self._calls)

    @property
    def max_in_flight(self) -> int:
        """The most calls the server held at once since start or reset."""
        with self._lock:
            return self._max_in_flight

    @property
    def in_flight(self) -> int:
        """Calls being served now."""
        with self._lock:
            return self._in_flight

    def usage_totals(self) -> dict[str, int]:
        """Tokens and calls of the answered (200) calls — what a client's usage should add up to."""
        answered = [c for c in self.calls if c.answered]
        return {
            "prompt_tokens": sum(c.prompt_tokens for c in answered),
            "completion_tokens": sum(c.completion_tokens for c in answered),
            "llm_calls": len(answered),
            "cached_prompt_tokens": sum(c.cached_tokens for c in answered),
            "reasks": sum(1 for c in answered if c.is_reask),
            "fallbacks": 0,  # the server cannot see fallbacks: a client that fell back reports more
        }

    def reset(self) -> None:
        """Clear the log, counters, scripted faults and responder."""
        with self._lock:
            self._calls.clear()
            self._max_in_flight = self._in_flight
            self._scripted.clear()
            self._responder = None
            self._occurrences.clear()
            self._cache = PrefixCache(self.config.chars_per_token)
            self._fault_rng = random.Random(self.config.seed)

    def script_faults(self, faults: list[str | None]) -> None:
        """The next calls get these faults, in order (None = answer normally)."""
        unknown = [f for f in faults if f is not None and f not in FAULTS]
        if unknown:
            raise ValueError(f"unknown fault(s) {unknown}; known: {', '.join(FAULTS)}")
        with self._lock:
            self._scripted.extend(faults)

    def set_responder(self, responder: Responder | None) -> None:
        """fn(request_json) -> dict | list | str | None scripts the content (None → the synthesiser)."""
        with self._lock:
            self._responder = responder

    # --- server --------------------------------------------------------------------------------

    def _run(self) -> None:
        loop = asyncio.new_event_loop()
        self._loop = loop
        try:
            loop.run_until_complete(self._serve())
        except BaseException as exc:  # noqa: BLE001 — surfaced to start()
            self._startup_error = exc
            self._ready.set()
        finally:
            loop.close()

    async def _serve(self) -> None:
        self._stopping = asyncio.Event()
        self._server_slots = asyncio.Semaphore(self.config.max_concurrency) if self.config.max_concurrency else None
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_post("/v1/chat/completions", self._chat)
        app.router.add_get("/v1/models", self._models)
        runner = web.AppRunner(app, handler_cancellation=True, shutdown_timeout=1.0, access_log=None)
        await runner.setup()
        site = web.TCPSite(runner, self.config.host, self.config.port)
        await site.start()
        self.port = runner.addresses[0][1]
        self._ready.set()
        try:
            await self._stopping.wait()
        finally:
            await runner.cleanup()

    async def _models(self, request: web.Request) -> web.Response:
        denied = self._check_key(request)
        if denied is not None:
            return denied
        return web.json_response(
            {"object": "list", "data": [{"id": self.config.model, "object": "model", "created": 0, "owned_by": "llm-sim"}]}
        )

    async def _chat(self, request: web.Request) -> web.Response:
        denied = self._check_key(request)
        if denied is not None:
            return denied
        try:
            body = await request.json()
        except (json.JSONDecodeError, UnicodeDecodeError):
            return _error(400, "request body is not valid JSON", "invalid_request_error")
        if not isinstance(body, dict) or not isinstance(body.get("messages"), list):
            return _error(400, "'messages' is required", "invalid_request_error", param="messages")
        if body.get("stream"):
            return _error(400, "the simulator does not stream", "invalid_request_error", param="stream")
        record = self._open_record(body)
        limited = self._over_rate_limit()
        try:
            if limited is not None:
                record.status = 429
                return limited
            if self._server_slots is None:
                return await self._answer(body, record)
            async with self._server_slots:
                return await self._answer(body, record)
        except asyncio.CancelledError:
            record.status = STATUS_CLIENT_GONE
            raise
        finally:
            record.ended_at = time.time()
            with self._lock:
                self._in_flight -= 1

    def _over_rate_limit(self) -> web.Response | None:
        """A 429 for a call that arrived above `rate_limit_above` calls in flight (it counted itself in)."""
        limit = self.config.rate_limit_above
        with self._lock:
            over = bool(limit) and self._in_flight > limit
        if not over:
            return None
        return _error(429, "Rate limit reached for requests (simulated concurrency limit)", "requests",
                      code="rate_limit_exceeded", headers={"Retry-After": _header_seconds(self.config.retry_after_s)})

    def _open_record(self, body: dict[str, Any]) -> CallRecord:
        with self._lock:
            fault = self._scripted.popleft() if self._scripted else self._random_fault()
            record = CallRecord(
                index=len(self._calls),
                started_at=time.time(),
                messages=body["messages"],
                model=body.get("model"),
                response_format=body.get("response_format"),
                fault=fault,
                temperature=body.get("temperature"),
                seed=body.get("seed"),
                max_tokens=body.get("max_tokens") or body.get("max_completion_tokens"),
                body=body,
            )
            self._calls.append(record)
            self._in_flight += 1
            self._max_in_flight = max(self._max_in_flight, self._in_flight)
        return record

    def _random_fault(self) -> str | None:
        cfg = self.config
        if cfg.fault_rate and cfg.fault_mix and self._fault_rng.random() < cfg.fault_rate:
            return self._fault_rng.choice(cfg.fault_mix)
        return None

    async def _answer(self, body: dict[str, Any], record: CallRecord) -> web.Response:
        cfg = self.config
        fault = record.fault
        if fault == RATE_LIMIT:
            record.status = 429
            return _error(
                429, "Rate limit reached (simulated)", "rate_limit_error",
                code="rate_limit_exceeded", headers={"Retry-After": _header_seconds(cfg.retry_after_s)},
            )
        if fault == SERVER_ERROR:
            record.status = 500
            return _error(500, "The server had an error (simulated)", "server_error")
        if fault == HANG:
            try:
                await asyncio.wait_for(self._stopping.wait(), timeout=cfg.hang_s)
            except asyncio.TimeoutError:
                pass
            record.status = 503
            return _error(503, "simulated hang ended", "server_error")
        rejected = next((p for p in cfg.reject_params if p in body), None)
        if rejected is not None:
            record.status = 400
            if rejected == "max_tokens":
                message = ("Unsupported parameter: 'max_tokens' is not supported with this model. "
                           "Use 'max_completion_tokens' instead.")
            else:
                message = f"Unsupported value: '{rejected}' does not support {body[rejected]!r} with this model."
            return _error(400, message, "invalid_request_error", param=rejected, code="unsupported_parameter")
        response_format = body.get("response_format") or None
        if cfg.reject_json_schema and isinstance(response_format, dict) and response_format.get("type") == "json_schema":
            record.status = 400
            return _error(
                400, "response_format of type json_schema is not supported by this server",
                "invalid_request_error", param="response_format",
            )

        content = self._content(body, record)
        finish_reason = "stop"
        max_tokens = record.max_tokens
        if max_tokens and count_text_tokens(content, cfg.chars_per_token) > max_tokens:
            content, finish_reason = content[: max_tokens * cfg.chars_per_token], "length"
        refusal = None
        if fault == MALFORMED_JSON:
            content = content.replace('"', "'") if '"' in content else "{" + content
        elif fault == TRUNCATED_JSON:
            content, finish_reason = content[: max(1, len(content) // 2)], "length"
        elif fault == REFUSAL:
            content, refusal = None, REFUSAL_MESSAGE
        elif fault == REFUSAL_TEXT:
            content = REFUSAL_MESSAGE

        record.prompt_tokens = count_prompt_tokens(body, cfg.chars_per_token)
        if cfg.prompt_cache:
            with self._lock:
                record.cached_tokens = min(record.prompt_tokens, self._cache.cached_tokens(prompt_text(body)))
        record.completion_tokens = count_text_tokens(content or refusal or "", cfg.chars_per_token)
        record.content = content
        delay = cfg.latency_s + (record.completion_tokens / cfg.tokens_per_s if cfg.tokens_per_s else 0.0)
        if delay > 0:
            await asyncio.sleep(delay)
        payload: dict[str, Any] = {
            "id": f"chatcmpl-sim-{record.index}",
            "object": "chat.completion",
            "created": int(time.time()),
            "model": record.model or cfg.model,
            "system_fingerprint": "llm-sim",
            "choices": [
                {
                    "index": 0,
                    "message": {"role": "assistant", "content": content, "refusal": refusal},
                    "finish_reason": finish_reason,
                    "logprobs": None,
                }
            ],
        }
        if fault != NO_USAGE:
            payload["usage"] = {
                "prompt_tokens": record.prompt_tokens,
                "completion_tokens": record.completion_tokens,
                "total_tokens": record.prompt_tokens + record.completion_tokens,
                "prompt_tokens_details": {"cached_tokens": record.cached_tokens},
            }
        record.status = 200
        headers = {}
        if cfg.ratelimit_requests:
            with self._lock:
                remaining = max(0, cfg.ratelimit_requests - self._in_flight)
            headers = {"x-ratelimit-limit-requests": str(cfg.ratelimit_requests),
                       "x-ratelimit-remaining-requests": str(remaining)}
        return web.json_response(payload, headers=headers)

    def _content(self, body: dict[str, Any], record: CallRecord) -> str:
        with self._lock:
            responder = self._responder
        if responder is not None:
            scripted = responder(body)
            if isinstance(scripted, str):
                return scripted
            if scripted is not None:
                return json.dumps(scripted, ensure_ascii=False)
        rng = self._call_rng(body)
        vocabulary = Vocabulary.from_messages(body["messages"])
        schema = _requested_schema(body)
        if schema is None:
            if isinstance(body.get("response_format"), dict) and body["response_format"].get("type") == "json_object":
                return json.dumps({"answer": plain_text_answer(vocabulary, rng)})
            return plain_text_answer(vocabulary, rng)
        return json.dumps(SchemaSynthesizer(schema, vocabulary, rng).value(), ensure_ascii=False)

    def _call_rng(self, body: dict[str, Any]) -> random.Random:
        """Seeded by the sim seed, the request and how often it was seen: deterministic, yet varied per call."""
        fingerprint = hashlib.sha256(
            json.dumps([body.get("messages"), body.get("response_format"), body.get("seed")], sort_keys=True, default=str).encode()
        ).hexdigest()
        with self._lock:
            seen = self._occurrences.get(fingerprint, 0)
            self._occurrences[fingerprint] = seen + 1
        return random.Random(f"{self.config.seed}|{fingerprint}|{seen}")

    def _check_key(self, request: web.Request) -> web.Response | None:
        expected = self.config.require_api_key
        if expected is None or request.headers.get("Authorization") == f"Bearer {expected}":
            return None
        return _error(401, "Incorrect API key provided (simulated)", "invalid_request_error", code="invalid_api_key")


def _requested_schema(body: dict[str, Any]) -> dict[str, Any] | None:
    response_format = body.get("response_format")
    if not isinstance(response_format, dict):
        return None
    if response_format.get("type") == "json_schema":
        schema = (response_format.get("json_schema") or {}).get("schema")
        return schema if isinstance(schema, dict) else {"type": "object"}
    if response_format.get("type") == "json_object":
        return extract_schema_from_messages(body["messages"])
    return None


def _error(
    status: int, message: str, kind: str, *, param: str | None = None, code: str | None = None,
    headers: dict[str, str] | None = None,
) -> web.Response:
    body = {"error": {"message": message, "type": kind, "param": param, "code": code}}
    return web.json_response(body, status=status, headers=headers)


def _header_seconds(seconds: float) -> str:
    return str(int(seconds)) if float(seconds).is_integer() else f"{seconds:g}"
