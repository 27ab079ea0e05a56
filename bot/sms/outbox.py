"""The sender: delivers the outbox through the provider, with retries and exponential backoff.

It runs as a background task inside each Rasa server process (started by the SMS
channel's blueprint), and `whatmatters invite` runs one pass of it too. Several senders
may share one database: each text is claimed with a conditional UPDATE before it is sent,
so exactly one of them sends it. A claim is a lease: if its sender dies mid-send, another
takes the text over when the lease runs out.

A provider outage only delays texts: each failed try is retried after
base * 2^(tries-1) seconds (capped, with jitter) until the give-up time, when the text is
marked failed for staff to see (`whatmatters sms status`, and the intake). Rejections that
retrying cannot fix (an invalid number) fail at once.
"""

from __future__ import annotations

import asyncio
import logging
import random
from datetime import datetime, timedelta
from typing import Callable, Optional

import aiohttp
from sqlalchemy.orm import sessionmaker

from bot.db.models import aware, utcnow
from bot.settings import Settings
from bot.sms import store
from bot.sms.models import OutboxStatus
from bot.sms.phone import PhoneVault
from bot.sms.providers import Provider

logger = logging.getLogger(__name__)

LEASE_SECONDS = 60.0  # longer than a provider call may take (providers.TIMEOUT)


def backoff_seconds(attempts: int, base: float, cap: float, jitter: float = 0.0) -> float:
    """Wait before try number attempts+1: base, 2*base, 4*base, ... at most cap, less up to `jitter` of it."""
    delay = min(cap, base * (2 ** max(0, attempts - 1)))
    return delay * (1.0 - jitter * random.random())


class Sender:
    def __init__(
        self,
        settings: Settings,
        sessions: sessionmaker,
        provider: Provider,
        vault: PhoneVault,
        clock: Callable[[], datetime] = utcnow,
        jitter: float = 0.2,
    ) -> None:
        self.settings = settings
        self.sessions = sessions
        self.provider = provider
        self.vault = vault
        self.clock = clock
        self.jitter = jitter
        self._wake = asyncio.Event()
        self._http: Optional[aiohttp.ClientSession] = None
        self._limit = asyncio.Semaphore(4)
        self._stopping = False

    def wake(self) -> None:
        """Look at the outbox now rather than at the next poll."""
        self._wake.set()

    async def _client(self) -> aiohttp.ClientSession:
        if self._http is None or self._http.closed:
            self._http = aiohttp.ClientSession()
        return self._http

    async def close(self) -> None:
        if self._http is not None:
            await self._http.close()

    async def stop(self, task: "asyncio.Task[None]", timeout: float = 20.0) -> None:
        """Let `task` (running run_forever) finish its current text, then end it; cancel it only if it hangs.

        Cancelling a send midway would leave its claim to expire and the text to be tried
        again by another sender; finishing it records the outcome.
        """
        self._stopping = True
        self.wake()
        try:
            await asyncio.wait_for(asyncio.shield(task), timeout)
        except asyncio.TimeoutError:
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)
        await self.close()

    async def run_forever(self) -> None:
        logger.info("SMS sender started (%s)", self.provider.name)
        while not self._stopping:
            try:
                await self.send_due()
            except asyncio.CancelledError:
                raise
            except Exception as error:  # noqa: BLE001 - the sender must outlive a database hiccup
                logger.error("SMS sender pass failed: %s", type(error).__name__)
                logger.debug("sender failure detail", exc_info=True)
            if self._stopping:
                break
            try:
                await asyncio.wait_for(self._wake.wait(), timeout=self.settings.sms_poll_seconds)
            except asyncio.TimeoutError:
                pass
            self._wake.clear()

    async def send_due(self) -> int:
        """One pass: try every text that is due (oldest first, one per number). Returns texts sent."""
        sent = 0
        while not self._stopping:
            async with self.sessions() as session:
                due = await store.next_due(session, self.clock())
            if not due:
                return sent
            results = await asyncio.gather(*(self.deliver(row_id) for row_id in due))
            sent += sum(1 for result in results if result)
            if not any(result is not None for result in results):
                return sent  # nothing claimed or all backing off: wait for the next poll
        return sent

    async def deliver(self, row_id: int) -> Optional[bool]:
        """Send one text if we win its claim: True sent, False not sent (yet), None not ours."""
        async with self._limit:
            now = self.clock()
            async with self.sessions() as session:
                async with session.begin():
                    if not await store.claim(session, row_id, now, LEASE_SECONDS):
                        return None
                row, contact = await store.claimed_text(session, row_id)
            if contact.opted_out:
                await self._finish(row_id, status=OutboxStatus.CANCELLED, last_error="opted out")
                return False
            number = self.vault.decrypt(contact.number_encrypted)
            body = self.vault.decrypt(row.body_encrypted)
            result = await self.provider.send(await self._client(), number, body, reference=row.dedupe_key)
            if result.ok:
                await self._finish(
                    row_id,
                    status=OutboxStatus.SENT,
                    sent_at=self.clock(),
                    last_error=None,
                    provider=self.provider.name,
                    provider_message_id=result.provider_message_id,
                )
                logger.info("SMS %s sent (outbox %d, try %d)", row.kind, row_id, row.attempts)
                return True
            age = self.clock() - (aware(row.created_at) or now)
            give_up = age > timedelta(hours=self.settings.sms_give_up_hours)
            if not result.retry or give_up:
                await self._finish(
                    row_id, status=OutboxStatus.FAILED, last_error=f"{result.error} after {row.attempts} tries"
                )
                logger.error("SMS outbox %d FAILED for good: %s after %d tries", row_id, result.error, row.attempts)
                return False
            delay = backoff_seconds(
                row.attempts, self.settings.sms_retry_base_seconds, self.settings.sms_retry_max_seconds, self.jitter
            )
            await self._finish(
                row_id,
                status=OutboxStatus.PENDING,
                next_attempt_at=self.clock() + timedelta(seconds=delay),
                last_error=f"{result.error} (try {row.attempts})",
            )
            logger.warning("SMS outbox %d not sent (%s), retrying in %.1fs", row_id, result.error, delay)
            self._wake_later(delay)
            return False

    def _wake_later(self, delay: float) -> None:
        try:
            asyncio.get_running_loop().call_later(delay, self._wake.set)
        except RuntimeError:  # pragma: no cover - no loop
            pass

    async def _finish(self, row_id: int, **values: object) -> None:
        async with self.sessions() as session:
            async with session.begin():
                await store.finish(session, row_id, **values)
