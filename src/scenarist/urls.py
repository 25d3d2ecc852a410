"""URL map: Cekura-compatible API under /test_framework/v1/ and /user/v1/, OpenAPI, docs, admin, the workspace at /."""

from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView

# Job endpoints first: `metrics/generate_clean_description_bg/` must not be read as `metrics/{pk}/`.
API_URLCONFS = [
    "scenarist.metrics.clean_description_urls",
    "scenarist.scenarios.generation_urls",
    "scenarist.agents.urls",
    "scenarist.catalog.urls",
    "scenarist.metrics.urls",
    "scenarist.scenarios.urls",
]

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="swagger-ui"),
    path("api/redoc/", SpectacularRedocView.as_view(url_name="schema", template_name="pages/redoc.html"), name="redoc"),
    path("user/v1/", include("scenarist.accounts.urls")),
    *[path("test_framework/v1/", include(conf)) for conf in API_URLCONFS],
]

# Test-only job routes (the jobs test suite submits TEST_ITEMS jobs over HTTP); off unless explicitly enabled.
from scenarist.jobs.handlers import test_jobs_enabled  # noqa: E402

if test_jobs_enabled():
    urlpatterns.append(path("test_framework/v1/", include("scenarist.jobs.test_urls")))

# The web workspace last, so it never shadows an API path.
urlpatterns.append(path("", include("scenarist.pages.urls")))

handler400 = "scenarist.common.errors.json_bad_request"
handler404 = "scenarist.common.errors.json_not_found"
handler500 = "scenarist.common.errors.json_server_error"
