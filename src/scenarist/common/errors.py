"""One exception handler: DRF shapes for known errors, a bodyless-trace 500 as the last resort."""

from __future__ import annotations

import logging

from django.core.exceptions import RequestDataTooBig, SuspiciousOperation, ValidationError
from django.db import DataError
from django.http import Http404, JsonResponse
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

log = logging.getLogger(__name__)


def exception_handler(exc, context):
    """Translate an exception into DRF's wire shapes; never leak a stack trace."""
    if isinstance(exc, RequestDataTooBig):
        exc = exceptions.ValidationError({"non_field_errors": ["Request body is too large."]})
    elif isinstance(exc, ValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        exc = exceptions.ValidationError(detail)
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()  # DRF's wording, not Django's "No Agent matches the given query."
    elif isinstance(exc, RecursionError):
        exc = exceptions.ParseError("Malformed request: the body is nested too deeply.")
    elif isinstance(exc, SuspiciousOperation):
        exc = exceptions.ParseError(str(exc) or "Malformed request.")
    elif isinstance(exc, DataError) and _is_nul_error(exc):
        # A NUL that reached PostgreSQL (query parameters, JSON-in-form fields); bodies are refused earlier,
        # field by field, by scenarist.common.parsers.
        exc = exceptions.ValidationError({"non_field_errors": ["Null characters are not allowed."]})
    response = drf_exception_handler(exc, context)
    if response is not None:
        return response
    log.exception("unhandled error in %s", context.get("view"))
    return Response({"detail": "Internal server error."}, status=status.HTTP_500_INTERNAL_SERVER_ERROR)


def _is_nul_error(exc: DataError) -> bool:
    """PostgreSQL refusing a NUL character in text ("cannot contain NUL") or in jsonb ("\\u0000" escape)."""
    text = str(exc)
    return "NUL (0x00)" in text or "unsupported Unicode escape sequence" in text


def json_not_found(request, exception=None):
    """Django-level 404 (no route matched) in DRF's shape instead of an HTML page."""
    return JsonResponse({"detail": "Not found."}, status=404)


def json_server_error(request):
    """Django-level 500 in DRF's shape, never a stack trace."""
    return JsonResponse({"detail": "Internal server error."}, status=500)


def json_bad_request(request, exception=None):
    """Django-level 400 (e.g. a malformed multipart body) in DRF's shape."""
    return JsonResponse({"detail": "Malformed request."}, status=400)
