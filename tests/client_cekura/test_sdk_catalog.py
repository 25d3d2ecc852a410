"""`client.metrics`, `projects`, `personalities`, `test_profiles`, `predefined_metrics`, `phone_numbers` of the
unchanged Cekura SDK; effects checked in the database."""

from __future__ import annotations

import pytest
from cekura import APIError, AuthenticationError, Cekura, NotFoundError

from scenarist.accounts.models import Project
from scenarist.catalog.models import Personality, PhoneNumber
from scenarist.metrics.models import Metric
from scenarist.scenarios.models import TestProfile
from tests.client_cekura.conftest import v2_agent_body, wait_job


def test_metrics_crud_and_all_three_clean_description_methods(tenant):
    sdk = tenant.sdk
    created = sdk.metrics.create(name="Verifies first", description="agent checks identity", eval_type="binary")
    metric = Metric.objects.get(pk=created["id"])
    assert metric.project_id == tenant.project_id
    assert sdk.metrics.get(metric.pk)["name"] == "Verifies first"
    assert any(m["id"] == metric.pk for m in sdk.metrics.list(page_size=50)["results"])
    sdk.metrics.update(metric.pk, description="The agent verifies the caller before booking.")
    metric.refresh_from_db()
    assert metric.description == "The agent verifies the caller before booking."
    sdk.metrics.delete(metric.pk)
    assert not Metric.objects.filter(pk=metric.pk).exists()

    made = sdk.metrics.bulk_create([{"name": "Bulk one", "description": "a"},
                                    {"name": "Bulk two", "eval_type": "enum", "enum_values": ["x", "y"]}])
    assert [m["name"] for m in made] == ["Bulk one", "Bulk two"]
    assert Metric.objects.filter(project_id=tenant.project_id, name__startswith="Bulk").count() == 2
    with pytest.raises(APIError) as err:  # all or nothing, the bad item named
        sdk.metrics.bulk_create([{"name": "Fine"}, {"name": ""}])
    assert "Item 1" in str(err.value.response_body) and not Metric.objects.filter(name="Fine").exists()
    sdk.metrics.delete_bulk(metrics=[m["id"] for m in made])
    assert not Metric.objects.filter(project_id=tenant.project_id, name__startswith="Bulk").exists()

    agent_id = sdk.agents.create(**v2_agent_body(tenant.project_id))["id"]
    body = {"agent": agent_id, "metric_description": "agent should verify the caller before booking",
            "eval_type": "boolean"}  # fmt: skip
    sync = sdk.metrics.generate_clean_description(**body)
    assert len(sync["clean_description"]) > 80
    job = sdk.metrics.generate_clean_description_bg(**body)
    done = wait_job(lambda: sdk.metrics.generate_clean_description_progress(progress_id=job["progress_id"]))
    assert done["status"] == "completed" and len(done["clean_description"]) > 80 and "thinking" in done


def test_projects_create_rename_delete(tenant):
    sdk = tenant.sdk
    assert [p["id"] for p in sdk.projects.list()["results"]] == [tenant.project_id]
    child = sdk.projects.create(name="Staging")
    assert Project.objects.get(pk=child["id"]).parent_id == tenant.project_id
    assert child["api_key"].startswith("sk_scn_")
    with Cekura(api_key=child["api_key"], base_url=sdk._http.base_url) as child_sdk:  # its own key works inside it
        assert child_sdk.projects.get(child["id"])["name"] == "Staging"
        with pytest.raises(AuthenticationError):  # a child's key may not create projects
            child_sdk.projects.create(name="Grandchild")
    assert {p["id"] for p in sdk.projects.list()["results"]} == {tenant.project_id, child["id"]}
    assert sdk.projects.get(child["id"])["name"] == "Staging"
    sdk.projects.update(child["id"], name="Staging 2")
    assert Project.objects.get(pk=child["id"]).name == "Staging 2"

    with pytest.raises(APIError) as err:  # the key's own project is never deleted through it
        sdk.projects.delete(tenant.project_id)
    assert err.value.status_code == 400 and Project.objects.filter(pk=tenant.project_id).exists()
    sdk.projects.delete(child["id"])
    assert not Project.objects.filter(pk=child["id"]).exists()

    stranger = Project.objects.create(name="Other tenant")
    with pytest.raises(NotFoundError):
        sdk.projects.get(stranger.pk)
    with pytest.raises(NotFoundError):
        sdk.projects.delete(stranger.pk)
    assert Project.objects.filter(pk=stranger.pk).exists()


def test_project_with_content_is_not_deleted(tenant):
    sdk = tenant.sdk
    child = sdk.projects.create(name="Busy")
    with Cekura(api_key=child["api_key"], base_url=sdk._http.base_url) as child_sdk:
        child_sdk.agents.create(name="Busy agent", description="Answers calls.")
    with pytest.raises(APIError) as err:
        sdk.projects.delete(child["id"])
    assert "1 agents" in str(err.value.response_body) and Project.objects.filter(pk=child["id"]).exists()


def test_personalities_and_test_profiles(tenant):
    sdk = tenant.sdk
    assert len(sdk.personalities.list()) >= 10
    created = sdk.personalities.create(name="Hurried caller", language="en", prompt="Speaks fast.")
    assert Personality.objects.get(pk=created["id"]).project_id == tenant.project_id
    assert sdk.personalities.get(created["id"])["name"] == "Hurried caller"

    agent_id = sdk.agents.create(**v2_agent_body(tenant.project_id))["id"]
    info = {"main_agent_variables": {"clinic_name": "Park Row"}, "testing_agent_variables": {"full_name": "Ann Lee"}}
    profile = sdk.test_profiles.create(name="Ann", agent=agent_id, information=info)
    row = TestProfile.objects.get(pk=profile["id"])
    assert row.project_id == tenant.project_id and row.information == info
    assert [p["id"] for p in sdk.test_profiles.list(agent_id=agent_id)] == [row.pk]
    assert sdk.test_profiles.get(row.pk)["name"] == "Ann"
    sdk.test_profiles.update(row.pk, name="Ann L.")
    row.refresh_from_db()
    assert row.name == "Ann L."
    sdk.test_profiles.delete(row.pk)
    assert not TestProfile.objects.filter(pk=row.pk).exists()


def test_predefined_metrics_copy_and_inbound_numbers(tenant):
    sdk = tenant.sdk
    catalogue = sdk.predefined_metrics.list()
    assert len(catalogue) >= 10
    agent_id = sdk.agents.create(**v2_agent_body(tenant.project_id))["id"]
    before = Metric.objects.filter(project_id=tenant.project_id).count()
    copies = sdk.predefined_metrics.copy(predefined_metrics=[catalogue[0]["id"], catalogue[1]["slug"]],
                                         agents=[agent_id])  # fmt: skip
    assert [c["predefined"] for c in copies] == [catalogue[0]["id"], catalogue[1]["id"]]
    assert Metric.objects.filter(project_id=tenant.project_id).count() == before + 2
    assert all(list(Metric.objects.get(pk=c["id"]).agents.values_list("id", flat=True)) == [agent_id] for c in copies)
    with pytest.raises(APIError) as err:
        sdk.predefined_metrics.copy(predefined_metrics=["no-such-metric"])
    assert "predefined_metrics" in err.value.response_body

    number = PhoneNumber.objects.create(project_id=tenant.project_id, number="+14155550199", name="desk")
    PhoneNumber.objects.create(project=Project.objects.create(name="other"), number="+14155550198")
    assert sdk.phone_numbers.inbound() == [
        {"id": number.pk, "number": "+14155550199", "phone_number_id": str(number.pk), "name": "desk"}
    ]
