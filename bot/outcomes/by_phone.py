"""Follow-up answers a link worker heard on the phone: checked, then saved in one transaction.

A person who chose phone calls gets no follow-up message, and one who did not answer the text or
e-mail may still answer a call: the link worker asks the same six questions and records what they
heard here. The answers are saved as a follow-up with the channel "phone" and answer rows like the
text and web ones, so the side-by-side summary, the chart and the dashboard read them unchanged.

An intake has at most one follow-up (a unique key), so a follow-up still scheduled or sent by text
or e-mail becomes the phone one: its link and text conversation stop working (the person is not
asked twice), and the audit trail says it was cancelled as "answered on the phone". One never sent
counts as sent at the call, so the dashboard (which counts follow-ups by when they were sent) has it.

`check` is a pure function (the page and the API share it, with the same messages); `record` writes.
What they said about what changed is read for risk by the caller (off the event loop) and passed in.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Any, Callable, Mapping, Optional

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.engine import dialect_insert
from bot.db.models import FlagKind, Intake, QueueItem, QueueStatus, utcnow
from bot.errors import conflict, not_found
from bot.intake import store as intake_store
from bot.intake.risk import CERTAIN, Risk
from bot.outcomes import ons
from bot.outcomes.conversation import TOOK_UP_NAMES, new_state
from bot.outcomes.followups import of_intake, write_answer
from bot.outcomes.models import FollowUp, FollowUpChannel, FollowUpStatus
from bot.queue import audit

ACTION = "record_by_phone"
"""The follow-up action (page form and API) that records answers heard on the phone."""
PHONE = FollowUpChannel.PHONE
ANSWERED_ON_THE_PHONE = "answered on the phone"
MAX_WHAT_CHANGED = 2000
FIELDS = (*ons.MEASURES, "what_changed", "took_up_offer")
"""The form's and the API's field names, in the order asked: the four ONS4 measures, then the two others."""
RECORDABLE = (
    FollowUpStatus.SCHEDULED,
    FollowUpStatus.SENT,
    FollowUpStatus.ANSWERING,
    FollowUpStatus.DECLINED,
    FollowUpStatus.CANCELLED,
)
"""A follow-up in any of these may be replaced by answers heard on the phone (any but an answered one)."""


@dataclass(frozen=True)
class PhoneAnswers:
    """Checked answers: a score per measure (None: not asked or declined), their words, the offer."""

    scores: dict[str, Optional[int]] = field(default_factory=dict)
    what_changed: Optional[str] = None
    took_up_offer: Optional[str] = None

    def as_detail(self) -> dict[str, Any]:
        """What the audit row may say: which questions were answered, never the words."""
        answered = [m for m, s in self.scores.items() if s is not None]
        if self.what_changed:
            answered.append("what_changed")
        if self.took_up_offer:
            answered.append("took_up_offer")
        return {"answered": answered}


def _score(measure: str, raw: Any) -> tuple[Optional[int], Optional[str]]:
    label = ons.LABELS[measure].lower()
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None, None
    if isinstance(raw, bool):
        return None, f"Enter {label} as a whole number from 0 to 10, or leave it empty if not asked"
    if isinstance(raw, str) and raw.strip().isdigit():
        raw = int(raw.strip())
    if not isinstance(raw, int) or not 0 <= raw <= 10:
        return None, f"Enter {label} as a whole number from 0 to 10, or leave it empty if not asked"
    return raw, None


def check(given: Mapping[str, Any]) -> tuple[Optional[PhoneAnswers], dict[str, str]]:
    """(the answers, {}) when all is right, else (None, an error per field). Form strings and JSON values
    both: a score is 0-10 or empty/null (not asked or declined); took_up_offer yes/partly/no or empty/null."""
    errors: dict[str, str] = {}
    unknown = sorted(set(given) - set(FIELDS))
    if unknown:
        errors["answers"] = f"Unknown field(s): {', '.join(unknown)}"
    scores: dict[str, Optional[int]] = {}
    for measure in ons.MEASURES:
        scores[measure], wrong = _score(measure, given.get(measure))
        if wrong:
            errors[measure] = wrong
    changed = given.get("what_changed")
    if changed is not None and not isinstance(changed, str):
        errors["what_changed"] = "Enter what has changed as text, or leave it empty"
    elif isinstance(changed, str) and len(changed) > MAX_WHAT_CHANGED:
        errors["what_changed"] = f"What has changed must be {MAX_WHAT_CHANGED} characters or fewer"
    took = given.get("took_up_offer")
    took = None if took in (None, "", "not_asked") else took
    if took is not None and took not in TOOK_UP_NAMES:
        errors["took_up_offer"] = "Choose yes, partly, no or not asked for whether they took up the offer"
    words = changed.strip() if isinstance(changed, str) else ""
    if not errors and not words and took is None and all(s is None for s in scores.values()):
        errors["answers"] = "Record at least one answer they gave on the phone"
    if errors:
        return None, errors
    return PhoneAnswers(scores, words or None, took), {}


async def read_risk(reader: Callable[[str], Optional[Risk]], answers: PhoneAnswers) -> Optional[Risk]:
    """What they said about what changed, read by the follow-up's risk reader in a worker thread (the
    meaning classifier is CPU work), before the transaction that saves it."""
    if not answers.what_changed:
        return None
    return await asyncio.to_thread(reader, answers.what_changed)


async def may_record(session: AsyncSession, intake_id: int) -> bool:
    """Whether answers heard on the phone can be recorded now: the item is closed and no follow-up is answered."""
    status = (
        await session.execute(select(QueueItem.status).where(QueueItem.intake_id == intake_id))
    ).scalar_one_or_none()
    if status != QueueStatus.CLOSED:
        return False
    row = await of_intake(session, intake_id)
    return row is None or row.status in RECORDABLE


async def record(
    session: AsyncSession,
    intake_id: int,
    answers: PhoneAnswers,
    who: str,
    risk: Optional[Risk] = None,
    source: Optional[str] = None,
) -> int:
    """Save the answers as the intake's answered phone follow-up, in the caller's transaction; its id.

    The caller has checked that `who` may see the intake, and read `answers.what_changed` for risk."""
    intake = (await session.execute(select(Intake).where(Intake.id == intake_id))).scalar_one_or_none()
    if intake is None:
        raise not_found("no such intake")
    if not await may_record(session, intake_id):
        raise conflict("Answers from the phone can be recorded only for a closed item whose follow-up is not answered.")
    now = utcnow()
    row = await of_intake(session, intake_id)
    values = {
        "status": FollowUpStatus.ANSWERED,
        "channel": PHONE,
        "answered_at": now,
        "updated_at": now,
        "token_hash": None,  # the link stops working
        "browser_hash": None,
        "sms_sender_id": None,  # their texts go to the intake bot again
        "closed_reason": None,
    }
    if row is None:
        inserted = await session.execute(
            dialect_insert(session, FollowUp.__table__)
            .values(
                intake_id=intake_id,
                due_at=now,
                state=new_state(),
                scheduled_by=who,
                created_at=now,
                sent_at=now,  # asked on the phone: the dashboard counts it as sent (and answered) then
                started_at=now,
                **values,
            )
            .on_conflict_do_nothing(index_elements=["intake_id"])
        )
        if inserted.rowcount != 1:
            raise conflict("Someone else recorded this follow-up first.")
        followup_id = (await session.execute(select(FollowUp.id).where(FollowUp.intake_id == intake_id))).scalar_one()
    else:
        changed = await session.execute(
            update(FollowUp)
            .where(FollowUp.id == row.id, FollowUp.status == row.status)
            .values(sent_at=row.sent_at or now, started_at=row.started_at or now, **values)
            .execution_options(synchronize_session=False)
        )
        if changed.rowcount != 1:
            raise conflict("This follow-up changed as you saved: reload the page and look again.")
        followup_id = row.id
        if row.status in (FollowUpStatus.SCHEDULED, *FollowUpStatus.OPEN):
            await audit.record(
                session,
                who,
                f"followup.{FollowUpStatus.CANCELLED}",
                intake_id,
                source,
                {"reason": ANSWERED_ON_THE_PHONE, "channel": row.channel},
            )
    await _write_answers(session, followup_id, answers, now)
    await audit.record(session, who, "followup.recorded_by_phone", intake_id, source, answers.as_detail())
    if risk is not None and answers.what_changed:
        await _flag(session, intake, answers.what_changed, risk)
    return int(followup_id)


async def _write_answers(session: AsyncSession, followup_id: int, answers: PhoneAnswers, now: Any) -> None:
    """One row per question, like the text and web ones; a question not asked on the phone keeps what the
    person may have texted before, else is written as skipped."""
    rows: list[tuple[str, Any, Optional[str]]] = [
        (ons.key_of(m), s, None if s is None else str(s)) for m, s in answers.scores.items()
    ]
    rows.append(("what_changed", answers.what_changed, answers.what_changed))
    rows.append(("took_up_offer", answers.took_up_offer, answers.took_up_offer))
    for key, value, verbatim in rows:
        answered = value is not None
        await write_answer(
            session,
            followup_id,
            key,
            value,
            verbatim if answered else "not asked on the phone",
            "answered" if answered else "skipped",
            now,
            replace=answered,
        )


async def _flag(session: AsyncSession, intake: Intake, text: str, risk: Risk) -> None:
    """The follow-up conversation's flag: urgent for a certain disclosure, a check for an uncertain one;
    either puts the closed item back on the queue (`add_flag`)."""
    kind = FlagKind.SAFEGUARDING if risk.tier == CERTAIN else FlagKind.RISK_CHECK
    await intake_store.add_flag(session, intake, kind, f"Follow-up: {text}", risk.category)
