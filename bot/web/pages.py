"""The link worker's pages: sign-in, queue, summary, transcript, audit log.

Handlers are small: they read the request, call bot.review.auth or bot.queue in one
transaction and render a template (Jinja2 autoescape on) or redirect.
"""

from __future__ import annotations

import secrets
from typing import Any, Optional
from urllib.parse import urlencode, urlsplit

import aiohttp_jinja2
from aiohttp import web

from bot.directory.models import OfferStatus
from bot.errors import DomainError, Kind
from bot.fhir import push
from bot.intake.display import area_choices
from bot.intake.summary import ONS_LABELS
from bot.outcomes import by_phone, followups, ons
from bot.queue import audit, change, read
from bot.review import auth, second_factor
from bot.sms import store as sms_store
from bot.teams import store as team_store
from bot.teams.models import ReferralSource
from bot.web import directory, followup
from bot.web.errors import http_error
from bot.web.security import (
    LOGIN_CSRF_COOKIE,
    SESSION_COOKIE,
    db_key,
    home,
    may_reach,
    require_admin,
    set_cookie,
    settings_key,
    source,
)

MESSAGES = {
    "claimed": "You have claimed this item.",
    "released": "You have released this item: it is back on the queue.",
    "assigned": "The item has been assigned.",
    "contacted": "Marked as contacted.",
    "closed": "The item is closed.",
    "noted": "Your note has been added.",
    "offer": "Your decision on the offer has been recorded.",
    "followup_send_now": "The follow-up is on its way (you'll see it as sent here once it has gone).",
    "followup_cancel": "The follow-up is cancelled: nothing more will be sent for it.",
    "followup_by_phone": "Their answers from the phone are saved as the follow-up.",
}


def _session(request: web.Request):
    return request.app[db_key]()


def _intake_id(request: web.Request) -> int:
    try:
        return int(request.match_info["intake_id"])
    except ValueError:
        raise web.HTTPNotFound() from None


def _safe_next(target: str) -> str:
    """Only ever redirect within this site after sign-in."""
    parts = urlsplit(target)
    if not target.startswith("/") or target.startswith("//") or parts.scheme or parts.netloc or "\\" in target:
        return "/queue"
    return target


def _next_for(user: auth.Staff, target: str) -> str:
    """Where to go after signing in: `target` when this person may reach it, else where they start."""
    target = _safe_next(target)
    return target if may_reach(user, urlsplit(target).path) else home(user)


def page(request: web.Request, template: str, context: dict[str, Any], status: int = 200) -> web.Response:
    context.setdefault("user", request.get("user"))
    context.setdefault("csrf_token", request.get("csrf"))
    context.setdefault("idle_minutes", request.app[settings_key].session_idle_minutes)
    return aiohttp_jinja2.render_template(template, request, context, status=status)


# --- sign-in and sign-out -------------------------------------------------------------


def _login_page(request: web.Request, error: str = "", email: str = "", status: int = 200) -> web.Response:
    token = secrets.token_urlsafe(32)
    response = page(
        request,
        "login.html",
        {
            "csrf_token": token,
            "error": error,
            "email": email,
            "next": _safe_next(request.query.get("next", "/queue")),
            "expired": request.query.get("expired") == "1",
            "signed_out": request.query.get("signed_out") == "1",
        },
        status=status,
    )
    set_cookie(request, response, LOGIN_CSRF_COOKIE, token, max_age=3600)
    return response


async def login_form(request: web.Request) -> web.StreamResponse:
    if request.get("user") is not None:
        raise web.HTTPSeeOther(home(request["user"]))
    return _login_page(request)


