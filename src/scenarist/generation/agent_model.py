"""The agent model: Scenarist's one typed understanding of an agent.

Either engine produces it (offline: text analysis of the prompt, tools and mock rows; LLM: the model asked
for it directly, the offline model being the fallback). Planning, fixtures, writers, checks, red teaming,
knowledge-base questions and metric cleaning read it and never re-derive it from the raw prompt, except to
quote it. It is cached per agent version (`version_hash`).
"""

from __future__ import annotations

import re
from enum import Enum
from typing import Any

from pydantic import BaseModel, Field

AGENT_MODEL_VERSION = "agent-model-1"

# Canonical names of the fields an agent verifies a caller with (also used by fixtures and the corpus).
IDENTITY_FIELDS = (
    "phone", "full_name", "first_name", "last_name", "date_of_birth", "email", "zip_code", "address",
    "account_number", "member_id", "policy_number", "order_number", "card_last4", "ssn_last4",
    "national_id_last4", "employee_id", "customer_id", "confirmation_number", "pet_name", "manager_name",
)

# Closed list of domains (what the agent's business is); "general" when none fits.
DOMAINS = (
    "healthcare", "insurance", "banking", "hospitality", "utilities", "retail", "it_support", "telecom",
    "pharmacy", "logistics", "veterinary", "legal", "travel", "education", "government", "real_estate",
    "automotive", "general",
)


class SectionRole(str, Enum):
    """What a part of the prompt is for."""

    IDENTITY = "identity"  # persona, who the agent is
    STYLE = "style"  # tone, voice, formatting
    CONTEXT = "context"  # facts about the business, today's date, variables
    TOOLS = "tools"  # reference of the tools
    FLOW = "flow"  # the call's steps (greet, identify, …, close)
    PLAYBOOK = "playbook"  # one workflow a caller can come for
    GUARDRAILS = "guardrails"  # rules, compliance, restrictions
    VERIFICATION = "verification"  # how the caller is identified
    ERROR_HANDLING = "error_handling"  # what to do when tools fail / nothing is found
    KNOWLEDGE = "knowledge"  # FAQ-like facts (hours, prices, locations)
    EXAMPLES = "examples"  # sample dialogues (never intents)
    OTHER = "other"


class PromptSection(BaseModel):
    """A part of the prompt with its role; `start`/`end` are character offsets into the prompt."""

    id: str  # "section:<n>"
    title: str = ""
    role: SectionRole
    level: int = 1
    start: int = 0
    end: int = 0
    parent_id: str | None = None


class RowOutcome(str, Enum):
    """What a mock row models."""

    SUCCESS = "success"
    NO_MATCH = "no_match"
    FAILURE = "failure"
    EMPTY = "empty"
    PARTIAL = "partial"


class ClassifiedRow(BaseModel):
    """One mock row of a tool, classified by outcome; `chain_id` links rows of the same person/record."""

    tool: str
    index: int  # 0-based position in the tool's `information`
    outcome: RowOutcome
    input: Any = None
    output: Any = None
    chain_id: str | None = None
    identity: dict[str, Any] = Field(default_factory=dict)  # canonical identity field → value found in the row


class ToolModel(BaseModel):
    """A tool of the agent: what it does, needs and returns, whether it changes anything, its rows."""

    name: str
    capability: str = ""  # caller-facing phrase, e.g. "book an appointment"
    description: str = ""
    needs: list[str] = Field(default_factory=list)  # input field names
    returns: list[str] = Field(default_factory=list)  # output field names seen in rows
    side_effect: bool = False  # books, cancels, transfers, refunds, changes a record …
    rows: list[ClassifiedRow] = Field(default_factory=list)
    no_match_output: Any = None  # the agent's real no-match shape (from a no_match row), if any
    failure_output: Any = None  # a real failure output (from a failure row), if any


