"""The web app on 127.0.0.1:8080: the link worker review app and its JSON API.

`create_app(settings)` builds it: every route is in the one table below,
handlers live in pages.py (HTML) and api.py (JSON), the rules on who may see
what in security.py. Templates are Jinja2 with autoescape on, so patient text
is always shown as text. NHS.UK frontend assets are served from node_modules
(installed by `npm ci`), never from a CDN.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
from datetime import datetime
from pathlib import Path
from typing import Any, AsyncIterator, Awaitable, Callable, Coroutine, Optional

import aiohttp_jinja2
import jinja2
from aiohttp import web

from bot.db.engine import create_engine, session_factory
from bot.db.models import aware
from bot.directory.offers import IndexCache
from bot.directory.sync import Fetch
from bot.directory.sync import sync as sync_directory
from bot.fhir.push import Pusher
from bot.intake.display import display_value, waiting_text
from bot.intake.reconcile import Reconciler
from bot.mail.outbox import Mailer
from bot.outcomes.risk_reader import FollowUpRisk
from bot.outcomes.sending import FollowUpSender
from bot.rasa.model import model_path
from bot.retention.purge import Retention, purge
from bot.review.models import Role
from bot.settings import PROJECT_ROOT, Settings
from bot.sms.phone import vault_for
from bot.web import api, dashboard, directory, followup, invitations, letters, pages, rights, teams
from bot.web.security import (
    authenticate,
    csrf_protect,
    db_key,
    security_headers,
    settings_key,
)

HERE = Path(__file__).resolve().parent
NHSUK_FRONTEND = PROJECT_ROOT / "node_modules" / "nhsuk-frontend" / "dist" / "nhsuk"
engine_key = web.AppKey("engine", object)
log = logging.getLogger(__name__)


def routes() -> list[web.RouteDef]:
    return [
        web.get("/", pages.index, name="index"),
        web.get("/healthz", pages.health, name="health"),
        web.get("/login", pages.login_form, name="login_form"),
        web.post("/login", pages.login, name="login"),
        web.get("/login/code", pages.code_form, name="login_code_form"),
        web.post("/login/code", pages.code, name="login_code"),
        web.post("/logout", pages.logout, name="logout"),
        web.get("/queue", pages.queue_page, name="queue"),
        web.get("/queue/live", pages.queue_live, name="queue_live"),
        web.get("/intakes/{intake_id}", pages.intake_page, name="intake"),
        web.get("/intakes/{intake_id}/transcript", pages.transcript_page, name="transcript"),
        web.get("/intakes/{intake_id}/letter", letters.letter_page, name="letter"),
        web.get("/intakes/{intake_id}/letter.pdf", letters.letter_pdf, name="letter_pdf"),
        web.post("/intakes/{intake_id}/claim", pages.claim, name="claim"),
        web.post("/intakes/{intake_id}/release", pages.release, name="release"),
        web.post("/intakes/{intake_id}/assign", pages.assign, name="assign"),
        web.post("/intakes/{intake_id}/contacted", pages.contacted, name="contacted"),
        web.post("/intakes/{intake_id}/close", pages.close, name="close"),
        web.post("/intakes/{intake_id}/notes", pages.add_note, name="add_note"),
        web.post("/intakes/{intake_id}/followup", pages.change_follow_up, name="followup_change"),
        web.post("/intakes/{intake_id}/offers/{service_id}", directory.decide, name="offer_decide"),
        web.get("/directory", directory.directory_page, name="directory"),
        web.get("/directory/{service_id}", directory.service_page, name="directory_service"),
        web.get("/admin/audit", pages.audit_log, name="audit"),
        web.get("/admin/person", rights.person_form, name="person"),
        web.post("/admin/person/export", rights.export, name="person_export"),
        web.post("/admin/person/erase", rights.erase, name="person_erase"),
        web.get("/admin/teams", teams.teams_page, name="teams"),
        web.post("/admin/teams", teams.create_team, name="team_create"),
        web.get("/admin/teams/{code}", teams.team_page, name="team"),
        web.post("/admin/teams/{code}", teams.update_team, name="team_update"),
        web.post("/admin/teams/{code}/members", teams.add_member, name="team_add_member"),
        web.post("/admin/teams/{code}/members/remove", teams.remove_member, name="team_remove_member"),
        web.post("/admin/teams/{code}/entry-points", teams.create_entry_point, name="entry_point_create"),
        web.post("/admin/entry-points/{code}/active", teams.set_entry_active, name="entry_point_active"),
        web.get("/admin/entry-points/{code}/poster", teams.poster, name="entry_point_poster"),
        web.get("/admin/entry-points/{code}/qr.svg", teams.qr_svg, name="entry_point_qr_svg"),
        web.get("/admin/entry-points/{code}/qr.png", teams.qr_png, name="entry_point_qr_png"),
        web.get("/invite", invitations.invite_form, name="invite_form"),
        web.post("/invite", invitations.invite, name="invite"),
        web.get("/api/v1/openapi.json", api.openapi, name="api_openapi"),
        web.get("/api/v1/queue", api.list_queue, name="api_queue"),
        web.get("/api/v1/teams", api.list_teams, name="api_teams"),
        web.get("/api/v1/intakes/{intake_id}", api.get_intake, name="api_intake"),
        web.get("/api/v1/intakes/{intake_id}/fhir", api.get_intake_fhir, name="api_intake_fhir"),
        web.get("/api/v1/intakes/{intake_id}/letter", api.get_intake_letter, name="api_intake_letter"),
        web.get("/fhir/Questionnaire/what-matters-intake", api.get_questionnaire, name="fhir_questionnaire"),
        web.post("/api/v1/intakes/{intake_id}/status", api.change_status, name="api_status"),
        web.post("/api/v1/intakes/{intake_id}/notes", api.add_note, name="api_note"),
        web.get("/api/v1/intakes/{intake_id}/offers", api.get_offers, name="api_offers"),
        web.get("/api/v1/intakes/{intake_id}/followup", api.get_followup, name="api_followup"),
        web.post("/api/v1/intakes/{intake_id}/followup", api.change_followup, name="api_followup_change"),
        web.post("/api/v1/intakes/{intake_id}/offers/{service_id}", api.decide_offer, name="api_offer_decide"),
        web.get("/api/v1/directory/services", api.list_services, name="api_services"),
        web.get("/api/v1/directory/services/{service_id}", api.get_service, name="api_service"),
        # The outcomes dashboard (managers and admins): the page, a CSV file of each of its tables, the figures as JSON.
        web.get("/dashboard", dashboard.dashboard_page, name="dashboard"),
        web.get("/dashboard/{table}.csv", dashboard.dashboard_csv, name="dashboard_csv"),
        web.get("/api/v1/dashboard", dashboard.dashboard_api, name="api_dashboard"),
    ]


def _when(moment: Optional[datetime]) -> str:
    """A time as people in England read it: '3 Mar 2026, 14:05' (UTC stored, shown in UTC)."""
    moment = aware(moment)
    return moment.strftime("%-d %b %Y, %H:%M UTC") if moment else ""


_FONT_FACE = re.compile(r"@font-face\s*\{[^}]*\}")


def nhsuk_css() -> str:
    """The NHS.UK frontend stylesheet without its @font-face rules.

    Those fetch the Frutiger web font from assets.nhs.uk: a CDN, which the
    Content-Security-Policy blocks. Without them the design system falls back
    to Arial, as NHS.UK guidance allows.
    """
    return _FONT_FACE.sub("", (NHSUK_FRONTEND / "nhsuk-frontend.min.css").read_text(encoding="utf-8"))


async def _database(app: web.Application) -> AsyncIterator[None]:
    engine = create_engine(app[settings_key])
    app[engine_key] = engine
    app[db_key] = session_factory(engine)
    yield
    await engine.dispose()


async def _every(seconds: float, work: Callable[[], Awaitable[object]], what: str, first_wait: float = 0.0) -> None:
    """Run `work` (after `first_wait`) and then every `seconds`; a failure is logged by its kind, and tried again."""
    await asyncio.sleep(first_wait)
    while True:
        try:
            await work()
        except Exception as error:  # noqa: BLE001 - the database may be down: try again next time
            log.error("%s failed: %s", what, type(error).__name__)
        await asyncio.sleep(seconds)


@contextlib.asynccontextmanager
async def _in_background(job: Coroutine[Any, Any, None]) -> AsyncIterator[None]:
    """`job` runs while the app does, and is cancelled when it stops."""
    task = asyncio.create_task(job)
    try:
        yield
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


async def _reconcile_flags(app: web.Application) -> AsyncIterator[None]:
    """Raise the flag of any disclosure recorded without one, at start-up and then every few seconds."""
    settings = app[settings_key]
    reconciler = Reconciler(app[db_key], settings.spool_path)
    async with _in_background(_every(settings.reconcile_seconds, reconciler.run_once, "reconciling flags")):
        yield


async def _purge_daily(app: web.Application) -> AsyncIterator[None]:
    """Apply the retention periods a minute after start-up and then every PURGE_HOURS."""
    settings = app[settings_key]
    retention = Retention.from_settings(settings)

    async def purge_once() -> None:
        async with app[db_key]() as session, session.begin():
            counts = await purge(session, retention)
        log.info("retention purge: %d records deleted", counts.total)

    every = settings.purge_hours * 3600
    async with _in_background(_every(every, purge_once, "retention purge", first_wait=min(60.0, every))):
        yield


async def _push_fhir(app: web.Application) -> AsyncIterator[None]:
    """Send submitted intakes to the FHIR server, when FHIR_ENDPOINT is set."""
    settings = app[settings_key]
    if not settings.fhir_endpoint:
        yield
        return
    pusher = Pusher(settings, app[db_key])
    task = asyncio.create_task(pusher.run_forever())
    yield
    await pusher.stop(task)


async def _directory(app: web.Application) -> AsyncIterator[None]:
    """The offers' matching index, and the directory source (DIRECTORY_SYNC_URL) synced now and every few hours."""
    settings = app[settings_key]
    app[directory.index_key] = IndexCache()
    if not settings.directory_sync_url:
        yield
        return
    how = Fetch(token=settings.directory_sync_token)

    async def sync_once() -> None:
        outcome = await sync_directory(app[db_key], settings.directory_sync_url, how)
        if not outcome.ok:
            log.error("directory sync failed, nothing changed: %s", outcome.error)
        async with app[db_key]() as session:  # the matching index, built now rather than on a summary page
            await app[directory.index_key].get(session)

    async with _in_background(_every(settings.directory_sync_hours * 3600, sync_once, "directory sync")):
        yield


