"""Routes of the compatibility edge: v2 agents (mounted under /test_framework/v2/)."""

from rest_framework.routers import SimpleRouter

from .v2_views import V2AgentViewSet

router = SimpleRouter(trailing_slash=True)
router.register("aiagents", V2AgentViewSet, basename="v2-aiagent")
urlpatterns = router.urls
