"""The audit trail: who did what to which intake, from where. One writer for the whole system.

Events are added in the caller's transaction, so an event exists exactly when
the change or view it records happened. `detail` holds counts and codes, never
patient text.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Optional

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import AuditEvent, utcnow

SYSTEM = "system"
"""The actor of changes the system makes by itself (reopening, reconciling a flag)."""


async def record(
    session: AsyncSession,
    actor: str,
    action: str,
    intake_id: Optional[int] = None,
    source: Optional[str] = None,
    detail: Optional[dict[str, Any]] = None,
) -> None:
    session.add(AuditEvent(actor=actor, action=action, intake_id=intake_id, source=source, detail=detail, at=utcnow()))


@dataclass(frozen=True)
class AuditFilter:
    actor: str = ""
    action: str = ""
    intake_id: Optional[int] = None

    @classmethod
    def from_query(cls, query: Any) -> "AuditFilter":
        intake = query.get("intake", "").strip()
        return cls(
            actor=query.get("actor", "").strip()[:255],
            action=query.get("action", "").strip()[:64],
            intake_id=int(intake) if intake.isdigit() else None,
        )


async def events(session: AsyncSession, wanted: AuditFilter, limit: int = 200) -> list[AuditEvent]:
    query = select(AuditEvent)
    if wanted.actor:
        query = query.where(AuditEvent.actor.contains(wanted.actor.lower()))
    if wanted.action:
        query = query.where(AuditEvent.action.startswith(wanted.action))
    if wanted.intake_id is not None:
        query = query.where(AuditEvent.intake_id == wanted.intake_id)
    result = await session.execute(query.order_by(AuditEvent.at.desc(), AuditEvent.id.desc()).limit(limit))
    return list(result.scalars())


async def actions(session: AsyncSession) -> list[str]:
    result = await session.execute(select(AuditEvent.action).distinct().order_by(AuditEvent.action))
    return [action for (action,) in result.all()]
