"""Scripted LLM behaviour for the simulator: a well-behaved model answering the generation prompts.

Shared by the LLM-engine tests and `bench/generation.py`.
"""

from __future__ import annotations

import json

SCRIPTED_INTENT = "Report suspected fraud on the card"


def _user_text(body: dict) -> str:
    return "\n".join(m["content"] for m in body["messages"] if m["role"] == "user")


def good_responder(body: dict):
    """Scripts a valid analysis (one extra intent) and valid item drafts built on the reference draft."""
    text = _user_text(body)
    if "<reference_draft>" not in text:
        return {"domain": "card services", "speaks_first": False, "identity_fields": ["postcode"],
                "intents": [{"name": SCRIPTED_INTENT, "steps": ["Ask what looks suspicious"],
                             "tools": ["freeze_card", "not_a_tool"]}],
                "policies": [{"text": "Never confirm a PIN or passcode over the phone.", "kind": "guardrail"}]}
    draft = text.split("<reference_draft>\n", 1)[1].split("\n</reference_draft>", 1)[0]
    slot = json.loads(text.split("<slot>\n", 1)[1].split("\n</slot>", 1)[0])
    opener, rest = draft.split("\n", 1)
    instructions = f"{opener} You have rehearsed what you want to say before calling.\n{rest}"
    return {"name": f"{slot['caller_goal'].capitalize()} ({slot['category'].replace('_', ' ')})",
            "instructions": instructions,
            "expected_outcome": f"- The agent helps the caller {slot['caller_goal']}."}
