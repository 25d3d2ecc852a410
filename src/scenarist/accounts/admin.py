"""Admin views for projects and keys (keys are shown by prefix only)."""

from django.contrib import admin

from .models import ApiKey, Project


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    """Projects."""

    list_display = ("id", "name", "created_at")
    search_fields = ("name",)


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
    """API keys: hash and prefix only."""

    list_display = ("id", "prefix", "name", "project", "created_at", "revoked_at")
    readonly_fields = ("hashed_key", "prefix")
