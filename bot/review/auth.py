"""Staff accounts: passwords, sign-in with throttling and lock-out, sessions, API tokens.

Plain async functions over an AsyncSession, so the web app, the command line
and the tests share them. Every sign-in, failure, lock and sign-out is audited
(bot.queue.audit). Secrets that reach a browser or a script (session cookies, API
tokens) are random, shown once and kept only as SHA-256 digests.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Optional, Sequence

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import aware, utcnow
from bot.queue import audit
from bot.review.models import ApiToken, Role, StaffSession, StaffUser
from bot.teams import store as team_store

HASHER = PasswordHasher(type=Type.ID)  # argon2id with the library's recommended cost
MIN_PASSWORD_LENGTH = 12

FREE_ATTEMPTS = 3  # failures before each further attempt must wait
LOCK_AFTER = 6  # failures in a row that lock the account
LOCK_FOR = timedelta(minutes=15)
SECOND_FACTOR_ROLES = (Role.ADMIN,)
"""Roles that sign in with a password and an authenticator's code (`whatmatters user totp EMAIL`)."""
API_TOKEN_PREFIX = "wm_"

# Checked when the e-mail is unknown, so an unknown account costs the same time as a known one.
_DUMMY_HASH = HASHER.hash(secrets.token_urlsafe(16))


class AccountError(ValueError):
    """A user cannot be created as asked (bad e-mail, weak password, already exists)."""


@dataclass(frozen=True)
class Staff:
    """The signed-in person, as handlers see them."""

    id: int
    email: str
    role: str
    teams: Optional[frozenset[int]] = frozenset()
    """The teams whose intakes this person may see; None for every team (admins, the system).
    Read when a session or token is resumed (`with_teams`); a Staff made elsewhere sees nothing."""

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN

    @property
    def is_manager(self) -> bool:
        return self.role == Role.MANAGER

    @property
    def sees_people(self) -> bool:
        """Whether this person may see anyone's intake: a manager sees their teams' figures, never a person."""
        return not self.is_manager

    @property
    def sees_every_team(self) -> bool:
        return self.teams is None or self.is_admin

    def in_team(self, team_id: Optional[int]) -> bool:
        """One of this person's teams (every team for an admin or the system)."""
        return self.sees_every_team or (team_id is not None and team_id in (self.teams or ()))

    def may_see(self, team_id: Optional[int]) -> bool:
        """Whether this person may see an intake of this team (never, for a manager)."""
        return self.sees_people and self.in_team(team_id)

    @classmethod
    def system(cls, name: str) -> "Staff":
        """The system itself, or whoever runs it from the server (the command line): sees every team."""
        return cls(id=0, email=name, role=Role.ADMIN, teams=None)


@dataclass(frozen=True)
class SignIn:
    """The result of a sign-in attempt. `user` is set only on success."""

    user: Optional[Staff]
    reason: str = ""  # "", "invalid", "slow_down", "locked", "no_second_factor"
    retry_after: int = 0  # seconds
    second_factor: bool = False  # the password was right; the session waits for the authenticator's code


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def normalise_email(email: str) -> str:
    return email.strip().lower()


def generate_password() -> str:
    """A random password for a new account, printed once by the command line."""
    return secrets.token_urlsafe(15)