async def login(request: web.Request) -> web.StreamResponse:
    form = await request.post()
    email = str(form.get("email", "")).strip()[:255]
    password = str(form.get("password", ""))[:1024]
    if not email or not password:
        return _login_page(request, "Enter your email address and password.", email, status=400)
    async with _session(request) as session, session.begin():
        result = await auth.sign_in(session, email, password, source=source(request))
        if result.user is not None:
            if request.get("session_token"):
                await auth.end_session(session, request["session_token"], source(request))
            token, _ = await auth.start_session(session, result.user, source(request), result.second_factor)
    if result.user is None:
        message = {
            "locked": f"Too many failed attempts: this account is locked. Try again in {max(1, result.retry_after // 60)} minutes, or ask an admin.",
            "slow_down": f"Too many failed attempts. Wait {result.retry_after} seconds and try again.",
            "no_second_factor": "Admin accounts sign in with a code from an authenticator app, and this one has none "
            "set up yet. Ask whoever runs What Matters to run: whatmatters user totp YOUR-EMAIL",
        }.get(result.reason, "The email address or password is not right.")
        status = {"locked": 429, "slow_down": 429, "no_second_factor": 403}.get(result.reason, 401)
        return _login_page(request, message, email, status=status)
    following = _next_for(result.user, str(form.get("next", "/queue")))
    if result.second_factor:
        following = "/login/code?" + urlencode({"next": following})
    response = web.HTTPSeeOther(following)
    set_cookie(request, response, SESSION_COOKIE, token)
    response.del_cookie(LOGIN_CSRF_COOKIE, path="/")
    raise response


def _code_page(request: web.Request, error: str = "", status: int = 200) -> web.Response:
    return page(
        request,
        "login_code.html",
        {"error": error, "next": _safe_next(request.query.get("next", "/queue"))},
        status=status,
    )


async def code_form(request: web.Request) -> web.StreamResponse:
    if request.get("pending") is None:
        raise web.HTTPSeeOther(home(request["user"]) if request.get("user") else "/login")
    return _code_page(request)


async def code(request: web.Request) -> web.StreamResponse:
    pending = request.get("pending")
    if pending is None:
        raise web.HTTPSeeOther(home(request["user"]) if request.get("user") else "/login")
    form = await request.post()
    async with _session(request) as session, session.begin():
        outcome = await second_factor.confirm(
            session, pending.session_id, str(form.get("code", ""))[:20], source(request)
        )
    if outcome == "ok":
        raise web.HTTPSeeOther(_next_for(pending.user, str(form.get("next", "/queue"))))
    if outcome == "locked":
        response = web.HTTPSeeOther("/login?locked=1")
        response.del_cookie(SESSION_COOKIE, path="/")
        raise response
    return _code_page(request, "That code is not right. Type the six digits your authenticator app shows now.", 401)


async def logout(request: web.Request) -> web.StreamResponse:
    async with _session(request) as session, session.begin():
        await auth.end_session(session, request["session_token"], source(request))
    response = web.HTTPSeeOther("/login?signed_out=1")
    response.del_cookie(SESSION_COOKIE, path="/")
    raise response


async def index(request: web.Request) -> web.StreamResponse:
    """Staff go to their queue; anyone else (a patient following an invitation link, /?ref=CODE) to the chat."""
    if request.get("user") is not None and "ref" not in request.query:
        raise web.HTTPSeeOther(home(request["user"]))
    target = "/patient/chat"
    if request.query_string:
        target += "?" + request.query_string
    raise web.HTTPSeeOther(target)


async def health(request: web.Request) -> web.Response:
    return web.json_response({"status": "ok"})


# --- the queue --------------------------------------------------------------------------


async def _queue_context(request: web.Request) -> dict[str, Any]:
    """The queue's rows and counts; the teams the viewer may filter by, and whether rows name their team.

    A link worker in one team sees only that team's items, so the column would say the same on every row:
    it shows for admins and for whoever is in several teams.
    """
    viewer = request["user"]
    wanted = read.QueueFilter.from_query(request.query)
    async with _session(request) as session:
        rows = await read.rows(session, viewer, wanted)
        counts = await read.counts(session, viewer)
        version = await read.version(session, viewer)
        teams = [t for t in await team_store.teams(session) if viewer.may_see(t.id)]
    return {
        "rows": rows,
        "counts": counts,
        "wanted": wanted,
        "version": version,
        "query": urlencode(wanted.as_query()),
        "teams": teams,
        "show_team": viewer.teams is None or len(viewer.teams) > 1,
    }


