"""`/aiagents/{id}/tools/` and `/aiagents/{id}/tool/{name}/`: the agent's mock tools."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from .models import MockTool
from .serializers import MockToolSerializer
from .views import AgentChildMixin


class _ToolWrites:
    """Saves a tool; a name taken by a concurrent writer becomes the same 400 as a sequential clash."""

    def _save(self, serializer, **extra):
        try:
            with transaction.atomic():
                serializer.save(**extra)
        except IntegrityError:
            name = serializer.validated_data.get("name", "")
            raise ValidationError({"name": [f"A tool named '{name}' already exists for this agent."]}) from None


class ToolListView(AgentChildMixin, _ToolWrites, generics.ListCreateAPIView):
    """List (paginated) or create the mock tools of one agent."""

    serializer_class = MockToolSerializer

    def get_queryset(self):
        return MockTool.objects.filter(agent=self.get_agent())

    def perform_create(self, serializer):
        self._save(serializer, agent=self.get_agent())


class ToolDetailView(AgentChildMixin, _ToolWrites, generics.RetrieveUpdateDestroyAPIView):
    """Read, create-or-overwrite (POST), replace, patch or delete one mock tool, addressed by its name."""

    serializer_class = MockToolSerializer
    lookup_field = "name"
    lookup_url_kwarg = "tool_name"

    def get_queryset(self):
        return MockTool.objects.filter(agent=self.get_agent())

    def perform_update(self, serializer):
        self._save(serializer)

    @extend_schema(request=MockToolSerializer, responses={200: MockToolSerializer, 201: MockToolSerializer})
    def post(self, request, *args, **kwargs):
        """Create the tool named in the URL, or overwrite it when it exists (201 / 200)."""
        if not isinstance(request.data, dict) and not hasattr(request.data, "getlist"):
            raise ValidationError({"non_field_errors": ["Expected an object."]})
        body = {**(request.data.dict() if hasattr(request.data, "dict") else request.data), "name": kwargs["tool_name"]}
        existing = self.get_queryset().filter(name=kwargs["tool_name"]).first()
        serializer = self.get_serializer(existing, data=body)
        serializer.is_valid(raise_exception=True)
        self._save(serializer, **({} if existing else {"agent": self.get_agent()}))
        return Response(serializer.data, status=status.HTTP_200_OK if existing else status.HTTP_201_CREATED)
