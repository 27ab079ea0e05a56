"""Fake SMS providers: real aiohttp servers on 127.0.0.1 speaking each provider's documented API.

- FakeTwilio: POST /2010-04-01/Accounts/{AccountSid}/Messages.json, form-encoded To, From
  (or MessagingServiceSid) and Body, HTTP basic auth with the account SID and auth token;
  answers 201 with the message resource (sid "SM...").
- FakeNotify: POST /v2/notifications/sms, JSON phone_number, template_id, personalisation
  and reference, authorised by a bearer JWT (HS256, iss = service id, iat within 30 s)
  signed with the API key's secret; answers 201 with the notification (id).

Both can be switched to answer 503 for a while (an outage), and record every text they accept.
They run either in the test's event loop (`await fake.start()`) or on their own thread
(`fake.start_in_thread()`) for synchronous end-to-end tests.
"""

from __future__ import annotations

import asyncio
import base64
import threading
import time
import uuid
from dataclasses import dataclass, field
from typing import Optional

import jwt
from aiohttp import web


@dataclass
class Received:
    to: str
    body: str
    sender: str = ""
    id: str = ""
    at: float = field(default_factory=time.monotonic)


class FakeProvider:
    def __init__(self) -> None:
        self.received: list[Received] = []
        self.refused = 0  # requests answered 503 during an outage
        self.unauthorised = 0
        self.reject: set[str] = set()  # numbers refused for good (400), like an invalid number
        self._down_until = 0.0
        self._runner: Optional[web.AppRunner] = None
        self._loop: Optional[asyncio.AbstractEventLoop] = None
        self._thread: Optional[threading.Thread] = None
        self.port = 0
        self._lock = threading.Lock()

    # --- control ---------------------------------------------------------------------------

    def down_for(self, seconds: float) -> None:
        self._down_until = time.monotonic() + seconds

    def down(self) -> None:
        self._down_until = float("inf")

    def up(self) -> None:
        self._down_until = 0.0

    @property
    def is_down(self) -> bool:
        return time.monotonic() < self._down_until

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def to(self, number: str) -> list[Received]:
        with self._lock:
            return [r for r in self.received if r.to == number]

    def wait_for(self, number: str, count: int, timeout: float = 30.0) -> list[Received]:
        """Block until `count` texts reached `number` (synchronous tests)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            texts = self.to(number)
            if len(texts) >= count:
                return texts
            time.sleep(0.05)
        raise AssertionError(f"expected {count} texts, got {len(self.to(number))}: {[t.body for t in self.to(number)]}")

    async def until(self, number: str, count: int, timeout: float = 15.0) -> list[Received]:
        """Wait until `count` texts reached `number` (async tests)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            texts = self.to(number)
            if len(texts) >= count:
                return texts
            await asyncio.sleep(0.02)
        raise AssertionError(f"expected {count} texts, got {[t.body for t in self.to(number)]}")

    def _record(self, received: Received) -> None:
        with self._lock:
            self.received.append(received)

    # --- serving ---------------------------------------------------------------------------

    def app(self) -> web.Application:
        raise NotImplementedError

    async def start(self) -> "FakeProvider":
        self._runner = web.AppRunner(self.app())
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]
        return self

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    def start_in_thread(self) -> "FakeProvider":
        ready = threading.Event()

        def serve() -> None:
            self._loop = asyncio.new_event_loop()
            self._loop.run_until_complete(self.start())
            ready.set()
            self._loop.run_forever()
            self._loop.run_until_complete(self.stop())
            self._loop.close()

        self._thread = threading.Thread(target=serve, daemon=True)
        self._thread.start()
        ready.wait(10)
        return self

    def stop_thread(self) -> None:
        if self._loop is not None:
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(10)


