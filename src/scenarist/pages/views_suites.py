"""Suites: scenarios grouped by folder with filters and search, a scenario page, edit/delete, bulk actions, export."""

from __future__ import annotations

import json
from itertools import groupby

from django.db import transaction
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST
from rest_framework.exceptions import ValidationError

from scenarist.agents.models import Agent
from scenarist.catalog.models import Personality
from scenarist.client.suites import SuiteFormat, dump_suite, record_from_scenario
from scenarist.scenarios.models import Scenario, ScenarioType
from scenarist.scenarios.serializers import ATTACK_TYPES, ScenarioSerializer
from scenarist.scenarios.services import ensure_folder_path, validate_folder_path

from .auth import workspace_view
from .forms import NON_FIELD, field_errors, split_list

FILTERS = ("agent", "type", "tag", "personality", "attack", "q", "folder")
EXPORT_MIME = {"yaml": "application/yaml", "json": "application/json", "csv": "text/csv"}


def _filtered(request):
    """The project's scenarios narrowed by the filter query parameters."""
    params = request.GET
    qs = Scenario.objects.filter(project=request.project).select_related("agent", "personality")
    if params.get("agent", "").isdigit():
        qs = qs.filter(agent_id=int(params["agent"]))
    if params.get("type"):
        qs = qs.filter(scenario_type=params["type"])
    if params.get("personality", "").isdigit():
        qs = qs.filter(personality_id=int(params["personality"]))
    if params.get("attack"):
        qs = qs.filter(attack_type=params["attack"])
    if params.get("folder"):
        qs = qs.filter(Q(folder_path=params["folder"]) | Q(folder_path__startswith=params["folder"] + "."))
    if params.get("q", "").strip():
        q = params["q"].strip()
        qs = qs.filter(Q(name__icontains=q) | Q(instructions__icontains=q) | Q(expected_outcome_prompt__icontains=q))
    tag = params.get("tag", "").strip()
    if tag:  # in Python: JSON containment is not portable across SQLite and PostgreSQL
        qs = qs.filter(id__in=[pk for pk, tags in qs.values_list("id", "tags") if tag in (tags or [])])
    return qs.order_by("folder_path", "id")


def _choices(project) -> dict:
    """Values offered by the filter bar."""
    all_tags = sorted({t for tags in Scenario.objects.filter(project=project).values_list("tags", flat=True)
                       for t in (tags or [])})
    used_personalities = Scenario.objects.filter(project=project).values_list("personality_id", flat=True)
    return {"agents": Agent.objects.filter(project=project).order_by("id"), "all_tags": all_tags,
            "types": [t.value for t in ScenarioType], "attack_types": ATTACK_TYPES,
            "personalities": Personality.objects.filter(pk__in=set(used_personalities)).order_by("name")}


@workspace_view
def suites(request, bulk_errors=None, status=200):
    """Scenarios grouped by folder, filterable; checkboxes feed the bulk bar."""
    rows = list(_filtered(request)[:1000])
    groups = [(folder or "", list(items)) for folder, items in groupby(rows, key=lambda s: s.folder_path or "")]
    context = {"groups": groups, "count": len(rows), "f": {k: request.GET.get(k, "") for k in FILTERS},
               "nav": "suites", "bulk_errors": bulk_errors or {}, "bulk": request.POST,
               "back": _back(request) if request.method == "POST" else request.get_full_path(),
               **_choices(request.project)}
    return render(request, "pages/suites.html", context, status=status)


def _records(scenarios) -> list[dict]:
    """Suite-file records, built from the API's representation exactly as the CLI's export does."""
    return [record_from_scenario(ScenarioSerializer(s).data) for s in scenarios]


@workspace_view
@require_POST
def bulk(request):
    """Delete, move to a folder, tag or export the selected scenarios."""
    project = request.project
    ids = [int(i) for i in request.POST.getlist("ids") if i.isdigit()]
    selected = Scenario.objects.filter(project=project, pk__in=ids).order_by("id")
    action = request.POST.get("action", "")
    errors: dict[str, list[str]] = {}
    if not ids or not selected.exists():
        errors["ids"] = ["Select at least one scenario."]
    elif action == "delete":
        selected.delete()
    elif action == "move":
        errors = _move(project, selected, request.POST.get("folder_path", "").strip())
    elif action == "tag":
        errors = _tag(project, selected, request.POST.get("tag", "").strip())
    elif action == "export":
        fmt = request.POST.get("format", "yaml")
        if fmt not in EXPORT_MIME:
            errors["format"] = ["Choose yaml, json or csv."]
        else:
            response = HttpResponse(dump_suite(_records(selected.prefetch_related("metrics")), SuiteFormat(fmt)),
                                    content_type=EXPORT_MIME[fmt])
            response["Content-Disposition"] = f'attachment; filename="suite.{fmt}"'
            return response
    else:
        errors["action"] = ["Choose delete, move, tag or export."]
    if errors:
        return suites.__wrapped__(request, bulk_errors=errors, status=400)
    return redirect(_back(request))


