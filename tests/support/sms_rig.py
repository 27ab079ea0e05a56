"""The SMS channel's core on a real database: the service and sender around a stand-in for Rasa.

`Rig` holds the pieces (its webhooks are built as the providers send them, Twilio's signed with
the twilio package's own RequestValidator); tests/sms/conftest.py gives it as the `rig` fixture,
on SQLite and again on PostgreSQL, with a fake Twilio (a real HTTP server speaking its API).
"""

from __future__ import annotations

import asyncio
from typing import Any, Optional

from sqlalchemy import select

from bot.db.engine import create_engine, session_factory
from bot.rasa.channels.sms import asker
from bot.sms.outbox import Sender
from bot.sms.phone import PhoneVault
from bot.sms.providers import WebhookRequest, provider_from
from bot.sms.service import SmsService
from tests.support.sms import twilio_form, twilio_signature

NUMBER = "+447700900123"
WEBHOOK = "https://sms.example.org/webhooks/sms/twilio"
MEET = [
    {"title": "In person", "payload": "In person"},
    {"title": "By phone", "payload": "By phone"},
    {"title": "Online", "payload": "Online"},
]


class StandInBot:
    """Answers every message with a greeting and a question with buttons; remembers what it was given."""

    def __init__(self) -> None:
        self.seen: list[tuple[str, str, Optional[str]]] = []
        self.metadata: list[Any] = []

    async def __call__(self, message: Any) -> None:
        self.seen.append((message.sender_id, message.text, message.input_channel))
        self.metadata.append(message.metadata)
        out = message.output_channel
        await out.send_response(message.sender_id, {"text": f"Thanks, I got {len(self.seen)}."})
        await out.send_response(message.sender_id, {"text": "How would you like to meet?", "buttons": MEET})


class Rig:
    def __init__(self, settings, fake) -> None:
        self.settings = settings
        self.fake = fake
        self.engine = create_engine(settings)
        self.sessions = session_factory(self.engine)
        self.provider = provider_from(settings)
        self.vault = PhoneVault(settings.sms_hash_key, settings.sms_encryption_key)
        self.sender = Sender(settings, self.sessions, self.provider, self.vault)
        self.service = SmsService(settings, self.provider, self.vault, self.sessions, self.sender)
        self.bot = StandInBot()
        self.ask = asker(self.bot)  # the Rasa channel's own adapter, around a stand-in for Rasa
        self._task: Optional[asyncio.Task] = None

    async def __aenter__(self) -> "Rig":
        self._task = asyncio.ensure_future(self.sender.run_forever())
        return self

    async def __aexit__(self, *exc: Any) -> None:
        await self.service.drain()
        await self.sender.stop(self._task)
        await self.engine.dispose()

    def twilio_request(
        self,
        body: str,
        sid: Optional[str] = None,
        number: str = NUMBER,
        signature: Optional[str] = "sign",
        url: str = WEBHOOK,
    ) -> WebhookRequest:
        form = twilio_form(number, body, sid, self.fake.account_sid)
        headers = {"content-type": "application/x-www-form-urlencoded"}
        if signature == "sign":
            signature = twilio_signature(self.fake.auth_token, url, form)
        if signature is not None:
            headers["x-twilio-signature"] = signature
        return WebhookRequest(url=url, headers=headers, form={k: [v] for k, v in form.items()})

    async def text(self, body: str, **kwargs: Any) -> int:
        status, _, _ = await self.service.webhook(self.twilio_request(body, **kwargs), self.ask)
        await self.service.drain()
        return status

    async def rows(self, model) -> list:
        async with self.sessions() as session:
            return list((await session.execute(select(model).order_by(model.id))).scalars())
