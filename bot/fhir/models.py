"""The FHIR push outbox: one row per submitted intake to send to the FHIR endpoint set in `.env`.

The row holds no patient data: the Bundle is built from the intake when it is sent,
so an erasure (which cascades here) leaves nothing behind, and a retry sends what
the record says at that moment.
"""

from __future__ import annotations

from sqlalchemy import Column, DateTime, ForeignKey, Integer, String

from bot import outbox
from bot.db.models import Base, utcnow


class PushStatus:
    PENDING = outbox.PENDING
    SENDING = outbox.SENDING
    SENT = outbox.SENT
    FAILED = outbox.FAILED  # given up: staff must act (whatmatters fhir status, the intake page)
    OPEN = (PENDING, SENDING)


class FhirPush(Base):
    __tablename__ = "fhir_outbox"

    id = Column(Integer, primary_key=True)
    intake_id = Column(Integer, ForeignKey("intakes.id", ondelete="CASCADE"), nullable=False, unique=True)
    status = Column(String(16), nullable=False, default=PushStatus.PENDING, index=True)
    attempts = Column(Integer, nullable=False, default=0)
    next_attempt_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)
    claimed_until = Column(DateTime(timezone=True), nullable=True)
    last_error = Column(String(255), nullable=True)
    location = Column(String(255), nullable=True)  # where the server put the ServiceRequest
    created_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)
    updated_at = Column(DateTime(timezone=True), nullable=False, default=utcnow, onupdate=utcnow)
    sent_at = Column(DateTime(timezone=True), nullable=True)
