"""Starting a clean-description job: the one code path shared by the API and the workspace."""

from __future__ import annotations

from typing import Any

from scenarist.accounts.models import Project
from scenarist.jobs.api import Job, JobKind, enqueue_job

from .clean_description_job import job_payload
from .serializers import CleanMetricDescriptionRequestSerializer


def validated_clean_request(project: Project, data: Any, request=None) -> dict:
    """The body, validated (the agent must be the project's) → validated_data, or a 400 naming the field."""
    serializer = CleanMetricDescriptionRequestSerializer(data=data, context={"request": request, "project": project})
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def start_clean_description(project: Project, data: Any, request=None) -> Job:
    """Validate a clean-description body and enqueue its job."""
    valid = validated_clean_request(project, data, request)
    return enqueue_job(project=project, kind=JobKind.CLEAN_DESCRIPTION,
                       payload=job_payload(valid["agent"], valid["metric_description"], valid["eval_type"]))


# The metric eval_type a cleaned draft is saved with ("save as metric"): one place for this mapping.
METRIC_EVAL_TYPE_OF_CLEAN = {"boolean": "binary", "numeric": "numeric", "rating": "continuous_qualitative",
                             "enum": "enum"}
