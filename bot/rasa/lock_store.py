"""Conversation locks that hold across several Rasa instances.

Rasa keeps messages of one conversation in order with a ticket lock: each message
takes a numbered ticket and waits until its ticket is first in the queue. Rasa
3.6's ``RedisLockStore`` reads the queue from Redis, changes it in Python and
writes it back. Two instances taking a ticket at the same moment both read the
same queue, so both get the same number, one ticket overwrites the other, and
both messages are processed at once: one of them is then lost from the tracker
(measured: eight simultaneous tickets gave the numbers 0, 0, 0, 1, 1, 1, 2, 3).
Finishing a ticket and deleting an empty queue race the same way.

``OrderedRedisLockStore`` makes every change to a queue one optimistic Redis
transaction (WATCH/MULTI/EXEC, retried when another instance got there first)
and numbers tickets from a counter that does not restart while any instance
could still hold an old number. Waiting messages also poll every 50 ms instead
of every second. ``PromptInMemoryLockStore`` is the one-instance default with
the same prompt polling.
"""

from __future__ import annotations

import json
import time
from contextlib import asynccontextmanager
from typing import AsyncGenerator, Callable, Optional, TypeVar
from urllib.parse import unquote, urlsplit

from rasa.core.lock import Ticket, TicketLock
from rasa.core.lock_store import LOCK_LIFETIME, InMemoryLockStore, LockError, LockStore, RedisLockStore
from rasa.utils.endpoints import EndpointConfig

# How often a message waiting for its turn looks again. Rasa's default is one
# second, which a patient would feel whenever two of their messages overlap.
POLL_SECONDS = 0.05
# Ticket numbers stay unique for this long after the last ticket of a conversation.
COUNTER_SECONDS = 24 * 3600

Result = TypeVar("Result")


class PromptPolling(LockStore):
    """Wait for a conversation's lock in short steps rather than whole seconds (a mixin over a Rasa lock store)."""

    @asynccontextmanager
    async def lock(
        self, conversation_id: str, lock_lifetime: float = LOCK_LIFETIME, wait_time_in_seconds: float = POLL_SECONDS
    ) -> AsyncGenerator[TicketLock, None]:
        ticket = self.issue_ticket(conversation_id, lock_lifetime)
        try:
            yield await self._acquire_lock(conversation_id, ticket, min(wait_time_in_seconds, POLL_SECONDS))
        finally:
            self.cleanup(conversation_id, ticket)


class PromptInMemoryLockStore(PromptPolling, InMemoryLockStore):
    """Rasa's in-memory lock store (one instance only), with prompt polling."""

    def __init__(self, endpoint_config: Optional[EndpointConfig] = None) -> None:
        super().__init__()


def redis_connection_arguments(url: str) -> dict:
    """Rasa's RedisLockStore arguments from a ``redis://`` or ``rediss://`` URL."""
    parsed = urlsplit(url)
    if parsed.scheme not in ("redis", "rediss") or not parsed.hostname:
        raise ValueError("the lock store needs a redis:// or rediss:// URL with a host")
    return {
        "host": parsed.hostname,
        "port": parsed.port or 6379,
        "db": int((parsed.path or "/0").strip("/") or 0),
        "username": unquote(parsed.username) if parsed.username else None,
        "password": unquote(parsed.password) if parsed.password else None,
        "use_ssl": parsed.scheme == "rediss",
    }


class OrderedRedisLockStore(PromptPolling, RedisLockStore):
    """A Redis lock store whose every queue change is atomic (see module docstring)."""

    def __init__(
        self, endpoint_config: Optional[EndpointConfig] = None, *, url: str = "", key_prefix: Optional[str] = None
    ) -> None:
        if endpoint_config is not None:
            url = url or endpoint_config.url or ""
            key_prefix = key_prefix or endpoint_config.kwargs.get("key_prefix")
        super().__init__(**redis_connection_arguments(url), key_prefix=key_prefix)

    def _key(self, conversation_id: str) -> str:
        return self.key_prefix + conversation_id

    def _counter_key(self, conversation_id: str) -> str:
        return self.key_prefix + "counter:" + conversation_id

    def _change(
        self,
        conversation_id: str,
        change: Callable[[Optional[TicketLock], int], tuple[Optional[TicketLock], Result]],
        with_counter: bool = False,
    ) -> Result:
        """Read a conversation's queue, apply ``change`` and write the result, all or nothing.

        ``change`` receives the current lock (or None) and the conversation's ticket
        counter (0 unless ``with_counter``), and returns the lock to store (None or
        empty deletes it) and a result.
        """
        key = self._key(conversation_id)
        counter_key = self._counter_key(conversation_id)
        watched = (key, counter_key) if with_counter else (key,)

        def attempt(pipe) -> Result:
            stored = pipe.get(key)
            lock = TicketLock.from_dict(json.loads(stored)) if stored else None
            counter = int(pipe.get(counter_key) or 0) if with_counter else 0
            new_lock, result = change(lock, counter)
            pipe.multi()
            if new_lock is None or not new_lock.tickets:
                pipe.delete(key)
            else:
                expires = max(ticket.expires for ticket in new_lock.tickets)
                pipe.set(key, new_lock.dumps(), px=max(1, int((expires - time.time() + 1) * 1000)))
            if with_counter:
                pipe.set(counter_key, counter + 1, ex=COUNTER_SECONDS)
            return result

        try:
            return self.red.transaction(attempt, *watched, value_from_callable=True)
        except Exception as error:  # noqa: BLE001 - Rasa expects LockError from a lock store
            raise LockError(f"Could not change the lock of a conversation: {type(error).__name__}") from error

    def issue_ticket(self, conversation_id: str, lock_lifetime: float = LOCK_LIFETIME) -> int:
        """Append a ticket with a number no live ticket of this conversation has."""

        def add(lock: Optional[TicketLock], counter: int) -> tuple[TicketLock, int]:
            lock = lock or self.create_lock(conversation_id)
            lock.remove_expired_tickets()
            lock.tickets.append(Ticket(counter, time.time() + lock_lifetime))
            return lock, counter

        return self._change(conversation_id, add, with_counter=True)

    def update_lock(self, conversation_id: str) -> None:
        """Drop expired tickets (of instances that died holding them).

        Rasa calls this on every poll of a waiting message: a plain read first, so the
        transaction (and its write) only happens when a ticket has actually expired."""
        lock = self.get_lock(conversation_id)
        if lock is None or not any(ticket.has_expired() for ticket in lock.tickets):
            return

        def prune(lock: Optional[TicketLock], _counter: int) -> tuple[Optional[TicketLock], None]:
            if lock is not None:
                lock.remove_expired_tickets()
            return lock, None

        self._change(conversation_id, prune)

    def finish_serving(self, conversation_id: str, ticket_number: int) -> None:
        """Remove a finished ticket; the queue goes when it is empty, in the same step."""

        def remove(lock: Optional[TicketLock], _counter: int) -> tuple[Optional[TicketLock], None]:
            if lock is not None:
                lock.remove_ticket_for(ticket_number)
            return lock, None

        self._change(conversation_id, remove)

    def cleanup(self, conversation_id: str, ticket_number: int) -> None:
        """Finish a ticket. Rasa then deletes the queue if it looks empty, which could
        delete a ticket issued in between; here the removal already did that atomically."""
        self.finish_serving(conversation_id, ticket_number)
