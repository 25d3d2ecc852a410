"""Generate in the browser: the form's errors by field, a 10-scenario job whose bar reaches 10, the jobs list."""

from __future__ import annotations

from .conftest import shot, sign_in


def test_generate_form_then_watch_a_ten_scenario_job_to_the_end(page, workspace):
    sign_in(page, workspace)
    page.click("header >> text=Generate")
    page.fill("#num_scenarios", "0")
    page.select_option("#scenario_type", "red_teaming_voice")
    page.fill("#folder_path", "bad..path")
    page.click("button:has-text('Start generating')")
    assert "greater than or equal to 1" in page.locator("#num_scenarios + .errors").inner_text()
    assert page.locator("#folder_path + .errors").is_visible()
    shot(page, "generate-errors")

    page.fill("#num_scenarios", "10")
    page.fill("#folder_path", "")
    page.click("button:has-text('Start generating')")  # red teaming without an attack type
    assert "required when scenario_type" in page.locator("#attack_type + .errors").inner_text()

    page.select_option("#scenario_type", "workflow")
    page.fill("#tags", "nightly, smoke")
    page.fill("#folder_path", "Suites.Nightly")
    page.check("input[name=tool_ids][value=TOOL_END_CALL]")
    page.click("button:has-text('Start generating')")
    page.wait_for_url("**/jobs/*/")
    progress_id = page.url.rstrip("/").rsplit("/", 1)[1]

    page.wait_for_function("document.querySelector('#job-bar') && document.querySelector('#job-bar').value == 10",
                           timeout=90_000)
    page.wait_for_selector("#job-status:has-text('completed')", timeout=30_000)
    assert page.locator("#job-count").inner_text().startswith("10 / 10")
    assert page.locator("ol.scenarios li a").count() == 10
    assert "Reported when the job ends" not in page.locator("#job-live").inner_text()  # coverage + diversity shown
    shot(page, "job")

    with workspace.api() as api:  # the page started a normal generate-bg job: the API sees the same one
        body = api.get("/scenarios/generate-progress/", params={"progress_id": progress_id}).json()
        assert body["status"] == "completed" and body["completed_scenarios"] == 10
        assert {s["folder_path"] for s in body["scenarios_list"]} == {"Suites.Nightly"}
        assert all({"nightly", "smoke"} <= set(s["tags"]) for s in body["scenarios_list"])
        assert all(s["tool_ids"] == ["TOOL_END_CALL"] for s in body["scenarios_list"])

    page.click("header >> text=Jobs")
    row = page.locator("table.list tbody tr").first
    assert "completed" in row.inner_text().lower() and "10 / 10" in row.inner_text()
    shot(page, "jobs")

