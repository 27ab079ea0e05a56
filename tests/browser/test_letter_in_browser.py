"""The letter to the GP practice on paper: a link worker closes Mrs C's item with what was offered
and what she took up, opens the letter from the summary and prints it with Chromium: one A4 page,
two at most when the recorded words are long; the letter alone, without the app around it."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from tests.support.browser import SHOTS, create_intake, create_staff, sign_in, wcag_violations
from tests.support.review import MRS_C_ANSWERS

pytestmark = pytest.mark.slow

OFFERED = "A walking group on Tuesdays at Riverside Park, and a place on the weight management course."
TAKEN_UP = "The walking group: her first walk is on 14 April, with a volunteer to go with her."


def _close_and_print(page, base: str, intake_id: int, offered: str, taken_up: str, name: str) -> tuple[int, str]:
    """Claim, close with the two texts, follow the summary's link to the letter and print it to PDF."""
    page.goto(f"{base}/intakes/{intake_id}")
    page.get_by_role("button", name="Claim").click()
    page.wait_for_selector("#action-message")
    page.select_option("#outcome", "plan_agreed")
    page.fill("#offered", offered)
    page.fill("#taken_up", taken_up)
    page.get_by_role("button", name="Close").click()
    page.wait_for_selector("#letter-link")
    assert page.inner_text("#status") == "Closed" and page.inner_text("#taken-up-text") == taken_up
    page.click("#letter-link")
    page.wait_for_selector("#letter-title")
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)
    page.emulate_media(media="print")
    assert not page.locator(".nhsuk-header").is_visible() and not page.locator("#letter-pdf").is_visible()
    pdf = page.pdf(path=str(SHOTS / f"{name}.pdf"), format="A4", print_background=True)
    page.emulate_media(media="screen")
    reader = PdfReader(io.BytesIO(pdf))
    return len(reader.pages), "\n".join(p.extract_text() for p in reader.pages)


def test_the_letter_prints_on_one_a4_page_and_two_at_most(system, browser_context):
    settings = system.settings
    base = f"http://{settings.web_host}:{settings.web_port}"
    create_staff(settings, "letters@example.org")
    page = browser_context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" and "axe" not in m.text else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    sign_in(page, base, "letters@example.org")

    pages, text = _close_and_print(page, base, create_intake(settings), OFFERED, TAKEN_UP, "10-letter")
    assert pages == 1, text
    for expected in [
        "What matters to Carol",
        "keep my blood pressure down",
        "weight management course",
        "871731000000106",
    ]:
        assert expected in text, expected
    assert "Sign out" not in text and "Print this letter" not in text and "Back to the summary" not in text
    assert wcag_violations(page) == []

    # Long words everywhere (what matters, offered, taken up): still two pages at most.
    said = " ".join(["Since my husband died the days are long and I don't go out much any more."] * 6)
    long_offer = "\n".join(
        f"{n}. A weekly group at the community centre, with a volunteer to go along." for n in range(1, 13)
    )
    intake_id = create_intake(settings, {**MRS_C_ANSWERS, "what_matters": ("lonely", said)})
    pages, text = _close_and_print(page, base, intake_id, long_offer, long_offer[:600], "11-letter-long")
    assert 1 <= pages <= 2 and "12. A weekly group" in text, pages
    assert not errors, errors
