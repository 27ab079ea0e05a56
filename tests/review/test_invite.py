"""Inviting someone by text from the review app, and seeing an SMS opt-out on the intake."""

from __future__ import annotations

import pytest
from cryptography.fernet import Fernet
from sqlalchemy import select

from bot.intake import store
from bot.sms import store as sms_store
from bot.sms.models import SmsOutbox
from bot.sms.phone import PhoneVault, normalise_e164
from bot.teams import store as team_store
from bot.web.app import create_app
from tests.support.review import add_user, audit_actions, csrf_of, in_db, sign_in

HASH_KEY = "review-test-hash-key-" + "h" * 20
ENCRYPTION_KEY = Fernet.generate_key().decode()


@pytest.fixture
def sms_settings(settings):
    return settings.with_overrides(
        sms_provider="twilio",
        sms_hash_key=HASH_KEY,
        sms_encryption_key=ENCRYPTION_KEY,
        sms_twilio_account_sid="AC" + "0" * 32,
        sms_twilio_auth_token="t" * 32,
        sms_twilio_from="+447700900000",
        sms_twilio_api_url="http://127.0.0.1:9",
        sms_invite_url="https://whatmatters.example/",
    )


@pytest.fixture
async def sms_client(aiohttp_client, sms_settings):
    return await aiohttp_client(create_app(sms_settings))


async def _send(client, phone: str, ref: str = "", team: str = ""):
    token = csrf_of(await (await client.get("/invite")).text())
    data = {"phone": phone, "ref": ref, "csrf_token": token}
    if team:
        data["team"] = team
    return await client.post("/invite", data=data)


async def test_a_link_worker_in_two_teams_chooses_one_of_theirs_and_the_text_names_it(sms_client, sms_settings):
    async def teams(session):
        for code, name in (("oakfield", "Oakfield Surgery team"), ("library", "Central Library hub"), ("other", "X")):
            await team_store.create_team(session, "test", code, name, "hub")

    await in_db(sms_settings, teams)
    await add_user(sms_settings, "lw@example.org")
    await in_db(sms_settings, lambda s: team_store.add_member(s, "test", "oakfield", "lw@example.org"))
    await in_db(sms_settings, lambda s: team_store.add_member(s, "test", "library", "lw@example.org"))
    await sign_in(sms_client, "lw@example.org")

    form = await (await sms_client.get("/invite")).text()
    assert "Oakfield Surgery team" in form and "Central Library hub" in form and ">X<" not in form
    unchosen = await _send(sms_client, "07700 900321")
    assert unchosen.status == 400 and "Choose the team" in await unchosen.text()
    not_theirs = await _send(sms_client, "07700 900321", team="other")
    assert not_theirs.status == 400

    chosen = await _send(sms_client, "07700 900321", team="library")
    assert chosen.status == 200 and "Invitation on its way" in await chosen.text()

    async def bodies(session):
        vault = PhoneVault(HASH_KEY, ENCRYPTION_KEY)
        rows = (await session.execute(select(SmsOutbox))).scalars()
        return [vault.decrypt(r.body_encrypted) for r in rows]

    [body] = await in_db(sms_settings, bodies)
    assert "this is Central Library hub" in body and "https://whatmatters.example/start/" in body


async def test_invite_needs_sign_in_and_csrf(sms_client, sms_settings):
    reply = await sms_client.get("/invite", allow_redirects=False)
    assert reply.status == 303 and reply.headers["Location"].startswith("/login")
    await add_user(sms_settings, "lw@example.org")
    await sign_in(sms_client, "lw@example.org")
    reply = await sms_client.post("/invite", data={"phone": "07700 900123"})
    assert reply.status == 403


async def test_a_link_worker_invites_by_text_and_it_is_audited(sms_client, sms_settings):
    await add_user(sms_settings, "lw@example.org")
    await sign_in(sms_client, "lw@example.org")
    reply = await _send(sms_client, "07700 900321", "WM-REF1")
    html = await reply.text()
    assert reply.status == 200 and "Invitation on its way" in html
    assert "900321" not in html, "the number is not shown back"

    async def rows(session):
        return list((await session.execute(select(SmsOutbox.kind, SmsOutbox.status))).all())

    assert [tuple(r) for r in await in_db(sms_settings, rows)] == [("invite", "pending")]
    assert ("lw@example.org", "sms.invite", "127.0.0.1") in await audit_actions(sms_settings)


async def test_a_bad_number_and_an_opted_out_number_are_refused(sms_client, sms_settings):
    await add_user(sms_settings, "lw@example.org")
    await sign_in(sms_client, "lw@example.org")
    reply = await _send(sms_client, "not a number")
    assert reply.status == 400 and "not a phone number" in await reply.text()

    vault = PhoneVault(HASH_KEY, ENCRYPTION_KEY)

    async def opt_out(session):
        contact = await sms_store.contact_for(session, vault, normalise_e164("07700 900999"))
        await sms_store.opt_out(session, contact.id)

    await in_db(sms_settings, opt_out)
    reply = await _send(sms_client, "07700 900999")
    assert reply.status == 400 and "opted out" in await reply.text()


async def test_staff_see_the_opt_out_on_the_intake(sms_client, sms_settings):
    await add_user(sms_settings, "lw@example.org")
    vault = PhoneVault(HASH_KEY, ENCRYPTION_KEY)

    async def sms_intake(session):
        contact = await sms_store.contact_for(session, vault, normalise_e164("07700 900555"))
        await sms_store.opt_out(session, contact.id)
        intake = await store.ensure_intake(session, contact.sender_id, "sms")
        await store.add_flag(session, intake, "wants_person", "please call")
        return intake.id

    intake_id = await in_db(sms_settings, sms_intake)
    await sign_in(sms_client, "lw@example.org")
    html = await (await sms_client.get(f"/intakes/{intake_id}")).text()
    assert "Opted out of texts" in html and "replied STOP" in html


async def test_with_texts_off_the_page_says_so(client, settings):
    await add_user(settings, "lw@example.org")
    await sign_in(client, "lw@example.org")
    assert "Text messages are off" in await (await client.get("/invite")).text()