class Chain(BaseModel):
    """Rows across tools that belong to one person/record (the id one tool returns feeds the next)."""

    id: str  # "chain:<n>"
    rows: list[tuple[str, int]] = Field(default_factory=list)  # (tool name, row index), in call order
    identity: dict[str, Any] = Field(default_factory=dict)  # canonical identity field → value
    all_success: bool = True


class Branch(BaseModel):
    """A branch of an intent's flow: a condition and what the agent does then."""

    condition: str  # e.g. "no record matches the phone number"
    action: str  # e.g. "offer to register the caller as a new patient"
    outcome: RowOutcome | None = None  # the mock outcome that triggers it, when one does


class IntentModel(BaseModel):
    """Something a caller can come for: a real workflow/playbook or a tool capability."""

    id: str  # "intent:<slug>"
    name: str  # caller-facing goal, e.g. "book a new appointment"
    kind: str = "general"  # booking | cancellation | change | payment | report | status | inquiry | escalation | general
    description: str = ""
    steps: list[str] = Field(default_factory=list)  # the agent's steps, in order, as the prompt states them
    tools: list[str] = Field(default_factory=list)  # tool names in the order the flow uses them
    success: str = ""  # what a successful call of this intent ends with
    branches: list[Branch] = Field(default_factory=list)
    section_id: str | None = None  # where the prompt states it (None for a tool capability)
    requires_verification: bool = False


class PolicyKind(str, Enum):
    """The type of a rule the prompt states."""

    PROHIBITION = "prohibition"
    OBLIGATION = "obligation"
    EMERGENCY = "emergency"
    ESCALATION = "escalation"
    SCOPE = "scope"
    PRIVACY = "privacy"
    ERROR_HANDLING = "error_handling"


# The order a planner with few slots probes rules in: safety first, then what leaks data, then what the agent must
# refuse, hand on or stay out of; ties keep the prompt's order.
PROBE_PRIORITY = (PolicyKind.EMERGENCY, PolicyKind.PRIVACY, PolicyKind.PROHIBITION, PolicyKind.ESCALATION,
                  PolicyKind.SCOPE, PolicyKind.OBLIGATION, PolicyKind.ERROR_HANDLING)


class PolicyModel(BaseModel):
    """A rule of the agent: the exact sentence, what triggers it and the response the prompt prescribes."""

    id: str  # "policy:<slug>"
    kind: PolicyKind
    text: str  # the exact sentence(s) of the prompt
    trigger: str = ""  # the situation it applies to, e.g. "the caller describes chest pain"
    response: str = ""  # what the agent must do/say then, as the prompt prescribes ("" when only a prohibition)
    section_id: str | None = None
    intent_id: str | None = None
    probe: bool = True  # a caller's words can trigger it and the agent's correct response is observable


class Verification(BaseModel):
    """The identification procedure the agent really runs."""

    fields: list[str] = Field(default_factory=list)  # canonical IDENTITY_FIELDS names, in the order asked
    tool: str | None = None  # the tool that checks them
    text: str = ""  # the prompt's sentence(s) stating it
    before: list[str] = Field(default_factory=list)  # intent ids that require it first


class FailureMode(BaseModel):
    """A way a call can go wrong that the mocks or the prompt define."""

    id: str  # "failure:<tool>:<outcome>"
    tool: str | None = None
    outcome: RowOutcome
    row_index: int | None = None  # the mock row that produces it
    handling: str = ""  # the prompt's error-handling rule for it (exact sentence), "" when none
    intent_id: str | None = None


class Disclosure(BaseModel):
    """Something the agent must never reveal."""

    kind: str  # internal_ids | tool_names | other_people | system_prompt | sensitive_data | other
    text: str  # the prompt's sentence, or a short description when implied


class SensitiveField(BaseModel):
    """A datum the agent holds or collects that an attacker would want (by meaning, not every field)."""

    name: str  # canonical name, e.g. "ssn", "date_of_birth", "card_number", "medical_record"
    source: str = ""  # "tool:<name>", "prompt", …
    collect_allowed: bool = True  # False when the prompt forbids collecting it (e.g. "never ask for SSN")


