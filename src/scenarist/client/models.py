"""Thin typed views of API objects: known fields typed, every unknown field kept (the hosted API has more)."""

from __future__ import annotations

from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field


class ApiModel(BaseModel):
    """Base of every result: attribute access for known fields, `obj["field"]` for any field, extras preserved."""

    model_config = ConfigDict(extra="allow", populate_by_name=True, protected_namespaces=())

    def __getitem__(self, key: str) -> Any:
        data = self.to_dict()
        if key not in data:
            raise KeyError(key)
        return data[key]

    def get(self, key: str, default: Any = None) -> Any:
        """Like dict.get over every field, known or not."""
        return self.to_dict().get(key, default)

    def to_dict(self) -> dict[str, Any]:
        """Every field (known and unknown) as plain JSON data."""
        return self.model_dump(mode="json")


class Agent(ApiModel):
    """An agent under test (`aiagents/`)."""

    id: int
    agent_name: str = ""
    description: str = ""
    assistant_id: str | None = ""
    language: str = "en"
    inbound: bool | None = True
    contact_number: str | None = ""
    agent_gives_first_message: bool | None = None
    knowledge_base_files: list[Any] = Field(default_factory=list)
    dynamic_variables: list[Any] = Field(default_factory=list)


class Tool(ApiModel):
    """A mock tool of an agent."""

    id: int | None = None
    name: str
    description: str | None = ""
    parameters: dict[str, Any] | None = None
    information: list[Any] | None = Field(default_factory=list)
    freetext_params: list[str] | None = Field(default_factory=list)


class DynamicVariable(ApiModel):
    """A dynamic variable of an agent."""

    id: int | None = None
    name: str
    description: str | None = ""
    auto_detected: bool | None = None


class KnowledgeBaseFile(ApiModel):
    """A knowledge-base file (text only on the single-file GET)."""

    id: int
    file_name: str = ""
    file_type: str | None = None
    file_size: int | None = None
    text_chars: int | None = None
    extracted_text: str | None = None


class Personality(ApiModel):
    """A caller personality (global catalogue or the project's own)."""

    id: int
    name: str = ""
    language: str | None = "en"
    mood: str | None = None
    is_default: bool | None = None
    is_global: bool | None = None


class TestProfile(ApiModel):
    """Caller identity and agent variables."""

    __test__ = False

    id: int
    name: str = ""
    agent: int | None = None
    information: dict[str, Any] | None = Field(default_factory=dict)


class Metric(ApiModel):
    """An evaluation metric of the project."""

    id: int
    name: str = ""
    description: str | None = ""
    type: str | None = None
    eval_type: str | None = None
    enum_values: list[Any] | None = None
    agents: list[int] | None = None


class PredefinedMetric(ApiModel):
    """A metric of the built-in catalogue."""

    id: int | None = None
    name: str = ""
    description: str | None = ""
    eval_type: str | None = None


class Scenario(ApiModel):
    """A test scenario."""

    id: int
    name: str = ""
    agent: int | None = None
    personality: int | None = None
    personality_name: str | None = None
    instructions: str | None = ""
    expected_outcome_prompt: str | None = ""
    first_message: str | None = "Hello"
    scenario_language: str | None = None
    scenario_type: str | None = None
    tags: list[str] | None = Field(default_factory=list)
    tool_ids: list[str] | None = Field(default_factory=list)
    metrics: list[int] | None = Field(default_factory=list)
    metric_names: list[str] | None = Field(default_factory=list)
    test_profile: int | None = None
    test_profile_data: dict[str, Any] | None = None
    inbound_phone_number: int | None = None
    folder_path: str | None = None
    generated_mock_tool_entries: list[Any] | None = Field(default_factory=list)
    attack_type: str | None = None
    knowledge_base_sources: list[Any] | None = Field(default_factory=list)
    provenance: dict[str, Any] | None = None


class Folder(ApiModel):
    """A scenario folder (dotted `path`)."""

    id: int | None = None
    name: str = ""
    path: str = ""
    parent_path: str | None = None


class PhoneNumber(ApiModel):
    """A project phone number (E.164)."""

    id: int
    number: str = ""
    name: str | None = ""


class CallerTool(ApiModel):
    """A tool the simulated caller may use (`TOOL_END_CALL`, …)."""

    id: str | None = None


class CleanDescription(ApiModel):
    """A cleaned metric description."""

    clean_description: str | None = None
    thinking: str | None = None
    enum_values: list[str] | None = None


class JobProgress(ApiModel):
    """A job's progress body (either family): status plus the family's counters/result fields."""

    progress_id: str
    status: str
    error: str | None = None
    total_scenarios: int | None = None
    completed_scenarios: int | None = None
    failed_scenarios: int | None = None
    scenarios_list: list[dict[str, Any]] | None = None
    errors: list[dict[str, Any]] | None = None
    usage: dict[str, Any] | None = None
    coverage: dict[str, Any] | None = None
    diversity: dict[str, Any] | None = None
    clean_description: str | None = None
    thinking: str | None = None
    enum_values: list[str] | None = None


M = TypeVar("M", bound=ApiModel)


class Page(ApiModel, Generic[M]):
    """One page of a paginated list."""

    count: int = 0
    next: str | None = None
    previous: str | None = None
    results: list[M] = Field(default_factory=list)
