"""A fake Open Referral UK 3.0 API: a real aiohttp server on 127.0.0.1 serving the services it is given.

It follows the parts of the ORUK 3.0 OpenAPI a directory sync relies on:
- `GET /` the API's details (`version`, `profile`, `openapi_url`).
- `GET /services?page=N&per_page=P` a list page: `total_items, total_pages, page_number, size,
  first_page, last_page, empty, contents`, each item the service's one-to-one fields only (no
  schedules, locations or attributes); filters `taxonomy_term_id` (a service with an attribute of
  that term) and `search` (words in the name or description), applied before paging.
- `GET /services/{id}` one service, fully nested; 404 with an error body when there is none.
- `GET /taxonomy_terms?page=N&per_page=P` the terms the services use, paged the same way.
- A bearer token, when one is set: 401 without it.

For faults: `fail_next(path, n)` answers 500 to the next n requests of that path (a list page's
path is `/services?page=N`); `fail_always(path)` answers 503 to every one of them.
"""

from __future__ import annotations

import copy
from collections import Counter
from typing import Any, Optional

from aiohttp import web

ONE_TO_ONE = (
    "id",
    "organization_id",
    "name",
    "description",
    "url",
    "email",
    "status",
    "fees",
    "accreditations",
    "minimum_age",
    "maximum_age",
    "assured_date",
    "assurer_email",
    "alert",
    "last_modified",
)


def page_of(items: list[Any], page: int, per_page: int) -> dict[str, Any]:
    total_pages = max(1, -(-len(items) // per_page))
    contents = items[(page - 1) * per_page : page * per_page]
    return {
        "total_items": len(items),
        "total_pages": total_pages,
        "page_number": page,
        "size": len(contents),
        "first_page": page == 1,
        "last_page": page >= total_pages,
        "empty": not items,
        "contents": contents,
    }


class FakeOrukServer:
    def __init__(self, services: Optional[list[dict[str, Any]]] = None, token: str = "", max_per_page: int = 1000):
        self.services: list[dict[str, Any]] = [copy.deepcopy(s) for s in services or []]
        self.token = token
        self.max_per_page = max_per_page
        self.requests: Counter[str] = Counter()
        self._failing: dict[str, int] = {}
        self._always: set[str] = set()
        self._runner: Optional[web.AppRunner] = None
        self.port = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/oruk/v3"

    def fail_next(self, path: str, times: int = 1) -> None:
        self._failing[path] = times

    def fail_always(self, path: str) -> None:
        self._always.add(path)

    def remove(self, service_id: str) -> None:
        self.services = [s for s in self.services if s.get("id") != service_id]

    async def start(self) -> "FakeOrukServer":
        app = web.Application(middlewares=[self._guard])
        app.router.add_get("/oruk/v3/", self._root)
        app.router.add_get("/oruk/v3/services", self._list)
        app.router.add_get("/oruk/v3/services/{id}", self._one)
        app.router.add_get("/oruk/v3/taxonomy_terms", self._terms)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]
        return self

    async def stop(self) -> None:
        if self._runner:
            await self._runner.cleanup()

    @web.middleware
    async def _guard(self, request: web.Request, handler: Any) -> web.StreamResponse:
        path = request.path.removeprefix("/oruk/v3")
        if path == "/services" and "page" in request.query:
            path += f"?page={request.query['page']}"
        self.requests[path] += 1
        if self.token and request.headers.get("Authorization") != f"Bearer {self.token}":
            return web.json_response({"message": "unauthorised"}, status=401)
        if path in self._always:
            return web.json_response({"message": "unavailable"}, status=503)
        if self._failing.get(path, 0) > 0:
            self._failing[path] -= 1
            return web.json_response({"message": "internal error"}, status=500)
        return await handler(request)

    @staticmethod
    def _paging(request: web.Request, limit: int) -> tuple[int, int]:
        try:
            page = max(1, int(request.query.get("page", "1")))
            per_page = min(limit, max(1, int(request.query.get("per_page", "50"))))
        except ValueError:
            raise web.HTTPBadRequest(text='{"message": "page and per_page are integers"}') from None
        return page, per_page

    async def _root(self, request: web.Request) -> web.Response:
        return web.json_response({"version": "3.0", "profile": "https://openreferraluk.org", "openapi_url": ""})

    def _matches(self, service: dict[str, Any], request: web.Request) -> bool:
        term = request.query.get("taxonomy_term_id")
        if term and not any(
            isinstance(a, dict) and a.get("taxonomy_term_id") == term for a in service.get("attributes") or []
        ):
            return False
        words = request.query.get("search", "").lower().split()
        text = f"{service.get('name', '')} {service.get('description', '')}".lower()
        return all(word in text for word in words)

    async def _list(self, request: web.Request) -> web.Response:
        page, per_page = self._paging(request, self.max_per_page)
        found = [
            {k: s[k] for k in ONE_TO_ONE if isinstance(s, dict) and k in s}
            for s in self.services
            if not isinstance(s, dict) or self._matches(s, request)
        ]
        return web.json_response(page_of(found, page, per_page))

    async def _one(self, request: web.Request) -> web.Response:
        wanted = request.match_info["id"]
        for service in self.services:
            if isinstance(service, dict) and service.get("id") == wanted:
                return web.json_response(service)
        return web.json_response({"message": "no such service"}, status=404)

    async def _terms(self, request: web.Request) -> web.Response:
        page, per_page = self._paging(request, self.max_per_page)
        terms: dict[str, Any] = {}
        for service in self.services:
            for attribute in service.get("attributes") or []:
                term = attribute.get("taxonomy_term") if isinstance(attribute, dict) else None
                if isinstance(term, dict) and term.get("id"):
                    terms[term["id"]] = term
        return web.json_response(page_of(list(terms.values()), page, per_page))
