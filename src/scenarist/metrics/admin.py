"""Admin views for project metrics."""

from django.contrib import admin

from .models import Metric


@admin.register(Metric)
class MetricAdmin(admin.ModelAdmin):
    """Project metrics."""

    list_display = ("id", "name", "project", "type", "eval_type", "is_default")
    list_filter = ("type", "eval_type", "is_default")
    search_fields = ("name",)
    filter_horizontal = ("agents",)
