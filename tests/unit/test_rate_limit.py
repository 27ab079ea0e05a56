"""The rate limit: per sender and per address, a window a minute, never in the way of a disclosure;
counted in memory for one instance and in the real Redis for several."""

from __future__ import annotations

import uuid

import pytest

from bot.rate_limit import REFUSAL, MemoryCounter, RateLimiter, RedisCounter, client_address
from tests.support.redis import REDIS_TEST_URL, require_redis


class Clock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


def _limiter(counter, per_sender=3, per_address=5):
    clock = Clock()
    return RateLimiter(per_sender, per_address, counter, clock=clock), clock


@pytest.fixture(params=["memory", "redis"])
def counter(request):
    if request.param == "memory":
        return MemoryCounter()
    require_redis()
    return RedisCounter(REDIS_TEST_URL)


async def test_a_sender_over_the_limit_is_told_to_wait_until_the_next_minute(counter):
    limiter, clock = _limiter(counter)
    sender = f"s-{uuid.uuid4().hex}"
    assert [await limiter.refusal(sender, None, "hello") for _ in range(3)] == [None, None, None]
    assert await limiter.refusal(sender, None, "hello") == REFUSAL
    assert await limiter.refusal(f"other-{uuid.uuid4().hex}", None, "hello") is None
    clock.now += 60
    assert await limiter.refusal(sender, None, "hello") is None


async def test_one_address_is_limited_across_senders(counter):
    limiter, _ = _limiter(counter, per_sender=100, per_address=5)
    address = f"10.0.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250}"
    results = [await limiter.refusal(f"s-{uuid.uuid4().hex}", address, "hi") for _ in range(6)]
    assert results[:5] == [None] * 5 and results[5] == REFUSAL


async def test_a_disclosure_is_never_refused(counter):
    limiter, _ = _limiter(counter, per_sender=1)
    sender = f"s-{uuid.uuid4().hex}"
    await limiter.refusal(sender, None, "hi")
    assert await limiter.refusal(sender, None, "hi again") == REFUSAL
    assert await limiter.refusal(sender, None, "I want to kill myself") is None


async def test_zero_means_no_limit():
    limiter, _ = _limiter(MemoryCounter(), per_sender=0, per_address=0)
    assert all([await limiter.refusal("s", "1.2.3.4", "x") is None for _ in range(500)])


async def test_a_counting_fault_lets_people_through():
    limiter, _ = _limiter(RedisCounter("redis://127.0.0.1:1/0"), per_sender=1)
    assert await limiter.refusal("s", None, "x") is None
    assert await limiter.refusal("s", None, "x") is None


def test_the_address_behind_a_local_proxy_is_its_last_hop():
    assert client_address("127.0.0.1", "203.0.113.9, 198.51.100.7") == "198.51.100.7"
    assert client_address("198.51.100.7", "6.6.6.6") == "198.51.100.7"  # not from our proxy: not trusted
    assert client_address("203.0.113.9", None) == "203.0.113.9"
