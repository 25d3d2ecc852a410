"""Starting a scenario-generation job: the one code path shared by the API (`generate-bg`) and the workspace."""

from __future__ import annotations

from typing import Any

from scenarist.accounts.models import Project
from scenarist.jobs.api import enqueue_job
from scenarist.jobs.models import Job, JobKind

from .generation_inputs import payload_from_validated
from .serializers import GenerateScenariosRequestSerializer


def start_generation(project: Project, data: Any, request=None) -> Job:
    """Validate a generate-bg body for `project` (DRF ValidationError naming the field) and enqueue its job."""
    serializer = GenerateScenariosRequestSerializer(data=data, context={"request": request, "project": project})
    serializer.is_valid(raise_exception=True)
    payload = payload_from_validated(serializer.validated_data)
    return enqueue_job(project=project, kind=JobKind.GENERATE_SCENARIOS, payload=payload,
                       total_items=payload["num_scenarios"])
