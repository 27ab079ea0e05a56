"""The wellbeing follow-up by e-mail, end to end on each database: closing as supported schedules it;
when due it is sent once through a real SMTP server (aiosmtpd); the person answers through the
single-use link; the link worker sees baseline beside follow-up, in the page and the API. A
disclosure in it reaches the queue as urgent; "no thanks" stops it and every later e-mail."""

from __future__ import annotations

import asyncio
import re
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from bot.db.engine import create_engine, session_factory
from bot.db.models import Flag, FlagKind, Priority, QueueItem, utcnow
from bot.mail.models import MailOutbox
from bot.outcomes import followups
from bot.outcomes.models import FollowUp, FollowUpAnswer
from bot.outcomes.sending import FollowUpSender
from bot.web.api import OPENAPI
from tests.review.test_api_and_cli import _token
from tests.support.review import MRS_C_ANSWERS, add_intake, add_user, audit_actions, csrf_of, in_db, sign_in
from tests.support.smtp import SmtpServer

EMAIL = "carol@example.org"
BY_EMAIL = {
    **MRS_C_ANSWERS,
    "contact_method": ("email", "email please"),
    "contact_detail": (EMAIL, EMAIL),
}
LINK = re.compile(r"https?://[^\s]+/f/([A-Za-z0-9_\-]+)(?=\s)")


@pytest.fixture
def smtp():
    with SmtpServer() as server:
        yield server


@pytest.fixture
def settings(db_settings, smtp):
    return db_settings.with_overrides(
        smtp_host="127.0.0.1",
        smtp_port=smtp.port,
        smtp_security="none",
        mail_from="whatmatters@example.org",
        mail_poll_seconds=0.2,
        mail_retry_base_seconds=0.2,
        mail_retry_max_seconds=0.5,
        followup_poll_seconds=3600,
        sms_invite_url="https://whatmatters.example/start",
    )


async def _rows(settings, model, *where):
    async def work(session):
        return list((await session.execute(select(model).where(*where).order_by(model.id))).scalars())

    return await in_db(settings, work)


async def _make_due(settings, intake_id):
    async def work(session):
        await session.execute(
            update(FollowUp).where(FollowUp.intake_id == intake_id).values(due_at=utcnow() - timedelta(minutes=1))
        )

    await in_db(settings, work)


async def _send_due(settings):
    engine = create_engine(settings)
    try:
        return await FollowUpSender(settings, session_factory(engine), None).send_due()
    finally:
        await engine.dispose()


async def _close_as_supported(client, intake_id, follow_up="yes"):
    queue = await client.get("/queue", allow_redirects=False)
    csrf = csrf_of(await queue.text()) if queue.status == 200 else await sign_in(client, "lw@example.org")
    await client.post(f"/intakes/{intake_id}/claim", data={"csrf_token": csrf})
    closed = await client.post(
        f"/intakes/{intake_id}/close",
        data={
            "csrf_token": csrf,
            "outcome": "plan_agreed",
            "taken_up": "Tuesday walking group",
            "follow_up": follow_up,
        },
        allow_redirects=False,
    )
    assert closed.headers["Location"].endswith("m=closed")
    return csrf


async def _sent_by_email(client, settings, world):
    """Closed as supported, then its follow-up fallen due and sent."""
    await _close_as_supported(client, world)
    await _make_due(settings, world)
    await _send_due(settings)


async def _link_from_email(smtp, count=1):
    [(to, message)] = (await smtp.inbox.until(count))[count - 1 : count]
    assert to == [EMAIL] and "6 short questions" in message["Subject"]
    body = message.get_content()
    token = LINK.search(body).group(1)
    assert "https://whatmatters.example/f/" in body and "/no-thanks" in body
    return token, body


@pytest.fixture
async def world(settings):
    await add_user(settings, "lw@example.org")
    return await add_intake(settings, BY_EMAIL)


