"""`/user/v1/projects/`: the key's own project and the projects it created (list, retrieve, rename, create, delete).

Who may create: a key of a top-level project (one made by an operator with `scenarist project create`) may
create up to MAX_CHILD_PROJECTS projects over the API; each comes with its own API key, returned once. The
creating key may list, rename and delete them (delete only while empty), but works inside them only with
their own key: every other endpoint stays scoped to the key's own project. A project's own key can never
delete it.
"""

from django.db import transaction
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, mixins, status, viewsets
from rest_framework.response import Response

from .auth import project_of
from .models import Project
from .serializers import NewProjectSerializer, ProjectSerializer
from .services import create_project, project_contents

MAX_CHILD_PROJECTS = 100


class ProjectViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.UpdateModelMixin, viewsets.GenericViewSet):
    """The project the API key belongs to, plus the projects that key created; others do not exist for it."""

    serializer_class = ProjectSerializer
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        own = project_of(self.request)
        return Project.objects.filter(pk=own.pk) | Project.objects.filter(parent=own)

    @extend_schema(request=ProjectSerializer, responses={201: NewProjectSerializer})
    def create(self, request):
        """Create a project with its first API key (returned once, as `api_key`)."""
        own = project_of(request)
        if own.parent_id is not None:
            raise exceptions.PermissionDenied("Only a key of a top-level project may create projects.")
        serializer = ProjectSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        with transaction.atomic():
            Project.objects.select_for_update().get(pk=own.pk)  # serialises concurrent creates of one key
            if Project.objects.filter(parent=own).count() >= MAX_CHILD_PROJECTS:
                raise exceptions.ValidationError(
                    {"non_field_errors": [f"A project may create at most {MAX_CHILD_PROJECTS} projects."]}
                )
            project, raw_key = create_project(serializer.validated_data["name"], key_name="api", parent=own)
        return Response(NewProjectSerializer(project, context={"api_key": raw_key}).data, status=status.HTTP_201_CREATED)

    def destroy(self, request, pk=None):
        """Delete a project this key created, if it is empty (404 for others, 400 for the key's own project)."""
        project = self.get_object()
        if project.pk == project_of(request).pk:
            raise exceptions.ValidationError({"non_field_errors": ["A key cannot delete its own project."]})
        contents = project_contents(project)
        if contents:
            raise exceptions.ValidationError(
                {"non_field_errors": ["The project is not empty: " + ", ".join(f"{n} {k}" for k, n in contents.items())]}
            )
        project.delete()
        return Response(status=status.HTTP_204_NO_CONTENT)
