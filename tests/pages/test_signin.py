"""Sign-in: the link printed by `serve --demo` works once; keys in the session; logout; another project's ids → 404."""

from __future__ import annotations

from scenarist.accounts.services import create_project

from .conftest import shot, sign_in


def test_printed_link_signs_in_once_and_logout_ends_the_session(page, workspace):
    response = page.goto("/")
    assert page.url.endswith("/signin/")
    shot(page, "signin")

    page.goto(workspace.link)
    page.wait_for_url("**/agents/")
    assert page.locator("header .who").inner_text().startswith("Demo")
    assert page.get_by_role("link", name="Bright Smile Dental — front desk").is_visible()
    shot(page, "agents")

    page.click("text=Sign out")
    page.wait_for_url("**/signin/")
    response = page.goto("/agents/")
    assert "/signin/" in page.url and response.status == 200

    response = page.goto(workspace.link)  # the link is spent
    assert response.status == 400
    assert "already used or has expired" in page.locator(".errors").inner_text()


def test_wrong_key_is_answered_next_to_the_field(page, workspace):
    page.goto("/signin/")
    page.fill("#api_key", "sk_scn_not-a-key")
    page.click("button[type=submit]")
    assert "unknown or revoked" in page.locator("#api_key + .errors").inner_text()
    sign_in(page, workspace)
    assert page.url.endswith("/agents/")


def test_second_projects_key_cannot_open_the_first_projects_pages(page, workspace):
    with workspace.api() as api:
        started = api.post("/scenarios/generate-bg/", json={"agent_id": workspace.demo_agent_id, "num_scenarios": 2})
        assert started.status_code == 200, started.text
        progress_id = started.json()["progress_id"]
        workspace.wait_job(progress_id)
        scenario_id = api.get("/scenarios/", params={"agent_id": workspace.demo_agent_id}).json()["results"][0]["id"]
        clean = api.post("/metrics/generate_clean_description_bg/", json={
            "agent": workspace.demo_agent_id, "metric_description": "verify before booking", "eval_type": "boolean"})
        clean_id = clean.json()["progress_id"]
    _, other_key = create_project("Intruder")
    sign_in(page, workspace, other_key)

    agent = workspace.demo_agent_id
    for path in (f"/agents/{agent}/", f"/agents/{agent}/coverage/", f"/scenarios/{scenario_id}/",
                 f"/scenarios/{scenario_id}/edit/", f"/jobs/{progress_id}/", f"/jobs/{progress_id}/progress/",
                 f"/metrics/clean/{clean_id}/", f"/metrics/clean/{clean_id}/progress/"):
        response = page.goto(path)
        assert response.status == 404, path
        assert "Nothing with this id exists" in page.content()
    page.goto("/suites/")
    assert "No scenarios" in page.locator("main").inner_text()
    shot(page, "not-found")

    # Writes aimed at the first project's rows are refused the same way.
    request = page.context.request
    token = page.context.cookies()
    csrf = next(c["value"] for c in token if c["name"] == "csrftoken")
    headers = {"X-CSRFToken": csrf, "Referer": workspace.base + "/suites/"}
    for path in (f"/scenarios/{scenario_id}/delete/", f"/agents/{agent}/tools/", f"/agents/{agent}/coverage/generate/",
                 f"/jobs/{progress_id}/cancel/", f"/metrics/clean/{clean_id}/save/"):
        assert request.post(workspace.base + path, headers=headers, form={"name": "x"}).status == 404, path
    bulk = request.post(workspace.base + "/suites/bulk/", headers=headers,
                        form={"ids": str(scenario_id), "action": "delete"})
    assert bulk.status == 400 and "Select at least one scenario" in bulk.text()
    with workspace.api() as api:
        assert api.get(f"/scenarios/{scenario_id}/").status_code == 200  # still there
