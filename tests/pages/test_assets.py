"""The workspace's front door and assets: `/` leads to the workspace, every asset is local, the API is untouched."""

from __future__ import annotations

import re

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def _asset_urls(html: str) -> list[str]:
    """Every src/href of script, link and img tags."""
    return re.findall(r'<(?:script|link|img)[^>]+(?:src|href)="([^"]+)"', html)


def test_root_leads_to_the_workspace_and_every_asset_is_local(tenant):
    client = Client()
    response = client.get("/")
    assert response.status_code == 302 and response["Location"] == "/signin/"
    page = client.get("/signin/").content.decode()
    assets = _asset_urls(page)
    assert any(a.endswith("htmx.min.js") for a in assets) and any(a.endswith("pages.css") for a in assets)
    for asset in assets:
        assert asset.startswith("/"), asset
        assert client.get(asset).status_code == 200, asset
    client.post("/signin/", {"api_key": tenant.key})
    assert client.get("/").headers["Location"] == "/agents/"


def test_redoc_loads_no_web_font_and_the_api_still_answers_json(anon):
    redoc = Client().get("/api/redoc/").content.decode()
    assert "googleapis" not in redoc and "gstatic" not in redoc
    assert all(url.startswith("/") for url in _asset_urls(redoc))
    response = anon.get("/test_framework/v1/aiagents/")
    assert response.status_code == 401 and response.json()["detail"]
    assert anon.get("/test_framework/v1/no-such-thing/").json() == {"detail": "Not found."}
