"""Exceptions raised by the Scenarist client; each carries a message fit to show a user as is."""

from __future__ import annotations

from typing import Any


class ScenaristError(Exception):
    """Base class of every client error."""


class ScenaristAPIError(ScenaristError):
    """The server answered with an error status; `body` is its JSON body (DRF field errors or `{"detail"}`)."""

    def __init__(self, status: int, body: Any, *, method: str = "", path: str = ""):
        self.status = status
        self.body = body
        self.method = method
        self.path = path
        self.context = ""
        super().__init__(self._message())

    def add_context(self, text: str) -> "ScenaristAPIError":
        """Say what was being done (e.g. "tool 'lookup'") in front of the message; returns self."""
        self.context = text
        self.args = (self._message(),)
        return self

    @property
    def field_errors(self) -> dict[str, list[str]]:
        """`{field: [messages]}` of a DRF 400 body (empty for `{"detail"}` bodies)."""
        if not isinstance(self.body, dict):
            return {}
        return {key: _as_list(value) for key, value in self.body.items() if key != "detail"}

    @property
    def detail(self) -> str:
        """The server's `detail` text, or a short description of the body."""
        if isinstance(self.body, dict) and "detail" in self.body:
            return str(self.body["detail"])
        if isinstance(self.body, str) and self.body.strip():
            return self.body.strip().splitlines()[0][:200]
        return ""

    def _message(self) -> str:
        where = f" on {self.method} {self.path}" if self.method else ""
        head = (f"{self.context}: " if self.context else "") + f"HTTP {self.status}{where}"
        if self.detail:
            head += f": {self.detail}"
        lines = [head]
        for field, messages in self.field_errors.items():
            lines.append(f"  {field}: {' '.join(messages)}")
        return "\n".join(lines)


class AuthenticationError(ScenaristAPIError):
    """401: the API key is missing or not valid."""

    def _message(self) -> str:
        reason = self.detail or "the API key was refused"
        code = f" (HTTP {self.status})" if self.status else ""
        return (f"{self.context}: " if getattr(self, "context", "") else "") + f"authentication failed{code}: {reason} — check --api-key / SCENARIST_API_KEY"


class NotFoundError(ScenaristAPIError):
    """404: the row does not exist or belongs to another project."""


class ConnectionFailed(ScenaristError):
    """The server could not be reached (after every retry)."""

    def __init__(self, base_url: str, reason: str, attempts: int):
        self.base_url = base_url
        self.reason = reason
        self.attempts = attempts
        super().__init__(f"cannot connect to {base_url} after {attempts} attempt(s): {reason}")


class JobFailedError(ScenaristError):
    """A background job ended `failed` or `cancelled`; the message is the server's error text."""

    def __init__(self, progress_id: str, status: str, error: str, body: dict | None = None):
        self.progress_id = progress_id
        self.status = status
        self.error = error
        self.body = body or {}
        super().__init__(f"job {progress_id} {status}: {error}")


class JobTimeout(ScenaristError):
    """`wait(timeout=…)` ran out before the job finished (the job keeps running on the server)."""


def _as_list(value: Any) -> list[str]:
    """DRF error values: a string, a list of strings, or nested dicts/lists (flattened readably)."""
    if isinstance(value, list):
        out: list[str] = []
        for item in value:
            out.extend(_as_list(item))
        return out
    if isinstance(value, dict):
        return [f"{key}: {' '.join(_as_list(item))}" for key, item in value.items()]
    return [str(value)]
