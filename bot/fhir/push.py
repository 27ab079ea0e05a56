"""Push: each submitted intake POSTed to the FHIR server set in `.env` (FHIR_ENDPOINT), through a durable outbox.

Every pass first queues the submitted intakes that have no row yet (so an intake
submitted while this process was down, or before the push was turned on, is not
missed), then sends what is due: the intake as a transaction Bundle built at that
moment (`bot.fhir.bundle`), each entry a conditional create, so a retry after a
reply that never arrived stores nothing twice. A server that is down or busy
(5xx, 408, 429, no answer) is retried with backoff until FHIR_GIVE_UP_HOURS; a
rejection (another 4xx) fails at once, since sending the same Bundle again cannot
fix it. Failures show on the intake page, the queue page (to admins) and in
`whatmatters fhir status`. Each push is audited: it sends a person's data to
another system.

It runs as a background task in the review app (`bot.web.app`); `whatmatters fhir
push` runs one pass. Several processes may push from one database: claims make each
intake go once (`bot.outbox`).
"""

from __future__ import annotations

import asyncio
import json
import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Callable, Optional

import aiohttp
from sqlalchemy import and_, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import sessionmaker

from bot import outbox
from bot.db.engine import dialect_insert
from bot.db.models import Intake, IntakeStatus, aware, utcnow
from bot.errors import DomainError
from bot.fhir.bundle import export_bundle
from bot.fhir.models import FhirPush, PushStatus
from bot.queue import audit, read
from bot.review.auth import Staff
from bot.settings import Settings

logger = logging.getLogger(__name__)

ACTOR = "system:fhir-push"
TIMEOUT = aiohttp.ClientTimeout(total=30)
LEASE_SECONDS = 60.0  # longer than one POST may take (TIMEOUT)
FHIR_JSON = "application/fhir+json"
_RETRY_STATUSES = frozenset({408, 425, 429})


@dataclass(frozen=True)
class Outcome:
    """What one POST came to: stored (with where), worth retrying, or refused for good."""

    ok: bool
    retry: bool = False
    error: str = ""
    location: Optional[str] = None


def read_reply(status: int, body: str) -> Outcome:
    """A FHIR server's reply to a transaction, from its status and body (no patient data kept from it)."""
    if 200 <= status < 300:
        try:
            reply = json.loads(body)
        except ValueError:
            return Outcome(ok=False, retry=True, error=f"HTTP {status} with a body that is not JSON")
        if reply.get("resourceType") != "Bundle" or reply.get("type") != "transaction-response":
            return Outcome(ok=False, retry=True, error=f"HTTP {status} without a transaction-response Bundle")
        locations = [(entry.get("response") or {}).get("location") for entry in reply.get("entry") or []]
        referral = next((loc for loc in locations if loc and loc.startswith("ServiceRequest/")), None)
        return Outcome(ok=True, location=referral)
    retry = status >= 500 or status in _RETRY_STATUSES
    return Outcome(ok=False, retry=retry, error=f"HTTP {status}{_issue_codes(body)}")


def _issue_codes(body: str) -> str:
    """The OperationOutcome's issue codes (never its diagnostics, which may quote the record)."""
    try:
        outcome = json.loads(body)
    except ValueError:
        return ""
    if not isinstance(outcome, dict) or outcome.get("resourceType") != "OperationOutcome":
        return ""
    codes = sorted({str(issue.get("code")) for issue in outcome.get("issue") or [] if issue.get("code")})
    return f" ({', '.join(codes)})" if codes else ""


async def queue_submitted(session: AsyncSession, now: datetime) -> int:
    """Give every submitted intake without one an outbox row. Returns how many were added."""
    missing = (
        (
            await session.execute(
                select(Intake.id)
                .outerjoin(FhirPush, FhirPush.intake_id == Intake.id)
                .where(Intake.status == IntakeStatus.SUBMITTED, FhirPush.id.is_(None))
                .order_by(Intake.id)
            )
        )
        .scalars()
        .all()
    )
    for intake_id in missing:
        # One row per intake (a unique key): of two processes adding it, one adds it and the other nothing.
        statement = dialect_insert(session, FhirPush.__table__).values(
            intake_id=intake_id,
            status=PushStatus.PENDING,
            attempts=0,
            next_attempt_at=now,
            created_at=now,
            updated_at=now,
        )
        await session.execute(statement.on_conflict_do_nothing(index_elements=["intake_id"]))
    return len(missing)


async def next_due(session: AsyncSession, now: datetime, limit: int = 20) -> list[int]:
    pending = and_(FhirPush.status == PushStatus.PENDING, FhirPush.next_attempt_at <= now)
    abandoned = and_(FhirPush.status == PushStatus.SENDING, FhirPush.claimed_until < now)
    query = select(FhirPush.id).where(pending | abandoned).order_by(FhirPush.id).limit(limit)
    return list((await session.execute(query)).scalars().all())


