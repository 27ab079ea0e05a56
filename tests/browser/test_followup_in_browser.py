"""The follow-up in a real browser, as the person sees it: their link opens a short chat that works
without script, one question at a time, ending with the team's thanks; the link worker then sees
baseline beside follow-up. Every page passes axe-core's WCAG checks."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.db.engine import in_transaction
from bot.db.models import Intake
from bot.outcomes import followups
from tests.review.test_followup import BY_EMAIL
from tests.support.browser import SHOTS, create_intake, create_staff, in_thread, sign_in, wcag_violations

pytestmark = pytest.mark.slow


def _sent_follow_up(settings, intake_id: int) -> str:
    """A follow-up sent by e-mail (the e-mail itself is tests/review/test_followup.py's): its link's token."""
    token, digest = followups.new_token()

    async def work(session):
        intake = (await session.execute(select(Intake).where(Intake.id == intake_id))).scalar_one()
        await followups.schedule(session, intake, "lw@example.org", 12)
        row = await followups.of_intake(session, intake_id)
        assert await followups.mark_sent(session, row.id, digest, None)

    in_thread(in_transaction(settings, work))
    return token


def test_a_person_answers_their_follow_up_and_the_link_worker_sees_the_change(system, browser_context):
    settings = system.settings
    base = f"http://{settings.web_host}:{settings.web_port}"
    create_staff(settings, "followup@example.org")
    intake_id = create_intake(settings, BY_EMAIL)
    token = _sent_follow_up(settings, intake_id)
    page = browser_context.new_page()
    errors: list[str] = []
    expected = ("axe", "status of 400")  # the empty answer's page is a 400, as it should be
    page.on(
        "console",
        lambda m: errors.append(m.text) if m.type == "error" and not any(e in m.text for e in expected) else None,
    )

    page.goto(f"{base}/f/{token}")
    assert wcag_violations(page) == []
    page.get_by_role("button", name="Start").click()
    page.wait_for_selector("textarea")
    assert "how satisfied are you with your life nowadays" in page.inner_text("main")
    assert wcag_violations(page) == []
    page.get_by_role("button", name="Send").click()
    page.wait_for_selector("#message-error")
    assert "Type your answer" in page.inner_text("#message-error")
    assert wcag_violations(page) == []
    for answer in ("8", "7", "7", "3", "I walk with the group every Tuesday", "yes"):
        page.get_by_label("Your answer").fill(answer)
        page.get_by_role("button", name="Send").click()
        page.wait_for_load_state()
    assert "Your answers go to the team" in page.inner_text("main")
    assert page.locator("textarea").count() == 0
    page.screenshot(path=str(SHOTS / "30-followup-done.png"), full_page=True)
    assert wcag_violations(page) == []

    staff = browser_context.new_page()
    sign_in(staff, base, "followup@example.org")
    staff.goto(f"{base}/intakes/{intake_id}")
    assert "8/10 (high)" in staff.inner_text("#fu-now-life_satisfaction")
    assert "-1 (better)" in staff.inner_text("#fu-change-anxious")
    staff.locator("#followup").screenshot(path=str(SHOTS / "31-followup-summary.png"))
    assert wcag_violations(staff) == []
    assert not errors, errors


def test_a_link_worker_records_answers_heard_on_the_phone_and_sees_the_change(system, browser_context):
    """Mrs C chose phone calls: no follow-up message goes, so the link worker asks her and records it."""
    settings = system.settings
    base = f"http://{settings.web_host}:{settings.web_port}"
    create_staff(settings, "phone@example.org")
    intake_id = create_intake(settings)
    browser_context.clear_cookies()  # the module's profile may still hold another test's staff session
    staff = browser_context.new_page()
    errors: list[str] = []
    expected = ("axe", "status of 400")  # the form sent with a mistake comes back as a 400, as it should
    staff.on(
        "console",
        lambda m: errors.append(m.text) if m.type == "error" and not any(e in m.text for e in expected) else None,
    )
    sign_in(staff, base, "phone@example.org")
    staff.goto(f"{base}/intakes/{intake_id}")
    staff.get_by_role("button", name="Claim").click()
    staff.wait_for_load_state()
    staff.select_option("#outcome", "plan_agreed")
    staff.get_by_role("button", name="Close", exact=True).click()
    staff.wait_for_selector("#phone-answers")
    assert "No follow-up message" in staff.inner_text("#followup-status")
    assert wcag_violations(staff) == []

    staff.get_by_text("Record answers they gave on the phone").click()
    staff.get_by_label("Life satisfaction").fill("11")
    staff.get_by_role("button", name="Save their answers").click()
    staff.wait_for_selector("#phone-error-summary")
    assert "whole number from 0 to 10" in staff.inner_text("#phone-error-summary")
    assert "whole number from 0 to 10" in staff.inner_text("#phone-life_satisfaction-error")
    staff.locator("#followup").screenshot(path=str(SHOTS / "32-followup-by-phone-form.png"))
    assert wcag_violations(staff) == []

    staff.get_by_label("Life satisfaction").fill("8")
    staff.get_by_label("Anxiety yesterday").fill("3")
    staff.get_by_label("What has changed, in their words (optional)").fill("I walk with the group on Tuesdays")
    staff.get_by_label("Partly").check()
    staff.get_by_role("button", name="Save their answers").click()
    staff.wait_for_selector("#followup-ons")
    assert "Answered (phone call)" in staff.inner_text("#followup-status")
    assert "Sent" not in staff.inner_text("#followup-status")
    assert "8/10 (high)" in staff.inner_text("#fu-now-life_satisfaction")
    assert "-1 (better)" in staff.inner_text("#fu-change-anxious")
    assert "Not answered" in staff.inner_text("#fu-now-happy")
    assert "Partly" in staff.inner_text("#fu-took-up")
    staff.locator("#followup").screenshot(path=str(SHOTS / "33-followup-by-phone.png"))
    assert wcag_violations(staff) == []
    assert not errors, errors
