"""The purge: delete what has been kept longer than its retention period, everywhere it is held.

Patient data lives in three places: the app's tables (intakes and all that hangs
off them), Rasa's tracker store (the conversation itself, in the `events` table)
and the SMS outbox. A purge deletes across all three in one transaction and
records one audit event with counts only. Periods are settings (days; see
`Retention`), and anything a link worker still has open is never purged, however
old: an open queue item keeps its intake and its conversation.

- Unfinished intakes (in progress, paused, or declined but not yet erased) that
  never reached the queue: `abandoned_days` after their last change.
- Closed queue items, with their intake: `closed_days` after closing.
- Conversations (Rasa's events): `transcript_days` after their last event, or at
  once when their intake is purged; never while their intake is on an open item.
- SMS and e-mail outbox rows no longer waiting to go, and the SMS inbound log: `sms_days`.
- The audit trail: `audit_days`.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from datetime import datetime, timedelta
from typing import Optional

from sqlalchemy import and_, delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql import Select

from bot.db.models import AuditEvent, Intake, IntakeStatus, QueueItem, QueueStatus, utcnow
from bot.mail.models import MailOutbox, MailStatus
from bot.queue import audit
from bot.rasa import tracker
from bot.settings import Settings
from bot.sms.models import OutboxStatus, SmsInbound, SmsOutbox

PURGED = "purged"
"""The audit action of a purge: counts per kind, never what was deleted."""


@dataclass(frozen=True)
class Retention:
    """Days each kind of record is kept. The defaults (in `bot.settings`) follow the NHS records
    management code for adult health records where it applies: eight years after the last contact."""

    abandoned_days: int
    closed_days: int
    transcript_days: int
    sms_days: int
    audit_days: int

    @classmethod
    def from_settings(cls, settings: Settings) -> "Retention":
        """Each period from the setting of the same name (`retain_<field>`)."""
        return cls(**{period.name: getattr(settings, f"retain_{period.name}") for period in fields(cls)})


@dataclass
class Counts:
    intakes_abandoned: int = 0
    intakes_closed: int = 0
    conversations: int = 0
    conversation_events: int = 0
    sms_outbox: int = 0
    sms_inbound: int = 0
    mail_outbox: int = 0
    audit_events: int = 0

    def as_dict(self) -> dict[str, int]:
        return asdict(self)

    @property
    def total(self) -> int:
        return sum(asdict(self).values())


def _abandoned(cutoff: datetime) -> Select:
    on_queue = select(QueueItem.intake_id)
    unfinished = (IntakeStatus.IN_PROGRESS, IntakeStatus.PAUSED, IntakeStatus.DECLINED)
    return select(Intake.id, Intake.conversation_id).where(
        Intake.status.in_(unfinished), Intake.updated_at < cutoff, Intake.id.not_in(on_queue)
    )


def _closed(cutoff: datetime) -> Select:
    return (
        select(Intake.id, Intake.conversation_id)
        .join(QueueItem, QueueItem.intake_id == Intake.id)
        .where(
            QueueItem.status == QueueStatus.CLOSED, func.coalesce(QueueItem.closed_at, QueueItem.updated_at) < cutoff
        )
    )


def _open_conversations() -> Select:
    """Conversations whose intake a link worker still has: never purged."""
    return (
        select(Intake.conversation_id)
        .join(QueueItem, QueueItem.intake_id == Intake.id)
        .where(QueueItem.status != QueueStatus.CLOSED)
    )


async def purge(
    session: AsyncSession, retention: Retention, dry_run: bool = False, now: Optional[datetime] = None
) -> Counts:
    """Delete (or, with `dry_run`, only count) everything past its period; the caller commits."""
    now = now or utcnow()
    counts = Counts()

    def before(days: int) -> datetime:
        return now - timedelta(days=days)

    abandoned = (await session.execute(_abandoned(before(retention.abandoned_days)))).all()
    closed = (await session.execute(_closed(before(retention.closed_days)))).all()
    counts.intakes_abandoned, counts.intakes_closed = len(abandoned), len(closed)
    gone_conversations = [row.conversation_id for row in abandoned + closed]

    keep = {row[0] for row in (await session.execute(_open_conversations())).all()}
    idle = await tracker.idle_conversations(session, (now - timedelta(days=retention.transcript_days)).timestamp())
    conversations = sorted((set(idle) | set(gone_conversations)) - keep)
    counts.conversations = len(conversations)
    counts.conversation_events = await tracker.count_events(session, conversations)

    sms_cutoff = before(retention.sms_days)
    outbox = and_(SmsOutbox.status.not_in(OutboxStatus.OPEN), SmsOutbox.updated_at < sms_cutoff)
    inbound = SmsInbound.received_at < sms_cutoff
    mail = and_(MailOutbox.status.not_in(MailStatus.OPEN), MailOutbox.updated_at < sms_cutoff)
    audit_old = AuditEvent.at < before(retention.audit_days)
    counts.sms_outbox = await _count(session, SmsOutbox, outbox)
    counts.sms_inbound = await _count(session, SmsInbound, inbound)
    counts.mail_outbox = await _count(session, MailOutbox, mail)
    counts.audit_events = await _count(session, AuditEvent, audit_old)
    if dry_run:
        return counts

    ids = [row.id for row in abandoned + closed]
    if ids:  # answers, scores, flags, queue items and notes go with them (ON DELETE CASCADE)
        await session.execute(delete(Intake).where(Intake.id.in_(ids)))
    await tracker.delete_conversations(session, conversations)
    await session.execute(delete(SmsOutbox).where(outbox))
    await session.execute(delete(SmsInbound).where(inbound))
    await session.execute(delete(MailOutbox).where(mail))
    await session.execute(delete(AuditEvent).where(audit_old))
    if counts.total:
        await audit.record(session, audit.SYSTEM, PURGED, detail=counts.as_dict())
    return counts


async def _count(session: AsyncSession, model: type, condition: object) -> int:
    return int((await session.execute(select(func.count()).select_from(model).where(condition))).scalar() or 0)
