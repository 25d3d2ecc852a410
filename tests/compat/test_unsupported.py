"""Features Scenarist does not implement answer a JSON 404 naming the feature, on every method and spelling."""

from __future__ import annotations

import pytest

from scenarist.compat.unsupported import CODE, FEATURES
from tests.common.test_routing import _concrete


@pytest.mark.parametrize("regex,feature", [(r, f) for r, f, _ in FEATURES])
def test_every_unsupported_feature_is_a_json_404_naming_it(api, regex, feature):
    path = "/" + _concrete(regex)
    spellings = [path, path + "/", path + "/sub/path/"]
    if path.startswith("/test_framework/v1/scenarios/"):
        spellings.append(path.replace("/scenarios/", "/scenarios-external/"))
    if path.startswith("/test_framework/v1/metrics/"):
        spellings.append(path.replace("/metrics/", "/metrics-external/"))
    for spelling in spellings:
        for method in ("get", "post", "put", "patch", "delete"):
            r = getattr(api, method)(spelling, data=None if method == "get" else "{}", content_type="application/json")
            assert r.status_code == 404, (method, spelling, r.status_code)
            body = r.json()
            assert body["code"] == CODE and body["feature"] == feature, (spelling, body)
            assert "not part of Scenarist" in body["detail"]


def test_real_routes_win_over_unsupported_answers(api):
    # `scenarios/<id>/` is real even though `scenarios/<id>/update_conditional_actions` is not.
    assert api.get("/test_framework/v1/scenarios/999999/").json() == {"detail": "Not found."}
    assert api.get("/test_framework/v1/scenarios/generate-progress/", {"progress_id": "x"}).status_code in (400, 404)
    assert "code" not in api.get("/test_framework/v1/scenarios/generate-progress/", {"progress_id": "x"}).json()
