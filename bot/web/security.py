"""Middlewares of the web app: security headers, who is signed in, CSRF.

Only the sign-in page, the health check, static assets and the patient pages
are public. Staff pages need a signed-in session (cookie); the JSON API needs
a bearer token. Every state-changing form carries the session's CSRF token
(the sign-in form a double-submit cookie's), checked before any handler runs.
"""

from __future__ import annotations

import functools
import secrets
from datetime import timedelta
from typing import Awaitable, Callable, Optional
from urllib.parse import quote

from aiohttp import web
from sqlalchemy.orm import sessionmaker

from bot.queue import audit
from bot.review import auth
from bot.settings import Settings

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]

SESSION_COOKIE = "wm_session"
LOGIN_CSRF_COOKIE = "wm_login_csrf"
CSRF_FIELD = "csrf_token"

PUBLIC_PREFIXES = ("/static/", "/assets/", "/nhsuk/", "/patient/", "/start/", "/f/")
PUBLIC_PATHS = {"/", "/login", "/healthz", "/favicon.ico", "/fhir/Questionnaire/what-matters-intake"}
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
FOLLOWUP_PREFIX = "/f/"
"""A person's follow-up link (bot.web.followup): its token is the secret a forger would need, and its
binding cookie is SameSite=Strict, so its forms carry no separate CSRF token."""

CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
    "connect-src 'self'; manifest-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), interest-cohort=()",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
}

settings_key = web.AppKey("settings", Settings)
db_key = web.AppKey("db", sessionmaker)


def is_https(request: web.Request) -> bool:
    """Served over HTTPS, directly or behind a proxy that says so."""
    return request.secure or request.headers.get("X-Forwarded-Proto", "").lower() == "https"


def source(request: web.Request) -> str:
    """Where a request came from, for the audit log."""
    return (request.remote or "unknown")[:255]


def set_cookie(
    request: web.Request, response: web.StreamResponse, name: str, value: str, max_age: Optional[int] = None
) -> None:
    response.set_cookie(
        name, value, httponly=True, samesite="Strict", secure=is_https(request), path="/", max_age=max_age
    )


SECOND_FACTOR_PATHS = ("/login/code", "/logout")
"""All a session waiting for its authenticator code may reach."""

MANAGER_PATHS = frozenset(
    {"/", "/login", "/login/code", "/logout", "/dashboard", "/api/v1/dashboard", "/api/v1/openapi.json"}
)
MANAGER_PREFIXES = ("/dashboard/",)
"""All a manager may reach beyond the public pages: the outcomes dashboard (page, CSV files, API). Anything
else (the queue, intakes, transcripts, letters, offers, notes, the directory, invitations, admin pages, and
any page added later) is refused."""
MANAGER_REFUSAL = (
    "Managers see the outcomes dashboard of their teams (/dashboard), never a person's intake, "
    "the queue or the admin pages. Ask an admin or a link worker of the team if you need this."
)


def home(user: Optional[auth.Staff]) -> str:
    """Where a signed-in person starts: a manager on the dashboard, everyone else on the queue."""
    return "/dashboard" if user is not None and user.is_manager else "/queue"


def may_reach(user: auth.Staff, path: str) -> bool:
    """Least privilege for managers: the dashboard and signing in and out, nothing else."""
    if not user.is_manager:
        return True
    return path in MANAGER_PATHS or path.startswith(MANAGER_PREFIXES) or is_public(path)


def is_public(path: str) -> bool:
    return path in PUBLIC_PATHS or path.startswith(PUBLIC_PREFIXES)


REFUSED = "access.refused"
"""The audit action of a signed-in person turned away from a path their role may not reach."""


async def audit_refusal(request: web.Request, user: auth.Staff) -> None:
    """Record who was refused what: the path only (a query string may carry a name or a search)."""
    async with request.app[db_key]() as session, session.begin():
        await audit.record(session, user.email, REFUSED, source=source(request), detail={"path": request.path[:500]})


def _wants_json(request: web.Request) -> bool:
    return request.path.startswith("/api/") or request.path == "/queue/live"


def _json_error(status: int, message: str, **headers: str) -> web.Response:
    return web.json_response({"error": message}, status=status, headers=headers)


def _add_headers(request: web.Request, response: web.StreamResponse) -> None:
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    if is_https(request):
        response.headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
    if not request.path.startswith(PUBLIC_PREFIXES):
        response.headers.setdefault("Cache-Control", "no-store")


