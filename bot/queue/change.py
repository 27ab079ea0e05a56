"""The link workers' changes to the queue: claim, release, assign, contact, close, notes.

Each is a conditional UPDATE, so two people acting at once never both win;
each writes its audit event in the caller's transaction. Who may do what is
decided here; refusals are DomainErrors.
"""

from __future__ import annotations

from typing import Optional

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import Intake, QueueItem, QueueStatus, utcnow
from bot.errors import conflict, forbidden, invalid, not_found
from bot.outcomes import followups
from bot.queue import audit
from bot.queue.entry import take
from bot.review.auth import Staff, find_user
from bot.review.models import IntakeNote, Role
from bot.teams import store as team_store

OUTCOMES = {
    "plan_agreed": "Plan agreed",
    "declined": "Declined support",
    "not_reachable": "Not reachable",
    "referred_elsewhere": "Referred elsewhere",
    "other": "Other (see notes)",
}
MAX_NOTE_CHARS = 5000


# --- the link workers' changes ------------------------------------------------------------------------------------


async def _team_of(session: AsyncSession, intake_id: int, who: Staff) -> Optional[int]:
    """The intake's team; an intake that does not exist or is another team's is not found, alike."""
    found = (await session.execute(select(Intake.id, Intake.team_id).where(Intake.id == intake_id))).first()
    if found is None or not who.may_see(found.team_id):
        raise not_found("No such intake.")
    return found.team_id


async def _item(session: AsyncSession, intake_id: int, who: Staff) -> QueueItem:
    return (await _item_and_team(session, intake_id, who))[0]


async def _item_and_team(session: AsyncSession, intake_id: int, who: Staff) -> tuple[QueueItem, Optional[int]]:
    """The intake's queue item and its team, when `who` may see it."""
    team_id = await _team_of(session, intake_id, who)
    item = (await session.execute(select(QueueItem).where(QueueItem.intake_id == intake_id))).scalar_one_or_none()
    if item is None:
        raise not_found("This intake is not on the queue.")
    return item, team_id


def _may_change(item: QueueItem, who: Staff) -> None:
    if item.assignee == who.email or who.is_admin:
        return
    if item.assignee is None:
        raise conflict("Claim this item before changing it.")
    raise conflict(f"{item.assignee} has this item.", holder=item.assignee)


async def claim(session: AsyncSession, intake_id: int, who: Staff, source: Optional[str] = None) -> None:
    """Claim an item for `who`; when someone else got it first, the error names them."""
    item = await _item(session, intake_id, who)
    if item.assignee == who.email:
        return
    if not await take(session, item.id, who.email):
        holder = (
            await session.execute(select(QueueItem.assignee, QueueItem.status).where(QueueItem.id == item.id))
        ).one()
        if holder.status == QueueStatus.CLOSED:
            raise conflict("This item is closed.")
        raise conflict(f"{holder.assignee} has already claimed this item.", holder=holder.assignee)
    await audit.record(session, who.email, "queue.claim", intake_id=intake_id, source=source)


async def release(session: AsyncSession, intake_id: int, who: Staff, source: Optional[str] = None) -> None:
    item = await _item(session, intake_id, who)
    if item.assignee is None:
        return
    _may_change(item, who)
    status = QueueStatus.NEW if item.status == QueueStatus.CLAIMED else item.status
    await session.execute(
        update(QueueItem).where(QueueItem.id == item.id).values(assignee=None, status=status, updated_at=utcnow())
    )
    await audit.record(
        session, who.email, "queue.release", intake_id=intake_id, source=source, detail={"was": item.assignee}
    )


async def assign(
    session: AsyncSession, intake_id: int, who: Staff, to_email: str, source: Optional[str] = None
) -> None:
    """Give an item to a colleague (admins only)."""
    if not who.is_admin:
        raise forbidden("Only an admin can assign items to someone else.")
    target = await find_user(session, to_email)
    if target is None or not target.active:
        raise invalid("There is no active account with that e-mail address.")
    if target.role == Role.MANAGER:
        raise invalid(f"{target.email} is a manager: managers see the figures, never a person's item.")
    item, team_id = await _item_and_team(session, intake_id, who)
    if item.status == QueueStatus.CLOSED:
        raise conflict("This item is closed.")
    if target.role != Role.ADMIN and team_id not in await team_store.team_ids_of(session, target.id):
        raise invalid(f"{target.email} is not in this item's team: add them to the team first.")
    status = QueueStatus.CLAIMED if item.status == QueueStatus.NEW else item.status
    now = utcnow()
    await session.execute(
        update(QueueItem)
        .where(QueueItem.id == item.id)
        .values(assignee=target.email, status=status, claimed_at=now, updated_at=now)
    )
    await audit.record(
        session,
        who.email,
        "queue.assign",
        intake_id=intake_id,
        source=source,
        detail={"from": item.assignee, "to": target.email},
    )


