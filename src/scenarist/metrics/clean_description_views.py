"""Clean-description endpoints: start a job, poll it, or clean synchronously within a time bound."""

from __future__ import annotations

import asyncio
import threading
import uuid

from django.conf import settings
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from scenarist.accounts.auth import project_of
from scenarist.generation.metric_cleaning import clean_metric_description
from scenarist.generation.types import CleanEvalType
from scenarist.jobs.api import Job, JobKind, JobStatus
from scenarist.llm.client import OpenAICompatibleLLM, build_llm
from scenarist.llm.config import LLMConfig
from scenarist.llm.port import LLMError

from .clean_description_job import agent_spec_of, failure_reason
from .clean_description_service import start_clean_description, validated_clean_request
from .serializers import CleanMetricDescriptionRequestSerializer

TAGS = ["test_framework"]


class GenerateCleanDescriptionBgResponseSerializer(serializers.Serializer):
    """`{"progress_id": "<uuid>"}` of a started job."""

    progress_id = serializers.CharField()


class GenerateCleanDescriptionProgressResponseSerializer(serializers.Serializer):
    """A clean-description job as the client polls it."""

    progress_id = serializers.CharField()
    status = serializers.ChoiceField(choices=JobStatus.choices)
    clean_description = serializers.CharField(allow_null=True)
    thinking = serializers.CharField(allow_null=True)
    enum_values = serializers.ListField(child=serializers.CharField(), allow_null=True)
    error = serializers.CharField(allow_null=True)


class GenerateCleanDescriptionResponseSerializer(serializers.Serializer):
    """The synchronous endpoint's answer."""

    clean_description = serializers.CharField()
    thinking = serializers.CharField()
    enum_values = serializers.ListField(child=serializers.CharField(), allow_null=True)


class DetailSerializer(serializers.Serializer):
    """DRF's `{"detail": "..."}` error body."""

    detail = serializers.CharField()


def _validated_request(request) -> dict:
    """The body, validated (agent must be the caller's) → validated_data, or a 400 naming the field."""
    return validated_clean_request(project_of(request), request.data, request)


class CleanDescriptionBgView(APIView):
    """POST …/metrics/generate_clean_description_bg/ → a job id at once; the worker does the cleaning."""

    @extend_schema(
        operation_id="metrics-generate-clean-description-bg-create",
        summary="Start async clean description generation",
        description="Enqueue a background job to generate a clean metric description. Returns a `progress_id`; "
        "poll `generate_clean_description_progress` until `status` is `completed` or `failed`.",
        tags=TAGS,
        request=CleanMetricDescriptionRequestSerializer,
        responses={200: GenerateCleanDescriptionBgResponseSerializer},
    )
    def post(self, request):
        """Validate, create the job, answer with its progress id."""
        job = start_clean_description(project_of(request), request.data, request)
        return Response({"progress_id": str(job.progress_id)}, status=status.HTTP_200_OK)


class CleanDescriptionProgressView(APIView):
    """GET …/metrics/generate_clean_description_progress/?progress_id= → the job's status and result."""

    @extend_schema(
        operation_id="metrics-generate-clean-description-progress-retrieve",
        summary="Poll a clean description job",
        tags=TAGS,
        parameters=[
            OpenApiParameter("progress_id", str, OpenApiParameter.QUERY, required=True,
                             description="returned from generate_clean_description_bg"),
        ],
        responses={200: GenerateCleanDescriptionProgressResponseSerializer, 404: DetailSerializer},
    )
    def get(self, request):
        """Status of one of the caller's clean-description jobs; the result once completed."""
        raw = (request.query_params.get("progress_id") or "").strip()
        if not raw:
            raise ValidationError({"progress_id": ["This field is required."]})
        try:
            progress_id = uuid.UUID(raw)
        except ValueError:
            raise NotFound() from None
        job = Job.objects.filter(
            progress_id=progress_id, project=project_of(request), kind=JobKind.CLEAN_DESCRIPTION
        ).first()
        if job is None:
            raise NotFound()
        return Response(progress_body(job))


def progress_body(job: Job) -> dict:
    """The poll body: result fields only once completed, enum_values only for enum, error only when failed."""
    completed = job.status == JobStatus.COMPLETED
    result = job.result or {}
    is_enum = (job.payload or {}).get("eval_type") == CleanEvalType.ENUM.value
    return {
        "progress_id": str(job.progress_id),
        "status": job.status,
        "clean_description": result.get("clean_description") if completed else None,
        "thinking": result.get("thinking") if completed else None,
        "enum_values": result.get("enum_values") if completed and is_enum else None,
        "error": (job.error or "The job failed.") if job.status == JobStatus.FAILED else None,
    }


class CleanDescriptionSyncView(APIView):
    """POST …/metrics/generate_clean_description/ → the clean description in the response (time-bounded)."""

    @extend_schema(
        operation_id="metrics-generate-clean-description-create",
        summary="Generate a clean metric description (synchronous)",
        tags=TAGS,
        request=CleanMetricDescriptionRequestSerializer,
        responses={200: GenerateCleanDescriptionResponseSerializer, 502: DetailSerializer, 504: DetailSerializer},
    )
    def post(self, request):
        """Clean the description in this request (offline: instant; LLM: bounded by the sync timeout)."""
        data = _validated_request(request)
        agent = agent_spec_of(project_of(request).pk, data["agent"].pk)
        timeout = settings.SYNC_CLEAN_DESCRIPTION_TIMEOUT_S
        llm = _shared_llm()

        async def clean():
            try:
                return await asyncio.wait_for(
                    clean_metric_description(
                        data["metric_description"], CleanEvalType(data["eval_type"]), agent, llm=llm
                    ),
                    timeout=timeout,
                )
            finally:
                if llm is not None:
                    await llm.aclose()  # the SDK client is bound to this request's event loop

        try:
            result, _usage = asyncio.run(clean())
        except (asyncio.TimeoutError, TimeoutError):
            return Response(
                {"detail": f"Cleaning the description timed out after {timeout:g} seconds; use the "
                 "generate_clean_description_bg endpoint for long runs."},
                status=status.HTTP_504_GATEWAY_TIMEOUT,
            )
        except LLMError as exc:
            return Response({"detail": failure_reason(exc)}, status=status.HTTP_502_BAD_GATEWAY)
        return Response(
            {"clean_description": result.clean_description, "thinking": result.thinking,
             "enum_values": result.enum_values}
        )


_llm_lock = threading.Lock()
_llm_by_config: dict[LLMConfig, OpenAICompatibleLLM | None] = {}


def _shared_llm() -> OpenAICompatibleLLM | None:
    """One client per provider configuration in this process (keeps the process-wide concurrency cap)."""
    config = LLMConfig.from_env()
    with _llm_lock:
        if config not in _llm_by_config:
            _llm_by_config[config] = build_llm(config)
        return _llm_by_config[config]
