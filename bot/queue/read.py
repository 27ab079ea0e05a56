"""The queue's one read model: rows in working order, one row, counts, and one intake as a document.

Every reader (pages, JSON API, command line) goes through here. A list is read
with a fixed number of queries whatever its length; one row is read by its
intake's unique key, never by loading the whole queue.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Optional

from sqlalchemy import false, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql import Select

from bot.db.models import Answer, Flag, Intake, Priority, QueueItem, QueueStatus, aware
from bot.errors import conflict, not_found
from bot.intake import store
from bot.intake.display import AREA_LABELS, area_labels, waiting_text
from bot.intake.summary import build_summary
from bot.queue import audit
from bot.rasa import tracker
from bot.review.auth import Staff
from bot.review.models import IntakeNote
from bot.sms import store as sms_store
from bot.teams.models import EntryPoint, ReferralSource, Team
from bot.teams.store import CODE_PATTERN as TEAM_CODE_PATTERN

OPEN_STATUSES = (QueueStatus.NEW, QueueStatus.CLAIMED, QueueStatus.CONTACTED)
STATUS_NAMES = {
    QueueStatus.NEW: "New",
    QueueStatus.CLAIMED: "Claimed",
    QueueStatus.CONTACTED: "Contacted",
    QueueStatus.CLOSED: "Closed",
}
VIEW_SUMMARY = "intake.view_summary"
VIEW_TRANSCRIPT = "intake.view_transcript"
VIEW_LETTER = "intake.view_letter"


MAX_SEARCH_CHARS = 64


@dataclass(frozen=True)
class QueueFilter:
    status: str = "open"  # open, all, or one QueueStatus
    assignee: str = ""  # "", "mine" or "unassigned"
    area: str = ""  # a life area code
    source: str = ""  # a referral source code (bot.teams.models.ReferralSource)
    team: str = ""  # a team's code: one of the viewer's teams
    search: str = ""  # part of a reference or a first name

    @classmethod
    def from_query(cls, query: Any) -> "QueueFilter":
        status = query.get("status", "open")
        assignee = query.get("assignee", "")
        area = query.get("area", "")
        source = query.get("source", "")
        team = query.get("team", "").strip().lower()
        search = " ".join(str(query.get("q", "")).split())[:MAX_SEARCH_CHARS]
        return cls(
            status=status if status in ("open", "all", *QueueStatus.ALL) else "open",
            assignee=assignee if assignee in ("mine", "unassigned") else "",
            area=area if area in AREA_LABELS else "",
            source=source if source in ReferralSource.NAMES else "",
            team=team if TEAM_CODE_PATTERN.match(team) else "",
            search=search,
        )

    def as_query(self) -> dict[str, str]:
        pairs = (
            ("status", self.status),
            ("assignee", self.assignee),
            ("area", self.area),
            ("source", self.source),
            ("team", self.team),
            ("q", self.search),
        )
        return {k: v for k, v in pairs if v}

    def finds(self, row: "Row") -> bool:
        """The search: a reference (any part of it) or a first name (any part), ignoring case."""
        wanted = self.search.lower()
        return not wanted or wanted in row.reference.lower() or wanted in (row.first_name or "").lower()


@dataclass(frozen=True)
class Row:
    """One item on the queue, as every reader shows it."""

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
    team_code: Optional[str] = None
    team_name: Optional[str] = None
    referral_source: Optional[str] = None
    entry_place: Optional[str] = None

    @property
    def referral_source_name(self) -> str:
        return ReferralSource.NAMES.get(self.referral_source or "", "Not recorded")

    @property
    def urgent(self) -> bool:
        return self.priority == Priority.URGENT

    @property
    def top_area_labels(self) -> list[str]:
        return area_labels(self.top_areas)

    @property
    def waiting(self) -> str:
        return waiting_text(self.created_at)

    def as_json(self) -> dict[str, Any]:
        since = aware(self.created_at)
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
            "waiting_since": since.isoformat() if since else None,
            "team": {"code": self.team_code, "name": self.team_name} if self.team_code else None,
            "referral_source": self.referral_source,
            "entry_point": self.entry_place,
        }


async def _rows(session: AsyncSession, query: Select, area: str = "") -> list[Row]:
    """Rows for (QueueItem, Intake, team, entry point) tuples, with names, areas and flags read in two more queries."""
    pairs = (await session.execute(query)).all()
    ids = [pair[1].id for pair in pairs]
    names: dict[int, Any] = {}
    flags: dict[int, set[str]] = {}
    chosen: dict[int, list[str]] = {}
    if ids:
        answers = await session.execute(
            select(Answer.intake_id, Answer.question_key, Answer.value).where(
                Answer.intake_id.in_(ids), Answer.question_key.in_(["preferred_name", "life_areas"])
            )
        )
        for intake_id, key, value in answers.all():
            if key == "preferred_name":
                names[intake_id] = value
            elif isinstance(value, list):
                chosen[intake_id] = [str(v) for v in value]
        kinds = await session.execute(select(Flag.intake_id, Flag.kind).where(Flag.intake_id.in_(ids)))
        for intake_id, kind in kinds.all():
            flags.setdefault(intake_id, set()).add(kind)
    rows = []
    for item, intake, team_code, team_name, entry_place in pairs:
        summary = intake.summary or {}
        areas = (summary.get("life_areas") or {}).get("chosen") or chosen.get(intake.id, [])
        top = (summary.get("life_areas") or {}).get("top") or areas[:2]
        if area and area not in areas:
            continue
        name = names.get(intake.id)
        rows.append(
            Row(
                queue_id=item.id,
                intake_id=intake.id,
                reference=intake.reference,
                status=item.status,
                priority=item.priority,
                assignee=item.assignee,
                channel=intake.channel,
                first_name=name if isinstance(name, str) else None,
                areas=list(areas),
                top_areas=list(top),
                flags=sorted(flags.get(intake.id, ())),
                created_at=item.created_at,
                outcome=item.outcome,
                team_code=team_code,
                team_name=team_name,
                referral_source=intake.referral_source,
                entry_place=entry_place,
            )
        )
    return rows


def _pairs() -> Select:
    return (
        select(QueueItem, Intake, Team.code, Team.name, EntryPoint.place)
        .join(Intake, Intake.id == QueueItem.intake_id)
        .outerjoin(Team, Team.id == Intake.team_id)
        .outerjoin(EntryPoint, EntryPoint.id == Intake.entry_point_id)
    )


def _seen_by(query: Select, viewer: Staff) -> Select:
    """Only the intakes of the viewer's teams (every intake for an admin or the system; none for a manager)."""
    if not viewer.sees_people:
        return query.where(false())
    if viewer.sees_every_team:
        return query
    return query.where(Intake.team_id.in_(sorted(viewer.teams or ())))


