"""One place that maps every accepted spelling of an API path onto its canonical route, without a redirect.

Clients of the reference API send paths with and without the trailing slash, under `<x>-external/` and under
`/test_framework/v2/`. Redirecting them is not an option: httpx and browsers re-send a redirected POST as a
bodyless GET, which silently turns a create into a list. So the request's `path_info` is rewritten in place to
the canonical route (same view, same result); `request.path` keeps what the client sent, so pagination links
echo the client's own spelling. A path that resolves in no spelling gets a JSON 404 here, whatever DEBUG says.
"""

from __future__ import annotations

import re

from django.http import JsonResponse
from django.urls import Resolver404, get_resolver

# Resources the reference API also publishes as `/test_framework/v1/<name>-external/`.
EXTERNAL_ALIASES = (
    "scenarios", "metrics", "personalities", "test-profiles", "phone-numbers", "predefined-metrics", "aiagents",
)  # fmt: skip
_EXTERNAL_RE = re.compile(r"^/test_framework/v1/(" + "|".join(re.escape(a) for a in EXTERNAL_ALIASES) + r")-external(/|$)")
# `/test_framework/v2/<x>/` is the v1 route unless a v2-specific route exists (agents have one).
_V2_RE = re.compile(r"^/test_framework/v2/")


def resolves(path: str) -> bool:
    """Whether a path matches a route."""
    try:
        get_resolver().resolve(path)
    except Resolver404:
        return False
    return True


def candidates(path: str) -> list[str]:
    """Spellings to try for a path, canonical ones first: as sent, v1 for v2, no `-external`, each ± slash."""
    bases = [path]
    v1 = _V2_RE.sub("/test_framework/v1/", path)
    if v1 != path:
        bases.append(v1)
    for base in list(bases):
        plain = _EXTERNAL_RE.sub(r"/test_framework/v1/\1\2", base)
        if plain != base:
            bases.append(plain)
    out: list[str] = []
    for base in bases:
        out.append(base)
        out.append(base[:-1] if base.endswith("/") and base != "/" else base + "/")
    return out


def canonical_path(path: str) -> str | None:
    """The first spelling of `path` that resolves, or None when no route matches in any spelling."""
    for candidate in candidates(path):
        if resolves(candidate):
            return candidate
    return None


class CanonicalPathMiddleware:
    """Rewrite `path_info` to the route the client meant; answer a JSON 404 when there is none."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        found = canonical_path(request.path_info)
        if found is None:
            return JsonResponse({"detail": "Not found."}, status=404)
        request.path_info = found
        return self.get_response(request)
