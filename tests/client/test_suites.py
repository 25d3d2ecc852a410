"""Suites as files: export → import → export is equal modulo ids, in YAML, JSON and CSV; offline suites import."""

from __future__ import annotations

import json

import pytest
import yaml

from scenarist.client.suites import comparable, read_suite_file
from tests.client.conftest import EXAMPLE_AGENT


def _agent_id(tenant, name: str) -> int:
    return tenant.client.agents.create_from_dir(EXAMPLE_AGENT, agent_name=name).id


def _generate(tenant, agent_id: int, n: int, **options) -> None:
    """Set-up data through the SDK (the CLI's generate has its own tests); the CLI does export/import."""
    scenarios = tenant.client.scenarios.generate(agent_id=agent_id, num_scenarios=n, **options).wait(
        poll_interval=0.1, timeout=60)
    assert len(scenarios) == n


@pytest.mark.parametrize("fmt", ["yaml", "json", "csv"])
def test_export_import_export_round_trip(cli, tenant, tmp_path, fmt):
    source = _agent_id(tenant, "Source desk")
    _generate(tenant, source, 5, folder_path="Suites.Smoke", tags=["smoke"], tool_ids=["TOOL_END_CALL"],
              generate_expected_outcomes=True, first_message="Hi, this is Maya.")
    _generate(tenant, source, 3, scenario_type="knowledge_base")
    _generate(tenant, source, 2, scenario_type="red_teaming_text", attack_type="system_prompt_leak")
    first = tmp_path / f"first.{fmt}"
    exported = cli("scenarios", "export", "--agent", str(source), "--out", str(first))
    assert exported.code == 0, exported.stderr
    assert "Exported 10 scenario(s)" in exported.stderr

    target = _agent_id(tenant, "Target desk")
    imported = cli("scenarios", "import", str(first), "--agent", str(target))
    assert imported.code == 0, imported.stderr
    assert "Imported 10 scenario(s)" in imported.stdout
    assert "warning" not in imported.stderr

    second = tmp_path / f"second.{fmt}"
    assert cli("scenarios", "export", "--agent", str(target), "--format", fmt, "--out", str(second)).code == 0
    before, after = read_suite_file(first), read_suite_file(second)
    assert comparable(after) == comparable(before)
    # Ids were re-resolved on the target agent, not copied.
    assert {r["id"] for r in before}.isdisjoint({r["id"] for r in after})
    kb_after = [s for r in after for s in r["knowledge_base_sources"]]
    target_files = {f.id for f in tenant.client.agents.knowledge_base(target).all()}
    assert kb_after and {s["file_id"] for s in kb_after} <= target_files

    # The suite carried everything a scenario needs.
    smoke = [r for r in before if r["folder_path"] == "Suites.Smoke"]
    assert len(smoke) == 5
    assert all(r["first_message"] == "Hi, this is Maya." and r["tool_ids"] == ["TOOL_END_CALL"] for r in smoke)
    assert all("smoke" in r["tags"] and r["expected_outcome_prompt"] for r in smoke)
    assert all(r["test_profile"]["information"]["main_agent_variables"] for r in smoke)
    assert all(len(r["metric_names"]) == 10 and r["personality_name"] for r in before)
    assert {r["attack_type"] for r in before if r["scenario_type"] == "red_teaming_text"} == {"system_prompt_leak"}
    assert any(r["generated_mock_tool_entries"] for r in before)
    assert "Suites.Smoke" in {f.path for f in tenant.client.scenarios.folders()}


def test_export_to_stdout_defaults_to_yaml_and_filters_by_folder(cli, tenant):
    agent = _agent_id(tenant, "Desk")
    _generate(tenant, agent, 2, folder_path="Billing")
    _generate(tenant, agent, 3)
    result = cli("scenarios", "export", "--agent", str(agent), "--folder", "Billing")
    assert result.code == 0, result.stderr
    document = yaml.safe_load(result.stdout)
    assert document["format"] == "scenarist-suite"
    assert len(document["scenarios"]) == 2 and {r["folder_path"] for r in document["scenarios"]} == {"Billing"}


def test_offline_suite_imports_into_a_server_agent(cli, tenant, tmp_path):
    suite = tmp_path / "offline.csv"
    offline = cli("generate", "--offline", "--agent-dir", str(EXAMPLE_AGENT), "-n", "6", "--type", "knowledge_base",
                  "--out", str(suite))
    assert offline.code == 0, offline.stderr
    agent = _agent_id(tenant, "From offline")
    imported = cli("scenarios", "import", str(suite), "--agent", str(agent), "--json")
    assert imported.code == 0, imported.stderr
    assert len(json.loads(imported.stdout)["created"]) == 6
    on_server = tenant.client.scenarios.all(agent_id=agent)
    assert [s.name for s in on_server] == [r["name"] for r in read_suite_file(suite)]
    assert all(s.metric_names and len(s.metric_names) == 10 for s in on_server)
    kb_names = {f.id: f.file_name for f in tenant.client.agents.knowledge_base(agent).all()}
    sources = [src for s in on_server for src in s.knowledge_base_sources]
    assert sources and all(kb_names[src["file_id"]] == src["file_name"] for src in sources)


def test_import_of_a_malformed_file_is_a_usage_error(cli, tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"scenarios": [{"instructions": "no name"}]}')
    result = cli("scenarios", "import", str(bad), "--agent", "1")
    assert result.code == 2
    assert result.stderr.strip() == f"error: {bad}: scenario 1 has no name"


def test_import_twice_skips_what_the_agent_already_has_and_names_records_the_user_knows(cli, tenant, tmp_path):
    source = _agent_id(tenant, "Source desk")
    _generate(tenant, source, 3)
    suite = tmp_path / "suite.yaml"
    assert cli("scenarios", "export", "--agent", str(source), "--out", str(suite)).code == 0
    target = tenant.client.agents.create(agent_name="Bare desk", description="You answer calls.").id  # no tools

    first = cli("scenarios", "import", str(suite), "--agent", str(target))
    assert first.code == 0 and "Imported 3 scenario(s)" in first.stdout
    exported_ids = [r["id"] for r in read_suite_file(suite)]
    # a mock entry for a tool the target lacks is named, with the record's name, place and exported id
    assert f"(#1 in the file, exported as scenario {exported_ids[0]})" in first.stderr
    assert f"agent {target} has no tool 'lookup_patient'" in first.stderr

    second = cli("scenarios", "import", str(suite), "--agent", str(target))
    assert second.code == 0 and "Imported 0 scenario(s)" in second.stdout
    assert "Skipped 3 scenario(s)" in second.stdout and "--allow-duplicates" in second.stdout
    assert len(list(tenant.client.scenarios.iter(agent_id=target))) == 3

    forced = cli("scenarios", "import", str(suite), "--agent", str(target), "--allow-duplicates", "--json")
    assert forced.code == 0 and len(json.loads(forced.stdout)["created"]) == 3


def test_import_into_a_missing_agent_names_the_agent(cli, tenant, tmp_path):
    suite = tmp_path / "suite.yaml"
    suite.write_text("format: scenarist-suite\nversion: 1\nscenarios: []\n")
    result = cli("scenarios", "import", str(suite), "--agent", "987654")
    assert result.code == 1 and "agent 987654 not found" in result.stderr and "HTTP 404" not in result.stderr
