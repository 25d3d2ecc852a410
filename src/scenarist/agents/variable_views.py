"""`/aiagents/{id}/dynamic-variables/` (list, upsert by name) and `/dynamic-variable/{id}/` (patch, delete)."""

from __future__ import annotations

from django.db import transaction
from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from .models import DynamicVariable
from .serializers import DynamicVariableSerializer
from .views import AgentChildMixin


class VariableListView(AgentChildMixin, generics.GenericAPIView):
    """The agent's dynamic variables (a bare array); POST upserts one object or an array, matched by name."""

    serializer_class = DynamicVariableSerializer
    pagination_class = None

    def get_queryset(self):
        return DynamicVariable.objects.filter(agent=self.get_agent())

    @extend_schema(responses=DynamicVariableSerializer(many=True))
    def get(self, request, *args, **kwargs):
        return Response(self.get_serializer(self.get_queryset(), many=True).data)

    @extend_schema(request=DynamicVariableSerializer(many=True), responses=DynamicVariableSerializer(many=True))
    def post(self, request, *args, **kwargs):
        agent = self.get_agent()
        items = request.data if isinstance(request.data, list) else [request.data]
        if not items:
            raise ValidationError({"non_field_errors": ["Send one {name, description} object or a non-empty array."]})
        validated = [self._validated(item, index, many=isinstance(request.data, list)) for index, item in enumerate(items)]
        with transaction.atomic():
            for data in validated:
                defaults = {"auto_detected": False}  # a variable the user wrote is never removed by detection
                if "description" in data:
                    defaults["description"] = data["description"]
                DynamicVariable.objects.update_or_create(agent=agent, name=data["name"], defaults=defaults)
        return Response(self.get_serializer(self.get_queryset(), many=True).data, status=status.HTTP_200_OK)

    def _validated(self, item, index: int, *, many: bool) -> dict:
        """Validate one upsert item; errors of an array item name its index."""
        if not isinstance(item, dict) and not hasattr(item, "getlist"):
            raise ValidationError({"non_field_errors": [f"Item {index}: expected an object with name and description."]})
        serializer = self.get_serializer(data=item)
        if not serializer.is_valid():
            if not many:
                raise ValidationError(serializer.errors)
            raise ValidationError(
                {field: [f"Item {index}: {message}" for message in messages] for field, messages in serializer.errors.items()}
            )
        return serializer.validated_data


class VariableDetailView(AgentChildMixin, generics.RetrieveUpdateDestroyAPIView):
    """Read, rename/re-describe or delete one dynamic variable of the agent."""

    serializer_class = DynamicVariableSerializer
    lookup_url_kwarg = "var_id"

    def get_queryset(self):
        return DynamicVariable.objects.filter(agent=self.get_agent())

    def perform_update(self, serializer):
        serializer.save(auto_detected=False)