async def test_closing_as_supported_sends_one_email_and_the_answers_reach_the_summary(
    client, new_client, settings, smtp, world
):
    await _close_as_supported(client, world)
    page = await (await client.get(f"/intakes/{world}")).text()
    assert 'id="followup-status">Scheduled (e-mail)' in page
    assert ("lw@example.org", "followup.schedule", None) in [
        (a, b, None) for a, b, _ in await audit_actions(settings, world)
    ]

    assert (await _send_due(settings)).sent == 0  # not due for 12 weeks
    await _make_due(settings, world)
    assert (await _send_due(settings)).sent == 1
    assert (await _send_due(settings)).sent == 0  # sent once, however often the sender looks
    token, body = await _link_from_email(smtp)
    assert "Hello Carol" in body
    assert len(await _rows(settings, MailOutbox)) == 1

    scanner = await new_client()  # a mail scanner or link preview opens links: that binds nothing
    assert "Start" in await (await scanner.get(f"/f/{token}")).text()
    person = await new_client()  # the person's own browser: no staff session
    welcome = await person.get(f"/f/{token}")
    assert welcome.status == 200 and welcome.headers["Cache-Control"] == "no-store"
    assert ">Start</button>" in await welcome.text()
    started = await person.post(f"/f/{token}/start", allow_redirects=False)
    assert started.status == 303 and "SameSite=Lax" in started.headers["Set-Cookie"]
    first = await person.get(f"/f/{token}")
    text = await first.text()
    assert "how satisfied are you with your life nowadays" in text
    assert (await scanner.get(f"/f/{token}")).status == 410  # started elsewhere now
    [mail] = await _rows(settings, MailOutbox)
    assert (mail.status, mail.to_address, mail.body) == ("sent", "", "")  # nothing of it kept once sent
    for answer in ("8", "eight", "7", "about a 2", "I walk every Tuesday and I've made friends <3", "yes, most weeks"):
        sent = await person.post(f"/f/{token}", data={"message": answer}, allow_redirects=False)
        assert sent.status == 303
    done = await person.get(f"/f/{token}")
    assert (
        done.status == 200
        and "Your answers go to the team" in await done.text()
        and "<textarea" not in await done.text()
    )
    elsewhere = await (await new_client()).get(f"/f/{token}")
    assert elsewhere.status == 410 and "answered already" in await elsewhere.text()

    [row] = await _rows(settings, FollowUp)
    assert row.status == "answered" and row.answered_at is not None
    answers = {a.question_key: a.value for a in await _rows(settings, FollowUpAnswer)}
    assert answers == {
        "ons_life_satisfaction": 8,
        "ons_worthwhile": 8,
        "ons_happy": 7,
        "ons_anxious": 2,
        "what_changed": "I walk every Tuesday and I've made friends <3",
        "took_up_offer": "yes",
    }
    summary = await (await client.get(f"/intakes/{world}")).text()
    assert 'id="fu-base-life_satisfaction">6/10 (medium)' in summary
    assert 'id="fu-now-life_satisfaction">8/10 (high)' in summary
    assert 'id="fu-change-anxious">-2 (better)' in summary
    assert 'id="fu-base-anxious">4/10 (medium)' in summary and 'id="fu-now-anxious">2/10 (low)' in summary
    assert "made friends &lt;3" in summary and 'id="fu-took-up">Yes' in summary

    api = await new_client()
    headers = await _token(settings, "lw@example.org")
    reply = await api.get(f"/api/v1/intakes/{world}/followup", headers=headers)
    document = await reply.json()
    assert reply.status == 200, document
    assert document["status"] == "answered" and document["took_up_offer"] == "yes"
    happy = next(m for m in document["wellbeing_ons4"] if m["measure"] == "happy")
    assert (happy["baseline"], happy["follow_up"], happy["change"], happy["follow_up_band"]) == (7, 7, 0, "High")
    assert "/intakes/{intake_id}/followup" in OPENAPI["paths"]


