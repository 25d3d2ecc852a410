"""Catalogue queries other rooms use: visible personalities, the default personality, predefined metrics."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from scenarist.accounts.models import Project

from .models import Personality, PredefinedMetric
from .seed import seed_catalog


def ensure_catalog_seeded() -> None:
    """Seed the global catalogue if it is missing (e.g. after a test flushed the tables)."""
    if not PredefinedMetric.objects.exists() or not Personality.objects.filter(project=None).exists():
        seed_catalog(Personality, PredefinedMetric)


def visible_personalities(project: Project) -> QuerySet[Personality]:
    """Personalities a project may use: the global catalogue plus its own."""
    return Personality.objects.filter(Q(project__isnull=True) | Q(project=project))


def default_personality(project: Project | None = None) -> Personality:
    """The project's own default personality if it set one, else the global default ("Normal Male")."""
    if project is not None:
        own = Personality.objects.filter(project=project, is_default=True).order_by("-id").first()
        if own is not None:
            return own
    found = Personality.objects.filter(project__isnull=True, is_default=True).order_by("id").first()
    if found is None:
        ensure_catalog_seeded()
        found = Personality.objects.filter(project__isnull=True, is_default=True).order_by("id").first()
    return found


def default_predefined_metrics() -> QuerySet[PredefinedMetric]:
    """The ten predefined metrics copied into every new project, in display order."""
    if not PredefinedMetric.objects.filter(is_default=True).exists():
        ensure_catalog_seeded()
    return PredefinedMetric.objects.filter(is_default=True).order_by("display_order", "id")
