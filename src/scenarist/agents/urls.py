"""Routes of the agents app, mounted under /test_framework/v1/."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from .kb_views import DeleteKnowledgeBaseView, KnowledgeBaseFileView, KnowledgeBaseListView, UploadKnowledgeBaseView
from .tool_views import ToolDetailView, ToolListView
from .variable_views import VariableDetailView, VariableListView
from .views import AgentViewSet

router = SimpleRouter(trailing_slash=True)
router.register("aiagents", AgentViewSet, basename="aiagent")

AGENT = "aiagents/<int:agent_id>/"

urlpatterns = [
    path(AGENT + "tools/", ToolListView.as_view(), name="aiagent-tools"),
    path(AGENT + "tool/<str:tool_name>/", ToolDetailView.as_view(), name="aiagent-tool"),
    path(AGENT + "dynamic-variables/", VariableListView.as_view(), name="aiagent-dynamic-variables"),
    path(AGENT + "dynamic-variable/<int:var_id>/", VariableDetailView.as_view(), name="aiagent-dynamic-variable"),
    path(AGENT + "upload_knowledge_base/", UploadKnowledgeBaseView.as_view(), name="aiagent-upload-kb"),
    path(AGENT + "knowledge_base/", KnowledgeBaseListView.as_view(), name="aiagent-kb"),
    path(AGENT + "knowledge_base/<int:file_id>/", KnowledgeBaseFileView.as_view(), name="aiagent-kb-file"),
    path(AGENT + "delete_knowledge_base/", DeleteKnowledgeBaseView.as_view(), name="aiagent-kb-delete"),
    *router.urls,
]
