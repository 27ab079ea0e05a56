"""Domain errors turned into HTTP, in one place for the pages and the API."""

from __future__ import annotations

from aiohttp import web

from bot.errors import DomainError, Kind

HTTP_ERRORS: dict[Kind, type[web.HTTPException]] = {
    Kind.NOT_FOUND: web.HTTPNotFound,
    Kind.FORBIDDEN: web.HTTPForbidden,
    Kind.CONFLICT: web.HTTPConflict,
    Kind.INVALID: web.HTTPBadRequest,
}


def status_of(error: DomainError) -> int:
    return HTTP_ERRORS[error.kind].status_code


def http_error(error: DomainError) -> web.HTTPException:
    """For a page: the HTTP error to raise (its text is the domain's message)."""
    return HTTP_ERRORS[error.kind](text=error.message)


def json_error(error: DomainError) -> web.Response:
    """For the API: the error's status and {"error": message} (and who holds the item, when that is why)."""
    body = {"error": error.message, **({"holder": error.holder} if error.holder else {})}
    return web.json_response(body, status=status_of(error))
