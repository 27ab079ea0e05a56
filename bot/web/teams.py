"""Admins manage teams, their members and their entry points, and print an entry point's poster.

Every change goes through bot.teams.store (audited there, in the same transaction). A refused
change shows the page again with the NHS.UK error summary and the status bot.web.errors gives
its kind (400, 404, 409), the form keeping what was typed. The poster's QR code is drawn here,
on the server, by segno: no script and no request leaves the page.
"""

from __future__ import annotations

import io
from typing import Any, Awaitable, Callable, Optional

import segno
from aiohttp import web
from markupsafe import Markup
from sqlalchemy.ext.asyncio import AsyncSession

from bot.errors import DomainError, invalid
from bot.settings import Settings
from bot.teams import store
from bot.teams.links import start_link
from bot.teams.models import EntryPoint, ReferralSource, Team, TeamKind
from bot.web.errors import http_error, status_of
from bot.web.pages import page
from bot.web.security import db_key, require_admin, settings_key, source

MESSAGES = {
    "created": "The team has been created.",
    "updated": "The team's details have been saved.",
    "member_added": "The member has been added.",
    "member_removed": "The member has been removed.",
    "entry_created": "The entry point has been created. Print its poster for the place.",
    "entry_on": "The entry point is on again: its link and poster work.",
    "entry_off": "The entry point is off: its link no longer starts a chat.",
}

# Which field of a form a refusal is about, by a word of its message (bot.teams.store words them): first match wins.
CREATE_FIELDS = {"one of": "kind", "practice": "practices", "code": "code", "already": "code", "name": "name"}
EDIT_FIELDS = {"practice": "practices", "name": "name"}
ENTRY_FIELDS = {"come from": "source", "place": "place"}

QR_ERROR_LEVEL = "m"
"""Medium error correction: survives a crease or a smudge on a printed poster."""