async def rows(session: AsyncSession, viewer: Staff, wanted: QueueFilter = QueueFilter()) -> list[Row]:
    """The queue in working order (urgent first, then the longest waiting), filtered, of the viewer's teams."""
    query = _seen_by(_pairs(), viewer)
    if wanted.source:
        query = query.where(Intake.referral_source == wanted.source)
    if wanted.team:
        query = query.where(Team.code == wanted.team)
    if wanted.status == "open":
        query = query.where(QueueItem.status.in_(OPEN_STATUSES))
    elif wanted.status != "all":
        query = query.where(QueueItem.status == wanted.status)
    if wanted.assignee == "mine":
        query = query.where(QueueItem.assignee == viewer.email)
    elif wanted.assignee == "unassigned":
        query = query.where(QueueItem.assignee.is_(None))
    found = await _rows(session, query.order_by(QueueItem.priority, QueueItem.created_at, QueueItem.id), wanted.area)
    return [r for r in found if wanted.finds(r)]


async def row(session: AsyncSession, intake_id: int, viewer: Staff) -> Optional[Row]:
    """One intake's queue row (None when it is not on the queue or not the viewer's), by its unique intake key."""
    found = await _rows(session, _seen_by(_pairs(), viewer).where(QueueItem.intake_id == intake_id))
    return found[0] if found else None


