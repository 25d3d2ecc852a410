"""Routes of the scenarios app, mounted under /test_framework/v1/."""

from rest_framework.routers import DefaultRouter

from .views import ScenarioViewSet, TestProfileViewSet

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("scenarios", ScenarioViewSet, basename="scenario")
router.register("test-profiles", TestProfileViewSet, basename="test-profile")
urlpatterns = router.urls
