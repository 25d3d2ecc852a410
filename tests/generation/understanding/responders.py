"""A simulated model that answers the understanding prompt from the prompt text it is given (for the LLM engine
tests): intents from the playbook headings of its chunk, rules quoted from its lines, plus deliberate mistakes the
engine must repair or drop (an unknown tool, a paraphrased rule, an invented rule, a non-canonical field name)."""

from __future__ import annotations

import json
import re

INVENTED_RULE = "Always sing the company anthem before you hang up."


def _between(text: str, start: str, end: str) -> str:
    return text.split(start, 1)[1].split(end, 1)[0] if start in text else ""


def understanding_responder(body: dict):
    """Answer an understanding call (recognised by its <agent_prompt> block); None for any other call."""
    user = "\n".join(m["content"] for m in body["messages"] if m["role"] == "user")
    if "<agent_prompt" not in user:
        return None
    chunk = user.split("<agent_prompt", 1)[1].split(">\n", 1)[1].rsplit("\n</agent_prompt>", 1)[0]
    tools = [t["name"] for t in json.loads(_between(user, "<tools>\n", "\n</tools>") or "[]")]
    intents, heading, in_playbooks = [], None, False
    for line in chunk.splitlines():
        top = re.match(r"^# (.+)$", line)
        if top:
            in_playbooks = "playbook" in top.group(1).lower()
            heading = None
            continue
        sub = re.match(r"^## (.+)$", line)
        if sub and in_playbooks:
            heading = {"name": sub.group(1).strip().lower(), "steps": [], "tools": []}
            intents.append(heading)
        elif heading is not None and line.strip():
            heading["steps"].append(line.strip())
            heading["tools"] += [t for t in tools if t in line and t not in heading["tools"]]
    if intents:
        intents[0]["tools"].append("not_a_tool")
        intents.append({"name": "Step 1 — Greet and get intent", "steps": ["Greet"], "tools": []})
    rules = [line.strip(" -") for line in chunk.splitlines() if re.search(r"\b(Never|Do not)\b", line)]
    policies = [{"kind": "prohibition", "text": r, "trigger": "", "response": ""} for r in rules]
    if rules:
        words = rules[0].split()
        policies.append({"kind": "prohibition", "text": " ".join(words[:-1]) + " at all.", "probe": True})
    policies.append({"kind": "obligation", "text": INVENTED_RULE})
    if len(policies) > 2:
        policies[1]["kind"] = "guardrail"  # not a kind of ours: mapped in code, not a failed call
    today = re.search(r"\{\{\s*current_date\s*\}\}", chunk)
    return {"organisation": None, "domain": "healthcare" if "clinic" in chunk.lower() else "not-a-domain",
            "language": "en", "today": "{{current_date}}" if today else None, "speaks_first": False,
            "intents": intents, "policies": policies,
            "verification": {"fields": ["Phone Number"], "tool": "lookup_patient", "text": ""},
            "forbidden_disclosures": [{"kind": "tool_names", "text": "the names of the tools"}]}
