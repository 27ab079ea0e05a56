"""The follow-up's web chat: a person's single-use link, `/f/{token}`, and its "no thanks".

    GET  /f/{token}             what it is and a Start button; then the conversation and the question now
    POST /f/{token}/start       this browser takes the link (the first to press Start)
    POST /f/{token}             one answer (form field `message`)
    GET  /f/{token}/no-thanks   "would you rather not answer?"
    POST /f/{token}/no-thanks   no follow-up, and no more e-mail to that address

The link is single use: the first browser to press Start is bound to it by a cookie (kept
here only as a digest), and it shows nothing to another; opening it binds nothing, so a mail
scanner's visit does not lock the person out. It stops working once the
follow-up is answered or FOLLOWUP_LINK_DAYS after it was sent. The token in the
address is the secret a forger would need, and the binding cookie is SameSite=Lax (sent on the person's own navigation, never on another site's POST),
so these forms need no other CSRF token. The page works without JavaScript.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from datetime import timedelta
from typing import Any, Optional

import aiohttp_jinja2
from aiohttp import web
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import Intake, aware, utcnow
from bot.intake.fallback import fallback_reply
from bot.mail import store as mail_store
from bot.mail.outbox import Mailer
from bot.outcomes import answering, conversation, followups
from bot.outcomes.models import FollowUp, FollowUpChannel, FollowUpStatus
from bot.outcomes.risk_reader import FollowUpRisk
from bot.outcomes.sending import FollowUpSender
from bot.web.security import db_key, is_https, settings_key

logger = logging.getLogger(__name__)

risk_key = web.AppKey("followup_risk", FollowUpRisk)
sender_key = web.AppKey("followup_sender", FollowUpSender)
mailer_key = web.AppKey("followup_mailer", object)
"""The app's e-mail sender (a Mailer), or None when SMTP_HOST is not set."""
COOKIE_PREFIX = "wm_f"


async def send_due_now(app: web.Application) -> None:
    """Send what is due now (a link worker pressed "send now") rather than at the next poll; a failure is
    logged by its kind and left to the next poll."""
    try:
        mailer = app.get(mailer_key)
        if (await app[sender_key].send_due()).sent and isinstance(mailer, Mailer):
            mailer.wake()
    except Exception as error:  # noqa: BLE001 - the poll sends it later
        logger.error("sending follow-ups now failed: %s", type(error).__name__)


def routes() -> list[web.RouteDef]:
    return [
        web.get("/f/{token}", page, name="followup"),
        web.post("/f/{token}", answer, name="followup_answer"),
        web.post("/f/{token}/start", start, name="followup_start"),
        web.get("/f/{token}/no-thanks", no_thanks_form, name="followup_no_thanks_form"),
        web.post("/f/{token}/no-thanks", no_thanks, name="followup_no_thanks"),
    ]


def _digest(value: str) -> str:
    return hashlib.sha256(value.encode("utf-8")).hexdigest()


def _render(request: web.Request, context: dict[str, Any], status: int = 200) -> web.Response:
    response = aiohttp_jinja2.render_template("followup.html", request, context, status=status)
    response.headers["Cache-Control"] = "no-store"
    return response


def _gone(request: web.Request, why: str) -> web.Response:
    return _render(request, {"gone": why}, status=404 if why == "unknown" else 410)


async def _usable(request: web.Request) -> tuple[Optional[FollowUp], Optional[web.Response]]:
    """The follow-up behind the link, or the page that says why the link does not work."""
    settings = request.app[settings_key]
    async with request.app[db_key]() as session:
        row = await followups.by_token(session, request.match_info["token"])
    if row is None:
        return None, _gone(request, "unknown")
    sent = aware(row.sent_at)
    if row.status == FollowUpStatus.ANSWERED:
        return row, _gone(request, "answered")
    if row.status not in FollowUpStatus.OPEN:
        stopped = row.closed_reason == followups.STOPPED_PART_WAY
        return row, _gone(request, "stopped" if stopped else "closed")
    if sent is None or utcnow() - sent > timedelta(days=settings.followup_link_days):
        return row, _gone(request, "expired")
    return row, None


def _cookie_name(row: FollowUp) -> str:
    return f"{COOKIE_PREFIX}{row.id}"


def _holds(request: web.Request, row: FollowUp) -> bool:
    """True when this browser is the one the link is bound to."""
    held = request.cookies.get(_cookie_name(row), "")
    return row.browser_hash is not None and bool(held) and secrets.compare_digest(_digest(held), row.browser_hash)


