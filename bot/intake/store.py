"""Reading and writing intakes. Every write is idempotent.

Actions may be retried and channels may deliver a message twice, so each
write is an upsert on a unique key (one intake per conversation, one answer
per question, one flag per disclosure, one queue item per intake) using the
database's own INSERT ... ON CONFLICT, never check-then-insert.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Iterable, Optional, Sequence

from sqlalchemy import case, delete, select, text, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import (
    Answer,
    AuditEvent,
    Flag,
    FlagKind,
    Intake,
    IntakeStatus,
    Priority,
    QueueItem,
    QueueStatus,
    WellbeingScore,
    utcnow,
)
from bot.intake.questions import ONS_KEYS, QUESTION_BY_KEY, SKIPPED

_REFERENCE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


def new_reference() -> str:
    """A short reference a patient can read out on the phone (no 0/O or 1/I/L)."""
    return "WM-" + "".join(secrets.choice(_REFERENCE_ALPHABET) for _ in range(6))


def _insert(session: AsyncSession, table: Any):
    dialect = session.bind.dialect.name
    module = postgresql if dialect == "postgresql" else sqlite
    return module.insert(table)


async def _upsert(
    session: AsyncSession, table: Any, values: dict[str, Any], keys: Sequence[str], update_cols: Iterable[str]
) -> None:
    statement = _insert(session, table).values(**values)
    update_cols = list(update_cols)
    if update_cols:
        statement = statement.on_conflict_do_update(
            index_elements=list(keys), set_={c: statement.excluded[c] for c in update_cols}
        )
    else:
        statement = statement.on_conflict_do_nothing(index_elements=list(keys))
    await session.execute(statement)


async def ensure_intake(session: AsyncSession, conversation_id: str, channel: str) -> Intake:
    """The intake of this conversation, created on first need."""
    await _upsert(
        session,
        Intake.__table__,
        {
            "reference": new_reference(),
            "conversation_id": conversation_id,
            "channel": channel,
            "status": IntakeStatus.IN_PROGRESS,
            "created_at": utcnow(),
            "updated_at": utcnow(),
        },
        keys=["conversation_id"],
        update_cols=[],
    )
    return (await session.execute(select(Intake).where(Intake.conversation_id == conversation_id))).scalar_one()


async def find_intake(session: AsyncSession, conversation_id: str) -> Optional[Intake]:
    result = await session.execute(select(Intake).where(Intake.conversation_id == conversation_id))
    return result.scalar_one_or_none()


async def set_status(session: AsyncSession, intake: Intake, status: str, consent: Optional[bool] = None) -> None:
    values: dict[str, Any] = {"status": status, "updated_at": utcnow()}
    if consent is not None:
        values["consent"] = consent
    await session.execute(update(Intake).where(Intake.id == intake.id).values(**values))


async def save_answer(session: AsyncSession, intake: Intake, key: str, value: Any, verbatim: str) -> None:
    """Store one answer as given (replacing an earlier one to the same question)."""
    question = QUESTION_BY_KEY[key]
    skipped = value == SKIPPED
    await _upsert(
        session,
        Answer.__table__,
        {
            "intake_id": intake.id,
            "section": question.section,
            "question_key": key,
            "value": None if skipped else value,
            "verbatim": verbatim,
            "status": "skipped" if skipped else "answered",
            "answered_at": utcnow(),
        },
        keys=["intake_id", "question_key"],
        update_cols=["value", "verbatim", "status", "answered_at"],
    )
    if key in ONS_KEYS:
        if skipped:
            await session.execute(
                delete(WellbeingScore).where(WellbeingScore.intake_id == intake.id, WellbeingScore.measure == key)
            )
        else:
            await _upsert(
                session,
                WellbeingScore.__table__,
                {"intake_id": intake.id, "measure": key, "score": int(value), "recorded_at": utcnow()},
                keys=["intake_id", "measure"],
                update_cols=["score", "recorded_at"],
            )


async def forget_answers(session: AsyncSession, intake: Intake, keys: Sequence[str]) -> None:
    """Drop answers the patient asked to change, so a stale answer never reaches the summary."""
    await session.execute(delete(Answer).where(Answer.intake_id == intake.id, Answer.question_key.in_(keys)))
    await session.execute(
        delete(WellbeingScore).where(WellbeingScore.intake_id == intake.id, WellbeingScore.measure.in_(keys))
    )


async def answers_of(session: AsyncSession, intake: Intake) -> list[Answer]:
    result = await session.execute(select(Answer).where(Answer.intake_id == intake.id).order_by(Answer.id))
    return list(result.scalars())


async def answer_map(session: AsyncSession, intake: Intake) -> dict[str, dict[str, Any]]:
    """Answers keyed by question, in the shape the summary builder reads."""
    return {
        a.question_key: {"value": a.value, "verbatim": a.verbatim, "status": a.status}
        for a in await answers_of(session, intake)
    }


async def flag_dicts(session: AsyncSession, intake: Intake) -> list[dict[str, Any]]:
    return [{"kind": f.kind, "category": f.category, "message": f.message} for f in await flags_of(session, intake)]


async def flags_of(session: AsyncSession, intake: Intake) -> list[Flag]:
    result = await session.execute(select(Flag).where(Flag.intake_id == intake.id).order_by(Flag.id))
    return list(result.scalars())


async def raise_priority(session: AsyncSession, intake: Intake, priority: int) -> None:
    """Put the intake on the queue now, or move it up; never down, never twice."""
    now = utcnow()
    await _upsert(
        session,
        QueueItem.__table__,
        {
            "intake_id": intake.id,
            "status": QueueStatus.NEW,
            "priority": priority,
            "created_at": now,
            "updated_at": now,
        },
        keys=["intake_id"],
        update_cols=[],
    )
    await session.execute(
        update(QueueItem)
        .where(QueueItem.intake_id == intake.id, QueueItem.priority > priority)
        .values(priority=priority, updated_at=now)
    )


async def add_flag(
    session: AsyncSession, intake: Intake, kind: str, message: str, category: Optional[str] = None
) -> None:
    """Record a flag once per (intake, kind, message) and queue the intake at the flag's priority."""
    dedupe = hashlib.sha256(f"{category}|{message}".encode("utf-8")).hexdigest()
    await _upsert(
        session,
        Flag.__table__,
        {
            "intake_id": intake.id,
            "kind": kind,
            "category": category,
            "message": message,
            "dedupe_key": dedupe,
            "created_at": utcnow(),
        },
        keys=["intake_id", "kind", "dedupe_key"],
        update_cols=[],
    )
    priority = Priority.URGENT if kind == FlagKind.SAFEGUARDING else Priority.CALLBACK
    await raise_priority(session, intake, priority)
    if kind == FlagKind.SAFEGUARDING:
        await reopen_if_closed(session, intake)