async def test_the_link_works_on_the_first_browser_only_and_a_bad_link_says_so(
    client, new_client, settings, smtp, world
):
    await _sent_by_email(client, settings, world)
    token, _ = await _link_from_email(smtp)
    mine, theirs = await new_client(), await new_client()
    assert (await mine.post(f"/f/{token}/start")).status == 200
    other = await theirs.get(f"/f/{token}")
    assert other.status == 410 and "started on another device" in await other.text()
    assert (await theirs.post(f"/f/{token}/start")).status == 410
    forged = await theirs.post(f"/f/{token}", data={"message": "0"}, allow_redirects=False)
    assert forged.status == 410 and await _rows(settings, FollowUpAnswer) == []
    assert (await theirs.get("/f/not-a-real-token")).status == 404
    empty = await mine.post(f"/f/{token}", data={"message": "  "})
    assert empty.status == 400 and "Type your answer" in await empty.text()
    too_long = await mine.post(f"/f/{token}", data={"message": "x" * (settings.max_message_chars + 1)})
    assert too_long.status == 400 and await _rows(settings, FollowUpAnswer) == []


async def test_a_disclosure_in_the_follow_up_puts_the_closed_item_back_on_the_queue_as_urgent(
    client, new_client, settings, smtp, world
):
    await _sent_by_email(client, settings, world)
    token, _ = await _link_from_email(smtp)
    person = await new_client()
    await person.post(f"/f/{token}/start")
    for answer in ("3", "2", "2", "9"):
        await person.post(f"/f/{token}", data={"message": answer})
    reply = await person.post(f"/f/{token}", data={"message": "nothing has changed and I want to end my life"})
    assert "116 123" in await reply.text()
    [item] = await _rows(settings, QueueItem, QueueItem.intake_id == world)
    assert (item.status, item.priority, item.assignee) == ("new", Priority.URGENT, None)
    flags = await _rows(settings, Flag, Flag.intake_id == world, Flag.kind == FlagKind.SAFEGUARDING)
    assert len(flags) == 1 and flags[0].message.startswith("Follow-up: ")
    answers = {a.question_key: a.verbatim for a in await _rows(settings, FollowUpAnswer)}
    assert answers["what_changed"] == "nothing has changed and I want to end my life"
    follow_on = await person.post(f"/f/{token}", data={"message": "ok carry on"})
    assert "Did you go to, or try, Tuesday walking group?" in await follow_on.text()


async def test_no_thanks_stops_the_follow_up_and_every_later_email_to_that_address(client, settings, smtp, world):
    await _sent_by_email(client, settings, world)
    token, _ = await _link_from_email(smtp)
    assert "rather not answer" in await (await client.get(f"/f/{token}/no-thanks")).text()
    declined = await client.post(f"/f/{token}/no-thanks")
    assert declined.status == 200 and "won't ask you" in await declined.text()
    [row] = await _rows(settings, FollowUp)
    assert row.status == "declined"

    second = await add_intake(settings, BY_EMAIL)
    await _close_as_supported(client, second)
    await _make_due(settings, second)
    outcome = await _send_due(settings)
    assert (outcome.sent, outcome.declined) == (0, 1)
    assert len(smtp.inbox.messages) == 1


async def test_no_follow_up_when_they_would_rather_not_or_cannot_be_written_to(client, settings, smtp, world):
    await _close_as_supported(client, world, follow_up="no")
    assert await _rows(settings, FollowUp) == []
    by_phone = await add_intake(settings)  # Mrs C asked for phone calls
    await _close_as_supported(client, by_phone)
    assert await _rows(settings, FollowUp) == []
    assert "followup.not_possible" in [a for _, a, _ in await audit_actions(settings, by_phone)]


