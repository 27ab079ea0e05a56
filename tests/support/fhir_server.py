"""A fake FHIR R4 server: a real aiohttp server on 127.0.0.1 that processes transaction Bundles.

It follows the parts of the FHIR R4 RESTful API a push relies on:
- `POST [base]` with a Bundle of type transaction, `Content-Type: application/fhir+json`; all or
  nothing; answers 200 with a Bundle of type transaction-response, one entry per request entry,
  each with `response.status` and `response.location` (`Type/id/_history/1`).
- Conditional create: an entry's `request.ifNoneExist` (`identifier=system|value`) that matches a
  stored resource of that type creates nothing and answers `200 OK` with the existing one's
  location; no match creates it (`201 Created`). References to an entry's `fullUrl`
  (`urn:uuid:...`) are rewritten to the id the resource got (or already had).
- A bundle it cannot process: 400 with an OperationOutcome.
- A bearer token, when one is set: 401 without it.

For faults it can answer 503 to the next N posts, or store the next transaction and then drop
the connection without answering (a reply lost on the way back), or refuse the next with 422.
"""

from __future__ import annotations

import itertools
import json
from collections import defaultdict
from typing import Any, Optional

from aiohttp import web


class FakeFhirServer:
    def __init__(self, token: str = "") -> None:
        self.token = token
        self.store: dict[str, dict[str, dict[str, Any]]] = defaultdict(dict)  # type -> id -> resource
        self.posts = 0
        self.unauthorised = 0
        self.unavailable_next = 0
        self.drop_reply_next = 0
        self.refuse_next = 0
        self._ids = itertools.count(1)
        self._runner: Optional[web.AppRunner] = None
        self.port = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/fhir"

    def of_type(self, kind: str) -> list[dict[str, Any]]:
        return list(self.store[kind].values())

    def count(self) -> int:
        return sum(len(resources) for resources in self.store.values())

    async def start(self) -> "FakeFhirServer":
        app = web.Application()
        app.router.add_post("/fhir", self._transaction)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]
        return self

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    @staticmethod
    def _outcome(status: int, code: str, diagnostics: str) -> web.Response:
        body = {
            "resourceType": "OperationOutcome",
            "issue": [{"severity": "error", "code": code, "diagnostics": diagnostics}],
        }
        return web.Response(status=status, text=json.dumps(body), content_type="application/fhir+json")

    def _find(self, kind: str, condition: str) -> Optional[str]:
        name, _, wanted = condition.partition("=")
        if name != "identifier":
            return None
        system, _, value = wanted.partition("|")
        for resource_id, resource in self.store[kind].items():
            identifiers = resource.get("identifier") or []
            identifiers = identifiers if isinstance(identifiers, list) else [identifiers]
            if any(i.get("system") == system and i.get("value") == value for i in identifiers):
                return resource_id
        return None

    async def _transaction(self, request: web.Request) -> web.StreamResponse:
        self.posts += 1
        if self.token and request.headers.get("Authorization") != f"Bearer {self.token}":
            self.unauthorised += 1
            return self._outcome(401, "login", "a bearer token is required")
        if self.unavailable_next > 0:
            self.unavailable_next -= 1
            return self._outcome(503, "transient", "try again later")
        if not request.content_type.startswith("application/fhir+json"):
            return self._outcome(415, "not-supported", "send application/fhir+json")
        bundle = await request.json()
        if self.refuse_next > 0:
            self.refuse_next -= 1
            # A real server's diagnostics may quote the record: the client must not keep them.
            name = ((bundle.get("entry") or [{}])[0].get("resource") or {}).get("name")
            return self._outcome(422, "invalid", f"Patient.name {name!r} failed a profile rule")
        if bundle.get("resourceType") != "Bundle" or bundle.get("type") != "transaction":
            return self._outcome(400, "invalid", "expected a transaction Bundle")
        staged: dict[str, dict[str, dict[str, Any]]] = defaultdict(dict)
        ids: dict[str, str] = {}  # fullUrl -> Type/id
        replies = []
        for entry in bundle.get("entry") or []:
            resource, req = entry.get("resource") or {}, entry.get("request") or {}
            kind = resource.get("resourceType")
            if req.get("method") != "POST" or req.get("url") != kind:
                return self._outcome(400, "not-supported", "only POST to the resource type is supported")
            existing = self._find(kind, req["ifNoneExist"]) if req.get("ifNoneExist") else None
            if existing is not None:
                ids[entry["fullUrl"]] = f"{kind}/{existing}"
                replies.append({"response": {"status": "200 OK", "location": f"{kind}/{existing}/_history/1"}})
                continue
            new_id = str(next(self._ids))
            staged[kind][new_id] = resource
            ids[entry["fullUrl"]] = f"{kind}/{new_id}"
            replies.append({"response": {"status": "201 Created", "location": f"{kind}/{new_id}/_history/1"}})
        text = json.dumps(staged)
        for full_url, target in ids.items():
            text = text.replace(json.dumps(full_url), json.dumps(target))
        for kind, resources in json.loads(text).items():  # all or nothing: stored only when every entry was read
            self.store[kind].update(resources)
        if self.drop_reply_next > 0:
            self.drop_reply_next -= 1
            request.transport.close()  # stored, but the reply never reaches the client
            raise web.HTTPServiceUnavailable()
        reply = {"resourceType": "Bundle", "type": "transaction-response", "entry": replies}
        return web.Response(text=json.dumps(reply), content_type="application/fhir+json")
