"""Serializers for projects and API keys."""

from rest_framework import serializers

from .models import ApiKey, Project


class ApiKeySerializer(serializers.ModelSerializer):
    """A key's public face: name, prefix, dates; never the key or its hash."""

    class Meta:
        model = ApiKey
        fields = ["id", "name", "prefix", "created_at", "revoked_at"]
        read_only_fields = fields


class ProjectSerializer(serializers.ModelSerializer):
    """The caller's project."""

    class Meta:
        model = Project
        fields = ["id", "name", "parent", "created_at", "updated_at"]
        read_only_fields = ["id", "parent", "created_at", "updated_at"]


class NewProjectSerializer(ProjectSerializer):
    """A just-created project with its first API key (shown this once)."""

    api_key = serializers.SerializerMethodField()

    class Meta(ProjectSerializer.Meta):
        fields = ProjectSerializer.Meta.fields + ["api_key"]

    def get_api_key(self, obj) -> str:
        """The raw key; only its hash is stored."""
        return self.context["api_key"]
