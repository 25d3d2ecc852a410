"""Catalogue endpoints: personalities, predefined metrics, phone numbers, caller tools."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import exceptions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from scenarist.accounts.auth import project_of
from scenarist.common.views import ProjectScopedModelViewSet
from scenarist.metrics.serializers import MetricSerializer

from .caller_tools import CALLER_TOOLS
from .models import Personality, PhoneNumber, PredefinedMetric
from .serializers import (
    CallerToolSerializer,
    PersonalitySerializer,
    PhoneNumberSerializer,
    PredefinedMetricSerializer,
)
from .services import visible_personalities


class GlobalPersonalityReadOnly(exceptions.PermissionDenied):
    """Raised on writes to a catalogue personality."""

    default_detail = "Global personalities cannot be modified."


class PersonalityViewSet(viewsets.ModelViewSet):
    """Global catalogue plus the project's own personalities; a bare JSON array when listed."""

    serializer_class = PersonalitySerializer
    pagination_class = None
    queryset = Personality.objects.all()

    def get_queryset(self):
        qs = visible_personalities(project_of(self.request)).order_by("id")
        language = self.request.query_params.get("language")
        if language:
            qs = qs.filter(language=language)
        return qs

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "project": project_of(self.request)}

    def perform_create(self, serializer):
        self._save_owned(serializer, project=project_of(self.request))

    def get_object(self):
        personality = super().get_object()
        if personality.project_id is None and self.request.method not in ("GET", "HEAD", "OPTIONS"):
            raise GlobalPersonalityReadOnly()
        return personality

    def perform_update(self, serializer):
        self._save_owned(serializer)

    def _save_owned(self, serializer, **extra):
        """Save a project personality; a new project default demotes the previous one."""
        personality = serializer.save(**extra)
        if personality.is_default:
            Personality.objects.filter(project=personality.project, is_default=True).exclude(pk=personality.pk).update(
                is_default=False
            )


class PredefinedMetricViewSet(viewsets.ReadOnlyModelViewSet):
    """The predefined metric catalogue; a bare JSON array when listed."""

    serializer_class = PredefinedMetricSerializer
    pagination_class = None
    queryset = PredefinedMetric.objects.all().order_by("display_order", "id")

    @extend_schema(request=OpenApiTypes.OBJECT, responses={201: MetricSerializer(many=True)})
    @action(detail=False, methods=["post"])
    def copy(self, request):
        """Copy predefined metrics into the caller's project (optionally attached to its agents); 201 + the copies."""
        from scenarist.metrics.services import copy_predefined_metrics  # metrics depends on the catalogue

        metrics = copy_predefined_metrics(project_of(request), request.data)
        return Response(MetricSerializer(metrics, many=True).data, status=status.HTTP_201_CREATED)


class PhoneNumberViewSet(ProjectScopedModelViewSet):
    """The project's phone numbers; a bare JSON array when listed."""

    serializer_class = PhoneNumberSerializer
    pagination_class = None
    queryset = PhoneNumber.objects.all().order_by("id")

    @extend_schema(responses=inline_serializer("InboundPhoneNumber", many=True, fields={
        "id": serializers.IntegerField(), "number": serializers.CharField(),
        "phone_number_id": serializers.CharField(), "name": serializers.CharField()}))  # fmt: skip
    @action(detail=False, methods=["get"])
    def inbound(self, request):
        """The project's numbers usable by inbound scenarios: a bare array of `{id, number, phone_number_id}`."""
        return Response([{"id": n.pk, "number": n.number, "phone_number_id": str(n.pk), "name": n.name}
                         for n in self.get_queryset()])


class CallerToolListView(APIView):
    """The caller-tool catalogue as a bare JSON array."""

    serializer_class = CallerToolSerializer

    @extend_schema(responses=CallerToolSerializer(many=True))
    def get(self, request):
        return Response(CallerToolSerializer([tool.__dict__ for tool in CALLER_TOOLS], many=True).data)
