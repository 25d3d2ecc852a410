"""Workspace sign-in: an API key kept in the session (by key id), or a one-time link; every page is project-scoped."""

from __future__ import annotations

import secrets
from datetime import timedelta
from functools import wraps

from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.http import urlencode

from scenarist.accounts.models import ApiKey, Project, hash_key

from .models import SignInLink

SESSION_KEY = "scenarist_key_id"
LINK_LIFETIME = timedelta(hours=24)


def key_for_raw(raw: str) -> ApiKey | None:
    """The live (not revoked) API key with this raw value, or None."""
    raw = (raw or "").strip()
    if not raw:
        return None
    return ApiKey.objects.select_related("project").filter(hashed_key=hash_key(raw), revoked_at__isnull=True).first()


def sign_in(request, key: ApiKey) -> None:
    """Bind the session to one key (a fresh session id, so a fixated id is worthless)."""
    request.session.cycle_key()
    request.session[SESSION_KEY] = key.pk


def sign_out(request) -> None:
    """Forget the session entirely."""
    request.session.flush()


def session_project(request) -> Project | None:
    """The project of the session's key, or None when signed out or the key was revoked since."""
    key_id = request.session.get(SESSION_KEY)
    if not key_id:
        return None
    key = ApiKey.objects.select_related("project").filter(pk=key_id, revoked_at__isnull=True).first()
    return key.project if key else None


def issue_signin_link(key: ApiKey) -> str:
    """A new one-time token for `key` (the raw token is returned once; only its hash is stored)."""
    token = secrets.token_urlsafe(32)
    SignInLink.objects.create(key=key, token_hash=hash_key(token), expires_at=timezone.now() + LINK_LIFETIME)
    return token


def redeem_signin_link(token: str) -> ApiKey | None:
    """The key of an unused, unexpired link, marking it used (atomically, so two clicks cannot both win)."""
    now = timezone.now()
    with transaction.atomic():
        link = (SignInLink.objects.select_for_update().select_related("key__project")
                .filter(token_hash=hash_key(token or ""), used_at__isnull=True, expires_at__gt=now).first())
        if link is None or link.key.revoked_at is not None:
            return None
        link.used_at = now
        link.save(update_fields=["used_at"])
    return link.key


def safe_next(request, default: str = "/") -> str:
    """The `next` target when it is a local path, else the default."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}) and target.startswith("/"):
        return target
    return default


def workspace_view(view):
    """Require a signed-in session; sets request.project; another project's ids (Http404) render the 404 page."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        project = session_project(request)
        if project is None:
            return redirect("/signin/?" + urlencode({"next": request.get_full_path()}))
        request.project = project
        try:
            return view(request, *args, **kwargs)
        except Http404:
            return render(request, "pages/not_found.html", status=404)

    return wrapper
