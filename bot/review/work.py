"""Working the queue: list and filter it, claim, release, assign, contact, close, take notes.

Plain async functions over an AsyncSession, shared by the web pages, the JSON
API and the tests. Each change writes an audit event in the same transaction
as the change itself. Permission rules live here too, so every door into the
data applies the same ones.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Optional

from sqlalchemy import func, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import Answer, AuditEvent, Flag, Intake, Priority, QueueItem, QueueStatus, utcnow
from bot.intake import store
from bot.intake.normalise import labels_for
from bot.intake.questions import LIFE_AREAS
from bot.intake.summary import build_summary
from bot.review.auth import Staff, find_user
from bot.review.models import IntakeNote

OUTCOMES = {
    "plan_agreed": "Plan agreed",
    "declined": "Declined support",
    "not_reachable": "Not reachable",
    "referred_elsewhere": "Referred elsewhere",
    "other": "Other (see notes)",
}
STATUS_NAMES = {
    QueueStatus.NEW: "New",
    QueueStatus.CLAIMED: "Claimed",
    QueueStatus.CONTACTED: "Contacted",
    QueueStatus.CLOSED: "Closed",
}
OPEN_STATUSES = (QueueStatus.NEW, QueueStatus.CLAIMED, QueueStatus.CONTACTED)
AREA_LABELS = {o.code: o.label for o in LIFE_AREAS}
MAX_NOTE_CHARS = 5000


class WorkError(Exception):
    """A change that is not allowed or not possible; `status` is the HTTP status that fits."""

    def __init__(self, message: str, status: int = 409, holder: Optional[str] = None) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.holder = holder


def aware(moment: Optional[datetime]) -> Optional[datetime]:
    if moment is not None and moment.tzinfo is None:
        return moment.replace(tzinfo=timezone.utc)
    return moment


def waiting_text(since: Optional[datetime], now: Optional[datetime] = None) -> str:
    """'5 minutes', '3 hours', '2 days': how long someone has been waiting."""
    since = aware(since)
    if since is None:
        return ""
    seconds = max(0, int(((now or utcnow()) - since).total_seconds()))
    for size, unit in ((86400, "day"), (3600, "hour"), (60, "minute")):
        if seconds >= size:
            count = seconds // size
            return f"{count} {unit}{'' if count == 1 else 's'}"
    return "less than a minute"


@dataclass(frozen=True)
class QueueFilter:
    status: str = "open"  # open, all, or one QueueStatus
    assignee: str = ""  # "", "mine" or "unassigned"
    area: str = ""  # a life area code

    @classmethod
    def from_query(cls, query: Any) -> "QueueFilter":
        status = query.get("status", "open")
        assignee = query.get("assignee", "")
        area = query.get("area", "")
        return cls(
            status=status if status in ("open", "all", *QueueStatus.ALL) else "open",
            assignee=assignee if assignee in ("mine", "unassigned") else "",
            area=area if area in AREA_LABELS else "",
        )

    def as_query(self) -> dict[str, str]:
        return {k: v for k, v in (("status", self.status), ("assignee", self.assignee), ("area", self.area)) if v}


@dataclass(frozen=True)
class Row:
    queue_id: int
    intake_id: int
    reference: str
    status: str
    priority: int
    assignee: Optional[str]
    channel: str
    first_name: Optional[str]
    areas: list[str]
    top_areas: list[str]
    flags: list[str]
    created_at: datetime
    outcome: Optional[str] = None

    @property
    def urgent(self) -> bool:
        return self.priority == Priority.URGENT

    @property
    def top_area_labels(self) -> list[str]:
        return [AREA_LABELS.get(code, code) for code in self.top_areas]

    @property
    def waiting(self) -> str:
        return waiting_text(self.created_at)

    def as_json(self) -> dict[str, Any]:
        return {
            "intake_id": self.intake_id,
            "reference": self.reference,
            "status": self.status,
            "priority": Priority.NAMES.get(self.priority, str(self.priority)),
            "urgent": self.urgent,
            "assignee": self.assignee,
            "channel": self.channel,
            "first_name": self.first_name,
            "top_areas": self.top_areas,
            "flags": self.flags,
            "outcome": self.outcome,
            "waiting_since": aware(self.created_at).isoformat() if self.created_at else None,
        }


async def queue_rows(session: AsyncSession, who: Staff, wanted: QueueFilter = QueueFilter()) -> list[Row]:
    """The queue in working order (urgent first, then the longest waiting), filtered."""
    query = select(QueueItem, Intake).join(Intake, Intake.id == QueueItem.intake_id)
    if wanted.status == "open":
        query = query.where(QueueItem.status.in_(OPEN_STATUSES))
    elif wanted.status != "all":
        query = query.where(QueueItem.status == wanted.status)
    if wanted.assignee == "mine":
        query = query.where(QueueItem.assignee == who.email)
    elif wanted.assignee == "unassigned":
        query = query.where(QueueItem.assignee.is_(None))
    result = await session.execute(query.order_by(QueueItem.priority, QueueItem.created_at, QueueItem.id))
    pairs = result.all()
    ids = [intake.id for _, intake in pairs]
    names: dict[int, Any] = {}
    flags: dict[int, set[str]] = {}
    chosen: dict[int, list[str]] = {}
    if ids:
        answers = await session.execute(
            select(Answer.intake_id, Answer.question_key, Answer.value)
            .where(Answer.intake_id.in_(ids), Answer.question_key.in_(["preferred_name", "life_areas", "top_areas"]))
        )
        for intake_id, key, value in answers.all():
            if key == "preferred_name":
                names[intake_id] = value
            elif key == "life_areas" and isinstance(value, list):
                chosen[intake_id] = [str(v) for v in value]
        for intake_id, kind in (await session.execute(select(Flag.intake_id, Flag.kind).where(Flag.intake_id.in_(ids)))).all():
            flags.setdefault(intake_id, set()).add(kind)
    rows = []
    for item, intake in pairs:
        summary = intake.summary or {}
        areas = (summary.get("life_areas") or {}).get("chosen") or chosen.get(intake.id, [])
        top = (summary.get("life_areas") or {}).get("top") or areas[:2]
        if wanted.area and wanted.area not in areas:
            continue
        rows.append(Row(
            queue_id=item.id, intake_id=intake.id, reference=intake.reference, status=item.status,
            priority=item.priority, assignee=item.assignee, channel=intake.channel,
            first_name=names.get(intake.id) if isinstance(names.get(intake.id), str) else None,
            areas=list(areas), top_areas=list(top), flags=sorted(flags.get(intake.id, ())),
            created_at=item.created_at, outcome=item.outcome,
        ))
    return rows


async def status_counts(session: AsyncSession) -> dict[str, int]:
    result = await session.execute(select(QueueItem.status, func.count()).group_by(QueueItem.status))
    counts = {status: 0 for status in QueueStatus.ALL}
    counts.update({status: int(n) for status, n in result.all()})
    counts["open"] = sum(counts[s] for s in OPEN_STATUSES)
    return counts


async def queue_version(session: AsyncSession) -> str:
    """Changes whenever anything on the queue changes: lets the page poll cheaply."""
    result = await session.execute(select(func.count(), func.max(QueueItem.updated_at), func.max(QueueItem.id)))
    count, latest, top = result.one()
    return f"{count}-{top}-{aware(latest).timestamp() if latest else 0}"


async def _item(session: AsyncSession, intake_id: int) -> QueueItem:
    item = (await session.execute(select(QueueItem).where(QueueItem.intake_id == intake_id))).scalar_one_or_none()
    if item is None:
        raise WorkError("This intake is not on the queue.", status=404)
    return item


def _may_change(item: QueueItem, who: Staff) -> None:
    if item.assignee == who.email or who.is_admin:
        return
    if item.assignee is None:
        raise WorkError("Claim this item before changing it.", status=409)
    raise WorkError(f"{item.assignee} has this item.", status=409, holder=item.assignee)


async def claim(session: AsyncSession, intake_id: int, who: Staff, source: Optional[str] = None) -> None:
    """Claim an item for `who`; when someone else got it first, WorkError names them."""
    item = await _item(session, intake_id)
    if item.assignee == who.email:
        return
    if not await store.claim(session, item.id, who.email):
        holder = (await session.execute(select(QueueItem.assignee, QueueItem.status).where(QueueItem.id == item.id))).one()
        if holder.status == QueueStatus.CLOSED:
            raise WorkError("This item is closed.", status=409)
        raise WorkError(f"{holder.assignee} has already claimed this item.", status=409, holder=holder.assignee)
    await store.audit(session, who.email, "queue.claim", intake_id=intake_id, source=source)


async def release(session: AsyncSession, intake_id: int, who: Staff, source: Optional[str] = None) -> None:
    item = await _item(session, intake_id)
    if item.assignee is None:
        return
    _may_change(item, who)
    status = QueueStatus.NEW if item.status == QueueStatus.CLAIMED else item.status
    await session.execute(update(QueueItem).where(QueueItem.id == item.id)
                          .values(assignee=None, status=status, updated_at=utcnow()))
    await store.audit(session, who.email, "queue.release", intake_id=intake_id, source=source,
                      detail={"was": item.assignee})


async def assign(session: AsyncSession, intake_id: int, who: Staff, to_email: str, source: Optional[str] = None) -> None:
    """Give an item to a colleague (admins only)."""
    if not who.is_admin:
        raise WorkError("Only an admin can assign items to someone else.", status=403)
    target = await find_user(session, to_email)
    if target is None or not target.active:
        raise WorkError("There is no active account with that e-mail address.", status=400)
    item = await _item(session, intake_id)
    if item.status == QueueStatus.CLOSED:
        raise WorkError("This item is closed.", status=409)
    status = QueueStatus.CLAIMED if item.status == QueueStatus.NEW else item.status
    now = utcnow()
    await session.execute(update(QueueItem).where(QueueItem.id == item.id)
                          .values(assignee=target.email, status=status, claimed_at=now, updated_at=now))
    await store.audit(session, who.email, "queue.assign", intake_id=intake_id, source=source,
                      detail={"from": item.assignee, "to": target.email})


async def mark_contacted(session: AsyncSession, intake_id: int, who: Staff, source: Optional[str] = None) -> None:
    item = await _item(session, intake_id)
    _may_change(item, who)
    if item.status == QueueStatus.CLOSED:
        raise WorkError("This item is closed.", status=409)
    now = utcnow()
    await session.execute(update(QueueItem).where(QueueItem.id == item.id)
                          .values(status=QueueStatus.CONTACTED, contacted_at=now, updated_at=now))
    await store.audit(session, who.email, "queue.contacted", intake_id=intake_id, source=source)


async def close(session: AsyncSession, intake_id: int, who: Staff, outcome: str, source: Optional[str] = None) -> None:
    if outcome not in OUTCOMES:
        raise WorkError("Choose an outcome.", status=400)
    item = await _item(session, intake_id)
    _may_change(item, who)
    now = utcnow()
    await session.execute(update(QueueItem).where(QueueItem.id == item.id)
                          .values(status=QueueStatus.CLOSED, outcome=outcome, closed_at=now, updated_at=now))
    await store.audit(session, who.email, "queue.close", intake_id=intake_id, source=source,
                      detail={"outcome": outcome})


async def change_status(session: AsyncSession, intake_id: int, who: Staff, status: str,
                        outcome: Optional[str] = None, source: Optional[str] = None) -> None:
    """One entry point for the API: claimed (claim), new (release), contacted, closed (with outcome)."""
    if status == QueueStatus.CLAIMED:
        await claim(session, intake_id, who, source)
    elif status == QueueStatus.NEW:
        await release(session, intake_id, who, source)
    elif status == QueueStatus.CONTACTED:
        await mark_contacted(session, intake_id, who, source)
    elif status == QueueStatus.CLOSED:
        await close(session, intake_id, who, outcome or "", source)
    else:
        raise WorkError(f"status must be one of: {', '.join(QueueStatus.ALL)}", status=400)


async def add_note(session: AsyncSession, intake_id: int, who: Staff, body: str, source: Optional[str] = None) -> IntakeNote:
    body = body.strip()
    if not body:
        raise WorkError("Write the note first.", status=400)
    if len(body) > MAX_NOTE_CHARS:
        raise WorkError(f"A note can have at most {MAX_NOTE_CHARS} characters.", status=400)
    if (await session.execute(select(Intake.id).where(Intake.id == intake_id))).scalar_one_or_none() is None:
        raise WorkError("No such intake.", status=404)
    note = IntakeNote(intake_id=intake_id, author=who.email, body=body, created_at=utcnow())
    session.add(note)
    await session.flush()
    await store.audit(session, who.email, "note.add", intake_id=intake_id, source=source,
                      detail={"note_id": note.id, "chars": len(body)})
    return note


async def notes_of(session: AsyncSession, intake_id: int) -> list[IntakeNote]:
    result = await session.execute(select(IntakeNote).where(IntakeNote.intake_id == intake_id)
                                   .order_by(IntakeNote.created_at, IntakeNote.id))
    return list(result.scalars())


@dataclass
class Detail:
    intake: Intake
    item: Optional[QueueItem]
    summary: dict[str, Any]
    complete: bool  # False: built from the answers so far (e.g. risk before the end)
    flags: list[Flag]
    notes: list[IntakeNote] = field(default_factory=list)

    @property
    def first_name(self) -> Optional[str]:
        return (self.summary.get("about") or {}).get("preferred_name")


async def intake_detail(session: AsyncSession, intake_id: int, who: Staff, source: Optional[str] = None,
                        audit_as: str = "intake.view_summary") -> Optional[Detail]:
    """One intake with its summary, flags, queue item and notes; the view is audited."""
    intake = (await session.execute(select(Intake).where(Intake.id == intake_id))).scalar_one_or_none()
    if intake is None:
        return None
    item = (await session.execute(select(QueueItem).where(QueueItem.intake_id == intake_id))).scalar_one_or_none()
    flags = await store.flags_of(session, intake)
    if intake.summary:
        summary, complete = intake.summary, True
    else:
        answers = await store.answer_map(session, intake)
        summary = build_summary(answers, await store.flag_dicts(session, intake), intake.reference, intake.channel)
        complete = False
    notes = await notes_of(session, intake_id)
    await store.audit(session, who.email, audit_as, intake_id=intake_id, source=source)
    return Detail(intake, item, summary, complete, flags, notes)


async def transcript(session: AsyncSession, intake_id: int, who: Staff,
                     source: Optional[str] = None) -> Optional[tuple[Intake, list[dict[str, Any]]]]:
    """The conversation as the patient saw it, from Rasa's tracker store (same database); audited."""
    intake = (await session.execute(select(Intake).where(Intake.id == intake_id))).scalar_one_or_none()
    if intake is None:
        return None
    await store.audit(session, who.email, "intake.view_transcript", intake_id=intake_id, source=source)
    lines: list[dict[str, Any]] = []
    if not await store.has_tracker_table(session):
        return intake, lines
    result = await session.execute(
        text("SELECT type_name, timestamp, data FROM events WHERE sender_id = :sender "
             "AND type_name IN ('user', 'bot') ORDER BY id"),
        {"sender": intake.conversation_id},
    )
    records = result.all()
    for kind, stamp, data in records:
        try:
            event = json.loads(data or "{}")
        except ValueError:
            continue
        said = event.get("text")
        if not said:
            continue
        buttons = ((event.get("data") or {}).get("buttons") or []) if kind == "bot" else []
        lines.append({
            "who": "patient" if kind == "user" else "assistant",
            "text": said,
            "options": [str(b.get("title")) for b in buttons if isinstance(b, dict) and b.get("title")],
            "at": datetime.fromtimestamp(stamp, tz=timezone.utc) if stamp else None,
        })
    return intake, lines


