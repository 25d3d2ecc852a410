"""Project-scoped view bases: every queryset is filtered to the caller's project."""

from __future__ import annotations

from rest_framework import viewsets

from scenarist.accounts.auth import project_of


class ProjectScopedMixin:
    """Filter `queryset` to the caller's project through `project_lookup`; set it on create."""

    project_lookup = "project"

    def get_queryset(self):
        qs = super().get_queryset()
        return qs.filter(**{self.project_lookup: project_of(self.request)})

    def get_serializer_context(self):
        ctx = super().get_serializer_context()
        ctx["project"] = project_of(self.request) if getattr(self.request, "user", None) else None
        return ctx

    def perform_create(self, serializer):
        if self.project_lookup == "project":
            serializer.save(project=project_of(self.request))
        else:
            serializer.save()


class ProjectScopedModelViewSet(ProjectScopedMixin, viewsets.ModelViewSet):
    """CRUD over one project's rows; foreign ids look like missing ones (404)."""
