"""The retention purge, on SQLite and PostgreSQL, with Rasa's tracker store in the same database.

Every patient record planted here carries a canary; after the purge no table, Rasa's
`events` included, may hold the canary of anything past its period, and everything
still in its period (or on an open queue item, however old) must still be there.
"""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import timedelta

import pytest
import sqlalchemy as sa
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.db.engine import create_engine, session_factory
from bot.db.models import (
    Answer,
    AuditEvent,
    Base,
    Intake,
    IntakeStatus,
    QueueItem,
    QueueStatus,
    utcnow,
)
from bot.intake.store import new_reference
from bot.mail.models import MailOutbox
from bot.rasa.tracker_store import CachedSQLTrackerStore
from bot.retention.purge import PURGED, Retention, purge
from bot.review.models import IntakeNote
from bot.settings import PROJECT_ROOT
from bot.sms.models import OutboxStatus, SmsContact, SmsInbound, SmsOutbox

DOMAIN = Domain.load(str(PROJECT_ROOT / "domain.yml"))
RETENTION = Retention(abandoned_days=90, closed_days=2922, transcript_days=365, sms_days=30, audit_days=2190)
NOW = utcnow()


def ago(days: float):
    return NOW - timedelta(days=days)


async def _conversation(settings, sender: str, text: str, days_ago: float) -> None:
    """A conversation in Rasa's own tracker store, its events stamped `days_ago`."""
    store = CachedSQLTrackerStore(domain=DOMAIN, host=settings.sync_database_url)
    stamp = ago(days_ago).timestamp()
    events = [
        ActionExecuted("action_listen", timestamp=stamp),
        UserUttered(text, {"name": "inform", "confidence": 1.0}, timestamp=stamp),
        ActionExecuted("action_listen", timestamp=stamp),
    ]
    await store.save(DialogueStateTracker.from_events(sender, events, DOMAIN.slots))
    store.engine.dispose()


def _intake(session, name: str, status: str, updated_days: float, queue: str | None = None, closed_days=None):
    intake = Intake(
        reference=new_reference(),
        conversation_id=name,
        status=status,
        created_at=ago(updated_days),
        updated_at=ago(updated_days),
    )
    intake.answers.append(
        Answer(section="about", question_key="what_matters", value=f"CANARY-{name}", verbatim=f"CANARY-{name}")
    )
    session.add(intake)
    if queue:
        session.add(QueueItem(intake=intake, status=queue, closed_at=None if closed_days is None else ago(closed_days)))
    return intake


async def _plant(settings) -> None:
    engine = create_engine(settings)
    async with session_factory(engine)() as session, session.begin():
        _intake(session, "abandoned-old", IntakeStatus.PAUSED, 100)
        _intake(session, "abandoned-new", IntakeStatus.IN_PROGRESS, 10)
        closed = _intake(session, "closed-old", IntakeStatus.SUBMITTED, 3000, QueueStatus.CLOSED, closed_days=2950)
        _intake(session, "closed-new", IntakeStatus.SUBMITTED, 400, QueueStatus.CLOSED, closed_days=300)
        _intake(session, "open-ancient", IntakeStatus.SUBMITTED, 4000, QueueStatus.CLAIMED)
        await session.flush()
        session.add(IntakeNote(intake_id=closed.id, author="lw", body="CANARY-closed-old note"))
        contact = SmsContact(number_hash="h1", number_encrypted="enc", sender_id="sms-1")
        session.add(contact)
        await session.flush()
        for key, status, days in (
            ("sent-old", OutboxStatus.SENT, 40),
            ("pending-old", OutboxStatus.PENDING, 40),
            ("sent-new", OutboxStatus.SENT, 5),
        ):
            session.add(
                SmsOutbox(
                    dedupe_key=key,
                    contact_id=contact.id,
                    body_encrypted=f"CANARY-{key}",
                    status=status,
                    updated_at=ago(days),
                    created_at=ago(days),
                )
            )
            session.add(
                MailOutbox(
                    dedupe_key=f"mail-{key}",
                    kind="followup",
                    to_address="carol@example.org",
                    address_hash="h-mail",
                    subject="How are things now?",
                    body=f"CANARY-mail-{key}",
                    status=status,
                    updated_at=ago(days),
                    created_at=ago(days),
                    next_attempt_at=ago(days),
                )
            )
        session.add(
            SmsInbound(provider="twilio", provider_message_id="in-old", contact_id=contact.id, received_at=ago(40))
        )
        session.add(AuditEvent(actor="lw", action="viewed", at=ago(2200), detail={"note": "CANARY-audit-old"}))
        session.add(AuditEvent(actor="lw", action="viewed", at=ago(5)))
    await engine.dispose()
    for sender, days in (
        ("abandoned-old", 100),
        ("abandoned-new", 10),
        ("closed-old", 2950),
        ("closed-new", 300),
        ("open-ancient", 4000),
        ("no-intake-old", 400),
        ("no-intake-new", 10),
    ):
        await _conversation(settings, sender, f"CANARY-{sender} said", days)