async def reopen_if_closed(session: AsyncSession, intake: Intake) -> None:
    """A disclosure after the item was closed puts it back on the queue, urgent and unassigned."""
    result = await session.execute(
        update(QueueItem)
        .where(QueueItem.intake_id == intake.id, QueueItem.status == QueueStatus.CLOSED)
        .values(status=QueueStatus.NEW, priority=Priority.URGENT, assignee=None, updated_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    if result.rowcount:
        await audit(session, "system", "reopened", intake.id, detail={"reason": "safeguarding flag after closing"})


async def submit(session: AsyncSession, intake: Intake, summary: dict[str, Any], summary_text: str) -> None:
    """Save the summary and queue the intake: called inside one transaction."""
    now = utcnow()
    await session.execute(
        update(Intake)
        .where(Intake.id == intake.id)
        .values(
            status=IntakeStatus.SUBMITTED,
            summary=summary,
            summary_text=summary_text,
            submitted_at=intake.submitted_at or now,
            updated_at=now,
        )
    )
    await raise_priority(session, intake, Priority.ROUTINE)


async def audit(
    session: AsyncSession,
    actor: str,
    action: str,
    intake_id: Optional[int] = None,
    source: Optional[str] = None,
    detail: Optional[dict[str, Any]] = None,
) -> None:
    session.add(AuditEvent(actor=actor, action=action, intake_id=intake_id, source=source, detail=detail, at=utcnow()))


@dataclass(frozen=True)
class QueueRow:
    queue_id: int
    intake_id: int
    reference: str
    status: str
    priority: int
    channel: str
    intake_status: str
    first_name: Optional[str]
    top_areas: list[str]
    flags: list[str]
    created_at: datetime

    def as_json(self) -> dict[str, Any]:
        return {
            "queue_id": self.queue_id,
            "intake_id": self.intake_id,
            "reference": self.reference,
            "status": self.status,
            "priority": Priority.NAMES.get(self.priority, str(self.priority)),
            "urgent": self.priority == Priority.URGENT,
            "channel": self.channel,
            "intake_status": self.intake_status,
            "first_name": self.first_name,
            "top_areas": self.top_areas,
            "flags": self.flags,
            "created_at": self.created_at.isoformat() if self.created_at else None,
        }


async def queue(session: AsyncSession, statuses: Sequence[str] = (QueueStatus.NEW, QueueStatus.CLAIMED, QueueStatus.CONTACTED)) -> list[QueueRow]:
    """The queue in working order: urgent first, then the longest waiting."""
    result = await session.execute(
        select(QueueItem, Intake)
        .join(Intake, Intake.id == QueueItem.intake_id)
        .where(QueueItem.status.in_(list(statuses)))
        .order_by(QueueItem.priority, QueueItem.created_at, QueueItem.id)
    )
    found = result.all()
    ids = [intake.id for _, intake in found]
    # Two queries for the whole page, not two per row.
    names = dict((await session.execute(
        select(Answer.intake_id, Answer.value).where(Answer.intake_id.in_(ids), Answer.question_key == "preferred_name")
    )).all()) if ids else {}
    kinds: dict[int, set[str]] = {}
    if ids:
        for intake_id, kind in (await session.execute(select(Flag.intake_id, Flag.kind).where(Flag.intake_id.in_(ids)))).all():
            kinds.setdefault(intake_id, set()).add(kind)
    return [
        QueueRow(
            queue_id=item.id,
            intake_id=intake.id,
            reference=intake.reference,
            status=item.status,
            priority=item.priority,
            channel=intake.channel,
            intake_status=intake.status,
            first_name=names.get(intake.id),
            top_areas=(intake.summary or {}).get("life_areas", {}).get("top", []),
            flags=sorted(kinds.get(intake.id, ())),
            created_at=item.created_at,
        )
        for item, intake in found
    ]


async def claim(session: AsyncSession, queue_id: int, who: str) -> bool:
    """Take an unassigned, open queue item for `who` in one conditional UPDATE.

    Race-free on SQLite and PostgreSQL: when two people claim at once, the
    database lets exactly one UPDATE match; the other sees no row changed.
    A new item becomes claimed; a contacted one keeps its status.
    """
    now = utcnow()
    result = await session.execute(
        update(QueueItem)
        .where(QueueItem.id == queue_id, QueueItem.assignee.is_(None), QueueItem.status != QueueStatus.CLOSED)
        .values(
            assignee=who,
            status=case((QueueItem.status == QueueStatus.NEW, QueueStatus.CLAIMED), else_=QueueItem.status),
            claimed_at=now,
            updated_at=now,
        )
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


async def has_tracker_table(session: AsyncSession) -> bool:
    """Rasa creates its `events` table on start; a database Rasa never used has none."""
    if session.bind.dialect.name == "postgresql":
        found = await session.execute(text("SELECT to_regclass('events') IS NOT NULL"))
    else:
        found = await session.execute(text("SELECT count(*) > 0 FROM sqlite_master WHERE type = 'table' AND name = 'events'"))
    return bool(found.scalar())
