"""HTTP transport: base URL, API-key header, retries with backoff, and mapping of error answers to exceptions."""

from __future__ import annotations

import os
import time
from typing import Any

import httpx

from .errors import AuthenticationError, ConnectionFailed, NotFoundError, ScenaristAPIError

DEFAULT_URL = "http://127.0.0.1:8000"
API_PREFIX = "/test_framework/v1/"
KEY_HEADER = "X-CEKURA-API-KEY"
RETRYABLE_STATUSES = frozenset({502, 503, 504})
# Methods a server may safely receive twice; only these are retried once a request may have been received.
IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})
BACKOFF_BASE_S = 0.25
BACKOFF_MAX_S = 4.0


def resolve_base_url(base_url: str | None) -> str:
    """The given URL, else $SCENARIST_URL, else the local default; without a trailing slash."""
    url = base_url or os.environ.get("SCENARIST_URL") or DEFAULT_URL
    return url.rstrip("/")


def resolve_api_key(api_key: str | None) -> str | None:
    """The given key, else $SCENARIST_API_KEY, else $CEKURA_API_KEY (None when none is set)."""
    return api_key or os.environ.get("SCENARIST_API_KEY") or os.environ.get("CEKURA_API_KEY") or None


class Transport:
    """Sends requests to one server with one key; retries only what is safe to retry."""

    def __init__(self, base_url: str | None = None, api_key: str | None = None, *, timeout: float = 30,
                 retries: int = 3, http: httpx.Client | None = None, backoff_base: float = BACKOFF_BASE_S):
        self.base_url = resolve_base_url(base_url)
        self.backoff_base = backoff_base
        self.api_key = resolve_api_key(api_key)
        self.retries = max(0, retries)
        headers = {"Accept": "application/json", "User-Agent": "scenarist-client/0.1"}
        if self.api_key:
            headers[KEY_HEADER] = self.api_key
        self.http = http or httpx.Client(base_url=self.base_url, headers=headers, timeout=timeout)

    def close(self) -> None:
        """Close the connection pool."""
        self.http.close()

    def url(self, path: str) -> str:
        """An API path (`aiagents/`) or an absolute server path (`/user/v1/projects/`) as a server path."""
        return path if path.startswith("/") else API_PREFIX + path

    def request(self, method: str, path: str, *, params: dict | None = None, json: Any = None,
                files: Any = None, data: dict | None = None) -> Any:
        """Send one request; return the decoded JSON body (None for 204); raise a client error otherwise."""
        method = method.upper()
        url = self.url(path)
        params = {k: v for k, v in (params or {}).items() if v is not None}
        attempt = 0
        while True:
            attempt += 1
            try:
                response = self.http.request(method, url, params=params, json=json, files=files, data=data)
            except (httpx.ConnectError, httpx.ConnectTimeout) as exc:
                # The request never reached the server: safe to retry for every method.
                if attempt <= self.retries:
                    self._sleep(attempt)
                    continue
                raise ConnectionFailed(self.base_url, _reason(exc), attempt) from None
            except httpx.TransportError as exc:
                # It may have been received: retry only methods the server may see twice.
                if method in IDEMPOTENT_METHODS and attempt <= self.retries:
                    self._sleep(attempt)
                    continue
                raise ConnectionFailed(self.base_url, _reason(exc), attempt) from None
            if (response.status_code in RETRYABLE_STATUSES and method in IDEMPOTENT_METHODS
                    and attempt <= self.retries):
                self._sleep(attempt, response.headers.get("Retry-After"))
                continue
            return _decode(response, method, url)

    def _sleep(self, attempt: int, retry_after: str | None = None) -> None:
        delay = min(BACKOFF_MAX_S, self.backoff_base * 2 ** (attempt - 1))
        if retry_after and retry_after.strip().isdigit():
            delay = min(BACKOFF_MAX_S * 2, float(retry_after))
        time.sleep(delay)


def _reason(exc: Exception) -> str:
    text = str(exc) or type(exc).__name__
    return text.splitlines()[0]


def _decode(response: httpx.Response, method: str, url: str) -> Any:
    """The JSON body of a 2xx answer; the matching exception for anything else."""
    try:
        body: Any = response.json() if response.content else None
    except ValueError:
        body = response.text
    status = response.status_code
    if 200 <= status < 300:
        return body
    error_class = {401: AuthenticationError, 403: ScenaristAPIError, 404: NotFoundError}.get(status, ScenaristAPIError)
    if status == 403 and isinstance(body, dict) and "credentials" in str(body.get("detail", "")).lower():
        error_class = AuthenticationError
    raise error_class(status, body, method=method, path=url)
