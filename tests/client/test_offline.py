"""`scenarist generate --offline`: the generation library in-process from an agent directory, no server."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import yaml

from scenarist.client.suites import read_suite_file
from tests.client.conftest import EXAMPLE_AGENT, clean_env, run_cli
from tests.support.processes import free_port

NO_SERVER = f"http://127.0.0.1:{free_port()}"  # a closed port: any request would fail with exit 4


def test_offline_generation_writes_a_yaml_suite_and_prints_a_summary(tmp_path):
    out = tmp_path / "suite.yaml"
    result = run_cli("generate", "--offline", "--agent-dir", str(EXAMPLE_AGENT), "-n", "20", "--out", str(out),
                     url=NO_SERVER)
    assert result.code == 0, result.stderr
    assert "Generated 20/20 workflow scenarios offline (0 failed)" in result.stdout
    intents = re.search(r"Coverage: intents (\d+)/(\d+), tools 3/3", result.stdout)
    assert intents and intents.group(1) == intents.group(2) != "0"  # every intent and every tool exercised
    assert "near duplicates 0" in result.stdout
    document = yaml.safe_load(out.read_text())
    scenarios = document["scenarios"]
    assert len(scenarios) == 20 and len({s["name"] for s in scenarios}) == 20
    mock_names = {"Laura Chen", "Marcus Johnson", "Sofia Alvarez"}
    happy = [s for s in scenarios if "happy_path" in s["tags"]]
    assert happy and all(s["test_profile"]["information"]["testing_agent_variables"].get("full_name") in mock_names
                         for s in happy)
    assert all(set(s["test_profile"]["information"]["main_agent_variables"]) == {"clinic_name", "caller_phone"}
               for s in scenarios)


def test_offline_generation_is_deterministic_for_a_seed_and_varies_across_seeds(tmp_path):
    runs = {}
    for name, seed in (("a", "7"), ("b", "7"), ("c", "8")):
        out = tmp_path / f"{name}.json"
        result = run_cli("generate", "--offline", "--agent-dir", str(EXAMPLE_AGENT), "-n", "8", "--seed", seed,
                         "--type", "red_teaming_voice", "--attack-type", "system_prompt_leak", "--out", str(out),
                         url=NO_SERVER)
        assert result.code == 0, result.stderr
        runs[name] = out.read_text()
    assert runs["a"] == runs["b"]
    assert runs["a"] != runs["c"]
    assert {s["attack_type"] for s in json.loads(runs["a"])["scenarios"]} == {"system_prompt_leak"}


def test_offline_knowledge_base_quotes_occur_in_the_kb_files(tmp_path):
    out = tmp_path / "kb.csv"
    result = run_cli("generate", "--offline", "--agent-dir", str(EXAMPLE_AGENT), "-n", "6", "--type",
                     "knowledge_base", "--json", "--out", str(out), url=NO_SERVER)
    assert result.code == 0, result.stderr
    summary = json.loads(result.stdout)
    assert summary["count"] == 6 and summary["out"] == str(out)
    records = read_suite_file(out)
    sources = [s for r in records for s in r["knowledge_base_sources"]]
    assert sources
    from scenarist.agents.extraction import extract_text

    # A quote stands in the file as a person opens it (a CSV row as written) or in the extracted text (PDF).
    texts = {p.name: extract_text(p.name, p.read_bytes()).text + "\n" + p.read_text("utf-8", "ignore")
             for p in (EXAMPLE_AGENT / "kb").iterdir()}
    assert all(s["quote"] in texts[s["file_name"]] for s in sources), sources


def test_offline_without_out_writes_the_suite_to_stdout(tmp_path):
    result = run_cli("generate", "--offline", "--agent-dir", str(EXAMPLE_AGENT), "-n", "3", url=NO_SERVER)
    assert result.code == 0, result.stderr
    assert len(yaml.safe_load(result.stdout)["scenarios"]) == 3
    assert "Generated 3/3" in result.stderr


def test_agent_dir_with_prompt_only_and_bad_files(tmp_path):
    minimal = tmp_path / "tiny-agent"
    minimal.mkdir()
    (minimal / "prompt.txt").write_text("You are a pizza shop assistant. You take orders and answer questions "
                                        "about opening hours. Never take payment details over the phone.")
    ok = run_cli("generate", "--offline", "--agent-dir", str(minimal), "-n", "3", "--json", url=NO_SERVER)
    assert ok.code == 0, ok.stderr
    assert json.loads(ok.stdout)["count"] == 3

    (minimal / "tools.json").write_text('[{"name": "order", "information": [{"input": {}}]}]')
    bad = run_cli("generate", "--offline", "--agent-dir", str(minimal), "-n", "3", url=NO_SERVER)
    assert bad.code == 2
    assert "tools.json: tool 'order': `information` must be a list of {input, output} rows" in bad.stderr

    (minimal / "tools.json").unlink()
    (minimal / "prompt.txt").unlink()
    empty = run_cli("generate", "--offline", "--agent-dir", str(minimal), "-n", "3", url=NO_SERVER)
    assert empty.code == 2 and "no system prompt" in empty.stderr

    (minimal / "prompt.md").write_text("You are a pizza shop assistant.")
    kb_less = run_cli("generate", "--offline", "--agent-dir", str(minimal), "-n", "3", "--type", "knowledge_base",
                      url=NO_SERVER)
    assert kb_less.code == 2 and "knowledge_base scenarios need files in" in kb_less.stderr


def test_client_modules_never_import_django():
    code = ("import sys, scenarist.client, scenarist.client.suites, scenarist.client.agent_dir, scenarist.offline, "
            "scenarist.cli_client; bad = sorted(m for m in sys.modules if m.split('.')[0] == 'django'); "
            "print(bad); sys.exit(1 if bad else 0)")
    done = subprocess.run([sys.executable, "-c", code], env=clean_env(), capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


def test_estimate_prints_calls_and_tokens_without_a_server_or_a_model(tmp_path):
    llm_env = {"SCENARIST_LLM_BASE_URL": NO_SERVER + "/v1", "SCENARIST_LLM_MAX_OUTPUT_TOKENS": "900"}
    text = run_cli("generate", "--estimate", "--agent-dir", str(EXAMPLE_AGENT), "-n", "12", url=NO_SERVER,
                   env=llm_env)
    assert text.code == 0, text.stderr
    assert "Estimate for 12 workflow scenarios" in text.stdout and "no LLM was called" in text.stdout
    assert "written offline" not in text.stderr  # the stand-in model's non-answers are the method, not warnings
    assert re.search(r"LLM calls: 13 \(1\.08 per scenario", text.stdout), text.stdout

    as_json = run_cli("generate", "--estimate", "--json", "--agent-dir", str(EXAMPLE_AGENT), "-n", "12",
                      url=NO_SERVER, env=llm_env)
    report = json.loads(as_json.stdout)
    assert report["llm_calls"] == 13 and report["by_call"]["LLMScenarioDraft"]["calls"] == 12
    assert 0 < report["uncached_prompt_tokens"] < report["prompt_tokens"]  # the items share a cached prefix
    assert report["max_completion_tokens"] <= 13 * 900  # every call bounded by SCENARIST_LLM_MAX_OUTPUT_TOKENS

    kb = run_cli("generate", "--estimate", "--json", "--agent-dir", str(EXAMPLE_AGENT), "-n", "4", "--type",
                 "knowledge_base", url=NO_SERVER)
    assert json.loads(kb.stdout)["by_call"]["KBDraft"]["calls"] == 4

    no_dir = run_cli("generate", "--estimate", "-n", "3", url=NO_SERVER)
    assert no_dir.code == 2 and "--estimate needs --agent-dir DIR" in no_dir.stderr
    with_out = run_cli("generate", "--estimate", "--agent-dir", str(EXAMPLE_AGENT), "--out", str(tmp_path / "x.yaml"),
                       url=NO_SERVER)
    assert with_out.code == 2 and "--estimate writes no scenarios" in with_out.stderr
