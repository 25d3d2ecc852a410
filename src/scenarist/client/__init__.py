"""Python SDK of the Scenarist API (HTTP only, no Django): works against any server that speaks this API.

    from scenarist.client import Scenarist
    client = Scenarist()                     # $SCENARIST_URL, $SCENARIST_API_KEY (or $CEKURA_API_KEY)
    job = client.scenarios.generate(agent_id=1, num_scenarios=20)
    scenarios = job.wait(progress=True)
"""

from __future__ import annotations

from typing import Any

from .errors import (
    AuthenticationError,
    ConnectionFailed,
    JobFailedError,
    JobTimeout,
    NotFoundError,
    ScenaristAPIError,
    ScenaristError,
)
from .jobs import ClientJob, JobFamily, JobState
from .models import (
    Agent,
    CallerTool,
    CleanDescription,
    DynamicVariable,
    Folder,
    JobProgress,
    KnowledgeBaseFile,
    Metric,
    Page,
    Personality,
    PhoneNumber,
    PredefinedMetric,
    Scenario,
    TestProfile,
    Tool,
)
from .resources import (
    Agents,
    CallerTools,
    Metrics,
    Personalities,
    PhoneNumbers,
    PredefinedMetrics,
    Scenarios,
    TestProfiles,
)
from .transport import Transport


class Scenarist:
    """A client bound to one server and one API key; resource namespaces hang off it."""

    def __init__(self, base_url: str | None = None, api_key: str | None = None, *, timeout: float = 30,
                 retries: int = 3, http: Any = None):
        self.transport = Transport(base_url, api_key, timeout=timeout, retries=retries, http=http)
        t = self.transport
        self.agents = Agents(t, "aiagents/")
        self.personalities = Personalities(t, "personalities/")
        self.test_profiles = TestProfiles(t, "test-profiles/")
        self.metrics = Metrics(t, "metrics/")
        self.scenarios = Scenarios(t, "scenarios/")
        self.phone_numbers = PhoneNumbers(t, "phone-numbers/")
        self.predefined_metrics = PredefinedMetrics(t, "predefined-metrics/")
        self.caller_tools = CallerTools(t, "caller-tools/")

    @property
    def base_url(self) -> str:
        """The server's base URL."""
        return self.transport.base_url

    @property
    def api_key(self) -> str | None:
        """The API key in use (None when none was given or found in the environment)."""
        return self.transport.api_key

    def projects(self) -> list[dict[str, Any]]:
        """`GET /user/v1/projects/`: the key's project(s)."""
        body = self.transport.request("GET", "/user/v1/projects/")
        return body.get("results", body) if isinstance(body, dict) else list(body or [])

    def close(self) -> None:
        """Close the HTTP connection pool."""
        self.transport.close()

    def __enter__(self) -> "Scenarist":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()


__all__ = [
    "Scenarist", "ClientJob", "JobFamily", "JobState", "Transport",
    "ScenaristError", "ScenaristAPIError", "AuthenticationError", "NotFoundError", "ConnectionFailed",
    "JobFailedError", "JobTimeout",
    "Agent", "Tool", "DynamicVariable", "KnowledgeBaseFile", "Personality", "TestProfile", "Metric",
    "PredefinedMetric", "Scenario", "Folder", "PhoneNumber", "CallerTool", "CleanDescription", "JobProgress", "Page",
]
