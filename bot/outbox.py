"""What every durable outbox shares: leases, retries with backoff, and the loop that works through it.

The SMS sender (`bot.sms.outbox`) and the FHIR pusher (`bot.fhir.push`) each keep
their work in a table with the same bookkeeping columns (status, attempts,
next_attempt_at, claimed_until, updated_at). Several workers may share one
database: each row is claimed with a conditional UPDATE before it is worked on,
so exactly one of them does it; a claim is a lease, and if its worker dies
mid-way another takes the row over when the lease runs out. A failed try waits
base * 2^(tries-1) seconds (capped, with jitter) before the next.
"""

from __future__ import annotations

import asyncio
import logging
import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Callable, Optional

import aiohttp
from sqlalchemy import or_, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import aware, utcnow

logger = logging.getLogger(__name__)

PENDING = "pending"  # waiting for its first try or its next retry
SENDING = "sending"  # claimed by a worker until claimed_until
SENT = "sent"
FAILED = "failed"  # given up: staff must act


def backoff_seconds(attempts: int, base: float, cap: float, jitter: float = 0.0) -> float:
    """Wait before try number attempts+1: base, 2*base, 4*base, ... at most cap, less up to `jitter` of it."""
    delay = min(cap, base * (2 ** max(0, attempts - 1)))
    return delay * (1.0 - jitter * random.random())


async def claim(session: AsyncSession, table: Any, row_id: int, now: datetime, lease_seconds: float) -> bool:
    """Take one row of an outbox table, in one conditional UPDATE: of several workers, exactly one wins."""
    result = await session.execute(
        update(table)
        .where(
            table.id == row_id,
            or_(
                (table.status == PENDING) & (table.next_attempt_at <= now),
                (table.status == SENDING) & (table.claimed_until < now),
            ),
        )
        .values(
            status=SENDING,
            claimed_until=now + timedelta(seconds=lease_seconds),
            attempts=table.attempts + 1,
            updated_at=now,
        )
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


async def finish(session: AsyncSession, table: Any, row_id: int, **values: Any) -> None:
    """Record the outcome of a claimed row (only while it is still claimed) and release the lease."""
    values.setdefault("updated_at", utcnow())
    await session.execute(
        update(table)
        .where(table.id == row_id, table.status == SENDING)
        .values(claimed_until=None, **values)
        .execution_options(synchronize_session=False)
    )


@dataclass(frozen=True)
class Retries:
    """How an outbox retries: the first wait, the longest wait, and when it gives up on a row."""

    base_seconds: float
    max_seconds: float
    give_up_hours: float


class OutboxWorker:
    """The loop: look for due rows, deliver them a few at a time, sleep until woken or the next poll.

    A subclass says which rows are due (`due`), how one is delivered (`deliver`: True done,
    False not done yet, None not ours to do), how a row's outcome is written (`record`), and
    how it retries (`retries`).
    """

    name = "outbox"
    retries = Retries(base_seconds=10.0, max_seconds=900.0, give_up_hours=24.0)

    def __init__(
        self, poll_seconds: float, clock: Callable[[], datetime] = utcnow, jitter: float = 0.2, concurrency: int = 4
    ) -> None:
        self.poll_seconds = poll_seconds
        self.clock = clock
        self.jitter = jitter
        self._wake = asyncio.Event()
        self._http: Optional[aiohttp.ClientSession] = None
        self._limit = asyncio.Semaphore(concurrency)
        self._stopping = False

    async def due(self, now: datetime) -> list[int]:
        raise NotImplementedError

    async def deliver(self, row_id: int) -> Optional[bool]:
        raise NotImplementedError

    async def record(self, row_id: int, **values: Any) -> None:
        """Write a claimed row's outcome (and release its claim), in a transaction of its own."""
        raise NotImplementedError

    async def not_delivered(self, row_id: int, attempts: int, created_at: datetime, error: str, retry: bool) -> bool:
        """A try that failed: failed for good when retrying cannot help or the row is too old, otherwise due
        again after the backoff. Returns False (not delivered), for `deliver` to return."""
        age = self.clock() - (aware(created_at) or self.clock())
        if not retry or age > timedelta(hours=self.retries.give_up_hours):
            await self.record(row_id, status=FAILED, last_error=f"{error} after {attempts} tries")
            logger.error("%s: outbox %d FAILED for good: %s after %d tries", self.name, row_id, error, attempts)
            return False
        delay = self.retry_in(attempts, self.retries.base_seconds, self.retries.max_seconds)
        await self.record(
            row_id,
            status=PENDING,
            next_attempt_at=self.clock() + timedelta(seconds=delay),
            last_error=f"{error} (try {attempts})",
        )
        logger.warning("%s: outbox %d not delivered (%s), retrying in %.1fs", self.name, row_id, error, delay)
        return False

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
        """Let `task` (running run_forever) finish its current row, then end it; cancel it only if it hangs.

        Cancelling a delivery midway would leave its claim to expire and the row to be
        tried again by another worker; finishing it records the outcome.
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
        logger.info("%s started", self.name)
        while not self._stopping:
            try:
                await self.send_due()
            except asyncio.CancelledError:
                raise
            except Exception as error:  # noqa: BLE001 - the worker must outlive a database hiccup
                logger.error("%s pass failed: %s", self.name, type(error).__name__)
                logger.debug("outbox failure detail", exc_info=True)
            if self._stopping:
                break
            try:
                await asyncio.wait_for(self._wake.wait(), timeout=self.poll_seconds)
            except asyncio.TimeoutError:
                pass
            self._wake.clear()

    async def send_due(self) -> int:
        """One pass: try every row that is due. Returns rows done."""
        done = 0
        while not self._stopping:
            due = await self.due(self.clock())
            if not due:
                return done
            results = await asyncio.gather(*(self._bounded(row_id) for row_id in due))
            done += sum(1 for result in results if result)
            if not any(result is not None for result in results):
                return done  # nothing claimed or all backing off: wait for the next poll
        return done

    async def _bounded(self, row_id: int) -> Optional[bool]:
        async with self._limit:
            return await self.deliver(row_id)

    def retry_in(self, attempts: int, base: float, cap: float) -> float:
        """Seconds to wait before the next try, and a wake-up then so the row is not left to the poll."""
        delay = backoff_seconds(attempts, base, cap, self.jitter)
        try:
            asyncio.get_running_loop().call_later(delay, self._wake.set)
        except RuntimeError:  # pragma: no cover - no loop
            pass
        return delay
