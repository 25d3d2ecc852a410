"""Agents: list, create, detail (prompt, tools with mock rows, variables, KB files, the agent model), tools, KB upload."""

from __future__ import annotations

import json
import logging

from django.db import IntegrityError, transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST
from rest_framework.exceptions import ValidationError

from scenarist.agents.models import Agent, KnowledgeBaseFile, MockTool
from scenarist.agents.serializers import AgentSerializer, MockToolSerializer
from scenarist.agents.uploads import check_files, incoming_files, save_files
from scenarist.generation.agent_model import RowOutcome

from .auth import workspace_view
from .forms import field_errors, present
from .understanding import agent_model_of

log = logging.getLogger(__name__)


@workspace_view
def agent_list(request):
    """The project's agents with their counts."""
    agents = Agent.objects.filter(project=request.project).order_by("id")
    rows = [{"agent": a, "tools": a.tools.count(), "scenarios": a.scenarios.count(),
             "kb": a.knowledge_base_files.count()} for a in agents]
    return render(request, "pages/agents.html", {"rows": rows, "nav": "agents"})


@workspace_view
def agent_new(request):
    """Create an agent through the API's serializer; errors next to the fields."""
    values, errors = {}, {}
    if request.method == "POST":
        values = request.POST
        data = present(values, "agent_name", "description", "language", "contact_number", "assistant_id")
        data["inbound"] = values.get("inbound") == "on"
        serializer = AgentSerializer(data=data, context={"project": request.project, "request": request})
        try:
            serializer.is_valid(raise_exception=True)
            agent = serializer.save(project=request.project)
            return redirect(f"/agents/{agent.pk}/")
        except ValidationError as exc:
            errors = field_errors(exc)
    return render(request, "pages/agent_new.html", {"values": values, "errors": errors, "nav": "agents"},
                  status=400 if errors else 200)


def _agent_of(request, agent_id: int) -> Agent:
    """The project's agent, or 404."""
    return get_object_or_404(Agent, pk=agent_id, project=request.project)


def _model_context(agent: Agent) -> dict:
    """The agent model and its mock rows grouped by outcome, for the 'what Scenarist understood' panel."""
    try:
        model = agent_model_of(agent)
    except Exception as exc:  # the rest of the agent page must stay usable even if analysis breaks on this agent
        log.exception("agent %s: building the agent model failed", agent.pk)
        return {"model": None, "model_error": f"{type(exc).__name__}: {exc}", "rows_by_outcome": {}}
    by_outcome = {outcome.value: model.rows(outcome) for outcome in RowOutcome}
    return {"model": model, "rows_by_outcome": {k: v for k, v in by_outcome.items() if v}}


def _detail_context(request, agent: Agent, **extra) -> dict:
    """Everything the agent page shows."""
    tools = [{"tool": t, "rows": [json.dumps(r, ensure_ascii=False) for r in (t.information or [])]}
             for t in MockTool.objects.filter(agent=agent).order_by("id")]
    kb = KnowledgeBaseFile.objects.filter(agent=agent).only("id", "file_name", "file_type", "file_size", "text_chars")
    context = {"agent": agent, "tools": tools, "variables": agent.dynamic_variables.order_by("name"),
               "kb_files": kb, "scenario_count": agent.scenarios.count(), "nav": "agents",
               "tool_values": {}, "tool_errors": {}, "kb_errors": {}}
    context.update(_model_context(agent))
    context.update(extra)
    return context


@workspace_view
def agent_detail(request, agent_id: int):
    """One agent: prompt, tools and mock rows, variables, KB files, and the agent model."""
    agent = _agent_of(request, agent_id)
    return render(request, "pages/agent_detail.html", _detail_context(request, agent))


def _json_field(values, name: str, errors: dict, default):
    """A JSON textarea → value, or an error message under its name."""
    raw = values.get(name, "").strip()
    if not raw:
        return default
    try:
        return json.loads(raw)
    except json.JSONDecodeError as exc:
        errors[name] = [f"Not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})."]
        return default


@workspace_view
@require_POST
def tool_new(request, agent_id: int):
    """Add a mock tool (name, description, parameters and {input, output} rows as JSON) to an agent."""
    agent = _agent_of(request, agent_id)
    values, errors = request.POST, {}
    data = present(values, "name", "description")
    parameters = _json_field(values, "parameters", errors, None)
    information = _json_field(values, "information", errors, [])
    if not errors:
        if parameters is not None:
            data["parameters"] = parameters
        data["information"] = information
        serializer = MockToolSerializer(data=data, context={"agent": agent, "project": request.project})
        try:
            serializer.is_valid(raise_exception=True)
            with transaction.atomic():
                serializer.save(agent=agent)
            return redirect(f"/agents/{agent.pk}/#tools")
        except ValidationError as exc:
            errors = field_errors(exc)
        except IntegrityError:
            errors = {"name": [f"A tool named '{data.get('name')}' already exists for this agent."]}
    context = _detail_context(request, agent, tool_values=values, tool_errors=errors)
    return render(request, "pages/agent_detail.html", context, status=400)


@workspace_view
@require_POST
def kb_upload(request, agent_id: int):
    """Upload knowledge-base files through the API's checks and extraction."""
    agent = _agent_of(request, agent_id)
    uploaded = request.FILES.getlist("files")
    try:
        if not uploaded:
            raise ValidationError({"files": ["Choose at least one file (.txt, .md, .pdf, …)."]})
        save_files(agent, check_files(incoming_files(request)))
    except ValidationError as exc:
        context = _detail_context(request, agent, kb_errors=field_errors(exc))
        return render(request, "pages/agent_detail.html", context, status=400)
    return redirect(f"/agents/{agent.pk}/#kb")
