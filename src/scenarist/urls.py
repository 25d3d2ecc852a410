"""URL map: Cekura-compatible API under /test_framework/v1/, /test_framework/v2/ and /user/v1/, OpenAPI, docs, admin,
and the web workspace at /.

Every path is also served without its trailing slash and under its `-external` alias, with no redirect
(scenarist.common.routing); features Scenarist does not have answer a JSON 404 naming them (compat.unsupported).
"""

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
    path("test_framework/v2/", include("scenarist.compat.urls")),
]

# Test-only job routes (the jobs test suite submits TEST_ITEMS jobs over HTTP); off unless explicitly enabled.
from scenarist.jobs.handlers import test_jobs_enabled  # noqa: E402

if test_jobs_enabled():
    urlpatterns.append(path("test_framework/v1/", include("scenarist.jobs.test_urls")))

# The web workspace after the API, so it never shadows an API path; then, last, so that a real route always wins
# over a "not part of Scenarist" answer, the unsupported features.
urlpatterns.append(path("", include("scenarist.pages.urls")))
urlpatterns.append(path("", include("scenarist.compat.unsupported")))

handler400 = "scenarist.common.errors.json_bad_request"
handler404 = "scenarist.common.errors.json_not_found"
handler500 = "scenarist.common.errors.json_server_error"
