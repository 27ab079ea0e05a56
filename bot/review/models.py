"""Tables of the review app (declared on bot.db.models.Base).

Staff accounts, their signed-in sessions, API tokens and the private notes
link workers keep on an intake. Secrets (session cookies, API tokens) are
stored only as SHA-256 digests; passwords only as argon2id hashes.
"""

from __future__ import annotations

from sqlalchemy import Boolean, CheckConstraint, Column, DateTime, ForeignKey, Integer, String, Text

from bot.db.models import Base, utcnow


class Role:
    LINK_WORKER = "linkworker"
    ADMIN = "admin"
    # A service manager: sees the outcomes dashboard of their teams, never a person's intake.
    MANAGER = "manager"
    ALL = (LINK_WORKER, ADMIN, MANAGER)
    NAMES = {LINK_WORKER: "Link worker", ADMIN: "Admin", MANAGER: "Manager"}


class StaffUser(Base):
    __tablename__ = "staff_users"
    __table_args__ = (CheckConstraint("role IN ('linkworker', 'admin', 'manager')", name="ck_staff_role"),)

    id = Column(Integer, primary_key=True)
    email = Column(String(255), nullable=False, unique=True)
    role = Column(String(16), nullable=False)
    password_hash = Column(String(255), nullable=False)
    active = Column(Boolean, nullable=False, default=True)
    failed_attempts = Column(Integer, nullable=False, default=0)
    last_failed_at = Column(DateTime(timezone=True), nullable=True)
    locked_until = Column(DateTime(timezone=True), nullable=True)
    created_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)
    last_sign_in_at = Column(DateTime(timezone=True), nullable=True)
    # The shared secret of the authenticator app (RFC 6238); required for admins.
    totp_secret = Column(String(64), nullable=True)


class StaffSession(Base):
    __tablename__ = "staff_sessions"

    id = Column(Integer, primary_key=True)
    token_hash = Column(String(64), nullable=False, unique=True)
    user_id = Column(Integer, ForeignKey("staff_users.id", ondelete="CASCADE"), nullable=False, index=True)
    csrf_token = Column(String(64), nullable=False)
    created_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)
    last_seen_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)
    source = Column(String(255), nullable=True)
    # The password was right; the session opens only when the authenticator's code is too.
    second_factor_pending = Column(Boolean, nullable=False, default=False)


class ApiToken(Base):
    __tablename__ = "api_tokens"

    id = Column(Integer, primary_key=True)
    token_hash = Column(String(64), nullable=False, unique=True)
    user_id = Column(Integer, ForeignKey("staff_users.id", ondelete="CASCADE"), nullable=False, index=True)
    name = Column(String(100), nullable=True)
    created_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)
    last_used_at = Column(DateTime(timezone=True), nullable=True)
    revoked = Column(Boolean, nullable=False, default=False)


class IntakeNote(Base):
    """A link worker's private note on an intake: never shown to the patient."""

    __tablename__ = "intake_notes"

    id = Column(Integer, primary_key=True)
    intake_id = Column(Integer, ForeignKey("intakes.id", ondelete="CASCADE"), nullable=False, index=True)
    author = Column(String(255), nullable=False)
    body = Column(Text, nullable=False)
    created_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)
