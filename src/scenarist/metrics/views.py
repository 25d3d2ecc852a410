"""`/metrics/`: CRUD over the project's metrics (paginated), filters `agent_id` and `is_default`."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Q
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, status
from rest_framework.decorators import action
from rest_framework.response import Response

from scenarist.accounts.auth import project_of

from scenarist.common.views import ProjectScopedModelViewSet

from .models import Metric
from .serializers import MetricSerializer

TRUE_WORDS = ("true", "1", "yes")
FALSE_WORDS = ("false", "0", "no")


class MetricViewSet(ProjectScopedModelViewSet):
    """The project's metrics."""

    serializer_class = MetricSerializer
    queryset = Metric.objects.all().prefetch_related("agents").order_by("id")
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        qs = super().get_queryset()
        if self.action != "list":
            return qs
        params = self.request.query_params
        agent_id = params.get("agent_id")
        if agent_id:
            if not agent_id.isdigit():
                raise exceptions.ValidationError({"agent_id": ["A valid integer is required."]})
            # A metric with no agents is project-wide, so it applies to every agent.
            qs = qs.filter(Q(agents__id=int(agent_id)) | Q(agents__isnull=True)).distinct()
        is_default = params.get("is_default")
        if is_default:
            word = is_default.lower()
            if word not in TRUE_WORDS + FALSE_WORDS:
                raise exceptions.ValidationError({"is_default": ["Must be a valid boolean."]})
            qs = qs.filter(is_default=word in TRUE_WORDS)
        return qs

    @extend_schema(request=MetricSerializer(many=True), responses={201: MetricSerializer(many=True)})
    @action(detail=False, methods=["post"], pagination_class=None)
    def bulk_create(self, request):
        """Create several metrics (a JSON array, or `{"items": [...]}`), all or nothing; errors name the item."""
        items = request.data.get("items") if isinstance(request.data, dict) else request.data
        if not isinstance(items, list) or not items:
            raise exceptions.ValidationError({"items": ["Send a non-empty array of metrics."]})
        serializers_, errors = [], {}
        for index, item in enumerate(items):
            serializer = self.get_serializer(data=item if isinstance(item, dict) else {})
            if serializer.is_valid():
                serializers_.append(serializer)
            else:
                for field, messages in serializer.errors.items():
                    errors.setdefault(field, []).extend(f"Item {index}: {m}" for m in messages)
        if errors:
            raise exceptions.ValidationError(errors)
        with transaction.atomic():
            rows = [serializer.save(project=project_of(request)) for serializer in serializers_]
        return Response(self.get_serializer(rows, many=True).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=OpenApiTypes.OBJECT, responses={204: None})
    @action(detail=False, methods=["post"])
    def delete_metrics(self, request):
        """Delete the listed metrics of the project (`metrics` or `metric_ids`), all or nothing."""
        data = request.data if isinstance(request.data, dict) else {}
        key = "metric_ids" if "metric_ids" in data else "metrics"
        ids = data.get(key)
        if not isinstance(ids, list) or not ids or not all(str(i).isdigit() for i in ids):
            raise exceptions.ValidationError({key: ["A non-empty list of metric ids is required."]})
        wanted = {int(i) for i in ids}
        rows = Metric.objects.filter(project=project_of(request), pk__in=[i for i in wanted if i < 2**63])
        missing = sorted(wanted - set(rows.values_list("id", flat=True)))
        if missing:
            raise exceptions.ValidationError({key: [f"Metrics {missing} do not exist."]})
        rows.delete()
        return Response(status=status.HTTP_204_NO_CONTENT)