async def test_an_smtp_server_refusing_for_a_while_delays_the_email_and_sends_it_once(client, settings, smtp, world):
    smtp.inbox.refuse_with = "451 4.3.0 Try again later"
    await _sent_by_email(client, settings, world)  # the app's own sender tries it at once
    await smtp.inbox.until_refused(2)  # refused, then retried after the backoff: nothing lost
    assert smtp.inbox.messages == []
    [row] = await _rows(settings, MailOutbox)
    assert row.status in ("pending", "sending") and "SMTP 451" in row.last_error
    smtp.inbox.refuse_with = ""
    await _link_from_email(smtp)
    await asyncio.sleep(0.5)  # time for a wrong second delivery to show
    [row] = await _rows(settings, MailOutbox)
    assert row.status == "sent" and row.attempts >= 3 and len(smtp.inbox.messages) == 1


async def _sent_at(settings, intake_id, days_ago):
    async def work(session):
        await session.execute(
            update(FollowUp).where(FollowUp.intake_id == intake_id).values(sent_at=utcnow() - timedelta(days=days_ago))
        )

    await in_db(settings, work)


async def test_one_reminder_with_a_new_link_goes_to_someone_who_has_not_answered(
    client, new_client, settings, smtp, world
):
    await _sent_by_email(client, settings, world)
    first, _ = await _link_from_email(smtp)
    assert (await _send_due(settings)).reminded == 0  # not yet: a week after sending
    await _sent_at(settings, world, 8)
    assert (await _send_due(settings)).reminded == 1
    assert (await _send_due(settings)).reminded == 0  # one reminder, however often the sender looks
    [(_, reminder)] = (await smtp.inbox.until(2))[1:]
    assert reminder["Subject"].startswith("A reminder") and "new link" in reminder.get_content()
    second = LINK.search(reminder.get_content()).group(1)
    person = await new_client()
    assert (await person.get(f"/f/{first}")).status == 404  # the first link stops working
    assert (await person.post(f"/f/{second}/start")).status == 200
    [row] = await _rows(settings, FollowUp)
    assert row.reminded_at is not None
    page = await (await client.get(f"/intakes/{world}")).text()
    assert "Reminded " in page


async def test_a_link_worker_sends_a_follow_up_now_or_cancels_it_on_the_page_and_in_the_api(
    client, new_client, settings, smtp, world
):
    csrf = await _close_as_supported(client, world)
    page = await (await client.get(f"/intakes/{world}")).text()
    assert "Send the follow-up now" in page and "Cancel the follow-up" in page
    sent = await client.post(
        f"/intakes/{world}/followup", data={"csrf_token": csrf, "action": "send_now"}, allow_redirects=False
    )
    assert sent.headers["Location"].endswith("m=followup_send_now#followup")
    await _link_from_email(smtp)  # sent at once, not at the next poll
    [row] = await _rows(settings, FollowUp)
    assert row.status == "sent"
    assert "followup.send_now" in [a for _, a, _ in await audit_actions(settings, world)]

    api = await new_client()
    headers = await _token(settings, "lw@example.org")
    again = await api.post(f"/api/v1/intakes/{world}/followup", json={"action": "send_now"}, headers=headers)
    assert again.status == 409
    wrong = await api.post(f"/api/v1/intakes/{world}/followup", json={"action": "delete"}, headers=headers)
    assert wrong.status == 400
    cancelled = await api.post(f"/api/v1/intakes/{world}/followup", json={"action": "cancel"}, headers=headers)
    assert cancelled.status == 200 and (await cancelled.json())["status"] == "cancelled"
    assert (
        await api.post(f"/api/v1/intakes/{world}/followup", json={"action": "cancel"}, headers=headers)
    ).status == 409
    [row] = await _rows(settings, FollowUp)
    assert (row.status, row.closed_reason) == ("cancelled", "cancelled by a link worker")
    assert ("lw@example.org", "followup.cancelled") in [(a, b) for a, b, _ in await audit_actions(settings, world)]


