"""Storage of the directory: services by source, syncs, and link workers' decisions on offers.

Every write here runs in the caller's transaction; `replace_source` is one sync's whole write, so a
sync is all or nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable, Mapping, Optional, Sequence

from sqlalchemy import func, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import utcnow
from bot.directory.models import DirectoryService, DirectorySync, OfferDecision, OfferStatus
from bot.directory.oruk_records import digest, features
from bot.errors import invalid, not_found
from bot.queue import audit


@dataclass(frozen=True)
class SyncCounts:
    seen: int = 0
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    deactivated: int = 0

    def as_json(self) -> dict[str, int]:
        return dict(self.__dict__)


async def replace_source(session: AsyncSession, source: str, records: Mapping[str, Mapping[str, Any]]) -> SyncCounts:
    """Make the source's services what `records` (source id -> valid record) says, in place.

    New services are added, changed ones rewritten, unchanged ones only marked as seen, and the
    source's services missing from `records` become inactive (kept: decisions may refer to them).
    """
    now = utcnow()
    if session.bind.dialect.name == "postgresql":  # two instances syncing at once: the second waits, then finds it done
        await session.execute(
            text("SELECT pg_advisory_xact_lock(hashtext(:source))"), {"source": "directory:" + source}
        )
    existing = {
        row.source_id: row
        for row in (await session.execute(select(DirectoryService).where(DirectoryService.source == source))).scalars()
    }
    added = updated = unchanged = 0
    for source_id, record in records.items():
        fingerprint = digest(record)
        row = existing.get(source_id)
        if row is None:
            session.add(_new_row(source, source_id, record, fingerprint, now))
            added += 1
        elif row.digest != fingerprint or not row.active:
            _rewrite(row, record, fingerprint, now)
            updated += 1
        else:
            row.synced_at = now
            unchanged += 1
    gone = [row.id for source_id, row in existing.items() if source_id not in records and row.active]
    for chunk in range(0, len(gone), 500):
        await session.execute(
            update(DirectoryService)
            .where(DirectoryService.id.in_(gone[chunk : chunk + 500]))
            .values(active=False, changed_at=now)
        )
    return SyncCounts(len(records), added, updated, unchanged, len(gone))


def _new_row(source: str, source_id: str, record: Mapping[str, Any], fingerprint: str, now: Any) -> DirectoryService:
    derived = features(record)
    return DirectoryService(
        source=source,
        source_id=source_id,
        name=derived["name"][:500],
        organisation=derived["organisation"][:500] or None,
        status=str(record.get("status") or "")[:32],
        active=True,
        record=dict(record),
        features=derived,
        digest=fingerprint,
        first_seen_at=now,
        synced_at=now,
        changed_at=now,
    )


def _rewrite(row: DirectoryService, record: Mapping[str, Any], fingerprint: str, now: Any) -> None:
    derived = features(record)
    row.name = derived["name"][:500]
    row.organisation = derived["organisation"][:500] or None
    row.status = str(record.get("status") or "")[:32]
    row.active = True
    row.record = dict(record)
    row.features = derived
    row.digest = fingerprint
    row.synced_at = row.changed_at = now


async def record_sync(
    session: AsyncSession,
    source: str,
    started_at: Any,
    counts: Optional[SyncCounts],
    problems: Sequence[Mapping[str, Any]],
    error: Optional[str] = None,
) -> DirectorySync:
    counts = counts or SyncCounts()
    sync = DirectorySync(
        source=source,
        started_at=started_at,
        finished_at=utcnow(),
        ok=error is None,
        skipped=len(problems),
        problems=list(problems)[:200],
        error=error,
        **counts.as_json(),
    )
    session.add(sync)
    return sync


async def last_syncs(session: AsyncSession, limit: int = 10) -> list[DirectorySync]:
    query = select(DirectorySync).order_by(DirectorySync.id.desc()).limit(limit)
    return list((await session.execute(query)).scalars())


async def version(session: AsyncSession) -> tuple[Any, ...]:
    """Changes whenever the directory may have: the matching index's cache key.

    Services change only in a sync, and every sync (even one that failed and changed nothing) adds a
    row to directory_syncs: so its last id, read by the primary key, is the key. Scanning the services
    themselves would read every record (tens of megabytes for ten thousand) on every summary page.
    """
    return ((await session.execute(select(func.max(DirectorySync.id)))).scalar_one(),)


async def active_features(session: AsyncSession) -> list[tuple[int, dict[str, Any]]]:
    query = select(DirectoryService.id, DirectoryService.features).where(DirectoryService.active.is_(True))
    return [(row.id, row.features) for row in await session.execute(query)]


async def service(session: AsyncSession, service_id: int) -> DirectoryService:
    found = await session.get(DirectoryService, service_id)
    if found is None:
        raise not_found("no such service")
    return found


async def services(session: AsyncSession, ids: Iterable[int]) -> dict[int, DirectoryService]:
    wanted = list(set(ids))
    if not wanted:
        return {}
    rows = (await session.execute(select(DirectoryService).where(DirectoryService.id.in_(wanted)))).scalars()
    return {row.id: row for row in rows}


async def count_active(session: AsyncSession) -> int:
    query = select(func.count(DirectoryService.id)).where(DirectoryService.active.is_(True))
    return int((await session.execute(query)).scalar_one())


async def decisions_of(session: AsyncSession, intake_id: int) -> list[OfferDecision]:
    query = select(OfferDecision).where(OfferDecision.intake_id == intake_id).order_by(OfferDecision.decided_at)
    return list((await session.execute(query)).scalars())


async def decide(
    session: AsyncSession, intake_id: int, service_id: int, status: str, who: str, source: Optional[str] = None
) -> OfferDecision:
    """Record the link worker's word on one offer for one intake (the latest stands), audited."""
    if status not in OfferStatus.ALL:
        raise invalid(f"status must be one of: {', '.join(OfferStatus.ALL)}")
    await service(session, service_id)
    found = (
        await session.execute(
            select(OfferDecision).where(OfferDecision.intake_id == intake_id, OfferDecision.service_id == service_id)
        )
    ).scalar_one_or_none()
    if found is None:
        found = OfferDecision(intake_id=intake_id, service_id=service_id, status=status, decided_by=who)
        session.add(found)
    else:
        found.status, found.decided_by = status, who
    found.decided_at = utcnow()
    await audit.record(
        session, who, "offer_" + status, intake_id=intake_id, source=source, detail={"service_id": service_id}
    )
    return found
