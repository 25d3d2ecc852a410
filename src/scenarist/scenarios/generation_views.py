"""`generate-bg`, `generate-progress` and `generate-cancel`: the HTTP face of the scenario-generation job."""

from __future__ import annotations

import uuid

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from scenarist.accounts.auth import project_of
from scenarist.jobs.api import request_cancel
from scenarist.jobs.models import Job, JobKind

from .generation_service import start_generation
from .models import Scenario
from .serializers import GenerateScenariosRequestSerializer, ScenarioSerializer

GenerateBgResponse = inline_serializer(
    "GenerateScenariosBgResponse",
    {"progress_id": serializers.CharField(), "session_id": serializers.CharField(allow_null=True)},
)


def find_job(request, raw_progress_id, kind: JobKind) -> Job:
    """The caller's job of this kind with that progress id; a missing field is a 400, anything else unknown a 404."""
    if raw_progress_id in (None, ""):
        raise ValidationError({"progress_id": ["This field is required."]})
    try:
        progress_id = uuid.UUID(str(raw_progress_id))
    except ValueError:
        raise NotFound() from None
    job = Job.objects.filter(progress_id=progress_id, project=project_of(request), kind=kind).first()
    if job is None:
        raise NotFound()
    return job


class GenerateScenariosView(APIView):
    """Start a background scenario-generation job; answers at once with its progress id."""

    @extend_schema(
        operation_id="scenarios-generate-bg_2",
        request=GenerateScenariosRequestSerializer,
        responses={200: GenerateBgResponse},
    )
    def post(self, request):
        job = start_generation(project_of(request), request.data, request)
        return Response({"progress_id": str(job.progress_id), "session_id": None}, status=status.HTTP_200_OK)


def progress_body(job: Job, request) -> dict:
    """The generate-progress body of a job."""
    scenarios = (
        Scenario.objects.filter(job=job)
        .select_related("personality", "test_profile", "agent")
        .prefetch_related("metrics")
        .order_by("job_index")
    )
    result = job.result or {}
    errors = sorted(job.errors or [], key=lambda e: e.get("index", 0))
    return {
        "progress_id": str(job.progress_id),
        "status": job.status,
        "total_scenarios": job.total_items,
        "completed_scenarios": job.completed_items,
        "failed_scenarios": job.failed_items,
        "scenarios_list": ScenarioSerializer(scenarios, many=True, context={"request": request}).data,
        "errors": errors,
        "error": job.error or None,
        "usage": {
            "prompt_tokens": (job.usage or {}).get("prompt_tokens", 0),
            "completion_tokens": (job.usage or {}).get("completion_tokens", 0),
            "llm_calls": (job.usage or {}).get("llm_calls", 0),
            "cached_prompt_tokens": (job.usage or {}).get("cached_prompt_tokens", 0),
            "reasks": (job.usage or {}).get("reasks", 0),
            "fallbacks": (job.usage or {}).get("fallbacks", 0),
        },
        "coverage": result.get("coverage", {}),
        "diversity": result.get("diversity", {}),
    }


class GenerateProgressView(APIView):
    """Poll a generation job: status, counters, the scenarios saved so far, errors, usage, coverage, diversity."""

    @extend_schema(
        operation_id="scenarios-generate-progress",
        parameters=[OpenApiParameter("progress_id", OpenApiTypes.UUID, required=True)],
        responses={200: OpenApiTypes.OBJECT},
    )
    def get(self, request):
        job = find_job(request, request.query_params.get("progress_id"), JobKind.GENERATE_SCENARIOS)
        return Response(progress_body(job, request))


class GenerateCancelView(APIView):
    """Cancel a generation job; scenarios already saved stay."""

    @extend_schema(
        operation_id="scenarios-generate-cancel",
        request=inline_serializer("GenerateCancelRequest", {"progress_id": serializers.CharField()}),
        responses={200: OpenApiTypes.OBJECT},
    )
    def post(self, request):
        data = request.data if hasattr(request.data, "get") else {}  # a JSON array body has no fields
        job = find_job(request, data.get("progress_id"), JobKind.GENERATE_SCENARIOS)
        job = request_cancel(job)
        return Response({"progress_id": str(job.progress_id), "status": job.status})
