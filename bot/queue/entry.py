"""How an intake enters the queue and moves on it by itself (no link worker involved).

Called by the intake's own writes (bot.intake.store) inside the action's
transaction, and by the claim. Each move is an upsert or a conditional UPDATE:
actions may be retried and several instances may act at once, and a move done
twice changes nothing the second time.
"""

from __future__ import annotations

from sqlalchemy import case, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.engine import dialect_insert
from bot.db.models import QueueItem, QueueStatus, utcnow
from bot.queue import audit


async def raise_priority(session: AsyncSession, intake_id: int, priority: int) -> None:
    """Put the intake on the queue now, or move it up; never down, never twice."""
    now = utcnow()
    statement = dialect_insert(session, QueueItem.__table__).values(
        intake_id=intake_id, status=QueueStatus.NEW, priority=priority, created_at=now, updated_at=now
    )
    await session.execute(statement.on_conflict_do_nothing(index_elements=["intake_id"]))
    await session.execute(
        update(QueueItem)
        .where(QueueItem.intake_id == intake_id, QueueItem.priority > priority)
        .values(priority=priority, updated_at=now)
    )


async def reopen_if_closed(session: AsyncSession, intake_id: int, reason: str) -> None:
    """A flag raised after the item was closed (a disclosure, a possible one, a wish to talk to someone,
    in the intake or in its follow-up) puts it back on the queue, new and unassigned, so a link worker
    sees it. Its priority is `raise_priority`'s, set first by the caller."""
    result = await session.execute(
        update(QueueItem)
        .where(QueueItem.intake_id == intake_id, QueueItem.status == QueueStatus.CLOSED)
        .values(status=QueueStatus.NEW, assignee=None, updated_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    if result.rowcount:
        await audit.record(session, audit.SYSTEM, "reopened", intake_id, detail={"reason": reason})


async def take(session: AsyncSession, queue_id: int, who: str) -> bool:
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
