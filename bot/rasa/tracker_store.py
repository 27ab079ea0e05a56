"""Rasa's SQL tracker store, without reloading the whole conversation on every turn.

Measured (bench/profile.py): Rasa's `SQLTrackerStore` spent about a third of
the Rasa server's CPU per turn on the tracker store. Each turn it opened a new
database connection, loaded every event of the conversation, decoded their
JSON and replayed them all to rebuild the tracker; each save counted the
conversation's rows again with a sub-query before inserting the new ones.

This store keeps the trackers it has built (a bounded, least-recently-used
cache per process) with how many of their events are stored and the id of the
last stored row. A turn then reads only the rows added since (by another
instance, in the production profile), applies them, and saves only the new
events. Correctness rests on three checks, each falling back to Rasa's way:

- a cached tracker with more events than were stored (a turn that failed
  before saving) is thrown away and the conversation loaded in full;
- rows of a new conversation session, or a tracker the cache did not hand
  out, take Rasa's own path (the session's rows counted, the rest inserted);
- the lock store serialises the turns of one conversation across instances,
  so the rows read at the start of a turn are all there are.

A conversation whose `forget_conversation` slot is set (a person declined
and disclosed nothing) is deleted instead of saved, in the same turn.

Registered in endpoints.yml as `type: bot.rasa.tracker_store.CachedSQLTrackerStore`.
Beware: when Rasa cannot import a tracker store class named there, it silently
uses an in-memory store instead; `tests/e2e` read the `events` table, so they
would notice.
"""

from __future__ import annotations

import itertools
import json
import logging
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any, Iterable, Optional

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.events import Event, SessionStarted, deserialise_events
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import INTENT_NAME_KEY

from bot.intake.store import FORGET_CONVERSATION

logger = logging.getLogger(__name__)

CACHE_SIZE = 2000
"""Conversations kept per process: a few hundred events each, well under 100 MB in all."""


@dataclass
class _Cached:
    tracker: DialogueStateTracker
    stored: int  # how many of tracker.events are in the database
    last_id: int  # the id of the conversation's last row we have applied


class CachedSQLTrackerStore(SQLTrackerStore):
    def __init__(self, domain: Any = None, cache_size: int = CACHE_SIZE, **kwargs: Any) -> None:
        super().__init__(domain, **kwargs)
        opened_per_session: sa.engine.Engine = self.engine  # type: ignore[has-type]
        if opened_per_session.dialect.name == "sqlite":
            # SQLAlchemy 1.4 opens a new SQLite connection per session (NullPool), and each new
            # connection runs the WAL pragmas again; one kept connection serves this single thread.
            kept: sa.engine.Engine = sa.create_engine(
                opened_per_session.url, poolclass=sa.pool.SingletonThreadPool, pool_size=1
            )
            self.engine = kept
            self.sessionmaker = sa.orm.sessionmaker(bind=kept)
            opened_per_session.dispose()
        self.cache_size = cache_size
        self._cache: OrderedDict[str, _Cached] = OrderedDict()

    # --- reading ---------------------------------------------------------------------------------------------

    async def retrieve(self, sender_id: str) -> Optional[DialogueStateTracker]:
        cached = self._cache.pop(sender_id, None)
        if cached is not None and len(cached.tracker.events) == cached.stored:
            if self._catch_up(cached):
                self._remember(sender_id, cached)
                return cached.tracker
        return self._load(sender_id)

    def _catch_up(self, cached: _Cached) -> bool:
        """Apply the rows added since; False when they start a new session (then load in full)."""
        with self.session_scope() as session:
            rows = (
                session.query(self.SQLEvent.id, self.SQLEvent.data)
                .filter(self.SQLEvent.sender_id == cached.tracker.sender_id, self.SQLEvent.id > cached.last_id)
                .order_by(self.SQLEvent.id)
                .all()
            )
        if not rows:
            return True
        events = deserialise_events([json.loads(row.data) for row in rows])
        if any(isinstance(event, SessionStarted) for event in events):
            return False
        for event in events:
            cached.tracker.update(event)
        cached.stored = len(cached.tracker.events)
        cached.last_id = rows[-1].id
        return True

    def _load(self, sender_id: str) -> Optional[DialogueStateTracker]:
        """Rasa's way: the latest session's rows, replayed."""
        with self.session_scope() as session:
            rows = self._event_query(session, sender_id, fetch_events_from_all_sessions=False).all()
        if not self.domain or not rows:
            return None
        tracker = DialogueStateTracker.from_dict(sender_id, [json.loads(row.data) for row in rows], self.domain.slots)
        self._remember(sender_id, _Cached(tracker, stored=len(tracker.events), last_id=rows[-1].id))
        return tracker

    def _remember(self, sender_id: str, cached: _Cached) -> None:
        self._cache[sender_id] = cached
        self._cache.move_to_end(sender_id)
        while len(self._cache) > self.cache_size:
            self._cache.popitem(last=False)

    # --- writing ---------------------------------------------------------------------------------------------

    async def save(self, tracker: DialogueStateTracker) -> None:
        if tracker.get_slot(FORGET_CONVERSATION):
            self.forget(tracker.sender_id)
            return
        await self.stream_events(tracker)
        cached = self._cache.get(tracker.sender_id)
        known = cached is not None and cached.tracker is tracker and cached.stored <= len(tracker.events)
        with self.session_scope() as session:
            if known:
                assert cached is not None
                new = list(itertools.islice(tracker.events, cached.stored, None))
            else:
                new = list(self._additional_events(session, tracker))
            last_id: Optional[int] = cached.last_id if known and cached else None
            if new:
                # One INSERT for the turn's events (the ORM would send one per event), then the last id.
                table = self.SQLEvent.__table__
                session.execute(table.insert(), self._rows(tracker.sender_id, new))
                last_id = session.execute(
                    sa.select(sa.func.max(table.c.id)).where(table.c.sender_id == tracker.sender_id)
                ).scalar()
            session.commit()
        if any(isinstance(event, SessionStarted) for event in new) or last_id is None:
            self._cache.pop(tracker.sender_id, None)  # a new session: the next turn loads it Rasa's way
            return
        self._remember(tracker.sender_id, _Cached(tracker, stored=len(tracker.events), last_id=last_id))

    def forget(self, sender_id: str) -> None:
        """Delete every stored event of a conversation (a person declined: nothing is kept)."""
        self._cache.pop(sender_id, None)
        with self.session_scope() as session:
            session.execute(sa.delete(self.SQLEvent.__table__).where(self.SQLEvent.__table__.c.sender_id == sender_id))
            session.commit()
        logger.debug("Deleted the stored events of a declined conversation.")

    @staticmethod
    def _rows(sender_id: str, events: Iterable[Event]) -> list[dict[str, Any]]:
        """The `events` table's columns for each event, as Rasa's own store fills them."""
        rows = []
        for event in events:
            data = event.as_dict()
            rows.append(
                {
                    "sender_id": sender_id,
                    "type_name": event.type_name,
                    "timestamp": data.get("timestamp"),
                    "intent_name": data.get("parse_data", {}).get("intent", {}).get(INTENT_NAME_KEY),
                    "action_name": data.get("name"),
                    "data": json.dumps(data),
                }
            )
        return rows
