"""Admin pages for a person's rights: a copy of everything held about them, and its erasure.

The same logic as `whatmatters person export|erase` (bot.retention.rights). Both are
POSTs, so a phone number never sits in a URL or an access log; the export is a
download (a readable page, or JSON) for the admin to pass to the person; erasure
needs its confirmation box ticked. Both are audited.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from aiohttp import web

from bot.errors import DomainError
from bot.retention import rights
from bot.sms.phone import vault_for
from bot.web.errors import status_of
from bot.web.pages import page
from bot.web.security import db_key, require_admin, settings_key, source

MAX_WHO_CHARS = 40


def _form(request: web.Request, status: int = 200, **context: Any) -> web.Response:
    return page(request, "person.html", {"nav": "person", "who": "", **context}, status=status)


@require_admin
async def person_form(request: web.Request) -> web.Response:
    return _form(request)


@require_admin
async def export(request: web.Request) -> web.Response:
    form = await request.post()
    who = str(form.get("who", "")).strip()[:MAX_WHO_CHARS]
    as_json = form.get("format") == "json"
    vault = vault_for(request.app[settings_key])
    try:
        async with request.app[db_key]() as session, session.begin():
            person = await rights.find_person(session, who, vault)
            document = await rights.export(session, person, request["user"].email, vault, source(request))
    except DomainError as error:
        return _form(request, status_of(error), who=who, error=error.message)
    name = f"what-matters-export-{date.today().isoformat()}.{'json' if as_json else 'html'}"
    body = json.dumps(document, indent=2, default=str) if as_json else rights.export_html(document)
    return web.Response(
        text=body,
        content_type="application/json" if as_json else "text/html",
        headers={"Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "no-store"},
    )


@require_admin
async def erase(request: web.Request) -> web.Response:
    form = await request.post()
    who = str(form.get("who", "")).strip()[:MAX_WHO_CHARS]
    if form.get("confirm") != "yes":
        return _form(request, 400, who=who, error="Tick the box to confirm: erasing cannot be undone.")
    try:
        async with request.app[db_key]() as session, session.begin():
            person = await rights.find_person(session, who, vault_for(request.app[settings_key]))
            counts = await rights.erase(
                session,
                person,
                request["user"].email,
                even_if_open=form.get("even_if_open") == "yes",
                source=source(request),
            )
    except DomainError as error:
        return _form(request, status_of(error), who=who, error=error.message)
    return _form(request, erased=counts)
