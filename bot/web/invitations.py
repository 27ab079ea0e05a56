"""Staff invite someone by text from the review app (the same logic as `whatmatters invite`).

The invitation is put in the SMS outbox; the running Rasa server's sender
delivers it. The number is never shown back, logged or kept in clear.
"""

from __future__ import annotations

from aiohttp import web

from bot.sms.invitations import queue_invitation
from bot.sms.phone import vault_for
from bot.web.pages import page
from bot.web.security import db_key, settings_key, source

MAX_REF_CHARS = 32


async def invite_form(request: web.Request) -> web.Response:
    settings = request.app[settings_key]
    return page(request, "invite.html", {"nav": "invite", "enabled": settings.sms_enabled})


async def invite(request: web.Request) -> web.Response:
    settings = request.app[settings_key]
    form = await request.post()
    phone = str(form.get("phone", ""))[:40]
    ref = str(form.get("ref", "")).strip()[:MAX_REF_CHARS] or None
    vault = vault_for(settings)
    actor = request["user"].email
    async with request.app[db_key]() as session, session.begin():
        invitation = await queue_invitation(session, settings, vault, phone, ref, actor, source(request))
    status = 200 if invitation.queued else 400
    return page(
        request,
        "invite.html",
        {
            "nav": "invite",
            "enabled": settings.sms_enabled,
            "result": invitation,
            "ref": "" if invitation.queued else (ref or ""),
        },
        status=status,
    )
