"""The LLM simulator itself: wire shape, schema synthesis, determinism, timing, faults, the script entry point."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Literal, Optional, Union

import httpx
import jsonschema
import pytest
from pydantic import BaseModel, Field

from scenarist.llm.structured import response_format_for, with_schema_instruction
from scenarist.llm.config import StructuredMode
from tests.llm.helpers import MESSAGES, USER_PROMPT
from tests.llm_sim import FAULTS, LLMSimulator, SimConfig

REPO_ROOT = Path(__file__).resolve().parents[2]


class Tool(BaseModel):
    name: str = Field(max_length=30)
    returns: Optional[str] = None


class Step(BaseModel):
    kind: Literal["ask", "answer", "tool_call"]
    text: str = Field(min_length=10, max_length=120)
    tool: Optional[Tool] = None


class Plan(BaseModel):
    """A schema exercising $defs/$ref, anyOf/nullable, enums, bounds, arrays and maps."""

    title: str = Field(min_length=5, max_length=40)
    description: str
    count: int = Field(ge=3, le=7)
    ratio: float = Field(gt=0.0, lt=1.0)
    even: int = Field(multiple_of=2, ge=10, le=20)
    urgent: bool
    steps: list[Step] = Field(min_length=2, max_length=5)
    labels: list[str] = Field(default_factory=list, max_length=2)
    mode: Union[int, str]
    notes: dict[str, int] = Field(default_factory=dict)
    pair: tuple[str, int]
    contact_email: str = Field(json_schema_extra={"format": "email"})


_HTTP = httpx.Client()  # one pool: creating a client per call costs ~25 ms (TLS context)


def chat(sim: LLMSimulator, body: dict, key: str = "sim-key") -> httpx.Response:
    return _HTTP.post(f"{sim.base_url}/chat/completions", json=body, headers={"Authorization": f"Bearer {key}"}, timeout=10)


def structured_body(model=Plan, messages=MESSAGES, **extra) -> dict:
    return {"model": "sim-model", "messages": messages, "response_format": response_format_for(StructuredMode.JSON_SCHEMA, model), **extra}


def content_of(response: httpx.Response) -> str:
    return response.json()["choices"][0]["message"]["content"]


def test_models_endpoint_lists_the_model(sim_factory):
    sim = sim_factory(model="tiny-sim")
    assert sim.base_url.endswith("/v1")
    listing = httpx.get(f"{sim.base_url}/models").json()
    assert [m["id"] for m in listing["data"]] == ["tiny-sim"]


def test_synthesised_json_is_schema_valid_varied_and_grounded(llm_sim):
    schema = Plan.model_json_schema()
    contents = [content_of(chat(llm_sim, structured_body())) for _ in range(30)]
    for content in contents:
        data = json.loads(content)
        jsonschema.validate(data, schema)
        Plan.model_validate(data)
    assert len(set(contents)) == 30
    grounded = [c for c in contents if any(word in c for word in ("Riley", "Acme", "Patel", "lookup_patient"))]
    assert len(grounded) == 30


def test_same_seed_same_answers_other_seed_other_answers(sim_factory):
    first, second, other = sim_factory(seed=7), sim_factory(seed=7), sim_factory(seed=8)
    body = structured_body()
    a = [content_of(chat(first, body)) for _ in range(3)]
    b = [content_of(chat(second, body)) for _ in range(3)]
    c = [content_of(chat(other, body)) for _ in range(3)]
    assert a == b
    assert a != c
    assert len(set(a)) == 3  # repeated identical requests still vary


def test_json_object_mode_reads_the_schema_from_the_system_message(llm_sim):
    body = {
        "model": "m",
        "messages": with_schema_instruction(MESSAGES, Plan),
        "response_format": {"type": "json_object"},
    }
    Plan.model_validate_json(content_of(chat(llm_sim, body)))


def test_plain_text_without_response_format_is_grounded_prose(llm_sim):
    content = content_of(chat(llm_sim, {"model": "m", "messages": MESSAGES}))
    with pytest.raises(json.JSONDecodeError):
        json.loads(content)
    assert any(word in content for word in USER_PROMPT.split() if len(word) > 4)


def test_usage_matches_the_log_and_the_four_chars_per_token_rule(llm_sim):
    body = {"model": "m", "messages": [{"role": "user", "content": "x" * 40}]}
    response = chat(llm_sim, body).json()
    record = llm_sim.calls[-1]
    assert response["usage"]["prompt_tokens"] == record.prompt_tokens == 40 // 4 + 3
    assert response["usage"]["completion_tokens"] == record.completion_tokens
    assert record.completion_tokens == -(-len(response["choices"][0]["message"]["content"]) // 4)
    assert llm_sim.usage_totals() == {
        "prompt_tokens": record.prompt_tokens, "completion_tokens": record.completion_tokens, "llm_calls": 1,
        "cached_prompt_tokens": 0, "reasks": 0, "fallbacks": 0,
    }


def test_responder_scripts_content(llm_sim):
    llm_sim.set_responder(lambda body: {"scripted": body["model"]})
    assert json.loads(content_of(chat(llm_sim, {"model": "abc", "messages": MESSAGES}))) == {"scripted": "abc"}
    llm_sim.set_responder(lambda body: "plain words")
    assert content_of(chat(llm_sim, {"model": "abc", "messages": MESSAGES})) == "plain words"
    llm_sim.set_responder(lambda body: None)
    assert "scripted" not in content_of(chat(llm_sim, structured_body()))


def test_scripted_faults_shape_the_wire_response(sim_factory):
    sim = sim_factory(retry_after_s=3)
    sim.script_faults(["rate_limit", "server_error", "malformed_json", "truncated_json", "refusal", "refusal_text", "no_usage", None])
    responses = [chat(sim, structured_body(model=Tool)) for _ in range(8)]
    assert [r.status_code for r in responses] == [429, 500, 200, 200, 200, 200, 200, 200]
    assert responses[0].headers["Retry-After"] == "3"
    with pytest.raises(json.JSONDecodeError):
        json.loads(content_of(responses[2]))
    assert responses[3].json()["choices"][0]["finish_reason"] == "length"
    with pytest.raises(json.JSONDecodeError):
        json.loads(content_of(responses[3]))
    assert responses[4].json()["choices"][0]["message"] == {"role": "assistant", "content": None, "refusal": "I'm sorry, but I can't help with that."}
    assert content_of(responses[5]) == "I'm sorry, but I can't help with that."
    assert "usage" not in responses[6].json() and "usage" in responses[7].json()
    Tool.model_validate_json(content_of(responses[6]))
    assert [c.fault for c in sim.calls] == ["rate_limit", "server_error", "malformed_json", "truncated_json", "refusal", "refusal_text", "no_usage", None]
    assert sim.calls[6].completion_tokens > 0  # the simulator still counts what it sent
    with pytest.raises(ValueError):
        sim.script_faults(["gremlins"])


def test_fault_rate_is_seeded_and_drawn_from_the_mix(sim_factory):
    mix = ("server_error", "no_usage")
    sims = [sim_factory(seed=3, fault_rate=0.5, fault_mix=mix) for _ in range(2)]
    for sim in sims:
        for _ in range(20):
            chat(sim, {"model": "m", "messages": MESSAGES})
    faults = [[c.fault for c in sim.calls] for sim in sims]
    assert faults[0] == faults[1]
    assert set(faults[0]) == {None, *mix}
    with pytest.raises(ValueError):
        SimConfig(fault_mix=("nope",))


def test_latency_and_token_rate_shape_the_duration(sim_factory):
    sim = sim_factory(latency_s=0.1, tokens_per_s=4000)
    started = time.perf_counter()
    chat(sim, structured_body())
    elapsed = time.perf_counter() - started
    record = sim.calls[-1]
    expected = 0.1 + record.completion_tokens / 4000
    assert expected <= elapsed < expected + 0.5
    assert record.duration_s >= expected


def test_server_side_concurrency_queues_extra_requests(sim_factory):
    sim = sim_factory(latency_s=0.2, max_concurrency=2)
    started = time.perf_counter()
    with ThreadPoolExecutor(4) as pool:
        statuses = [r.status_code for r in pool.map(lambda _: chat(sim, {"model": "m", "messages": MESSAGES}), range(4))]
    elapsed = time.perf_counter() - started
    assert statuses == [200] * 4
    assert elapsed >= 0.4  # two waves of two
    assert sim.max_in_flight == 4  # all four reached the server; two waited


def test_hang_ends_promptly_when_the_simulator_stops():
    sim = LLMSimulator(SimConfig()).start()
    sim.script_faults(["hang"])
    outcome: dict = {}

    def call():
        try:
            outcome["status"] = chat(sim, {"model": "m", "messages": MESSAGES}).status_code
        except httpx.HTTPError as exc:
            outcome["error"] = exc

    thread = threading.Thread(target=call)
    thread.start()
    time.sleep(0.3)
    assert sim.in_flight == 1
    started = time.perf_counter()
    sim.stop()
    thread.join(5)
    assert time.perf_counter() - started < 3
    assert not thread.is_alive()
    assert sim.calls[0].fault == "hang" and sim.calls[0].ended_at is not None


def test_api_key_can_be_required(sim_factory):
    sim = sim_factory(require_api_key="right")
    assert chat(sim, {"model": "m", "messages": MESSAGES}, key="wrong").status_code == 401
    assert chat(sim, {"model": "m", "messages": MESSAGES}, key="right").status_code == 200


def test_reset_clears_the_log_and_counters(llm_sim):
    llm_sim.script_faults(["server_error", "server_error"])
    chat(llm_sim, {"model": "m", "messages": MESSAGES})
    llm_sim.reset()
    assert llm_sim.calls == [] and llm_sim.max_in_flight == 0
    assert chat(llm_sim, {"model": "m", "messages": MESSAGES}).status_code == 200  # scripted faults cleared too


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_runs_as_a_script():
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.llm_sim", "--port", str(port), "--latency", "0.01", "--seed", "1", "--fault-rate", "0"],
        cwd=REPO_ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        env={**os.environ, "PYTHONPATH": f"{REPO_ROOT}:{REPO_ROOT / 'src'}"},
    )
    try:
        banner = process.stdout.readline()
        assert f"http://127.0.0.1:{port}/v1" in banner
        response = httpx.post(f"http://127.0.0.1:{port}/v1/chat/completions", json={"model": "m", "messages": MESSAGES}, timeout=5)
        assert response.status_code == 200
    finally:
        process.terminate()
        output, _ = process.communicate(timeout=10)
    assert "served 1 calls (1 answered)" in output
    assert process.returncode == 0


def test_every_fault_name_is_known():
    assert set(FAULTS) == {
        "rate_limit", "server_error", "hang", "malformed_json", "truncated_json", "refusal", "refusal_text", "no_usage",
    }
