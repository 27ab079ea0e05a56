"""Staff, intakes and sign-in for the review app tests, written straight to the database."""

from __future__ import annotations

import re
import uuid
from typing import Any, Optional

import pyotp

from bot.db.engine import in_transaction
from bot.intake import store
from bot.intake.summary import build_summary, summary_text
from bot.review import auth, second_factor
from bot.settings import Settings
from bot.web.security import settings_key

PASSWORD = "correct horse battery staple"


CSRF_INPUT = re.compile(r'name="csrf_token" value="([^"]+)"')


async def in_db(settings: Settings, work):
    """Run `work(session)` in one committed transaction on the settings' database."""
    return await in_transaction(settings, work)


async def add_user(settings: Settings, email: str, role: str = "linkworker", password: str = PASSWORD):
    """An account as `whatmatters user add` makes one; an admin also gets an authenticator, as they must."""
    staff = await in_db(settings, lambda s: auth.create_user(s, email, role, password))
    if role in auth.SECOND_FACTOR_ROLES:
        await in_db(settings, lambda s: second_factor.enrol(s, email))
    return staff


async def current_code(settings: Settings, email: str) -> str:
    """What the account's authenticator app shows now."""
    from sqlalchemy import select

    from bot.review.models import StaffUser

    secret = await in_db(
        settings, lambda s: _scalar(s, select(StaffUser.totp_secret).where(StaffUser.email == email.lower()))
    )
    return pyotp.TOTP(secret).now()


async def _scalar(session, query):
    return (await session.execute(query)).scalar_one()


MRS_C_ANSWERS: dict[str, tuple[Any, str]] = {
    "preferred_name": ("Carol", "Carol"),
    "contact_method": ("phone", "a phone call is best"),
    "contact_detail": ("07700 900123", "07700 900123"),
    "contact_times": ("weekday mornings", "weekday mornings"),
    "what_matters": ("I want to lose weight", "I want to lose weight and keep my blood pressure down"),
    "life_areas": (["activity", "long_term_condition"], "physical activity and weight, and my blood pressure"),
    "ons_life_satisfaction": (6, "6"),
    "ons_worthwhile": (7, "seven"),
    "ons_happy": (7, "about a 7"),
    "ons_anxious": (4, "4/10"),
    "enjoys": ("Being outdoors", "Being outdoors, I love the park"),
    "barriers_text": ("nervous", "I'm nervous about going on my own."),
    "wants_company": (True, "yes please"),
    "goal": ("walking", "I'd be walking every week with other people"),
}


async def add_intake(
    settings: Settings,
    answers: Optional[dict[str, tuple[Any, str]]] = None,
    risk: Optional[str] = None,
    submit: bool = True,
) -> int:
    """An intake saved the way the actions save one: answers, optional risk flag, then the summary."""
    answers = dict(MRS_C_ANSWERS if answers is None else answers)

    async def work(session):
        intake = await store.ensure_intake(session, f"test-{uuid.uuid4().hex}", "rest")
        for key, (value, verbatim) in answers.items():
            await store.save_answer(session, intake, key, value, verbatim)
        if risk:
            await store.add_flag(session, intake, "safeguarding", risk, "self_harm")
        if submit:
            answer_map = await store.answer_map(session, intake)
            flags = await store.flag_dicts(session, intake)
            await store.submit(
                session,
                intake,
                build_summary(answer_map, flags, intake.reference, intake.channel),
                summary_text(answer_map, flags),
            )
        return intake.id

    return await in_db(settings, work)


async def add_declined_intake(settings: Settings) -> int:
    """An intake the person declined after a disclosure: kept (and exported) only because of the flag."""

    async def work(session):
        intake = await store.ensure_intake(session, f"test-{uuid.uuid4().hex}", "rest")
        await store.add_flag(session, intake, "safeguarding", "I want to die", "suicide")
        await store.set_status(session, intake, "declined", consent=False)
        return intake.id

    return await in_db(settings, work)


async def audit_actions(settings: Settings, intake_id: Optional[int] = None) -> list[tuple[str, str, Optional[str]]]:
    from sqlalchemy import select

    from bot.db.models import AuditEvent

    async def work(session):
        query = select(AuditEvent.actor, AuditEvent.action, AuditEvent.source).order_by(AuditEvent.id)
        if intake_id is not None:
            query = query.where(AuditEvent.intake_id == intake_id)
        return [tuple(r) for r in (await session.execute(query)).all()]

    return await in_db(settings, work)


def csrf_of(html: str) -> str:
    found = CSRF_INPUT.search(html)
    assert found, "no CSRF token on the page"
    return found.group(1)


async def sign_in(client, email: str, password: str = PASSWORD) -> str:
    """Sign a test client in (with the authenticator's code when the account has one); returns the CSRF token."""
    page = await client.get("/login")
    token = csrf_of(await page.text())
    reply = await client.post(
        "/login", data={"email": email, "password": password, "csrf_token": token}, allow_redirects=False
    )
    assert reply.status == 303, await reply.text()
    if reply.headers["Location"].startswith("/login/code"):
        code_page = await client.get(reply.headers["Location"])
        settings = client.server.app[settings_key]
        reply = await client.post(
            "/login/code",
            data={"code": await current_code(settings, email), "csrf_token": csrf_of(await code_page.text())},
            allow_redirects=False,
        )
        assert reply.status == 303, await reply.text()
    queue = await client.get("/queue")
    assert queue.status == 200
    return csrf_of(await queue.text())
