"""Reading and writing intakes. Every write is idempotent.

Actions may be retried and channels may deliver a message twice, so each
write is an upsert on a unique key (one intake per conversation, one answer
per question, one flag per disclosure, one queue item per intake) using the
database's own INSERT ... ON CONFLICT, never check-then-insert. Putting an
intake on the queue is the queue's business (bot.queue.entry).
"""

from __future__ import annotations

import hashlib
import secrets
from typing import Any, Iterable, Mapping, Optional, Sequence

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.engine import dialect_insert
from bot.db.models import Answer, Flag, FlagKind, Intake, IntakeStatus, Priority, WellbeingScore, utcnow
from bot.intake.questions import ONS_KEYS, QUESTION_BY_KEY, SKIPPED
from bot.queue import audit, entry
from bot.teams import store as team_store

ROUTING_KEY = "gp_practice"
"""The answer that can move an intake to another team (its practice's, or the one for people with none)."""

_REFERENCE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


def new_reference() -> str:
    """A short reference a patient can read out on the phone (no 0/O or 1/I/L)."""
    return "WM-" + "".join(secrets.choice(_REFERENCE_ALPHABET) for _ in range(6))


async def _upsert(
    session: AsyncSession, table: Any, values: dict[str, Any], keys: Sequence[str], update_cols: Iterable[str]
) -> None:
    statement = dialect_insert(session, table).values(**values)
    update_cols = list(update_cols)
    if update_cols:
        statement = statement.on_conflict_do_update(
            index_elements=list(keys), set_={c: statement.excluded[c] for c in update_cols}
        )
    else:
        statement = statement.on_conflict_do_nothing(index_elements=list(keys))
    await session.execute(statement)


async def ensure_intake(
    session: AsyncSession, conversation_id: str, channel: str, start: Optional[Mapping[str, Any]] = None
) -> Intake:
    """The intake of this conversation, created on first need.

    `start` is what the channel knows of where the person came from (the metadata of their message:
    an entry point's code, whether they were invited): read only when the intake is created, to give it
    its team, entry point and referral source.
    """
    found = await find_intake(session, conversation_id)
    if found is not None:
        return found
    start = start or {}
    origin = await team_store.starting_values(session, start.get("entry"), bool(start.get("invited")))
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
            **origin,
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
    if key == ROUTING_KEY:
        await team_store.route_intake(session, intake.id)


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


def as_flag_dicts(flags: Iterable[Flag]) -> list[dict[str, Any]]:
    """Flags in the shape the summary builder reads."""
    return [{"kind": f.kind, "category": f.category, "message": f.message} for f in flags]


async def flag_dicts(session: AsyncSession, intake: Intake) -> list[dict[str, Any]]:
    return as_flag_dicts(await flags_of(session, intake))


async def flags_of(session: AsyncSession, intake: Intake) -> list[Flag]:
    result = await session.execute(select(Flag).where(Flag.intake_id == intake.id).order_by(Flag.id))
    return list(result.scalars())


async def add_flag(
    session: AsyncSession, intake: Intake, kind: str, message: str, category: Optional[str] = None
) -> None:
    """Record a flag once per (intake, kind, message) and queue the intake at the flag's priority; a closed
    item goes back on the queue (nothing said after closing is left unseen)."""
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
    await entry.raise_priority(session, intake.id, priority)
    await entry.reopen_if_closed(session, intake.id, f"{kind} flag after closing")


FORGET_CONVERSATION = "forget_conversation"
"""The slot that tells the tracker store to delete a declined conversation rather than save it."""
DECLINED_ERASED = "declined_erased"
"""The audit action that counts an erased declined intake: channel only, no reference, nothing said."""


async def erase_declined(session: AsyncSession, conversation_id: str) -> bool:
    """A decline keeps nothing: the intake and all that hangs off it (answers, scores, flags,
    queue item, notes: ON DELETE CASCADE) are deleted, and an anonymous count stays in the audit
    trail. Unless the person disclosed risk first: then the team must still see it, everything is
    kept, and False says so (the bot tells them)."""
    intake = await find_intake(session, conversation_id)
    if intake is None:
        return True
    if await flags_of(session, intake):
        return False
    await session.execute(delete(Intake).where(Intake.id == intake.id))
    await audit.record(session, audit.SYSTEM, DECLINED_ERASED, detail={"channel": intake.channel})
    return True


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
    await entry.raise_priority(session, intake.id, Priority.ROUTINE)
