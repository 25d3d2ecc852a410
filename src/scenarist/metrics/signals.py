"""Signal receivers of the metrics app."""

from __future__ import annotations

from django.db.models.signals import post_save
from django.dispatch import receiver

from scenarist.accounts.models import Project

from .services import seed_default_metrics


@receiver(post_save, sender=Project, dispatch_uid="metrics.seed_default_metrics")
def give_new_project_default_metrics(sender, instance: Project, created: bool, raw: bool = False, **kwargs) -> None:
    """Every new project starts with editable copies of the ten default metrics."""
    if created and not raw:
        seed_default_metrics(instance)
