"""`/test_framework/v2/aiagents/`: the v2 agent API over the same rows as v1 (list, short_list, CRUD, duplicate).

Knowledge-base routes under `/v2/aiagents/{id}/` are served by the v1 views (see scenarist.common.routing).
"""

from __future__ import annotations

from django.db.models import Prefetch, Q
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from scenarist.accounts.auth import project_of
from scenarist.agents.models import Agent, KnowledgeBaseFile

from . import v2_agents


@extend_schema(request=OpenApiTypes.OBJECT, responses=OpenApiTypes.OBJECT)
@extend_schema_view(
    list=extend_schema(operation_id="test_framework_v2_aiagents_list"),
    short_list=extend_schema(responses=OpenApiTypes.ANY),
    create=extend_schema(responses={201: OpenApiTypes.OBJECT}),
    duplicate=extend_schema(responses={201: OpenApiTypes.OBJECT}),
    destroy=extend_schema(responses={204: None}),
)
class V2AgentViewSet(viewsets.GenericViewSet):
    """Agents of the caller's project in the v2 shape; another project's agent is a 404."""

    lookup_value_regex = r"\d+"
    queryset = Agent.objects.none()
    serializer_class = serializers.Serializer  # bodies are read by v2_agents; this only serves OPTIONS

    def get_queryset(self):
        qs = Agent.objects.filter(project=project_of(self.request)).prefetch_related(
            "tools", "dynamic_variables",
            Prefetch("knowledge_base_files", queryset=KnowledgeBaseFile.objects.defer("content", "extracted_text")),
        )  # fmt: skip
        params = self.request.query_params
        q = params.get("q", "").strip()
        if q:
            qs = qs.filter(Q(agent_name__icontains=q) | (Q(pk=int(q)) if q.isdigit() else Q()))
        project_id = params.get("project_id", "").strip()
        if project_id and project_id != str(project_of(self.request).pk):
            qs = qs.none()  # another project's agents do not exist for this key
        return qs.order_by("-id")

    def list(self, request):
        """Paginated v2 agents."""
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response([v2_agents.represent(a) for a in page])

    @action(detail=False, methods=["get"], url_path="short_list")
    def short_list(self, request):
        """Id and name of every agent (a bare array, for pickers)."""
        return Response([v2_agents.short(a) for a in self.get_queryset()])

    def retrieve(self, request, pk=None):
        """One agent."""
        return Response(v2_agents.represent(self.get_object()))

    def create(self, request):
        """Create an agent with its tools, variables and knowledge-base files."""
        agent = v2_agents.V2AgentWriter(request.data, project=project_of(request)).save()
        return Response(v2_agents.represent(agent), status=status.HTTP_201_CREATED)

    def update(self, request, pk=None):
        """Replace an agent (name and description required); nested lists present are full desired sets."""
        return self._write(request, partial=False)

    def partial_update(self, request, pk=None):
        """Change the fields sent; nested lists present are full desired sets."""
        return self._write(request, partial=True)

    def destroy(self, request, pk=None):
        """Delete an agent with its tools, variables, files and scenarios."""
        self.get_object().delete()
        return Response(status=status.HTTP_204_NO_CONTENT)

    @action(detail=True, methods=["post"])
    def duplicate(self, request, pk=None):
        """Copy an agent (tools, variables, files) within the caller's project; optional `name`."""
        name = request.data.get("name") if isinstance(request.data, dict) else None
        copy = v2_agents.duplicate(self.get_object(), name=str(name) if name else None)
        return Response(v2_agents.represent(copy), status=status.HTTP_201_CREATED)

    def _write(self, request, *, partial: bool):
        writer = v2_agents.V2AgentWriter(request.data, project=project_of(request), instance=self.get_object(),
                                         partial=partial)  # fmt: skip
        return Response(v2_agents.represent(writer.save()))
