"""Agent rows → `AgentSpec`, the plain data the generation library reads."""

from __future__ import annotations

from scenarist.generation.types import AgentSpec, ExistingScenario, KBDocument, MockRow, ToolSpec, VariableSpec

from .languages import DEFAULT_LANGUAGE
from .models import Agent


def agent_to_spec(agent: Agent, *, include_kb: bool = True, kb_file_ids: list[int] | None = None) -> AgentSpec:
    """Everything generation needs about an agent; `kb_file_ids` narrows the KB files (None = all)."""
    return AgentSpec(
        id=agent.pk,
        name=agent.agent_name,
        description=agent.description,
        language=agent.language or DEFAULT_LANGUAGE,
        inbound=agent.inbound,
        agent_gives_first_message=agent.agent_gives_first_message,
        tools=[_tool_spec(tool) for tool in agent.tools.order_by("id")],
        variables=[VariableSpec(name=v.name, description=v.description) for v in agent.dynamic_variables.order_by("id")],
        kb_files=_kb_documents(agent, kb_file_ids) if include_kb else [],
        existing_scenarios=[
            ExistingScenario(name=name, instructions=instructions or "", scenario_type=scenario_type or "workflow")
            for name, instructions, scenario_type in agent.scenarios.order_by("id").values_list(
                "name", "instructions", "scenario_type"
            )
        ],
    )


def _tool_spec(tool) -> ToolSpec:
    """One mock tool with its `{input, output}` rows (rows of another shape are skipped, not fatal)."""
    rows = [MockRow(input=row.get("input"), output=row.get("output")) for row in tool.information or [] if isinstance(row, dict)]
    return ToolSpec(
        id=tool.pk,
        name=tool.name,
        description=tool.description,
        parameters=tool.parameters if isinstance(tool.parameters, dict) else None,
        information=rows,
        freetext_params=[str(p) for p in tool.freetext_params or []],
    )


def _kb_documents(agent: Agent, kb_file_ids: list[int] | None) -> list[KBDocument]:
    """The agent's KB files' extracted text (never the bytes), optionally limited to some ids."""
    files = agent.knowledge_base_files.defer("content").order_by("id")
    if kb_file_ids is not None:
        files = files.filter(pk__in=kb_file_ids)
    return [
        KBDocument(file_id=f.pk, file_name=f.file_name, file_type=f.file_type, text=f.extracted_text)
        for f in files
    ]
