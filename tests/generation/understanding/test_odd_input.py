"""Odd agents never break understanding: empty or one-line prompts, rows of any JSON shape, huge lines."""

from __future__ import annotations

import pytest

from scenarist.generation.understanding import build_agent_model
from tests.generation.understanding.builders import make_agent, make_tool

ODD_ROWS = [(None, None), ("text input", "plain text answer"), ([1, 2], [{"id": "X-1"}]), ({"a": {"b": [1]}}, 42),
            ({"id": True}, {"status": "ERROR"}), ({}, {}), ({"phone": "+15550000000"}, [])]


@pytest.mark.parametrize("prompt", [
    "", "x", "#", "# \n## \n- \n1.", "<role>\n</role>\n</unclosed>", "persona:\ngoals:\nrules:\n",
    "A" * 50_000, "Never. " * 2_000, "| a | b |\n|---|---|\n| c | d |", "🙂 ¿Qué tal? — «hola» 你好",
])
def test_any_prompt_gives_a_valid_model(prompt):
    model = build_agent_model(make_agent(prompt, [make_tool("odd_tool", ODD_ROWS), make_tool("no_rows")]))
    assert model.agent_name == "Test agent" and len(model.tool("odd_tool").rows) == len(ODD_ROWS)
    assert sum(len(c.rows) for c in model.chains) == len(ODD_ROWS)
    model.model_dump_json()  # serialisable for the cache
