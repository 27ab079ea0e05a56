"""Browser tests: the real system (Rasa, actions, web app) and a real headless Chromium.

Chromium is Debian's (`/usr/bin/chromium`, installed by `make install`), driven by
Playwright for Python; `playwright install` is never needed. Screenshots and
PDFs go to test-artifacts/.
"""

from __future__ import annotations

import asyncio
import shutil
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from bot.review import auth
from tests.e2e.conftest import ARTIFACTS, system  # noqa: F401 - the system fixture, reused
from tests.review.conftest import PASSWORD, in_db

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync",
]
SHOTS = ARTIFACTS / "browser"


@pytest.fixture(scope="module")
def browser_context():
    """A fresh Chromium profile for the module; closed (and its profile removed) afterwards."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: run `make install` (it installs Debian's chromium)")
    from playwright.sync_api import sync_playwright

    SHOTS.mkdir(parents=True, exist_ok=True)
    profile = tempfile.mkdtemp(prefix="wm-chromium-")
    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            profile, executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS,
            viewport={"width": 1200, "height": 900},
        )
        try:
            yield context
        finally:
            context.close()
            shutil.rmtree(profile, ignore_errors=True)


def create_staff(settings, email: str, role: str = "linkworker") -> None:
    """Create an account with the review app's own function (in a thread: Playwright owns this one's loop)."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(asyncio.run, in_db(settings, lambda s: auth.create_user(s, email, role, PASSWORD))).result()


def sign_in(page, base: str, email: str) -> None:
    page.goto(f"{base}/login")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/queue")


AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def wcag_violations(page) -> list[str]:
    """axe-core's WCAG 2.2 A/AA findings on the page (empty when clean)."""
    if not AXE.exists():
        pytest.fail(f"axe-core not found at {AXE}: run `npm ci` (make install does)")
    page.evaluate(AXE.read_text(encoding="utf-8"))
    return page.evaluate(
        "async (tags) => (await axe.run(document, {runOnly: tags})).violations"
        ".map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).join(', '))",
        WCAG_TAGS,
    )
