"""URL map: Cekura-compatible API under /test_framework/v1/ and /user/v1/, OpenAPI, docs, admin."""

from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView

API_APPS = ["agents", "catalog", "metrics", "scenarios", "jobs"]

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="swagger-ui"),
    path("api/redoc/", SpectacularRedocView.as_view(url_name="schema"), name="redoc"),
    path("user/v1/", include("scenarist.accounts.urls")),
    *[path("test_framework/v1/", include(f"scenarist.{app}.urls")) for app in API_APPS],
]