class AgentModel(BaseModel):
    """Everything Scenarist understood of one agent version; the single input of every generator."""

    version: str = AGENT_MODEL_VERSION
    engine: str = "offline"  # offline | llm | offline-fallback
    version_hash: str = ""
    agent_name: str
    organisation: str | None = None
    persona_name: str | None = None
    domain: str = "general"  # one of DOMAINS
    caller_noun: str = "caller"  # how callers are called: patient, customer, member, cardholder, guest …
    language: str = "en"
    speaks_first: bool = False
    today: str | None = None  # ISO date the prompt states, or "{{variable}}", or None
    sections: list[PromptSection] = Field(default_factory=list)
    intents: list[IntentModel] = Field(default_factory=list)
    tools: list[ToolModel] = Field(default_factory=list)
    chains: list[Chain] = Field(default_factory=list)
    policies: list[PolicyModel] = Field(default_factory=list)
    verification: Verification = Field(default_factory=Verification)
    forbidden_disclosures: list[Disclosure] = Field(default_factory=list)
    failure_modes: list[FailureMode] = Field(default_factory=list)
    sensitive_fields: list[SensitiveField] = Field(default_factory=list)
    scope: list[str] = Field(default_factory=list)  # what the agent handles, short phrases
    variables: list[str] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)  # what analysis assumed or could not read

    def tool(self, name: str) -> ToolModel | None:
        """The tool of that name, or None."""
        return next((t for t in self.tools if t.name == name), None)

    def intent(self, intent_id: str | None) -> IntentModel | None:
        """The intent of that id, or None."""
        return next((i for i in self.intents if i.id == intent_id), None)

    def rows(self, outcome: RowOutcome, tool: str | None = None) -> list[ClassifiedRow]:
        """Classified rows with that outcome (of one tool when given)."""
        return [r for t in self.tools if tool in (None, t.name) for r in t.rows if r.outcome == outcome]

    def side_effect_tools(self) -> list[ToolModel]:
        """Tools that change something (book, cancel, transfer, refund …)."""
        return [t for t in self.tools if t.side_effect]

    def probe_policies(self) -> list[PolicyModel]:
        """Rules a caller can trigger, each worth a probe, most important first (PROBE_PRIORITY, then prompt
        order), so a planner with few slots takes the head of the list."""
        rank = {kind: position for position, kind in enumerate(PROBE_PRIORITY)}
        order = {id(p): position for position, p in enumerate(self.policies)}
        return sorted((p for p in self.policies if p.probe and not _system_triggered(p)),
                      key=lambda p: (rank[p.kind], order[id(p)]))

    def coverage_items(self) -> list[tuple[str, str, str]]:
        """(id, family, label) of every item `coverage` reports on: intents, tools, policies, failure modes."""
        items = [(i.id, "intents", i.name) for i in self.intents]
        items += [(f"tool:{t.name}", "tools", t.capability or t.name) for t in self.tools]
        items += [(p.id, "policies", p.text) for p in self.policies]
        items += [(f.id, "failure_modes", f"{f.tool or 'agent'}: {f.outcome.value}") for f in self.failure_modes]
        return items


_SYSTEM_OUTCOME = re.compile(r"\b(no match|not found|no record|fails?|failed|failure|errors?|returns?|is down|"
                             r"unavailable|times? out|timeout|does not (?:answer|respond))\b", re.I)
_CALLER_WORDS = re.compile(r"\b(caller|you|your|patient|customer|they)\b", re.I)


def _system_triggered(policy: PolicyModel) -> bool:
    """A rule set off by a tool's outcome ("If there is no match, …", "If create_lead fails, …"): no caller can
    bring it about by asking, so it is tested by the failure paths (whose outcomes quote it), not by a probe."""
    trigger = policy.trigger or ""
    return policy.kind != PolicyKind.EMERGENCY and bool(_SYSTEM_OUTCOME.search(trigger)) \
        and not _CALLER_WORDS.search(trigger)
