"""Tables of the follow-up (declared on bot.db.models.Base).

- followups: one per intake at most. Scheduled when a link worker closes the item as
  supported; sent when due (by text or e-mail, as the person chose); answered by text or
  through a personal web link, or recorded by a link worker from a phone call (channel "phone"). The link's token is stored only as a SHA-256 digest, and so
  is the cookie that binds the link to the browser that first opened it (single use).
- followup_answers: the person's answers, one row per question, written as they are given
  (a unique key keeps a redelivered text from writing twice).
"""

from __future__ import annotations

from sqlalchemy import JSON, Column, DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint

from bot.db.models import Base, utcnow


class FollowUpStatus:
    SCHEDULED = "scheduled"  # waiting for its date
    SENT = "sent"  # the invitation went (or is in an outbox): waiting for the person
    ANSWERING = "answering"  # the person has begun
    ANSWERED = "answered"  # every question answered or skipped
    DECLINED = "declined"  # the person said no (STOP, the web link's "no thanks", the link worker)
    CANCELLED = "cancelled"  # nothing to send it by, or the item was reopened
    OPEN = (SENT, ANSWERING)
    NAMES = {
        SCHEDULED: "Scheduled",
        SENT: "Sent, waiting for an answer",
        ANSWERING: "Being answered",
        ANSWERED: "Answered",
        DECLINED: "Declined",
        CANCELLED: "Cancelled",
    }


class FollowUpChannel:
    SMS = "sms"
    EMAIL = "email"
    PHONE = "phone"  # answers a link worker heard on the phone and recorded (bot.outcomes.by_phone)
    NAMES = {SMS: "Text message", EMAIL: "E-mail", PHONE: "Phone call"}


class FollowUp(Base):
    __tablename__ = "followups"
    __table_args__ = (Index("ix_followups_due", "status", "due_at"),)

    id = Column(Integer, primary_key=True)
    intake_id = Column(Integer, ForeignKey("intakes.id", ondelete="CASCADE"), nullable=False, unique=True)
    status = Column(String(16), nullable=False, default=FollowUpStatus.SCHEDULED)
    channel = Column(String(8), nullable=False)
    # The SMS conversation it is answered in (texts), when the channel is sms.
    sms_sender_id = Column(String(64), nullable=True, index=True)
    due_at = Column(DateTime(timezone=True), nullable=False)
    token_hash = Column(String(64), nullable=True, unique=True)
    browser_hash = Column(String(64), nullable=True)
    # Where the conversation is: the next question, a pending check, tries at the current question.
    state = Column(JSON, nullable=True)
    scheduled_by = Column(String(255), nullable=False)
    created_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)
    updated_at = Column(DateTime(timezone=True), nullable=False, default=utcnow, onupdate=utcnow)
    sent_at = Column(DateTime(timezone=True), nullable=True)
    # The one reminder, FOLLOWUP_REMINDER_DAYS after sending, when nothing has been answered yet.
    reminded_at = Column(DateTime(timezone=True), nullable=True)
    started_at = Column(DateTime(timezone=True), nullable=True)
    answered_at = Column(DateTime(timezone=True), nullable=True)
    closed_reason = Column(String(64), nullable=True)


class FollowUpAnswer(Base):
    __tablename__ = "followup_answers"
    __table_args__ = (UniqueConstraint("followup_id", "question_key", name="uq_followup_answer"),)

    id = Column(Integer, primary_key=True)
    followup_id = Column(Integer, ForeignKey("followups.id", ondelete="CASCADE"), nullable=False, index=True)
    question_key = Column(String(32), nullable=False)
    value = Column(JSON, nullable=True)
    verbatim = Column(Text, nullable=True)
    status = Column(String(16), nullable=False, default="answered")
    answered_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)
