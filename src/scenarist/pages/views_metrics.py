"""Metrics: list, "clean a draft" as a live job, and "save as metric"."""

from __future__ import annotations

from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST
from rest_framework.exceptions import ValidationError

from scenarist.agents.models import Agent
from scenarist.jobs.api import TERMINAL_STATUSES, Job, JobKind, JobStatus
from scenarist.metrics.clean_description_service import METRIC_EVAL_TYPE_OF_CLEAN, start_clean_description
from scenarist.metrics.models import Metric
from scenarist.metrics.serializers import CLEAN_DESCRIPTION_EVAL_TYPES, MetricSerializer

from .auth import workspace_view
from .forms import field_errors, present


def _list_context(request, values=None, errors=None) -> dict:
    """The metrics page: the project's metrics and the clean-a-draft form."""
    return {"metrics": Metric.objects.filter(project=request.project).order_by("-is_default", "name"),
            "agents": Agent.objects.filter(project=request.project).order_by("id"),
            "eval_types": CLEAN_DESCRIPTION_EVAL_TYPES, "values": values or {}, "errors": errors or {},
            "nav": "metrics"}


@workspace_view
def metrics(request):
    """The project's metrics and the form to clean a draft."""
    return render(request, "pages/metrics.html", _list_context(request))


@workspace_view
@require_POST
def clean_start(request):
    """Start a clean-description job through the API's service; errors next to the fields."""
    data = present(request.POST, "agent", "eval_type")
    if "metric_description" in request.POST:  # a blank draft is named as blank, like the API does
        data["metric_description"] = request.POST["metric_description"]
    try:
        job = start_clean_description(request.project, data)
    except ValidationError as exc:
        return render(request, "pages/metrics.html", _list_context(request, request.POST, field_errors(exc)),
                      status=400)
    return redirect(f"/metrics/clean/{job.progress_id}/")


def _clean_job(request, progress_id) -> Job:
    """The project's clean-description job, or 404."""
    return get_object_or_404(Job, progress_id=progress_id, project=request.project, kind=JobKind.CLEAN_DESCRIPTION)


def _clean_context(job: Job, values=None, errors=None) -> dict:
    """Draft and result side by side, plus the save form."""
    payload, result = job.payload or {}, job.result or {}
    agent = Agent.objects.filter(pk=payload.get("agent_id"), project=job.project).first()
    return {"job": job, "terminal": job.status in TERMINAL_STATUSES, "completed": job.status == JobStatus.COMPLETED,
            "draft": payload.get("metric_description", ""), "eval_type": payload.get("eval_type", ""),
            "agent": agent, "result": result, "values": values or {}, "errors": errors or {}, "nav": "metrics"}


@workspace_view
def clean_page(request, progress_id):
    """A clean-description job: live status, then the clean description next to the draft."""
    return render(request, "pages/clean.html", _clean_context(_clean_job(request, progress_id)))


@workspace_view
def clean_progress(request, progress_id):
    """The live fragment of the clean page."""
    return render(request, "pages/clean_result.html", _clean_context(_clean_job(request, progress_id)))


@workspace_view
@require_POST
def clean_save(request, progress_id):
    """Save the cleaned description as a project metric through the API's metric serializer."""
    job = _clean_job(request, progress_id)
    result, payload = job.result or {}, job.payload or {}
    errors = {}
    if job.status != JobStatus.COMPLETED:
        errors = {"name": ["The cleaning job has not completed; nothing to save yet."]}
    else:
        data = {"name": request.POST.get("name", "").strip(), "description": result.get("clean_description", ""),
                "eval_type": METRIC_EVAL_TYPE_OF_CLEAN.get(payload.get("eval_type"), "binary")}
        if result.get("enum_values"):
            data["enum_values"] = result["enum_values"]
        if payload.get("agent_id"):
            data["agents"] = [payload["agent_id"]]
        serializer = MetricSerializer(data=data, context={"project": request.project})
        try:
            serializer.is_valid(raise_exception=True)
            serializer.save(project=request.project)
            return redirect("/metrics/#saved")
        except ValidationError as exc:
            errors = field_errors(exc)
    return render(request, "pages/clean.html", _clean_context(job, request.POST, errors), status=400)
