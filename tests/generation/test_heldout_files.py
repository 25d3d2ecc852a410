"""The held-out agents (tests/fixtures/agents_heldout/<slug>/) are well-formed test data: each loads as an
--agent-dir, its expected model agrees with its own prompt, tools and mock rows.

They were written after the offline analysis was tuned on tests/fixtures/agents/, in styles that corpus lacks (a
German prompt, one run-on paragraph, a Retell-style prompt with an inline JSON tool list, rules living in tool
descriptions, SOP/RULE identifiers with a FAQ table), to measure whether the analysis generalises.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

from scenarist.client.agent_dir import load_agent_dir
from scenarist.generation.agent_model import DOMAINS, IDENTITY_FIELDS, PolicyKind, RowOutcome

HELDOUT = Path(__file__).resolve().parents[1] / "fixtures" / "agents_heldout"
PLACEHOLDER = re.compile(r"\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}")
SLUGS = sorted(p.name for p in HELDOUT.iterdir() if p.is_dir())


def _model(slug: str) -> dict:
    return yaml.safe_load((HELDOUT / slug / "expected_model.yaml").read_text())


def _flat(text: str) -> str:
    return " ".join(text.split()).lower()


def test_there_are_five_heldout_agents():
    assert len(SLUGS) >= 5


@pytest.mark.parametrize("slug", SLUGS)
def test_folder_loads_and_placeholders_are_declared(slug):
    loaded = load_agent_dir(HELDOUT / slug)
    prompt = (HELDOUT / slug / "prompt.md").read_text()
    declared = {v["name"] for v in yaml.safe_load((HELDOUT / slug / "variables.yaml").read_text()) or []}
    assert set(PLACEHOLDER.findall(prompt)) <= declared
    assert loaded is not None


@pytest.mark.parametrize("slug", SLUGS)
def test_expected_model_agrees_with_the_agent(slug):
    model = _model(slug)
    prompt = (HELDOUT / slug / "prompt.md").read_text()
    tools = json.loads((HELDOUT / slug / "tools.json").read_text())
    names = {t["name"] for t in tools}
    # a rule may live in a tool's description (the hotel agent): quotes are verbatim in the prompt or a description
    texts = [_flat(prompt)] + [_flat(t.get("description", "")) for t in tools]
    assert model["domain"] in DOMAINS
    assert set(model["verification_fields"]) <= set(IDENTITY_FIELDS)
    for intent in model["intents"]:
        assert set(intent["tools"]) <= names, intent
        assert intent["keywords"]
    for rail in model["guardrails"]:
        assert PolicyKind(rail["kind"])
        assert any(_flat(rail["quote"]) in text for text in texts), rail["quote"]
    for tool in tools:
        outcomes = model["mock_outcomes"][tool["name"]]
        assert len(outcomes) == len(tool["information"]), tool["name"]
        assert all(RowOutcome(o) for o in outcomes)
    for mode in model["failure_modes"]:
        assert mode["tool"] in names
        assert model["mock_outcomes"][mode["tool"]].count(mode["outcome"]) >= 1
