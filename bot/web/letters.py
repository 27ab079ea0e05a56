"""The letter back to the GP practice about a closed item: a page to print, and a PDF.

Any signed-in member of staff may read it (a link worker writes to the practice on the team's
behalf); each read is audited as a letter view (`intake.view_letter`, with the door and format in
its detail). An item still open has no letter yet: the page says so (409). The API's copy
(`GET /api/v1/intakes/{id}/letter`, in api.py) reads and renders it with the functions here.
The words are `bot.letter.content`'s, so the page, the PDF and the command line say the same.
"""

from __future__ import annotations

import asyncio
from typing import Awaitable, Callable

import aiohttp_jinja2
from aiohttp import web

from bot.errors import DomainError, Kind
from bot.letter.content import Letter, build_letter
from bot.letter.pdf import render_pdf
from bot.queue import read
from bot.web.errors import http_error
from bot.web.pages import _intake_id, page
from bot.web.security import db_key, source

Render = Callable[[Letter], Awaitable[web.StreamResponse]]


async def read_letter(request: web.Request, intake_id: int, via: str) -> Letter:
    """A closed item's letter, its view audited; DomainError when there is none (yet)."""
    async with request.app[db_key]() as session, session.begin():
        document = await read.letter_document(session, intake_id, request["user"], source(request), via)
    return build_letter(document)


async def pdf_response(letter: Letter) -> web.Response:
    """The PDF, named by the reference only (a file name must not carry the person's name).

    Laid out in a worker thread: a page takes reportlab 50 to 100 ms of CPU, too long to hold
    every other request of this process waiting.
    """
    return web.Response(
        body=await asyncio.to_thread(render_pdf, letter),
        content_type="application/pdf",
        headers={"Content-Disposition": f'inline; filename="letter-{letter.reference}.pdf"'},
    )


async def html_document(request: web.Request, letter: Letter) -> web.Response:
    """The letter as a page of its own, without the app's navigation (for the API's callers)."""
    return aiohttp_jinja2.render_template("letter.html", request, {"letter": letter, "standalone": True})


async def _page_reply(request: web.Request, via: str, render: Render) -> web.StreamResponse:
    intake_id = _intake_id(request)
    try:
        letter = await read_letter(request, intake_id, via)
    except DomainError as error:
        if error.kind != Kind.CONFLICT:
            raise http_error(error) from error
        context = {"letter": None, "intake_id": intake_id, "problem": error.message}
        return page(request, "letter.html", context, status=409)
    return await render(letter)


async def letter_page(request: web.Request) -> web.StreamResponse:
    """The letter to read and print (print CSS: one A4 page, two at most)."""

    async def show(letter: Letter) -> web.StreamResponse:
        return page(request, "letter.html", {"intake_id": _intake_id(request), "letter": letter})

    return await _page_reply(request, "page", show)


async def letter_pdf(request: web.Request) -> web.StreamResponse:
    return await _page_reply(request, "page pdf", pdf_response)
