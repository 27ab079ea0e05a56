"""Headless Chromium (Debian's, driven by Playwright) and the WCAG check with axe-core."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from bot.review import auth
from bot.settings import PROJECT_ROOT
from tests.support.review import PASSWORD, in_db
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
