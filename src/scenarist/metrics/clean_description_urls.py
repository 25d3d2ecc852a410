"""Routes of the clean-description job endpoints (mounted before the metric router)."""

from django.urls import path

from .clean_description_views import CleanDescriptionBgView, CleanDescriptionProgressView, CleanDescriptionSyncView

urlpatterns = [
    path("metrics/generate_clean_description_bg/", CleanDescriptionBgView.as_view(),
         name="metrics-generate-clean-description-bg"),
    path("metrics/generate_clean_description_progress/", CleanDescriptionProgressView.as_view(),
         name="metrics-generate-clean-description-progress"),
    path("metrics/generate_clean_description/", CleanDescriptionSyncView.as_view(),
         name="metrics-generate-clean-description"),
]
