"""The simulated caller's tools (string ids on scenarios) and the one place their aliases are resolved."""

from __future__ import annotations

from dataclasses import dataclass

TOOL_END_CALL = "TOOL_END_CALL"
TOOL_END_CALL_ONLY_ON_TRANSFER = "TOOL_END_CALL_ONLY_ON_TRANSFER"
TOOL_DTMF = "TOOL_DTMF"


@dataclass(frozen=True)
class CallerTool:
    """One tool the testing agent (simulated caller) may use during a call."""

    id: str
    name: str
    description: str


CALLER_TOOLS: tuple[CallerTool, ...] = (
    CallerTool(
        TOOL_END_CALL,
        "End call",
        "The simulated caller may hang up once its goal is reached or the conversation is clearly over.",
    ),
    CallerTool(
        TOOL_END_CALL_ONLY_ON_TRANSFER,
        "End call only on transfer",
        "The simulated caller hangs up only when it is transferred to a human or another line "
        "(avoids sitting through hold music).",
    ),
    CallerTool(TOOL_DTMF, "Send DTMF", "The simulated caller may press keypad digits (IVR menus, PIN entry)."),
)

# Spellings seen in the reference's docs and skills, mapped to the canonical ids above.
_ALIASES: dict[str, str] = {
    "TOOL_END_CALL_ON_TRANSFER": TOOL_END_CALL_ONLY_ON_TRANSFER,
    "TOOL_SEND_DTMF": TOOL_DTMF,
}
_VAPI_PREFIX = "VAPI_"


def caller_tool_ids() -> list[str]:
    """The canonical caller-tool ids, in catalogue order."""
    return [tool.id for tool in CALLER_TOOLS]


def normalise_caller_tool_id(raw: str) -> str:
    """Canonical id for one caller-tool id or alias; ValueError for an unknown id."""
    token = str(raw).strip().upper()
    if token.startswith(_VAPI_PREFIX):
        token = token[len(_VAPI_PREFIX):]
    token = _ALIASES.get(token, token)
    if token not in caller_tool_ids():
        raise ValueError(f"Unknown caller tool id '{raw}'. Valid ids: {', '.join(caller_tool_ids())}.")
    return token


def normalise_caller_tool_ids(ids: list[str]) -> list[str]:
    """Canonical ids for a list of caller-tool ids/aliases, de-duplicated in first-seen order."""
    return list(dict.fromkeys(normalise_caller_tool_id(raw) for raw in ids))
