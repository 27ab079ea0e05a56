"""A link worker's morning in a real browser: sign in, see a new intake arrive, claim it,
read the summary, add a note, close it; a risk disclosure tops the queue, marked urgent."""

from __future__ import annotations

import re

import pytest

from bench.patients import MRS_C, MRS_C_BARRIERS, answering
from tests.support.browser import SHOTS, create_staff, sign_in, wcag_violations
from tests.support.system import Patient

pytestmark = pytest.mark.slow

RISK = "Some days I don't want to be here any more"


def _no_console_errors(page, errors):
    assert not errors, errors


def test_a_link_worker_works_mrs_c_and_sees_risk_on_top(system, browser_context):
    settings = system.settings
    base = f"http://{settings.web_host}:{settings.web_port}"
    create_staff(settings, "lw@example.org")
    create_staff(settings, "admin@example.org", "admin")
    page = browser_context.new_page()
    errors: list[str] = []
    # axe-core (run below) trips the CSP with its own inline styles: not our pages' errors.
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" and "axe" not in m.text else None)
    page.on("pageerror", lambda e: errors.append(str(e)))

    sign_in(page, base, "lw@example.org")
    assert "Nothing here" in page.inner_text("#queue-live")
    page.evaluate("window.__stillTheSamePage = true")

    # Mrs C finishes her intake while the queue page is open: it appears without a reload.
    Patient(settings).converse(answering(MRS_C))
    row = page.locator("#queue-live tbody tr").first
    row.wait_for(timeout=20000)
    assert page.evaluate("window.__stillTheSamePage === true")
    assert "Carol" in row.inner_text() and "Physical activity and weight" in row.inner_text()
    assert "Queue updated" in page.inner_text("#queue-announcer")
    page.screenshot(path=str(SHOTS / "01-queue-new-intake.png"), full_page=True)

    # Claim it and read the summary.
    row.get_by_role("link", name="Carol").click()
    page.get_by_role("button", name="Claim").click()
    page.wait_for_selector("#action-message")
    assert "Claimed by you" in page.inner_text("#assignee")
    assert page.inner_text("#barriers") == MRS_C_BARRIERS
    assert "Yes, wants someone to go with them" in page.inner_text("#wants-company")
    assert page.inner_text("#ons-anxious") == "4/10"
    page.screenshot(path=str(SHOTS / "02-summary-claimed.png"), full_page=True)
    assert wcag_violations(page) == []
    intake_url = page.url.split("?")[0]
    intake_id = int(re.search(r"/intakes/(\d+)", intake_url).group(1))

    # A clean one-page printout.
    page.emulate_media(media="print")
    pdf = page.pdf(path=str(SHOTS / "03-summary.pdf"), format="A4", print_background=True)
    page.emulate_media(media="screen")
    assert len(re.findall(rb"/Type\s*/Page[^s]", pdf)) == 1

    # Keyboard only: the note box is reachable and the note is saved.
    page.fill("#note", "Called Carol: first walk together on Tuesday.")
    page.focus("#note")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.wait_for_selector(".wm-note")
    assert "lw@example.org" in page.inner_text(".wm-note__meta")
    page.get_by_role("button", name="Mark as contacted").click()
    page.select_option("#outcome", "plan_agreed")
    page.get_by_role("button", name="Close").click()
    assert page.inner_text("#status") == "Closed"
    page.screenshot(path=str(SHOTS / "04-closed.png"), full_page=True)

    # A risk disclosure mid-intake becomes the top row, marked urgent, without a reload.
    page.goto(f"{base}/queue")
    page.evaluate("window.__stillTheSamePage = true")
    patient = Patient(settings)
    patient.say("hello")
    patient.say(RISK)
    top = page.locator("#queue-live tbody tr").first
    page.wait_for_selector("#queue-live tbody tr.wm-urgent", timeout=20000)
    assert page.evaluate("window.__stillTheSamePage === true")
    assert "Urgent" in top.inner_text() and "Safeguarding" in top.inner_text()
    assert "wm-urgent" in top.get_attribute("class")
    page.screenshot(path=str(SHOTS / "05-urgent-on-top.png"), full_page=True)
    assert wcag_violations(page) == []
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=str(SHOTS / "06-queue-phone.png"), full_page=True)
    page.set_viewport_size({"width": 1200, "height": 900})

    # The admin sees the link worker's view of Mrs C's summary in the audit log.
    # An admin signs in with a password and the code of their authenticator app.
    page.get_by_role("button", name="Sign out").click()
    sign_in(page, base, "admin@example.org", settings)
    assert "auth.second_factor" not in page.content()
    page.goto(f"{base}/admin/audit?action=auth.sign_in")
    assert "second_factor: True" in page.locator(".wm-audit").inner_text()
    page.goto(f"{base}/admin/audit?action=intake.view_summary&intake={intake_id}")
    rows = page.locator(".wm-audit tbody tr")
    assert rows.count() >= 1
    assert "lw@example.org" in rows.first.inner_text() and "intake.view_summary" in rows.first.inner_text()
    page.screenshot(path=str(SHOTS / "07-audit-log.png"), full_page=True)
    assert wcag_violations(page) == []
    _no_console_errors(page, errors)
