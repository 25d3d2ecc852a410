"""`/metrics/`: CRUD over the project's metrics (paginated), filters `agent_id` and `is_default`."""

from __future__ import annotations

from django.db.models import Q
from rest_framework import exceptions

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
