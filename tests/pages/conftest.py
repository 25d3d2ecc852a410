"""Browser fixtures: a live `scenarist serve --demo` on the test database and a real Chromium driven by Playwright."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from tests.support.processes import ProcessGroup, free_port, job_env, wait_for, wait_http

# Playwright's sync API keeps an event loop on this thread; the test's own ORM calls are still plain sync calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
SCREENSHOTS = Path(__file__).parent / "screenshots"
API = "/test_framework/v1"


@dataclass
class Workspace:
    """A running server: its base URL, the demo key and the one-time sign-in link it printed."""

    base: str
    key: str
    link: str
    demo_agent_id: int

    def api(self, key: str | None = None) -> httpx.Client:
        """An HTTP client of the API with a project key (the demo key by default)."""
        return httpx.Client(base_url=self.base + API, headers={"X-CEKURA-API-KEY": key or self.key}, timeout=30)

    def wait_job(self, progress_id: str, timeout: float = 90.0) -> dict:
        """Poll generate-progress until the job ends; returns the last body."""
        with self.api() as api:
            def done():
                body = api.get("/scenarios/generate-progress/", params={"progress_id": progress_id}).json()
                return body if body["status"] in ("completed", "failed", "cancelled") else None
            return wait_for(done, timeout, interval=0.3, what=f"job {progress_id}")


@pytest.fixture
def workspace(transactional_db, job_queue, tmp_path):
    """`scenarist serve --demo` on a free port (API + worker + pages), stopped after the test."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: install the OS package `chromium` (`.ci/run` does it)")
    port = free_port()
    env = job_env(job_queue, SCENARIST_DATA_DIR=str(tmp_path / "data"), SCENARIST_WORKER_THREADS="2")
    with ProcessGroup(tmp_path) as group:
        proc = group.start("serve", "--demo", "--port", str(port), env=env)
        printed = wait_for(lambda: re.search(r"(http://\S+/signin/\S+/)", proc.output()), 60, interval=0.1,
                           what="the sign-in link")
        wait_http(port)
        wait_for(lambda: _answers(f"http://127.0.0.1:{port}/signin/"), 60, interval=0.2, what="the sign-in page")
        out = proc.output()
        key = re.search(r"(sk_scn_\S+)", out).group(1)
        agent_id = int(re.search(r"agent #(\d+)", out).group(1))
        yield Workspace(base=f"http://127.0.0.1:{port}", key=key, link=printed.group(1), demo_agent_id=agent_id)


def _answers(url: str) -> bool:
    """The server answers this page with 200 (gunicorn accepted and a worker rendered it)."""
    try:
        return httpx.get(url, timeout=5).status_code == 200
    except httpx.HTTPError:
        return False


@pytest.fixture(scope="module")
def browser():
    """One headless Chromium per test module (the OS package, never a downloaded browser).

    Module scope, not session: Playwright's sync API keeps an event loop running in the main thread while it is
    open, which would make every later `asyncio.run()` of the suite fail."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, workspace):
    """A fresh browser context (no cookies) on the workspace, 1280×860, signed out."""
    context = browser.new_context(base_url=workspace.base, viewport={"width": 1280, "height": 860},
                                  accept_downloads=True)
    context.set_default_timeout(45_000)  # a shared 2-core machine can be slow
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda exc: errors.append(str(exc)))
    yield tab
    context.close()
    assert not errors, f"JavaScript errors on the page: {errors}"


def shot(page, name: str) -> Path:
    """Save a full-page screenshot under tests/pages/screenshots/."""
    SCREENSHOTS.mkdir(exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def sign_in(page, workspace: Workspace, key: str | None = None) -> None:
    """Sign in by pasting a key on the sign-in page."""
    page.goto("/signin/")
    page.fill("#api_key", key or workspace.key)
    page.click("button[type=submit]")
    page.wait_for_url("**/agents/")

