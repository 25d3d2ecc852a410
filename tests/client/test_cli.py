"""The `scenarist` client commands as subprocesses against a live server: progress, exit codes, errors."""

from __future__ import annotations

import json

import pytest

from tests.client.conftest import EXAMPLE_AGENT, run_cli
from tests.support.processes import free_port


def _create_agent(cli) -> dict:
    result = cli("agents", "create", "--from-dir", str(EXAMPLE_AGENT), "--json")
    assert result.code == 0, result.stderr
    return json.loads(result.stdout)


def test_agents_create_from_dir_sends_prompt_tools_variables_and_kb(cli, tenant):
    agent = _create_agent(cli)
    assert agent["agent_name"] == "Bright Smile Dental — front desk"
    assert agent["description"].startswith("# Role")
    assert agent["contact_number"] == "+14155550100" and agent["agent_gives_first_message"] is True
    assert sorted(agent["dynamic_variables"]) == ["caller_phone", "clinic_name"]
    tools = tenant.client.agents.tools(agent["id"]).all()
    assert [t.name for t in tools] == ["lookup_patient", "book_appointment", "cancel_appointment"]
    assert len(tools[0].information) == 4
    kb = tenant.client.agents.knowledge_base(agent["id"]).all()
    assert sorted(f.file_name for f in kb) == ["clinic-faq.md", "services.csv"]

    human = cli("agents", "create", "--from-dir", str(EXAMPLE_AGENT), "--name", "Second desk")
    assert human.code == 0, human.stderr
    assert "3 tool(s), 2 variable(s), 2 knowledge-base file(s)" in human.stdout


def test_generate_shows_progress_on_stderr_and_lists_the_scenarios(cli, tenant):
    agent = _create_agent(cli)
    result = cli("generate", "--agent", str(agent["id"]), "-n", "12", "--poll-interval", "0.2")
    assert result.code == 0, result.stderr
    assert "generating scenarios" in result.stderr
    assert "12/12 completed, 0 failed, completed" in result.stderr  # the final bar line: counts and status
    assert "Generated 12/12 scenarios (0 failed)" in result.stdout
    assert "Coverage: intents" in result.stdout
    assert tenant.client.scenarios.list(agent_id=agent["id"]).count == 12


def test_generate_red_teaming_json_output(cli, tmp_path):
    agent = _create_agent(cli)
    out = tmp_path / "attacks.csv"
    result = cli("generate", "--agent", str(agent["id"]), "-n", "4", "--type", "red_teaming_voice",
                 "--attack-type", "data_leak", "--json", "--no-progress", "--poll-interval", "0.2", "--out", str(out))
    assert result.code == 0, result.stderr
    body = json.loads(result.stdout)
    assert body["status"] == "completed" and body["completed_scenarios"] == 4 and body["out"] == str(out)
    assert out.read_text().count("red_teaming_voice") == 4
    assert {s["scenario_type"] for s in body["scenarios_list"]} == {"red_teaming_voice"}
    assert {s["attack_type"] for s in body["scenarios_list"]} == {"data_leak"}
    assert result.stderr == ""  # --no-progress: nothing on stderr


def test_metrics_clean_rating(cli):
    agent = _create_agent(cli)
    draft = "The agent should confirm the date and time back to the caller before it books."
    result = cli("metrics", "clean", draft, "--agent", str(agent["id"]), "--eval-type", "rating",
                 "--poll-interval", "0.2")
    assert result.code == 0, result.stderr
    assert result.stdout.startswith("SCOPE & FOCUS")
    assert "5 —" in result.stdout and "--- thinking ---" in result.stdout
    assert "cleaning description: completed" in result.stderr

    sync = cli("metrics", "clean", draft, "--agent", str(agent["id"]), "--eval-type", "enum", "--sync", "--json")
    assert sync.code == 0, sync.stderr
    body = json.loads(sync.stdout)
    assert body["enum_values"] and "N/A" in body["enum_values"]


def test_bad_key_exits_3_with_a_clear_message(scenarist_server):
    result = run_cli("agents", "list", url=scenarist_server.url, key="sk_scn_not_a_real_key")
    assert result.code == 3
    assert result.stderr.startswith("error: authentication failed (HTTP 401)")
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1

    missing = run_cli("agents", "list", url=scenarist_server.url)
    assert missing.code == 3 and "no API key given" in missing.stderr


def test_server_down_exits_4():
    port = free_port()  # nothing listens there
    result = run_cli("agents", "list", "--retries", "1", url=f"http://127.0.0.1:{port}", key="sk_any")
    assert result.code == 4
    assert f"cannot connect to http://127.0.0.1:{port} after 2 attempt(s)" in result.stderr
    assert "Traceback" not in result.stderr


def test_api_errors_exit_1_with_field_errors(cli):
    result = cli("generate", "--agent", "999999", "-n", "3")
    assert result.code == 1
    lines = result.stderr.strip().splitlines()
    assert lines[0] == "error: HTTP 400 on POST /test_framework/v1/scenarios/generate-bg/"
    assert lines[1].startswith("  agent_id: Invalid pk")

    missing = cli("agents", "get", "999999")
    assert missing.code == 1 and missing.stderr.startswith("error: HTTP 404 on GET /test_framework/v1/aiagents/999999/")


@pytest.mark.parametrize("argv, message", [
    (["generate", "-n", "3"], "--agent ID is required"),
    (["generate", "--agent", "1", "--type", "red_teaming_text"], "--attack-type is required"),
    (["generate", "--agent", "1", "-n", "101"], "-n must be between 1 and 100"),
    (["generate", "--offline", "-n", "3"], "--offline needs --agent-dir DIR"),
    (["agents", "create", "--from-dir", "/definitely/not/here"], "does not exist"),
    (["generate", "--agent", "1", "--type", "nonsense"], "invalid choice"),
])
def test_usage_errors_exit_2(argv, message):
    # No server listens: a usage error must be reported before any request is made.
    result = run_cli(*argv, url=f"http://127.0.0.1:{free_port()}", key="sk_unused")
    assert result.code == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_list_commands_and_global_flags_before_the_sub_command(scenarist_server, tenant, cli):
    agent = _create_agent(cli)
    tenant.client.scenarios.create(name="Manual one", agent=agent["id"], instructions="You call.")
    listed = run_cli("--url", scenarist_server.url, "--api-key", tenant.key, "scenarios", "list",
                     "--agent", str(agent["id"]))
    assert listed.code == 0, listed.stderr
    assert listed.stdout.strip().endswith("Manual one")
    agents = cli("agents", "list", "--json")
    assert [a["id"] for a in json.loads(agents.stdout)] == [agent["id"]]
    people = cli("personalities", "list")
    assert people.code == 0 and "Normal Male" in people.stdout
    bad = cli("generate", "--agent", str(agent["id"]), "--personality", "Normal Male")
    assert bad.code == 2 and "--personality takes personality ids" in bad.stderr
