"""Answer parsing, refusal detection, request shapes, Retry-After parsing (pure functions)."""

from __future__ import annotations

import pytest
from pydantic import BaseModel

from scenarist.llm.config import StructuredMode
from scenarist.llm.failures import retry_after_seconds
from scenarist.llm.structured import (
    looks_like_refusal,
    parse_answer,
    response_format_for,
    with_schema_instruction,
)
from tests.llm.helpers import MESSAGES, Scenario


@pytest.mark.parametrize(
    "text",
    [
        "I'm sorry, but I can't help with that.",
        "I can’t assist with that request.",
        "I cannot help with creating this content.",
        "Sorry — I won't provide that.",
        "As an AI language model, I must decline.",
        "I am unable to comply with this request.",
    ],
)
def test_refusal_phrases_are_detected(text):
    assert looks_like_refusal(text)


@pytest.mark.parametrize(
    "text",
    [
        '{"name": "I can\'t help it", "instructions": "x"}',
        "The caller says: I'm sorry, but " + "x" * 700,  # too long to be a refusal
        "Here is a scenario about rescheduling a cleaning.",
        "",
    ],
)
def test_json_and_long_prose_are_not_refusals(text):
    assert not looks_like_refusal(text)


class Pair(BaseModel):
    a: int
    b: str


def test_parse_accepts_code_fences_and_surrounding_prose():
    fenced = parse_answer('```json\n{"a": 1, "b": "x"}\n```', Pair)
    wrapped = parse_answer('Sure! {"a": 2, "b": "y"} Hope it helps.', Pair)
    assert fenced.value == Pair(a=1, b="x")
    assert wrapped.value == Pair(a=2, b="y")


def test_parse_reports_truncation_and_schema_errors():
    truncated = parse_answer('{"a": 1, "b": "x', Pair, finish_reason="length")
    wrong = parse_answer('{"a": "one"}', Pair)
    assert truncated.value is None and "cut off" in truncated.problem
    assert wrong.value is None
    assert "a:" in wrong.problem and "b:" in wrong.problem


def test_response_format_shapes():
    schema_mode = response_format_for(StructuredMode.JSON_SCHEMA, Scenario)
    assert schema_mode["type"] == "json_schema"
    assert schema_mode["json_schema"]["name"] == "Scenario"
    assert schema_mode["json_schema"]["strict"] is False
    assert schema_mode["json_schema"]["schema"]["required"] == ["name", "instructions", "priority"]
    assert response_format_for(StructuredMode.JSON_OBJECT, Scenario) == {"type": "json_object"}


def test_json_object_mode_puts_the_schema_in_the_system_message():
    messages = with_schema_instruction(MESSAGES, Scenario)
    assert len(messages) == len(MESSAGES)
    assert '"priority"' in messages[0]["content"] and "JSON schema" in messages[0]["content"]
    assert MESSAGES[0]["content"] in messages[0]["content"]
    assert "JSON schema" not in MESSAGES[0]["content"]  # the caller's list is not mutated
    no_system = with_schema_instruction(MESSAGES[1:], Scenario)
    assert no_system[0]["role"] == "system" and len(no_system) == 2


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ({"retry-after": "3"}, 3.0),
        ({"retry-after": "0.25"}, 0.25),
        ({"retry-after-ms": "1500", "retry-after": "9"}, 1.5),
        ({"retry-after": "Wed, 21 Oct 2015 07:28:00 GMT"}, 0.0),  # a date in the past
        ({"retry-after": "soon"}, None),
        ({}, None),
    ],
)
def test_retry_after_parsing(headers, expected):
    assert retry_after_seconds(headers) == expected