class FakeTwilio(FakeProvider):
    def __init__(self, account_sid: str = "AC" + "1" * 32, auth_token: str = "twilio-test-auth-token") -> None:
        super().__init__()
        self.account_sid = account_sid
        self.auth_token = auth_token

    def app(self) -> web.Application:
        app = web.Application()
        app.router.add_post("/2010-04-01/Accounts/{sid}/Messages.json", self._messages)
        return app

    def _authorised(self, request: web.Request) -> bool:
        expected = "Basic " + base64.b64encode(f"{self.account_sid}:{self.auth_token}".encode()).decode()
        return request.headers.get("Authorization") == expected

    async def _messages(self, request: web.Request) -> web.Response:
        if request.match_info["sid"] != self.account_sid:
            return web.json_response({"code": 20404, "message": "not found", "status": 404}, status=404)
        if not self._authorised(request):
            self.unauthorised += 1
            return web.json_response({"code": 20003, "message": "Authenticate", "status": 401}, status=401)
        if self.is_down:
            self.refused += 1
            return web.json_response({"code": 20503, "message": "Service unavailable", "status": 503}, status=503)
        form = await request.post()
        to, body = form.get("To"), form.get("Body")
        sender = form.get("From") or form.get("MessagingServiceSid")
        if not to or body is None or not sender or to in self.reject:
            return web.json_response({"code": 21604, "message": "missing parameter", "status": 400}, status=400)
        sid = "SM" + uuid.uuid4().hex
        self._record(Received(to=to, body=body, sender=sender, id=sid))
        return web.json_response(
            {
                "sid": sid,
                "account_sid": self.account_sid,
                "to": to,
                "from": sender,
                "body": body,
                "status": "queued",
                "num_segments": "1",
            },
            status=201,
        )


class FakeNotify(FakeProvider):
    SERVICE_ID = "26785a09-ab16-4eb0-8407-a37497a57506"
    SECRET = "3d844edf-8d35-48ac-975b-e847b4f122b0"

    def __init__(self, template_id: str = "f33517ff-2a88-4f6e-b855-c550268ce08a") -> None:
        super().__init__()
        self.template_id = template_id

    @classmethod
    def api_key(cls) -> str:
        return f"whatmatters_test-{cls.SERVICE_ID}-{cls.SECRET}"

    def app(self) -> web.Application:
        app = web.Application()
        app.router.add_post("/v2/notifications/sms", self._sms)
        return app

    def _authorised(self, request: web.Request) -> bool:
        scheme, _, token = request.headers.get("Authorization", "").partition(" ")
        if scheme != "Bearer":
            return False
        try:
            claims = jwt.decode(token, self.SECRET, algorithms=["HS256"], options={"verify_iat": False})
        except jwt.PyJWTError:
            return False
        return claims.get("iss") == self.SERVICE_ID and abs(time.time() - int(claims.get("iat", 0))) <= 30

    async def _sms(self, request: web.Request) -> web.Response:
        if not self._authorised(request):
            self.unauthorised += 1
            return web.json_response(
                {"status_code": 403, "errors": [{"error": "AuthError", "message": "Invalid token"}]}, status=403
            )
        if self.is_down:
            self.refused += 1
            return web.json_response(
                {"status_code": 500, "errors": [{"error": "Exception", "message": "down"}]}, status=503
            )
        body = await request.json()
        text = (body.get("personalisation") or {}).get("body")
        if body.get("template_id") != self.template_id or not body.get("phone_number") or text is None:
            return web.json_response(
                {"status_code": 400, "errors": [{"error": "ValidationError", "message": "bad"}]}, status=400
            )
        notification_id = str(uuid.uuid4())
        self._record(Received(to=body["phone_number"], body=text, id=notification_id))
        return web.json_response(
            {
                "id": notification_id,
                "reference": body.get("reference"),
                "content": {"body": text, "from_number": "WhatMatters"},
                "uri": f"{self.url}/v2/notifications/{notification_id}",
                "template": {"id": self.template_id, "version": 1, "uri": ""},
            },
            status=201,
        )
