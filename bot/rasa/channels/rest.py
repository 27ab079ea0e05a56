"""Rasa's REST channel with the input checked before Rasa sees it.

Same URL and protocol as Rasa's `rest` channel (POST /webhooks/rest/webhook
with {"sender", "message"}), so any client written for Rasa works. Bad input
gets a 400 with a clear reason and never reaches the tracker. A failure inside
Rasa is logged without the patient's text (Rasa's own handler logs it at
ERROR) and the patient is told their answers so far are safe. Too many messages
a minute from one sender or address get a 429 (`bot.rate_limit`).
"""

from __future__ import annotations

import asyncio
import logging
import re
from typing import Any, Awaitable, Callable, Dict, Optional, Text

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint, response
from sanic.exceptions import InvalidUsage, PayloadTooLarge, SanicException
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.intake.fallback import fallback_reply
from bot.rate_limit import WINDOW_SECONDS, RateLimiter, client_address
from bot.settings import load_settings
from bot.teams.routing import start_from

logger = logging.getLogger(__name__)

SENDER_PATTERN = re.compile(r"^[A-Za-z0-9._:@+\-]{1,128}$")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
MAX_METADATA_CHARS = 4000
FAILURE_REPLY = (
    "Sorry, something went wrong on our side. Your answers so far are saved. "
    "Please send your last message again in a minute."
)


def clean_message(value: Any, max_chars: int) -> str:
    """The message text if it is acceptable, else an exception saying why."""
    if not isinstance(value, str):
        raise InvalidUsage("'message' must be a string of text.")
    text = _CONTROL.sub("", value).strip()
    if not text:
        raise InvalidUsage("'message' is empty.")
    if len(text) > max_chars:
        raise PayloadTooLarge(f"'message' is longer than {max_chars} characters.")
    return text


def clean_sender(value: Any) -> str:
    if not isinstance(value, str) or not SENDER_PATTERN.match(value):
        raise InvalidUsage("'sender' must be 1 to 128 letters, digits or . _ : @ + -")
    return value


def _body(request: Request) -> Dict[Text, Any]:
    body = request.json
    if not isinstance(body, dict):
        raise InvalidUsage("The request body must be a JSON object.")
    return body


class GuardedRestInput(RestInput):
    def __init__(self, max_message_chars: Optional[int] = None) -> None:
        self.max_message_chars = max_message_chars or load_settings().max_message_chars

    @classmethod
    def name(cls) -> Text:
        return "rest"

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> "GuardedRestInput":
        return cls((credentials or {}).get("max_message_chars"))

    async def _extract_sender(self, req: Request) -> Optional[Text]:
        return clean_sender(_body(req).get("sender"))

    def _extract_message(self, req: Request) -> Optional[Text]:
        return clean_message(_body(req).get("message"), self.max_message_chars)

    def _extract_input_channel(self, req: Request) -> Text:
        return self.name()

    def get_metadata(self, request: Request) -> Optional[Dict[Text, Any]]:
        metadata = _body(request).get("metadata")
        if metadata is None:
            return None
        if not isinstance(metadata, dict) or len(str(metadata)) > MAX_METADATA_CHARS:
            raise InvalidUsage("'metadata' must be a small JSON object.")
        return metadata

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        blueprint = super().blueprint(guard_handler(on_new_message))
        limiter = RateLimiter.from_settings(load_settings())

        @blueprint.middleware("request")
        async def limit(request: Request) -> Optional[HTTPResponse]:
            """Over the rate limit: 429 before Rasa sees the message (bad input is left to the handler's 400)."""
            if request.method != "POST" or not request.path.endswith("/webhook"):
                return None
            try:
                body = _body(request)
                sender = clean_sender(body.get("sender"))
            except SanicException:
                return None
            address = client_address(request.ip, request.headers.get("x-forwarded-for"))
            message = body.get("message") if isinstance(body.get("message"), str) else None
            refusal = await limiter.refusal(sender, address, message)
            if refusal is None:
                return None
            return response.json({"error": refusal}, status=429, headers={"Retry-After": str(WINDOW_SECONDS)})

        return blueprint


def guard_handler(on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Callable[[UserMessage], Awaitable[None]]:
    """Handle a message; on failure, log no patient text and tell the patient.

    A client that hangs up mid-turn does not stop the turn: its answer is saved and a
    disclosure still raises its flag, and no patient text reaches the log.

    A disclosure that fails (the database or the action server is down) still
    gets the crisis reply, from the phrase list alone, and is spooled for the
    reconciler (`bot.intake.fallback`).
    """

    async def turn(message: UserMessage) -> None:
        try:
            await on_new_message(message)
        except Exception as error:  # noqa: BLE001 - any failure must reach the patient as a reply
            logger.error("handling a message failed: %s", type(error).__name__)
            logger.debug("failure detail", exc_info=True)
            crisis = fallback_reply(
                load_settings(),
                message.sender_id,
                message.input_channel or "rest",
                message.text,
                start_from(message.metadata),
            )
            for text in crisis or [FAILURE_REPLY]:
                await message.output_channel.send_text_message(message.sender_id, text)

    async def handle(message: UserMessage) -> None:
        running = asyncio.ensure_future(turn(message))
        try:
            await asyncio.shield(running)
        except asyncio.CancelledError:
            # The client hung up and the server cancelled its request. The turn carries on to the end
            # (the answer is saved, a disclosure raises its flag); Rasa would log the text at ERROR here.
            logger.warning("a client left before its reply; the turn carries on without it")

    return handle
