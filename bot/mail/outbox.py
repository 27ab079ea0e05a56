"""The e-mail sender: delivers the e-mail outbox over SMTP, with retries and exponential backoff.

It runs inside the review app when SMTP_HOST is set. Claims, leases and backoff are those of
every outbox (bot.outbox), so several app workers may share one database and exactly one of
them sends each e-mail. An address that opted out gets nothing, even an e-mail queued before.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Callable, Optional

from sqlalchemy.orm import sessionmaker

from bot.db.models import aware, utcnow
from bot.mail import smtp, store
from bot.mail.models import MailStatus
from bot.outbox import OutboxWorker
from bot.settings import Settings

logger = logging.getLogger(__name__)

LEASE_SECONDS = 2 * smtp.TIMEOUT + 30.0  # longer than one SMTP exchange may take


class Mailer(OutboxWorker):
    name = "e-mail sender"

    def __init__(
        self, settings: Settings, sessions: sessionmaker, clock: Callable[[], datetime] = utcnow, jitter: float = 0.2
    ) -> None:
        super().__init__(settings.mail_poll_seconds, clock, jitter)
        self.settings = settings
        self.sessions = sessions

    async def due(self, now: datetime) -> list[int]:
        async with self.sessions() as session:
            return await store.next_due(session, now)

    async def deliver(self, row_id: int) -> Optional[bool]:
        now = self.clock()
        async with self.sessions() as session:
            async with session.begin():
                if not await store.claim(session, row_id, now, LEASE_SECONDS):
                    return None
            row = await store.get(session, row_id)
            stopped = await store.opted_out(session, row.to_address)
        if stopped:
            await self._finish(row_id, status=MailStatus.CANCELLED, last_error="opted out")
            return False
        result = await smtp.send(self.settings, row.to_address, row.subject, row.body, row.dedupe_key)
        if result.ok:
            await self._finish(row_id, status=MailStatus.SENT, sent_at=self.clock(), last_error=None)
            logger.info("e-mail %s sent (outbox %d, try %d)", row.kind, row_id, row.attempts)
            return True
        age = self.clock() - (aware(row.created_at) or now)
        if not result.retry or age > timedelta(hours=self.settings.mail_give_up_hours):
            await self._finish(
                row_id, status=MailStatus.FAILED, last_error=f"{result.error} after {row.attempts} tries"
            )
            logger.error("e-mail outbox %d FAILED for good: %s after %d tries", row_id, result.error, row.attempts)
            return False
        delay = self.retry_in(row.attempts, self.settings.mail_retry_base_seconds, self.settings.mail_retry_max_seconds)
        await self._finish(
            row_id,
            status=MailStatus.PENDING,
            next_attempt_at=self.clock() + timedelta(seconds=delay),
            last_error=f"{result.error} (try {row.attempts})",
        )
        logger.warning("e-mail outbox %d not sent (%s), retrying in %.1fs", row_id, result.error, delay)
        return False

    async def _finish(self, row_id: int, **values: object) -> None:
        async with self.sessions() as session:
            async with session.begin():
                await store.finish(session, row_id, **values)
