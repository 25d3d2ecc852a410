"""Idempotent seeding of the global catalogue; used by the data migration and as a safety net at run time."""

from __future__ import annotations

from .seed_metrics import PREDEFINED_METRICS
from .seed_personalities import GLOBAL_PERSONALITIES


def seed_personalities(personality_model) -> None:
    """Create or refresh the global personalities (matched by name among project-less rows)."""
    for row in GLOBAL_PERSONALITIES:
        fields = {k: v for k, v in row.items() if k != "name"}
        personality_model.objects.update_or_create(project=None, name=row["name"], defaults=fields)


def seed_predefined_metrics(predefined_metric_model) -> None:
    """Create or refresh the predefined metrics (matched by slug), in catalogue order."""
    for order, row in enumerate(PREDEFINED_METRICS):
        fields = {k: v for k, v in row.items() if k != "slug"}
        predefined_metric_model.objects.update_or_create(slug=row["slug"], defaults={**fields, "display_order": order})


def seed_catalog(personality_model, predefined_metric_model) -> None:
    """Seed both catalogues; model classes are passed in so migrations can use historical models."""
    seed_personalities(personality_model)
    seed_predefined_metrics(predefined_metric_model)