async def counts(session: AsyncSession, viewer: Staff) -> dict[str, int]:
    query = select(QueueItem.status, func.count()).join(Intake, Intake.id == QueueItem.intake_id)
    result = await session.execute(_seen_by(query, viewer).group_by(QueueItem.status))
    by_status = {status: 0 for status in QueueStatus.ALL}
    by_status.update({status: int(n) for status, n in result.all()})
    by_status["open"] = sum(by_status[s] for s in OPEN_STATUSES)
    return by_status


async def version(session: AsyncSession, viewer: Staff) -> str:
    """Changes whenever anything on the viewer's queue changes: lets the page poll cheaply."""
    query = select(func.count(), func.max(QueueItem.updated_at), func.max(QueueItem.id)).join(
        Intake, Intake.id == QueueItem.intake_id
    )
    result = await session.execute(_seen_by(query, viewer))
    count, latest, top = result.one()
    latest = aware(latest)
    return f"{count}-{top}-{latest.timestamp() if latest else 0}"


async def listing(
    session: AsyncSession, viewer: Staff, wanted: QueueFilter, source: Optional[str], via: str
) -> dict[str, Any]:
    """The queue as one document (rows and counts per status); the listing is audited."""
    found = await rows(session, viewer, wanted)
    document = {"items": [r.as_json() for r in found], "counts": await counts(session, viewer)}
    await audit.record(session, viewer.email, "queue.list", source=source, detail={"count": len(found), "via": via})
    return document


async def notes_of(session: AsyncSession, intake_id: int) -> list[IntakeNote]:
    result = await session.execute(
        select(IntakeNote).where(IntakeNote.intake_id == intake_id).order_by(IntakeNote.created_at, IntakeNote.id)
    )
    return list(result.scalars())


def note_json(note: IntakeNote) -> dict[str, Any]:
    created = aware(note.created_at)
    return {
        "id": note.id,
        "author": note.author,
        "text": note.body,
        "created_at": created.isoformat() if created else None,
    }


@dataclass
class Detail:
    intake: Intake
    item: Optional[QueueItem]
    summary: dict[str, Any]
    complete: bool  # False: built from the answers so far (e.g. risk before the end)
    flags: list[Flag]
    answers: dict[str, dict[str, Any]]
    notes: list[IntakeNote] = field(default_factory=list)
    origin: dict[str, Any] = field(default_factory=dict)
    """Where the person came from and whose intake it is (see `origin_of`)."""

    @property
    def first_name(self) -> Optional[str]:
        return (self.summary.get("about") or {}).get("preferred_name")


async def find_intake_id(session: AsyncSession, ident: str) -> Optional[int]:
    """An intake's number from its number or its reference (WM-...), as people type them."""
    ident = ident.strip()
    condition = Intake.reference == ident.upper()
    if ident.isdigit():
        condition = or_(condition, Intake.id == int(ident))
    return (await session.execute(select(Intake.id).where(condition))).scalars().first()


async def intake_seen_by(session: AsyncSession, intake_id: int, viewer: Staff) -> Optional[Intake]:
    """The intake, when it exists and is one of the viewer's teams'; else None (one answer for both: 404)."""
    intake = (await session.execute(select(Intake).where(Intake.id == intake_id))).scalar_one_or_none()
    return intake if intake is not None and viewer.may_see(intake.team_id) else None


async def detail(
    session: AsyncSession,
    intake_id: int,
    viewer: Staff,
    source: Optional[str] = None,
    via: Optional[str] = None,
    view: str = VIEW_SUMMARY,
) -> Optional[Detail]:
    """One intake with its summary, answers, flags, queue item and notes; the view is audited (as `view`)."""
    intake = await intake_seen_by(session, intake_id, viewer)
    if intake is None:
        return None
    item = (await session.execute(select(QueueItem).where(QueueItem.intake_id == intake_id))).scalar_one_or_none()
    flags = await store.flags_of(session, intake)
    answers = await store.answer_map(session, intake)
    if intake.summary:
        summary, complete = intake.summary, True
    else:
        summary = build_summary(answers, store.as_flag_dicts(flags), intake.reference, intake.channel)
        complete = False
    notes = await notes_of(session, intake_id)
    origin = await origin_of(session, intake)
    await audit.record(
        session, viewer.email, view, intake_id=intake_id, source=source, detail={"via": via} if via else None
    )
    return Detail(intake, item, summary, complete, flags, answers, notes, origin)


