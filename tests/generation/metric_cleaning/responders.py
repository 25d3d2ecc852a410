"""Simulator responders that answer the clean-description prompt the way a capable model would (or badly)."""

from __future__ import annotations

import re
from typing import Any

_SHORTHAND = ((r"\s*=>\s*", ", then "), (r"\s*->\s*", ", then "), (r"\betc\b", "and similar"), (r"\bok\?", ""),
              (r"\s[&+]\s", " and "), (r"\bappt\b", "appointment"), (r"\bb4\b", "before"), (r"\bw/", "with "),
              (r"\bDOB\b", "date of birth"), (r"\baddr\b", "address"), (r"\bpt\b", "patient"), (r"\basap\b",
              "as soon as possible"), (r"\btxn\b", "transaction"), (r"\bresv\b", "reservation"), (r"\bcx\b",
              "customer"), (r"\bthru\b", "through"), (r"\bq's\b", "questions"), (r"(?<=phone )#|(?<=card )#", "number"),
              (r"#\s?of\b", "number of"), (r"\binfo\b", "information"), (r"!!+", "."), (r"\bident\b", "identify"),
              (r"\bverif\b", "verification"), (r"\bresched\b", "reschedule"), (r"\bavg\b", "average"), (r"\bsecs\b", "seconds"))


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
    rules = re.findall(r"^- (.+)$", context.split("match this draft", 1)[1], re.MULTILINE) if "match this draft" in context else []
    criteria = "\n".join(f"{i}. The Main Agent meets this: {_paraphrase(line)}" for i, line in
                         enumerate(draft.splitlines(), 1) if line.strip())
    criteria += "".join(f'\n   Agent rule: "{rule}"' for rule in rules)
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


def _paraphrase(line: str) -> str:
    """The draft line with its shorthand written out (what a capable model does at the least)."""
    for pattern, new in _SHORTHAND:
        line = re.sub(pattern, new, line.strip("- ").strip())
    return line


def _labels(draft: str) -> list[str]:
    """The draft's labels (a ':' list split on '/', '|' or ',') plus other/N/A."""
    listed = re.search(r":\s*([^:\n]+)$", draft.strip())
    if listed:
        items = [i.strip() for i in re.split(r"\s*[/|,]\s*", listed.group(1)) if i.strip()]
        if len(items) >= 2:
            return items + [extra for extra in ("other", "N/A") if extra not in {i.lower() for i in items}]
    return ["met", "not_met", "N/A"]


def _output(eval_type: str, draft: str) -> str:
    """The per-type output section."""
    if eval_type == "boolean":
        return (
            "**TRUE** — the Main Agent meets every criterion.\n  Example (TRUE): the Main Agent follows the rule.\n"
            "**FALSE** — a failure condition occurs.\n  Example (FALSE): the Main Agent skips the rule.\n"
        )
    if eval_type == "rating":
        names = {5: "Excellent", 4: "Good", 3: "Fair", 2: "Poor", 1: "Failing"}
        return "\n".join(f"{n} ({names[n]}) — level {n} anchor for this metric." for n in (5, 4, 3, 2, 1)) + "\n"
    if eval_type == "numeric":
        unit = "seconds" if re.search(r"\bsec", draft) else "turns" if "turn" in draft else "occurrences"
        direction = "higher" if re.search(r"more (?:is|=) better", draft) else "lower"
        return (
            "Measure: count what the draft describes.\n"
            f"Unit: {unit}.\nCounting rules: count each occurrence once.\nDirection: {direction} is better.\n"
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
