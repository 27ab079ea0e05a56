"""The conversation lock store on this machine's Redis, as several Rasa instances use it."""

from __future__ import annotations

import asyncio
import threading
import time
import uuid

import pytest
from rasa.core.lock_store import LockError, LockStore
from rasa.utils.endpoints import EndpointConfig

from bot.rasa.lock_store import OrderedRedisLockStore, PromptInMemoryLockStore, redis_connection_arguments
from bot.settings import Settings
from tests.support.redis import REDIS_TEST_URL, require_redis


@pytest.fixture
def stores():
    """Eight stores, each with its own connection, standing in for eight Rasa instances."""
    require_redis()
    made = [OrderedRedisLockStore(url=REDIS_TEST_URL, key_prefix="locktest") for _ in range(8)]
    yield made
    for store in made:
        store.red.close()


def conversation() -> str:
    return f"lock-{uuid.uuid4().hex}"


def test_tickets_taken_at_the_same_instant_are_all_different_and_all_queued(stores):
    # Rasa's own RedisLockStore gave 0, 0, 0, 1, 1, 1, 2, 3 here and kept one ticket in the queue.
    conversation_id = conversation()
    barrier = threading.Barrier(len(stores))
    tickets: list[int] = []

    def take(store: OrderedRedisLockStore) -> None:
        barrier.wait()
        tickets.append(store.issue_ticket(conversation_id))

    threads = [threading.Thread(target=take, args=(store,)) for store in stores]
    [thread.start() for thread in threads]
    [thread.join() for thread in threads]
    queued = [ticket.number for ticket in stores[0].get_lock(conversation_id).tickets]
    assert len(set(tickets)) == len(stores)
    assert sorted(queued) == sorted(tickets)


def test_messages_of_one_conversation_on_several_instances_are_handled_one_at_a_time_in_order(stores):
    conversation_id = conversation()
    inside: list[int] = []
    order: list[int] = []
    overlaps: list[tuple] = []

    def handle(index: int) -> None:
        async def turn() -> None:
            async with stores[index].lock(conversation_id):
                if inside:
                    overlaps.append((index, tuple(inside)))
                inside.append(index)
                order.append(index)
                await asyncio.sleep(0.02)  # the turn's own work, with awaits as Rasa's has
                inside.remove(index)

        asyncio.run(turn())

    def tickets_taken() -> int:
        return int(stores[0].red.get(stores[0]._counter_key(conversation_id)) or 0)

    threads = []
    for index in range(len(stores)):
        threads.append(threading.Thread(target=handle, args=(index,)))
        threads[-1].start()
        # Arrival order is the order the tickets are taken: the next instance starts only once this
        # one holds its ticket (a fixed pause let a slow thread start take its ticket after the next).
        deadline = time.monotonic() + 5
        while tickets_taken() <= index and time.monotonic() < deadline:
            time.sleep(0.001)
        assert tickets_taken() > index, "an instance never took its ticket"
    [thread.join() for thread in threads]
    assert not overlaps
    assert order == list(range(len(stores)))
    assert stores[0].get_lock(conversation_id) is None  # nothing left behind


def test_a_finished_ticket_never_removes_a_ticket_taken_meanwhile(stores):
    conversation_id = conversation()
    first = stores[0].issue_ticket(conversation_id)
    second = stores[1].issue_ticket(conversation_id)
    stores[0].cleanup(conversation_id, first)
    lock = stores[1].get_lock(conversation_id)
    assert [ticket.number for ticket in lock.tickets] == [second] and not lock.is_locked(second)
    stores[1].cleanup(conversation_id, second)
    assert stores[0].get_lock(conversation_id) is None


def test_a_ticket_of_an_instance_that_died_expires_and_numbers_are_not_reused(stores):
    conversation_id = conversation()
    dead = stores[0].issue_ticket(conversation_id, lock_lifetime=0.05)
    time.sleep(0.1)
    alive = stores[1].issue_ticket(conversation_id)
    assert alive != dead
    assert not stores[1].get_lock(conversation_id).is_locked(alive)
    stores[0].cleanup(conversation_id, dead)  # the dead instance's late clean-up takes nothing away
    assert not stores[1].get_lock(conversation_id).is_locked(alive)
    stores[1].cleanup(conversation_id, alive)


def test_a_waiting_message_goes_as_soon_as_the_one_before_finishes(stores):
    conversation_id = conversation()

    async def two_turns() -> float:
        released = asyncio.Event()

        async def first() -> None:
            async with stores[0].lock(conversation_id):
                released.set()
                await asyncio.sleep(0.1)

        async def second() -> float:
            await released.wait()
            started = time.monotonic()
            async with stores[1].lock(conversation_id):
                return time.monotonic() - started

        return (await asyncio.gather(first(), second()))[1]

    waited = asyncio.run(two_turns())
    assert 0.09 <= waited < 0.5  # Rasa's own store polls once a second


def test_rasa_builds_our_stores_from_the_settings_endpoints():
    require_redis()
    redis_store = LockStore.create(
        EndpointConfig(
            type=Settings(redis_url=REDIS_TEST_URL).lock_store_env()["WM_LOCK_STORE"],
            url=REDIS_TEST_URL,
            key_prefix="whatmatters",
        )
    )
    memory_store = LockStore.create(EndpointConfig(type=Settings(redis_url="").lock_store_env()["WM_LOCK_STORE"]))
    assert isinstance(redis_store, OrderedRedisLockStore) and redis_store.key_prefix == "whatmatters:lock:"
    assert isinstance(memory_store, PromptInMemoryLockStore)
    redis_store.red.close()


def test_redis_urls_are_read_in_full():
    assert redis_connection_arguments("rediss://user:p%40ss@cache.example:6380/3") == {
        "host": "cache.example",
        "port": 6380,
        "db": 3,
        "username": "user",
        "password": "p@ss",
        "use_ssl": True,
    }
    assert redis_connection_arguments("redis://127.0.0.1")["db"] == 0
    for bad in ("", "http://127.0.0.1:6379", "redis://"):
        with pytest.raises(ValueError):
            redis_connection_arguments(bad)


def test_redis_down_is_a_lock_error_not_a_hang():
    store = OrderedRedisLockStore(url="redis://127.0.0.1:1/0")
    with pytest.raises(LockError):
        store.issue_ticket(conversation())
