"""Sending follow-ups when they fall due, and one reminder: each message into the text or e-mail outbox.

A due follow-up is marked sent and its message queued in one transaction, under a key that is
the follow-up's own, so two app workers (or a retry after a crash) send it once. The reminder
works the same way, FOLLOWUP_REMINDER_DAYS after sending, to someone who has not begun to
answer; it carries a new link (the token is kept only as a digest, so the first link cannot be
sent again) and the first stops working. Nothing goes to a person who said no: a number that sent
STOP, an address that opted out. A follow-up that cannot go (its channel is off, the address is
unusable) is cancelled with the reason, for the link worker to see and follow up by phone.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Optional

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import sessionmaker

from bot.db.models import Intake, QueueItem, aware, utcnow
from bot.mail import store as mail_store
from bot.outcomes import followups
from bot.outcomes.conversation import say
from bot.outcomes.models import FollowUp, FollowUpChannel, FollowUpStatus
from bot.settings import Settings
from bot.sms import store as sms_store
from bot.sms.phone import InvalidNumber, PhoneVault, normalise_e164
from bot.sms.text import gsm_friendly, split_for_sms
from bot.teams.links import site
from bot.teams.models import Team

logger = logging.getLogger(__name__)

INVITE = "invite"
REMINDER = "reminder"


def link_of(settings: Settings, token: str) -> str:
    return f"{site(settings)}/f/{token}"


@dataclass(frozen=True)
class Sent:
    sent: int = 0
    declined: int = 0
    cancelled: int = 0
    reminded: int = 0


class FollowUpSender:
    """One pass over the due follow-ups and reminders (the review app runs it every FOLLOWUP_POLL_SECONDS)."""

    def __init__(self, settings: Settings, sessions: sessionmaker, vault: Optional[PhoneVault]) -> None:
        self.settings = settings
        self.sessions = sessions
        self.vault = vault

    async def send_due(self, now: Optional[datetime] = None) -> Sent:
        now = now or utcnow()
        async with self.sessions() as session:
            due = [(i, INVITE) for i in await followups.due(session, now)]
            if self.settings.followup_reminder_days > 0:
                before = now - timedelta(days=self.settings.followup_reminder_days)
                due += [(i, REMINDER) for i in await followups.due_reminders(session, before)]
        counts = {"sent": 0, "declined": 0, "cancelled": 0, "reminded": 0}
        for followup_id, which in due:
            async with self.sessions() as session:
                async with session.begin():
                    outcome = await self._send_one(session, followup_id, which)
            if outcome:
                counts["reminded" if outcome == "sent" and which == REMINDER else outcome] += 1
        if due:
            logger.info("follow-ups: %d sent, %d declined, %d cancelled, %d reminded", *counts.values())
        return Sent(**counts)

    async def _send_one(self, session: AsyncSession, followup_id: int, which: str) -> Optional[str]:
        row = await followups.get(session, followup_id)
        waiting = FollowUpStatus.SCHEDULED if which == INVITE else FollowUpStatus.SENT
        if row is None or row.status != waiting:
            return None
        intake = (await session.execute(select(Intake).where(Intake.id == row.intake_id))).scalar_one()
        about = (intake.summary or {}).get("about") or {}
        preferred = (about.get("preferred_name") or "").strip()
        token, digest = followups.new_token()
        link = link_of(self.settings, token)
        values = {
            "name": f" {preferred}" if preferred else "",
            "team": await self._team_name(session, intake.team_id),
            "since": await self._since(session, row.intake_id),
            "link": link,
            "stop_link": f"{link}/no-thanks",
        }
        if row.channel == FollowUpChannel.SMS:
            return await self._by_text(session, row, intake, about, digest, which, values)
        return await self._by_email(session, row, about, digest, which, values)

    async def _since(self, session: AsyncSession, intake_id: int) -> str:
        """When they last talked with a link worker, as the message says it: from the item's closing (a
        follow-up sent early, "send now", is not "12 weeks" on)."""
        closed = (
            await session.execute(select(QueueItem.closed_at).where(QueueItem.intake_id == intake_id))
        ).scalar_one_or_none()
        weeks = (utcnow() - aware(closed)).days // 7 if closed else 0
        return f"About {weeks} weeks ago" if weeks >= 2 else "Recently"

    async def _team_name(self, session: AsyncSession, team_id: Optional[int]) -> str:
        name = None
        if team_id is not None:
            name = (await session.execute(select(Team.name).where(Team.id == team_id))).scalar_one_or_none()
        return name or self.settings.sms_team_name

    async def _claim(
        self, session: AsyncSession, row: FollowUp, digest: str, which: str, sender: Optional[str]
    ) -> bool:
        """Mark it sent (or reminded) with its new link, in one conditional UPDATE: exactly one sender wins."""
        if which == INVITE:
            return await followups.mark_sent(session, row.id, digest, sender)
        return await followups.mark_reminded(session, row.id, digest)

    async def _by_text(
        self,
        session: AsyncSession,
        row: FollowUp,
        intake: Intake,
        about: dict[str, Any],
        digest: str,
        which: str,
        values: dict[str, str],
    ) -> Optional[str]:
        if not self.settings.sms_enabled or self.vault is None:
            return await self._cancel(session, row, "texts are off")
        contact = None
        if about.get("contact_method") == "text":  # the number they gave for texts, not one they texted from
            try:
                number = normalise_e164(str(about.get("contact_detail") or ""))
            except InvalidNumber:
                return await self._cancel(session, row, "not a number we can text")
            contact = await sms_store.contact_for(session, self.vault, number)
        elif intake.channel == "sms":
            contact = await sms_store.contact_by_sender(session, intake.conversation_id)
        if contact is None:
            return await self._cancel(session, row, "no number to text")
        if contact.opted_out:
            await followups.close(session, row.id, FollowUpStatus.DECLINED, "the number sent STOP")
            return "declined"
        if not await self._claim(session, row, digest, which, contact.sender_id):
            return None  # another worker sent it
        await sms_store.set_options(session, contact.id, None)
        body = gsm_friendly(say(f"{which}_sms", **values))
        texts = split_for_sms(body, self.settings.sms_max_segments)
        await sms_store.enqueue(session, self.vault, contact.id, f"followup:{row.id}:{which}", texts, "followup")
        return "sent"

    async def _by_email(
        self,
        session: AsyncSession,
        row: FollowUp,
        about: dict[str, Any],
        digest: str,
        which: str,
        values: dict[str, str],
    ) -> Optional[str]:
        if not self.settings.mail_enabled:
            return await self._cancel(session, row, "e-mail is off")
        address = followups.email_of({"about": about})
        if not address:
            return await self._cancel(session, row, "not an e-mail address")
        if await mail_store.opted_out(session, address):
            await followups.close(session, row.id, FollowUpStatus.DECLINED, "the address opted out of e-mail")
            return "declined"
        if not await self._claim(session, row, digest, which, None):
            return None
        subject = say(f"{which}_email_subject", team=values["team"])
        body = say(f"{which}_email", **values)
        await mail_store.enqueue(session, f"followup:{row.id}:{which}", "followup", address, subject, body)
        return "sent"

    async def _cancel(self, session: AsyncSession, row: FollowUp, reason: str) -> str:
        await followups.close(session, row.id, FollowUpStatus.CANCELLED, reason)
        return "cancelled"
