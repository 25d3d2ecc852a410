"""Every new project gets editable copies of the ten default predefined metrics."""

from scenarist.accounts.services import create_project
from scenarist.catalog.models import PredefinedMetric
from scenarist.metrics.models import Metric
from scenarist.metrics.services import default_metric_ids, seed_default_metrics

from ..catalog.test_predefined_metrics import DEFAULT_NAMES


def test_new_project_has_the_ten_defaults(db):
    project, _ = create_project("Fresh")
    rows = list(Metric.objects.filter(project=project).order_by("id"))
    assert [m.name for m in rows] == DEFAULT_NAMES
    assert all(m.is_default and m.predefined_id for m in rows)
    expected = PredefinedMetric.objects.get(slug="expected_outcome")
    copy = next(m for m in rows if m.predefined_id == expected.pk)
    assert copy.description == expected.description and copy.enum_values == ["Pass", "Review Required", "Failed"]
    assert default_metric_ids(project) == [m.pk for m in rows]


def test_seeding_is_idempotent_and_per_project(tenant, other_tenant):
    assert seed_default_metrics(tenant.project) == []
    assert Metric.objects.filter(project=tenant.project).count() == 10
    assert set(default_metric_ids(tenant.project)).isdisjoint(default_metric_ids(other_tenant.project))


def test_defaults_are_listed_and_editable(api, tenant):
    body = api.get("/test_framework/v1/metrics/", {"is_default": "true"}).json()
    assert body["count"] == 10
    first = body["results"][0]
    r = api.patch(f"/test_framework/v1/metrics/{first['id']}/", {"description": "Edited judge prompt."}, format="json")
    assert r.status_code == 200 and r.json()["description"] == "Edited judge prompt."
    assert r.json()["is_default"] is True


def test_catalogue_is_reseeded_when_missing(db):
    """A flushed catalogue (e.g. by a transactional test) is re-seeded rather than leaving projects bare."""
    from scenarist.catalog.models import Personality
    from scenarist.catalog.services import default_personality

    PredefinedMetric.objects.all().delete()
    Personality.objects.filter(project=None).delete()
    project, _ = create_project("After flush")
    assert Metric.objects.filter(project=project, is_default=True).count() == 10
    assert default_personality(project).name == "Normal Male"
