"""The dashboard's reads: the plain rows `bot.outcomes.dashboard` works its figures out from.

One period and one team (or several; None: every team, for admins). A fixed number of queries
whatever the period's length, each filtered on the team in the database. Nothing here is shown as
it is read: the rows carry codes, times and scores, and the GP practice answer only to be matched
against the team's own practice names.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from typing import Any, Optional

from sqlalchemy import and_, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql import Select

from bot.db.models import Answer, AuditEvent, Intake, Priority, QueueItem
from bot.directory.models import OfferDecision
from bot.outcomes.dashboard import FollowUpRow, OfferRow, Period, Referral, Rows, UrgentItem, utc
from bot.outcomes.models import FollowUp, FollowUpAnswer, FollowUpStatus
from bot.outcomes.ons import MEASURES, key_of
from bot.queue.read import VIEW_LETTER, VIEW_SUMMARY, VIEW_TRANSCRIPT
from bot.teams.models import Team

LOOKS = (VIEW_SUMMARY, VIEW_TRANSCRIPT, VIEW_LETTER)
"""The audit events of someone opening an intake: its summary (page, API or command line), transcript or letter."""
ONS_KEYS = {key_of(m): m for m in MEASURES}
TOOK_UP_KEY = "took_up_offer"


def _of_teams(query: Select, team_ids: Optional[Collection[int]]) -> Select:
    """Only the intakes of these teams (None: every intake, whatever its team)."""
    return query if team_ids is None else query.where(Intake.team_id.in_(sorted(team_ids)))


def _score(value: Any) -> Optional[int]:
    """An ONS4 answer's score: an integer from 0 to 10, else nothing (skipped, unclear)."""
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 10:
        return None
    return value


def _codes(value: Any) -> tuple[str, ...]:
    return tuple(str(v) for v in value) if isinstance(value, list) else ()


def _part(summary: Any, section: str) -> dict[str, Any]:
    found = summary.get(section) if isinstance(summary, dict) else None
    return found if isinstance(found, dict) else {}


async def practices(session: AsyncSession, team_ids: Optional[Collection[int]]) -> tuple[str, ...]:
    """The practices the teams support, by their names there (in the teams' order, each once)."""
    query = select(Team.practices).order_by(Team.name, Team.id)
    if team_ids is not None:
        query = query.where(Team.id.in_(sorted(team_ids)))
    names = [str(p) for (listed,) in (await session.execute(query)).all() for p in (listed or [])]
    return tuple(dict.fromkeys(names))


async def referrals(
    session: AsyncSession, low: datetime, high: datetime, team_ids: Optional[Collection[int]]
) -> list[Referral]:
    """Intakes submitted in [low, high), with their first contact."""
    query = _of_teams(
        select(Intake.id, Intake.submitted_at, Intake.referral_source, Intake.summary, QueueItem.contacted_at)
        .outerjoin(QueueItem, QueueItem.intake_id == Intake.id)
        .where(Intake.submitted_at >= low, Intake.submitted_at < high),
        team_ids,
    )
    found = []
    for intake_id, submitted_at, source, summary, contacted_at in (await session.execute(query)).all():
        practice = _part(summary, "about").get("gp_practice")
        found.append(
            Referral(
                intake_id=intake_id,
                submitted_at=utc(submitted_at),
                source=source,
                practice=practice if isinstance(practice, str) else None,
                areas=_codes(_part(summary, "life_areas").get("chosen")),
                barriers=_codes(_part(summary, "barriers").get("common")),
                contacted_at=utc(contacted_at) if contacted_at else None,
            )
        )
    return found


async def urgent(
    session: AsyncSession, low: datetime, high: datetime, team_ids: Optional[Collection[int]]
) -> list[UrgentItem]:
    """Urgent items created in [low, high), each with its first look: the first time anyone opened the
    intake (its summary, transcript or letter) after the item was created, or its claim if that was earlier."""
    first_view = func.min(AuditEvent.at)
    query = _of_teams(
        select(QueueItem.id, QueueItem.created_at, QueueItem.claimed_at, first_view)
        .join(Intake, Intake.id == QueueItem.intake_id)
        .outerjoin(
            AuditEvent,
            and_(
                AuditEvent.intake_id == QueueItem.intake_id,
                AuditEvent.action.in_(LOOKS),
                AuditEvent.at >= QueueItem.created_at,
            ),
        )
        .where(QueueItem.priority == Priority.URGENT, QueueItem.created_at >= low, QueueItem.created_at < high)
        .group_by(QueueItem.id, QueueItem.created_at, QueueItem.claimed_at),
        team_ids,
    )
    found = []
    for _, created_at, claimed_at, viewed_at in (await session.execute(query)).all():
        created = utc(created_at)
        looks = [utc(t) for t in (viewed_at, claimed_at) if t is not None and utc(t) >= created]
        found.append(UrgentItem(created, min(looks) if looks else None))
    return found


