"""Auth smoke tests: 401 without/with a bad key, project list with a good one (both headers)."""


def test_missing_key_is_401_with_www_authenticate(anon, db):
    r = anon.get("/user/v1/projects/")
    assert r.status_code == 401
    assert "detail" in r.json()
    assert r.headers.get("WWW-Authenticate")


def test_wrong_key_is_401(anon, db):
    anon.credentials(HTTP_X_CEKURA_API_KEY="sk_scn_nope")
    assert anon.get("/user/v1/projects/").status_code == 401


def test_key_sees_only_its_project(tenant, other_tenant):
    body = tenant.client.get("/user/v1/projects/").json()
    assert [p["name"] for p in body["results"]] == ["Tenant A"]
    assert tenant.client.get(f"/user/v1/projects/{other_tenant.project.pk}/").status_code == 404


def test_bearer_header_accepted(tenant, anon):
    anon.credentials(HTTP_AUTHORIZATION=f"Bearer {tenant.key}")
    assert anon.get("/user/v1/projects/").status_code == 200


def test_keys_are_hashed_at_rest(tenant):
    from scenarist.accounts.models import ApiKey

    stored = ApiKey.objects.get(project=tenant.project)
    assert tenant.key not in (stored.hashed_key, stored.prefix)
    assert len(stored.hashed_key) == 64


def test_deeply_nested_json_is_a_400_not_a_500(api):
    body = "[" * 20000 + "]" * 20000
    r = api.post("/test_framework/v1/aiagents/", data=body, content_type="application/json")
    assert r.status_code == 400
    assert "detail" in r.json()


def test_unrouted_path_is_json_404(api):
    r = api.get("/test_framework/v1/aiagents/abc/tools/")
    assert r.status_code == 404
    assert r.json() == {"detail": "Not found."}


def test_missing_rows_answer_in_drf_wording(api):
    r = api.get("/test_framework/v1/aiagents/999999/")
    assert r.status_code == 404 and r.json() == {"detail": "Not found."}
