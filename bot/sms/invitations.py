"""Inviting someone by text: one piece of logic for the command line and the review app.

The invitation goes through the outbox like every other text (so it is retried
and never sent twice), and never to a number that has opted out (STOP).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Optional
from urllib.parse import urlencode

from sqlalchemy.ext.asyncio import AsyncSession

from bot.errors import DomainError
from bot.queue import audit
from bot.settings import Settings
from bot.sms import store
from bot.sms.phone import InvalidNumber, PhoneVault, normalise_e164
from bot.sms.text import invite_text, split_for_sms
from bot.teams import store as team_store
from bot.teams.links import start_link


@dataclass(frozen=True)
class Invitation:
    """What happened: `queued` with the outbox rows to deliver, or why not (never the number)."""

    outcome: str  # queued | off | invalid_number | opted_out | no_team
    message: str
    outbox_ids: tuple[int, ...] = ()

    @property
    def queued(self) -> bool:
        return self.outcome == "queued"


def invite_link(settings: Settings, entry_code: str, ref: Optional[str]) -> str:
    """The web link of an invitation: its team's entry point, with the referral code when there is one."""
    base = start_link(settings, entry_code)
    return f"{base}?{urlencode({'ref': ref})}" if ref else base


async def queue_invitation(
    session: AsyncSession,
    settings: Settings,
    vault: Optional[PhoneVault],
    phone: str,
    ref: Optional[str],
    actor: str,
    source: str,
    team: Optional[str] = None,
) -> Invitation:
    """Put an invitation from `team` (a code; the default team when None) in the outbox, audited either way.

    The text names the team and links to its entry point; a reply by text starts there too.
    """
    if not settings.sms_enabled or vault is None:
        return Invitation("off", "The SMS channel is off: set WM_SMS_PROVIDER (and its settings) in .env.")
    try:
        number = normalise_e164(phone)
    except InvalidNumber:
        return Invitation("invalid_number", "That is not a phone number we can text.")
    contact = await store.contact_for(session, vault, number)
    if contact.opted_out:
        await audit.record(
            session,
            actor,
            "sms.invite_refused",
            source=source,
            detail={"conversation": contact.sender_id, "reason": "opted out"},
        )
        return Invitation("opted_out", "Not sent: this number has opted out of texts (STOP).")
    try:
        sender, entry = await team_store.invitation_entry(session, actor, team, source)
    except DomainError as error:  # no such team, or none named and no default team
        return Invitation("no_team", error.message)
    await store.set_entry(session, contact.id, entry.code)
    key = f"invite:{uuid.uuid4().hex}"
    body = invite_text(sender.name, invite_link(settings, entry.code, ref))
    await store.enqueue(session, vault, contact.id, key, split_for_sms(body, settings.sms_max_segments), kind="invite")
    ids = await store.ids_by_key_prefix(session, key)
    await audit.record(
        session,
        actor,
        "sms.invite",
        source=source,
        detail={"conversation": contact.sender_id, "ref": ref, "team": sender.code, "entry_point": entry.code},
    )
    return Invitation("queued", "Invitation queued.", tuple(ids))
