"""Routes of the scenario-generation job endpoints (mounted before the scenario router)."""

from django.urls import path

from .generation_views import GenerateCancelView, GenerateProgressView, GenerateScenariosView

urlpatterns = [
    path("scenarios/generate-bg/", GenerateScenariosView.as_view(), name="scenarios-generate-bg"),
    path("scenarios/generate-progress/", GenerateProgressView.as_view(), name="scenarios-generate-progress"),
    path("scenarios/generate-cancel/", GenerateCancelView.as_view(), name="scenarios-generate-cancel"),
]