async def start(request: web.Request) -> web.StreamResponse:
    """The "Start" button: the first browser to press it holds the link (its cookie, a digest stored).

    Binding on a press, not on opening, keeps a mail scanner or a link preview, which only opens
    links, from taking the link before the person does."""
    row, refusal = await _usable(request)
    if refusal is not None:
        return refusal
    assert row is not None
    target = str(request.app.router["followup"].url_for(token=request.match_info["token"]))
    if row.browser_hash is not None:
        return web.HTTPSeeOther(target) if _holds(request, row) else _gone(request, "elsewhere")
    secret = secrets.token_urlsafe(24)
    async with request.app[db_key]() as session, session.begin():
        won = await followups.bind_browser(session, row.id, _digest(secret))
    if not won:
        return _gone(request, "elsewhere")
    response = web.HTTPSeeOther(target)
    days = request.app[settings_key].followup_link_days
    # Lax, not Strict: a person coming back from their webmail's link must still be recognised.
    response.set_cookie(
        _cookie_name(row),
        secret,
        httponly=True,
        samesite="Lax",
        secure=is_https(request),
        path="/f/",
        max_age=days * 86400,
    )
    return response


async def page(request: web.Request) -> web.Response:
    row, refusal = await _usable(request)
    if row is not None and row.status == FollowUpStatus.ANSWERED and _holds(request, row):
        return await _conversation(request, row, finished=True)  # the closing words, to the person who answered
    if refusal is not None:
        return refusal
    assert row is not None
    if row.browser_hash is None:  # not begun: what it is, and a button to begin
        async with request.app[db_key]() as session:
            said = await answering.opening(session, row)
        return _render(request, {"token": request.match_info["token"], "welcome": True, "said": said[:1]})
    if not _holds(request, row):
        return _gone(request, "elsewhere")
    return await _conversation(request, row)


async def _conversation(request: web.Request, row: FollowUp, error: str = "", finished: bool = False) -> web.Response:
    """The page: the questions answered so far, what the bot said last, and the box for the next answer."""
    async with request.app[db_key]() as session:
        answers = await followups.answers_of(session, row.id)
        said = (row.state or {}).get("said") or await answering.opening(session, row)
    context = {
        "token": request.match_info["token"],
        "asked": [(conversation.question_text(k), answers[k]) for k in conversation.QUESTION_KEYS if k in answers],
        "said": said,
        "error": error,
        "max_chars": request.app[settings_key].max_message_chars,
        "finished": finished,
    }
    return _render(request, context, status=400 if error else 200)


async def answer(request: web.Request) -> web.StreamResponse:
    row, refusal = await _usable(request)
    if refusal is not None:
        return refusal
    assert row is not None
    if not _holds(request, row):
        return _gone(request, "elsewhere")
    settings = request.app[settings_key]
    message = (await request.post()).get("message")
    if not isinstance(message, str) or not message.strip():
        return await _conversation(request, row, "Type your answer in the box, then press Send.")
    if len(message) > settings.max_message_chars:
        too_long = f"Your answer is too long: please keep it under {settings.max_message_chars} characters."
        return await _conversation(request, row, too_long)
    try:
        async with request.app[db_key]() as session, session.begin():
            await answering.answer(session, settings, row.id, message.strip(), request.app[risk_key])
    except Exception as error:  # noqa: BLE001 - the database (or the reader) failed: the intake's safety net
        logger.error("follow-up %d: an answer could not be saved (%s)", row.id, type(error).__name__)
        crisis = fallback_reply(settings, f"followup-{row.intake_id}", "followup", message.strip())
        return _render(request, {"failed": True, "said": crisis or []}, status=503)
    raise web.HTTPSeeOther(str(request.app.router["followup"].url_for(token=request.match_info["token"])))


async def no_thanks_form(request: web.Request) -> web.Response:
    async with request.app[db_key]() as session:
        row = await followups.for_no_thanks(session, request.match_info["token"])
    if row is None:
        return _gone(request, "unknown")
    return _render(request, {"token": request.match_info["token"], "no_thanks": True})


async def no_thanks(request: web.Request) -> web.Response:
    """No follow-up, and for an e-mailed one, no more e-mail to that address (it works from any browser,
    and with the first e-mail's link after a reminder replaced it)."""
    async with request.app[db_key]() as session, session.begin():
        row = await followups.for_no_thanks(session, request.match_info["token"])
        if row is None:
            return _gone(request, "unknown")
        await followups.close(session, row.id, FollowUpStatus.DECLINED, "said no thanks by the link")
        if row.channel == FollowUpChannel.EMAIL:
            address = await _address_of(session, row.intake_id)
            if address:
                await mail_store.opt_out(session, address)
    return _render(request, {"declined": True})


async def _address_of(session: AsyncSession, intake_id: int) -> Optional[str]:
    summary = (await session.execute(select(Intake.summary).where(Intake.id == intake_id))).scalar_one_or_none()
    return followups.email_of(summary)
