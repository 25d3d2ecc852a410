"""The agent corpus (tests/fixtures/agents/<slug>/) is well-formed: each folder loads as an --agent-dir and its
hand-written expected_model.yaml agrees with its own prompt, tools and mock rows.

These tests check the test data, not the product: the corpus is the ground truth the agent-model tests compare
against, so a quote that is not in the prompt or a mock row without an outcome would make those tests lie.
"""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pytest
import yaml

from scenarist.client.agent_dir import load_agent_dir
from scenarist.offline import agent_spec_from_dir

CORPUS = Path(__file__).resolve().parents[1] / "fixtures" / "agents"
PLACEHOLDER = re.compile(r"\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}")

# Every agent of the corpus (issue 12, point 7); a folder with another name is a mistake.
KNOWN_SLUGS = {
    "clinic-scheduling", "medicare-leads", "card-services", "restaurant-reservations", "utility-outage",
    "ecommerce-returns", "it-helpdesk", "spanish-telecom", "xml-pharmacy", "tools-heavy-logistics",
    "outbound-reminder", "receptionist-no-tools",
}
PART_A_SLUGS = {"clinic-scheduling", "medicare-leads", "card-services", "restaurant-reservations",
                "utility-outage", "ecommerce-returns"}
REQUIRED_KB = {
    "clinic-scheduling": {"hours-and-locations.md", "policies.txt", "fees.csv"},
    "restaurant-reservations": {"menu.csv", "faq.md"},
    "ecommerce-returns": {"return-policy.md", "shipping.json"},
}
LONG_PROMPT_SLUGS = {"medicare-leads": 30_000}

DOMAINS = {"healthcare", "insurance", "banking", "hospitality", "utilities", "retail", "it_support", "telecom",
           "pharmacy", "logistics", "veterinary", "legal", "general"}
GUARDRAIL_KINDS = {"prohibition", "obligation", "emergency", "escalation", "scope", "privacy", "error_handling"}
OUTCOMES = {"success", "no_match", "failure", "empty", "partial"}
VERIFICATION_FIELDS = {
    "phone", "full_name", "first_name", "last_name", "date_of_birth", "email", "zip_code", "address",
    "account_number", "member_id", "policy_number", "order_number", "card_last4", "ssn_last4",
    "national_id_last4", "employee_id", "customer_id", "confirmation_number", "pet_name", "manager_name",
}
MODEL_KEYS = {"language", "speaks_first", "today", "domain", "organisation", "intents", "guardrails",
              "verification_fields", "forbidden_disclosures", "failure_modes", "mock_outcomes"}
AGENT_FILES = ("agent.yaml", "prompt.md", "tools.json", "variables.yaml", "expected_model.yaml")


def _slugs() -> list[str]:
    return sorted(p.name for p in CORPUS.iterdir() if p.is_dir() and not p.name.startswith((".", "_")))


SLUGS = _slugs()


def _model(slug: str) -> dict:
    return yaml.safe_load((CORPUS / slug / "expected_model.yaml").read_text(encoding="utf-8"))


def _prompt(slug: str) -> str:
    return (CORPUS / slug / "prompt.md").read_text(encoding="utf-8")


def _tools(slug: str) -> dict[str, dict]:
    return {tool["name"]: tool for tool in load_agent_dir(CORPUS / slug).tools}


def test_corpus_folders_are_known_agents_and_part_a_is_complete():
    """Only the twelve corpus slugs exist as folders, and the six of part A are all there."""
    assert set(SLUGS) <= KNOWN_SLUGS, f"unexpected corpus folder(s): {sorted(set(SLUGS) - KNOWN_SLUGS)}"
    assert PART_A_SLUGS <= set(SLUGS), f"missing corpus agent(s): {sorted(PART_A_SLUGS - set(SLUGS))}"


@pytest.mark.parametrize("slug", SLUGS)
def test_agent_folder_has_every_file_and_loads_like_the_cli(slug):
    """The folder holds the five files and loads into an AgentSpec the way `generate --offline --agent-dir` does."""
    root = CORPUS / slug
    assert [name for name in AGENT_FILES if not (root / name).is_file()] == []
    directory = load_agent_dir(root)
    spec = agent_spec_from_dir(directory)
    assert spec.description.strip() and spec.name.strip()
    assert len(spec.tools) == len(json.loads((root / "tools.json").read_text(encoding="utf-8")))
    assert {d.file_name for d in spec.kb_files} >= REQUIRED_KB.get(slug, set())
    assert all(d.text.strip() for d in spec.kb_files), "a KB file extracted to empty text"


@pytest.mark.parametrize("slug", SLUGS)
def test_agent_fields_agree_with_expected_model(slug):
    """language and who speaks first in agent.yaml match the hand-written model; the model has every key."""
    fields = load_agent_dir(CORPUS / slug).fields
    model = _model(slug)
    assert set(model) == MODEL_KEYS, f"keys differ: {sorted(set(model) ^ MODEL_KEYS)}"
    assert fields["language"] == model["language"]
    opens_call = bool(fields.get("agent_gives_first_message")) or fields.get("inbound") is False
    assert model["speaks_first"] is opens_call
    assert model["domain"] in DOMAINS
    if model["organisation"] is not None:
        assert model["organisation"].lower() in _prompt(slug).lower()


@pytest.mark.parametrize("slug", SLUGS)
def test_every_placeholder_has_a_variable(slug):
    """Each {{var}} of the prompt is declared in variables.yaml, with a description."""
    used = set(PLACEHOLDER.findall(_prompt(slug)))
    declared = {v["name"] for v in load_agent_dir(CORPUS / slug).variables}
    assert used - declared == set(), f"undeclared: {sorted(used - declared)}"
    assert all(v["description"].strip() for v in load_agent_dir(CORPUS / slug).variables)


@pytest.mark.parametrize("slug", SLUGS)
def test_today_is_what_the_prompt_states(slug):
    """`today` is null, or a literal date / {{variable}} that occurs in the prompt."""
    today = _model(slug)["today"]
    if today is not None:
        assert today in _prompt(slug)


@pytest.mark.parametrize("slug", SLUGS)
def test_intents_name_existing_tools(slug):
    """2–6 intents with distinct names and keywords; every tool an intent uses exists in tools.json."""
    intents = _model(slug)["intents"]
    tools = _tools(slug)
    assert 2 <= len(intents) <= 6
    assert len({i["name"].lower() for i in intents}) == len(intents)
    for intent in intents:
        assert intent["keywords"] and all(str(k).strip() for k in intent["keywords"]), intent["name"]
        missing = [name for name in intent.get("tools") or [] if name not in tools]
        assert missing == [], f"{intent['name']}: unknown tool(s) {missing}"


@pytest.mark.parametrize("slug", SLUGS)
def test_intent_keywords_do_not_match_another_intent(slug):
    """A keyword of one intent must not occur in another intent's name, or matching would be ambiguous."""
    intents = _model(slug)["intents"]
    for intent in intents:
        for other in intents:
            if other is not intent:
                clashes = [k for k in intent["keywords"] if str(k).lower() in other["name"].lower()]
                assert clashes == [], f"{intent['name']!r} keyword(s) {clashes} match {other['name']!r}"


@pytest.mark.parametrize("slug", SLUGS)
def test_guardrail_quotes_are_verbatim_in_the_prompt(slug):
    """Each guardrail quote is a case-insensitive substring of prompt.md, on one line, with a known kind."""
    prompt = _prompt(slug).lower()
    guardrails = _model(slug)["guardrails"]
    assert 3 <= len(guardrails) <= 20
    for rule in guardrails:
        assert rule["kind"] in GUARDRAIL_KINDS, rule
        assert "\n" not in rule["quote"], rule
        assert rule["quote"].lower() in prompt, f"not in the prompt: {rule['quote']!r}"
    assert len({r["quote"].lower() for r in guardrails}) == len(guardrails)


