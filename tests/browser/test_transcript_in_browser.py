"""The full conversation as a link worker reads it: every turn in order, the patient's words
shown exactly as typed (markup as text, never run), on a phone and on paper; the view audited."""

from __future__ import annotations

import pytest

from tests.support.browser import SHOTS, create_staff, sign_in, wcag_violations
from tests.support.system import Patient, query

pytestmark = pytest.mark.slow

MARKUP = '<img src=x onerror="window.__injected=1">Carol <b>&amp;</b>'
LONG_WORD = "Lonelinessssssssssssssssssssssssssssssssssssssssssssssssssssssssssssss"


def test_the_transcript_shows_each_turn_in_order_with_markup_as_text(system, browser_context):
    settings = system.settings
    base = f"http://{settings.web_host}:{settings.web_port}"
    create_staff(settings, "reader@example.org")
    patient = Patient(settings)
    said = ["hello", "yes", MARKUP, "Carol", f"I feel lonely since my husband died. {LONG_WORD} 😔"]
    bot_lines: list[str] = []
    for text in said:
        bot_lines += [Patient.text([reply]) for reply in patient.say(text) if reply.get("text")]
    [(intake_id,)] = query(system, "SELECT id FROM intakes WHERE conversation_id=:c", c=patient.sender)

    page = browser_context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" and "axe" not in m.text else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    sign_in(page, base, "reader@example.org")
    page.goto(f"{base}/intakes/{intake_id}/transcript")

    turns = page.locator(".wm-transcript .wm-turn")
    patient_lines = [t.inner_text() for t in page.locator(".wm-turn--patient .wm-turn__text").all()]
    assistant_lines = [t.inner_text() for t in page.locator(".wm-turn--assistant .wm-turn__text").all()]
    assert patient_lines == said
    assert [line.strip() for line in assistant_lines] == [line.strip() for line in bot_lines]
    assert turns.count() == len(said) + len(bot_lines)
    offered = page.locator(".wm-turn--assistant .wm-turn__options").first.inner_text()
    assert offered.startswith("Options offered:") and "Yes" in offered  # the consent question's buttons
    assert "Patient" in turns.first.inner_text() and "Assistant" in turns.nth(1).inner_text()
    assert page.locator(".wm-transcript img, .wm-transcript b").count() == 0
    assert page.evaluate("window.__injected === undefined")
    assert wcag_violations(page) == []

    # On a phone: nothing wider than the screen, however long a word the patient typed.
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.screenshot(path=str(SHOTS / "08-transcript-phone.png"), full_page=True)
    page.set_viewport_size({"width": 1200, "height": 900})

    # On paper: the conversation without the page's navigation.
    page.emulate_media(media="print")
    assert not page.locator(".nhsuk-back-link").is_visible()
    assert page.locator(".wm-transcript").is_visible()
    page.pdf(path=str(SHOTS / "09-transcript.pdf"), format="A4")
    page.emulate_media(media="screen")

    [(actor, action)] = query(
        system,
        "SELECT actor, action FROM audit_events WHERE intake_id=:i AND action='intake.view_transcript'",
        i=intake_id,
    )
    assert actor == "reader@example.org"
    assert not errors, errors
