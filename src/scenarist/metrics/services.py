"""Project metrics: seeding the ten defaults into a project and finding them again."""

from __future__ import annotations

from django.db import transaction
from rest_framework.exceptions import ValidationError

from scenarist.accounts.models import Project
from scenarist.agents.models import Agent
from scenarist.catalog.models import PredefinedMetric
from scenarist.catalog.services import default_predefined_metrics

from .models import Metric


def seed_default_metrics(project: Project) -> list[Metric]:
    """Copy each default predefined metric into the project once (idempotent); returns the new rows."""
    already = set(Metric.objects.filter(project=project, predefined__isnull=False).values_list("predefined_id", flat=True))
    created = []
    for predefined in default_predefined_metrics():
        if predefined.pk in already:
            continue
        created.append(_copy(project, predefined, is_default=True))
    return created


def _copy(project: Project, predefined: PredefinedMetric, *, is_default: bool) -> Metric:
    """One project metric made from a predefined one."""
    return Metric.objects.create(
        project=project,
        name=predefined.name,
        description=predefined.description,
        type=predefined.type,
        eval_type=predefined.eval_type,
        enum_values=list(predefined.enum_values or []),
        evaluation_trigger=predefined.evaluation_trigger,
        predefined=predefined,
        is_default=is_default,
    )


# Body keys clients use for the predefined metrics to copy and for the agents to attach the copies to.
COPY_ID_KEYS = ("predefined_metrics", "predefined_metric_ids", "metric_ids", "metrics", "ids", "id", "predefined_metric")
COPY_AGENT_KEYS = ("agents", "agent_ids", "agent", "agent_id")


def copy_predefined_metrics(project: Project, data) -> list[Metric]:
    """Copy the predefined metrics named in `data` (ids or slugs) into the project, attached to its listed agents."""
    if not isinstance(data, dict):
        raise ValidationError({"non_field_errors": ["Expected an object."]})
    key = next((k for k in COPY_ID_KEYS if k in data), None)
    if key is None:
        raise ValidationError({"predefined_metrics": ["Name the predefined metrics to copy (ids or slugs)."]})
    wanted = data[key] if isinstance(data[key], list) else [data[key]]
    if not wanted:
        raise ValidationError({key: ["This list may not be empty."]})
    found = []
    for item in wanted:
        match = PredefinedMetric.objects.filter(pk=int(item)) if str(item).isdigit() and int(item) < 2**63 else (
            PredefinedMetric.objects.filter(slug=str(item)))
        row = match.first()
        if row is None:
            raise ValidationError({key: [f'Predefined metric "{item}" does not exist.']})
        found.append(row)
    for pkey in ("project", "project_id"):
        if data.get(pkey) not in (None, "", project.pk, str(project.pk)):
            raise ValidationError({pkey: [f"This API key can only write to its own project ({project.pk})."]})
    agent_key = next((k for k in COPY_AGENT_KEYS if data.get(k) not in (None, "", [])), None)
    agents = []
    if agent_key is not None:
        ids = data[agent_key] if isinstance(data[agent_key], list) else [data[agent_key]]
        agents = list(Agent.objects.filter(project=project, pk__in=[int(i) for i in ids if str(i).isdigit() and int(i) < 2**63]))
        if len(agents) != len(set(map(str, ids))):
            raise ValidationError({agent_key: ["Every agent must be an agent of this project."]})
    copies = []
    with transaction.atomic():
        for predefined in found:
            metric = _copy(project, predefined, is_default=False)
            if agents:
                metric.agents.set(agents)
            copies.append(metric)
    return copies


def default_metric_ids(project: Project) -> list[int]:
    """Ids of the project's default metrics (the ones generation attaches), oldest first."""
    return list(Metric.objects.filter(project=project, is_default=True).order_by("id").values_list("id", flat=True))
