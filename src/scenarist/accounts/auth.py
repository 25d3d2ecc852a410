"""API-key authentication (X-CEKURA-API-KEY or Authorization: Bearer) and the project permission."""

from __future__ import annotations

from dataclasses import dataclass

from rest_framework import authentication, exceptions, permissions

from .models import ApiKey, Project, hash_key

HEADER = "HTTP_X_CEKURA_API_KEY"


@dataclass(frozen=True)
class ProjectPrincipal:
    """The authenticated caller: a key of one project (stands in for request.user)."""

    project: Project
    key_id: int
    is_authenticated: bool = True
    is_anonymous: bool = False
    is_active: bool = True
    is_staff: bool = False
    is_superuser: bool = False

    @property
    def pk(self) -> int:
        """Key id, so code that logs request.user.pk keeps working."""
        return self.key_id


def raw_key_from_request(request) -> str | None:
    """The API key carried by the request, from either accepted header."""
    raw = request.META.get(HEADER)
    if raw:
        return raw.strip()
    auth = request.META.get("HTTP_AUTHORIZATION", "")
    scheme, _, value = auth.partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return value.strip()
    return None


class ApiKeyAuthentication(authentication.BaseAuthentication):
    """Resolve the caller's project from a hashed API key."""

    def authenticate(self, request):
        raw = raw_key_from_request(request)
        if raw is None:
            return None
        key = (
            ApiKey.objects.select_related("project")
            .filter(hashed_key=hash_key(raw), revoked_at__isnull=True)
            .first()
        )
        if key is None:
            raise exceptions.AuthenticationFailed("Invalid API key.")
        return ProjectPrincipal(project=key.project, key_id=key.pk), key

    def authenticate_header(self, request) -> str:
        """Makes DRF answer 401 (not 403) with a WWW-Authenticate header."""
        return 'Api-Key realm="scenarist", header="X-CEKURA-API-KEY"'


class HasProject(permissions.BasePermission):
    """Allow only requests authenticated with a project API key."""

    def has_permission(self, request, view) -> bool:
        return isinstance(getattr(request, "user", None), ProjectPrincipal)


def project_of(request) -> Project:
    """The project the request's key belongs to."""
    return request.user.project
