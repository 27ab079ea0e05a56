"""Reading and writing the SMS tables. Writes are idempotent, claims are conditional UPDATEs."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Iterable, Optional, Sequence

from sqlalchemy import func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot import outbox
from bot.db.engine import dialect_insert
from bot.db.models import aware, utcnow
from bot.sms.models import OutboxStatus, SmsContact, SmsInbound, SmsOutbox
from bot.sms.phone import PhoneVault
from bot.sms.text import segment_count


async def contact_for(session: AsyncSession, vault: PhoneVault, number: str) -> SmsContact:
    """The contact row of an E.164 number, created on first need."""
    digest = vault.digest(number)
    now = utcnow()
    await session.execute(
        dialect_insert(session, SmsContact.__table__)
        .values(
            number_hash=digest,
            number_encrypted=vault.encrypt(number),
            sender_id=vault.sender_id(number),
            opted_out=False,
            created_at=now,
            updated_at=now,
        )
        # Any conflict: two first messages from one number racing collide on sender_id too.
        .on_conflict_do_nothing()
    )
    return (await session.execute(select(SmsContact).where(SmsContact.number_hash == digest))).scalar_one()


async def get_contact(session: AsyncSession, contact_id: int) -> SmsContact:
    return (await session.execute(select(SmsContact).where(SmsContact.id == contact_id))).scalar_one()


async def contact_by_sender(session: AsyncSession, sender_id: str) -> Optional[SmsContact]:
    return (await session.execute(select(SmsContact).where(SmsContact.sender_id == sender_id))).scalar_one_or_none()


async def record_inbound(
    session: AsyncSession, provider: str, message_id: str, contact_id: int, keyword: Optional[str]
) -> Optional[int]:
    """The new inbound row's id, or None when this provider message was seen before."""
    result = await session.execute(
        dialect_insert(session, SmsInbound.__table__)
        .values(
            provider=provider,
            provider_message_id=message_id[:128],
            contact_id=contact_id,
            keyword=keyword,
            status="received",
            received_at=utcnow(),
        )
        .on_conflict_do_nothing(index_elements=["provider", "provider_message_id"])
    )
    if result.rowcount != 1:
        return None
    return (
        await session.execute(
            select(SmsInbound.id).where(
                SmsInbound.provider == provider, SmsInbound.provider_message_id == message_id[:128]
            )
        )
    ).scalar_one()


async def mark_inbound(session: AsyncSession, inbound_id: int, status: str) -> None:
    await session.execute(
        update(SmsInbound).where(SmsInbound.id == inbound_id).values(status=status, handled_at=utcnow())
    )


