"""Admin views for the catalogue."""

from django.contrib import admin

from .models import Personality, PhoneNumber, PredefinedMetric


@admin.register(Personality)
class PersonalityAdmin(admin.ModelAdmin):
    """Personalities (global rows have no project)."""

    list_display = ("id", "name", "language", "mood", "is_default", "project")
    list_filter = ("language", "mood", "is_default")
    search_fields = ("name",)


@admin.register(PredefinedMetric)
class PredefinedMetricAdmin(admin.ModelAdmin):
    """The predefined metric catalogue."""

    list_display = ("id", "name", "slug", "eval_type", "category", "is_default", "display_order")
    list_filter = ("is_default", "category", "eval_type")
    search_fields = ("name", "slug")


@admin.register(PhoneNumber)
class PhoneNumberAdmin(admin.ModelAdmin):
    """Projects' phone numbers."""

    list_display = ("id", "number", "name", "project")
    search_fields = ("number", "name")