@web.middleware
async def security_headers(request: web.Request, handler: Handler) -> web.StreamResponse:
    try:
        response = await handler(request)
    except web.HTTPException as error:
        _add_headers(request, error)
        raise
    _add_headers(request, response)
    return response


@web.middleware
async def authenticate(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Put the signed-in user (request["user"]) on the request, or turn the request away."""
    request["user"] = None
    request["csrf"] = None
    factory = request.app[db_key]
    if request.path.startswith("/api/"):
        header = request.headers.get("Authorization", "")
        if header.lower().startswith("bearer "):
            async with factory() as session, session.begin():
                request["user"] = await auth.user_for_token(session, header[7:].strip())
        if request["user"] is None and request.path != "/api/v1/openapi.json":
            return _json_error(
                401,
                "a valid bearer token is required (Authorization: Bearer ...)",
                **{"WWW-Authenticate": 'Bearer realm="whatmatters"'},
            )
        if request["user"] is not None:
            if not may_reach(request["user"], request.path):
                await audit_refusal(request, request["user"])
                return _json_error(403, MANAGER_REFUSAL)
            return await handler(request)
    token = request.cookies.get(SESSION_COOKIE, "")
    expired = False
    if token:
        idle = timedelta(minutes=request.app[settings_key].session_idle_minutes)
        async with factory() as session, session.begin():
            active, expired = await auth.resume_session(session, token, idle)
        if active is not None and active.second_factor_pending:
            # The password was right; only the code page (and signing out) opens until the code is.
            request["pending"] = active
            request["csrf"] = active.csrf_token
            request["session_token"] = token
            if request.path in SECOND_FACTOR_PATHS or is_public(request.path):
                return await handler(request)
            raise web.HTTPSeeOther("/login/code")
        if active is not None:
            request["user"] = active.user
            request["csrf"] = active.csrf_token
            request["session_token"] = token
    if request["user"] is None and not is_public(request.path):
        if _wants_json(request):
            return _json_error(401, "sign in first")
        target = "/login"
        if request.method in SAFE_METHODS and request.path not in ("/", "/logout"):
            target += "?next=" + quote(request.path_qs, safe="")
        if expired:
            target += ("&" if "?" in target else "?") + "expired=1"
        raise web.HTTPSeeOther(target)
    if request["user"] is not None and not may_reach(request["user"], request.path):
        await audit_refusal(request, request["user"])
        if _wants_json(request):
            return _json_error(403, MANAGER_REFUSAL)
        raise web.HTTPForbidden(text=MANAGER_REFUSAL)
    return await handler(request)


def _matches(expected: Optional[str], given: str) -> bool:
    if not expected or not given:
        return False
    return secrets.compare_digest(expected.encode(), given.encode())


@web.middleware
async def csrf_protect(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Every state-changing request from a browser must carry the right CSRF token."""
    if request.method in SAFE_METHODS or request.path.startswith(("/api/", FOLLOWUP_PREFIX)):
        return await handler(request)
    form = (
        await request.post()
        if request.content_type in ("application/x-www-form-urlencoded", "multipart/form-data")
        else {}
    )
    given = str(form.get(CSRF_FIELD, "")) or request.headers.get("X-CSRF-Token", "")
    expected = request.cookies.get(LOGIN_CSRF_COOKIE) if request.path == "/login" else request["csrf"]
    if not _matches(expected, given):
        raise web.HTTPForbidden(
            text="This form has expired or did not come from this site. Go back, reload the page and try again."
        )
    return await handler(request)


def require_dashboard(handler: Handler) -> Handler:
    """The outcomes dashboard: managers and admins; a link worker gets 403."""

    @functools.wraps(handler)
    async def wrapped(request: web.Request) -> web.StreamResponse:
        user = request.get("user")
        if user is None or not (user.is_admin or user.is_manager):
            if user is not None:
                await audit_refusal(request, user)
            message = "The outcomes dashboard is for managers and admins."
            if request.path.startswith("/api/"):
                return _json_error(403, message)
            raise web.HTTPForbidden(text=message)
        return await handler(request)

    return wrapped


def require_admin(handler: Handler) -> Handler:
    """Admin-only handlers: a link worker gets 403."""

    @functools.wraps(handler)
    async def wrapped(request: web.Request) -> web.StreamResponse:
        user = request.get("user")
        if user is None or not user.is_admin:
            if request.path.startswith("/api/"):
                return _json_error(403, "admins only")
            raise web.HTTPForbidden(text="This page is for admins only.")
        return await handler(request)

    return wrapped