async def opt_out(session: AsyncSession, contact_id: int) -> int:
    """Stop every text to this contact now: mark the opt-out and cancel what is waiting. Returns texts cancelled."""
    now = utcnow()
    await session.execute(
        update(SmsContact)
        .where(SmsContact.id == contact_id)
        .values(opted_out=True, opted_out_at=now, updated_at=now, options=None)
    )
    result = await session.execute(
        update(SmsOutbox)
        .where(SmsOutbox.contact_id == contact_id, SmsOutbox.status == OutboxStatus.PENDING)
        .values(status=OutboxStatus.CANCELLED, last_error="opted out", updated_at=now)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount


async def opt_in(session: AsyncSession, contact_id: int) -> None:
    now = utcnow()
    await session.execute(
        update(SmsContact).where(SmsContact.id == contact_id).values(opted_out=False, opted_in_at=now, updated_at=now)
    )


async def set_entry(session: AsyncSession, contact_id: int, entry_code: str) -> None:
    """Remember the entry point this number was invited to: a reply by text starts the intake there."""
    await session.execute(update(SmsContact).where(SmsContact.id == contact_id).values(entry_code=entry_code))


async def set_options(session: AsyncSession, contact_id: int, options: Optional[list[dict[str, str]]]) -> None:
    await session.execute(update(SmsContact).where(SmsContact.id == contact_id).values(options=options or None))


async def enqueue(
    session: AsyncSession,
    vault: PhoneVault,
    contact_id: int,
    key: str,
    bodies: Sequence[str],
    kind: str = "reply",
) -> int:
    """Put texts in the outbox under keys key:0, key:1, ...; nothing for an opted-out number. Returns rows added."""
    opted_out = (await session.execute(select(SmsContact.opted_out).where(SmsContact.id == contact_id))).scalar_one()
    if opted_out:
        return 0
    added = 0
    now = utcnow()
    for index, body in enumerate(bodies):
        result = await session.execute(
            dialect_insert(session, SmsOutbox.__table__)
            .values(
                dedupe_key=f"{key}:{index}"[:128],
                contact_id=contact_id,
                kind=kind,
                body_encrypted=vault.encrypt(body),
                segments=segment_count(body),
                status=OutboxStatus.PENDING,
                attempts=0,
                next_attempt_at=now,
                created_at=now,
                updated_at=now,
            )
            .on_conflict_do_nothing(index_elements=["dedupe_key"])
        )
        added += result.rowcount
    return added


async def ids_by_key_prefix(session: AsyncSession, key: str) -> list[int]:
    rows = await session.execute(
        select(SmsOutbox.id).where(SmsOutbox.dedupe_key.like(f"{key}:%")).order_by(SmsOutbox.id)
    )
    return list(rows.scalars())


async def next_due(session: AsyncSession, now: datetime, limit: int = 50) -> list[int]:
    """Ids of texts to try now: per contact only its oldest open text, so texts arrive in order."""
    rows = (
        await session.execute(
            select(
                SmsOutbox.id, SmsOutbox.contact_id, SmsOutbox.status, SmsOutbox.next_attempt_at, SmsOutbox.claimed_until
            )
            .where(SmsOutbox.status.in_(OutboxStatus.OPEN))
            .order_by(SmsOutbox.id)
            .limit(limit * 4)
        )
    ).all()
    seen: set[int] = set()
    due = []
    for row_id, contact_id, status, next_attempt_at, claimed_until in rows:
        if contact_id in seen:
            continue
        seen.add(contact_id)
        if status == OutboxStatus.PENDING and aware(next_attempt_at) <= now:
            due.append(row_id)
        elif status == OutboxStatus.SENDING and claimed_until is not None and aware(claimed_until) < now:
            due.append(row_id)  # its sender died mid-send: take it over
    return due[:limit]


async def claim(session: AsyncSession, row_id: int, now: datetime, lease_seconds: float) -> bool:
    """Take one text for sending: of several senders, exactly one wins."""
    return await outbox.claim(session, SmsOutbox, row_id, now, lease_seconds)


async def claimed_text(session: AsyncSession, row_id: int) -> tuple[SmsOutbox, SmsContact]:
    row = (
        await session.execute(
            select(SmsOutbox, SmsContact)
            .join(SmsContact, SmsContact.id == SmsOutbox.contact_id)
            .where(SmsOutbox.id == row_id)
        )
    ).one()
    return row[0], row[1]


async def finish(session: AsyncSession, row_id: int, **values: Any) -> None:
    await outbox.finish(session, SmsOutbox, row_id, **values)


@dataclass(frozen=True)
class SmsStatus:
    """What staff see about an SMS conversation on its intake."""

    opted_out: bool
    opted_out_at: Optional[datetime]
    opted_in_at: Optional[datetime]
    sent: int
    waiting: int
    failed: int
    last_error: Optional[str]

    def as_json(self) -> dict[str, Any]:
        return {
            "opted_out": self.opted_out,
            "opted_out_at": self.opted_out_at.isoformat() if self.opted_out_at else None,
            "opted_in_at": self.opted_in_at.isoformat() if self.opted_in_at else None,
            "texts_sent": self.sent,
            "texts_waiting": self.waiting,
            "texts_failed": self.failed,
            "last_error": self.last_error,
        }

    def line(self) -> str:
        return sms_line(self.as_json())


def sms_line(status: dict[str, Any]) -> str:
    """One line for staff from an SMS status document (SmsStatus.as_json, as the API and CLI carry it)."""
    if status["opted_out"]:
        since = datetime.fromisoformat(status["opted_out_at"]) if status["opted_out_at"] else None
        state = (
            f"OPTED OUT of texts (STOP) since {since:%Y-%m-%d %H:%M} UTC: do not text"
            if since
            else "OPTED OUT of texts (STOP): do not text"
        )
    else:
        state = "texts on"
    if status["texts_failed"]:
        extra = f"; {status['texts_failed']} FAILED ({status['last_error']})"
    elif status["texts_waiting"] and status["last_error"]:
        extra = f" (delivery retrying: {status['last_error']})"
    else:
        extra = ""
    return f"SMS: {state}; {status['texts_sent']} sent, {status['texts_waiting']} waiting{extra}"


async def status_for_conversation(session: AsyncSession, conversation_id: str) -> Optional[SmsStatus]:
    """The SMS state of an intake's conversation; None when it is not an SMS conversation."""
    contact = await contact_by_sender(session, conversation_id)
    if contact is None:
        return None
    counts = dict(
        (
            await session.execute(
                select(SmsOutbox.status, func.count())
                .where(SmsOutbox.contact_id == contact.id)
                .group_by(SmsOutbox.status)
            )
        ).all()
    )
    last_error = (
        await session.execute(
            select(SmsOutbox.last_error)
            .where(
                SmsOutbox.contact_id == contact.id,
                SmsOutbox.last_error.isnot(None),
                SmsOutbox.status.in_((OutboxStatus.FAILED, *OutboxStatus.OPEN)),
            )
            .order_by(SmsOutbox.id.desc())
            .limit(1)
        )
    ).scalar_one_or_none()
    return SmsStatus(
        opted_out=contact.opted_out,
        opted_out_at=aware(contact.opted_out_at),
        opted_in_at=aware(contact.opted_in_at),
        sent=counts.get(OutboxStatus.SENT, 0),
        waiting=counts.get(OutboxStatus.PENDING, 0) + counts.get(OutboxStatus.SENDING, 0),
        failed=counts.get(OutboxStatus.FAILED, 0),
        last_error=last_error,
    )


async def outbox_summary(session: AsyncSession) -> dict[str, Any]:
    """Counts by status and the texts that need a person (failed, or retrying), without numbers or text."""
    counts = dict((await session.execute(select(SmsOutbox.status, func.count()).group_by(SmsOutbox.status))).all())
    troubled = (
        await session.execute(
            select(
                SmsOutbox.id,
                SmsOutbox.kind,
                SmsOutbox.status,
                SmsOutbox.attempts,
                SmsOutbox.last_error,
                SmsOutbox.created_at,
                SmsContact.sender_id,
            )
            .join(SmsContact, SmsContact.id == SmsOutbox.contact_id)
            .where(
                or_(
                    SmsOutbox.status == OutboxStatus.FAILED,
                    (SmsOutbox.status.in_(OutboxStatus.OPEN)) & (SmsOutbox.attempts > 0),
                )
            )
            .order_by(SmsOutbox.id)
            .limit(200)
        )
    ).all()
    return {
        "counts": counts,
        "problems": [
            {
                "id": i,
                "kind": k,
                "status": s,
                "attempts": a,
                "last_error": e,
                "created_at": aware(c).isoformat() if c else None,
                "conversation": sid,
            }
            for i, k, s, a, e, c, sid in troubled
        ],
    }


async def retry_failed(session: AsyncSession, ids: Iterable[int]) -> int:
    """Put failed texts back in the queue (staff action after fixing the cause)."""
    now = utcnow()
    result = await session.execute(
        update(SmsOutbox)
        .where(SmsOutbox.id.in_(list(ids)), SmsOutbox.status == OutboxStatus.FAILED)
        .values(status=OutboxStatus.PENDING, next_attempt_at=now, attempts=0, created_at=now, updated_at=now)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount
