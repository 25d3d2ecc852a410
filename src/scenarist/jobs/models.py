"""The Job row (source of truth for every background job) and generic per-job items."""

from __future__ import annotations

import uuid

from django.db import models

from scenarist.accounts.models import Project


class JobStatus(models.TextChoices):
    """Lifecycle: queued → processing → completed | failed | cancelled."""

    QUEUED = "queued"
    PROCESSING = "processing"
    COMPLETED = "completed"
    FAILED = "failed"
    CANCELLED = "cancelled"


TERMINAL_STATUSES = (JobStatus.COMPLETED, JobStatus.FAILED, JobStatus.CANCELLED)


class JobKind(models.TextChoices):
    """Which handler runs a job."""

    CLEAN_DESCRIPTION = "clean_description"
    GENERATE_SCENARIOS = "generate_scenarios"
    TEST_ITEMS = "test_items"  # test-only job type (saves N items with a delay)


class Job(models.Model):
    """A background job; workers write to it only while holding its current lease token."""

    progress_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="jobs")
    kind = models.CharField(max_length=40, choices=JobKind.choices)
    status = models.CharField(max_length=20, choices=JobStatus.choices, default=JobStatus.QUEUED, db_index=True)
    payload = models.JSONField(default=dict, blank=True)
    result = models.JSONField(default=dict, blank=True)
    attempt = models.IntegerField(default=0)
    max_attempts = models.IntegerField(default=3)
    lease_token = models.UUIDField(null=True, blank=True)
    worker = models.CharField(max_length=200, blank=True, default="")  # identity of the lease holder's process
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    cancel_requested = models.BooleanField(default=False)
    total_items = models.IntegerField(default=0)
    completed_items = models.IntegerField(default=0)
    failed_items = models.IntegerField(default=0)
    errors = models.JSONField(default=list, blank=True)
    usage = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True, default="")
    queue_task_id = models.CharField(max_length=64, blank=True, default="")
    enqueued_at = models.DateTimeField(null=True, blank=True)  # last time a "run job N" message was sent
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    heartbeat_count = models.IntegerField(default=0)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-id"]
        indexes = [models.Index(fields=["status", "heartbeat_at"])]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk} ({self.status})"


class JobItem(models.Model):
    """One saved unit of a job's output, unique on (job, index) so a resumed job never saves twice."""

    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="items")
    index = models.IntegerField()
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["job", "index"]
        constraints = [models.UniqueConstraint(fields=["job", "index"], name="uniq_job_item_index")]


class Lease(models.Model):
    """A named lease across processes: one holder at a time until `expires_at` (the reaper, one agent analysis)."""

    name = models.CharField(max_length=200, unique=True)
    holder = models.CharField(max_length=200, blank=True, default="")
    expires_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.name} held by {self.holder or '-'} until {self.expires_at:%H:%M:%S}"
