"""Community offers in a real browser: Mrs C's summary shows a walking group first with why, the link
worker marks it taken up; the directory page searches and filters; both pages pass axe-core's WCAG checks."""

from __future__ import annotations

import pytest

from bot.db.engine import create_engine, session_factory
from bot.directory import sync
from tests.review.test_offers import MRS_C
from tests.support.browser import SHOTS, create_intake, create_staff, in_thread, sign_in, wcag_violations

pytestmark = pytest.mark.slow


async def _load_sample(settings) -> None:
    engine = create_engine(settings)
    try:
        await sync.sync(session_factory(engine), str(sync.SAMPLE), name=sync.SAMPLE_SOURCE)
    finally:
        await engine.dispose()


def test_offers_on_the_summary_and_the_directory_page(system, browser_context):
    settings = system.settings
    base = f"http://{settings.web_host}:{settings.web_port}"
    in_thread(_load_sample(settings))
    create_staff(settings, "offers@example.org")
    intake_id = create_intake(settings, MRS_C)
    page = browser_context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" and "axe" not in m.text else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    sign_in(page, base, "offers@example.org")

    page.goto(f"{base}/intakes/{intake_id}")
    cards = page.locator(".wm-offer")
    assert 3 <= cards.count() <= 5
    first = cards.first
    assert "Gentle Strolls for Beginners" in first.inner_text()
    assert "Someone can go with them the first time" in first.locator(".wm-why").inner_text()
    page.fill("#near", "QW3")
    page.get_by_role("button", name="Show offers near there").click()
    page.wait_for_url(f"{base}/intakes/{intake_id}?near=QW3")
    assert "km from QW3" in page.locator("#offer-list").inner_text()
    page.locator(".wm-offer").first.get_by_role("button", name="Mark: taken up").click()
    page.wait_for_selector("#action-message")
    assert "Your decision on the offer has been recorded." in page.inner_text("#action-message")
    assert "Taken up" in page.inner_text("#offer-decisions")
    assert page.locator("#near").input_value() == "QW3", "the place is kept after a decision"
    page.locator("#offers").screenshot(path=str(SHOTS / "20-offers.png"))
    assert wcag_violations(page) == []

    page.emulate_media(media="print")
    assert not page.locator("#offers").is_visible(), "the printout is the summary, not the offers"
    page.emulate_media(media="screen")

    page.get_by_role("link", name="Directory").click()
    page.wait_for_selector("#services")
    page.fill("#q", "food")
    page.check("#free")
    page.get_by_role("button", name="Search").click()
    page.wait_for_selector("#services")
    names = page.locator("#services tbody tr").all_inner_texts()
    assert names and all("Free" in row for row in names)
    page.screenshot(path=str(SHOTS / "21-directory.png"), full_page=True)
    assert wcag_violations(page) == []
    page.locator("#services tbody a").first.click()
    page.wait_for_selector("#service-name")
    assert "sample:wyvernbury" in page.inner_text("main")
    assert wcag_violations(page) == []
    assert not errors, errors
