"""The SMS channel's work, independent of the web framework: webhook in, bot turn, outbox out.

A webhook is checked (signature or token), recorded once per provider message id and
acknowledged at once; the turn runs in a background task, one message at a time per
number in arrival order. The bot's replies of one turn are joined into one text (split
only when too long) and go to the outbox; the sender delivers them.

STOP (and its synonyms) takes effect inside the webhook request itself: the opt-out is
committed and waiting texts cancelled before the provider gets its answer. A message
from an opted-out number is still given to the bot, so its answers and any disclosure of
risk reach the team, but nothing is texted back until the number sends START.
"""

from __future__ import annotations

import asyncio
import logging
import re
import time
from dataclasses import asdict, dataclass, replace
from datetime import timedelta
from typing import Any, Awaitable, Callable, Optional

from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import sessionmaker

from bot.db.models import utcnow
from bot.intake import store as intake_store
from bot.intake.fallback import fallback_reply
from bot.outcomes import answering, followups
from bot.outcomes.models import FollowUpStatus
from bot.outcomes.risk_reader import FollowUpRisk
from bot.rasa.model import model_path
from bot.rate_limit import REFUSAL, WINDOW_SECONDS, RateLimiter
from bot.settings import Settings
from bot.sms import store
from bot.sms.outbox import Sender
from bot.sms.phone import InvalidNumber, PhoneVault, normalise_e164
from bot.sms.providers import Provider, WebhookRequest, provider_from
from bot.sms.text import (
    Choice,
    choices_of,
    gsm_friendly,
    help_text,
    keyword_of,
    listed_numbers,
    map_reply,
    split_for_sms,
    start_text,
    with_numbered_options,
    with_worded_options,
)
from bot.teams import store as team_store

logger = logging.getLogger(__name__)

CHANNEL = "sms"
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

Ask = Callable[[str, str, Optional[dict[str, Any]]], Awaitable[list[dict[str, Any]]]]
"""One Rasa turn: (conversation, text, metadata: where the person started) -> the bot's replies."""
"""One turn of the bot: (sender id, text) to the bot's replies. The Rasa channel provides it
(bot.rasa.channels.sms.asker); a turn that fails still answers (the guarded handler's reply)."""


@dataclass
class SmsRuntime:
    """The pieces the channel and the CLI share, built from settings."""

    settings: Settings
    provider: Provider
    vault: PhoneVault

    @classmethod
    def from_settings(cls, settings: Settings) -> "SmsRuntime":
        return cls(settings, provider_from(settings), PhoneVault(settings.sms_hash_key, settings.sms_encryption_key))


def compose(messages: list[dict[str, Any]]) -> tuple[str, list[Choice]]:
    """One text from a turn's replies, and the options to read the patient's reply against.

    The last message's buttons become numbered options. Buttons on an earlier message
    (the offer to skip, before the question is asked again) are listed in words, because
    a number replied then answers the question that closes the text.
    """
    with_text = [m for m in messages if (m.get("text") or "").strip() or m.get("buttons") or m.get("image")]
    parts: list[str] = []
    choices: list[Choice] = []
    for position, message in enumerate(with_text):
        text = message.get("text") or ""
        buttons = choices_of(message.get("buttons"))
        if buttons and position == len(with_text) - 1:
            choices = listed_numbers(text, buttons) or buttons
            text = with_numbered_options(text, buttons)
        elif buttons:
            choices = [replace(choice, numbered=False) for choice in buttons]
            text = with_worded_options(text, buttons)
        if message.get("image"):
            text = f"{text}\n{message['image']}".strip()
        if text.strip():
            parts.append(gsm_friendly(text.strip()))
    return "\n\n".join(parts), choices


