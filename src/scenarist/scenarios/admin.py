"""Admin views for scenarios, folders and test profiles."""

from django.contrib import admin

from .models import Folder, Scenario, TestProfile


@admin.register(Scenario)
class ScenarioAdmin(admin.ModelAdmin):
    """Scenarios."""

    list_display = ("id", "name", "agent", "scenario_type", "folder_path", "project", "created_at")
    list_filter = ("scenario_type",)
    search_fields = ("name", "instructions")
    raw_id_fields = ("agent", "personality", "test_profile", "inbound_phone_number", "job")
    filter_horizontal = ("metrics",)


@admin.register(Folder)
class FolderAdmin(admin.ModelAdmin):
    """Scenario folders."""

    list_display = ("id", "path", "name", "project")
    search_fields = ("path",)


@admin.register(TestProfile)
class TestProfileAdmin(admin.ModelAdmin):
    """Test profiles."""

    list_display = ("id", "name", "agent", "project", "updated_at")
    search_fields = ("name",)
    raw_id_fields = ("agent",)
