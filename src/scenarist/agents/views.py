"""`/aiagents/`: agent CRUD, scoped to the caller's project, with `q` and `assistant_id` filters."""

from __future__ import annotations

from django.db.models import Prefetch, Q
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view

from scenarist.accounts.auth import project_of
from scenarist.common.views import ProjectScopedModelViewSet

from .models import Agent, DynamicVariable, KnowledgeBaseFile
from .serializers import AgentSerializer


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter("q", OpenApiTypes.STR, description="Name search; a number also matches the id."),
            OpenApiParameter("assistant_id", OpenApiTypes.STR, description="Exact provider assistant id."),
        ]
    )
)
class AgentViewSet(ProjectScopedModelViewSet):
    """Agents of the caller's project; another project's agent is a 404."""

    serializer_class = AgentSerializer
    queryset = Agent.objects.prefetch_related(
        Prefetch("knowledge_base_files", queryset=KnowledgeBaseFile.objects.only("id", "agent_id")),
        Prefetch("dynamic_variables", queryset=DynamicVariable.objects.only("id", "agent_id", "name")),
    )

    def get_queryset(self):
        qs = super().get_queryset()
        params = self.request.query_params
        q = params.get("q", "").strip()
        if q:
            match = Q(agent_name__icontains=q)
            if q.isdigit():
                match |= Q(pk=int(q))
            qs = qs.filter(match)
        if params.get("assistant_id"):
            qs = qs.filter(assistant_id=params["assistant_id"])
        return qs


class AgentChildMixin:
    """For routes under `/aiagents/{agent_id}/`: the caller's agent, or 404."""

    def get_agent(self) -> Agent:
        """The agent named in the URL, if it belongs to the caller's project."""
        if not hasattr(self, "_agent"):
            self._agent = get_object_or_404(Agent, pk=self.kwargs["agent_id"], project=project_of(self.request))
        return self._agent

    def get_serializer_context(self):
        ctx = super().get_serializer_context()
        if getattr(self, "swagger_fake_view", False):
            return ctx
        ctx["agent"] = self.get_agent()
        return ctx
