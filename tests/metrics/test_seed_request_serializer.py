"""CleanMetricDescriptionRequestSerializer: every validation rule of CONTRACT §3's body."""

import pytest

from scenarist.metrics.serializers import CleanMetricDescriptionRequestSerializer

from ..scenarios.helpers import make_agent


def _validate(project, **body):
    serializer = CleanMetricDescriptionRequestSerializer(data=body, context={"project": project})
    return serializer, serializer.is_valid()


def test_valid_body_resolves_the_agent(tenant):
    agent = make_agent(tenant.project)
    serializer, ok = _validate(tenant.project, agent=agent.pk, metric_description=" Polite? ", eval_type="boolean")
    assert ok, serializer.errors
    assert serializer.validated_data["agent"] == agent
    assert serializer.validated_data["metric_description"] == " Polite? "


def test_all_fields_required(tenant):
    serializer, ok = _validate(tenant.project)
    assert not ok and set(serializer.errors) == {"agent", "metric_description", "eval_type"}


def test_foreign_or_unknown_agent_is_invalid_pk(tenant, other_tenant):
    foreign = make_agent(other_tenant.project)
    for pk in (foreign.pk, 999999):
        serializer, ok = _validate(tenant.project, agent=pk, metric_description="x", eval_type="enum")
        assert not ok and serializer.errors["agent"] == [f'Invalid pk "{pk}" - object does not exist.']


@pytest.mark.parametrize("text", ["", "   ", "\n\t", "x" * 20_001])
def test_blank_or_too_long_description(tenant, text):
    agent = make_agent(tenant.project)
    serializer, ok = _validate(tenant.project, agent=agent.pk, metric_description=text, eval_type="rating")
    assert not ok and "metric_description" in serializer.errors


def test_description_at_the_limit_is_fine(tenant):
    agent = make_agent(tenant.project)
    _, ok = _validate(tenant.project, agent=agent.pk, metric_description="x" * 20_000, eval_type="numeric")
    assert ok


def test_eval_type_vocabulary(tenant):
    agent = make_agent(tenant.project)
    serializer, ok = _validate(tenant.project, agent=agent.pk, metric_description="x", eval_type="binary")
    assert not ok and serializer.errors["eval_type"] == ['"binary" is not a valid choice.']
