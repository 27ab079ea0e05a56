"""Headless Chromium (Debian's, driven by Playwright) and the WCAG check with axe-core."""

from __future__ import annotations

import asyncio
import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from bot.settings import PROJECT_ROOT
from tests.support.review import PASSWORD, add_intake, add_user, current_code
from tests.support.system import ARTIFACTS

CHROMIUM = Path("/usr/bin/chromium")


CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


SHOTS = ARTIFACTS / "browser"
WIDGET_SHOTS = ARTIFACTS / "widget"


def in_thread(work):
    """Run a coroutine to the end in a thread of its own: Playwright owns this thread's loop."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, work).result()


def create_staff(settings, email: str, role: str = "linkworker") -> None:
    """Create an account the way the review app's tests do (an admin gets an authenticator)."""
    in_thread(add_user(settings, email, role))


def create_intake(settings, answers=None) -> int:
    """A submitted intake saved as the actions save one (Mrs C's unless other answers are given)."""
    return in_thread(add_intake(settings, answers))


def sign_in(page, base: str, email: str, settings=None) -> None:
    """Sign in through the form; an admin types the code their authenticator shows (from `settings`)."""
    page.goto(f"{base}/login")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r".*/(queue|login/code)(\?.*)?$"))
    if "/login/code" in page.url:
        page.fill("#code", in_thread(current_code(settings, email)))
        page.get_by_role("button", name="Continue").click()
    page.wait_for_url(f"{base}/queue")


AXE = PROJECT_ROOT / "node_modules" / "axe-core" / "axe.min.js"


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
