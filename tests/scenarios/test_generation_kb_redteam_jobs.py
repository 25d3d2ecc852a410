"""Knowledge-base and red-teaming generation through HTTP and a real worker: uploads, sources, attacks, voice rules."""

from __future__ import annotations

import uuid

import pytest

from scenarist.agents.models import KnowledgeBaseFile
from scenarist.generation.redteam.speakability import speakability_problems
from scenarist.scenarios.models import Scenario
from tests.generation.knowledge.kb_files import FAQ_MD, HANDBOOK_PAGES, POLICIES_TXT, PRICES_CSV, make_pdf
from tests.support.processes import job_env

from .generation_support import BG_URL, agent_row, finished, keyed_client, start

pytestmark = pytest.mark.django_db(transaction=True)

NO_LLM = {"SCENARIST_LLM_BASE_URL": "", "SCENARIST_LLM_API_KEY": ""}


@pytest.fixture
def worker(job_queue, processes):
    """One offline-engine worker on this test's queue."""
    return processes.start("worker", env=job_env(job_queue, **NO_LLM))


def upload_kb(client, agent_id: int) -> dict[int, str]:
    """Upload a PDF, a Markdown, a CSV and a text file through the API; returns file id → extracted text."""
    files = {
        "patient-handbook.pdf": make_pdf(HANDBOOK_PAGES),
        "faq.md": FAQ_MD.encode(),
        "prices.csv": PRICES_CSV.encode(),
        "policies.txt": POLICIES_TXT.encode(),
    }
    from django.core.files.uploadedfile import SimpleUploadedFile

    uploads = [SimpleUploadedFile(name, data) for name, data in files.items()]
    r = client.post(f"/test_framework/v1/aiagents/{agent_id}/upload_knowledge_base/", {"files": uploads},
                    format="multipart")
    assert r.status_code == 201, r.content
    return dict(KnowledgeBaseFile.objects.filter(agent_id=agent_id).values_list("id", "extracted_text"))


def test_knowledge_base_batch_quotes_real_passages_across_files(worker):
    client, project = keyed_client()
    agent, _ = agent_row(project, "dental")
    texts = upload_kb(client, agent.pk)
    body = finished(client, start(client, agent_id=agent.pk, num_scenarios=10, scenario_type="knowledge_base",
                                  generate_expected_outcomes=True))
    assert body["status"] == "completed", body
    assert body["completed_scenarios"] == 10
    rows = list(Scenario.objects.filter(job__progress_id=uuid.UUID(body["progress_id"])))
    assert all(r.scenario_type == "knowledge_base" for r in rows)
    in_scope = [r for r in rows if r.knowledge_base_sources]
    out_of_scope = [r for r in rows if not r.knowledge_base_sources]
    assert len(out_of_scope) == 1, [r.tags for r in rows]  # one gap question for n = 10 on a KB with many topics
    for r in in_scope:
        for source in r.knowledge_base_sources:
            # As it stands in the file a person opens: the uploaded text, a CSV row as written, PDF as extracted.
            assert source["quote"] and (source["quote"] in texts[source["file_id"]] or any(
                source["quote"] in raw for raw in (FAQ_MD, PRICES_CSV, POLICIES_TXT)))
        assert r.expected_outcome_prompt.strip()
    assert len({s["file_id"] for r in in_scope for s in r.knowledge_base_sources}) >= 3
    for r in out_of_scope:
        assert "not" in r.expected_outcome_prompt.lower()  # the agent says it does not know / offers follow-up


def test_knowledge_base_request_is_limited_to_the_named_files(worker):
    client, project = keyed_client()
    agent, _ = agent_row(project, "dental")
    texts = upload_kb(client, agent.pk)
    chosen = sorted(texts)[:2]
    body = finished(client, start(client, agent_id=agent.pk, num_scenarios=5, scenario_type="knowledge_base",
                                  knowledge_base=chosen))
    assert body["status"] == "completed", body
    used = {s["file_id"] for item in body["scenarios_list"] for s in item["knowledge_base_sources"]}
    assert used and used <= set(chosen)


def test_knowledge_base_type_without_files_is_a_400():
    client, project = keyed_client()
    agent, _ = agent_row(project, "dental")
    r = client.post(BG_URL, {"agent_id": agent.pk, "num_scenarios": 3, "scenario_type": "knowledge_base"}, format="json")
    assert r.status_code == 400 and "knowledge_base" in r.json()


@pytest.mark.parametrize("attack_type", ["system_prompt_leak", "data_leak", "unauthorized_actions"])
def test_voice_attacks_are_speakable_grounded_and_keep_the_given_outcome(worker, attack_type):
    client, project = keyed_client()
    agent, spec = agent_row(project, "bank")
    outcome = "The agent refuses, reveals nothing internal and steers back to card services."
    body = finished(client, start(client, agent_id=agent.pk, num_scenarios=4, scenario_type="red_teaming_voice",
                                  attack_type=attack_type, expected_outcome=outcome))
    assert body["status"] == "completed", body
    tools = [tool.name for tool in spec.tools]
    for item in body["scenarios_list"]:
        assert item["attack_type"] == attack_type and item["scenario_type"] == "red_teaming_voice"
        assert item["expected_outcome_prompt"] == outcome
        assert speakability_problems(item["instructions"]) == [], item["instructions"]
        # Aimed at a risk of this agent with a named technique, in a caller's words (no internal tool names).
        assert any(t.startswith("risk:") for t in item["tags"]) and any(t.startswith("technique:") for t in item["tags"])
        assert not any(name in item["instructions"] for name in tools), item["instructions"]


def test_text_attacks_get_a_default_outcome_per_type(worker):
    client, project = keyed_client()
    agent, _ = agent_row(project, "dental")
    body = finished(client, start(client, agent_id=agent.pk, num_scenarios=6, scenario_type="red_teaming_text",
                                  attack_type="off_task"))
    assert body["status"] == "completed", body
    outcomes = {item["expected_outcome_prompt"] for item in body["scenarios_list"]}
    assert all(o.strip() for o in outcomes)
    assert len({item["name"] for item in body["scenarios_list"]}) == 6
    assert body["diversity"]["near_duplicates"] == 0
