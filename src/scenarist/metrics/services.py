"""Project metrics: seeding the ten defaults into a project and finding them again."""

from __future__ import annotations

from scenarist.accounts.models import Project
from scenarist.catalog.services import default_predefined_metrics

from .models import Metric


def seed_default_metrics(project: Project) -> list[Metric]:
    """Copy each default predefined metric into the project once (idempotent); returns the new rows."""
    already = set(Metric.objects.filter(project=project, predefined__isnull=False).values_list("predefined_id", flat=True))
    created = []
    for predefined in default_predefined_metrics():
        if predefined.pk in already:
            continue
        created.append(
            Metric.objects.create(
                project=project,
                name=predefined.name,
                description=predefined.description,
                type=predefined.type,
                eval_type=predefined.eval_type,
                enum_values=list(predefined.enum_values or []),
                evaluation_trigger=predefined.evaluation_trigger,
                predefined=predefined,
                is_default=True,
            )
        )
    return created


def default_metric_ids(project: Project) -> list[int]:
    """Ids of the project's default metrics (the ones generation attaches), oldest first."""
    return list(Metric.objects.filter(project=project, is_default=True).order_by("id").values_list("id", flat=True))