async def mark_contacted(session: AsyncSession, intake_id: int, who: Staff, source: Optional[str] = None) -> None:
    item = await _item(session, intake_id, who)
    _may_change(item, who)
    if item.status == QueueStatus.CLOSED:
        raise conflict("This item is closed.")
    now = utcnow()
    await session.execute(
        update(QueueItem)
        .where(QueueItem.id == item.id)
        # The first contact stays: it is when the person first heard from the team (the dashboard's wait).
        .values(status=QueueStatus.CONTACTED, contacted_at=func.coalesce(QueueItem.contacted_at, now), updated_at=now)
    )
    await audit.record(session, who.email, "queue.contacted", intake_id=intake_id, source=source)


def _staff_text(text: Optional[str], what: str) -> str:
    """A link worker's words (a note, what was offered or taken up), trimmed, and no longer than a note may be."""
    text = (text or "").strip()
    if len(text) > MAX_NOTE_CHARS:
        raise invalid(f"{what} can have at most {MAX_NOTE_CHARS} characters.")
    return text


async def close(
    session: AsyncSession,
    intake_id: int,
    who: Staff,
    outcome: str,
    source: Optional[str] = None,
    offered: Optional[str] = None,
    taken_up: Optional[str] = None,
    follow_up_weeks: Optional[float] = None,
) -> None:
    """Close with an outcome and, for the letter to the GP practice, what was offered and what they took up.

    The audit event counts the characters of those two; their words stay out of the audit trail.
    A person supported (a plan agreed) is followed up after `follow_up_weeks` (None: not followed up,
    as when they said they would rather not be), by text or e-mail as they chose (bot.outcomes).
    """
    if outcome not in OUTCOMES:
        raise invalid("Choose an outcome.")
    offered = _staff_text(offered, "What was offered") or None
    taken_up = _staff_text(taken_up, "What they took up") or None
    item = await _item(session, intake_id, who)
    _may_change(item, who)
    now = utcnow()
    await session.execute(
        update(QueueItem)
        .where(QueueItem.id == item.id)
        .values(
            status=QueueStatus.CLOSED,
            outcome=outcome,
            offered=offered,
            taken_up=taken_up,
            closed_at=now,
            updated_at=now,
        )
    )
    detail = {"outcome": outcome, "offered_chars": len(offered or ""), "taken_up_chars": len(taken_up or "")}
    await audit.record(session, who.email, "queue.close", intake_id=intake_id, source=source, detail=detail)
    if outcome == followups.SUPPORTED and follow_up_weeks is not None:
        intake = (await session.execute(select(Intake).where(Intake.id == intake_id))).scalar_one()
        await followups.schedule(session, intake, who.email, follow_up_weeks, source)


async def change_status(
    session: AsyncSession,
    intake_id: int,
    who: Staff,
    status: str,
    outcome: Optional[str] = None,
    source: Optional[str] = None,
    offered: Optional[str] = None,
    taken_up: Optional[str] = None,
    follow_up_weeks: Optional[float] = None,
) -> None:
    """One entry point for the API: claimed (claim), new (release), contacted, closed (with outcome, and
    optionally what was offered and what they took up)."""
    if status != QueueStatus.CLOSED and (offered is not None or taken_up is not None):
        raise invalid("offered and taken_up are recorded when closing (status closed)")
    if status == QueueStatus.CLAIMED:
        await claim(session, intake_id, who, source)
    elif status == QueueStatus.NEW:
        await release(session, intake_id, who, source)
    elif status == QueueStatus.CONTACTED:
        await mark_contacted(session, intake_id, who, source)
    elif status == QueueStatus.CLOSED:
        if not outcome:
            raise invalid(f"closing needs an outcome: one of {', '.join(OUTCOMES)}")
        await close(session, intake_id, who, outcome, source, offered, taken_up, follow_up_weeks)
    else:
        raise invalid(f"status must be one of: {', '.join(QueueStatus.ALL)}")


async def add_note(
    session: AsyncSession, intake_id: int, who: Staff, body: str, source: Optional[str] = None
) -> IntakeNote:
    body = _staff_text(body, "A note")
    if not body:
        raise invalid("Write the note first.")
    await _team_of(session, intake_id, who)
    note = IntakeNote(intake_id=intake_id, author=who.email, body=body, created_at=utcnow())
    session.add(note)
    await session.flush()
    await audit.record(
        session,
        who.email,
        "note.add",
        intake_id=intake_id,
        source=source,
        detail={"note_id": note.id, "chars": len(body)},
    )
    return note
