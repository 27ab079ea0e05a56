"""Staff invite someone by text from the review app (the same logic as `whatmatters invite`).

The invitation is put in the SMS outbox; the running Rasa server's sender
delivers it. The number is never shown back, logged or kept in clear.
"""

from __future__ import annotations

from aiohttp import web

from bot.sms.invitations import Invitation, queue_invitation
from bot.sms.phone import vault_for
from bot.teams import store as team_store
from bot.teams.models import Team
from bot.web.pages import page
from bot.web.security import db_key, settings_key, source

MAX_REF_CHARS = 32


async def _teams(request: web.Request) -> list[Team]:
    """The teams this person may invite for: their own (an admin: every team)."""
    async with request.app[db_key]() as session:
        if request["user"].is_admin:
            return await team_store.teams(session)
        return await team_store.teams_of(session, request["user"].id)


async def invite_form(request: web.Request) -> web.Response:
    settings = request.app[settings_key]
    teams = await _teams(request)
    return page(request, "invite.html", {"nav": "invite", "enabled": settings.sms_enabled, "teams": teams})


async def invite(request: web.Request) -> web.Response:
    settings = request.app[settings_key]
    form = await request.post()
    phone = str(form.get("phone", ""))[:40]
    ref = str(form.get("ref", "")).strip()[:MAX_REF_CHARS] or None
    vault = vault_for(settings)
    actor = request["user"].email
    teams = await _teams(request)
    chosen = str(form.get("team", "")).strip().lower() or (teams[0].code if len(teams) == 1 else "")
    if chosen not in {t.code for t in teams}:
        invitation = Invitation("no_team", "Choose the team the invitation comes from.")
    else:
        async with request.app[db_key]() as session, session.begin():
            invitation = await queue_invitation(session, settings, vault, phone, ref, actor, source(request), chosen)
    status = 200 if invitation.queued else 400
    return page(
        request,
        "invite.html",
        {
            "nav": "invite",
            "enabled": settings.sms_enabled,
            "teams": teams,
            "team": chosen,
            "result": invitation,
            "ref": "" if invitation.queued else (ref or ""),
        },
        status=status,
    )
