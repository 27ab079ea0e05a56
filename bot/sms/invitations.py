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

from bot.queue import audit
from bot.settings import Settings
from bot.sms import store
from bot.sms.phone import InvalidNumber, PhoneVault, normalise_e164
from bot.sms.text import invite_text, split_for_sms


@dataclass(frozen=True)
class Invitation:
    """What happened: `queued` with the outbox rows to deliver, or why not (never the number)."""

    outcome: str  # queued | off | invalid_number | opted_out
    message: str
    outbox_ids: tuple[int, ...] = ()

    @property
    def queued(self) -> bool:
        return self.outcome == "queued"


def invite_link(settings: Settings, ref: Optional[str]) -> str:
    base = settings.sms_invite_url or f"http://{settings.web_host}:{settings.web_port}/"
    return f"{base}{'&' if '?' in base else '?'}{urlencode({'ref': ref})}" if ref else base


async def queue_invitation(
    session: AsyncSession,
    settings: Settings,
    vault: Optional[PhoneVault],
    phone: str,
    ref: Optional[str],
    actor: str,
    source: str,
) -> Invitation:
    """Put an invitation in the outbox (inside the caller's transaction), audited either way."""
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
    key = f"invite:{uuid.uuid4().hex}"
    body = invite_text(settings.sms_team_name, invite_link(settings, ref))
    await store.enqueue(session, vault, contact.id, key, split_for_sms(body, settings.sms_max_segments), kind="invite")
    ids = await store.ids_by_key_prefix(session, key)
    await audit.record(
        session, actor, "sms.invite", source=source, detail={"conversation": contact.sender_id, "ref": ref}
    )
    return Invitation("queued", "Invitation queued.", tuple(ids))