def _practices(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def _qr(settings: Settings, code: str) -> segno.QRCode:
    return segno.make(start_link(settings, code), error=QR_ERROR_LEVEL)


def _field(error: DomainError, fields: dict[str, str], default: str) -> str:
    """The form field an error is about, for the error summary to link to: the first whose word the message has."""
    message = error.message.lower()
    return next((field for word, field in fields.items() if word in message), default)


def _team_form(form: Any) -> dict[str, Any]:
    """A team's details as typed (kept to show again when the change is refused)."""
    return {
        "code": str(form.get("code", "")).strip()[:64],
        "name": str(form.get("name", ""))[:200],
        "kind": str(form.get("kind", "")),
        "practices": str(form.get("practices", ""))[:10_000],
        "takes_unregistered": bool(form.get("takes_unregistered")),
        "is_default": bool(form.get("is_default")),
    }


# --- the list of teams -------------------------------------------------------------------------------------------


async def _team_summaries(session: AsyncSession) -> list[dict[str, Any]]:
    """Every team with its members and entry points, for the list page."""
    every_entry = await store.entry_points(session)
    return [
        {
            "team": team,
            "members": await store.members(session, team.id),
            "entry_points": [e for e in every_entry if e.team_id == team.id],
        }
        for team in await store.teams(session)
    ]


async def _teams_page(
    request: web.Request, form: Optional[dict[str, Any]] = None, error: Optional[DomainError] = None
) -> web.Response:
    async with request.app[db_key]() as session:
        teams = await _team_summaries(session)
    field = _field(error, CREATE_FIELDS, "code") if error else ""
    return page(
        request,
        "teams.html",
        {
            "nav": "teams",
            "teams": teams,
            "kinds": TeamKind.NAMES,
            "form": form or {},
            "error": error.message if error else None,
            "field": field,
        },
        status=status_of(error) if error else 200,
    )


@require_admin
async def teams_page(request: web.Request) -> web.StreamResponse:
    return await _teams_page(request)


@require_admin
async def create_team(request: web.Request) -> web.StreamResponse:
    typed = _team_form(await request.post())
    try:
        async with request.app[db_key]() as session, session.begin():
            team = await store.create_team(
                session,
                request["user"].email,
                typed["code"],
                typed["name"],
                typed["kind"],
                _practices(typed["practices"]),
                typed["takes_unregistered"],
                typed["is_default"],
                source(request),
            )
    except DomainError as error:
        return await _teams_page(request, typed, error)
    raise web.HTTPSeeOther(f"/admin/teams/{team.code}?m=created")


# --- one team ----------------------------------------------------------------------------------------------------


async def _team_page(
    request: web.Request, error: Optional[DomainError] = None, field: str = "", form: Optional[dict[str, Any]] = None
) -> web.Response:
    """The team's page, with a refused change's error and what was typed, when there is one; 404 for no team."""
    settings = request.app[settings_key]
    try:
        async with request.app[db_key]() as session:
            team = await store.team_by_code(session, request.match_info["code"])
            members = await store.members(session, team.id)
            entries = await store.entry_points(session, team.id)
    except DomainError as missing:
        raise http_error(missing) from missing
    return page(
        request,
        "team.html",
        {
            "nav": "teams",
            "team": team,
            "kind_name": TeamKind.NAMES.get(team.kind, team.kind),
            "members": members,
            "entry_points": [{"entry": e, "link": start_link(settings, e.code)} for e in entries],
            "sources": ReferralSource.NAMES,
            "message": None if error else MESSAGES.get(request.query.get("m", "")),
            "error": error.message if error else None,
            "field": field,
            "form": form or {},
        },
        status=status_of(error) if error else 200,
    )


@require_admin
async def team_page(request: web.Request) -> web.StreamResponse:
    return await _team_page(request)


Change = Callable[[AsyncSession], Awaitable[Any]]


async def _change(
    request: web.Request, work: Change, done: str, fields: dict[str, str], default: str, typed: dict[str, Any]
) -> web.StreamResponse:
    """Run one change to a team in a transaction: back to its page with a message, or the page with the error."""
    try:
        async with request.app[db_key]() as session, session.begin():
            await work(session)
    except DomainError as error:
        return await _team_page(request, error, _field(error, fields, default), typed)
    raise web.HTTPSeeOther(f"/admin/teams/{request.match_info['code'].strip().lower()}?m={done}")


@require_admin
async def update_team(request: web.Request) -> web.StreamResponse:
    typed = _team_form(await request.post())
    return await _change(
        request,
        lambda session: store.update_team(
            session,
            request["user"].email,
            request.match_info["code"],
            name=typed["name"],
            practices=_practices(typed["practices"]),
            takes_unregistered=typed["takes_unregistered"],
            is_default=typed["is_default"],
            source=source(request),
        ),
        "updated",
        EDIT_FIELDS,
        "name",
        {"edit": typed},
    )


async def _add(session: AsyncSession, request: web.Request, email: str) -> None:
    if not email:
        raise invalid("Enter the email address of the person to add.")
    await store.add_member(session, request["user"].email, request.match_info["code"], email, source(request))


@require_admin
async def add_member(request: web.Request) -> web.StreamResponse:
    email = str((await request.post()).get("email", "")).strip()[:255]
    return await _change(
        request, lambda session: _add(session, request, email), "member_added", {}, "member-email", {"email": email}
    )


@require_admin
async def remove_member(request: web.Request) -> web.StreamResponse:
    email = str((await request.post()).get("email", "")).strip()[:255]
    return await _change(
        request,
        lambda session: store.remove_member(
            session, request["user"].email, request.match_info["code"], email, source(request)
        ),
        "member_removed",
        {},
        "members",
        {},
    )


@require_admin
async def create_entry_point(request: web.Request) -> web.StreamResponse:
    form = await request.post()
    typed = {"place": str(form.get("place", ""))[:200], "source": str(form.get("source", ""))}
    return await _change(
        request,
        lambda session: store.create_entry_point(
            session, request["user"].email, request.match_info["code"], typed["place"], typed["source"], source(request)
        ),
        "entry_created",
        ENTRY_FIELDS,
        "place",
        {"entry": typed},
    )


# --- entry points: switching on and off, the poster and its QR code ----------------------------------------------


async def _entry(session: AsyncSession, code: str) -> tuple[EntryPoint, Team]:
    """An entry point (on or off) and its team; not found, as a 404, when there is none."""
    entry = await store.entry_point(session, code, active_only=False)
    team = await session.get(Team, entry.team_id) if entry is not None else None
    if entry is None or team is None:
        raise web.HTTPNotFound(text="There is no entry point with that code.")
    return entry, team


@require_admin
async def set_entry_active(request: web.Request) -> web.StreamResponse:
    form = await request.post()
    active = str(form.get("active", "")) == "1"
    async with request.app[db_key]() as session, session.begin():
        entry, team = await _entry(session, request.match_info["code"])
        await store.set_entry_point_active(session, request["user"].email, entry.code, active, source(request))
    raise web.HTTPSeeOther(f"/admin/teams/{team.code}?m={'entry_on' if active else 'entry_off'}")


@require_admin
async def poster(request: web.Request) -> web.StreamResponse:
    """The A4 poster for the place: plain words, the link in large type and the QR code inline."""
    settings = request.app[settings_key]
    async with request.app[db_key]() as session:
        entry, team = await _entry(session, request.match_info["code"])
    link = start_link(settings, entry.code)
    # Safe to put in the page as it is: segno writes only path data and the title, which it escapes.
    svg = _qr(settings, entry.code).svg_inline(
        omitsize=True, svgclass="wm-poster__qr-code", title=f"QR code for {link}", light="#fff"
    )
    return page(
        request,
        "poster.html",
        {
            "nav": "teams",
            "entry": entry,
            "team": team,
            "link": link,
            "text_number": settings.sms_poster_number if settings.sms_enabled else "",
            "qr_svg": Markup(svg.replace("<svg ", '<svg role="img" focusable="false" ', 1)),
        },
    )


@require_admin
async def qr_svg(request: web.Request) -> web.StreamResponse:
    settings = request.app[settings_key]
    async with request.app[db_key]() as session:
        entry, _ = await _entry(session, request.match_info["code"])
    out = io.BytesIO()
    _qr(settings, entry.code).save(out, kind="svg", scale=10, title=start_link(settings, entry.code), light="#fff")
    return web.Response(
        body=out.getvalue(),
        content_type="image/svg+xml",
        headers={"Content-Disposition": f'inline; filename="entry-point-{entry.code}.svg"'},
    )


@require_admin
async def qr_png(request: web.Request) -> web.StreamResponse:
    settings = request.app[settings_key]
    async with request.app[db_key]() as session:
        entry, _ = await _entry(session, request.match_info["code"])
    out = io.BytesIO()
    _qr(settings, entry.code).save(out, kind="png", scale=10)
    return web.Response(
        body=out.getvalue(),
        content_type="image/png",
        headers={"Content-Disposition": f'inline; filename="entry-point-{entry.code}.png"'},
    )
