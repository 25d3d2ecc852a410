"""Catalogue rows: personalities (global + project), predefined metrics, phone numbers."""

from __future__ import annotations

from django.db import models

from scenarist.accounts.models import Project


class Personality(models.Model):
    """How the simulated caller sounds and behaves; `project` null = global catalogue entry."""

    project = models.ForeignKey(Project, null=True, blank=True, on_delete=models.CASCADE, related_name="personalities")
    name = models.CharField(max_length=255)
    language = models.CharField(max_length=10, default="en")
    accent = models.CharField(max_length=100, blank=True, default="")
    interruption_level = models.CharField(max_length=20, blank=True, default="none")
    background_noise = models.CharField(max_length=100, blank=True, default="none")
    speed = models.FloatField(default=1.0)
    prompt = models.TextField(blank=True, default="")
    voice_model = models.CharField(max_length=100, blank=True, default="sonic-3")
    voice_id = models.CharField(max_length=100, blank=True, default="")
    provider = models.CharField(max_length=20, blank=True, default="cartesia")
    mood = models.CharField(max_length=50, blank=True, default="neutral")
    is_default = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["id"]
        verbose_name_plural = "personalities"

    def __str__(self) -> str:
        return self.name


class PredefinedMetric(models.Model):
    """A built-in metric definition; the ten `is_default` ones are copied into every new project."""

    slug = models.SlugField(max_length=100, unique=True)
    name = models.CharField(max_length=255)
    description = models.TextField()
    type = models.CharField(max_length=20, default="llm_judge")
    eval_type = models.CharField(max_length=30, default="binary")
    enum_values = models.JSONField(default=list, blank=True)
    category = models.CharField(max_length=50, blank=True, default="")
    evaluation_trigger = models.CharField(max_length=20, default="always")
    is_default = models.BooleanField(default=False)
    display_order = models.IntegerField(default=0)

    class Meta:
        ordering = ["display_order", "id"]

    def __str__(self) -> str:
        return self.name


class PhoneNumber(models.Model):
    """A project's phone number (E.164); scenarios refer to it by row id."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="phone_numbers")
    number = models.CharField(max_length=16)
    name = models.CharField(max_length=255, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.number