class Pusher(outbox.OutboxWorker):
    name = "FHIR pusher"

    def __init__(
        self, settings: Settings, sessions: sessionmaker, clock: Callable[[], datetime] = utcnow, jitter: float = 0.2
    ) -> None:
        super().__init__(settings.fhir_poll_seconds, clock, jitter, concurrency=2)
        self.retries = outbox.Retries(
            settings.fhir_retry_base_seconds, settings.fhir_retry_max_seconds, settings.fhir_give_up_hours
        )
        self.settings = settings
        self.sessions = sessions

    async def due(self, now: datetime) -> list[int]:
        async with self.sessions() as session:
            async with session.begin():
                await queue_submitted(session, now)
            return await next_due(session, now)

    async def deliver(self, row_id: int) -> Optional[bool]:
        """POST one intake if we win its claim: True stored, False not (yet), None not ours."""
        now = self.clock()
        async with self.sessions() as session:
            async with session.begin():
                if not await outbox.claim(session, FhirPush, row_id, now, LEASE_SECONDS):
                    return None
                row = await session.get(FhirPush, row_id)
                try:
                    document = await read.intake_document(
                        session, row.intake_id, Staff.system(ACTOR), source=None, via="fhir push"
                    )
                except DomainError:
                    document = None
        if document is None:  # erased between the claim and now: nothing to send
            await self.record(row_id, status=PushStatus.FAILED, last_error="the intake no longer exists")
            return False
        outcome = await self.post(export_bundle(document, transaction=True))
        if outcome.ok:
            await self.record(
                row_id, status=PushStatus.SENT, sent_at=self.clock(), last_error=None, location=outcome.location
            )
            logger.info("FHIR push %d stored (try %d)", row_id, row.attempts)
            return True
        return await self.not_delivered(row_id, row.attempts, row.created_at, outcome.error, outcome.retry)

    async def post(self, bundle: dict[str, Any]) -> Outcome:
        headers = {"Content-Type": FHIR_JSON, "Accept": FHIR_JSON}
        if self.settings.fhir_token:
            headers["Authorization"] = f"Bearer {self.settings.fhir_token}"
        client = await self._client()
        try:
            async with client.post(
                self.settings.fhir_endpoint.rstrip("/"), data=json.dumps(bundle), headers=headers, timeout=TIMEOUT
            ) as reply:
                return read_reply(reply.status, await reply.text())
        except (aiohttp.ClientError, asyncio.TimeoutError) as error:
            return Outcome(ok=False, retry=True, error=f"no answer ({type(error).__name__})")

    async def record(self, row_id: int, **values: Any) -> None:
        async with self.sessions() as session:
            async with session.begin():
                row = await session.get(FhirPush, row_id)
                await outbox.finish(session, FhirPush, row_id, **values)
                if row is not None:
                    detail = {"status": values["status"], "try": row.attempts}
                    await audit.record(session, ACTOR, "fhir.push", intake_id=row.intake_id, detail=detail)


@dataclass(frozen=True)
class PushState:
    """What staff see about the push: counts, and the intakes that failed for good."""

    enabled: bool
    counts: dict[str, int]
    failed: list[dict[str, Any]]

    def as_json(self) -> dict[str, Any]:
        return {"enabled": self.enabled, "counts": self.counts, "failed": self.failed}


async def state(session: AsyncSession, settings: Settings) -> PushState:
    counts = {
        status: count
        for status, count in (await session.execute(select(FhirPush.status, func.count()).group_by(FhirPush.status)))
    }
    failed_rows = (
        await session.execute(
            select(Intake.id, Intake.reference, FhirPush.attempts, FhirPush.last_error, FhirPush.updated_at)
            .join(Intake, Intake.id == FhirPush.intake_id)
            .where(FhirPush.status == PushStatus.FAILED)
            .order_by(FhirPush.id)
        )
    ).all()
    failed = [
        {"intake_id": i, "reference": ref, "tries": tries, "error": error, "at": aware(at).isoformat()}
        for i, ref, tries, error, at in failed_rows
    ]
    return PushState(
        bool(settings.fhir_endpoint),
        {s: counts.get(s, 0) for s in (*PushStatus.OPEN, PushStatus.SENT, PushStatus.FAILED)},
        failed,
    )


async def of_intake(session: AsyncSession, intake_id: int) -> Optional[FhirPush]:
    return (await session.execute(select(FhirPush).where(FhirPush.intake_id == intake_id))).scalar_one_or_none()


async def retry(session: AsyncSession, intake_id: int, now: datetime) -> bool:
    """Send a failed push again (after the server or the record was fixed). False if it had not failed."""
    row = await of_intake(session, intake_id)
    if row is None or row.status != PushStatus.FAILED:
        return False
    row.status, row.next_attempt_at, row.attempts, row.created_at = PushStatus.PENDING, now, 0, now
    return True
