"""Suites in the browser: filters, open/edit/save a scenario (seen through the API), bulk move, tag, export, delete."""

from __future__ import annotations

import yaml

from .conftest import shot, sign_in


def _generate(workspace, n: int, **extra) -> list[dict]:
    """Scenarios made through the API (a real job on the live worker)."""
    with workspace.api() as api:
        started = api.post("/scenarios/generate-bg/", json={"agent_id": workspace.demo_agent_id, "num_scenarios": n,
                                                             **extra})
        assert started.status_code == 200, started.text
    body = workspace.wait_job(started.json()["progress_id"])
    assert body["completed_scenarios"] == n
    return body["scenarios_list"]


def test_open_edit_save_then_bulk_move_tag_export_and_delete(page, workspace):
    scenarios = _generate(workspace, 4, tags=["regression"])
    first = scenarios[0]
    sign_in(page, workspace)
    page.click("header >> text=Suites")
    assert page.locator("input[name=ids]").count() == 4
    page.select_option("select[name=tag]", "regression")
    page.fill("input[name=q]", first["name"])
    page.click("button:has-text('Filter')")
    assert page.locator("input[name=ids]").count() >= 1
    page.click(f"a:has-text('{first['name']}')")
    page.wait_for_url(f"**/scenarios/{first['id']}/")
    assert first["instructions"][:40] in page.locator("#instructions").inner_text()
    assert "Provenance" in page.content() and "Test profile" in page.content()
    shot(page, "scenario")

    page.click("text=Edit")
    page.fill("#folder_path", "No.Such.Folder")
    page.click("button:has-text('Save')")
    assert "does not exist" in page.locator("#folder_path + .errors").inner_text()
    page.fill("#folder_path", "")
    page.fill("#instructions", "Call to move the cleaning to Friday; give your date of birth when asked.")
    page.fill("#tags", "regression, edited")
    page.click("button:has-text('Save')")
    page.wait_for_url(f"**/scenarios/{first['id']}/")
    with workspace.api() as api:
        saved = api.get(f"/scenarios/{first['id']}/").json()
    assert saved["instructions"] == "Call to move the cleaning to Friday; give your date of birth when asked."
    assert saved["tags"] == ["regression", "edited"]

    page.goto("/suites/")
    page.click("button[value=move]")  # nothing selected
    assert "Select at least one scenario" in page.locator(".errors").inner_text()
    ids = [s["id"] for s in scenarios[1:3]]
    for pk in ids:
        page.check(f"input[name=ids][value='{pk}']")
    page.fill("input[name=folder_path]", "bad..path")
    page.click("button[value=move]")
    assert "Folder names may not be blank" in page.locator(".errors[data-field=folder_path]").inner_text()
    for pk in ids:
        page.check(f"input[name=ids][value='{pk}']")
    page.fill("input[name=folder_path]", "Regression.Nightly")
    page.click("button[value=move]")
    page.wait_for_selector("h2:has-text('Regression.Nightly')")
    with workspace.api() as api:
        moved = api.get("/scenarios/", params={"folder_path": "Regression.Nightly"}).json()["results"]
    assert sorted(s["id"] for s in moved) == sorted(ids)

    for pk in ids:
        page.check(f"input[name=ids][value='{pk}']")
    page.fill("input[name=tag]", "release-1")
    page.click("button[value=tag]")
    page.wait_for_selector("td .tag:has-text('release-1')")
    shot(page, "suites")

    for pk in ids:
        page.check(f"input[name=ids][value='{pk}']")
    page.select_option("select[name=format]", "yaml")
    with page.expect_download() as download:
        page.click("button[value=export]")
    suite = yaml.safe_load(open(download.value.path()).read())
    assert [r["id"] for r in suite["scenarios"]] == sorted(ids)
    assert all(r["folder_path"] == "Regression.Nightly" and "release-1" in r["tags"] for r in suite["scenarios"])

    page.goto("/suites/")  # a download leaves the page (and its ticks) as it was: start from a fresh list
    page.check(f"input[name=ids][value='{scenarios[3]['id']}']")
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("button[value=delete]")
    page.wait_for_load_state()
    assert page.locator("input[name=ids]").count() == 3
    with workspace.api() as api:
        assert api.get(f"/scenarios/{scenarios[3]['id']}/").status_code == 404
