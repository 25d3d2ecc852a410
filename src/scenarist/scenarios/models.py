"""Scenarios (test cases for the simulated caller), their folders and test profiles."""

from __future__ import annotations

from django.db import models

from scenarist.accounts.models import Project
from scenarist.agents.models import Agent
from scenarist.catalog.models import Personality, PhoneNumber
from scenarist.jobs.models import Job
from scenarist.metrics.models import Metric


class ScenarioType(models.TextChoices):
    """What kind of scenario a row is (generation types plus Cekura's manual types)."""

    WORKFLOW = "workflow"
    RED_TEAMING_VOICE = "red_teaming_voice"
    RED_TEAMING_TEXT = "red_teaming_text"
    KNOWLEDGE_BASE = "knowledge_base"
    INSTRUCTION = "instruction"
    CONDITIONAL_ACTIONS = "conditional_actions"


class Folder(models.Model):
    """A scenario folder; `path` is dotted (`parent.child`), unique per project."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="folders")
    name = models.CharField(max_length=100)
    path = models.CharField(max_length=1000)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["path"]
        constraints = [models.UniqueConstraint(fields=["project", "path"], name="uniq_folder_path_per_project")]

    def __str__(self) -> str:
        return self.path


class TestProfile(models.Model):
    """Caller identity and agent variables: `{main_agent_variables, testing_agent_variables}`."""

    __test__ = False  # not a pytest test class

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="test_profiles")
    agent = models.ForeignKey(Agent, null=True, blank=True, on_delete=models.CASCADE, related_name="test_profiles")
    name = models.CharField(max_length=255)
    information = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class Scenario(models.Model):
    """A test case for the simulated caller; generated ones carry (job, job_index) for idempotent saves."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="scenarios")
    agent = models.ForeignKey(Agent, on_delete=models.CASCADE, related_name="scenarios")
    name = models.CharField(max_length=80)
    personality = models.ForeignKey(Personality, null=True, blank=True, on_delete=models.SET_NULL)
    instructions = models.TextField(blank=True, default="")
    expected_outcome_prompt = models.TextField(blank=True, default="")
    first_message = models.TextField(blank=True, default="Hello")
    scenario_language = models.CharField(max_length=10, blank=True, default="")
    scenario_type = models.CharField(max_length=30, choices=ScenarioType.choices, default=ScenarioType.WORKFLOW)
    tags = models.JSONField(default=list, blank=True)
    tool_ids = models.JSONField(default=list, blank=True)
    metrics = models.ManyToManyField(Metric, blank=True, related_name="scenarios")
    test_profile = models.ForeignKey(TestProfile, null=True, blank=True, on_delete=models.SET_NULL, related_name="scenarios")
    inbound_phone_number = models.ForeignKey(PhoneNumber, null=True, blank=True, on_delete=models.SET_NULL)
    folder_path = models.CharField(max_length=1000, null=True, blank=True, default=None)
    generated_mock_tool_entries = models.JSONField(default=list, blank=True)
    attack_type = models.CharField(max_length=40, null=True, blank=True, default=None)
    knowledge_base_sources = models.JSONField(default=list, blank=True)
    provenance = models.JSONField(default=dict, blank=True)
    job = models.ForeignKey(Job, null=True, blank=True, on_delete=models.SET_NULL, related_name="scenarios")
    job_index = models.IntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["job", "job_index"], name="uniq_scenario_per_job_index")]

    def __str__(self) -> str:
        return self.name


class AnalysisCacheEntry(models.Model):
    """An agent model (JSON in `analysis`), cached by agent version hash and engine, so an unchanged agent is understood once."""

    version_hash = models.CharField(max_length=64)
    engine = models.CharField(max_length=40)
    analysis = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["version_hash", "engine"], name="uniq_analysis_per_version")]
