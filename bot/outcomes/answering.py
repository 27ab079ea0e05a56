"""One message of a follow-up, from either channel: read it, answer it, save it, in one transaction.

The web page and the SMS channel both call `answer`. The risk reader runs in a worker thread
(the meaning classifier is CPU work); the row is locked for the turn on PostgreSQL, so two
messages of one person (a double click, two texts at once) are read one after the other. SQLite has
no row locks: there the SMS channel's per-number lock and the web page's one form at a time do it.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from typing import Callable, Optional

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import FlagKind, Intake
from bot.intake import store as intake_store
from bot.intake.fallback import crisis_texts
from bot.intake.risk import Risk
from bot.outcomes import conversation, followups
from bot.outcomes.models import FollowUp, FollowUpStatus
from bot.settings import Settings

logger = logging.getLogger(__name__)

RiskReader = Callable[[str], Optional[Risk]]


@dataclass(frozen=True)
class Reply:
    texts: list[str]
    finished: bool
    flagged: bool


async def _locked(session: AsyncSession, followup_id: int) -> FollowUp:
    query = select(FollowUp).where(FollowUp.id == followup_id)
    if session.bind is not None and session.bind.dialect.name == "postgresql":
        query = query.with_for_update()
    return (await session.execute(query)).scalar_one()


async def context_of(session: AsyncSession, row: FollowUp) -> tuple[str, Optional[str]]:
    """(" Name" or "", what the person was to try) for the conversation's words."""
    summary = (await session.execute(select(Intake.summary).where(Intake.id == row.intake_id))).scalar_one()
    preferred = (((summary or {}).get("about") or {}).get("preferred_name") or "").strip()
    return (f" {preferred}" if preferred else ""), await followups.offer_named(session, row.intake_id)


async def opening(session: AsyncSession, row: FollowUp) -> list[str]:
    _, offer = await context_of(session, row)
    return conversation.opening(offer)


async def answer(
    session: AsyncSession,
    settings: Settings,
    followup_id: int,
    text: str,
    read_risk: RiskReader,
    by_text: bool = False,
) -> Reply:
    """Read one message in the caller's transaction; the flag, if any, is written with the answer.

    A disclosure is heard whatever became of the follow-up (answered, cancelled, declined): the
    crisis reply, and the urgent flag that puts the item back on the queue. By text, the invitation
    asked no question yet, so the first reply (unless it discloses) gets the first question."""
    risk = await asyncio.to_thread(read_risk, text) if text.strip() else None
    row = await _locked(session, followup_id)
    if row.status not in FollowUpStatus.OPEN:
        if risk is not None:
            intake = (await session.execute(select(Intake).where(Intake.id == row.intake_id))).scalar_one()
            await intake_store.add_flag(session, intake, FlagKind.SAFEGUARDING, f"Follow-up: {text}", risk.category)
            return Reply(crisis_texts(risk.category, settings), True, True)
        done = row.status == FollowUpStatus.ANSWERED
        return Reply([conversation.say("already_done" if done else "declined")], True, False)
    name, offer = await context_of(session, row)
    if by_text and row.status == FollowUpStatus.SENT and risk is None:
        opening = conversation.opening(offer)
        await followups.begin(session, row.id, {**(row.state or conversation.new_state()), "said": opening})
        return Reply(opening, False, False)
    turn = conversation.reply_to(
        row.state or conversation.new_state(),
        text,
        risk,
        offer=offer,
        name=name,
        housing_line=settings.emergency_housing_line,
        by_text=by_text,
    )
    turn.state["said"] = turn.replies  # what the web page shows after its redirect
    await followups.save_turn(session, row, turn)
    if turn.stopped:
        await followups.close(session, row.id, FollowUpStatus.DECLINED, followups.STOPPED_PART_WAY)
    if turn.flag is not None:
        logger.warning("follow-up %d: %s flag raised (%s)", row.id, turn.flag[0], turn.flag[1])
    if turn.call_back:  # the intake's "wants a person" flag: a call-back, and a closed item back on the queue
        intake = (await session.execute(select(Intake).where(Intake.id == row.intake_id))).scalar_one()
        await intake_store.add_flag(session, intake, FlagKind.WANTS_PERSON, f"Follow-up: {text}")
        logger.info("follow-up %d: call-back asked for", row.id)
    return Reply(turn.replies, turn.finished or turn.stopped, turn.flag is not None)
