"""The e-mail sender: delivers the e-mail outbox over SMTP, with retries and exponential backoff.

It runs inside the review app when SMTP_HOST is set. Claims, leases and backoff are those of
every outbox (bot.outbox), so several app workers may share one database and exactly one of
them sends each e-mail. An address that opted out gets nothing, even an e-mail queued before.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Callable, Optional

from sqlalchemy.orm import sessionmaker

from bot.db.models import utcnow
from bot.mail import smtp, store
from bot.mail.models import MailStatus
from bot.outbox import OutboxWorker, Retries
from bot.settings import Settings

logger = logging.getLogger(__name__)

LEASE_SECONDS = 2 * smtp.TIMEOUT + 30.0  # longer than one SMTP exchange may take


class Mailer(OutboxWorker):
    name = "e-mail sender"

    def __init__(
        self, settings: Settings, sessions: sessionmaker, clock: Callable[[], datetime] = utcnow, jitter: float = 0.2
    ) -> None:
        super().__init__(settings.mail_poll_seconds, clock, jitter)
        self.retries = Retries(
            settings.mail_retry_base_seconds, settings.mail_retry_max_seconds, settings.mail_give_up_hours
        )
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
            await self.record(row_id, status=MailStatus.CANCELLED, last_error="opted out")
            return False
        result = await smtp.send(self.settings, row.to_address, row.subject, row.body, row.dedupe_key)
        if result.ok:
            await self.record(row_id, status=MailStatus.SENT, sent_at=self.clock(), last_error=None)
            logger.info("e-mail %s sent (outbox %d, try %d)", row.kind, row_id, row.attempts)
            return True
        return await self.not_delivered(row_id, row.attempts, row.created_at, result.error, result.retry)

    async def record(self, row_id: int, **values: object) -> None:
        """Write the outcome; once an e-mail is done with (sent, failed, cancelled) its address and body,
        which holds the person's live link, are not kept: the address's digest is, for erasure."""
        if values.get("status") in (MailStatus.SENT, MailStatus.FAILED, MailStatus.CANCELLED):
            values = {**values, "to_address": "", "body": ""}
        async with self.sessions() as session:
            async with session.begin():
                await store.finish(session, row_id, **values)