async def queue_page(request: web.Request) -> web.StreamResponse:
    context = await _queue_context(request)
    async with _session(request) as session:
        pushes = await push.state(session, request.app[settings_key])
    context.update(
        areas=area_choices(), statuses=read.STATUS_NAMES, sources=ReferralSource.NAMES, failed_pushes=pushes.failed
    )
    return page(request, "queue.html", context)


async def queue_live(request: web.Request) -> web.StreamResponse:
    """The queue table alone, for the page to poll: 204 while nothing changed."""
    async with _session(request) as session:
        version = await read.version(session, request["user"])
    if request.query.get("since") == version:
        return web.Response(status=204)
    context = await _queue_context(request)
    response = page(request, "_queue_live.html", context)
    response.headers["X-Queue-Version"] = context["version"]
    return response


# --- one intake -------------------------------------------------------------------------


async def intake_page(request: web.Request) -> web.StreamResponse:
    return await _intake(request)


async def _intake(
    request: web.Request, phone_errors: Optional[dict[str, str]] = None, phone_given: Optional[dict[str, Any]] = None
) -> web.Response:
    """The summary page; with `phone_errors`, again with the phone answers' form as it was sent (400)."""
    intake_id = _intake_id(request)
    async with _session(request) as session, session.begin():
        detail = await read.detail(session, intake_id, request["user"], source(request))
        colleagues = [c for c in await auth.list_users(session) if c.sees_people] if request["user"].is_admin else []
        sms = await sms_store.status_for_conversation(session, detail.intake.conversation_id) if detail else None
        fhir_push = await push.of_intake(session, intake_id)
        follow_up = await followups.view_of(session, intake_id) if detail else None
        phone_form = await by_phone.may_record(session, intake_id) if detail else False
    if detail is None:
        raise web.HTTPNotFound()
    offers = await directory.summary_offers(request, intake_id, detail.summary)
    message = MESSAGES.get(request.query.get("m", ""))
    error = None
    if request.query.get("m") == "taken":
        holder = detail.item.assignee if detail.item else None
        error = f"{holder} has already claimed this item." if holder else "Someone else changed this item first."
    elif request.query.get("m") == "error":
        error = "That change could not be made. The page shows the item as it is now."
    return page(
        request,
        "intake.html",
        {
            "d": detail,
            "s": detail.summary,
            "message": message,
            "error": error,
            "ons_labels": ONS_LABELS,
            "outcomes": change.OUTCOMES,
            "max_note_chars": change.MAX_NOTE_CHARS,
            "statuses": read.STATUS_NAMES,
            "colleagues": colleagues,
            "sms": sms,
            "fhir_push": fhir_push,
            "offers": offers,
            "offer_statuses": OfferStatus.NAMES,
            "follow_up": follow_up,
            "follow_up_weeks": request.app[settings_key].followup_weeks,
            "phone_form": phone_form,
            "phone_errors": phone_errors,
            "phone_given": phone_given,
            "phone_labels": [(m, ons.LABELS[m]) for m in ons.MEASURES],
            "phone_max_chars": by_phone.MAX_WHAT_CHANGED,
        },
        status=400 if phone_errors else 200,
    )


async def transcript_page(request: web.Request) -> web.StreamResponse:
    intake_id = _intake_id(request)
    async with _session(request) as session, session.begin():
        found = await read.transcript(session, intake_id, request["user"], source(request))
    if found is None:
        raise web.HTTPNotFound()
    intake, lines = found
    return page(request, "transcript.html", {"intake": intake, "lines": lines})


async def _change(request: web.Request, action: str) -> web.StreamResponse:
    """Run one queue change from a form and go back to the summary page with a message."""
    intake_id = _intake_id(request)
    form = await request.post()
    user, where = request["user"], source(request)
    outcome_code = action
    try:
        async with _session(request) as session, session.begin():
            if action == "claimed":
                await change.claim(session, intake_id, user, where)
            elif action == "released":
                await change.release(session, intake_id, user, where)
            elif action == "assigned":
                await change.assign(session, intake_id, user, str(form.get("assignee", "")), where)
            elif action == "contacted":
                await change.mark_contacted(session, intake_id, user, where)
            elif action == "closed":
                await change.close(
                    session,
                    intake_id,
                    user,
                    str(form.get("outcome", "")),
                    where,
                    offered=str(form.get("offered", "")),
                    taken_up=str(form.get("taken_up", "")),
                    follow_up_weeks=_follow_up_weeks(request, str(form.get("follow_up", "yes"))),
                )
            elif action == "noted":
                await change.add_note(session, intake_id, user, str(form.get("note", "")), where)
    except DomainError as error:
        if error.kind in (Kind.NOT_FOUND, Kind.FORBIDDEN):
            raise http_error(error) from error
        outcome_code = "taken" if error.holder else "error"
    target = f"/intakes/{intake_id}?m={outcome_code}"
    if action == "noted" and outcome_code == "noted":
        target += "#notes"
    raise web.HTTPSeeOther(target)


