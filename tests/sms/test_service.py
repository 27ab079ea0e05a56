"""The SMS channel's core against a real database and real fake providers, with a stand-in bot.

Webhooks are built as the providers send them (Twilio's signed with the twilio package's
own RequestValidator); texts go out over HTTP to the fake provider servers.
"""

from __future__ import annotations

import asyncio
import logging
import time
import uuid
from typing import Optional

import pytest
from sqlalchemy import update

from bot.intake import store as intake_store
from bot.sms import cli as sms_cli
from bot.sms import store
from bot.sms.models import OutboxStatus, SmsContact, SmsInbound, SmsOutbox
from bot.sms.outbox import Sender
from bot.sms.providers import WebhookRequest
from bot.teams import store as team_store
from bot.teams.models import EntryPoint
from tests.support.sms import NOTIFY_INBOUND_TOKEN, notify_settings, twilio_form, twilio_settings, twilio_signature
from tests.support.sms_fakes import FakeNotify
from tests.support.sms_rig import NUMBER, WEBHOOK, Rig


async def test_a_signed_text_reaches_the_bot_and_its_replies_come_back_as_one_text_with_numbers(rig):
    assert await rig.text("hello") == 200
    [reply] = await rig.fake.until(NUMBER, 1)
    assert (
        reply.body
        == "Thanks, I got 1.\n\nHow would you like to meet?\nReply 1 for In person, 2 for By phone or 3 for Online."
    )
    assert reply.sender == "+447700900000"
    sender_id, text, channel = rig.bot.seen[0]
    assert (text, channel) == ("hello", "sms") and sender_id.startswith("sms-") and "900123" not in sender_id

    for answer, payload in (
        ("2", "By phone"),
        ("one", "In person"),
        ("3.", "Online"),
        ("by phone", "By phone"),
        ("7", "7"),
    ):
        await rig.text(answer)
        assert rig.bot.seen[-1][1] == payload
    await rig.fake.until(NUMBER, 6)


async def test_a_forged_or_missing_signature_gets_403_and_nothing_is_stored_or_answered(rig):
    forged = rig.twilio_request("hello", signature="bm90IGEgcmVhbCBzaWduYXR1cmU=")
    missing = rig.twilio_request("hello", signature=None)
    wrong_key = rig.twilio_request(
        "hello", signature=twilio_signature("some-other-token", WEBHOOK, twilio_form(NUMBER, "hello"))
    )
    signed_for_another_url = rig.twilio_request("hello", url="https://evil.example/webhooks/sms/twilio")
    signed_for_another_url = WebhookRequest(WEBHOOK, signed_for_another_url.headers, signed_for_another_url.form)
    tampered = rig.twilio_request("hello")
    tampered = WebhookRequest(tampered.url, tampered.headers, {**tampered.form, "Body": ["STOP"]})
    for request in (forged, missing, wrong_key, signed_for_another_url, tampered):
        status, _, _ = await rig.service.webhook(request, rig.ask)
        assert status == 403
    await rig.service.drain()
    await asyncio.sleep(0.5)
    assert rig.bot.seen == []
    assert await rig.rows(SmsContact) == [] and await rig.rows(SmsInbound) == [] and await rig.rows(SmsOutbox) == []
    assert rig.fake.received == []


async def test_a_public_url_setting_checks_the_address_the_provider_signed(sqlite_db, fake_twilio):
    settings = twilio_settings(sqlite_db, fake_twilio, sms_public_url="https://sms.example.org")
    async with Rig(settings, fake_twilio) as rig:
        signed = rig.twilio_request("hello", url="https://sms.example.org/webhooks/sms/twilio")
        seen_by_us = WebhookRequest("http://127.0.0.1:5005/webhooks/sms/twilio", signed.headers, signed.form)
        status, _, _ = await rig.service.webhook(seen_by_us, rig.ask)
        assert status == 200


async def test_a_redelivered_message_is_handled_once(rig):
    sid = "SM" + uuid.uuid4().hex
    assert [await rig.text("hello", sid=sid) for _ in range(3)] == [200, 200, 200]
    await rig.fake.until(NUMBER, 1)
    await asyncio.sleep(0.5)
    assert len(rig.fake.to(NUMBER)) == 1 and len(rig.bot.seen) == 1
    assert len(await rig.rows(SmsInbound)) == 1


