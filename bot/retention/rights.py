"""A person's rights over what is held about them: a copy of all of it, and its erasure (UK GDPR
articles 15 and 17).

A person is found by an intake's reference (or number), or by their phone number
when they used the SMS channel. What is held about them is their intakes (answers
in their own words, flags, summary, queue item, notes), Rasa's record of each
conversation, their SMS contact (the number, encrypted, and the texts we sent) and
the audit trail of who saw their record. The export reuses the audited reads the
link workers' app uses; the erasure deletes across all of it in the caller's
transaction and leaves one audit event with counts only.

Erasure refuses an item still open on the queue unless told otherwise: the team
may need to act on it (a disclosure of risk), and closing it first records that.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional

import jinja2
from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import AuditEvent, Intake, QueueItem, QueueStatus, utcnow
from bot.errors import conflict, not_found
from bot.mail import store as mail_store
from bot.mail.models import MailOutbox
from bot.outcomes import followups
from bot.queue import audit, read
from bot.rasa import tracker
from bot.review.auth import Staff
from bot.sms import store as sms_store
from bot.sms.models import SmsContact
from bot.sms.phone import InvalidNumber, PhoneVault, normalise_e164

EXPORTED = "subject_access_export"
ERASED = "erased"
_TEMPLATES = jinja2.Environment(
    loader=jinja2.FileSystemLoader(str(Path(__file__).parent / "templates")),
    autoescape=jinja2.select_autoescape(default=True, default_for_string=True),
)


@dataclass
class Person:
    """Where one person's data is: their intakes, conversations and SMS contact."""

    intake_ids: list[int] = field(default_factory=list)
    conversations: list[str] = field(default_factory=list)
    contact: Optional[SmsContact] = None


async def find_person(session: AsyncSession, ident: str, vault: Optional[PhoneVault]) -> Person:
    """By reference (WM-...) or intake number, or by phone number (SMS channel configured)."""
    person = Person()
    intake_id = await read.find_intake_id(session, ident)
    if intake_id is not None:
        intake = (await session.execute(select(Intake).where(Intake.id == intake_id))).scalar_one()
        person.conversations = [intake.conversation_id]
        person.contact = await sms_store.contact_by_sender(session, intake.conversation_id)
    elif vault is not None:
        try:
            number = normalise_e164(ident)
        except InvalidNumber:
            raise not_found(
                f"nothing is held for {ident!r}: not a reference, an intake number or a phone number"
            ) from None
        digest = vault.digest(number)
        found = select(SmsContact).where(SmsContact.number_hash == digest)
        person.contact = (await session.execute(found)).scalar_one_or_none()
        person.conversations = [person.contact.sender_id] if person.contact else []
    if person.conversations:
        ids = select(Intake.id).where(Intake.conversation_id.in_(person.conversations)).order_by(Intake.id)
        person.intake_ids = list((await session.execute(ids)).scalars())
    if not person.intake_ids and person.contact is None:
        raise not_found(f"nothing is held for {ident!r}")
    return person


async def export(
    session: AsyncSession, person: Person, actor: str, vault: Optional[PhoneVault], source: str = "cli"
) -> dict[str, Any]:
    """Everything held about the person, as one document; each intake's view is audited as usual."""
    intakes = []
    viewer = Staff.system(actor)  # subject access is an admin's (or the server's) work: every team
    for intake_id in person.intake_ids:
        document = await read.intake_document(session, intake_id, viewer, source, via="subject access export")
        found = await read.transcript(session, intake_id, viewer, source)
        document["conversation"] = [
            {"who": line.who, "text": line.text, "at": line.at.isoformat() if line.at else None}
            for line in (found[1] if found else [])
        ]
        seen = await session.execute(
            select(AuditEvent).where(AuditEvent.intake_id == intake_id).order_by(AuditEvent.at)
        )
        document["seen_by"] = [
            {"who": event.actor, "what": event.action, "at": event.at.isoformat() if event.at else None}
            for event in seen.scalars()
        ]
        follow_up = await followups.view_of(session, intake_id)
        document["follow_up"] = follow_up.as_json() if follow_up else None
        intakes.append(document)
    phone = None
    if person.contact is not None:
        phone = {
            "number": vault.decrypt(person.contact.number_encrypted) if vault else "(held encrypted)",
            "opted_out": person.contact.opted_out,
            "first_contact": person.contact.created_at.isoformat() if person.contact.created_at else None,
        }
    await audit.record(session, actor, EXPORTED, source=source, detail={"intakes": len(intakes)})
    return {"generated_at": utcnow().isoformat(), "intakes": intakes, "phone": phone}


def export_html(document: dict[str, Any]) -> str:
    """The export as a page a person can read (every value escaped)."""
    return _TEMPLATES.get_template("export.html").render(document=document)


async def _email_addresses(session: AsyncSession, intake_ids: list[int]) -> set[str]:
    """The digests of the e-mail addresses the person gave in their intakes (the outbox is keyed by them)."""
    if not intake_ids:
        return set()
    summaries = await session.execute(select(Intake.summary).where(Intake.id.in_(intake_ids)))
    found = (followups.email_of(summary) for summary in summaries.scalars())
    return {mail_store.address_hash(address) for address in found if address}


async def erase(
    session: AsyncSession, person: Person, actor: str, even_if_open: bool = False, source: str = "cli"
) -> dict[str, int]:
    """Delete everything held about the person; an audit event keeps the counts, nothing else."""
    open_items = await session.execute(
        select(Intake.reference)
        .join(QueueItem, QueueItem.intake_id == Intake.id)
        .where(Intake.id.in_(person.intake_ids), QueueItem.status != QueueStatus.CLOSED)
    )
    still_open = list(open_items.scalars())
    if still_open and not even_if_open:
        raise conflict(f"{', '.join(still_open)} is still open on the queue: close it first, or erase even if open")
    counts = {
        "intakes": len(person.intake_ids),
        "conversation_events": await tracker.count_events(session, person.conversations),
        "phone_numbers": int(person.contact is not None),
    }
    addresses = await _email_addresses(session, person.intake_ids)
    counts["emails"] = len(addresses)
    if addresses:  # e-mails sent or waiting: their rows hold the address and the words
        await session.execute(delete(MailOutbox).where(MailOutbox.address_hash.in_(addresses)))
    if person.intake_ids:  # answers, scores, flags, queue items, notes, follow-ups: ON DELETE CASCADE
        await session.execute(delete(Intake).where(Intake.id.in_(person.intake_ids)))
    await tracker.delete_conversations(session, person.conversations)
    if person.contact is not None:  # its outbox and inbound rows: ON DELETE CASCADE
        await session.execute(delete(SmsContact).where(SmsContact.id == person.contact.id))
    await audit.record(session, actor, ERASED, source=source, detail=counts)
    return counts
