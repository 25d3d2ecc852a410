"""Plain data that crosses the boundary between the service and the generation library.

The service (jobs handlers) builds these from database rows; the CLI's offline mode builds them from
files. Nothing here imports Django.
"""

from __future__ import annotations

from enum import Enum
from typing import Any

from pydantic import BaseModel, Field

from .agent_model import AgentModel


class ScenarioKind(str, Enum):
    """The `scenario_type` values generation produces."""

    WORKFLOW = "workflow"
    RED_TEAMING_VOICE = "red_teaming_voice"
    RED_TEAMING_TEXT = "red_teaming_text"
    KNOWLEDGE_BASE = "knowledge_base"


class AttackType(str, Enum):
    """Red-teaming attack categories."""

    SYSTEM_PROMPT_LEAK = "system_prompt_leak"
    DATA_LEAK = "data_leak"
    HARMFUL_CONTENT = "harmful_content"
    BIASED_OUTPUT = "biased_output"
    UNAUTHORIZED_ACTIONS = "unauthorized_actions"
    OFF_TASK = "off_task"


class CleanEvalType(str, Enum):
    """eval_type vocabulary of the clean-description endpoints."""

    BOOLEAN = "boolean"
    NUMERIC = "numeric"
    RATING = "rating"
    ENUM = "enum"


# ---------------------------------------------------------------- inputs


class MockRow(BaseModel):
    """One `{input, output}` row of a mock tool."""

    input: Any = None
    output: Any = None


class ToolSpec(BaseModel):
    """A mock tool of the agent."""

    id: int | None = None
    name: str
    description: str = ""
    parameters: dict[str, Any] | None = None
    information: list[MockRow] = Field(default_factory=list)
    freetext_params: list[str] = Field(default_factory=list)


class VariableSpec(BaseModel):
    """A dynamic variable the agent receives at call time."""

    name: str
    description: str = ""


class KBDocument(BaseModel):
    """A knowledge-base file's extracted text."""

    file_id: int
    file_name: str
    file_type: str = "text/plain"
    text: str


class ExistingScenario(BaseModel):
    """A scenario the agent already has (for de-duplication and plan avoidance)."""

    name: str
    instructions: str = ""
    scenario_type: str = "workflow"


class PersonalitySpec(BaseModel):
    """A personality generation may assign (id is the database id)."""

    id: int
    name: str
    language: str = "en"
    mood: str = "neutral"
    interruption_level: str = "none"
    speed: float = 1.0


class AgentSpec(BaseModel):
    """Everything generation reads about an agent."""

    id: int | None = None
    name: str
    description: str
    language: str = "en"
    inbound: bool = True
    agent_gives_first_message: bool | None = None
    tools: list[ToolSpec] = Field(default_factory=list)
    variables: list[VariableSpec] = Field(default_factory=list)
    kb_files: list[KBDocument] = Field(default_factory=list)
    existing_scenarios: list[ExistingScenario] = Field(default_factory=list)


class GenerationRequest(BaseModel):
    """A validated generate-bg request, in generation's terms."""

    scenario_type: ScenarioKind = ScenarioKind.WORKFLOW
    num_scenarios: int = Field(ge=1, le=100)
    attack_type: AttackType | None = None
    expected_outcome: str | None = None
    extra_instructions: str = ""
    personalities: list[PersonalitySpec] = Field(default_factory=list)
    generate_expected_outcomes: bool = False
    first_message: str = "Hello"
    caller_tool_ids: list[str] = Field(default_factory=list)
    fixed_test_profile: dict[str, Any] | None = None  # given → no profile is generated
    kb_file_ids: list[int] = Field(default_factory=list)  # empty → all of agent.kb_files
    seed: int = 0


# ---------------------------------------------------------------- outputs


class TestProfileData(BaseModel):
    """A generated test profile: `information` holds the two sections."""

    __test__ = False

    name: str
    main_agent_variables: dict[str, Any] = Field(default_factory=dict)
    testing_agent_variables: dict[str, Any] = Field(default_factory=dict)

    def information(self) -> dict[str, Any]:
        """The sectioned `information` dict stored on the TestProfile row."""
        return {
            "main_agent_variables": self.main_agent_variables,
            "testing_agent_variables": self.testing_agent_variables,
        }


