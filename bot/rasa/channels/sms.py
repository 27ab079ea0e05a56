"""The SMS input channel for Rasa: `bot.rasa.channels.sms.SmsInput` in credentials.yml.

The SMS work itself (webhooks, opt-outs, the outbox) is bot.sms and knows nothing of Rasa;
this module gives it Rasa's routes and one way to ask the bot (`asker`).

Routes, on the Rasa server:
    GET  /webhooks/sms/              health: {"status": "ok", "provider": ...}
    POST /webhooks/sms/twilio        Twilio-compatible inbound webhook (form-encoded, signed)
    POST /webhooks/sms/notify        GOV.UK Notify inbound text callback (JSON, bearer token)

Off (both POST routes answer 404) unless WM_SMS_PROVIDER is set; the provider, its
secrets and the keys protecting phone numbers come from .env / the environment, never
from credentials.yml. A provider that is chosen but not fully configured stops the Rasa
server at start-up rather than dropping texts.

The sender (bot/sms/outbox.py) runs as a background task of this Rasa process, started
when the server starts. That keeps the system at its three services; several Rasa
instances each run one and share the work through the outbox's conditional claims.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any, Awaitable, Callable, Dict, Optional, Text
from urllib.parse import parse_qs

from rasa.core.channels.channel import CollectingOutputChannel, InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request

from bot.db.engine import create_engine, session_factory
from bot.rasa.channels.rest import guard_handler
from bot.settings import Settings, load_settings
from bot.sms.outbox import Sender
from bot.sms.providers import WebhookRequest
from bot.sms.service import CHANNEL, Ask, SmsRuntime, SmsService

logger = logging.getLogger(__name__)

MAX_BODY_BYTES = 64 * 1024


class SmsOutput(CollectingOutputChannel):
    """Collects the bot's replies of one turn; the SMS service turns them into texts."""

    @classmethod
    def name(cls) -> str:
        return CHANNEL


def asker(on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Ask:
    """How the SMS service asks the bot: one guarded Rasa turn, its replies collected."""
    handle = guard_handler(on_new_message)

    async def ask(sender_id: str, text: str, metadata: Optional[dict[str, Any]] = None) -> list[dict[str, Any]]:
        output = SmsOutput()
        await handle(UserMessage(text, output, sender_id, input_channel=CHANNEL, metadata=metadata or None))
        return output.messages

    return ask


def webhook_request(request: Request) -> WebhookRequest:
    """The parts of a Sanic request a provider checks; the form is parsed keeping blank fields (they are signed)."""
    content_type = (request.headers.get("content-type") or "").split(";")[0].strip().lower()
    body = request.body or b""
    form: dict[str, list[str]] = {}
    json_body: Any = None
    if content_type == "application/x-www-form-urlencoded":
        form = parse_qs(body.decode("utf-8", errors="replace"), keep_blank_values=True)
    elif content_type == "application/json":
        try:
            json_body = request.json
        except Exception:  # noqa: BLE001 - malformed JSON is refused like any other bad request
            json_body = None
    headers = {name.lower(): value for name, value in request.headers.items()}
    return WebhookRequest(url=request.url, headers=headers, form=form, json=json_body)


class SmsInput(InputChannel):
    def __init__(self, settings: Optional[Settings] = None) -> None:
        self.settings = settings or load_settings()
        self.runtime = SmsRuntime.from_settings(self.settings) if self.settings.sms_enabled else None
        self.service: Optional[SmsService] = None

    @classmethod
    def name(cls) -> Text:
        return CHANNEL

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> "SmsInput":
        # Everything comes from settings (.env); credentials.yml only switches the channel in.
        return cls()

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        blueprint = Blueprint("whatmatters_sms", __name__)
        ask = asker(on_new_message)
        state: dict[str, Any] = {}

        @blueprint.listener("after_server_start")
        async def start(app: Any, loop: Any) -> None:
            if self.runtime is None:
                return
            engine = create_engine(self.settings)
            sessions = session_factory(engine)
            sender = Sender(self.settings, sessions, self.runtime.provider, self.runtime.vault)
            self.service = SmsService(self.settings, self.runtime.provider, self.runtime.vault, sessions, sender)
            state.update(engine=engine, sender=sender, task=asyncio.ensure_future(sender.run_forever()))
            logger.info("SMS channel on (%s)", self.runtime.provider.name)

        @blueprint.listener("before_server_stop")
        async def stop(app: Any, loop: Any) -> None:
            if self.service is not None:
                await self.service.drain()
            if state.get("task") is not None:
                await state["sender"].stop(state["task"])
            if state.get("engine") is not None:
                await state["engine"].dispose()

        @blueprint.route("/", methods=["GET"])
        async def health(request: Request) -> Any:
            return response.json({"status": "ok", "provider": self.runtime.provider.name if self.runtime else "off"})

        @blueprint.route("/<provider_name>", methods=["POST"])
        async def receive(request: Request, provider_name: Text) -> Any:
            if self.runtime is None or provider_name != self.runtime.provider.name or self.service is None:
                return response.text("no such SMS provider here", status=404)
            if len(request.body or b"") > MAX_BODY_BYTES:
                return response.text("too large", status=413)
            status, body, content_type = await self.service.webhook(webhook_request(request), ask)
            return response.text(body, status=status, content_type=content_type)

        return blueprint
