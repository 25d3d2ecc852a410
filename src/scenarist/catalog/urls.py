"""Routes of the catalog app, mounted under /test_framework/v1/."""

from django.urls import path
from rest_framework.routers import DefaultRouter

from .views import CallerToolListView, PersonalityViewSet, PhoneNumberViewSet, PredefinedMetricViewSet

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("personalities", PersonalityViewSet, basename="personality")
router.register("predefined-metrics", PredefinedMetricViewSet, basename="predefined-metric")
router.register("phone-numbers", PhoneNumberViewSet, basename="phone-number")

urlpatterns = [
    path("caller-tools/", CallerToolListView.as_view(), name="caller-tools"),
    *router.urls,
]
