"""The sender: delivers the outbox through the provider, with retries and exponential backoff.

It runs as a background task inside each Rasa server process (started by the SMS channel's
blueprint), and `whatmatters invite` runs one pass of it too. Claims, leases and backoff are
those of every outbox (`bot.outbox`): several senders may share one database and exactly one
of them sends each text.

A provider outage only delays texts: each failed try is retried after
base * 2^(tries-1) seconds (capped, with jitter) until the give-up time, when the text is
marked failed for staff to see (`whatmatters sms status`, and the intake). Rejections that
retrying cannot fix (an invalid number) fail at once.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Callable, Optional

from sqlalchemy.orm import sessionmaker

from bot.db.models import utcnow
from bot.outbox import OutboxWorker, Retries, backoff_seconds
from bot.settings import Settings
from bot.sms import store
from bot.sms.models import OutboxStatus
from bot.sms.phone import PhoneVault
from bot.sms.providers import Provider

logger = logging.getLogger(__name__)

LEASE_SECONDS = 60.0  # longer than a provider call may take (providers.TIMEOUT)

__all__ = ["LEASE_SECONDS", "Sender", "backoff_seconds"]


class Sender(OutboxWorker):
    name = "SMS sender"

    def __init__(
        self,
        settings: Settings,
        sessions: sessionmaker,
        provider: Provider,
        vault: PhoneVault,
        clock: Callable[[], datetime] = utcnow,
        jitter: float = 0.2,
    ) -> None:
        super().__init__(settings.sms_poll_seconds, clock, jitter)
        self.retries = Retries(
            settings.sms_retry_base_seconds, settings.sms_retry_max_seconds, settings.sms_give_up_hours
        )
        self.settings = settings
        self.sessions = sessions
        self.provider = provider
        self.vault = vault

    async def due(self, now: datetime) -> list[int]:
        async with self.sessions() as session:
            return await store.next_due(session, now)

    async def deliver(self, row_id: int) -> Optional[bool]:
        """Send one text if we win its claim: True sent, False not sent (yet), None not ours."""
        now = self.clock()
        async with self.sessions() as session:
            async with session.begin():
                if not await store.claim(session, row_id, now, LEASE_SECONDS):
                    return None
            row, contact = await store.claimed_text(session, row_id)
        if contact.opted_out:
            await self.record(row_id, status=OutboxStatus.CANCELLED, last_error="opted out")
            return False
        number = self.vault.decrypt(contact.number_encrypted)
        body = self.vault.decrypt(row.body_encrypted)
        result = await self.provider.send(await self._client(), number, body, reference=row.dedupe_key)
        if result.ok:
            await self.record(
                row_id,
                status=OutboxStatus.SENT,
                sent_at=self.clock(),
                last_error=None,
                provider=self.provider.name,
                provider_message_id=result.provider_message_id,
            )
            logger.info("SMS %s sent (outbox %d, try %d)", row.kind, row_id, row.attempts)
            return True
        return await self.not_delivered(row_id, row.attempts, row.created_at, result.error or "", result.retry)

    async def record(self, row_id: int, **values: object) -> None:
        async with self.sessions() as session:
            async with session.begin():
                await store.finish(session, row_id, **values)