async def origin_of(session: AsyncSession, intake: Intake) -> dict[str, Any]:
    """The intake's team, referral source and entry point, as the summary page and the API show them."""
    team = await session.get(Team, intake.team_id) if intake.team_id is not None else None
    entry = await session.get(EntryPoint, intake.entry_point_id) if intake.entry_point_id is not None else None
    return {
        "team": {"code": team.code, "name": team.name} if team else None,
        "referral_source": intake.referral_source,
        "referral_source_name": ReferralSource.NAMES.get(intake.referral_source or "", "Not recorded"),
        "entry_point": {"code": entry.code, "place": entry.place} if entry else None,
    }


def _iso(moment: Optional[datetime]) -> Optional[str]:
    moment = aware(moment)
    return moment.isoformat() if moment else None


def _closing(item: Optional[QueueItem]) -> Optional[dict[str, Any]]:
    """What the link worker recorded on closing the item (None while it is open): the letter's facts."""
    if item is None or item.status != QueueStatus.CLOSED:
        return None
    return {
        "outcome": item.outcome,
        "offered": item.offered,
        "taken_up": item.taken_up,
        "closed_at": _iso(item.closed_at),
        "link_worker": item.assignee,
    }


async def intake_document(
    session: AsyncSession, intake_id: int, viewer: Staff, source: Optional[str], via: str, view: str = VIEW_SUMMARY
) -> dict[str, Any]:
    """One intake as the single document the API returns and `whatmatters intake show --json` prints."""
    found = await detail(session, intake_id, viewer, source, via, view)
    if found is None:
        raise not_found("no such intake")
    intake = found.intake
    queue_row = await row(session, intake_id, viewer)
    sms = await sms_store.status_for_conversation(session, intake.conversation_id)
    return {
        "id": intake.id,
        "reference": intake.reference,
        "channel": intake.channel,
        "status": intake.status,
        "consent": intake.consent,
        "created_at": _iso(intake.created_at),
        "submitted_at": _iso(intake.submitted_at),
        "complete": found.complete,
        "origin": found.origin,
        "queue": queue_row.as_json() if queue_row else None,
        "summary": found.summary,
        "summary_text": intake.summary_text,
        "answers": found.answers,
        "flags": [
            {"kind": f.kind, "category": f.category, "message": f.message, "created_at": _iso(f.created_at)}
            for f in found.flags
        ],
        "notes": [note_json(n) for n in found.notes],
        "sms": sms.as_json() if sms else None,
        "closing": _closing(found.item),
    }


async def letter_document(
    session: AsyncSession, intake_id: int, viewer: Staff, source: Optional[str], via: str
) -> dict[str, Any]:
    """The intake document for the letter back to the GP practice, audited as a letter view.

    Only a closed item has a letter (its outcome is what the letter tells): before that this is a
    conflict, and nothing is shown or audited.
    """
    if await intake_seen_by(session, intake_id, viewer) is None:
        raise not_found("no such intake")
    status = (
        await session.execute(select(QueueItem.status).where(QueueItem.intake_id == intake_id))
    ).scalar_one_or_none()
    if status != QueueStatus.CLOSED:
        raise conflict("The letter to the GP practice is written once the item is closed: close it first.")
    return await intake_document(session, intake_id, viewer, source, via, VIEW_LETTER)


async def transcript(
    session: AsyncSession, intake_id: int, viewer: Staff, source: Optional[str] = None
) -> Optional[tuple[Intake, list[tracker.Line]]]:
    """The conversation as the patient saw it, from Rasa's tracker store (same database); audited."""
    intake = await intake_seen_by(session, intake_id, viewer)
    if intake is None:
        return None
    await audit.record(session, viewer.email, VIEW_TRANSCRIPT, intake_id=intake_id, source=source)
    return intake, await tracker.conversation(session, intake.conversation_id)