async def test_a_disclosure_is_heard_even_after_the_follow_up_was_closed(client, settings, smtp, world):
    """The race: a message sent just as the follow-up was cancelled is still read for risk."""
    from bot.outcomes import answering
    from bot.outcomes.risk_reader import FollowUpRisk

    await _sent_by_email(client, settings, world)
    [row] = await _rows(settings, FollowUp)

    async def cancel(session):
        await followups.close(session, row.id, "cancelled", "cancelled by a link worker")

    await in_db(settings, cancel)
    reply = await in_db(
        settings, lambda s: answering.answer(s, settings, row.id, "I want to end my life tonight", FollowUpRisk(None))
    )
    assert reply.flagged and "116 123" in " ".join(reply.texts)
    [item] = await _rows(settings, QueueItem, QueueItem.intake_id == world)
    assert (item.status, item.priority) == ("new", Priority.URGENT)


async def test_when_an_answer_cannot_be_saved_a_disclosure_still_gets_the_crisis_reply_and_is_kept(
    client, new_client, settings, smtp, world, monkeypatch, tmp_path
):
    from bot.outcomes import answering

    await _sent_by_email(client, settings, world)
    token, _ = await _link_from_email(smtp)
    person = await new_client()
    await person.post(f"/f/{token}/start")

    async def broken(*args, **kwargs):
        raise ConnectionError("the database went away")

    monkeypatch.setattr(answering, "answer", broken)
    reply = await person.post(f"/f/{token}", data={"message": "I want to kill myself"})
    page = await reply.text()
    assert reply.status == 503 and "could not be saved" in page and "116 123" in page
    spooled = list(settings.spool_path.glob("*.json"))
    assert len(spooled) == 1 and "followup-" in spooled[0].read_text()


async def test_after_a_reminder_the_first_emails_no_thanks_still_declines(client, new_client, settings, smtp, world):
    await _sent_by_email(client, settings, world)
    first, _ = await _link_from_email(smtp)
    await _sent_at(settings, world, 8)
    assert (await _send_due(settings)).reminded == 1
    await smtp.inbox.until(2)
    person = await new_client()
    assert (await person.get(f"/f/{first}")).status == 404  # the first link opens nothing now
    assert (await person.post(f"/f/{first}/start")).status == 404
    form = await person.get(f"/f/{first}/no-thanks")
    assert form.status == 200 and "rather not answer" in await form.text()
    declined = await person.post(f"/f/{first}/no-thanks")
    assert declined.status == 200 and "won't ask you" in await declined.text()
    [row] = await _rows(settings, FollowUp)
    assert (row.status, row.closed_reason) == ("declined", "said no thanks by the link")
    assert (await person.get("/f/not-a-real-token/no-thanks")).status == 404


async def test_asking_for_a_person_in_the_web_follow_up_puts_the_item_back_on_the_queue_for_a_call_back(
    client, new_client, settings, smtp, world
):
    await _sent_by_email(client, settings, world)
    token, _ = await _link_from_email(smtp)
    person = await new_client()
    await person.post(f"/f/{token}/start")
    await person.post(f"/f/{token}", data={"message": "6"})
    asked = await person.post(f"/f/{token}", data={"message": "can someone ring me please"})
    page = await asked.text()
    assert "asked the team to get in touch" in page and "worthwhile" in page  # the same question again
    [item] = await _rows(settings, QueueItem, QueueItem.intake_id == world)
    assert (item.status, item.priority, item.assignee) == ("new", Priority.CALLBACK, None)
    [flag] = await _rows(settings, Flag, Flag.intake_id == world)
    assert (flag.kind, flag.message) == (FlagKind.WANTS_PERSON, "Follow-up: can someone ring me please")
    assert ("system", "reopened") in [(who, what) for who, what, _ in await audit_actions(settings, world)]
    again = await person.post(f"/f/{token}", data={"message": "can I talk to someone"})
    assert "already asked the team" in await again.text()
    assert len(await _rows(settings, Flag, Flag.intake_id == world)) == 1  # asked once, flagged once
    await person.post(f"/f/{token}", data={"message": "7"})
    answers = {a.question_key: a.value for a in await _rows(settings, FollowUpAnswer)}
    assert answers == {"ons_life_satisfaction": 6, "ons_worthwhile": 7}