class SmsService:
    def __init__(
        self,
        settings: Settings,
        provider: Provider,
        vault: PhoneVault,
        sessions: sessionmaker,
        sender: Optional[Sender] = None,
    ) -> None:
        self.settings = settings
        self.provider = provider
        self.vault = vault
        self.sessions = sessions
        self.sender = sender
        # Per number only: every text arrives from the provider's own addresses.
        self.limiter = RateLimiter.from_settings(settings.with_overrides(rate_address_per_minute=0))
        self._locks: dict[int, tuple[asyncio.Lock, int]] = {}  # per number: lock, turns using it
        self._tasks: set[asyncio.Task] = set()
        self.read_risk = FollowUpRisk(model_path(settings.model_dir))

    async def webhook(self, request: WebhookRequest, ask: Ask) -> tuple[int, str, str]:
        """(HTTP status, body, content type) for one inbound webhook; the turn itself runs afterwards."""
        if not self.provider.verify(request):
            logger.warning("SMS webhook refused: missing or invalid %s credentials", self.provider.name)
            return 403, "forbidden", "text/plain"
        inbound = self.provider.parse(request)
        if inbound is None:
            logger.warning("SMS webhook refused: not an inbound text")
            return 400, "not an inbound text message", "text/plain"
        try:
            number = normalise_e164(inbound.sender)
        except InvalidNumber:
            logger.warning("SMS webhook ignored: the sender is not a phone number")
            return 400, "the sender is not a phone number", "text/plain"
        text = _CONTROL.sub("", inbound.text).strip()[: self.settings.max_message_chars]
        keyword = keyword_of(text)

        async with self.sessions() as session:
            async with session.begin():
                contact = await store.contact_for(session, self.vault, number)
                inbound_id = await store.record_inbound(
                    session, self.provider.name, inbound.message_id, contact.id, keyword
                )
                if inbound_id is not None and keyword == "stop":
                    cancelled = await store.opt_out(session, contact.id)
                    for waiting in await followups.for_text_number(session, contact.sender_id):
                        await followups.close(session, waiting.id, FollowUpStatus.DECLINED, "the number sent STOP")
                    await store.mark_inbound(session, inbound_id, "handled")
        if inbound_id is None:
            logger.info("SMS redelivery ignored (%s)", self.provider.name)
        elif keyword == "stop":
            logger.info("SMS opt-out recorded for %s; %d waiting texts cancelled", contact.sender_id, cancelled)
        elif keyword is None and await self.limiter.refusal(contact.sender_id, None, text):
            await self._refuse(inbound_id, contact.id)
        else:
            self._spawn(self._turn(inbound_id, contact.id, contact.sender_id, text, keyword, ask))
        return 200, self.provider.ack_body, self.provider.ack_content_type

    async def _refuse(self, inbound_id: int, contact_id: int) -> None:
        """Over the rate limit: the text is not read (nothing of it is stored), and the person is told
        to wait, in one text a minute at most (its key is the minute), so a flood costs no flood back."""
        minute = int(time.time() // WINDOW_SECONDS)
        async with self.sessions() as session:
            async with session.begin():
                await store.enqueue(session, self.vault, contact_id, f"rate:{contact_id}:{minute}", [REFUSAL], "system")
                await store.mark_inbound(session, inbound_id, "refused")
        if self.sender is not None:
            self.sender.wake()

    def _spawn(self, work: Awaitable[None]) -> None:
        task = asyncio.ensure_future(work)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def drain(self) -> None:
        """Wait for the turns in progress (tests, shutdown)."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)

    async def _turn(
        self, inbound_id: int, contact_id: int, sender_id: str, text: str, keyword: Optional[str], ask: Ask
    ) -> None:
        lock, users = self._locks.get(contact_id, (asyncio.Lock(), 0))
        self._locks[contact_id] = (lock, users + 1)
        try:
            async with lock:
                await self._handle(inbound_id, contact_id, sender_id, text, keyword, ask)
        except Exception as error:  # noqa: BLE001 - logged without the text; the message stays recorded
            logger.error("SMS turn failed: %s", type(error).__name__)
            logger.debug("SMS turn failure detail", exc_info=True)
            async with self.sessions() as session:
                async with session.begin():
                    await store.mark_inbound(session, inbound_id, "failed")
        finally:
            lock, users = self._locks[contact_id]
            if users <= 1:
                del self._locks[contact_id]
            else:
                self._locks[contact_id] = (lock, users - 1)
        if self.sender is not None:
            self.sender.wake()

    async def _follow_up(self, inbound_id: int, contact_id: int, sender_id: str, text: str) -> bool:
        """A reply to a follow-up's text is answered by the follow-up (bot.outcomes), not the intake.

        Its answer, any flag and the reply text are written in one transaction."""
        since = utcnow() - timedelta(days=self.settings.followup_link_days)
        try:
            async with self.sessions() as session:
                async with session.begin():
                    waiting = await followups.open_by_text(session, sender_id, since)
                    if waiting is None:
                        return False
                    reply = await answering.answer(
                        session, self.settings, waiting.id, text, self.read_risk, by_text=True
                    )
                    body = gsm_friendly("\n\n".join(reply.texts))
                    await store.set_options(session, contact_id, None)
                    texts = split_for_sms(body, self.settings.sms_max_segments)
                    await store.enqueue(session, self.vault, contact_id, f"in:{inbound_id}", texts)
                    await store.mark_inbound(session, inbound_id, "handled")
        except Exception:
            # The database (or the reader) failed: a disclosure is kept on disk for the reconciler, as the
            # intake's own fallback does; with the outbox in the database, no text can go until it is back.
            fallback_reply(self.settings, sender_id, CHANNEL, text)
            raise
        return True

    async def _poster_code(self, session: AsyncSession, contact: Any, text: str) -> tuple[Optional[str], str]:
        """(the entry point this number starts from, the text for the bot).

        A poster says "no smartphone? text CODE to ...": a first text that is exactly an active entry
        point's code, from a number with no intake yet, starts the intake there (the bot hears a greeting).
        """
        if (
            team_store.ENTRY_CODE_PATTERN.match(text.strip())
            and await intake_store.find_intake(session, contact.sender_id) is None
        ):
            entry = await team_store.entry_point(session, text.strip())
            if entry is not None:
                await store.set_entry(session, contact.id, entry.code)
                return entry.code, "hello"
        return contact.entry_code, text

    async def _team_name(self, session: AsyncSession, contact_id: int) -> str:
        """The team that invited this number, by name; else the name set for texts (SMS_TEAM_NAME)."""
        contact = await store.get_contact(session, contact_id)
        team = await team_store.team_of_entry(session, contact.entry_code)
        return team.name if team else self.settings.sms_team_name

    async def _handle(
        self, inbound_id: int, contact_id: int, sender_id: str, text: str, keyword: Optional[str], ask: Ask
    ) -> None:
        if keyword in ("start", "help"):
            async with self.sessions() as session:
                async with session.begin():
                    team = await self._team_name(session, contact_id)
                    if keyword == "start":
                        await store.opt_in(session, contact_id)
                    body = start_text(team) if keyword == "start" else help_text(team)
                    await store.enqueue(session, self.vault, contact_id, f"in:{inbound_id}", [body], kind="system")
                    await store.mark_inbound(session, inbound_id, "handled")
            return
        if not text:
            async with self.sessions() as session:
                async with session.begin():
                    await store.mark_inbound(session, inbound_id, "ignored")
            return

        if await self._follow_up(inbound_id, contact_id, sender_id, text):
            return
        async with self.sessions() as session:
            async with session.begin():
                contact = await store.get_contact(session, contact_id)
                choices = [Choice(**option) for option in (contact.options or [])]
                entry_code, text = await self._poster_code(session, contact, text)
        # Invited by a team, or texted a poster's code: the intake starts at that entry point, as its link would.
        start = {"entry": entry_code, "invited": True} if entry_code else None
        replies = await ask(sender_id, map_reply(text, choices), start)
        body, new_choices = compose(replies)
        texts = split_for_sms(body, self.settings.sms_max_segments)
        async with self.sessions() as session:
            async with session.begin():
                await store.set_options(session, contact_id, [asdict(choice) for choice in new_choices])
                await store.enqueue(session, self.vault, contact_id, f"in:{inbound_id}", texts)
                await store.mark_inbound(session, inbound_id, "handled")
