"""`/scenarios/` CRUD with filters, the folder operations, and `/test-profiles/`."""

from __future__ import annotations

from django.db.models import Q
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, status
from rest_framework.decorators import action
from rest_framework.response import Response

from scenarist.accounts.auth import project_of
from scenarist.common.views import ProjectScopedModelViewSet

from . import services
from .bulk_views import ScenarioBulkActions
from .models import Folder, Scenario, TestProfile
from .serializers import (
    CreateFolderRequestSerializer,
    DeleteFolderRequestSerializer,
    FolderSerializer,
    MoveFolderRequestSerializer,
    RenameFolderRequestSerializer,
    ScenarioSerializer,
    TestProfileSerializer,
)

TAG_FILTER_TYPES = ("and", "or", "not")


def _int_param(params, name: str) -> int | None:
    """An integer query parameter, or a 400 naming it."""
    raw = params.get(name)
    if raw in (None, ""):
        return None
    if not raw.isdigit():
        raise exceptions.ValidationError({name: ["A valid integer is required."]})
    return int(raw)


def _tags_match(scenario_tags: list, wanted: list[str], mode: str) -> bool:
    """Whether a scenario's tags satisfy the tag filter."""
    have = set(scenario_tags or [])
    if mode == "and":
        return all(tag in have for tag in wanted)
    if mode == "not":
        return not any(tag in have for tag in wanted)
    return any(tag in have for tag in wanted)


class ScenarioViewSet(ScenarioBulkActions, ProjectScopedModelViewSet):
    """The project's scenarios (paginated), their folders and bulk actions."""

    serializer_class = ScenarioSerializer
    queryset = (
        Scenario.objects.all()
        .select_related("personality", "test_profile")
        .prefetch_related("metrics")
        .order_by("id")
    )
    lookup_value_regex = r"\d+"

    @extend_schema(
        parameters=[
            OpenApiParameter("agent_id", int),
            OpenApiParameter("tags", str, description="Comma-separated tags."),
            OpenApiParameter("tag_filter_type", str, enum=list(TAG_FILTER_TYPES), description="Default `or`."),
            OpenApiParameter("folder_path", str, description='Dotted folder path; "" = scenarios in no folder.'),
            OpenApiParameter("scenario_type", str),
        ]
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    def get_queryset(self):
        qs = super().get_queryset()
        if self.action != "list":
            return qs
        params = self.request.query_params
        agent_id = _int_param(params, "agent_id")
        if agent_id is not None:
            qs = qs.filter(agent_id=agent_id)
        if "folder_path" in params:
            folder_path = params["folder_path"].strip()
            qs = qs.filter(Q(folder_path__isnull=True) | Q(folder_path="")) if not folder_path else qs.filter(
                folder_path=folder_path
            )
        scenario_type = params.get("scenario_type")
        if scenario_type:
            qs = qs.filter(scenario_type=scenario_type)
        return self._filter_tags(qs, params)

    @staticmethod
    def _filter_tags(qs, params):
        """Tag filtering in Python: JSON containment is not portable across SQLite and PostgreSQL."""
        wanted = [tag.strip() for tag in (params.get("tags") or "").split(",") if tag.strip()]
        if not wanted:
            return qs
        mode = (params.get("tag_filter_type") or "or").lower()
        if mode not in TAG_FILTER_TYPES:
            raise exceptions.ValidationError({"tag_filter_type": [f'"{mode}" is not a valid choice.']})
        ids = [pk for pk, tags in qs.values_list("id", "tags") if _tags_match(tags, wanted, mode)]
        return qs.filter(id__in=ids)

    def _folder_body(self, serializer_class):
        """Validated body of a folder operation."""
        serializer = serializer_class(data=self.request.data)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    @extend_schema(request=CreateFolderRequestSerializer, responses={201: FolderSerializer})
    @action(detail=False, methods=["post"], url_path="create_folder")
    def create_folder(self, request):
        """Create one folder (its parent must exist)."""
        body = self._folder_body(CreateFolderRequestSerializer)
        folder = services.create_folder(project_of(request), body["name"], body.get("parent_path") or None)
        return Response(FolderSerializer(folder).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        parameters=[
            OpenApiParameter("parent_path", str, description='Only direct children of this path ("" = root).'),
            OpenApiParameter("search", str, description="Case-insensitive match on the folder name."),
        ],
        responses=FolderSerializer(many=True),
    )
    @action(detail=False, methods=["get"], url_path="folders")
    def folders(self, request):
        """The project's folders (paginated), optionally the children of one path or a name search."""
        qs = Folder.objects.filter(project=project_of(request)).order_by("path")
        params = request.query_params
        if "parent_path" in params:
            parent = params["parent_path"].strip()
            if parent:
                prefix = parent + services.SEPARATOR
                children = [
                    pk for pk, path in qs.filter(path__startswith=prefix).values_list("id", "path")
                    if services.SEPARATOR not in path[len(prefix):]
                ]
                qs = qs.filter(id__in=children)
            else:
                qs = qs.exclude(path__contains=services.SEPARATOR)
        if params.get("search"):
            qs = qs.filter(name__icontains=params["search"].strip())
        page = self.paginate_queryset(qs)
        return self.get_paginated_response(FolderSerializer(page, many=True).data)

    @extend_schema(request=RenameFolderRequestSerializer, responses=FolderSerializer)
    @action(detail=False, methods=["post"], url_path="rename_folder")
    def rename_folder(self, request):
        """Rename a folder; sub-folders and contained scenarios follow."""
        body = self._folder_body(RenameFolderRequestSerializer)
        folder = services.rename_folder(project_of(request), body["path"], body["name"])
        return Response(FolderSerializer(folder).data)

    @extend_schema(request=MoveFolderRequestSerializer, responses=FolderSerializer)
    @action(detail=False, methods=["post"], url_path="move_folder")
    def move_folder(self, request):
        """Move a folder under another one (or to the root)."""
        body = self._folder_body(MoveFolderRequestSerializer)
        folder = services.move_folder(project_of(request), body["path"], body.get("new_parent_path") or None)
        return Response(FolderSerializer(folder).data)

    @extend_schema(request=DeleteFolderRequestSerializer, responses={204: None})
    @action(detail=False, methods=["post"], url_path="delete_folder")
    def delete_folder(self, request):
        """Delete a folder, its sub-folders and every scenario inside them."""
        body = self._folder_body(DeleteFolderRequestSerializer)
        services.delete_folder(project_of(request), body["path"])
        return Response(status=status.HTTP_204_NO_CONTENT)


class TestProfileViewSet(ProjectScopedModelViewSet):
    """The project's test profiles; a bare JSON array when listed; create answers 200 like the reference."""

    __test__ = False  # not a pytest test class

    serializer_class = TestProfileSerializer
    pagination_class = None
    queryset = TestProfile.objects.all().prefetch_related("scenarios").order_by("id")
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        qs = super().get_queryset()
        if self.action == "list":
            agent_id = _int_param(self.request.query_params, "agent_id")
            if agent_id is not None:
                qs = qs.filter(agent_id=agent_id)
        return qs

    @extend_schema(responses={200: TestProfileSerializer})
    def create(self, request, *args, **kwargs):
        response = super().create(request, *args, **kwargs)
        response.status_code = status.HTTP_200_OK
        return response
