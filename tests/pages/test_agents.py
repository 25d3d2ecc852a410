"""Agents in the browser: create an agent and a mock tool, upload a KB file, see the agent model."""

from __future__ import annotations

import json

from .conftest import shot, sign_in

PROMPT = ("You are the receptionist of {{clinic_name}}. Verify the caller (phone, date of birth) with lookup_patient "
          "before booking with book_appointment. Never give medical advice.")


def test_create_agent_and_tool_upload_kb_and_see_what_was_understood(page, workspace, tmp_path):
    sign_in(page, workspace)
    page.click("text=New agent")
    page.fill("#description", PROMPT)
    page.click("button:has-text('Create agent')")
    assert "required" in page.locator("#agent_name + .errors").inner_text()  # next to the field, status 400
    page.fill("#agent_name", "Clinic receptionist")
    page.fill("#contact_number", "12345")
    page.click("button:has-text('Create agent')")
    assert "must start with '+'" in page.locator("#contact_number + .errors").inner_text()
    page.fill("#contact_number", "+14155550100")
    page.click("button:has-text('Create agent')")
    page.wait_for_url("**/agents/*/")
    agent_id = int(page.url.rstrip("/").rsplit("/", 1)[1])
    assert "Clinic receptionist" in page.locator("h1").inner_text()
    assert "clinic_name" in page.locator("#variables").inner_text()

    page.fill("#tool_name", "lookup_patient")
    page.fill("#tool_description", "Find a patient by phone")
    page.fill("#tool_information", "[{not json")
    page.click("button:has-text('Add tool')")
    assert "Not valid JSON" in page.locator("#tool_information + .errors").inner_text()
    rows = [{"input": {"phone": "+447700900123"},
             "output": {"patient_id": "P-1", "full_name": "Ann Lee", "date_of_birth": "1980-02-01"}},
            {"input": {"phone": "+447700900999"}, "output": {"found": False}}]
    page.fill("#tool_information", json.dumps(rows))
    page.click("button:has-text('Add tool')")
    page.wait_for_url(f"**/agents/{agent_id}/#tools")
    assert "lookup_patient" in page.locator("#tools").inner_text()

    page.set_input_files("#kb_files", [])
    page.click("button:has-text('Upload')")
    assert "Choose at least one file" in page.locator("#kb_files + .errors").inner_text()
    bad = tmp_path / "notes.exe"
    bad.write_bytes(b"MZ\x00\x01")
    page.set_input_files("#kb_files", str(bad))
    page.click("button:has-text('Upload')")
    assert "notes.exe" in page.locator("#kb_files + .errors").inner_text()
    faq = tmp_path / "faq.md"
    faq.write_text("# Opening hours\nWe are open Monday to Friday, 8am to 6pm.\n\n# Parking\nFree parking behind the clinic.\n")
    page.set_input_files("#kb_files", str(faq))
    page.click("button:has-text('Upload')")
    page.wait_for_url(f"**/agents/{agent_id}/#kb")
    assert "faq.md" in page.locator("#kb").inner_text()

    model = page.locator("#model").inner_text().lower()
    assert "what scenarist understood" in model and "mock rows by outcome" in model
    assert "lookup_patient" in model  # the tool and its rows reached the agent model

    with workspace.api() as api:  # the API sees exactly what the page created
        agent = api.get(f"/aiagents/{agent_id}/").json()
        assert agent["agent_name"] == "Clinic receptionist" and len(agent["knowledge_base_files"]) == 1
        tools = api.get(f"/aiagents/{agent_id}/tools/").json()["results"]
        assert [t["name"] for t in tools] == ["lookup_patient"] and tools[0]["information"] == rows

    page.goto(f"/agents/{workspace.demo_agent_id}/")
    shot(page, "agent")