@pytest.mark.parametrize("slug", SLUGS)
def test_verification_fields_are_canonical(slug):
    """Verification fields use the canonical names, without repeats."""
    fields = _model(slug)["verification_fields"]
    assert set(fields) <= VERIFICATION_FIELDS, sorted(set(fields) - VERIFICATION_FIELDS)
    assert len(set(fields)) == len(fields)


@pytest.mark.parametrize("slug", SLUGS)
def test_mock_outcomes_have_one_entry_per_mock_row(slug):
    """mock_outcomes lists every tool with rows, one known outcome per row; the corpus has all three kinds."""
    tools = _tools(slug)
    outcomes = _model(slug)["mock_outcomes"] or {}
    with_rows = {name: tool.get("information") or [] for name, tool in tools.items() if tool.get("information")}
    assert set(outcomes) == set(with_rows)
    for name, rows in with_rows.items():
        assert len(outcomes[name]) == len(rows), f"{name}: {len(outcomes[name])} outcomes for {len(rows)} rows"
        assert set(outcomes[name]) <= OUTCOMES, name
    if tools:
        seen = {o for values in outcomes.values() for o in values}
        assert {"success", "no_match", "failure"} <= seen


@pytest.mark.parametrize("slug", SLUGS)
def test_failure_modes_list_every_failure_the_mocks_define(slug):
    """Each failure mode names an existing tool and a non-success outcome; every such mock outcome is listed."""
    tools = _tools(slug)
    modes = _model(slug)["failure_modes"] or []
    for mode in modes:
        assert mode["outcome"] in OUTCOMES - {"success"}, mode
        assert mode["tool"] in tools, mode
    listed = {(m["tool"], m["outcome"]) for m in modes}
    defined = {(name, o) for name, values in (_model(slug)["mock_outcomes"] or {}).items() for o in values
               if o != "success"}
    assert defined - listed == set(), f"mock failures missing from failure_modes: {sorted(defined - listed)}"


@pytest.mark.parametrize("slug", SLUGS)
def test_success_rows_chain_ids_from_earlier_tools(slug):
    """An id a success row takes as input (e.g. patient_id), of a kind tools return, was returned by a success row."""
    tools = _tools(slug)
    outcomes = _model(slug)["mock_outcomes"] or {}
    produced: set[str] = set()
    output_keys: set[str] = set()
    for name, tool in tools.items():
        for row, outcome in zip(tool.get("information") or [], outcomes.get(name, [])):
            output_keys |= {k for k, _ in _leaves(row["output"])}
            if outcome in {"success", "partial", "empty"}:
                produced |= {v for _, v in _leaves(row["output"]) if isinstance(v, str)}
    for name, tool in tools.items():
        for row, outcome in zip(tool.get("information") or [], outcomes.get(name, [])):
            if outcome != "success":
                continue
            for key, value in _leaves(row["input"]):
                # ids the caller says (an employee id) are not chained; ids some tool returns must be real
                id_key = key[:-1] if key.endswith("_ids") else key  # a list of ids names its items' key
                if id_key.endswith("_id") and id_key in output_keys and isinstance(value, str):
                    assert value in produced, f"{name}: input {key}={value!r} is returned by no tool"


def _leaves(value, key: str = ""):
    """(key, value) for every scalar in a JSON value."""
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _leaves(v, k)
    elif isinstance(value, list):
        for v in value:
            yield from _leaves(v, key)
    else:
        yield key, value


def test_long_prompts_are_long():
    """The compliance agent's prompt is at least 30 000 characters (the long-prompt path must be exercised)."""
    for slug, minimum in LONG_PROMPT_SLUGS.items():
        assert len(_prompt(slug)) >= minimum, slug


@pytest.mark.parametrize("slug", SLUGS)
def test_tabular_and_json_kb_files_parse(slug):
    """CSV files have a header and rows of its width; JSON files parse."""
    for path in load_agent_dir(CORPUS / slug).kb_files:
        if path.suffix == ".csv":
            rows = list(csv.reader(path.read_text(encoding="utf-8").splitlines()))
            assert len(rows) >= 3 and all(len(r) == len(rows[0]) for r in rows), path.name
        elif path.suffix == ".json":
            json.loads(path.read_text(encoding="utf-8"))
