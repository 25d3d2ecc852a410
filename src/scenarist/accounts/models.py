"""Projects (tenants) and their API keys, stored as SHA-256 digests only."""

from __future__ import annotations

import hashlib
import secrets

from django.db import models

KEY_PREFIX = "sk_scn_"


def hash_key(raw_key: str) -> str:
    """Digest of an API key; keys are 256-bit random, so a fast hash is enough (no dictionary to attack)."""
    return hashlib.sha256(raw_key.encode("utf-8")).hexdigest()


class Project(models.Model):
    """A tenant: every resource row belongs to exactly one project."""

    name = models.CharField(max_length=255)
    # Set when another project's key created this one over the API; that key may list, rename and delete it.
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="children")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.name} (#{self.pk})"

    def issue_key(self, name: str = "default") -> tuple["ApiKey", str]:
        """Create a new API key for this project; the raw key is returned once and never stored."""
        raw = KEY_PREFIX + secrets.token_urlsafe(32)
        key = ApiKey.objects.create(project=self, name=name, hashed_key=hash_key(raw), prefix=raw[:12])
        return key, raw


class ApiKey(models.Model):
    """An API key of one project; only its hash and a short display prefix are kept."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="api_keys")
    name = models.CharField(max_length=255, default="default")
    hashed_key = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=16)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.project.name})"
