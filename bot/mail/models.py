"""The e-mail outbox (declared on bot.db.models.Base): every e-mail we send, with the bookkeeping
every outbox shares (bot.outbox), and the addresses that asked for no more e-mail.

The address and the body (the person's name and live link) are personal data: they are blanked as
soon as the e-mail is sent, given up or cancelled, the row itself is purged after RETAIN_SMS_DAYS,
and neither is ever logged. The address's digest stays with the row, so erasing a person finds it.
"""

from __future__ import annotations

from sqlalchemy import Column, DateTime, Index, Integer, String, Text

from bot import outbox
from bot.db.models import Base, utcnow


class MailStatus:
    PENDING = outbox.PENDING
    SENDING = outbox.SENDING
    SENT = outbox.SENT
    FAILED = outbox.FAILED
    CANCELLED = "cancelled"  # the address opted out before it went
    OPEN = (PENDING, SENDING)


class MailOutbox(Base):
    __tablename__ = "mail_outbox"
    __table_args__ = (Index("ix_mail_outbox_due", "status", "next_attempt_at"),)

    id = Column(Integer, primary_key=True)
    dedupe_key = Column(String(128), nullable=False, unique=True)
    kind = Column(String(16), nullable=False)
    to_address = Column(String(320), nullable=False)
    address_hash = Column(String(64), nullable=False, index=True)
    subject = Column(String(200), nullable=False)
    body = Column(Text, nullable=False)
    status = Column(String(16), nullable=False, default=MailStatus.PENDING)
    attempts = Column(Integer, nullable=False, default=0)
    next_attempt_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)
    claimed_until = Column(DateTime(timezone=True), nullable=True)
    last_error = Column(String(255), nullable=True)
    created_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)
    updated_at = Column(DateTime(timezone=True), nullable=False, default=utcnow, onupdate=utcnow)
    sent_at = Column(DateTime(timezone=True), nullable=True)


class MailOptOut(Base):
    """An address that asked for no more e-mail (by the link in every e-mail): kept as a digest only."""

    __tablename__ = "mail_optouts"

    id = Column(Integer, primary_key=True)
    address_hash = Column(String(64), nullable=False, unique=True)
    created_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)