@dataclass(frozen=True)
class AuditFilter:
    actor: str = ""
    action: str = ""
    intake_id: Optional[int] = None

    @classmethod
    def from_query(cls, query: Any) -> "AuditFilter":
        intake = query.get("intake", "").strip()
        return cls(actor=query.get("actor", "").strip()[:255], action=query.get("action", "").strip()[:64],
                   intake_id=int(intake) if intake.isdigit() else None)


async def audit_events(session: AsyncSession, wanted: AuditFilter, limit: int = 200) -> list[AuditEvent]:
    query = select(AuditEvent)
    if wanted.actor:
        query = query.where(AuditEvent.actor.contains(wanted.actor.lower()))
    if wanted.action:
        query = query.where(AuditEvent.action.startswith(wanted.action))
    if wanted.intake_id is not None:
        query = query.where(AuditEvent.intake_id == wanted.intake_id)
    result = await session.execute(query.order_by(AuditEvent.at.desc(), AuditEvent.id.desc()).limit(limit))
    return list(result.scalars())


async def audit_actions(session: AsyncSession) -> list[str]:
    result = await session.execute(select(AuditEvent.action).distinct().order_by(AuditEvent.action))
    return [a for (a,) in result.all()]


def area_choices() -> list[tuple[str, str]]:
    return [(o.code, o.label) for o in LIFE_AREAS]


def labels(codes: list[str]) -> list[str]:
    return labels_for(codes, LIFE_AREAS)
