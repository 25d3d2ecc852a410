"""Coverage: the agent model's items × the agent's scenarios that exercise them; gaps; generate for the gaps."""

from __future__ import annotations

from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST
from rest_framework.exceptions import ValidationError

from scenarist.agents.models import Agent
from scenarist.scenarios.generation_service import start_generation
from scenarist.scenarios.models import Scenario

from .auth import workspace_view
from .forms import field_errors
from .understanding import agent_model_of

MAX_SCENARIOS_PER_JOB = 100
FAMILY_LABELS = {"intents": "Intent", "tools": "Tool", "policies": "Guardrail", "failure_modes": "Failure mode"}


def coverage_matrix(agent: Agent) -> dict:
    """Rows = the agent model's coverage items; cells = the agent's scenarios whose provenance covers the item."""
    scenarios = list(Scenario.objects.filter(agent=agent).order_by("id").only("id", "name", "provenance"))
    covers = {s.pk: set((s.provenance or {}).get("covers") or []) for s in scenarios}
    rows = []
    for item_id, family, label in agent_model_of(agent).coverage_items():
        hits = [s.pk for s in scenarios if item_id in covers[s.pk]]
        rows.append({"id": item_id, "family": FAMILY_LABELS.get(family, family), "label": label,
                     "cells": [s.pk in hits for s in scenarios], "count": len(hits), "gap": not hits})
    return {"rows": rows, "scenarios": scenarios, "gaps": [r for r in rows if r["gap"]]}


def gap_instructions(rows: list[dict]) -> str:
    """One line per gap: the listed-instructions form that generation turns into exactly one scenario each."""
    return "\n".join(f"Write a scenario that exercises {row['family'].lower()} {row['id']}: {row['label']}"
                     for row in rows)


@workspace_view
def coverage(request, agent_id: int, errors=None, status=200):
    """The matrix of one agent, gaps highlighted."""
    agent = get_object_or_404(Agent, pk=agent_id, project=request.project)
    context = {"agent": agent, "nav": "agents", "errors": errors or {}, **coverage_matrix(agent)}
    return render(request, "pages/coverage.html", context, status=status)


@workspace_view
@require_POST
def generate_for_gaps(request, agent_id: int):
    """Start a normal generate-bg job whose extra instructions list the chosen gaps (one scenario each)."""
    agent = get_object_or_404(Agent, pk=agent_id, project=request.project)
    matrix = coverage_matrix(agent)
    chosen = set(request.POST.getlist("gap"))
    gaps = [row for row in matrix["gaps"] if row["id"] in chosen] if chosen else matrix["gaps"]
    if not gaps:
        return coverage.__wrapped__(request, agent_id, errors={"gap": ["There are no gaps to generate for."]},
                                    status=400)
    gaps = gaps[:MAX_SCENARIOS_PER_JOB]
    body = {"agent_id": agent.pk, "num_scenarios": len(gaps), "extra_instructions": gap_instructions(gaps),
            "generate_expected_outcomes": True, "tags": ["coverage-gap"]}
    try:
        job = start_generation(request.project, body)
    except ValidationError as exc:
        return coverage.__wrapped__(request, agent_id, errors=field_errors(exc), status=400)
    return redirect(f"/jobs/{job.progress_id}/")