async def _followups(app: web.Application) -> AsyncIterator[None]:
    """Follow-ups: their risk reader, their invitations and reminders sent when due, and the e-mail outbox
    (when SMTP_HOST is set)."""
    settings = app[settings_key]
    app[followup.risk_key] = FollowUpRisk(model_path(settings.model_dir))
    app[followup.sender_key] = FollowUpSender(settings, app[db_key], vault_for(settings))
    mailer = Mailer(settings, app[db_key]) if settings.mail_enabled else None
    app[followup.mailer_key] = mailer
    mailing = asyncio.create_task(mailer.run_forever()) if mailer else None

    async def send_once() -> None:
        await followup.send_due_now(app)

    async with _in_background(_every(settings.followup_poll_seconds, send_once, "sending follow-ups", first_wait=5.0)):
        yield
    if mailer is not None and mailing is not None:
        await mailer.stop(mailing)


def create_app(settings: Settings) -> web.Application:
    app = web.Application(middlewares=[security_headers, authenticate, csrf_protect], client_max_size=64 * 1024)
    app[settings_key] = settings
    environment = aiohttp_jinja2.setup(
        app,
        loader=jinja2.FileSystemLoader(str(HERE / "templates")),
        autoescape=jinja2.select_autoescape(default=True, default_for_string=True),
        undefined=jinja2.ChainableUndefined,
    )
    environment.globals.update(show=display_value, waiting=waiting_text, role_names=Role.NAMES)
    environment.filters["when"] = _when
    app.cleanup_ctx.extend(
        [_database, _reconcile_flags, _purge_daily, _push_fhir, _directory, _followups]
    )  # the database first: the others need it
    app.add_routes(routes())
    from bot.web import widget  # the patient chat and embeddable widget (/patient/...)

    app.add_routes(widget.routes(settings))
    app.add_routes(followup.routes())  # a person's follow-up link (/f/...)
    if NHSUK_FRONTEND.is_dir():
        stylesheet = nhsuk_css()

        async def serve_nhsuk_css(request: web.Request) -> web.Response:
            return web.Response(
                text=stylesheet, content_type="text/css", headers={"Cache-Control": "public, max-age=3600"}
            )

        app.router.add_get("/static/nhsuk.css", serve_nhsuk_css, name="nhsuk_css")
        app.router.add_static("/nhsuk", NHSUK_FRONTEND)
        app.router.add_static("/assets", NHSUK_FRONTEND / "assets")
    else:
        log.warning("NHS.UK frontend not found at %s: run `npm ci` (make install does)", NHSUK_FRONTEND)
    app.router.add_static("/static", HERE / "static")
    return app
