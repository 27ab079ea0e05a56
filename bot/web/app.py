"""The web app on 127.0.0.1:8080 (the link worker review app grows here).

For now it serves a holding page and a health check, with security headers
on every response and Jinja2 templates escaped by default.
"""

from __future__ import annotations

from pathlib import Path

import aiohttp_jinja2
import jinja2
from aiohttp import web

from bot.settings import Settings

HERE = Path(__file__).resolve().parent

SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}

settings_key = web.AppKey("settings", Settings)


@web.middleware
async def security_headers(request: web.Request, handler):
    response = await handler(request)
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    return response


@aiohttp_jinja2.template("placeholder.html")
async def index(request: web.Request) -> dict:
    return {"rasa_port": request.app[settings_key].rasa_port}


async def health(request: web.Request) -> web.Response:
    return web.json_response({"status": "ok"})


def routes() -> list[web.RouteDef]:
    return [
        web.get("/", index, name="index"),
        web.get("/healthz", health, name="health"),
    ]


def create_app(settings: Settings) -> web.Application:
    app = web.Application(middlewares=[security_headers], client_max_size=64 * 1024)
    app[settings_key] = settings
    aiohttp_jinja2.setup(
        app,
        loader=jinja2.FileSystemLoader(str(HERE / "templates")),
        autoescape=jinja2.select_autoescape(default=True),
    )
    app.add_routes(routes())
    app.router.add_static("/static", HERE / "static")
    return app