class MockToolEntry(BaseModel):
    """A tool call the scenario is expected to trigger."""

    tool_id: int | None = None
    tool_name: str
    new_entry: MockRow


class KBSource(BaseModel):
    """The KB passage a knowledge-base scenario rests on (quote occurs verbatim in the file's text)."""

    file_id: int
    file_name: str = ""
    quote: str


class Provenance(BaseModel):
    """Which engine wrote an item, with what model, prompt version and seed."""

    engine: str
    model: str | None = None
    prompt_version: str
    seed: int
    covers: list[str] = Field(default_factory=list)  # the coverage-map ids it exercises (read by the workspace)


class GeneratedScenario(BaseModel):
    """One generated scenario, ready to save."""

    index: int
    name: str = Field(max_length=80)
    instructions: str
    expected_outcome_prompt: str = ""
    personality_id: int | None = None
    scenario_language: str
    scenario_type: ScenarioKind
    category: str  # e.g. happy_path, not_found, guardrail, attack:data_leak, kb_question, kb_out_of_scope
    tags: list[str] = Field(default_factory=list)
    test_profile: TestProfileData | None = None
    generated_mock_tool_entries: list[MockToolEntry] = Field(default_factory=list)
    attack_type: AttackType | None = None
    knowledge_base_sources: list[KBSource] = Field(default_factory=list)
    covers: list[str] = Field(default_factory=list)  # ids of coverage-map items this scenario exercises
    provenance: Provenance


class CleanDescription(BaseModel):
    """Output of metric-description cleaning."""

    clean_description: str
    thinking: str
    enum_values: list[str] | None = None


# ---------------------------------------------------------------- plan (shared by all writers)


class KBPassage(BaseModel):
    """A passage of a KB file a question is drawn from."""

    file_id: int
    file_name: str = ""
    section: str = ""
    quote: str  # occurs verbatim in the file's extracted text


class Slot(BaseModel):
    """One planned scenario: what it exercises, before it is written."""

    index: int
    kind: ScenarioKind
    category: str  # happy_path | alternate_path | not_found | tool_failure | edge_case | guardrail | listed |
    #                attack:<type> | kb_question | kb_out_of_scope
    intent_id: str | None = None
    tool_name: str | None = None
    complication: str | None = None
    personality_id: int | None = None
    attack_type: AttackType | None = None
    tactic: str | None = None
    kb_passage: KBPassage | None = None
    out_of_scope_topic: str | None = None
    listed_instruction: str | None = None  # one item of a listed extra_instructions set
    policy_id: str | None = None  # the rule a guardrail probe tests
    failure_id: str | None = None  # the failure mode a failure path plays out
    branch: str | None = None  # the intent branch (its condition) a branch slot plays out
    covers: list[str] = Field(default_factory=list)
    seed: int = 0


class Plan(BaseModel):
    """The agent model plus the n slots; persisted on the job so a resumed job writes the same slots."""

    model: AgentModel
    slots: list[Slot]
    engine: str
    prompt_version: str
    steering: str = ""  # extra_instructions woven into every slot (empty when they were a list of scenarios)
    notes: list[str] = Field(default_factory=list)  # e.g. listed scenarios beyond num_scenarios that were dropped


# ---------------------------------------------------------------- library call result


class GenerationError(BaseModel):
    """Why one slot produced no scenario."""

    index: int
    message: str


class GenerationResult(BaseModel):
    """What `generation.pipeline.generate` returns: the plan, the scenarios, shortfalls and reports."""

    plan: Plan
    scenarios: list[GeneratedScenario]
    errors: list[GenerationError] = Field(default_factory=list)
    usage: dict[str, Any] = Field(default_factory=dict)
    coverage: dict[str, Any] = Field(default_factory=dict)
    diversity: dict[str, Any] = Field(default_factory=dict)
