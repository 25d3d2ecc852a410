"""Knowledge-base routes of one agent: upload, list, read one (with text), delete one, delete many."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import generics, serializers, status
from rest_framework.response import Response

from .models import KnowledgeBaseFile
from .serializers import FileIdsSerializer, KnowledgeBaseFileDetailSerializer, KnowledgeBaseFileSerializer
from .uploads import check_files, incoming_files, save_files
from .views import AgentChildMixin

_LISTED_FIELDS = ("id", "agent_id", "file_name", "file_type", "file_size", "text_chars", "created_at")


class KnowledgeBaseListView(AgentChildMixin, generics.ListAPIView):
    """The agent's knowledge-base files, paginated, without their bytes or text."""

    serializer_class = KnowledgeBaseFileSerializer

    def get_queryset(self):
        return KnowledgeBaseFile.objects.filter(agent=self.get_agent()).only(*_LISTED_FIELDS)


class KnowledgeBaseFileView(AgentChildMixin, generics.RetrieveDestroyAPIView):
    """One knowledge-base file with its extracted text; DELETE removes it."""

    serializer_class = KnowledgeBaseFileDetailSerializer
    lookup_url_kwarg = "file_id"

    def get_queryset(self):
        return KnowledgeBaseFile.objects.filter(agent=self.get_agent()).defer("content")


class UploadKnowledgeBaseView(AgentChildMixin, generics.GenericAPIView):
    """Upload one or many files (multipart `files`, or JSON `{name, content_base64}` / `{files: [...]}`)."""

    serializer_class = KnowledgeBaseFileSerializer

    @extend_schema(
        request={"multipart/form-data": OpenApiTypes.OBJECT, "application/json": OpenApiTypes.OBJECT},
        responses={201: KnowledgeBaseFileSerializer(many=True)},
    )
    def post(self, request, *args, **kwargs):
        agent = self.get_agent()
        rows = save_files(agent, check_files(incoming_files(request)))
        results = self.get_serializer(rows, many=True).data
        body = {"count": len(results), "next": None, "previous": None, "results": results}
        return Response(body, status=status.HTTP_201_CREATED)


class DeleteKnowledgeBaseView(AgentChildMixin, generics.GenericAPIView):
    """Delete the listed `file_ids` (body or query) of the agent, or all its files when none are listed."""

    serializer_class = FileIdsSerializer

    @extend_schema(
        parameters=[OpenApiParameter("file_ids", OpenApiTypes.STR, description="Comma-separated ids (optional).")],
        responses=inline_serializer("DeletedCount", {"deleted_count": serializers.IntegerField()}),
    )
    def delete(self, request, *args, **kwargs):
        agent = self.get_agent()
        serializer = self.get_serializer(data=self._file_ids_input(request))
        serializer.is_valid(raise_exception=True)
        files = KnowledgeBaseFile.objects.filter(agent=agent)
        if "file_ids" in serializer.validated_data:
            files = files.filter(pk__in=serializer.validated_data["file_ids"])
        deleted_count = files.count()
        files.delete()
        return Response({"deleted_count": deleted_count})

    @staticmethod
    def _file_ids_input(request) -> dict:
        """`file_ids` from a JSON/form body, else from `?file_ids=1,2` or repeated query keys."""
        data = request.data
        if hasattr(data, "getlist") and "file_ids" in data:
            return {"file_ids": _split_ids(data.getlist("file_ids"))}
        if isinstance(data, dict) and "file_ids" in data:
            ids = data["file_ids"]
            return {"file_ids": _split_ids([ids]) if isinstance(ids, (str, int)) else ids}
        if "file_ids" in request.query_params:
            return {"file_ids": _split_ids(request.query_params.getlist("file_ids"))}
        return {}


def _split_ids(values: list[str]) -> list[str]:
    """Flatten `["1,2", "3"]` into `["1", "2", "3"]` (validation happens in the serializer)."""
    return [part.strip() for value in values for part in str(value).split(",") if part.strip()]
