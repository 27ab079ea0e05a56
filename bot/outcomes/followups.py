"""Storage of follow-ups: scheduling one, finding it by its link or its text conversation, saving
its turns, and reading it back beside the baseline.

Every change is a conditional UPDATE or an upsert on a unique key, so two app workers sending at
once, a redelivered text or a double click change nothing the second time.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Mapping, Optional

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.engine import dialect_insert
from bot.db.models import Answer, FlagKind, Intake, QueueItem, aware, utcnow
from bot.directory.models import DirectoryService, OfferDecision
from bot.errors import conflict, invalid, not_found
from bot.intake import store as intake_store
from bot.intake.normalise import parse_email
from bot.outcomes import ons
from bot.outcomes.conversation import Turn, new_state
from bot.outcomes.models import FollowUp, FollowUpAnswer, FollowUpChannel, FollowUpStatus
from bot.queue import audit

STOPPED_PART_WAY = "stopped part way"
"""Why a follow-up the person ended after a crisis reply is closed (the web page says so)."""
SUPPORTED = "plan_agreed"
"""The closing outcome that means the person was supported, and so is followed up."""


def channel_for(summary: Optional[Mapping[str, Any]], intake_channel: str) -> Optional[str]:
    """How the person chose to be contacted, as a follow-up can reach them: by text or e-mail.

    Someone who talked to us by text and named no way to contact them is followed up by text.
    Someone who chose phone calls (or any other way), or left no way to write to them, gets no
    follow-up message: the link worker asks them instead. A choice may be a safety choice.
    """
    about = (summary or {}).get("about") or {}
    method, detail = about.get("contact_method"), about.get("contact_detail")
    if method == "email" and detail:
        return FollowUpChannel.EMAIL
    if method == "text" and detail:
        return FollowUpChannel.SMS
    if not method and intake_channel == "sms":
        return FollowUpChannel.SMS
    return None


def email_of(summary: Optional[Mapping[str, Any]]) -> Optional[str]:
    """The e-mail address a person gave in their intake, if they gave one (the sender, "no thanks" and
    erasure all read it here)."""
    return parse_email(str(((summary or {}).get("about") or {}).get("contact_detail") or ""))


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def new_token() -> tuple[str, str]:
    """(the token for the link, its digest for the database)."""
    token = secrets.token_urlsafe(24)
    return token, token_digest(token)


async def schedule(
    session: AsyncSession, intake: Intake, who: str, weeks: float, source: Optional[str] = None
) -> Optional[str]:
    """Schedule the follow-up of a supported person, once; returns the channel, or None when it cannot reach them.

    Audited either way, so the link worker and the manager see why there is none.
    """
    channel = channel_for(intake.summary, intake.channel)
    if channel is None:
        await audit.record(session, who, "followup.not_possible", intake.id, source, {"reason": "no text or e-mail"})
        return None
    now = utcnow()
    result = await session.execute(
        dialect_insert(session, FollowUp.__table__)
        .values(
            intake_id=intake.id,
            status=FollowUpStatus.SCHEDULED,
            channel=channel,
            due_at=now + timedelta(weeks=weeks),
            state=new_state(),
            scheduled_by=who,
            created_at=now,
            updated_at=now,
        )
        .on_conflict_do_nothing(index_elements=["intake_id"])
    )
    if result.rowcount == 1:
        await audit.record(session, who, "followup.schedule", intake.id, source, {"channel": channel, "weeks": weeks})
    return channel


async def due(session: AsyncSession, now: datetime, limit: int = 50) -> list[int]:
    query = (
        select(FollowUp.id)
        .where(FollowUp.status == FollowUpStatus.SCHEDULED, FollowUp.due_at <= now)
        .order_by(FollowUp.due_at)
        .limit(limit)
    )
    return list((await session.execute(query)).scalars())


async def mark_sent(session: AsyncSession, followup_id: int, digest: str, sms_sender_id: Optional[str]) -> bool:
    """Scheduled to sent, with its link's digest, in one conditional UPDATE: exactly one sender wins."""
    now = utcnow()
    result = await session.execute(
        update(FollowUp)
        .where(FollowUp.id == followup_id, FollowUp.status == FollowUpStatus.SCHEDULED)
        .values(status=FollowUpStatus.SENT, token_hash=digest, sms_sender_id=sms_sender_id, sent_at=now, updated_at=now)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


async def due_reminders(session: AsyncSession, sent_before: datetime, limit: int = 50) -> list[int]:
    """Follow-ups sent before `sent_before`, not begun, and not yet reminded."""
    query = (
        select(FollowUp.id)
        .where(FollowUp.status == FollowUpStatus.SENT, FollowUp.reminded_at.is_(None), FollowUp.sent_at <= sent_before)
        .order_by(FollowUp.sent_at)
        .limit(limit)
    )
    return list((await session.execute(query)).scalars())


FIRST_LINK = "first_link"
"""The state key that keeps the first link's digest after a reminder, for its "no thanks" only."""


async def mark_reminded(session: AsyncSession, followup_id: int, digest: str) -> bool:
    """Sent to reminded, with a new link (the first stops working, and the new one may be opened on any
    device), in one conditional UPDATE.

    The first link's digest stays in the state JSON (FIRST_LINK), so the "no thanks" in the first
    e-mail still declines: a person must always be able to say no with any link they were sent."""
    row = await get(session, followup_id)
    if row is None or row.status != FollowUpStatus.SENT or row.reminded_at is not None:
        return False
    state = {**(row.state or new_state())}
    if row.token_hash:
        state[FIRST_LINK] = row.token_hash
    now = utcnow()
    result = await session.execute(
        update(FollowUp)
        .where(
            FollowUp.id == followup_id,
            FollowUp.status == FollowUpStatus.SENT,
            FollowUp.reminded_at.is_(None),
            FollowUp.token_hash == row.token_hash if row.token_hash else FollowUp.token_hash.is_(None),
        )
        .values(token_hash=digest, browser_hash=None, reminded_at=now, updated_at=now, state=state)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


LINK_WORKER_ACTIONS = {"send_now": "Send it now", "cancel": "Cancel it"}


async def change_by_link_worker(
    session: AsyncSession, intake_id: int, action: str, who: str, source: Optional[str] = None
) -> None:
    """A link worker sends a scheduled follow-up now, or cancels one not yet answered (audited).

    The caller has checked that `who` may see the intake."""
    row = await of_intake(session, intake_id)
    if row is None:
        raise not_found("This intake has no follow-up.")
    if action == "send_now":
        if row.status != FollowUpStatus.SCHEDULED:
            raise conflict("Only a follow-up that is still scheduled can be sent now.")
        await session.execute(
            update(FollowUp)
            .where(FollowUp.id == row.id, FollowUp.status == FollowUpStatus.SCHEDULED)
            .values(due_at=utcnow(), updated_at=utcnow())
            .execution_options(synchronize_session=False)
        )
        await audit.record(session, who, "followup.send_now", intake_id, source)
    elif action == "cancel":
        if not await close(session, row.id, FollowUpStatus.CANCELLED, "cancelled by a link worker", actor=who):
            raise conflict("This follow-up is already answered, declined or cancelled.")
    else:
        raise invalid(f"action must be one of: {', '.join(LINK_WORKER_ACTIONS)}")


async def close(session: AsyncSession, followup_id: int, status: str, reason: str, actor: str = audit.SYSTEM) -> bool:
    """Decline or cancel a follow-up that is not yet answered; nothing more is sent for it."""
    row = await get(session, followup_id)
    if row is None or row.status in (FollowUpStatus.ANSWERED, FollowUpStatus.DECLINED, FollowUpStatus.CANCELLED):
        return False
    result = await session.execute(
        update(FollowUp)
        .where(FollowUp.id == followup_id, FollowUp.status == row.status)
        .values(status=status, closed_reason=reason, updated_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    if result.rowcount == 1:
        await audit.record(session, actor, f"followup.{status}", row.intake_id, detail={"reason": reason})
    return result.rowcount == 1


async def begin(session: AsyncSession, followup_id: int, state: dict[str, Any]) -> None:
    """Sent to being answered, before any answer: the first question has been asked (by text)."""
    now = utcnow()
    await session.execute(
        update(FollowUp)
        .where(FollowUp.id == followup_id, FollowUp.status == FollowUpStatus.SENT)
        .values(status=FollowUpStatus.ANSWERING, state=state, started_at=now, updated_at=now)
        .execution_options(synchronize_session=False)
    )


async def get(session: AsyncSession, followup_id: int) -> Optional[FollowUp]:
    return (await session.execute(select(FollowUp).where(FollowUp.id == followup_id))).scalar_one_or_none()


async def of_intake(session: AsyncSession, intake_id: int) -> Optional[FollowUp]:
    return (await session.execute(select(FollowUp).where(FollowUp.intake_id == intake_id))).scalar_one_or_none()


async def by_token(session: AsyncSession, token: str) -> Optional[FollowUp]:
    if not token or len(token) > 64:
        return None
    digest = token_digest(token)
    return (await session.execute(select(FollowUp).where(FollowUp.token_hash == digest))).scalar_one_or_none()


async def for_no_thanks(session: AsyncSession, token: str) -> Optional[FollowUp]:
    """The follow-up any link it was ever sent with belongs to: the current one, or the first after a
    reminder (kept only for declining; it opens nothing else)."""
    row = await by_token(session, token)
    if row is not None or not token or len(token) > 64:
        return row
    query = select(FollowUp).where(FollowUp.state[FIRST_LINK].as_string() == token_digest(token))
    return (await session.execute(query.limit(1))).scalar_one_or_none()


async def bind_browser(session: AsyncSession, followup_id: int, browser_digest: str) -> bool:
    """The first browser to open the link keeps it: a conditional UPDATE, so two first opens can't both win."""
    result = await session.execute(
        update(FollowUp)
        .where(FollowUp.id == followup_id, FollowUp.browser_hash.is_(None))
        .values(browser_hash=browser_digest, updated_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


async def open_by_text(session: AsyncSession, sms_sender_id: str, since: datetime) -> Optional[FollowUp]:
    """The follow-up waiting for this number's answers by text, if any: one sent (or reminded) after
    `since` (FOLLOWUP_LINK_DAYS ago). Older ones no longer catch the number's texts, which go to the
    intake bot again."""
    last_sent = func.coalesce(FollowUp.reminded_at, FollowUp.sent_at)
    query = select(FollowUp).where(
        FollowUp.sms_sender_id == sms_sender_id, FollowUp.status.in_(FollowUpStatus.OPEN), last_sent >= since
    )
    return (await session.execute(query.order_by(FollowUp.id.desc()).limit(1))).scalar_one_or_none()


async def for_text_number(session: AsyncSession, sms_sender_id: str) -> list[FollowUp]:
    """Every follow-up still to be sent or answered by text to this number (to decline them on STOP)."""
    query = select(FollowUp).where(
        FollowUp.sms_sender_id == sms_sender_id,
        FollowUp.status.in_((FollowUpStatus.SCHEDULED, *FollowUpStatus.OPEN)),
    )
    rows = list((await session.execute(query)).scalars())
    scheduled = (
        select(FollowUp)
        .join(Intake, Intake.id == FollowUp.intake_id)
        .where(
            Intake.conversation_id == sms_sender_id,
            FollowUp.channel == FollowUpChannel.SMS,
            FollowUp.status == FollowUpStatus.SCHEDULED,
        )
    )
    rows += [row for row in (await session.execute(scheduled)).scalars() if row not in rows]
    return rows


async def write_answer(
    session: AsyncSession,
    followup_id: int,
    key: str,
    value: Any,
    verbatim: Optional[str],
    status: str,
    now: datetime,
    replace: bool = False,
) -> None:
    """One answer row, once per question: a redelivered text writes nothing; with `replace`, an answer
    heard later (on the phone) takes the place of what was there."""
    statement = dialect_insert(session, FollowUpAnswer.__table__).values(
        followup_id=followup_id, question_key=key, value=value, verbatim=verbatim, status=status, answered_at=now
    )
    keys = ["followup_id", "question_key"]
    if replace:
        changed = {"value": value, "verbatim": verbatim, "status": status, "answered_at": now}
        await session.execute(statement.on_conflict_do_update(index_elements=keys, set_=changed))
    else:
        await session.execute(statement.on_conflict_do_nothing(index_elements=keys))


async def save_turn(session: AsyncSession, followup: FollowUp, turn: Turn) -> None:
    """Write one turn: its answers (once each), the conversation's place, its status and any flag."""
    now = utcnow()
    for saved in turn.saved:
        await write_answer(session, followup.id, saved.key, saved.value, saved.verbatim, saved.status, now)
    status = FollowUpStatus.ANSWERED if turn.finished else FollowUpStatus.ANSWERING
    values: dict[str, Any] = {"state": turn.state, "status": status, "updated_at": now}
    if followup.started_at is None:
        values["started_at"] = now
    if turn.finished:
        values["answered_at"] = now
    await session.execute(
        update(FollowUp)
        .where(FollowUp.id == followup.id, FollowUp.status.in_(FollowUpStatus.OPEN))
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    if turn.flag is not None:
        kind, category = turn.flag
        intake = (await session.execute(select(Intake).where(Intake.id == followup.intake_id))).scalar_one()
        flag_kind = FlagKind.SAFEGUARDING if kind == "safeguarding" else FlagKind.RISK_CHECK
        await intake_store.add_flag(session, intake, flag_kind, f"Follow-up: {turn.flag_text}", category)
    if turn.finished:
        await audit.record(session, audit.SYSTEM, "followup.answered", followup.intake_id)


async def answers_of(session: AsyncSession, followup_id: int) -> dict[str, FollowUpAnswer]:
    rows = await session.execute(select(FollowUpAnswer).where(FollowUpAnswer.followup_id == followup_id))
    return {row.question_key: row for row in rows.scalars()}


async def baseline_of(session: AsyncSession, intake_id: int) -> dict[str, Optional[int]]:
    """The ONS4 scores the person gave in the intake, by measure."""
    keys = [ons.key_of(measure) for measure in ons.MEASURES]
    rows = await session.execute(
        select(Answer.question_key, Answer.value, Answer.status).where(
            Answer.intake_id == intake_id, Answer.question_key.in_(keys)
        )
    )
    return {
        key.removeprefix("ons_"): (value if status != "skipped" and isinstance(value, int) else None)
        for key, value, status in rows
    }


def scores_of(answers: Mapping[str, FollowUpAnswer]) -> dict[str, Optional[int]]:
    return {
        measure: (row.value if row.status != "skipped" and isinstance(row.value, int) else None)
        for measure in ons.MEASURES
        if (row := answers.get(ons.key_of(measure))) is not None
    }


async def offer_named(session: AsyncSession, intake_id: int) -> Optional[str]:
    """What the person was to try, in a few words: the offers taken up (else suggested) by name, else the
    link worker's own words on closing."""
    for status in ("taken_up", "suggested"):
        names = (
            await session.execute(
                select(DirectoryService.name)
                .join(OfferDecision, OfferDecision.service_id == DirectoryService.id)
                .where(OfferDecision.intake_id == intake_id, OfferDecision.status == status)
                .order_by(OfferDecision.id)
                .limit(2)
            )
        ).scalars()
        listed = list(names)
        if listed:
            return " or ".join(listed)
    taken_up = (
        await session.execute(select(QueueItem.taken_up).where(QueueItem.intake_id == intake_id))
    ).scalar_one_or_none()
    return (taken_up or "").strip()[:120] or None


@dataclass(frozen=True)
class FollowUpView:
    """A follow-up as the link worker's page and the API show it."""

    status: str
    channel: str
    due_at: Optional[datetime]
    sent_at: Optional[datetime]
    reminded_at: Optional[datetime]
    answered_at: Optional[datetime]
    closed_reason: Optional[str]
    comparison: list[ons.Comparison]
    what_changed: Optional[str]
    took_up_offer: Optional[str]

    @property
    def status_name(self) -> str:
        return FollowUpStatus.NAMES.get(self.status, self.status)

    @property
    def channel_name(self) -> str:
        return FollowUpChannel.NAMES.get(self.channel, self.channel)

    def as_json(self) -> dict[str, Any]:
        def when(moment: Optional[datetime]) -> Optional[str]:
            return aware(moment).isoformat() if moment else None

        return {
            "status": self.status,
            "channel": self.channel,
            "due_at": when(self.due_at),
            "sent_at": when(self.sent_at),
            "reminded_at": when(self.reminded_at),
            "answered_at": when(self.answered_at),
            "closed_reason": self.closed_reason,
            "wellbeing_ons4": [
                {
                    "measure": c.measure,
                    "label": c.label,
                    "baseline": c.baseline,
                    "baseline_band": c.baseline_band,
                    "follow_up": c.follow_up,
                    "follow_up_band": c.follow_up_band,
                    "change": c.change,
                }
                for c in self.comparison
            ],
            "what_changed": self.what_changed,
            "took_up_offer": self.took_up_offer,
        }


async def view_of(session: AsyncSession, intake_id: int) -> Optional[FollowUpView]:
    row = await of_intake(session, intake_id)
    if row is None:
        return None
    answers = await answers_of(session, row.id)
    changed, took = answers.get("what_changed"), answers.get("took_up_offer")
    return FollowUpView(
        status=row.status,
        channel=row.channel,
        due_at=aware(row.due_at),
        sent_at=aware(row.sent_at),
        reminded_at=aware(row.reminded_at),
        answered_at=aware(row.answered_at),
        closed_reason=row.closed_reason,
        comparison=ons.compare(await baseline_of(session, intake_id), scores_of(answers)),
        what_changed=changed.verbatim if changed and changed.status != "skipped" else None,
        took_up_offer=took.value if took and took.status != "skipped" else None,
    )