async def change_follow_up(request: web.Request) -> web.StreamResponse:
    """The summary's follow-up buttons: send a scheduled one now, or cancel one not yet answered (audited);
    or the answers a link worker heard on the phone."""
    intake_id = _intake_id(request)
    form = await request.post()
    action = str(form.get("action", ""))
    if action == by_phone.ACTION:
        return await _record_by_phone(request, intake_id, {k: str(v) for k, v in form.items() if k in by_phone.FIELDS})
    outcome = f"followup_{action}"
    try:
        async with _session(request) as session, session.begin():
            if await read.intake_seen_by(session, intake_id, request["user"]) is None:
                raise web.HTTPNotFound()
            await followups.change_by_link_worker(session, intake_id, action, request["user"].email, source(request))
    except DomainError as error:
        if error.kind in (Kind.NOT_FOUND, Kind.FORBIDDEN):
            raise http_error(error) from error
        outcome = "error"
    if outcome == "followup_send_now":
        await followup.send_due_now(request.app)
    raise web.HTTPSeeOther(f"/intakes/{intake_id}?m={outcome}#followup")


async def _record_by_phone(request: web.Request, intake_id: int, given: dict[str, str]) -> web.StreamResponse:
    """Check the phone answers (the page again with an error per field), read what changed for risk off the
    event loop, then save them all in one transaction."""
    answers, errors = by_phone.check(given)
    if answers is None:
        return await _intake(request, errors, given)
    risk = await by_phone.read_risk(request.app[followup.risk_key], answers)
    outcome = "followup_by_phone"
    try:
        async with _session(request) as session, session.begin():
            if await read.intake_seen_by(session, intake_id, request["user"]) is None:
                raise web.HTTPNotFound()
            await by_phone.record(session, intake_id, answers, request["user"].email, risk, source(request))
    except DomainError as error:
        if error.kind in (Kind.NOT_FOUND, Kind.FORBIDDEN):
            raise http_error(error) from error
        outcome = "error"
    raise web.HTTPSeeOther(f"/intakes/{intake_id}?m={outcome}#followup")


def _follow_up_weeks(request: web.Request, wanted: str) -> Optional[float]:
    """FOLLOWUP_WEEKS unless the link worker said the person would rather not be followed up."""
    return request.app[settings_key].followup_weeks if wanted != "no" else None


async def claim(request: web.Request) -> web.StreamResponse:
    return await _change(request, "claimed")


async def release(request: web.Request) -> web.StreamResponse:
    return await _change(request, "released")


@require_admin
async def assign(request: web.Request) -> web.StreamResponse:
    return await _change(request, "assigned")


async def contacted(request: web.Request) -> web.StreamResponse:
    return await _change(request, "contacted")


async def close(request: web.Request) -> web.StreamResponse:
    return await _change(request, "closed")


async def add_note(request: web.Request) -> web.StreamResponse:
    return await _change(request, "noted")


# --- admin --------------------------------------------------------------------------------


@require_admin
async def audit_log(request: web.Request) -> web.StreamResponse:
    wanted = audit.AuditFilter.from_query(request.query)
    async with _session(request) as session, session.begin():
        events = await audit.events(session, wanted)
        actions = await audit.actions(session)
        await audit.record(
            session,
            request["user"].email,
            "audit.view",
            source=source(request),
            detail={"actor": wanted.actor, "action": wanted.action, "intake": wanted.intake_id},
        )
    return page(request, "audit.html", {"events": events, "wanted": wanted, "actions": actions})
