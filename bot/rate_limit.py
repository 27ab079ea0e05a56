"""How many messages one sender, and one address, may send a minute on the patient channels.

A person types a message every few seconds at most; a script posting hundreds a
minute fills the queue, the database and (by text) the bill. Each message is
counted in a one-minute window per sender and per address; over the limit, the
channel answers 429 (REST), a message (socket.io) or one text a minute (SMS, where
only the number is counted: every text comes from the provider's addresses) saying
to wait, and nothing of the refused message is stored. What was accepted before is handled as usual.

A message the reviewed phrase list reads as a disclosure of risk is never
refused, whatever the count: risk reaches a person at once.

With REDIS_URL set (several Rasa instances) the windows are counted in Redis, so
the limit holds across instances; otherwise in this process's memory. A limit of
0 turns that count off (the benchmarks, which load the system from one address).
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from typing import Optional, Protocol

from bot.intake.risk import detect_risk
from bot.settings import Settings

logger = logging.getLogger(__name__)

WINDOW_SECONDS = 60
REFUSAL = (
    "You're sending messages faster than we can read them. Please wait a minute, then send your last "
    "message again. If you need help now, call 999, or NHS 111."
)


class Counter(Protocol):
    async def count(self, key: str, window: int) -> int:
        """Add one to `key` in this window and return its count so far."""


class MemoryCounter:
    """Counts in this process (one Rasa instance)."""

    def __init__(self, clock=time.monotonic) -> None:
        self.clock = clock
        self._counts: dict[tuple[str, int], int] = {}

    async def count(self, key: str, window: int) -> int:
        if len(self._counts) > 50_000:  # old windows are dropped now and then
            current = window
            self._counts = {k: v for k, v in self._counts.items() if k[1] >= current - 1}
        self._counts[(key, window)] = self._counts.get((key, window), 0) + 1
        return self._counts[(key, window)]


class RedisCounter:
    """Counts in Redis, shared by every instance (INCR, and an expiry after two windows)."""

    def __init__(self, url: str) -> None:
        import redis.asyncio

        self.redis = redis.asyncio.from_url(url)

    async def count(self, key: str, window: int) -> int:
        name = f"wm:rate:{key}:{window}"
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.incr(name)
            pipe.expire(name, 2 * WINDOW_SECONDS)
            value, _ = await pipe.execute()
        return int(value)


@dataclass
class RateLimiter:
    per_sender: int
    per_address: int
    counter: Counter
    clock: object = time.time

    @classmethod
    def from_settings(cls, settings: Settings) -> "RateLimiter":
        counter: Counter = RedisCounter(settings.redis_url) if settings.redis_url else MemoryCounter()
        return cls(settings.rate_sender_per_minute, settings.rate_address_per_minute, counter)

    async def refusal(self, sender: str, address: Optional[str], text: Optional[str]) -> Optional[str]:
        """None to let the message through; else what to tell the person."""
        window = int(self.clock() // WINDOW_SECONDS)  # type: ignore[operator]
        over = False
        try:
            if self.per_sender and await self.counter.count(f"s:{sender}", window) > self.per_sender:
                over = True
            if self.per_address and address and await self.counter.count(f"a:{address}", window) > self.per_address:
                over = True
        except Exception as error:  # noqa: BLE001 - a counting fault must not stop people being heard
            logger.warning("rate limit not checked: %s", type(error).__name__)
            return None
        if over and detect_risk(text) is not None:
            return None
        if over:
            logger.info("a message was refused: over the rate limit")
        return REFUSAL if over else None


def client_address(peer: Optional[str], forwarded_for: Optional[str]) -> Optional[str]:
    """The sender's address: a local reverse proxy's X-Forwarded-For (its last hop), else the peer."""
    if forwarded_for and peer in ("127.0.0.1", "::1"):
        return forwarded_for.split(",")[-1].strip() or peer
    return peer
