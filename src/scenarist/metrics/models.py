"""Project metrics: LLM-judge prompts (or custom code) evaluated after each run."""

from __future__ import annotations

from django.db import models

from scenarist.accounts.models import Project
from scenarist.agents.models import Agent
from scenarist.catalog.models import PredefinedMetric


class MetricType(models.TextChoices):
    """How a metric is evaluated."""

    LLM_JUDGE = "llm_judge"
    CUSTOM_CODE = "custom_code"


class EvalType(models.TextChoices):
    """Shape of a metric's result."""

    BINARY = "binary"
    CONTINUOUS_QUALITATIVE = "continuous_qualitative"
    NUMERIC = "numeric"
    ENUM = "enum"


class Metric(models.Model):
    """A project's metric; the judge prompt lives in `description`."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="metrics")
    name = models.CharField(max_length=255)
    description = models.TextField(blank=True, default="")
    type = models.CharField(max_length=20, choices=MetricType.choices, default=MetricType.LLM_JUDGE)
    eval_type = models.CharField(max_length=30, choices=EvalType.choices, default=EvalType.BINARY)
    enum_values = models.JSONField(default=list, blank=True)
    evaluation_trigger = models.CharField(max_length=20, default="always")
    evaluation_trigger_prompt = models.TextField(blank=True, default="")
    custom_code = models.TextField(blank=True, default="")
    agents = models.ManyToManyField(Agent, blank=True, related_name="metrics")
    predefined = models.ForeignKey(PredefinedMetric, null=True, blank=True, on_delete=models.SET_NULL)
    is_default = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name
