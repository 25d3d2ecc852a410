"""Test-only HTTP routes to submit and poll TEST_ITEMS jobs (mounted only with SCENARIST_ENABLE_TEST_JOBS=1)."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.urls import path
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from scenarist.accounts.auth import project_of

from .api import enqueue_job
from .models import Job, JobKind


class TestJobSerializer(serializers.Serializer):
    """Payload of a TEST_ITEMS job."""

    n = serializers.IntegerField(min_value=0, max_value=10_000)
    delay_s = serializers.FloatField(min_value=0, max_value=60, default=0)
    concurrency = serializers.IntegerField(min_value=1, max_value=100, default=1)
    fail_at = serializers.ListField(child=serializers.IntegerField(min_value=0), default=list)


class TestJobsView(APIView):
    """POST: enqueue a TEST_ITEMS job; GET ?progress_id=: its state."""

    def post(self, request):
        """Validate and enqueue."""
        data = TestJobSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        job = enqueue_job(project=project_of(request), kind=JobKind.TEST_ITEMS, payload=dict(data.validated_data),
                          total_items=data.validated_data["n"])
        return Response({"progress_id": str(job.progress_id)})

    def get(self, request):
        """The job's lifecycle fields."""
        progress_id = request.query_params.get("progress_id", "")
        try:
            serializers.UUIDField().to_internal_value(progress_id)
        except serializers.ValidationError:
            return Response({"progress_id": ["Must be a valid UUID."]}, status=400)
        job = get_object_or_404(Job, progress_id=progress_id, project=project_of(request))
        return Response({
            "progress_id": str(job.progress_id), "status": job.status, "attempt": job.attempt,
            "total_items": job.total_items, "completed_items": job.completed_items,
            "failed_items": job.failed_items, "errors": job.errors, "error": job.error, "usage": job.usage,
        })


urlpatterns = [path("_test/jobs/", TestJobsView.as_view(), name="test-jobs")]
