"""Bulk actions of `/scenarios/`: tags, add_tags, delete_scenarios, adv_update, export_scenarios, duplicate."""

from __future__ import annotations

from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, status
from rest_framework.decorators import action
from rest_framework.response import Response

from scenarist.accounts.auth import project_of

from . import bulk
from .serializers import ScenarioSerializer

TAGS = {"type": "array", "items": {"type": "string"}}  # raw OpenAPI schema of the tag list


class ScenarioBulkActions:
    """Mixed into ScenarioViewSet; every action works on the caller's project only."""

    @extend_schema(parameters=[OpenApiParameter("agent_id", int)], responses={200: TAGS})
    @action(detail=False, methods=["get"])
    def tags(self, request):
        """Every tag used by the project's scenarios (a bare sorted array of strings)."""
        agent_id = request.query_params.get("agent_id")
        if agent_id and not agent_id.isdigit():
            raise exceptions.ValidationError({"agent_id": ["A valid integer is required."]})
        return Response(bulk.tags_of(project_of(request), int(agent_id) if agent_id else None))

    @extend_schema(request=bulk.AddTagsSerializer, responses={200: ScenarioSerializer(many=True)})
    @action(detail=False, methods=["post"], pagination_class=None)
    def add_tags(self, request):
        """Add tags to the listed scenarios; answers the scenarios as they now are."""
        rows = bulk.add_tags(project_of(request), request.data)
        return Response(self.get_serializer(rows, many=True).data)

    @extend_schema(request=OpenApiTypes.OBJECT, responses={204: None})
    @action(detail=False, methods=["post"])
    def delete_scenarios(self, request):
        """Delete every listed scenario (`scenarios: [ids]`), all or nothing."""
        bulk.delete_scenarios(project_of(request), request.data)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=bulk.BulkUpdateSerializer, responses={200: ScenarioSerializer(many=True)})
    @action(detail=False, methods=["post"], pagination_class=None)
    def adv_update(self, request):
        """Bulk update (one transaction); answers the updated scenarios."""
        rows = bulk.bulk_update(project_of(request), request.data)
        return Response(self.get_serializer(rows, many=True).data)

    @extend_schema(
        parameters=[OpenApiParameter("scenario_ids", str, description="Comma-separated ids (default: all)."),
                    OpenApiParameter("agent_id", int),
                    OpenApiParameter("export_type", str, enum=list(bulk.EXPORT_TYPES), description="Default csv.")],
        responses={(200, "text/csv"): OpenApiTypes.STR, (200, "application/json"): OpenApiTypes.ANY,
                   (200, bulk.XLSX_TYPE): OpenApiTypes.BINARY},
    )  # fmt: skip
    @action(detail=False, methods=["get"])
    def export_scenarios(self, request):
        """CSV (default), JSON or Excel of the named scenarios."""
        export_type = (request.query_params.get("export_type") or "csv").lower()
        if export_type not in bulk.EXPORT_TYPES:
            raise exceptions.ValidationError(
                {"export_type": [f'"{export_type}" is not supported; use one of: {", ".join(bulk.EXPORT_TYPES)}.']}
            )
        rows = bulk.export_rows(project_of(request), request.query_params)
        if export_type == "json":
            return Response([bulk.export_record(row) for row in rows])
        if export_type == "excel":
            response = HttpResponse(bulk.export_xlsx(rows), content_type=bulk.XLSX_TYPE)
            response["Content-Disposition"] = 'attachment; filename="scenarios.xlsx"'
            return response
        response = HttpResponse(bulk.export_csv(rows), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="scenarios.csv"'
        return response

    @extend_schema(request=OpenApiTypes.OBJECT, responses={201: ScenarioSerializer(many=True)})
    @action(detail=False, methods=["post"], pagination_class=None)
    def duplicate(self, request):
        """Copy scenarios within the key's project or into a project it created; answers the copies."""
        copies = bulk.duplicate(project_of(request), request.data)
        return Response(self.get_serializer(copies, many=True).data, status=status.HTTP_201_CREATED)
