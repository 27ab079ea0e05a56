"""The patient chat: the full-page chat, the embeddable widget and the privacy notice.

Everything a patient's browser loads comes from this app (no CDN, no third
party). The browser talks straight to the Rasa server's socket.io channel,
the protocol of Rasa's own chat widget:

    GET /patient/chat[?ref=CODE]   the full-page chat (the link in an invitation text)
    GET /patient/widget.js         the one script a GP practice website embeds
    GET /patient/widget/<file>     its stylesheet and the socket.io client (from node_modules)
    GET /patient/privacy           the privacy notice, in plain English

All of these are under /patient/, which the security middleware serves
without sign-in. Pages here set their own Content-Security-Policy: the
central one plus `connect-src` to the Rasa server (http and ws), nothing else.
The widget's files may be loaded by any website (Cross-Origin-Resource-Policy
cross-origin); they carry no patient data.
"""

from __future__ import annotations

import json
import logging
import re
from functools import lru_cache
from pathlib import Path
from typing import Any, Optional
from urllib.parse import urlsplit

import aiohttp_jinja2
from aiohttp import web

from bot.intake.questions import QUESTIONS, SECTIONS
from bot.settings import PROJECT_ROOT, Settings
from bot.teams import store as team_store
from bot.teams.models import EntryPoint, Team
from bot.web.security import db_key
from bot.wording import response_texts

HERE = Path(__file__).resolve().parent
STATIC = HERE / "static" / "widget"
NODE_MODULES = PROJECT_ROOT / "node_modules"

ASSETS: dict[str, tuple[Path, str]] = {
    "widget.css": (STATIC / "widget.css", "text/css"),
    "socket.io.min.js": (NODE_MODULES / "socket.io-client" / "dist" / "socket.io.min.js", "application/javascript"),
}
CONFIG_TOKEN = "/*WM_CONFIG*/null"
REF_PATTERN = re.compile(r"^[A-Za-z0-9-]{1,24}$")
log = logging.getLogger(__name__)


def socket_url(settings: Settings) -> str:
    """Where browsers reach the Rasa server's socket.io channel: CHAT_PUBLIC_URL behind a proxy or load
    balancer (https there, so wss in the CSP); else the server's own address, which only works when
    browsers can reach it directly (a bind address such as 0.0.0.0 is never given to a browser)."""
    if settings.chat_public_url:
        return settings.chat_public_url
    host = "127.0.0.1" if settings.rasa_host in ("0.0.0.0", "::", "") else settings.rasa_host
    return f"http://{host}:{settings.rasa_port}"


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def content_security_policy(settings: Settings) -> str:
    """The app's strict policy, plus connections to the Rasa server (http for polling, ws for the socket)."""
    from bot.web.security import CSP  # the central policy: stay in step with it

    origin = _origin(socket_url(settings))
    websocket = origin.replace("http://", "ws://", 1).replace("https://", "wss://", 1)
    return CSP.replace("connect-src 'self'", f"connect-src 'self' {origin} {websocket}")


def _marker(text: str) -> str:
    """The part of a question's wording the browser looks for: its last paragraph's first line."""
    last = text.strip().split("\n\n")[-1].split("\n")[0]
    return " ".join(last.lower().split())[:48]


def intake_steps() -> list[dict[str, Any]]:
    """The intake's steps for the progress indicator, each with the wording of its questions.

    Getting started (consent), the sections of bot/intake/questions.py in
    order, then checking and sending (confirmation).
    """
    responses = response_texts()

    def markers(keys: list[str]) -> list[str]:
        return [_marker(t) for key in keys for t in responses.get(f"utter_ask_{key}", [])]

    steps = [{"title": "Getting started", "markers": markers(["consent"]), "multi": []}]
    for section in SECTIONS:
        keys = [q.key for q in QUESTIONS if q.section == section.key]
        multi = [q.key for q in QUESTIONS if q.section == section.key and q.kind in ("multi", "top")]
        steps.append({"title": section.title, "markers": markers(keys), "multi": markers(multi)})
    steps.append({"title": "Check and send", "markers": markers(["confirmed"]), "multi": []})
    return steps


def referral_marker() -> str:
    return next(iter(_marker(t) for t in response_texts().get("utter_ask_referral_code", [])), "")


def client_config(settings: Settings) -> dict[str, Any]:
    return {"socketUrl": socket_url(settings), "steps": intake_steps(), "referralMarker": referral_marker()}


def _page_headers(settings: Settings) -> dict[str, str]:
    return {"Content-Security-Policy": content_security_policy(settings), "Cache-Control": "no-store"}


def _ref(request: web.Request) -> Optional[str]:
    ref = request.query.get("ref", "").strip()
    return ref.upper() if REF_PATTERN.match(ref) else None


def routes(settings: Settings) -> list[web.RouteDef]:
    """The patient routes, for create_app to add."""
    config = client_config(settings)

    @lru_cache(maxsize=None)
    def read(path: Path) -> bytes:
        return path.read_bytes()

    def _chat(request: web.Request, entry: Optional[EntryPoint] = None, team: Optional[Team] = None) -> web.Response:
        response = aiohttp_jinja2.render_template(
            "chat.html",
            request,
            {
                "socket_url": config["socketUrl"],
                "steps_json": json.dumps(config["steps"]),
                "referral_marker": config["referralMarker"],
                "ref": _ref(request) or "",
                "entry": entry.code if entry else "",
                "team_name": team.name if team else "",
            },
        )
        response.headers.update(_page_headers(settings))
        return response

    async def chat_page(request: web.Request) -> web.Response:
        return _chat(request)

    async def start_page(request: web.Request) -> web.Response:
        """`/start/CODE`, the link on an entry point's poster: the chat, remembering where the person started."""
        async with request.app[db_key]() as session:
            entry = await team_store.entry_point(session, request.match_info["code"])
            team = await session.get(Team, entry.team_id) if entry else None
        if entry is None:
            response = aiohttp_jinja2.render_template("chat_start_unknown.html", request, {}, status=404)
            response.headers.update(_page_headers(settings))
            return response
        return _chat(request, entry, team)

    async def privacy_page(request: web.Request) -> web.Response:
        response = aiohttp_jinja2.render_template("chat_privacy.html", request, {})
        response.headers.update(_page_headers(settings))
        return response

    def _shared(body: bytes, content_type: str) -> web.Response:
        return web.Response(
            body=body,
            content_type=content_type,
            headers={
                "Cache-Control": "public, max-age=300",
                "Cross-Origin-Resource-Policy": "cross-origin",
                "Access-Control-Allow-Origin": "*",
            },
        )

    async def widget_js(request: web.Request) -> web.Response:
        source = read(STATIC / "widget.js").decode("utf-8")
        return _shared(source.replace(CONFIG_TOKEN, json.dumps(config), 1).encode("utf-8"), "application/javascript")

    async def asset(request: web.Request) -> web.Response:
        entry = ASSETS.get(request.match_info["name"])
        if entry is None or not entry[0].is_file():
            if entry is not None:
                log.warning("widget asset missing: %s (run `npm ci`)", entry[0])
            raise web.HTTPNotFound()
        return _shared(read(entry[0]), entry[1])

    return [
        web.get("/patient/chat", chat_page, name="patient_chat"),
        web.get("/start/{code}", start_page, name="patient_start"),
        web.get("/patient/privacy", privacy_page, name="patient_privacy"),
        web.get("/patient/widget.js", widget_js, name="patient_widget_js"),
        web.get("/patient/widget/{name}", asset, name="patient_widget_asset"),
    ]
