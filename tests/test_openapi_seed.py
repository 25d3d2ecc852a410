"""Our request serializers produce the seed operations' request schemas; /api/schema/ and /api/docs/ serve."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from django.urls import path
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from scenarist.metrics.serializers import CleanMetricDescriptionRequestSerializer
from scenarist.scenarios.serializers import GenerateScenariosRequestSerializer

# Copies of the two seed schemas of ../shared/reference/ (the contract our request bodies must match).
REFERENCE = Path(__file__).resolve().parent / "fixtures" / "seed"
CONTENT_TYPES = ("application/json", "application/x-www-form-urlencoded", "multipart/form-data")
COMPARED_KEYWORDS = ("enum", "default", "minimum", "maximum", "minLength", "maxLength")
SEED_OPERATIONS = [
    ("seed-clean-description.yaml", "/test_framework/v1/metrics/generate_clean_description_bg/",
     CleanMetricDescriptionRequestSerializer),
    ("seed-generate-scenarios.yaml", "/test_framework/v1/scenarios/generate-bg/", GenerateScenariosRequestSerializer),
]


def _throwaway_view(serializer_class):
    """An APIView whose only job is to put `serializer_class` in a POST request body schema."""

    class SeedOperationView(APIView):
        @extend_schema(request=serializer_class, responses={200: None})
        def post(self, request):
            return Response({})

    return SeedOperationView


def _inline(node, document):
    """`node` with every $ref inlined and oneOf/anyOf/allOf of enums merged into one enum (the seed inlines
    its enums; drf-spectacular extracts them into components)."""
    if isinstance(node, list):
        return [_inline(item, document) for item in node]
    if not isinstance(node, dict):
        return node
    if "$ref" in node:
        return _inline(document["components"]["schemas"][node["$ref"].rsplit("/", 1)[1]], document)
    merged = {key: _inline(value, document) for key, value in node.items() if key not in ("oneOf", "anyOf", "allOf")}
    parts = [_inline(part, document) for key in ("oneOf", "anyOf", "allOf") for part in node.get(key, [])]
    if parts:
        types, values = set(), []
        for part in parts:
            kind = part.get("type")
            types |= set(kind) if isinstance(kind, list) else ({kind} if kind else set())
            values += part.get("enum", [])
            merged.update({k: v for k, v in part.items() if k not in ("type", "enum", "description")})
        merged["type"] = sorted(types)
        if values:
            merged["enum"] = values
    return merged


def _request_schemas(document: dict, route: str) -> dict[str, dict]:
    """The resolved request-body schema per content type of the POST at `route`."""
    body = document["paths"][route]["post"]["requestBody"]
    return {content_type: _inline(media["schema"], document) for content_type, media in body["content"].items()}


def _normalise(prop: dict) -> dict:
    """One property reduced to what clients depend on; OAS 3.0 `nullable` and 3.1 type lists compare equal."""
    types = prop.get("type")
    types = set(types) if isinstance(types, list) else ({types} if types else set())
    if prop.get("nullable") or None in prop.get("enum", []):
        types.add("null")
    out = {"type": types - {None}}
    for keyword in COMPARED_KEYWORDS:
        if keyword in prop:
            out[keyword] = set(map(str, prop[keyword])) if keyword == "enum" else prop[keyword]
    if "items" in prop:
        out["items"] = _normalise(prop["items"])
    return out


def _ours(route: str, serializer_class) -> dict:
    generator = SchemaGenerator(patterns=[path(route.lstrip("/"), _throwaway_view(serializer_class).as_view())])
    return generator.get_schema(request=None, public=True)


@pytest.mark.parametrize(("seed_file", "route", "serializer_class"), SEED_OPERATIONS)
def test_request_schema_matches_seed(seed_file, route, serializer_class):
    seed = _request_schemas(yaml.safe_load((REFERENCE / seed_file).read_text()), route)["application/json"]
    ours_by_type = _request_schemas(_ours(route, serializer_class), route)
    assert set(ours_by_type) == set(CONTENT_TYPES)
    for content_type, ours in ours_by_type.items():
        assert set(ours["properties"]) == set(seed["properties"]), content_type
        assert sorted(ours.get("required", [])) == sorted(seed.get("required", [])), content_type
        for name, seed_prop in seed["properties"].items():
            assert _normalise(ours["properties"][name]) == _normalise(seed_prop), f"{content_type} {name}"


def test_seed_component_names_are_recognisable():
    document = _ours(SEED_OPERATIONS[0][1], CleanMetricDescriptionRequestSerializer)
    assert "CleanMetricDescriptionRequest" in document["components"]["schemas"]
    document = _ours(SEED_OPERATIONS[1][1], GenerateScenariosRequestSerializer)
    assert any(name.startswith("SchemaGenerateScenarios") for name in document["components"]["schemas"])


def test_schema_endpoint_serves_json(anon, db):
    r = anon.get("/api/schema/", {"format": "json"})
    assert r.status_code == 200
    document = r.json()
    assert document["openapi"].startswith("3.")
    assert "/test_framework/v1/scenarios/" in document["paths"]
    assert "/test_framework/v1/metrics/" in document["paths"]


def test_docs_page_uses_only_local_assets(anon, db):
    r = anon.get("/api/docs/")
    assert r.status_code == 200
    html = r.content.decode()
    assets = re.findall(r"""(?:src|href)\s*=\s*["']([^"']+)["']""", html)
    assert assets, "the docs page should load its scripts and styles"
    remote = [url for url in assets if re.match(r"^(https?:)?//", url)]
    assert remote == []
    assert any("sidecar" in url for url in assets)


def test_docs_page_assets_are_served_locally(anon, db):
    html = anon.get("/api/docs/").content.decode()
    assets = [u for u in re.findall(r"""(?:src|href)\s*=\s*["']([^"']+)["']""", html) if u.startswith("/static/")]
    assert assets
    for url in assets:
        r = anon.get(url)
        assert r.status_code == 200, url
        body = b"".join(r.streaming_content) if r.streaming else r.content
        assert len(body) > 100, url
