"""The cached tracker store gives every turn the same tracker Rasa's own store would, on SQLite and PostgreSQL,
including when another instance added to the conversation, a turn failed before saving, or a session started."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, SessionStarted, SlotSet, UserUttered

from bot.rasa.tracker_store import CachedSQLTrackerStore
from bot.settings import PROJECT_ROOT
from tests.support.databases import fresh_postgres_database

DOMAIN = Domain.load(str(PROJECT_ROOT / "domain.yml"))


@pytest.fixture(params=["sqlite", "postgres"])
def url(request, tmp_path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'tracker.db'}"
        return
    with fresh_postgres_database() as async_url:
        yield async_url.replace("postgresql+asyncpg://", "postgresql://", 1)


def _store(url: str, kind: type = CachedSQLTrackerStore) -> SQLTrackerStore:
    return kind(domain=DOMAIN, host=url)


def _turn(tracker, text: str, slot_value: str) -> None:
    tracker.update(UserUttered(text, {"name": "inform", "confidence": 1.0}))
    tracker.update(ActionExecuted("intake_form"))
    tracker.update(SlotSet("preferred_name", slot_value))
    tracker.update(ActionExecuted("action_listen"))


def _dump(tracker) -> list[dict]:
    return [event.as_dict() for event in tracker.events]


async def _start(store, sender: str):
    tracker = await store.get_or_create_tracker(sender)
    tracker.update(ActionExecuted("action_session_start"))
    tracker.update(SessionStarted())
    tracker.update(ActionExecuted("action_listen"))
    await store.save(tracker)
    return tracker


async def test_turn_after_turn_the_tracker_is_what_rasas_store_would_load(url):
    store, rasas = _store(url), _store(url, SQLTrackerStore)
    await _start(store, "s1")
    for number in range(6):
        tracker = await store.retrieve("s1")
        _turn(tracker, f"answer {number}", f"name {number}")
        await store.save(tracker)
    cached, loaded = await store.retrieve("s1"), await rasas.retrieve("s1")
    assert _dump(cached) == _dump(loaded) and cached.get_slot("preferred_name") == "name 5"
    assert len(_dump(loaded)) == 2 + 6 * 4, "every event stored once (the session's, from SessionStarted on)"


async def test_a_turn_on_another_instance_is_caught_up(url):
    first, second, rasas = _store(url), _store(url), _store(url, SQLTrackerStore)
    await _start(first, "s2")
    tracker = await first.retrieve("s2")
    _turn(tracker, "on the first instance", "Carol")
    await first.save(tracker)
    other = await second.retrieve("s2")
    _turn(other, "on the second instance", "Jo")
    await second.save(other)
    caught_up = await first.retrieve("s2")
    assert caught_up is tracker, "the cached tracker, brought up to date"
    assert caught_up.get_slot("preferred_name") == "Jo"
    assert _dump(caught_up) == _dump(await rasas.retrieve("s2"))
    _turn(caught_up, "back on the first", "Sam")
    await first.save(caught_up)
    assert _dump(await rasas.retrieve("s2")) == _dump(caught_up)


async def test_a_turn_that_failed_before_saving_is_forgotten(url):
    store = _store(url)
    await _start(store, "s3")
    tracker = await store.retrieve("s3")
    _turn(tracker, "this turn crashed", "Never saved")  # no save: the action server was down, say
    again = await store.retrieve("s3")
    assert again.get_slot("preferred_name") is None and "this turn crashed" not in str(_dump(again))


async def test_a_new_session_is_loaded_the_way_rasa_loads_it(url):
    store, rasas = _store(url), _store(url, SQLTrackerStore)
    tracker = await _start(store, "s4")
    _turn(tracker, "first session", "Carol")
    await store.save(tracker)
    tracker = await store.retrieve("s4")
    tracker.update(ActionExecuted("action_session_start"))
    tracker.update(SessionStarted())
    tracker.update(ActionExecuted("action_listen"))
    await store.save(tracker)
    assert _dump(await store.retrieve("s4")) == _dump(await rasas.retrieve("s4"))


async def test_the_cache_is_bounded(url):
    store = CachedSQLTrackerStore(domain=DOMAIN, host=url, cache_size=2)
    for sender in ("a", "b", "c"):
        await _start(store, sender)  # a new session is not cached: the next turn loads it Rasa's way
        await store.retrieve(sender)
    assert list(store._cache) == ["b", "c"]
    assert (await store.retrieve("a")) is not None, "a forgotten conversation is loaded again"


async def test_a_declined_conversation_is_deleted_not_saved(url):
    store, rasas = _store(url), _store(url, SQLTrackerStore)
    await _start(store, "declines")
    await _start(store, "stays")
    tracker = await store.retrieve("declines")
    _turn(tracker, "no thanks", "unused")
    tracker.update(SlotSet("forget_conversation", True))
    await store.save(tracker)
    assert await store.retrieve("declines") is None
    assert await rasas.retrieve("declines") is None  # nothing in the table, not just out of the cache
    assert await rasas.retrieve("stays") is not None
    again = await store.get_or_create_tracker("declines")
    assert again.get_slot("forget_conversation") is None and again.get_slot("preferred_name") is None