def check_strength(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(f"the password must have at least {MIN_PASSWORD_LENGTH} characters")


def hash_password(password: str) -> str:
    return HASHER.hash(password)


def check_password(password_hash: str, password: str) -> bool:
    try:
        return HASHER.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def _staff(user: StaffUser) -> Staff:
    return Staff(id=user.id, email=user.email, role=user.role)


async def with_teams(session: AsyncSession, staff: Staff) -> Staff:
    """The person with the teams they may see filled in (admins: every team)."""
    return replace(staff, teams=await team_store.visible_team_ids(session, staff.id, staff.role))


async def create_user(
    session: AsyncSession,
    email: str,
    role: str,
    password: str,
    actor: str = "system",
    teams: Optional[Sequence[str]] = None,
) -> Staff:
    """A new account; a link worker joins `teams` (codes), or the default team when none are named; a manager
    joins `teams`, and must be given at least one (whose figures they see: none by default)."""
    email = normalise_email(email)
    if role not in Role.ALL:
        raise AccountError(f"role must be one of: {', '.join(Role.ALL)}")
    if role == Role.MANAGER and not teams:
        raise AccountError("a manager sees the figures of the teams they are in: name at least one with --team")
    if "@" not in email or len(email) > 255 or email.startswith("@") or email.endswith("@"):
        raise AccountError(f"not an e-mail address: {email!r}")
    check_strength(password)
    if await find_user(session, email) is not None:
        raise AccountError(f"there is already an account for {email}")
    user = StaffUser(
        email=email,
        role=role,
        password_hash=hash_password(password),
        active=True,
        failed_attempts=0,
        created_at=utcnow(),
    )
    session.add(user)
    await session.flush()
    where = "cli" if actor.startswith("cli:") else None
    await audit.record(session, actor, "user.create", source=where, detail={"email": email, "role": role})
    if role in (Role.LINK_WORKER, Role.MANAGER):
        await team_store.join_on_creation(session, actor, email, teams, where)
    return _staff(user)


async def find_user(session: AsyncSession, email: str) -> Optional[StaffUser]:
    result = await session.execute(select(StaffUser).where(StaffUser.email == normalise_email(email)))
    return result.scalar_one_or_none()


async def list_users(session: AsyncSession) -> list[Staff]:
    result = await session.execute(select(StaffUser).where(StaffUser.active.is_(True)).order_by(StaffUser.email))
    return [_staff(u) for u in result.scalars()]


def backoff_seconds(failures: int) -> int:
    """How long to wait after `failures` failures in a row: nothing at first, then 2, 4, 8... seconds."""
    if failures < FREE_ATTEMPTS:
        return 0
    return min(2 ** (failures - FREE_ATTEMPTS + 1), 60)


async def sign_in(
    session: AsyncSession, email: str, password: str, source: Optional[str] = None, now: Optional[datetime] = None
) -> SignIn:
    """Check a password, slowing repeated failures down and then locking the account for a while."""
    now = now or utcnow()
    email = normalise_email(email)[:255]
    user = await find_user(session, email)
    if user is None or not user.active:
        check_password(_DUMMY_HASH, password)
        await audit.record(
            session, email or "(blank)", "auth.sign_in_failed", source=source, detail={"reason": "unknown account"}
        )
        return SignIn(None, "invalid")
    locked_until = aware(user.locked_until)
    if locked_until and locked_until > now:
        await audit.record(session, email, "auth.sign_in_refused", source=source, detail={"reason": "locked"})
        return SignIn(None, "locked", int((locked_until - now).total_seconds()) + 1)
    wait = backoff_seconds(user.failed_attempts)
    last_failed = aware(user.last_failed_at)
    if wait and last_failed and last_failed + timedelta(seconds=wait) > now:
        await audit.record(session, email, "auth.sign_in_refused", source=source, detail={"reason": "too fast"})
        return SignIn(None, "slow_down", int((last_failed + timedelta(seconds=wait) - now).total_seconds()) + 1)
    if not check_password(user.password_hash, password):
        failures = user.failed_attempts + 1
        values = {"failed_attempts": failures, "last_failed_at": now}
        await audit.record(
            session,
            email,
            "auth.sign_in_failed",
            source=source,
            detail={"reason": "wrong password", "failures": failures},
        )
        if failures >= LOCK_AFTER:
            values.update(locked_until=now + LOCK_FOR, failed_attempts=0)
            await audit.record(
                session, email, "auth.locked", source=source, detail={"minutes": int(LOCK_FOR.total_seconds() // 60)}
            )
        await session.execute(update(StaffUser).where(StaffUser.id == user.id).values(**values))
        if failures >= LOCK_AFTER:
            return SignIn(None, "locked", int(LOCK_FOR.total_seconds()))
        return SignIn(None, "invalid")
    if user.role in SECOND_FACTOR_ROLES and not user.totp_secret:
        await audit.record(session, email, "auth.sign_in_refused", source=source, detail={"reason": "no second factor"})
        return SignIn(None, "no_second_factor")
    values = {"failed_attempts": 0, "last_failed_at": None, "locked_until": None, "last_sign_in_at": now}
    if HASHER.check_needs_rehash(user.password_hash):
        values["password_hash"] = hash_password(password)
    await session.execute(update(StaffUser).where(StaffUser.id == user.id).values(**values))
    await audit.record(
        session, email, "auth.sign_in" if not user.totp_secret else "auth.password_checked", source=source
    )
    return SignIn(_staff(user), second_factor=bool(user.totp_secret))


async def start_session(
    session: AsyncSession, user: Staff, source: Optional[str] = None, second_factor_pending: bool = False
) -> tuple[str, str]:
    """A new session for a signed-in user: returns (cookie value, CSRF token). A session waiting for
    the second factor opens nothing but the page that asks for the code."""
    token = secrets.token_urlsafe(32)
    csrf = secrets.token_urlsafe(32)
    now = utcnow()
    session.add(
        StaffSession(
            token_hash=digest(token),
            user_id=user.id,
            csrf_token=csrf,
            created_at=now,
            last_seen_at=now,
            source=(source or "")[:255],
            second_factor_pending=second_factor_pending,
        )
    )
    await session.flush()
    return token, csrf


@dataclass(frozen=True)
class ActiveSession:
    user: Staff
    csrf_token: str
    session_id: int
    second_factor_pending: bool = False


async def resume_session(
    session: AsyncSession, token: str, idle: timedelta, now: Optional[datetime] = None
) -> tuple[Optional[ActiveSession], bool]:
    """The session behind a cookie, kept alive; (None, True) when it existed but had been idle too long."""
    now = now or utcnow()
    if not token:
        return None, False
    result = await session.execute(
        select(StaffSession, StaffUser)
        .join(StaffUser, StaffUser.id == StaffSession.user_id)
        .where(StaffSession.token_hash == digest(token))
    )
    row = result.first()
    if row is None:
        return None, False
    record, user = row
    if not user.active or aware(record.last_seen_at) + idle < now:
        await session.execute(delete(StaffSession).where(StaffSession.id == record.id))
        await audit.record(session, user.email, "auth.session_expired", detail={"reason": "idle timeout"})
        return None, True
    # Write at most once a minute: every page would otherwise be a write.
    if aware(record.last_seen_at) + timedelta(seconds=60) < now:
        await session.execute(update(StaffSession).where(StaffSession.id == record.id).values(last_seen_at=now))
    return ActiveSession(
        await with_teams(session, _staff(user)), record.csrf_token, record.id, bool(record.second_factor_pending)
    ), False


async def end_session(session: AsyncSession, token: str, source: Optional[str] = None) -> None:
    result = await session.execute(
        select(StaffSession, StaffUser)
        .join(StaffUser, StaffUser.id == StaffSession.user_id)
        .where(StaffSession.token_hash == digest(token))
    )
    row = result.first()
    if row is None:
        return
    await session.execute(delete(StaffSession).where(StaffSession.id == row[0].id))
    await audit.record(session, row[1].email, "auth.sign_out", source=source)


async def create_api_token(session: AsyncSession, email: str, name: Optional[str] = None, actor: str = "system") -> str:
    """A new bearer token for a user's scripts; the token itself is returned once and never stored."""
    user = await find_user(session, email)
    if user is None or not user.active:
        raise AccountError(f"no active account for {normalise_email(email)}")
    token = API_TOKEN_PREFIX + secrets.token_urlsafe(32)
    session.add(
        ApiToken(
            token_hash=digest(token),
            user_id=user.id,
            name=(name or "")[:100] or None,
            created_at=utcnow(),
            revoked=False,
        )
    )
    await session.flush()
    await audit.record(
        session,
        actor,
        "token.create",
        source="cli" if actor.startswith("cli:") else None,
        detail={"user": user.email, "name": name},
    )
    return token


async def user_for_token(session: AsyncSession, token: str) -> Optional[Staff]:
    if not token.startswith(API_TOKEN_PREFIX):
        return None
    result = await session.execute(
        select(ApiToken, StaffUser)
        .join(StaffUser, StaffUser.id == ApiToken.user_id)
        .where(ApiToken.token_hash == digest(token), ApiToken.revoked.is_(False), StaffUser.active.is_(True))
    )
    row = result.first()
    if row is None:
        return None
    await session.execute(update(ApiToken).where(ApiToken.id == row[0].id).values(last_used_at=utcnow()))
    return await with_teams(session, _staff(row[1]))


async def end_all_sessions(session: AsyncSession, user_id: int) -> int:
    result = await session.execute(delete(StaffSession).where(StaffSession.user_id == user_id))
    return int(result.rowcount or 0)


async def _user_or_error(session: AsyncSession, email: str) -> StaffUser:
    user = await find_user(session, normalise_email(email))
    if user is None:
        raise AccountError(f"no account {email!r}")
    return user


async def change_password(session: AsyncSession, email: str, password: str, actor: str = "system") -> int:
    """Set a new password and end every session of the account (returns how many)."""
    user = await _user_or_error(session, email)
    check_strength(password)
    await session.execute(
        update(StaffUser).where(StaffUser.id == user.id).values(password_hash=hash_password(password))
    )
    ended = await end_all_sessions(session, user.id)
    await audit.record(session, actor, "auth.password_changed", detail={"account": user.email, "sessions_ended": ended})
    return ended


async def set_active(session: AsyncSession, email: str, active: bool, actor: str = "system") -> int:
    """Enable or disable an account; disabling ends its sessions at once (returns how many)."""
    user = await _user_or_error(session, email)
    await session.execute(update(StaffUser).where(StaffUser.id == user.id).values(active=active))
    ended = 0 if active else await end_all_sessions(session, user.id)
    action = "auth.account_enabled" if active else "auth.account_disabled"
    await audit.record(session, actor, action, detail={"account": user.email, "sessions_ended": ended})
    return ended