def _back(request) -> str:
    """The filtered suites page a bulk form came from (only ever a /suites/ listing)."""
    back = str(request.POST.get("back", ""))
    return back if back == "/suites/" or back.startswith("/suites/?") else "/suites/"


def _move(project, selected, path: str) -> dict:
    """Move scenarios to a folder (created when missing), through the API's scenario serializer."""
    try:
        validate_folder_path(path)
    except ValidationError as exc:
        return {"folder_path": [str(m) for m in exc.detail]}
    ensure_folder_path(project, path)
    return _update_each(project, selected, lambda s: {"folder_path": path}, "folder_path")


def _tag(project, selected, tag: str) -> dict:
    """Add one tag to every selected scenario."""
    if not tag:
        return {"tag": ["Type a tag."]}
    return _update_each(project, selected, lambda s: {"tags": [*(s.tags or []), tag]}, "tag")


def _update_each(project, selected, change, field: str) -> dict:
    """Partial updates through ScenarioSerializer (the API's validation) in one transaction."""
    try:
        with transaction.atomic():
            for scenario in selected:
                serializer = ScenarioSerializer(scenario, data=change(scenario), partial=True,
                                                context={"project": project})
                serializer.is_valid(raise_exception=True)
                serializer.save()
    except ValidationError as exc:
        return {field: [line for lines in field_errors(exc).values() for line in lines]}
    return {}


def _scenario_of(request, scenario_id: int) -> Scenario:
    """The project's scenario, or 404."""
    return get_object_or_404(Scenario.objects.select_related("agent", "personality", "test_profile"),
                             pk=scenario_id, project=request.project)


def _pretty(value) -> str:
    """Indented JSON for display."""
    return json.dumps(value, indent=2, ensure_ascii=False)


@workspace_view
def scenario_page(request, scenario_id: int):
    """One scenario: instructions, expected outcome, test profile, expected tool calls, provenance, metrics."""
    scenario = _scenario_of(request, scenario_id)
    return render(request, "pages/scenario.html", {
        "s": scenario, "nav": "suites", "metrics": scenario.metrics.order_by("id"),
        "profile": _pretty(scenario.test_profile.information) if scenario.test_profile else "",
        "tool_calls": [{"tool": e.get("tool_name") or e.get("tool_id"),
                        "input": json.dumps((e.get("new_entry") or {}).get("input"), ensure_ascii=False),
                        "output": json.dumps((e.get("new_entry") or {}).get("output"), ensure_ascii=False)}
                       for e in scenario.generated_mock_tool_entries or [] if isinstance(e, dict)],
        "provenance": _pretty(scenario.provenance or {}), "kb_sources": scenario.knowledge_base_sources or [],
    })


EDIT_FIELDS = ("name", "instructions", "expected_outcome_prompt", "first_message", "folder_path")


@workspace_view
def scenario_edit(request, scenario_id: int):
    """Edit a scenario through the API's serializer (a missing folder is named next to its field)."""
    scenario = _scenario_of(request, scenario_id)
    errors = {}
    if request.method == "POST":
        data = {name: request.POST.get(name, "") for name in EDIT_FIELDS}
        data["tags"] = split_list(request.POST.get("tags"))
        serializer = ScenarioSerializer(scenario, data=data, partial=True, context={"project": request.project})
        try:
            serializer.is_valid(raise_exception=True)
            serializer.save()
            return redirect(f"/scenarios/{scenario.pk}/")
        except ValidationError as exc:
            errors = field_errors(exc)
        values = request.POST
    else:
        values = {**{name: getattr(scenario, name) or "" for name in EDIT_FIELDS},
                  "tags": ", ".join(scenario.tags or [])}
    return render(request, "pages/scenario_edit.html",
                  {"s": scenario, "values": values, "errors": errors, "nav": "suites", "non_field": errors.get(NON_FIELD)},
                  status=400 if errors else 200)


@workspace_view
@require_POST
def scenario_delete(request, scenario_id: int):
    """Delete one scenario."""
    _scenario_of(request, scenario_id).delete()
    return redirect("/suites/")
