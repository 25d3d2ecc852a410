"""Personalities: the global catalogue, project-owned rows, read-only globals, isolation."""

from scenarist.catalog.models import Personality
from scenarist.catalog.services import default_personality

URL = "/test_framework/v1/personalities/"


def test_global_catalogue_is_seeded_with_a_single_default(api):
    body = api.get(URL).json()
    assert isinstance(body, list)
    names = {row["name"] for row in body}
    for expected in ("Normal Male", "Normal Female", "Interrupter", "Normal Male - Bg Noise", "Slow Speaker",
                     "Fast Impatient", "Elderly Caller", "Non-native Accent", "Angry Customer", "Confused Caller",
                     "Normal Spanish Male", "Spanglish"):
        assert expected in names
    assert len(body) >= 12
    defaults = [row for row in body if row["is_default"]]
    assert [row["name"] for row in defaults] == ["Normal Male"]
    assert all(row["is_global"] and row["project"] is None for row in body)
    moods = {row["mood"] for row in body}
    assert {"neutral", "impatient", "angry", "confused", "friendly"} <= moods
    spanish = next(row for row in body if row["name"] == "Normal Spanish Male")
    assert spanish["language"] == "es"
    accent = next(row for row in body if row["name"] == "Non-native Accent")
    assert accent["accent"] == "Indian"


def test_language_filter(api):
    body = api.get(URL, {"language": "es"}).json()
    assert body and all(row["language"] == "es" for row in body)


def test_create_own_personality_listed_with_globals(api, tenant):
    r = api.post(URL, {"name": "Whisperer", "language": "en", "speed": 0.8, "mood": "anxious"}, format="json")
    assert r.status_code == 201, r.json()
    created = r.json()
    assert created["project"] == tenant.project.pk and created["is_global"] is False
    assert created["voice_model"] == "sonic-3"
    ids = [row["id"] for row in api.get(URL).json()]
    assert created["id"] in ids
    r = api.patch(f"{URL}{created['id']}/", {"prompt": "Speak softly."}, format="json")
    assert r.status_code == 200 and r.json()["prompt"] == "Speak softly."
    assert api.delete(f"{URL}{created['id']}/").status_code == 204


def test_global_personality_is_read_only(api):
    normal = Personality.objects.get(project=None, name="Normal Male")
    assert api.get(f"{URL}{normal.pk}/").status_code == 200
    r = api.patch(f"{URL}{normal.pk}/", {"name": "Hacked"}, format="json")
    assert r.status_code == 403
    assert r.json() == {"detail": "Global personalities cannot be modified."}
    assert api.delete(f"{URL}{normal.pk}/").status_code == 403
    normal.refresh_from_db()
    assert normal.name == "Normal Male"


def test_validation_errors_name_the_field(api):
    r = api.post(URL, {"name": "X", "language": "xx", "speed": 9, "provider": "acme"}, format="json")
    assert r.status_code == 400
    assert {"language", "speed", "provider"} <= set(r.json())
    assert "name" in api.post(URL, {}, format="json").json()


def test_project_default_overrides_global_default(api, tenant):
    assert default_personality(tenant.project).name == "Normal Male"
    first = api.post(URL, {"name": "Ours", "is_default": True}, format="json").json()
    second = api.post(URL, {"name": "Ours 2", "is_default": True}, format="json").json()
    assert default_personality(tenant.project).pk == second["id"]
    assert api.get(f"{URL}{first['id']}/").json()["is_default"] is False


def test_isolation(api, other_tenant):
    foreign = other_tenant.client.post(URL, {"name": "Theirs"}, format="json").json()
    assert foreign["id"] not in [row["id"] for row in api.get(URL).json()]
    assert api.get(f"{URL}{foreign['id']}/").status_code == 404
    assert api.patch(f"{URL}{foreign['id']}/", {"name": "x"}, format="json").status_code == 404
    assert api.delete(f"{URL}{foreign['id']}/").status_code == 404


def test_requires_key(anon, db):
    assert anon.get(URL).status_code == 401
