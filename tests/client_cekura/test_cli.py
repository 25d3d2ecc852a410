"""The official `cekura` CLI (subprocess, CEKURA_API_URL + CEKURA_API_KEY) against the live server."""

from __future__ import annotations

import json

from scenarist.agents.models import Agent, MockTool
from scenarist.metrics.models import Metric
from scenarist.scenarios.models import Scenario
from tests.client_cekura.conftest import AGENT_PROMPT, wait_job


def test_cli_agent_scenario_generation_and_bulk_delete(cekura_cli, tenant, tmp_path):
    # the CLI's flat agent file, translated by the CLI into the v2 body
    agent_file = tmp_path / "agent.json"
    agent_file.write_text(json.dumps({"agent_name": "CLI desk", "description": AGENT_PROMPT, "inbound": True,
                                      "language": "en", "contact_number": "+14155550100",
                                      "mock_tools": [{"name": "lookup_patient", "description": "Find",
                                                      "mock_data": [{"input": {"phone": "+1"}, "output": {"id": 1}}]}]}))
    done = cekura_cli("agents", "create", "--from-file", str(agent_file), "--project-id", str(tenant.project_id),
                      "--format", "json")  # fmt: skip
    assert done.code == 0, done.stderr
    agent = Agent.objects.get(project_id=tenant.project_id, agent_name="CLI desk")
    assert done.json()["id"] == agent.pk and agent.contact_number == "+14155550100"
    assert MockTool.objects.filter(agent=agent, name="lookup_patient").exists()

    listed = cekura_cli("agents", "list", "--format", "json")
    assert listed.code == 0 and listed.json()["results"][0]["id"] == agent.pk

    personality = tenant.sdk.personalities.list()[0]["id"]
    scenario_file = tmp_path / "scenario.json"
    scenario_file.write_text(json.dumps({"name": "CLI scenario", "agent": agent.pk, "personality": personality,
                                         "instructions": "Ask for a cleaning.", "project": tenant.project_id}))
    done = cekura_cli("scenarios", "create", "--from-file", str(scenario_file), "--format", "json")
    assert done.code == 0 and "created successfully" in done.stdout, done.stderr
    created = Scenario.objects.get(project_id=tenant.project_id, name="CLI scenario")

    done = cekura_cli("scenarios", "generate", "--agent-id", str(agent.pk), "-n", "3", "--format", "json")
    assert done.code == 0, done.stderr
    progress_id = done.json()["progress_id"]

    def poll():
        out = cekura_cli("scenarios", "generate-progress", "--progress-id", progress_id, "--format", "json")
        assert out.code == 0, out.stderr
        return out.json()

    body = wait_job(poll)
    assert body["status"] == "completed" and body["completed_scenarios"] == 3
    assert Scenario.objects.filter(agent=agent).count() == 4

    done = cekura_cli("scenarios", "bulk-delete", "--scenario-ids", str(created.pk), "--yes")
    assert done.code == 0, done.stderr
    assert not Scenario.objects.filter(pk=created.pk).exists()


def test_cli_metrics_and_clean_description(cekura_cli, tenant, tmp_path):
    agent_id = tenant.sdk.agents.create(name="Metric desk", description=AGENT_PROMPT)["id"]
    body = tmp_path / "clean.json"
    body.write_text(json.dumps({"agent": agent_id, "metric_description": "agent verifies the caller",
                                "eval_type": "boolean"}))
    done = cekura_cli("metrics", "generate-clean-description-bg", "--from-file", str(body), "--format", "json")
    assert done.code == 0, done.stderr
    progress_id = done.json()["progress_id"]
    finished = wait_job(lambda: json.loads(cekura_cli("metrics", "generate-clean-description-progress",
                                                      "--progress-id", progress_id, "--format", "json").stdout))
    assert finished["status"] == "completed" and finished["clean_description"]
    listed = cekura_cli("metrics", "list", "--format", "json")
    assert listed.code == 0
    assert Metric.objects.filter(project_id=tenant.project_id).count() >= 10


def test_cli_unsupported_command_fails_clearly(cekura_cli):
    done = cekura_cli("runs", "list", "--agent-id", "1", "--format", "json")
    assert done.code != 0
    assert "not part of Scenarist" in done.stdout + done.stderr
