"""Scripted LLM behaviour for the simulator: a well-behaved model answering the generation prompts.

Shared by the LLM-engine tests and `bench/generation.py`.
"""

from __future__ import annotations

import json
import re

SCRIPTED_INTENT = "Report suspected fraud on the card"


def _user_text(body: dict) -> str:
    return "\n".join(m["content"] for m in body["messages"] if m["role"] == "user")


def good_responder(body: dict):
    """A well-behaved model for benches and reliability tests: items written from the slot's facts and the agent
    model from the prompt (see `prompt_responder`)."""
    return prompt_responder(body)


def _slot(text: str) -> dict | None:
    if "<slot>" not in text:
        return None
    return json.loads(text.split("<slot>\n", 1)[1].split("\n</slot>", 1)[0])


def _profile_keys(text: str) -> dict:
    return json.loads(text.split("<profile_keys>\n", 1)[1].split("\n</profile_keys>", 1)[0])


def prompt_responder(body: dict):
    """A well-behaved model writing each item from the slot's facts (goal, details, rule, failure, fixtures), the
    way a real model answers the item prompt; understanding calls are answered from the prompt's playbooks and rules."""
    text = _user_text(body)
    slot = _slot(text)
    if slot is None:  # an understanding call: answered from the prompt (or an empty object: offline model)
        from tests.generation.understanding.responders import understanding_responder

        return understanding_responder(body) or {}
    keys = _profile_keys(text)
    fields = [k for k in keys if k in (slot.get("verification") or {}).get("fields", [])] or \
        [k for k in keys if "name" in k][:1]
    spanish = slot.get("caller_language") == "Spanish"
    refs = ", ".join("{{test_profile.%s}}" % k for k in fields)
    details = "; ".join(slot.get("request_details") or [])
    rule = slot.get("rule_to_probe") or {}
    failure = slot.get("failure") or {}
    if spanish:
        lines = [f"Llamas a {slot['organisation']} porque quieres {slot['caller_goal']}."]
        if details:
            lines.append(f"Tienes en mente: {details}.")
        if refs:
            lines.append(f"Cuando te pidan tus datos, da {refs}.")
        if rule:
            lines.append("En algún momento, pide al agente algo que sus normas no permiten e insiste una vez.")
        if failure:
            lines.append("Si algo falla en su sistema, pregunta qué se ha hecho y qué pasará ahora.")
        lines.append("Cuando tu gestión quede resuelta, despídete y cuelga.")
    else:
        pick = sum(map(ord, json.dumps(slot, sort_keys=True))) % 4
        openers = [f"You are calling {slot['organisation']} because you want to {slot['caller_goal']}.",
                   f"Your phone call to {slot['organisation']} has one purpose: to {slot['caller_goal']}.",
                   f"You ring {slot['organisation']} this morning, hoping to {slot['caller_goal']} quickly.",
                   f"After putting it off for days, you finally phone {slot['organisation']} to {slot['caller_goal']}."]
        lines = [openers[pick]]
        if details:
            lines.append(["You have this in mind: ", "What matters to you: ", "Be ready to mention ",
                          "Keep these details handy: "][pick] + details + ".")
        if refs:
            lines.append(f"When the agent asks who you are, give {refs}.")
        if slot.get("complication"):
            lines.append(slot["complication"])
        if slot.get("branch"):
            lines.append(f"Your situation: {slot['branch']}.")
        if rule.get("trigger"):
            lines.append(f"At some point, bring this up as your own situation: {rule['trigger']}.")
        elif rule:  # the rule itself, in the caller's words, so two probes of one playbook read differently
            asked = re.sub(r"`?\b[a-z]+(?:_[a-z]+)+\b`?", "its system", rule["text"]).rstrip(".")
            lines.append(f"At some point, ask the agent to make an exception to this rule of theirs, and press "
                         f"once: \"{asked}\".")
        if failure:
            lines.append("If something goes wrong on its side, ask whether anything was changed and what you "
                         "can do next.")
        lines.append("Once you have your answer, say goodbye and end the call.")
    expected = []
    if rule:
        response = rule.get("prescribed_response") or "keeps to its rule: " + re.sub(r"`?\b[a-z]+(?:_[a-z]+)+\b`?",
                                                                                  "its system", rule["text"])
        expected.append(f"- The agent {response[0].lower() + response[1:]}")
    if failure:
        handling = failure.get("error_handling_rule") or "tells the caller plainly what could not be done"
        expected.append(f"- The agent follows its error handling: {handling}")
    intent = slot.get("intent") or {}
    if intent.get("success"):
        expected.append(f"- The call ends with {intent['success']}")
    if not expected:
        expected.append(f"- The agent helps the caller {slot['caller_goal']} and confirms the result.")
    name = f"{slot['caller_goal'][:1].upper()}{slot['caller_goal'][1:]} ({slot['category'].replace('_', ' ')})"
    return {"name": name[:80], "instructions": " ".join(lines), "expected_outcome": "\n".join(expected)}
