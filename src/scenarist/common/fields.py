"""Serializer fields shared by the project-scoped resources."""

from __future__ import annotations

from typing import Callable

from django.db.models import QuerySet
from rest_framework import serializers


def own_rows(queryset: QuerySet, project) -> QuerySet:
    """Rows whose `project` is the caller's project."""
    return queryset.filter(project=project)


class ProjectScopedPrimaryKeyRelatedField(serializers.PrimaryKeyRelatedField):
    """A primary-key reference that only resolves rows visible to the caller's project (`context["project"]`);
    anything else gets DRF's `Invalid pk "N" - object does not exist.`"""

    def __init__(self, scope: Callable[[QuerySet, object], QuerySet] = own_rows, **kwargs):
        self.scope = scope
        super().__init__(**kwargs)

    def get_queryset(self):
        queryset = super().get_queryset()
        project = self.context.get("project")
        if project is None:
            return queryset.none()
        return self.scope(queryset, project)


class NullOnReadPrimaryKeyRelatedField(ProjectScopedPrimaryKeyRelatedField):
    """A reference that cannot be written as null but reads as null once its row was deleted (SET_NULL)."""


from drf_spectacular.extensions import OpenApiSerializerFieldExtension  # noqa: E402


class _NullOnReadSchema(OpenApiSerializerFieldExtension):
    """OpenAPI: the response schema of a NullOnReadPrimaryKeyRelatedField is nullable, the request one is not."""

    target_class = NullOnReadPrimaryKeyRelatedField

    def map_serializer_field(self, auto_schema, direction):
        schema = auto_schema._map_serializer_field(self.target, direction, bypass_extensions=True)
        return {**schema, "nullable": True} if direction == "response" else schema
