"""Agents and what they carry: mock tools, dynamic variables, knowledge-base files."""

from __future__ import annotations

import re

from django.db import models, transaction

from scenarist.accounts.models import Project

PLACEHOLDER_RE = re.compile(r"\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}")
VARIABLE_NAME_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


class Agent(models.Model):
    """An agent under test; `description` (its system prompt) is the generation input."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="agents")
    agent_name = models.CharField(max_length=255)
    description = models.TextField()
    assistant_id = models.CharField(max_length=255, blank=True, default="", db_index=True)
    language = models.CharField(max_length=10, default="en")
    inbound = models.BooleanField(default=True)
    contact_number = models.CharField(max_length=30, blank=True, default="")
    agent_gives_first_message = models.BooleanField(null=True, blank=True, default=None)
    # v2 provider/telephony/webhook settings: stored and returned, never used (Scenarist does not dial out).
    connection = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"{self.agent_name} (#{self.pk})"

    def placeholder_names(self) -> list[str]:
        """`{{var}}` names used in the description, in first-seen order."""
        return list(dict.fromkeys(PLACEHOLDER_RE.findall(self.description or "")))

    def save(self, *args, **kwargs):
        """Save, then keep auto-detected dynamic variables in step with the description's placeholders."""
        with transaction.atomic():
            super().save(*args, **kwargs)
            self.sync_detected_variables()

    def sync_detected_variables(self) -> None:
        """Add a variable per new `{{name}}`; drop auto-detected ones whose placeholder is gone.

        Existing rows are never modified, and rows a user created or edited (auto_detected=False) are
        never deleted.
        """
        names = self.placeholder_names()
        existing = set(self.dynamic_variables.values_list("name", flat=True))
        missing = [n for n in names if n not in existing]
        if missing:
            DynamicVariable.objects.bulk_create(
                [DynamicVariable(agent=self, name=n, auto_detected=True) for n in missing],
                ignore_conflicts=True,  # a concurrent save may have added the same name
            )
        self.dynamic_variables.filter(auto_detected=True).exclude(name__in=names).delete()


class MockTool(models.Model):
    """A mock of one of the agent's function calls, with `{input, output}` rows."""

    agent = models.ForeignKey(Agent, on_delete=models.CASCADE, related_name="tools")
    name = models.CharField(max_length=64)
    description = models.TextField(blank=True, default="")
    parameters = models.JSONField(null=True, blank=True, default=None)
    information = models.JSONField(default=list, blank=True)
    freetext_params = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["agent", "name"], name="uniq_tool_name_per_agent")]

    def __str__(self) -> str:
        return self.name


class DynamicVariable(models.Model):
    """A variable the agent receives at call time (`{{name}}` in its prompt)."""

    agent = models.ForeignKey(Agent, on_delete=models.CASCADE, related_name="dynamic_variables")
    name = models.CharField(max_length=100)
    description = models.TextField(blank=True, default="")
    auto_detected = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["agent", "name"], name="uniq_variable_name_per_agent")]

    def __str__(self) -> str:
        return self.name


class KnowledgeBaseFile(models.Model):
    """An uploaded knowledge-base file; its text is extracted once, at upload."""

    agent = models.ForeignKey(Agent, on_delete=models.CASCADE, related_name="knowledge_base_files")
    file_name = models.CharField(max_length=255)
    file_type = models.CharField(max_length=100)
    file_size = models.BigIntegerField()
    sha256 = models.CharField(max_length=64)
    content = models.BinaryField(editable=False)
    extracted_text = models.TextField(blank=True, default="")
    text_chars = models.IntegerField(default=0)  # len(extracted_text), so lists need not load the text
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.file_name
