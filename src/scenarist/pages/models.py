"""One-time sign-in links: a link printed by `make run` signs a browser in with one API key, once."""

from __future__ import annotations

from django.db import models

from scenarist.accounts.models import ApiKey


class SignInLink(models.Model):
    """A one-time sign-in token (only its SHA-256 is stored) bound to an API key, valid until used or expired."""

    key = models.ForeignKey(ApiKey, on_delete=models.CASCADE, related_name="signin_links")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"sign-in link for key {self.key_id}"
