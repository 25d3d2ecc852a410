"""Phone numbers: E.164 validation, bare-array list, isolation."""

URL = "/test_framework/v1/phone-numbers/"


def test_crud(api, tenant):
    r = api.post(URL, {"number": "+14155550123", "name": "Main line"}, format="json")
    assert r.status_code == 201, r.json()
    row = r.json()
    assert row["project"] == tenant.project.pk
    assert api.get(URL).json() == [row]
    r = api.patch(f"{URL}{row['id']}/", {"name": "Support"}, format="json")
    assert r.json()["name"] == "Support"
    assert api.delete(f"{URL}{row['id']}/").status_code == 204
    assert api.get(URL).json() == []


def test_e164_is_enforced(api):
    for bad in ("4155550123", "+0123456789", "+1 415 555", "+1234", "+1234567890123456", "abc"):
        r = api.post(URL, {"number": bad}, format="json")
        assert r.status_code == 400 and "number" in r.json(), bad


def test_duplicate_number_rejected(api):
    assert api.post(URL, {"number": "+14155550123"}).status_code == 201
    assert "number" in api.post(URL, {"number": "+14155550123"}).json()


def test_isolation(api, other_tenant):
    foreign = other_tenant.client.post(URL, {"number": "+14155550199"}, format="json").json()
    assert api.get(URL).json() == []
    assert api.get(f"{URL}{foreign['id']}/").status_code == 404
    assert api.delete(f"{URL}{foreign['id']}/").status_code == 404
