"""Rasa's socket.io channel (the patient widget) with the REST channel's input guard.

Same protocol and path as Rasa's `socketio` channel, so any Rasa chat widget
works. A `user_uttered` event must be a JSON object with a session id (letters,
digits and . _ : @ + -), a non-empty text message no longer than the setting,
and optional small metadata; anything else gets a clear reply on the patient's
socket and never reaches Rasa, so nothing is stored half-way. Failures are
logged without the patient's text, and a disclosure still gets the crisis reply
(`bot.rasa.channels.rest.guard_handler`).
"""

from __future__ import annotations

import json
import logging
import uuid
from typing import Any, Awaitable, Callable, Dict, Optional, Text

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.socketio import SocketIOInput, SocketIOOutput
from sanic import Blueprint
from sanic.exceptions import SanicException

from bot.rasa.channels.rest import MAX_METADATA_CHARS, clean_message, clean_sender, guard_handler
from bot.rate_limit import RateLimiter, client_address
from bot.settings import load_settings

logger = logging.getLogger(__name__)


class BadSocketMessage(ValueError):
    """A socket.io message we will not pass to Rasa; its text is safe to show the sender."""


def clean_socket_message(data: Any, max_chars: int, session_persistence: bool) -> tuple[Optional[str], str, dict]:
    """(session id, text, metadata) of a `user_uttered` payload, or BadSocketMessage saying why not."""
    if not isinstance(data, dict):
        raise BadSocketMessage("The message must be a JSON object.")
    try:
        text = clean_message(data.get("message"), max_chars)
        session = clean_sender(data.get("session_id")) if session_persistence else None
    except SanicException as error:
        raise BadSocketMessage(str(error).replace("'sender'", "'session_id'")) from None
    metadata = data.get("metadata") or {}
    if isinstance(metadata, str) and len(metadata) <= MAX_METADATA_CHARS:
        try:
            metadata = json.loads(metadata)
        except ValueError:
            raise BadSocketMessage("'metadata' must be a small JSON object.") from None
    if not isinstance(metadata, dict) or len(json.dumps(metadata, default=str)) > MAX_METADATA_CHARS:
        raise BadSocketMessage("'metadata' must be a small JSON object.")
    return session, text, metadata


class GuardedSocketIOInput(SocketIOInput):
    @classmethod
    def name(cls) -> Text:
        return "socketio"

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> "GuardedSocketIOInput":
        channel = super().from_credentials(credentials)
        channel.max_message_chars = int(
            (credentials or {}).get("max_message_chars") or load_settings().max_message_chars
        )
        return channel

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        guarded = guard_handler(on_new_message)
        webhook = super().blueprint(guarded)
        sio = self.sio
        max_chars = getattr(self, "max_message_chars", load_settings().max_message_chars)
        limiter = RateLimiter.from_settings(load_settings())

        # Registered after Rasa's own handlers, so these replace them for the same events.
        @sio.on("session_request", namespace=self.namespace)
        async def session_request(sid: Text, data: Any) -> None:
            requested = data.get("session_id") if isinstance(data, dict) else None
            try:
                session = clean_sender(requested) if requested is not None else uuid.uuid4().hex
            except SanicException:
                session = uuid.uuid4().hex  # a bad id is replaced, as a missing one is
            if self.session_persistence:
                await _enter(sio, sid, session)
            await sio.emit("session_confirm", session, room=sid)

        @sio.on(self.user_message_evt, namespace=self.namespace)
        async def handle_message(sid: Text, data: Any) -> None:
            output = SocketIOOutput(sio, self.bot_message_evt)
            try:
                session, text, metadata = clean_socket_message(data, max_chars, self.session_persistence)
            except BadSocketMessage as error:
                logger.info("socket.io message refused: %s", error)
                await sio.emit(
                    self.bot_message_evt,
                    {"text": f"Sorry, I couldn't read that message. {error}", "error": str(error)},
                    room=sid,
                )
                return
            environ = sio.get_environ(sid, namespace=self.namespace) or {}
            opened_by = environ.get("sanic.request")  # engineio's Sanic driver fakes REMOTE_ADDR
            peer = getattr(opened_by, "ip", None) or environ.get("REMOTE_ADDR")
            address = client_address(peer, environ.get("HTTP_X_FORWARDED_FOR"))
            refusal = await limiter.refusal(session or sid, address, text)
            if refusal is not None:
                await sio.emit(self.bot_message_evt, {"text": refusal, "error": "rate limited"}, room=sid)
                return
            await guarded(UserMessage(text, output, session or sid, input_channel=self.name(), metadata=metadata))

        return webhook


async def _enter(sio: Any, sid: Text, session: Optional[str]) -> None:
    """Join the socket to its session's room (enter_room is a coroutine from python-socketio 5.10 on)."""
    result = sio.enter_room(sid, session)
    if hasattr(result, "__await__"):
        await result
