"""The app's tables (SQLAlchemy 2.0-style declarations on the 1.4 line that Rasa pins).

An intake is one patient's conversation. Answers are saved as they are given;
the summary and the queue item are written together on confirmation. Unique
keys, not check-then-insert, keep a retried or duplicated delivery from making
a second answer, flag or queue item.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any, Optional, overload

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import declarative_base, relationship

Base: Any = declarative_base()  # typed as Any: SQLAlchemy 1.4 declares its models without a mypy plugin


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


@overload
def aware(moment: datetime) -> datetime: ...
@overload
def aware(moment: None) -> None: ...
@overload
def aware(moment: Optional[datetime]) -> Optional[datetime]: ...
def aware(moment: Optional[datetime]) -> Optional[datetime]:
    """SQLite hands datetimes back without their zone; every time we store is UTC."""
    if moment is not None and moment.tzinfo is None:
        return moment.replace(tzinfo=timezone.utc)
    return moment


class IntakeStatus:
    IN_PROGRESS = "in_progress"
    PAUSED = "paused"
    DECLINED = "declined"
    SUBMITTED = "submitted"


class QueueStatus:
    NEW = "new"
    CLAIMED = "claimed"
    CONTACTED = "contacted"
    CLOSED = "closed"
    ALL = (NEW, CLAIMED, CONTACTED, CLOSED)


class FlagKind:
    SAFEGUARDING = "safeguarding"
    RISK_CHECK = "risk_check"
    """A possible disclosure the bot checked with the person: a link worker looks whatever they answered."""
    WANTS_PERSON = "wants_person"


class Priority:
    """Lower sorts first on the queue."""

    URGENT = 0
    CALLBACK = 1
    ROUTINE = 2
    NAMES = {URGENT: "urgent", CALLBACK: "callback requested", ROUTINE: "routine"}


class Intake(Base):
    __tablename__ = "intakes"

    id = Column(Integer, primary_key=True)
    reference = Column(String(16), nullable=False, unique=True)
    conversation_id = Column(String(255), nullable=False, unique=True)
    channel = Column(String(32), nullable=False, default="rest")
    status = Column(String(16), nullable=False, default=IntakeStatus.IN_PROGRESS)
    consent = Column(Boolean, nullable=True)
    summary = Column(JSON, nullable=True)
    summary_text = Column(Text, nullable=True)
    created_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)
    updated_at = Column(DateTime(timezone=True), nullable=False, default=utcnow, onupdate=utcnow)
    submitted_at = Column(DateTime(timezone=True), nullable=True)
    # Who the intake belongs to (bot.teams): only that team's link workers see it. Set when the
    # conversation starts and moved when the person names their practice or says they have none.
    team_id = Column(Integer, ForeignKey("teams.id", ondelete="SET NULL"), nullable=True, index=True)
    entry_point_id = Column(Integer, ForeignKey("entry_points.id", ondelete="SET NULL"), nullable=True)
    referral_source = Column(String(16), nullable=True)

    answers = relationship("Answer", back_populates="intake", cascade="all, delete-orphan")
    flags = relationship("Flag", back_populates="intake", cascade="all, delete-orphan")
    queue_item = relationship("QueueItem", back_populates="intake", uselist=False)


class Answer(Base):
    __tablename__ = "answers"
    __table_args__ = (UniqueConstraint("intake_id", "question_key", name="uq_answer_question"),)

    id = Column(Integer, primary_key=True)
    intake_id = Column(Integer, ForeignKey("intakes.id", ondelete="CASCADE"), nullable=False)
    section = Column(String(32), nullable=False)
    question_key = Column(String(64), nullable=False)
    value = Column(JSON, nullable=True)
    verbatim = Column(Text, nullable=True)
    status = Column(String(16), nullable=False, default="answered")
    answered_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)

    intake = relationship("Intake", back_populates="answers")


class WellbeingScore(Base):
    """ONS4 personal wellbeing: four separate 0-10 measures, never summed."""

    __tablename__ = "wellbeing_scores"
    __table_args__ = (
        UniqueConstraint("intake_id", "measure", name="uq_wellbeing_measure"),
        CheckConstraint("score >= 0 AND score <= 10", name="ck_wellbeing_range"),
    )

    id = Column(Integer, primary_key=True)
    intake_id = Column(Integer, ForeignKey("intakes.id", ondelete="CASCADE"), nullable=False)
    measure = Column(String(32), nullable=False)
    score = Column(Integer, nullable=False)
    recorded_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)


class Flag(Base):
    """Something a person must see: a safeguarding disclosure, a request for a person."""

    __tablename__ = "flags"
    __table_args__ = (UniqueConstraint("intake_id", "kind", "dedupe_key", name="uq_flag_once"),)

    id = Column(Integer, primary_key=True)
    intake_id = Column(Integer, ForeignKey("intakes.id", ondelete="CASCADE"), nullable=False)
    kind = Column(String(32), nullable=False)
    category = Column(String(32), nullable=True)
    message = Column(Text, nullable=True)
    dedupe_key = Column(String(64), nullable=False)
    created_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)

    intake = relationship("Intake", back_populates="flags")


class QueueItem(Base):
    __tablename__ = "queue_items"
    __table_args__ = (Index("ix_queue_order", "status", "priority", "created_at"),)

    id = Column(Integer, primary_key=True)
    intake_id = Column(Integer, ForeignKey("intakes.id", ondelete="CASCADE"), nullable=False, unique=True)
    status = Column(String(16), nullable=False, default=QueueStatus.NEW)
    priority = Column(Integer, nullable=False, default=Priority.ROUTINE)
    assignee = Column(String(255), nullable=True)
    outcome = Column(String(64), nullable=True)
    # Recorded by the link worker on closing, for the letter back to the GP: in their words.
    offered = Column(Text, nullable=True)
    taken_up = Column(Text, nullable=True)
    created_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)
    updated_at = Column(DateTime(timezone=True), nullable=False, default=utcnow, onupdate=utcnow)
    claimed_at = Column(DateTime(timezone=True), nullable=True)
    contacted_at = Column(DateTime(timezone=True), nullable=True)
    closed_at = Column(DateTime(timezone=True), nullable=True)

    intake = relationship("Intake", back_populates="queue_item")


class AuditEvent(Base):
    """Who saw or changed what, when and from where."""

    __tablename__ = "audit_events"

    id = Column(Integer, primary_key=True)
    at = Column(DateTime(timezone=True), nullable=False, default=utcnow, index=True)
    actor = Column(String(255), nullable=False)
    action = Column(String(64), nullable=False)
    intake_id = Column(Integer, ForeignKey("intakes.id", ondelete="SET NULL"), nullable=True)
    source = Column(String(255), nullable=True)
    detail = Column(JSON, nullable=True)
