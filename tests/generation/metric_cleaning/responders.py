"""Simulator responders that answer the clean-description prompt the way a capable model would (or badly)."""

from __future__ import annotations

import re
from typing import Any

LABELS_BY_DRAFT = {
    "sent to A&E": ["sent to A&E", "emergency slot booked", "advice only"],
    "opened:": ["opened", "too_old", "not_verified"],
    "updated, refused or transferred": ["updated", "refused", "transferred"],
}


def request_parts(body: dict[str, Any]) -> tuple[str, str, str]:
    """(eval_type, draft, agent_context) read back from the prompt the client sent."""
    user = next(m["content"] for m in body["messages"] if m["role"] == "user")
    eval_type = re.search(r"^eval_type: (\w+)", user, re.MULTILINE).group(1)
    draft = re.search(r"<metric_draft>\n(.*?)\n</metric_draft>", user, re.DOTALL).group(1)
    context = re.search(r"<agent_context>\n(.*?)\n</agent_context>", user, re.DOTALL).group(1)
    return eval_type, draft, context


def good_answer(body: dict[str, Any]) -> dict[str, Any]:
    """A well-formed answer in markdown style (different from the offline engine's plain headings)."""
    eval_type, draft, context = request_parts(body)
    tools = re.search(r"^Tools: (.*)$", context, re.MULTILINE)
    tool_names = [t.split(" — ")[0].strip() for t in tools.group(1).split(";")] if tools else []
    criteria = "\n".join(f"{i}. {line.strip('- ').strip()}" for i, line in enumerate(draft.splitlines(), 1) if line.strip())
    text = (
        "## SCOPE & FOCUS\n"
        "Evaluate only how the Main Agent handles what the draft describes, in a call with the Testing Agent, "
        "using {{transcript}}. Ignore tone and latency.\n"
        + (f"Relevant tools: {', '.join(tool_names[:3])}.\n" if tool_names else "")
        + "\n## CRITERIA\n" + criteria + "\n\n"
        "## FAILURE CONDITIONS (only these count)\n1. The Main Agent breaks any criterion above.\n"
        "2. The Main Agent invents policies not in {{agent.description}}.\n\n"
        "## N/A CONDITIONS\n- The call is too short.\n- The Testing Agent hung up early.\n"
        "- The flow never started.\n- An infrastructure failure occurred.\n\n"
        "## OUTPUT INSTRUCTIONS\n" + _output(eval_type, draft)
    )
    labels = _labels(draft) if eval_type == "enum" else None
    return {
        "clean_description": text,
        "thinking": "- Assumed the draft's criteria apply to every call.\n- Added the standard N/A conditions.",
        "enum_values": labels,
    }


def _labels(draft: str) -> list[str]:
    """The draft's labels plus other/N/A."""
    for marker, labels in LABELS_BY_DRAFT.items():
        if marker in draft:
            return [*labels, "other", "N/A"]
    return ["met", "not_met", "N/A"]


def _output(eval_type: str, draft: str) -> str:
    """The per-type output section."""
    if eval_type == "boolean":
        return (
            "**TRUE** — the Main Agent meets every criterion.\n  Example (TRUE): the Main Agent follows the rule.\n"
            "**FALSE** — a failure condition occurs.\n  Example (FALSE): the Main Agent skips the rule.\n"
        )
    if eval_type == "rating":
        return "\n".join(f"{n} — level {n} anchor for this metric." for n in (5, 4, 3, 2, 1)) + "\n"
    if eval_type == "numeric":
        unit = "seconds" if "seconds" in draft else "occurrences"
        return (
            "Measure: count what the draft describes.\n"
            f"Unit: {unit}.\nCounting rules: count each occurrence once.\nDirection: lower is better.\n"
        )
    labels = _labels(draft)
    bullets = "\n".join(f"- {label}: criteria for {label}." for label in labels)
    return f"Labels (closed list, in priority order):\n{bullets}\nTie-break: prefer the label listed first.\n"


def missing_sections_answer(body: dict[str, Any]) -> dict[str, Any]:
    """A plausible but structurally broken answer: no N/A section, a disallowed variable."""
    answer = good_answer(body)
    text = answer["clean_description"]
    text = re.sub(r"## N/A CONDITIONS.*?(?=## OUTPUT)", "", text, flags=re.DOTALL)
    answer["clean_description"] = text.replace("{{transcript}}", "{{call.transcript}}")
    return answer


def bad_then_good(bad=missing_sections_answer):
    """A responder: the first call of a conversation gets `bad`, the re-ask (it carries an assistant turn) `good`."""

    def respond(body: dict[str, Any]) -> dict[str, Any]:
        reasked = any(m["role"] == "assistant" for m in body["messages"])
        return good_answer(body) if reasked else bad(body)

    return respond
