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
        fields = ["id", "name", "created_at", "updated_at"]
        read_only_fields = ["id", "created_at", "updated_at"]
