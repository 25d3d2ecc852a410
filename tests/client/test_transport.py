"""Retry policy and job-result mapping of the SDK, against a scripted HTTP server (httpx.MockTransport)."""

from __future__ import annotations

import httpx
import pytest

from scenarist.client import ClientJob, ConnectionFailed, JobFailedError, JobFamily, JobTimeout, ScenaristAPIError
from scenarist.client.transport import Transport


def _transport(answers: list, calls: list, retries: int = 3) -> Transport:
    """A Transport whose server answers from `answers` in order (an Exception is raised instead)."""

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request.method)
        answer = answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        status, body = answer
        return httpx.Response(status, json=body)

    http = httpx.Client(transport=httpx.MockTransport(handler), base_url="http://scenarist.test")
    return Transport("http://scenarist.test", "k", retries=retries, http=http, backoff_base=0)


def test_get_is_retried_on_503_and_connect_errors():
    calls: list = []
    t = _transport([(503, {"detail": "busy"}), httpx.ConnectError("refused"), (200, [1])], calls)
    assert t.request("GET", "personalities/") == [1]
    assert calls == ["GET", "GET", "GET"]


def test_post_is_not_retried_once_it_may_have_been_received():
    calls: list = []
    t = _transport([(502, {"detail": "bad gateway"})], calls)
    with pytest.raises(ScenaristAPIError) as err:
        t.request("POST", "scenarios/generate-bg/", json={})
    assert err.value.status == 502 and calls == ["POST"]

    calls.clear()
    t = _transport([httpx.ReadTimeout("slow")], calls)
    with pytest.raises(ConnectionFailed):
        t.request("POST", "scenarios/generate-bg/", json={})
    assert calls == ["POST"]


def test_post_is_retried_on_connect_errors_and_4xx_never():
    calls: list = []
    t = _transport([httpx.ConnectError("refused"), (200, {"progress_id": "p"})], calls)
    assert t.request("POST", "scenarios/generate-bg/", json={}) == {"progress_id": "p"}
    assert calls == ["POST", "POST"]

    calls.clear()
    t = _transport([(400, {"num_scenarios": ["This field is required."]})], calls)
    with pytest.raises(ScenaristAPIError) as err:
        t.request("GET", "scenarios/")
    assert calls == ["GET"] and err.value.field_errors == {"num_scenarios": ["This field is required."]}


def test_connection_failed_after_all_retries():
    calls: list = []
    t = _transport([httpx.ConnectError("refused")] * 3, calls, retries=2)
    with pytest.raises(ConnectionFailed) as err:
        t.request("GET", "aiagents/")
    assert err.value.attempts == 3 and "refused" in str(err.value)


def test_failed_job_raises_with_the_server_error_text():
    body = {"progress_id": "p", "status": "failed", "error": "The LLM provider could not be reached.",
            "total_scenarios": 3, "completed_scenarios": 1, "failed_scenarios": 2}
    job = ClientJob(_transport([(200, body)], []), JobFamily.GENERATION, "p")
    with pytest.raises(JobFailedError) as err:
        job.wait(poll_interval=0)
    assert err.value.status == "failed" and "could not be reached" in str(err.value)


def test_wait_times_out_while_the_job_runs():
    running = (200, {"progress_id": "p", "status": "processing"})
    job = ClientJob(_transport([running] * 50, []), JobFamily.CLEAN_DESCRIPTION, "p")
    with pytest.raises(JobTimeout):
        job.wait(poll_interval=0.01, timeout=0.05)
