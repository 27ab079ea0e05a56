"""The review app's community offers: an intake's possible offers, decisions on them, the directory pages.

The offers shown on the summary page come from `bot.directory.offers`; the decision form posts here
and comes back to the summary's offers. The directory is not patient data: its pages are open to
every signed-in member of staff and are not audited; a decision on an intake's offer is.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any, Mapping, Optional
from urllib.parse import urlencode

from aiohttp import web

from bot.directory import offers, store
from bot.directory.matching import AREA_LABELS, MODE_WORDS, DirectoryIndex
from bot.errors import DomainError, Kind, not_found
from bot.queue import read
from bot.web.errors import http_error
from bot.web.security import db_key, source

index_key = web.AppKey("directory_index", offers.IndexCache)
log = logging.getLogger(__name__)
MODES = {code: words.capitalize() for code, words in MODE_WORDS.items()}  # "By phone", as a heading says it
PER_PAGE = 25
MAX_QUERY_CHARS = 100


def _session(request: web.Request) -> Any:
    return request.app[db_key]()


@dataclass(frozen=True)
class DirectoryQuery:
    """The directory page's and the API's filters, read once from a query string."""

    q: str = ""
    area: str = ""
    mode: str = ""
    free: bool = False
    page: int = 1
    per_page: int = PER_PAGE

    @classmethod
    def from_query(cls, query: Mapping[str, str]) -> "DirectoryQuery":
        def number(name: str, default: int, top: int) -> int:
            value = str(query.get(name, "")).strip()
            return min(top, max(1, int(value))) if value.isdigit() else default

        area = str(query.get("area", ""))
        mode = str(query.get("mode", ""))
        return cls(
            q=" ".join(str(query.get("q", "")).split())[:MAX_QUERY_CHARS],
            area=area if area in AREA_LABELS else "",
            mode=mode if mode in MODES else "",
            free=str(query.get("free", "")).lower() in ("1", "true", "yes", "on"),
            page=number("page", 1, 100_000),
            per_page=number("per_page", PER_PAGE, 100),
        )

    def link(self, **changes: Any) -> str:
        values = {
            "q": self.q,
            "area": self.area,
            "mode": self.mode,
            "free": "1" if self.free else "",
            "page": self.page,
        }
        values.update(changes)
        kept = {k: v for k, v in values.items() if v not in ("", None) and not (k == "page" and v == 1)}
        return "?" + urlencode(kept)


def shown_areas(index: DirectoryIndex, service_id: int) -> list[str]:
    """The life areas the page and API give for a service: its taxonomy's, or with none, those its words name.

    (Matching weighs an area only its description mentions at half; listing it beside the taxonomy's
    would show a food bank that mentions families as one for relationships.)
    """
    indexed = index.services.get(service_id)
    return sorted(indexed.listed or indexed.areas) if indexed else []


def search(index: DirectoryIndex, wanted: DirectoryQuery) -> tuple[int, list[tuple[int, Mapping[str, Any]]]]:
    """Active services matching the filters, by name: (how many in all, this page's (id, features))."""
    words = wanted.q.lower().split()
    found = []
    for service_id, indexed in index.services.items():
        if wanted.area and wanted.area not in shown_areas(index, service_id):
            continue
        f = indexed.features
        if wanted.mode and wanted.mode not in (f.get("modes") or ()):
            continue
        if wanted.free and f.get("free") is not True:
            continue
        if words:
            haystack = " ".join(
                (str(f.get("organisation") or "").lower(), str(f.get("text") or ""), " ".join(f.get("terms") or ()))
            )
            if not all(word in haystack for word in words):
                continue
        found.append((service_id, f))
    found.sort(key=lambda item: (str(item[1].get("name") or "").lower(), item[0]))
    start = (wanted.page - 1) * wanted.per_page
    return len(found), found[start : start + wanted.per_page]


def service_json(service_id: int, f: Mapping[str, Any], areas: list[str]) -> dict[str, Any]:
    return {
        "id": service_id,
        "name": f.get("name"),
        "organisation": f.get("organisation") or None,
        "description": f.get("description") or None,
        "life_areas": areas,
        "life_area_names": [AREA_LABELS[a] for a in areas],
        "free": f.get("free"),
        "cost": f.get("cost") or None,
        "modes": list(f.get("modes") or ()),
        "mode_names": [MODES[m] for m in f.get("modes") or () if m in MODES],
        "group": f.get("group"),
        "one_to_one": f.get("one_to_one"),
        "someone_can_go_with_them": f.get("accompany"),
        "step_free": f.get("step_free"),
        "days": list(f.get("days") or ()),
        "venues": list(f.get("venues") or ()),
        "url": f.get("url"),
        "email": f.get("email"),
        "status": f.get("status"),
    }


async def listing(request: web.Request, wanted: DirectoryQuery) -> dict[str, Any]:
    """A page of the directory as the API returns it (ORUK-style paging fields)."""
    async with _session(request) as session:
        index = await request.app[index_key].get(session)
    total, rows = search(index, wanted)
    pages = max(1, -(-total // wanted.per_page))
    return {
        "total_items": total,
        "total_pages": pages,
        "page_number": wanted.page,
        "size": len(rows),
        "first_page": wanted.page == 1,
        "last_page": wanted.page >= pages,
        "empty": total == 0,
        "contents": [service_json(i, f, shown_areas(index, i)) for i, f in rows],
    }


async def directory_page(request: web.Request) -> web.StreamResponse:
    from bot.web.pages import page

    wanted = DirectoryQuery.from_query(request.query)
    found = await listing(request, wanted)
    async with _session(request) as session:
        syncs = await store.last_syncs(session, 3)
    return page(
        request,
        "directory.html",
        {"nav": "directory", "found": found, "wanted": wanted, "areas": AREA_LABELS, "modes": MODES, "syncs": syncs},
    )


async def service_page(request: web.Request) -> web.StreamResponse:
    from bot.web.pages import page

    service_id = _number(request, "service_id")
    async with _session(request) as session:
        try:
            row = await store.service(session, service_id)
        except DomainError as error:
            raise http_error(error) from error
        index = await request.app[index_key].get(session)
    areas = shown_areas(index, service_id)
    return page(
        request,
        "service.html",
        {"nav": "directory", "row": row, "s": service_json(row.id, row.features, areas), "area_names": AREA_LABELS},
    )


def _number(request: web.Request, name: str) -> int:
    try:
        return int(request.match_info[name])
    except ValueError:
        raise web.HTTPNotFound() from None


async def summary_offers(request: web.Request, intake_id: int, summary: Mapping[str, Any]) -> Optional[offers.Offers]:
    """The summary page's offers, in a transaction of their own: a fault here never costs the page its summary."""
    try:
        async with _session(request) as session:
            return await intake_offers(request, session, intake_id, summary)
    except Exception as error:  # noqa: BLE001 - offers help the link worker; the summary must still show
        log.error("offers for a summary page failed: %s", type(error).__name__)
        return None


async def intake_offers(
    request: web.Request, session: Any, intake_id: int, summary: Mapping[str, Any]
) -> offers.Offers:
    """The summary page's offers (the intake is already known to be the viewer's)."""
    return await offers.offers_for(session, request.app[index_key], intake_id, summary, request.query.get("near", ""))


async def decide(request: web.Request) -> web.StreamResponse:
    """The summary page's form: mark one offer suggested, taken up or not suitable (audited)."""
    intake_id, service_id = _number(request, "intake_id"), _number(request, "service_id")
    form = await request.post()
    near = offers.clean_near(str(form.get("near", "")))
    try:
        async with _session(request) as session, session.begin():
            await decide_offer(session, intake_id, service_id, str(form.get("status", "")), request)
    except DomainError as error:
        if error.kind in (Kind.NOT_FOUND, Kind.FORBIDDEN):
            raise http_error(error) from error
        raise web.HTTPSeeOther(f"/intakes/{intake_id}?m=error") from error
    query = urlencode({"m": "offer", **({"near": near} if near else {})})
    raise web.HTTPSeeOther(f"/intakes/{intake_id}?{query}#offers")


async def decide_offer(
    session: Any, intake_id: int, service_id: int, status: str, request: web.Request
) -> offers.Decided:
    """One decision by the signed-in user on an intake of theirs; NOT_FOUND for anyone else's."""
    if await read.intake_seen_by(session, intake_id, request["user"]) is None:
        raise not_found("no such intake")
    decision = await store.decide(session, intake_id, service_id, status, request["user"].email, source(request))
    return offers.Decided.of(decision, await store.service(session, service_id))


async def service_document(request: web.Request, service_id: int) -> dict[str, Any]:
    """One service for the API: what the directory page shows, its ORUK record, and whether it is still listed."""
    async with _session(request) as session:
        row = await store.service(session, service_id)
        index = await request.app[index_key].get(session)
    areas = shown_areas(index, service_id)
    return {**service_json(row.id, row.features, areas), "active": row.active, "record": row.record}
