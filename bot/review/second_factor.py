"""The staff second factor: time-based one-time codes (RFC 6238) from an authenticator app.

An admin signs in with a password and then the six-digit code their app shows.
The secret is made by `whatmatters user totp EMAIL`, which prints it and an
`otpauth://` link to type or paste into the app; until an admin has one, the
app refuses their sign-in and says so. Wrong codes count towards the same
lock-out as wrong passwords. API tokens (for scripts) are not affected.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

import pyotp
from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import utcnow
from bot.queue import audit
from bot.review.auth import LOCK_AFTER, LOCK_FOR, AccountError, find_user, normalise_email
from bot.review.models import StaffSession, StaffUser

ISSUER = "What Matters"


@dataclass(frozen=True)
class Enrolment:
    secret: str
    uri: str


async def enrol(session: AsyncSession, email: str, actor: str = "system") -> Enrolment:
    """A new secret for the account (replacing any old one); its sessions end."""
    user = await find_user(session, normalise_email(email))
    if user is None:
        raise AccountError(f"no account {email!r}")
    secret = pyotp.random_base32()
    await session.execute(update(StaffUser).where(StaffUser.id == user.id).values(totp_secret=secret))
    await session.execute(delete(StaffSession).where(StaffSession.user_id == user.id))
    await audit.record(session, actor, "auth.second_factor_enrolled", detail={"account": user.email})
    return Enrolment(secret, pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name=ISSUER))


def code_is_right(secret: Optional[str], code: str) -> bool:
    """The code now, or the one before or after (a clock a little out, a code typed as it changed)."""
    code = "".join(ch for ch in code if ch.isdigit())
    if not secret or len(code) != 6:
        return False
    return bool(pyotp.TOTP(secret).verify(code, valid_window=1))


async def confirm(session: AsyncSession, session_id: int, code: str, source: Optional[str] = None) -> str:
    """Open a session waiting for its code: "ok", "wrong", or "locked" (the session is then ended)."""
    row = (
        await session.execute(
            select(StaffSession, StaffUser)
            .join(StaffUser, StaffUser.id == StaffSession.user_id)
            .where(StaffSession.id == session_id)
        )
    ).first()
    if row is None:
        return "locked"
    record, user = row
    if code_is_right(user.totp_secret, code):
        await session.execute(
            update(StaffSession).where(StaffSession.id == record.id).values(second_factor_pending=False)
        )
        await session.execute(update(StaffUser).where(StaffUser.id == user.id).values(failed_attempts=0))
        await audit.record(session, user.email, "auth.sign_in", source=source, detail={"second_factor": True})
        return "ok"
    failures = user.failed_attempts + 1
    await audit.record(session, user.email, "auth.second_factor_failed", source=source, detail={"failures": failures})
    if failures >= LOCK_AFTER:
        now = utcnow()
        await session.execute(
            update(StaffUser).where(StaffUser.id == user.id).values(failed_attempts=0, locked_until=now + LOCK_FOR)
        )
        await session.execute(delete(StaffSession).where(StaffSession.id == record.id))
        await audit.record(
            session, user.email, "auth.locked", source=source, detail={"minutes": int(LOCK_FOR.total_seconds() // 60)}
        )
        return "locked"
    await session.execute(
        update(StaffUser).where(StaffUser.id == user.id).values(failed_attempts=failures, last_failed_at=utcnow())
    )
    return "wrong"
