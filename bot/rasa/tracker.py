"""Reading Rasa's tracker store (its `events` table, in the app's own database).

Rasa owns the table and its layout: one row per event, with `sender_id`,
`type_name`, `timestamp` and the event as JSON in `data`. Only this module
reads it, so a Rasa upgrade that changes the layout changes this file. The
tracker store is written by Rasa alone; beyond reading, the only thing done to
it here is deleting whole conversations whose time is up (`bot.retention`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Iterable, Optional, Sequence

from sqlalchemy import bindparam, text
from sqlalchemy.ext.asyncio import AsyncSession


@dataclass(frozen=True)
class Line:
    """One thing said in a conversation, as the patient saw it."""

    who: str  # "patient" or "assistant"
    text: str
    at: Optional[datetime]
    options: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {"who": self.who, "text": self.text, "options": self.options, "at": self.at}


@dataclass(frozen=True)
class BotReply:
    """A bot event that named the response it uttered (Rasa puts it in the event's metadata)."""

    event_id: int
    sender_id: str
    utter_action: str


async def has_events_table(session: AsyncSession) -> bool:
    """Rasa creates its `events` table when it starts; a database Rasa never used has none."""
    if session.bind.dialect.name == "postgresql":
        found = await session.execute(text("SELECT to_regclass('events') IS NOT NULL"))
    else:
        found = await session.execute(
            text("SELECT count(*) > 0 FROM sqlite_master WHERE type = 'table' AND name = 'events'")
        )
    return bool(found.scalar())


_CHUNK = 500
"""Conversations per statement: well inside every database's limit on bound parameters."""


async def idle_conversations(session: AsyncSession, before_epoch: float) -> list[str]:
    """Conversations whose last event is older than `before_epoch` (Rasa stores Unix timestamps)."""
    if not await has_events_table(session):
        return []
    rows = await session.execute(
        text("SELECT sender_id FROM events GROUP BY sender_id HAVING MAX(timestamp) < :before"),
        {"before": before_epoch},
    )
    return [row[0] for row in rows.all()]


def _chunks(senders: Sequence[str]) -> Iterable[list[str]]:
    for start in range(0, len(senders), _CHUNK):
        yield list(senders[start : start + _CHUNK])


async def count_events(session: AsyncSession, senders: Sequence[str]) -> int:
    if not senders or not await has_events_table(session):
        return 0
    query = text("SELECT COUNT(*) FROM events WHERE sender_id IN :senders").bindparams(
        bindparam("senders", expanding=True)
    )
    total = 0
    for chunk in _chunks(senders):
        total += int((await session.execute(query, {"senders": chunk})).scalar() or 0)
    return total


async def delete_conversations(session: AsyncSession, senders: Sequence[str]) -> None:
    """Delete every event of these conversations, in the caller's transaction."""
    if not senders or not await has_events_table(session):
        return
    statement = text("DELETE FROM events WHERE sender_id IN :senders").bindparams(bindparam("senders", expanding=True))
    for chunk in _chunks(senders):
        await session.execute(statement, {"senders": chunk})


def _event(data: Optional[str]) -> dict[str, Any]:
    try:
        event = json.loads(data or "{}")
    except ValueError:
        return {}
    return event if isinstance(event, dict) else {}


async def conversation(session: AsyncSession, sender_id: str) -> list[Line]:
    """What the patient and the assistant said, in order (buttons offered shown as options)."""
    if not await has_events_table(session):
        return []
    result = await session.execute(
        text(
            "SELECT type_name, timestamp, data FROM events WHERE sender_id = :sender "
            "AND type_name IN ('user', 'bot') ORDER BY id"
        ),
        {"sender": sender_id},
    )
    lines = []
    for kind, stamp, data in result.all():
        event = _event(data)
        said = event.get("text")
        if not said:
            continue
        buttons = ((event.get("data") or {}).get("buttons") or []) if kind == "bot" else []
        lines.append(
            Line(
                who="patient" if kind == "user" else "assistant",
                text=said,
                at=datetime.fromtimestamp(stamp, tz=timezone.utc) if stamp else None,
                options=[str(b.get("title")) for b in buttons if isinstance(b, dict) and b.get("title")],
            )
        )
    return lines


async def replies_uttering(session: AsyncSession, names: Iterable[str], after_event: int) -> tuple[list[BotReply], int]:
    """Bot events after `after_event` that uttered one of `names`, oldest first, and the last event id read."""
    names = list(names)
    if not names or not await has_events_table(session):
        return [], after_event
    # A LIKE on the JSON narrows the rows in the database; the metadata is then read exactly.
    mentions = " OR ".join(f"data LIKE :reply{i}" for i in range(len(names)))
    rows = (
        await session.execute(
            text(
                f"SELECT id, sender_id, data FROM events WHERE type_name = 'bot' AND id > :after "
                f"AND ({mentions}) ORDER BY id"
            ),
            {"after": after_event, **{f"reply{i}": f'%"{name}"%' for i, name in enumerate(names)}},
        )
    ).all()
    found = []
    for event_id, sender_id, data in rows:
        uttered = (_event(data).get("metadata") or {}).get("utter_action")
        if uttered in names:
            found.append(BotReply(event_id, sender_id, uttered))
        after_event = max(after_event, event_id)
    return found, after_event


async def message_before(session: AsyncSession, sender_id: str, before_event: int) -> tuple[str, Optional[str]]:
    """The patient's last message before an event, and the risk category our NLU gave it (if any)."""
    row = (
        await session.execute(
            text(
                "SELECT data FROM events WHERE sender_id = :sender AND type_name = 'user' AND id < :before "
                "ORDER BY id DESC LIMIT 1"
            ),
            {"sender": sender_id, "before": before_event},
        )
    ).first()
    event = _event(row[0]) if row else {}
    risk = (event.get("parse_data") or {}).get("risk") or {}
    return event.get("text") or "", risk.get("category")
