"""Sending follow-ups when they fall due: each one's invitation into the text or e-mail outbox.

A due follow-up is marked sent and its message queued in one transaction, under a key that is
the follow-up's own, so two app workers (or a retry after a crash) send it once. Nothing goes to
a person who said no: a number that sent STOP, an address that opted out. A follow-up that
cannot go (its channel is off, the address is unusable) is cancelled with the reason, for the
link worker to see and follow up by phone.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Optional

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import sessionmaker

from bot.db.models import Intake, utcnow
from bot.intake.normalise import parse_email
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


def link_of(settings: Settings, token: str) -> str:
    return f"{site(settings)}/f/{token}"


@dataclass(frozen=True)
class Sent:
    sent: int = 0
    declined: int = 0
    cancelled: int = 0


class FollowUpSender:
    """One pass over the due follow-ups (the review app runs it every FOLLOWUP_POLL_SECONDS)."""

    def __init__(self, settings: Settings, sessions: sessionmaker, vault: Optional[PhoneVault]) -> None:
        self.settings = settings
        self.sessions = sessions
        self.vault = vault

    async def send_due(self, now: Optional[datetime] = None) -> Sent:
        async with self.sessions() as session:
            ids = await followups.due(session, now or utcnow())
        counts = {"sent": 0, "declined": 0, "cancelled": 0}
        for followup_id in ids:
            async with self.sessions() as session:
                async with session.begin():
                    outcome = await self._send_one(session, followup_id)
            if outcome:
                counts[outcome] += 1
        if ids:
            logger.info("follow-ups: %d sent, %d declined, %d cancelled", *counts.values())
        return Sent(**counts)

    async def _send_one(self, session: AsyncSession, followup_id: int) -> Optional[str]:
        row = await followups.get(session, followup_id)
        if row is None or row.status != FollowUpStatus.SCHEDULED:
            return None
        intake = (await session.execute(select(Intake).where(Intake.id == row.intake_id))).scalar_one()
        about = (intake.summary or {}).get("about") or {}
        preferred = (about.get("preferred_name") or "").strip()
        team = await self._team_name(session, intake.team_id)
        values = {
            "name": f" {preferred}" if preferred else "",
            "team": team,
            "weeks": f"{self.settings.followup_weeks:g}",
        }
        token, digest = followups.new_token()
        if row.channel == FollowUpChannel.SMS:
            return await self._by_text(
                session, row, intake, about, digest, {**values, "link": link_of(self.settings, token)}
            )
        return await self._by_email(session, row, about, digest, token, values)

    async def _team_name(self, session: AsyncSession, team_id: Optional[int]) -> str:
        name = None
        if team_id is not None:
            name = (await session.execute(select(Team.name).where(Team.id == team_id))).scalar_one_or_none()
        return name or self.settings.sms_team_name

    async def _by_text(
        self, session: AsyncSession, row: FollowUp, intake: Intake, about: dict, digest: str, values: dict[str, str]
    ) -> Optional[str]:
        if not self.settings.sms_enabled or self.vault is None:
            return await self._cancel(session, row, "texts are off")
        contact = None
        if intake.channel == "sms":
            contact = await sms_store.contact_by_sender(session, intake.conversation_id)
        if contact is None:
            try:
                contact = await sms_store.contact_for(
                    session, self.vault, normalise_e164(str(about.get("contact_detail") or ""))
                )
            except InvalidNumber:
                return await self._cancel(session, row, "not a number we can text")
        if contact.opted_out:
            await followups.close(session, row.id, FollowUpStatus.DECLINED, "the number sent STOP")
            return "declined"
        if not await followups.mark_sent(session, row.id, digest, contact.sender_id):
            return None  # another worker sent it
        await sms_store.set_options(session, contact.id, None)
        body = gsm_friendly(say("invite_sms", **values))
        await sms_store.enqueue(
            session,
            self.vault,
            contact.id,
            f"followup:{row.id}",
            split_for_sms(body, self.settings.sms_max_segments),
            "followup",
        )
        return "sent"

    async def _by_email(
        self, session: AsyncSession, row: FollowUp, about: dict, digest: str, token: str, values: dict[str, str]
    ) -> Optional[str]:
        if not self.settings.mail_enabled:
            return await self._cancel(session, row, "e-mail is off")
        address = parse_email(str(about.get("contact_detail") or ""))
        if not address:
            return await self._cancel(session, row, "not an e-mail address")
        if await mail_store.opted_out(session, address):
            await followups.close(session, row.id, FollowUpStatus.DECLINED, "the address opted out of e-mail")
            return "declined"
        if not await followups.mark_sent(session, row.id, digest, None):
            return None
        link = link_of(self.settings, token)
        body = say("invite_email", **values, link=link, stop_link=f"{link}/no-thanks")
        await mail_store.enqueue(
            session, f"followup:{row.id}", "followup", address, say("invite_email_subject", team=values["team"]), body
        )
        return "sent"

    async def _cancel(self, session: AsyncSession, row: FollowUp, reason: str) -> str:
        await followups.close(session, row.id, FollowUpStatus.CANCELLED, reason)
        return "cancelled"
