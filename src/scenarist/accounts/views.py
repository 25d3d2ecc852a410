"""`/user/v1/projects/`: the key's own project (list of one, retrieve, rename)."""

from rest_framework import mixins, viewsets

from .auth import project_of
from .models import Project
from .serializers import ProjectSerializer


class ProjectViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.UpdateModelMixin, viewsets.GenericViewSet):
    """The project the API key belongs to; other projects do not exist for this key."""

    serializer_class = ProjectSerializer

    def get_queryset(self):
        return Project.objects.filter(pk=project_of(self.request).pk)
