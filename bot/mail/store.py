"""Reading and writing the e-mail outbox. Writes are idempotent (a unique key per e-mail); claims are
those of every outbox (bot.outbox)."""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Any, Optional

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot import outbox
from bot.db.engine import dialect_insert
from bot.db.models import utcnow
from bot.mail.models import MailOptOut, MailOutbox, MailStatus


def address_hash(address: str) -> str:
    """The digest an address is known by in the opt-out list (its case and spaces don't count)."""
    return hashlib.sha256(address.strip().lower().encode("utf-8")).hexdigest()


async def opted_out(session: AsyncSession, address: str) -> bool:
    digest = address_hash(address)
    return (
        await session.execute(select(MailOptOut.id).where(MailOptOut.address_hash == digest))
    ).scalar_one_or_none() is not None


async def opt_out(session: AsyncSession, address: str) -> int:
    """No more e-mail to this address: remember its digest and cancel what waits. Returns e-mails cancelled."""
    digest = address_hash(address)
    now = utcnow()
    await session.execute(
        dialect_insert(session, MailOptOut.__table__)
        .values(address_hash=digest, created_at=now)
        .on_conflict_do_nothing(index_elements=["address_hash"])
    )
    result = await session.execute(
        update(MailOutbox)
        .where(MailOutbox.address_hash == digest, MailOutbox.status == MailStatus.PENDING)
        .values(status=MailStatus.CANCELLED, last_error="opted out", to_address="", body="", updated_at=now)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount


async def enqueue(session: AsyncSession, key: str, kind: str, to: str, subject: str, body: str) -> Optional[int]:
    """Put one e-mail in the outbox once (a second call with the same key adds nothing). Returns its id."""
    now = utcnow()
    await session.execute(
        dialect_insert(session, MailOutbox.__table__)
        .values(
            dedupe_key=key,
            kind=kind,
            to_address=to.strip(),
            address_hash=address_hash(to),
            subject=subject,
            body=body,
            status=MailStatus.PENDING,
            attempts=0,
            next_attempt_at=now,
            created_at=now,
            updated_at=now,
        )
        .on_conflict_do_nothing(index_elements=["dedupe_key"])
    )
    return (await session.execute(select(MailOutbox.id).where(MailOutbox.dedupe_key == key))).scalar_one_or_none()


async def next_due(session: AsyncSession, now: datetime, limit: int = 20) -> list[int]:
    query = (
        select(MailOutbox.id)
        .where(
            ((MailOutbox.status == MailStatus.PENDING) & (MailOutbox.next_attempt_at <= now))
            | ((MailOutbox.status == MailStatus.SENDING) & (MailOutbox.claimed_until < now))
        )
        .order_by(MailOutbox.next_attempt_at)
        .limit(limit)
    )
    return list((await session.execute(query)).scalars())


async def claim(session: AsyncSession, row_id: int, now: datetime, lease_seconds: float) -> bool:
    return await outbox.claim(session, MailOutbox, row_id, now, lease_seconds)


async def get(session: AsyncSession, row_id: int) -> MailOutbox:
    return (await session.execute(select(MailOutbox).where(MailOutbox.id == row_id))).scalar_one()


async def finish(session: AsyncSession, row_id: int, **values: Any) -> None:
    await outbox.finish(session, MailOutbox, row_id, **values)


async def counts(session: AsyncSession) -> dict[str, int]:
    """E-mails by status, for `whatmatters mail status` and the operator."""
    rows = await session.execute(select(MailOutbox.status, func.count()).group_by(MailOutbox.status))
    return {status: count for status, count in rows}