async def test_redeliveries_arriving_together_are_handled_once(rig):
    sid = "SM" + uuid.uuid4().hex
    results = await asyncio.gather(
        *(rig.service.webhook(rig.twilio_request("hello", sid=sid), rig.ask) for _ in range(5))
    )
    assert all(status == 200 for status, _, _ in results)
    await rig.service.drain()
    await rig.fake.until(NUMBER, 1)
    await asyncio.sleep(0.3)
    assert len(rig.fake.to(NUMBER)) == 1 and len(rig.bot.seen) == 1


async def test_a_provider_outage_delays_texts_loses_none_sends_none_twice_and_keeps_order(rig):
    rig.fake.down()
    started = time.monotonic()
    for word in ("hello", "1", "2", "3"):
        assert await rig.text(word) == 200
    assert time.monotonic() - started < 3, "inbound handling must not wait for the provider"
    await asyncio.sleep(1.0)
    assert rig.fake.received == [] and rig.fake.refused >= 2
    waiting = await rig.rows(SmsOutbox)
    assert [r.status for r in waiting].count(OutboxStatus.PENDING) == 4 and waiting[0].last_error.startswith("HTTP 503")
    async with rig.sessions() as session:
        contact = (await rig.rows(SmsContact))[0]
        status = await store.status_for_conversation(session, contact.sender_id)
    assert status.waiting == 4 and "HTTP 503" in status.last_error and "503" in status.line()

    rig.fake.up()
    texts = await rig.fake.until(NUMBER, 4, timeout=10)
    await asyncio.sleep(1.0)
    texts = rig.fake.to(NUMBER)
    assert [t.body.split("\n")[0] for t in texts] == [f"Thanks, I got {n}." for n in (1, 2, 3, 4)]
    rows = await rig.rows(SmsOutbox)
    assert all(r.status == OutboxStatus.SENT and r.provider_message_id for r in rows)
    assert sorted(r.provider_message_id for r in rows) == sorted(t.id for t in texts)


async def test_several_senders_never_send_one_text_twice(rig):
    rig.fake.down()
    for word in ("hello", "1"):
        await rig.text(word)
    numbers = ("+447700900001", "+447700900002", "+447700900003")
    for number in numbers:
        await rig.text("hello", number=number)
    others = [Sender(rig.settings, rig.sessions, rig.provider, rig.vault) for _ in range(3)]
    async with rig.sessions() as session:
        async with session.begin():
            await session.execute(update(SmsOutbox).values(next_attempt_at=store.utcnow()))
    rig.fake.up()
    await asyncio.gather(*(s.send_due() for s in others), rig.sender.send_due())
    for s in others:
        await s.close()
    # The app's own sender may have tried a row while the provider was still down: it comes after the
    # backoff, so wait for every text rather than a fixed time, then a moment for a duplicate to show.
    await rig.fake.until(NUMBER, 2)
    for number in numbers:
        await rig.fake.until(number, 1)
    await asyncio.sleep(0.3)
    assert len(rig.fake.received) == 5
    assert len({r.id for r in rig.fake.received}) == 5
    assert len({(r.to, r.body) for r in rig.fake.received}) == 5


async def test_stop_stops_everything_at_once_and_for_good_until_start(rig):
    await rig.text("hello")
    await rig.fake.until(NUMBER, 1)
    rig.fake.down()
    await rig.text("1")  # a reply now waits in the outbox
    for stop_word in ("STOP",):
        assert await rig.text(stop_word) == 200
    # Waiting texts are cancelled at once; one the sender had in flight is cancelled at its next try.
    for _ in range(50):
        rows = await rig.rows(SmsOutbox)
        if rows[-1].status == OutboxStatus.CANCELLED:
            break
        await asyncio.sleep(0.1)
    assert rows[-1].status == OutboxStatus.CANCELLED
    rig.fake.up()
    await rig.text("Stop.")  # a second STOP changes nothing
    await rig.text("I feel awful today")  # still given to the bot, so the team sees it...
    assert rig.bot.seen[-1][1] == "I feel awful today"
    await asyncio.sleep(1.0)
    assert len(rig.fake.to(NUMBER)) == 1, "...but nothing is texted to an opted-out number"

    code, message = await sms_cli.invite(rig.settings, "07700 900123", "WM-ABC123")
    assert code == 1 and "opted out" in message
    await asyncio.sleep(0.5)
    assert len(rig.fake.to(NUMBER)) == 1, "an invitation never reaches an opted-out number"

    contact = (await rig.rows(SmsContact))[0]
    async with rig.sessions() as session:
        status = await store.status_for_conversation(session, contact.sender_id)
    assert status.opted_out and "OPTED OUT" in status.line()

    await rig.text("START")
    texts = await rig.fake.until(NUMBER, 2)
    assert "back on" in texts[-1].body and "STOP" in texts[-1].body
    await rig.text("2")
    texts = await rig.fake.until(NUMBER, 3)
    assert texts[-1].body.startswith("Thanks, I got")


@pytest.mark.parametrize("word", ["UNSUBSCRIBE", "cancel", "End", "quit"])
async def test_every_stop_word_opts_out(rig, word):
    await rig.text(word)
    [contact] = await rig.rows(SmsContact)
    assert contact.opted_out and contact.opted_out_at is not None
    assert rig.bot.seen == [] and rig.fake.received == []


async def test_help_says_who_we_are_and_how_to_stop(rig):
    await rig.text("HELP")
    [text] = await rig.fake.until(NUMBER, 1)
    assert "social prescribing team" in text.body and "Reply STOP" in text.body
    assert rig.bot.seen == []


async def test_an_invitation_carries_the_link_and_the_offer_to_reply(rig):
    code, message = await sms_cli.invite(rig.settings, "07700 900456", "WM-ABC123")
    assert code == 0, message
    [text] = await rig.fake.until("+447700900456", 1)
    [entry] = await rig.rows(EntryPoint)  # the default team had none: one is made for its invitations
    assert f"https://whatmatters.example/start/{entry.code}?ref=WM-ABC123" in text.body
    assert "or reply to this text to start" in text.body
    [row] = await rig.rows(SmsOutbox)
    assert row.kind == "invite" and row.status == OutboxStatus.SENT


async def test_an_invitation_names_its_team_and_a_reply_by_text_starts_at_its_entry_point(rig):
    async with rig.sessions() as session, session.begin():
        await team_store.create_team(session, "test", "oakfield", "Oakfield Surgery social prescribing", "practice")
        entry = await team_store.create_entry_point(session, "test", "oakfield", "Oakfield Surgery", "gp")
    code, message = await sms_cli.invite(rig.settings, NUMBER, None, team="oakfield")
    assert code == 0, message
    [text] = await rig.fake.until(NUMBER, 1)
    assert "this is Oakfield Surgery social prescribing" in text.body
    assert f"https://whatmatters.example/start/{entry.code} " in text.body

    assert await rig.text("hello") == 200
    assert rig.bot.metadata == [{"entry": entry.code, "invited": True}]
    await rig.text("HELP")
    help_text = (await rig.fake.until(NUMBER, 3))[-1].body
    assert "Oakfield Surgery social prescribing" in help_text

    refused = await sms_cli.invite(rig.settings, "07700 900456", None, team="no-such-team")
    assert refused[0] != 0 and "No team" in refused[1]


async def test_a_rejected_text_fails_at_once_and_staff_can_see_it(rig):
    rig.fake.reject.add("+447700900999")  # the provider refuses this number for good (400)
    await rig.text("hello", number="+447700900999")
    await asyncio.sleep(1.0)
    [row] = await rig.rows(SmsOutbox)
    assert row.status == OutboxStatus.FAILED and "HTTP 400" in row.last_error and row.attempts == 1
    async with rig.sessions() as session:
        summary = await store.outbox_summary(session)
        [contact] = await rig.rows(SmsContact)
        status = await store.status_for_conversation(session, contact.sender_id)
    assert summary["counts"][OutboxStatus.FAILED] == 1
    [problem] = summary["problems"]
    assert problem["status"] == OutboxStatus.FAILED and problem["conversation"] == contact.sender_id
    assert "+44" not in str(summary) and "7700" not in str(summary)
    assert status.failed == 1 and "1 FAILED" in status.line()


async def test_numbers_and_texts_are_not_stored_in_clear_nor_logged(rig, caplog):
    caplog.set_level(logging.INFO)
    await rig.text("my secret answer")
    await rig.fake.until(NUMBER, 1)
    await rig.text("STOP")
    if rig.settings.is_sqlite:
        db_bytes = open(rig.settings.database_url.split("///", 1)[1], "rb").read()
        for needle in (b"7700900123", b"Thanks, I got", b"my secret answer"):
            assert needle not in db_bytes
    for row in await rig.rows(SmsOutbox) + await rig.rows(SmsContact):
        assert "7700900123" not in str(vars(row)) and "Thanks, I got" not in str(vars(row))
    logged = caplog.text
    for needle in ("7700900123", "7700 900123", "my secret answer", "Thanks, I got"):
        assert needle not in logged


# --- GOV.UK Notify ---------------------------------------------------------------------------


@pytest.fixture
async def fake_notify():
    fake = await FakeNotify().start()
    yield fake
    await fake.stop()


def notify_callback(body: str, token: Optional[str], message_id: Optional[str] = None) -> WebhookRequest:
    headers = {"content-type": "application/json"}
    if token is not None:
        headers["authorization"] = f"Bearer {token}"
    payload = {
        "id": message_id or str(uuid.uuid4()),
        "source_number": "447700900123",
        "destination_number": "07700900000",
        "message": body,
        "date_received": "2026-12-01 12:00:00.000000",
    }
    return WebhookRequest(url="https://sms.example.org/webhooks/sms/notify", headers=headers, json=payload)


async def test_notify_callbacks_need_the_bearer_token_and_replies_go_through_notify(sqlite_db, fake_notify):
    async with Rig(notify_settings(sqlite_db, fake_notify), fake_notify) as rig:
        for token in ("wrong-token", None, NOTIFY_INBOUND_TOKEN + "x"):
            status, _, _ = await rig.service.webhook(notify_callback("hello", token), rig.ask)
            assert status == 403
        basic = notify_callback("hello", None)
        basic = WebhookRequest(
            basic.url, {**basic.headers, "authorization": f"Basic {NOTIFY_INBOUND_TOKEN}"}, json=basic.json
        )
        assert (await rig.service.webhook(basic, rig.ask))[0] == 403
        await rig.service.drain()
        assert rig.bot.seen == [] and await rig.rows(SmsInbound) == [] and await rig.rows(SmsContact) == []

        message_id = str(uuid.uuid4())
        for _ in range(2):
            status, _, _ = await rig.service.webhook(
                notify_callback("hello", NOTIFY_INBOUND_TOKEN, message_id), rig.ask
            )
            assert status == 200
        await rig.service.drain()
        [text] = await fake_notify.until(NUMBER, 1)
        assert text.body.startswith("Thanks, I got 1.") and "Reply 1 for In person" in text.body
        assert fake_notify.unauthorised == 0, "the JWT Notify gets must be valid"

        await rig.service.webhook(notify_callback("2", NOTIFY_INBOUND_TOKEN), rig.ask)
        await rig.service.drain()
        await fake_notify.until(NUMBER, 2)
        assert rig.bot.seen[-1][1] == "By phone"
        await asyncio.sleep(0.3)
        assert len(fake_notify.received) == 2


async def test_a_number_texting_faster_than_the_limit_is_told_once_a_minute_and_stop_and_risk_still_get_through(
    any_settings, fake_twilio
):
    settings = twilio_settings(any_settings, fake_twilio).with_overrides(rate_sender_per_minute=2)
    async with Rig(settings, fake_twilio) as rig:
        for n in range(4):
            assert await rig.text(f"message {n}") == 200  # the provider is always answered
        assert [text for _, text, _ in rig.bot.seen] == ["message 0", "message 1"]
        statuses = [row.status for row in await rig.rows(SmsInbound)]
        assert statuses.count("refused") == 2
        refusals = [t for t in await rig.fake.until(NUMBER, 3) if "faster than we can read" in t.body]
        assert len(refusals) == 1  # one "please wait" text a minute, however many came in
        assert await rig.text("I took all my tablets an hour ago") == 200
        assert rig.bot.seen[-1][1] == "I took all my tablets an hour ago"  # a disclosure is never refused
        assert await rig.text("STOP") == 200
        [contact] = await rig.rows(SmsContact)
        assert contact.opted_out


async def test_a_first_text_of_a_posters_code_starts_the_intake_at_that_entry_point(rig):
    """No smartphone: "text CODE to ..." on the poster. Later texts that look like a code are answers."""
    async with rig.sessions() as session, session.begin():
        await team_store.create_team(session, "test", "food-bank", "Eastside Food Bank hub", "hub")
        entry = await team_store.create_entry_point(session, "test", "food-bank", "Eastside Food Bank", "community")
    assert await rig.text(f" {entry.code.lower()} ") == 200
    assert rig.bot.seen[-1][1] == "hello" and rig.bot.metadata[-1] == {"entry": entry.code, "invited": True}

    async with rig.sessions() as session, session.begin():
        await intake_store.ensure_intake(session, rig.bot.seen[-1][0], "sms", rig.bot.metadata[-1])
    assert await rig.text(entry.code) == 200
    assert rig.bot.seen[-1][1] == entry.code, "once the intake has begun, the code is just an answer"

    other = "+447700900999"
    assert await rig.text("ZZZZZZ", number=other) == 200
    assert rig.bot.seen[-1][1] == "ZZZZZZ" and rig.bot.metadata[-1] is None, "not a code of ours: an answer"
