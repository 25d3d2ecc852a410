"""Generate form, the live job page, and the jobs list (both job families); cancel."""

from __future__ import annotations

from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST
from rest_framework.exceptions import ValidationError

from scenarist.agents.models import Agent, KnowledgeBaseFile
from scenarist.catalog.caller_tools import CALLER_TOOLS
from scenarist.catalog.models import Personality, PhoneNumber
from scenarist.jobs.api import TERMINAL_STATUSES, Job, JobKind, request_cancel
from scenarist.scenarios.generation_service import start_generation
from scenarist.scenarios.models import Scenario, TestProfile
from scenarist.scenarios.serializers import ATTACK_TYPES, GENERATION_SCENARIO_TYPES

from .auth import workspace_view
from .forms import field_errors, present, split_list

SINGLE_FIELDS = ("agent_id", "num_scenarios", "scenario_type", "attack_type", "expected_outcome", "test_profile",
                 "extra_instructions", "inbound_phone_number", "first_message", "folder_path")


def generate_body(post) -> dict:
    """The generate-bg body of the generate form (the same fields the API takes)."""
    data = present(post, *SINGLE_FIELDS)
    if "first_message" not in data and "first_message" in post:
        data["first_message"] = ""
    data["generate_expected_outcomes"] = post.get("generate_expected_outcomes") == "on"
    for name in ("personalities", "knowledge_base", "tool_ids"):
        values = [v for v in post.getlist(name) if v.strip()]
        if values:
            data[name] = values
    tags = split_list(post.get("tags"))
    if tags:
        data["tags"] = tags
    return data


def _form_context(request, values, errors) -> dict:
    """Choices of the generate form (the agent's KB files and test profiles once an agent is picked)."""
    project = request.project
    agents = Agent.objects.filter(project=project).order_by("id")
    agent_id = values.get("agent_id") or (str(agents[0].pk) if agents else "")
    agent = agents.filter(pk=agent_id).first() if str(agent_id).isdigit() else None
    personalities = Personality.objects.filter(project__isnull=True) | Personality.objects.filter(project=project)
    return {
        "values": values, "errors": errors, "nav": "generate", "agents": agents, "agent": agent,
        "agent_id": str(agent.pk) if agent else "",
        "scenario_types": [t.value for t in GENERATION_SCENARIO_TYPES], "attack_types": ATTACK_TYPES,
        "personalities": personalities.order_by("language", "name"),
        "chosen": {name: values.getlist(name) if hasattr(values, "getlist") else values.get(name, [])
                   for name in ("personalities", "knowledge_base", "tool_ids")},
        "kb_files": KnowledgeBaseFile.objects.filter(agent=agent).only("id", "file_name") if agent else [],
        "profiles": TestProfile.objects.filter(project=project, agent=agent) if agent else [],
        "phone_numbers": PhoneNumber.objects.filter(project=project),
        "caller_tools": CALLER_TOOLS,
    }


@workspace_view
def generate(request):
    """The generate-bg form; a valid submit starts the job through the API's service and opens its page."""
    errors = {}
    values = request.POST if request.method == "POST" else request.GET
    if request.method == "POST":
        try:
            job = start_generation(request.project, generate_body(request.POST))
            return redirect(f"/jobs/{job.progress_id}/")
        except ValidationError as exc:
            errors = field_errors(exc)
    template = "pages/generate_form.html" if request.htmx and request.method == "GET" else "pages/generate.html"
    return render(request, template, _form_context(request, values, errors), status=400 if errors else 200)


def _job_of(request, progress_id) -> Job:
    """The project's job, or 404."""
    return get_object_or_404(Job, progress_id=progress_id, project=request.project)


def _job_context(job: Job) -> dict:
    """What the job page and its live fragment show."""
    done = job.completed_items + job.failed_items
    total = job.total_items or 0
    result = job.result or {}
    context = {
        "job": job, "terminal": job.status in TERMINAL_STATUSES, "done": done,
        "percent": int(100 * done / total) if total else (100 if job.status in TERMINAL_STATUSES else 0),
        "usage": job.usage or {}, "errors": sorted(job.errors or [], key=lambda e: e.get("index", 0)),
        "coverage": _coverage_lines(result.get("coverage") or {}),
        "diversity": {k: v for k, v in (result.get("diversity") or {}).items() if not isinstance(v, (list, dict))},
    }
    if job.kind == JobKind.GENERATE_SCENARIOS:
        context["scenarios"] = Scenario.objects.filter(job=job).order_by("job_index").only(
            "id", "name", "scenario_type", "tags", "job_index")
        context["agent"] = Agent.objects.filter(pk=(job.payload or {}).get("agent_id"), project=job.project).first()
    return context


def _coverage_lines(coverage: dict) -> list[tuple[str, str]]:
    """`(family, "covered / total")` of a job's coverage report."""
    lines = []
    for family, report in coverage.items():
        if isinstance(report, dict) and "total" in report:
            lines.append((family.replace("_", " "), f"{report.get('covered', 0)} / {report['total']}"))
    return lines


@workspace_view
def job_page(request, progress_id):
    """A job with its live progress (the fragment polls itself until the job ends)."""
    job = _job_of(request, progress_id)
    if job.kind == JobKind.CLEAN_DESCRIPTION:
        return redirect(f"/metrics/clean/{job.progress_id}/")
    return render(request, "pages/job.html", {**_job_context(job), "nav": "jobs"})


@workspace_view
def job_progress(request, progress_id):
    """The live fragment of a job page."""
    return render(request, "pages/job_progress.html", _job_context(_job_of(request, progress_id)))


@workspace_view
@require_POST
def job_cancel(request, progress_id):
    """Cancel a job (saved items stay)."""
    request_cancel(_job_of(request, progress_id))
    return redirect(request.POST.get("back") if request.POST.get("back") == "/jobs/" else f"/jobs/{progress_id}/")


@workspace_view
def jobs(request):
    """Recent jobs of both families: state, counts, usage, duration."""
    rows = []
    for job in Job.objects.filter(project=request.project).exclude(kind=JobKind.TEST_ITEMS).order_by("-id")[:100]:
        end = job.finished_at
        duration = (end - job.started_at).total_seconds() if end and job.started_at else None
        rows.append({"job": job, "duration": duration, "terminal": job.status in TERMINAL_STATUSES,
                     "tokens": (job.usage or {}).get("prompt_tokens", 0) + (job.usage or {}).get("completion_tokens", 0)})
    return render(request, "pages/jobs.html", {"rows": rows, "nav": "jobs"})