async def offers(
    session: AsyncSession, low: datetime, high: datetime, team_ids: Optional[Collection[int]]
) -> list[OfferRow]:
    """The offer decisions on intakes submitted in [low, high)."""
    query = _of_teams(
        select(OfferDecision.intake_id, OfferDecision.status)
        .join(Intake, Intake.id == OfferDecision.intake_id)
        .where(Intake.submitted_at >= low, Intake.submitted_at < high),
        team_ids,
    )
    return [OfferRow(intake_id, status) for intake_id, status in (await session.execute(query)).all()]


async def followups(
    session: AsyncSession, low: datetime, high: datetime, team_ids: Optional[Collection[int]]
) -> list[FollowUpRow]:
    """Follow-ups sent in [low, high), each with its channel and whether it was answered or declined: when
    answered, the ONS4 scores before (the intake's answers) and after, and whether the person said they took up
    an offer."""

    def sent(query: Select) -> Select:
        return _of_teams(
            query.join(Intake, Intake.id == FollowUp.intake_id).where(FollowUp.sent_at >= low, FollowUp.sent_at < high),
            team_ids,
        )

    sent_rows = (
        await session.execute(
            sent(
                select(
                    FollowUp.id,
                    FollowUp.intake_id,
                    FollowUp.sent_at,
                    FollowUp.answered_at,
                    FollowUp.channel,
                    FollowUp.status,
                )
            )
        )
    ).all()
    after: dict[int, dict[str, Any]] = {}
    answers = sent(
        select(FollowUpAnswer.followup_id, FollowUpAnswer.question_key, FollowUpAnswer.value)
        .select_from(FollowUpAnswer)
        .join(FollowUp, FollowUp.id == FollowUpAnswer.followup_id)
        .where(FollowUpAnswer.question_key.in_([*ONS_KEYS, TOOK_UP_KEY]))
    )
    for followup_id, key, value in (await session.execute(answers)).all():
        after.setdefault(followup_id, {})[key] = value
    before: dict[int, dict[str, int]] = {}
    baseline = sent(
        select(Answer.intake_id, Answer.question_key, Answer.value)
        .select_from(Answer)
        .join(FollowUp, FollowUp.intake_id == Answer.intake_id)
        .where(Answer.question_key.in_(list(ONS_KEYS)))
    )
    for intake_id, key, value in (await session.execute(baseline)).all():
        score = _score(value)
        if score is not None:
            before.setdefault(intake_id, {})[ONS_KEYS[key]] = score
    found = []
    for followup_id, intake_id, sent_at, answered_at, channel, status in sent_rows:
        given = after.get(followup_id, {})
        scores = {ONS_KEYS[k]: s for k, v in given.items() if k in ONS_KEYS and (s := _score(v)) is not None}
        took = given.get(TOOK_UP_KEY)
        found.append(
            FollowUpRow(
                sent_at=utc(sent_at),
                answered_at=utc(answered_at) if answered_at else None,
                took_up_offer=took if took in ("yes", "partly", "no") else None,
                channel=channel,
                declined=status == FollowUpStatus.DECLINED,
                baseline=before.get(intake_id, {}),
                follow_up=scores,
            )
        )
    return found


async def rows(session: AsyncSession, period: Period, team_ids: Optional[Collection[int]]) -> Rows:
    """Everything the dashboard counts for a period and the teams (None: every team)."""
    low, high = period.bounds()
    return Rows(
        period=period,
        practices=await practices(session, team_ids),
        referrals=tuple(await referrals(session, low, high, team_ids)),
        urgent=tuple(await urgent(session, low, high, team_ids)),
        offers=tuple(await offers(session, low, high, team_ids)),
        followups=tuple(await followups(session, low, high, team_ids)),
    )
