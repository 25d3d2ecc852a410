"""Metrics (clean a draft live, save it) and coverage (see a gap, generate for it) in the browser."""

from __future__ import annotations

from .conftest import shot, sign_in


def test_clean_a_metric_draft_and_save_it(page, workspace):
    sign_in(page, workspace)
    page.click("header >> text=Metrics")
    page.click("button:has-text('Clean it')")
    assert "may not be blank" in page.locator("#metric_description + .errors").inner_text()
    assert page.locator("#eval_type + .errors").is_visible()

    draft = "agent should verify the caller before booking"
    page.fill("#metric_description", draft)
    page.select_option("#eval_type", "boolean")
    page.click("button:has-text('Clean it')")
    page.wait_for_url("**/metrics/clean/*/")
    page.wait_for_selector("#clean-description", timeout=60_000)
    assert page.locator("#clean-status").inner_text().lower() == "completed"
    assert draft in page.locator("main").inner_text()  # the draft side by side with the result
    clean = page.locator("#clean-description").inner_text().strip()
    assert clean and clean != draft
    assert page.locator("#thinking").inner_text().strip()
    shot(page, "clean")

    page.click("button:has-text('Save as metric')")
    assert page.locator("#metric_name + .errors").is_visible()
    page.fill("#metric_name", "Verifies caller before booking")
    page.click("button:has-text('Save as metric')")
    page.wait_for_url("**/metrics/#saved")
    assert "Verifies caller before booking" in page.locator("table.list").inner_text()
    with workspace.api() as api:
        metrics = api.get("/metrics/", params={"page_size": 100}).json()["results"]
    saved = next(m for m in metrics if m["name"] == "Verifies caller before booking")
    assert saved["eval_type"] == "binary" and saved["agents"] == [workspace.demo_agent_id]
    assert saved["description"].strip() == clean


def test_coverage_shows_gaps_and_generates_for_them(page, workspace):
    sign_in(page, workspace)
    page.goto(f"/agents/{workspace.demo_agent_id}/coverage/")
    gaps = int(page.locator("#gap-count").inner_text())
    rows = page.locator("table.matrix tbody tr.gap")
    assert gaps >= 1 and rows.count() == gaps  # no scenarios yet: every item is a gap, highlighted
    first_gap = rows.first.get_attribute("data-item")
    shot(page, "coverage-gaps")

    page.check(f"tr[data-item='{first_gap}'] input[name=gap]")
    page.click("#generate-gaps")
    page.wait_for_url("**/jobs/*/")
    progress_id = page.url.rstrip("/").rsplit("/", 1)[1]
    body = workspace.wait_job(progress_id)
    assert body["status"] == "completed" and body["total_scenarios"] == 1 == body["completed_scenarios"]
    scenario = body["scenarios_list"][0]
    assert "coverage-gap" in scenario["tags"]

    page.goto(f"/agents/{workspace.demo_agent_id}/coverage/")
    assert page.locator("table.matrix thead th.col").count() == 1  # the new scenario is a column
    for item in scenario["provenance"].get("covers") or []:  # what the generator recorded is no longer a gap
        row = page.locator(f"tr[data-item='{item}']")
        if row.count():
            assert row.get_attribute("class") != "gap" and row.locator("td.cell").inner_text() == "●"
    shot(page, "coverage")
