"""Project creation: the one place a tenant is born (its default rows are seeded by signal receivers)."""

from __future__ import annotations

from django.db import transaction

from .models import Project


def create_project(name: str, key_name: str = "default") -> tuple[Project, str]:
    """Create a project with one API key; returns the project and the raw key (shown once)."""
    with transaction.atomic():
        project = Project.objects.create(name=name)
        _, raw = project.issue_key(key_name)
    return project, raw
