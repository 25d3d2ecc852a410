"""Shared builders for the understanding tests: an AgentSpec from a prompt and compact tool rows."""

from __future__ import annotations

from scenarist.generation.types import AgentSpec, MockRow, ToolSpec


def make_tool(name: str, rows: list[tuple[dict, object]] = (), description: str = "",
              params: list[str] | None = None) -> ToolSpec:
    """A tool with `(input, output)` rows and, when given, its parameter names."""
    parameters = {"type": "object", "properties": {p: {"type": "string"} for p in params}} if params else None
    return ToolSpec(name=name, description=description, parameters=parameters,
                    information=[MockRow(input=i, output=o) for i, o in rows])


def make_agent(prompt: str, tools: list[ToolSpec] = (), **fields) -> AgentSpec:
    """An agent with that prompt and tools."""
    return AgentSpec(name=fields.pop("name", "Test agent"), description=prompt, tools=list(tools), **fields)
