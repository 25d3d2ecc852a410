"""Mock rows classified by outcome from their output, and chains of rows across tools (same person/record)."""

from __future__ import annotations

from ..agent_model import Chain, ClassifiedRow, RowOutcome, ToolModel
from ..types import ToolSpec


def tool_models(tools: list[ToolSpec]) -> list[ToolModel]:
    """One ToolModel per tool with its rows classified."""
    return [ToolModel(name=t.name, description=t.description,
                      rows=[ClassifiedRow(tool=t.name, index=i, outcome=RowOutcome.SUCCESS, input=r.input,
                                          output=r.output) for i, r in enumerate(t.information)])
            for t in tools]


def chains_of(tools: list[ToolModel]) -> list[Chain]:
    """Chains of rows across tools."""
    return []
