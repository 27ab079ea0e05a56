"""The directory's tables (declared on bot.db.models.Base).

A service is kept once per (source, source_id): a re-sync updates it in place, and a service gone
from its source becomes inactive, never deleted, because a link worker's decision on an intake may
refer to it. `record` is the ORUK service as the source published it (schema-checked);
`features` is what matching reads, derived from it at sync time so a match never re-parses JSON.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Column,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)

from bot.db.models import Base, utcnow


class DirectoryService(Base):
    __tablename__ = "directory_services"
    __table_args__ = (UniqueConstraint("source", "source_id", name="uq_directory_service_source"),)

    id = Column(Integer, primary_key=True)
    source = Column(String(255), nullable=False, index=True)
    source_id = Column(String(255), nullable=False)
    name = Column(String(500), nullable=False)
    organisation = Column(String(500), nullable=True)
    status = Column(String(32), nullable=False)
    active = Column(Boolean, nullable=False, default=True, index=True)
    record = Column(JSON, nullable=False)
    features = Column(JSON, nullable=False)
    digest = Column(String(64), nullable=False)
    first_seen_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)
    synced_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)
    changed_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)


class DirectorySync(Base):
    """One sync of one source: what it found, for the operator and the directory page."""

    __tablename__ = "directory_syncs"

    id = Column(Integer, primary_key=True)
    source = Column(String(255), nullable=False, index=True)
    started_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)
    finished_at = Column(DateTime(timezone=True), nullable=True)
    ok = Column(Boolean, nullable=False, default=False)
    seen = Column(Integer, nullable=False, default=0)
    added = Column(Integer, nullable=False, default=0)
    updated = Column(Integer, nullable=False, default=0)
    unchanged = Column(Integer, nullable=False, default=0)
    deactivated = Column(Integer, nullable=False, default=0)
    skipped = Column(Integer, nullable=False, default=0)
    # Each skipped record's id and the schema paths that failed (never the record's text).
    problems = Column(JSON, nullable=False, default=list)
    error = Column(Text, nullable=True)


class OfferStatus:
    SUGGESTED = "suggested"
    TAKEN_UP = "taken_up"
    NOT_SUITABLE = "not_suitable"
    ALL = (SUGGESTED, TAKEN_UP, NOT_SUITABLE)
    NAMES = {SUGGESTED: "Suggested to the person", TAKEN_UP: "Taken up", NOT_SUITABLE: "Not suitable"}


class OfferDecision(Base):
    """What the link worker decided about one offer for one intake: the latest word; history is in the audit."""

    __tablename__ = "offer_decisions"
    __table_args__ = (
        UniqueConstraint("intake_id", "service_id", name="uq_offer_decision"),
        CheckConstraint("status IN ('suggested', 'taken_up', 'not_suitable')", name="ck_offer_status"),
    )

    id = Column(Integer, primary_key=True)
    intake_id = Column(Integer, ForeignKey("intakes.id", ondelete="CASCADE"), nullable=False, index=True)
    service_id = Column(Integer, ForeignKey("directory_services.id", ondelete="RESTRICT"), nullable=False)
    status = Column(String(16), nullable=False)
    decided_by = Column(String(255), nullable=False)
    decided_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)
