"""Project creation: the one place a tenant is born (its default rows are seeded by signal receivers)."""

from __future__ import annotations

from django.db import transaction

from .models import Project


def create_project(name: str, key_name: str = "default", parent: Project | None = None) -> tuple[Project, str]:
    """Create a project with one API key; returns the project and the raw key (shown once)."""
    with transaction.atomic():
        project = Project.objects.create(name=name, parent=parent)
        _, raw = project.issue_key(key_name)
    return project, raw


def project_contents(project: Project) -> dict[str, int]:
    """What a project holds besides its seeded defaults (empty dict = empty project)."""
    counts = {
        "agents": project.agents.count(),
        "scenarios": project.scenarios.count(),
        "test profiles": project.test_profiles.count(),
        "folders": project.folders.count(),
        "phone numbers": project.phone_numbers.count(),
        "personalities": project.personalities.count(),
        "metrics": project.metrics.filter(is_default=False).count(),
        "projects": project.children.count(),
    }
    return {name: n for name, n in counts.items() if n}
