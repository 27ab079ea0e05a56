"""The tables of teams, their members and their entry points (declared on bot.db.models.Base)."""

from __future__ import annotations

from sqlalchemy import JSON, Boolean, CheckConstraint, Column, DateTime, ForeignKey, Integer, String, UniqueConstraint

from bot.db.models import Base, utcnow


class TeamKind:
    PRACTICE = "practice"
    NETWORK = "network"
    HUB = "hub"
    NAMES = {PRACTICE: "GP practice", NETWORK: "Primary care network", HUB: "Community hub"}


class ReferralSource:
    """Where a person came to us from: recorded on every intake, shown on the summary and the queue."""

    GP = "gp"
    AE = "ae"
    SELF = "self"
    COMMUNITY = "community"
    OTHER = "other"
    NAMES = {
        GP: "GP practice",
        AE: "A&E",
        SELF: "Self-referral",
        COMMUNITY: "Community organisation",
        OTHER: "Other",
    }


class Team(Base):
    __tablename__ = "teams"
    __table_args__ = (CheckConstraint("kind IN ('practice', 'network', 'hub')", name="ck_team_kind"),)

    id = Column(Integer, primary_key=True)
    code = Column(String(32), nullable=False, unique=True)
    name = Column(String(120), nullable=False)
    kind = Column(String(16), nullable=False)
    # The practices whose patients this team supports, as people name them ("Riverside Surgery").
    practices = Column(JSON, nullable=False, default=list)
    # People not registered with a GP go to the team that takes them (one at most).
    takes_unregistered = Column(Boolean, nullable=False, default=False)
    # An intake with nowhere else to go (no entry point, no practice of ours) goes here (one at most).
    is_default = Column(Boolean, nullable=False, default=False)
    created_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)


class TeamMember(Base):
    __tablename__ = "team_members"
    __table_args__ = (UniqueConstraint("team_id", "user_id", name="uq_team_member"),)

    id = Column(Integer, primary_key=True)
    team_id = Column(Integer, ForeignKey("teams.id", ondelete="CASCADE"), nullable=False, index=True)
    user_id = Column(Integer, ForeignKey("staff_users.id", ondelete="CASCADE"), nullable=False, index=True)
    created_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)


class EntryPoint(Base):
    """A place people start from: `/start/CODE` and a poster; intakes begun there go to its team."""

    __tablename__ = "entry_points"
    __table_args__ = (CheckConstraint("source IN ('gp', 'ae', 'self', 'community', 'other')", name="ck_entry_source"),)

    id = Column(Integer, primary_key=True)
    code = Column(String(16), nullable=False, unique=True)
    team_id = Column(Integer, ForeignKey("teams.id", ondelete="CASCADE"), nullable=False, index=True)
    place = Column(String(120), nullable=False)
    source = Column(String(16), nullable=False)
    active = Column(Boolean, nullable=False, default=True)
    created_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)