def _everything(settings) -> str:
    """Every row of every table, as text: where a canary would show."""
    engine = sa.create_engine(settings.sync_database_url)
    dump = []
    with engine.connect() as connection:
        for table in [*Base.metadata.sorted_tables, sa.Table("events", sa.MetaData(), autoload_with=connection)]:
            dump += [repr(tuple(row)) for row in connection.execute(sa.select(table))]
    engine.dispose()
    return "\n".join(dump)


GONE = ("abandoned-old", "closed-old", "no-intake-old", "sent-old", "mail-sent-old", "audit-old")
KEPT = (
    "abandoned-new",
    "closed-new",
    "open-ancient",
    "no-intake-new",
    "pending-old",
    "sent-new",
    "mail-pending-old",
    "mail-sent-new",
)


async def _purge(settings, dry_run=False):
    engine = create_engine(settings)
    async with session_factory(engine)() as session, session.begin():
        counts = await purge(session, RETENTION, dry_run=dry_run, now=NOW)
    await engine.dispose()
    return counts


async def test_purge_deletes_what_is_past_its_period_everywhere_and_nothing_else(any_settings):
    await _plant(any_settings)
    counts = await _purge(any_settings)
    assert counts.as_dict() == {
        "intakes_abandoned": 1,
        "intakes_closed": 1,
        "conversations": 3,
        "conversation_events": 9,
        "sms_outbox": 1,
        "sms_inbound": 1,
        "mail_outbox": 1,
        "audit_events": 1,
    }
    held = _everything(any_settings)
    for name in GONE:
        assert f"CANARY-{name}" not in held, f"{name} survived the purge"
    for name in KEPT:
        assert f"CANARY-{name}" in held, f"{name} was purged too early"
    assert "CANARY-open-ancient said" in held  # an open item keeps its conversation, however old


async def test_the_purge_is_audited_with_counts_only(any_settings):
    await _plant(any_settings)
    await _purge(any_settings)
    engine = sa.create_engine(any_settings.sync_database_url)
    with engine.connect() as connection:
        [(detail,)] = connection.execute(
            sa.select(AuditEvent.__table__.c.detail).where(AuditEvent.__table__.c.action == PURGED)
        ).all()
    engine.dispose()
    detail = detail if isinstance(detail, dict) else json.loads(detail)
    assert set(detail) >= {"intakes_abandoned", "conversations", "sms_outbox"}
    assert all(isinstance(value, int) for value in detail.values())


async def test_a_dry_run_counts_and_deletes_nothing(any_settings):
    await _plant(any_settings)
    before = _everything(any_settings)
    counts = await _purge(any_settings, dry_run=True)
    assert counts.intakes_abandoned == 1 and counts.conversations == 3
    assert _everything(any_settings) == before
    again = await _purge(any_settings)
    assert again.as_dict() == counts.as_dict()
    assert (await _purge(any_settings)).total == 0  # idempotent


@pytest.mark.parametrize("dry_run", [True, False])
def test_the_command_line_says_what_it_did(sqlite_settings, dry_run):
    env = {**sqlite_settings.as_env(), "PATH": ""}
    command = [sys.executable, "-m", "bot.cli", "purge", "--json", *(["--dry-run"] if dry_run else [])]
    result = subprocess.run(command, capture_output=True, text=True, env=env, cwd=PROJECT_ROOT, timeout=120)
    assert result.returncode == 0, result.stderr
    body = json.loads(result.stdout)
    assert body["dry_run"] is dry_run and set(body["counts"]) >= {"intakes_abandoned", "audit_events"}


async def test_the_web_app_purges_by_itself(aiohttp_client, sqlite_settings):
    import asyncio

    from bot.web.app import create_app

    await _plant(sqlite_settings)
    settings = sqlite_settings.with_overrides(purge_hours=0.5 / 3600)  # every half second
    await aiohttp_client(create_app(settings))
    for _ in range(40):
        await asyncio.sleep(0.25)
        if "CANARY-abandoned-old" not in _everything(sqlite_settings):
            break
    held = _everything(sqlite_settings)
    assert "CANARY-abandoned-old" not in held and "CANARY-abandoned-new" in held
