"""Tables of the SMS channel (declared on bot.db.models.Base).

- sms_contacts: one row per phone number: its keyed hash (lookup), the number encrypted, the
  Rasa sender id, the opt-out state, and the options of the last question (to read "1" back).
- sms_inbound: one row per provider message id, so a redelivered message is handled once.
  It holds no message text.
- sms_outbox: every text we send, encrypted, with a unique key per bot reply part so a retry
  never makes a second text; a sender claims rows with a conditional UPDATE and retries with
  exponential backoff.
"""

from __future__ import annotations

from sqlalchemy import JSON, Boolean, Column, DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint

from bot import outbox
from bot.db.models import Base, utcnow


class OutboxStatus:
    PENDING = outbox.PENDING
    SENDING = outbox.SENDING
    SENT = outbox.SENT
    FAILED = outbox.FAILED
    CANCELLED = "cancelled"  # the number opted out before it went
    OPEN = (PENDING, SENDING)


class SmsContact(Base):
    __tablename__ = "sms_contacts"

    id = Column(Integer, primary_key=True)
    number_hash = Column(String(64), nullable=False, unique=True)
    number_encrypted = Column(Text, nullable=False)
    sender_id = Column(String(64), nullable=False, unique=True)
    opted_out = Column(Boolean, nullable=False, default=False)
    opted_out_at = Column(DateTime(timezone=True), nullable=True)
    opted_in_at = Column(DateTime(timezone=True), nullable=True)
    options = Column(JSON, nullable=True)
    # The entry point of the last invitation texted to this number: a conversation by text starts there
    # (its team, "invited"), as the web link in the same text does.
    entry_code = Column(String(16), nullable=True)
    created_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)
    updated_at = Column(DateTime(timezone=True), nullable=False, default=utcnow, onupdate=utcnow)


class SmsInbound(Base):
    __tablename__ = "sms_inbound"
    __table_args__ = (UniqueConstraint("provider", "provider_message_id", name="uq_sms_inbound_once"),)

    id = Column(Integer, primary_key=True)
    provider = Column(String(16), nullable=False)
    provider_message_id = Column(String(128), nullable=False)
    contact_id = Column(Integer, ForeignKey("sms_contacts.id", ondelete="CASCADE"), nullable=False)
    keyword = Column(String(16), nullable=True)
    status = Column(String(16), nullable=False, default="received")
    received_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)
    handled_at = Column(DateTime(timezone=True), nullable=True)


class SmsOutbox(Base):
    __tablename__ = "sms_outbox"
    __table_args__ = (Index("ix_sms_outbox_due", "status", "next_attempt_at"),)

    id = Column(Integer, primary_key=True)
    dedupe_key = Column(String(128), nullable=False, unique=True)
    contact_id = Column(Integer, ForeignKey("sms_contacts.id", ondelete="CASCADE"), nullable=False, index=True)
    kind = Column(String(16), nullable=False, default="reply")
    body_encrypted = Column(Text, nullable=False)
    segments = Column(Integer, nullable=False, default=1)
    status = Column(String(16), nullable=False, default=OutboxStatus.PENDING)
    attempts = Column(Integer, nullable=False, default=0)
    next_attempt_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)
    claimed_until = Column(DateTime(timezone=True), nullable=True)
    last_error = Column(String(255), nullable=True)
    provider = Column(String(16), nullable=True)
    provider_message_id = Column(String(128), nullable=True)
    created_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)
    updated_at = Column(DateTime(timezone=True), nullable=False, default=utcnow, onupdate=utcnow)
    sent_at = Column(DateTime(timezone=True), nullable=True)
