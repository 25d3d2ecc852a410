"""Routes of the metrics app, mounted under /test_framework/v1/."""

from rest_framework.routers import DefaultRouter

from .views import MetricViewSet

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("metrics", MetricViewSet, basename="metric")
urlpatterns = router.urls
