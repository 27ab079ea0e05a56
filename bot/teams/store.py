"""Reading and changing teams, their members and entry points; routing an intake to its team.

Admins change these (in the review app and with `whatmatters team ...`); every change is audited
in the caller's transaction. Refusals are DomainErrors, worded for the person making the change.
"""

from __future__ import annotations

import re
import secrets
from typing import Any, Optional, Sequence

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.engine import dialect_insert
from bot.db.models import Answer, Intake, utcnow
from bot.errors import conflict, invalid, not_found
from bot.intake.questions import NOT_REGISTERED, SKIPPED
from bot.queue import audit
from bot.review.models import Role, StaffUser
from bot.teams.models import EntryPoint, ReferralSource, Team, TeamKind, TeamMember
from bot.teams.routing import Route, TeamFacts, choose_team, referral_source

CODE_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]{1,31}$")
_ENTRY_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
ENTRY_CODE_PATTERN = re.compile(r"^[A-Za-z0-9]{4,16}$")
MAX_NAME_CHARS = 120
MAX_PRACTICES = 50


# --- teams ---------------------------------------------------------------------------------------------------------


def _clean_name(text: str, what: str) -> str:
    text = " ".join(str(text or "").split())
    if not text:
        raise invalid(f"Enter the {what}.")
    if len(text) > MAX_NAME_CHARS:
        raise invalid(f"The {what} must be {MAX_NAME_CHARS} characters or fewer.")
    return text


def _clean_practices(practices: Sequence[str]) -> list[str]:
    cleaned = [_clean_name(p, "practice name") for p in practices if str(p or "").strip()]
    if len(cleaned) > MAX_PRACTICES:
        raise invalid(f"A team supports at most {MAX_PRACTICES} practices.")
    return list(dict.fromkeys(cleaned))


async def teams(session: AsyncSession) -> list[Team]:
    return list((await session.execute(select(Team).order_by(Team.name, Team.id))).scalars())


async def team_by_code(session: AsyncSession, code: str) -> Team:
    team = (await session.execute(select(Team).where(Team.code == code.strip().lower()))).scalar_one_or_none()
    if team is None:
        raise not_found(f"No team {code!r}.")
    return team


async def _only_one(session: AsyncSession, column: Any, keep: int) -> None:
    """`takes_unregistered` and `is_default` belong to one team at a time: setting one clears the rest."""
    await session.execute(update(Team).where(Team.id != keep, column.is_(True)).values({column.key: False}))


async def create_team(
    session: AsyncSession,
    actor: str,
    code: str,
    name: str,
    kind: str,
    practices: Sequence[str] = (),
    takes_unregistered: bool = False,
    is_default: bool = False,
    source: Optional[str] = None,
) -> Team:
    code = str(code or "").strip().lower()
    if not CODE_PATTERN.match(code):
        raise invalid("A team's code is 2 to 32 lower-case letters, digits or hyphens, e.g. riverside-pcn.")
    if kind not in TeamKind.NAMES:
        raise invalid(f"A team is one of: {', '.join(TeamKind.NAMES)}.")
    values = {
        "code": code,
        "name": _clean_name(name, "team's name"),
        "kind": kind,
        "practices": _clean_practices(practices),
        "takes_unregistered": bool(takes_unregistered),
        "is_default": bool(is_default),
        "created_at": utcnow(),
    }
    statement = dialect_insert(session, Team.__table__).values(**values).on_conflict_do_nothing(index_elements=["code"])
    if (await session.execute(statement)).rowcount != 1:
        raise conflict(f"There is already a team {code!r}.")
    team = await team_by_code(session, code)
    if team.takes_unregistered:
        await _only_one(session, Team.takes_unregistered, team.id)
    if team.is_default:
        await _only_one(session, Team.is_default, team.id)
    await audit.record(session, actor, "team.create", source=source, detail={"team": code})
    return team


async def update_team(
    session: AsyncSession,
    actor: str,
    code: str,
    name: Optional[str] = None,
    practices: Optional[Sequence[str]] = None,
    takes_unregistered: Optional[bool] = None,
    is_default: Optional[bool] = None,
    source: Optional[str] = None,
) -> Team:
    team = await team_by_code(session, code)
    changes: dict[str, Any] = {}
    if name is not None:
        changes["name"] = _clean_name(name, "team's name")
    if practices is not None:
        changes["practices"] = _clean_practices(practices)
    if takes_unregistered is not None:
        changes["takes_unregistered"] = bool(takes_unregistered)
    if is_default is not None:
        changes["is_default"] = bool(is_default)
    if changes:
        await session.execute(update(Team).where(Team.id == team.id).values(**changes))
        if changes.get("takes_unregistered"):
            await _only_one(session, Team.takes_unregistered, team.id)
        if changes.get("is_default"):
            await _only_one(session, Team.is_default, team.id)
        await audit.record(
            session, actor, "team.update", source=source, detail={"team": team.code, "changed": sorted(changes)}
        )
        await session.refresh(team)
    return team


# --- members -------------------------------------------------------------------------------------------------------


async def _user(session: AsyncSession, email: str) -> StaffUser:
    user = (
        await session.execute(select(StaffUser).where(StaffUser.email == email.strip().lower()))
    ).scalar_one_or_none()
    if user is None:
        raise not_found(f"No account {email.strip()!r}.")
    return user


async def add_member(session: AsyncSession, actor: str, code: str, email: str, source: Optional[str] = None) -> None:
    team, user = await team_by_code(session, code), await _user(session, email)
    statement = dialect_insert(session, TeamMember.__table__).values(
        team_id=team.id, user_id=user.id, created_at=utcnow()
    )
    if (await session.execute(statement.on_conflict_do_nothing(index_elements=["team_id", "user_id"]))).rowcount:
        await audit.record(
            session, actor, "team.add_member", source=source, detail={"team": team.code, "user": user.email}
        )


async def remove_member(session: AsyncSession, actor: str, code: str, email: str, source: Optional[str] = None) -> None:
    team, user = await team_by_code(session, code), await _user(session, email)
    result = await session.execute(
        delete(TeamMember).where(TeamMember.team_id == team.id, TeamMember.user_id == user.id)
    )
    if not result.rowcount:
        raise not_found(f"{user.email} is not in {team.code}.")
    await audit.record(
        session, actor, "team.remove_member", source=source, detail={"team": team.code, "user": user.email}
    )


async def join_on_creation(
    session: AsyncSession, actor: str, email: str, codes: Optional[Sequence[str]], source: Optional[str] = None
) -> list[str]:
    """A new link worker joins the teams named, or the default team when none are: the codes joined."""
    if codes is None:
        default = (await session.execute(select(Team.code).where(Team.is_default.is_(True)))).scalar_one_or_none()
        codes = [default] if default else []
    for code in codes:
        await add_member(session, actor, code, email, source)
    return list(codes)


async def members(session: AsyncSession, team_id: int) -> list[StaffUser]:
    result = await session.execute(
        select(StaffUser)
        .join(TeamMember, TeamMember.user_id == StaffUser.id)
        .where(TeamMember.team_id == team_id)
        .order_by(StaffUser.email)
    )
    return list(result.scalars())


async def team_ids_of(session: AsyncSession, user_id: int) -> frozenset[int]:
    result = await session.execute(select(TeamMember.team_id).where(TeamMember.user_id == user_id))
    return frozenset(int(t) for t in result.scalars())


async def teams_of(session: AsyncSession, user_id: int) -> list[Team]:
    result = await session.execute(
        select(Team)
        .join(TeamMember, TeamMember.team_id == Team.id)
        .where(TeamMember.user_id == user_id)
        .order_by(Team.name)
    )
    return list(result.scalars())


async def visible_team_ids(session: AsyncSession, user_id: int, role: str) -> Optional[frozenset[int]]:
    """The teams whose intakes this person may see: None means every team (an admin)."""
    return None if role == Role.ADMIN else await team_ids_of(session, user_id)


# --- entry points --------------------------------------------------------------------------------------------------


def new_entry_code() -> str:
    """A code short enough to type from a poster, with no 0/O or 1/I/L."""
    return "".join(secrets.choice(_ENTRY_ALPHABET) for _ in range(6))


async def create_entry_point(
    session: AsyncSession, actor: str, code: str, place: str, source_kind: str, source: Optional[str] = None
) -> EntryPoint:
    team = await team_by_code(session, code)
    if source_kind not in ReferralSource.NAMES:
        raise invalid(f"Where people come from is one of: {', '.join(ReferralSource.NAMES)}.")
    place = _clean_name(place, "place's name")
    for _ in range(5):
        entry_code = new_entry_code()
        statement = dialect_insert(session, EntryPoint.__table__).values(
            code=entry_code, team_id=team.id, place=place, source=source_kind, active=True, created_at=utcnow()
        )
        if (await session.execute(statement.on_conflict_do_nothing(index_elements=["code"]))).rowcount == 1:
            break
    else:  # pragma: no cover - five collisions in 30^6 codes
        raise conflict("Could not make a new code: try again.")
    entry = (await session.execute(select(EntryPoint).where(EntryPoint.code == entry_code))).scalar_one()
    await audit.record(
        session, actor, "entry_point.create", source=source, detail={"team": team.code, "entry_point": entry.code}
    )
    return entry


async def entry_points(session: AsyncSession, team_id: Optional[int] = None) -> list[EntryPoint]:
    query = select(EntryPoint).order_by(EntryPoint.place, EntryPoint.id)
    if team_id is not None:
        query = query.where(EntryPoint.team_id == team_id)
    return list((await session.execute(query)).scalars())


async def entry_point(session: AsyncSession, code: str, active_only: bool = True) -> Optional[EntryPoint]:
    """The entry point with this code (any case), or None; an inactive one only when asked for."""
    code = str(code or "").strip().upper()
    if not ENTRY_CODE_PATTERN.match(code):
        return None
    query = select(EntryPoint).where(EntryPoint.code == code)
    if active_only:
        query = query.where(EntryPoint.active.is_(True))
    return (await session.execute(query)).scalar_one_or_none()


async def set_entry_point_active(
    session: AsyncSession, actor: str, code: str, active: bool, source: Optional[str] = None
) -> EntryPoint:
    entry = await entry_point(session, code, active_only=False)
    if entry is None:
        raise not_found(f"No entry point {code!r}.")
    await session.execute(update(EntryPoint).where(EntryPoint.id == entry.id).values(active=active))
    await audit.record(
        session,
        actor,
        "entry_point.activate" if active else "entry_point.deactivate",
        source=source,
        detail={"entry_point": entry.code},
    )
    await session.refresh(entry)
    return entry


INVITATION_PLACE = "Text message invitations"


async def invitation_entry(
    session: AsyncSession, actor: str, team_code: Optional[str], source: Optional[str] = None
) -> tuple[Team, EntryPoint]:
    """The team an invitation comes from (the default team when none is named) and the entry point its link uses.

    That is the team's first active GP entry point (else any active one); a team with none gets one for its
    text invitations, made once and audited like any other.
    """
    if team_code:
        team = await team_by_code(session, team_code)
    else:
        team = (await session.execute(select(Team).where(Team.is_default.is_(True)))).scalar_one_or_none()
        if team is None:
            raise invalid("Choose the team the invitation comes from.")
    active = [e for e in await entry_points(session, team.id) if e.active]
    chosen = next((e for e in active if e.source == ReferralSource.GP), active[0] if active else None)
    if chosen is None:
        chosen = await create_entry_point(session, actor, team.code, INVITATION_PLACE, ReferralSource.GP, source)
    return team, chosen


async def team_of_entry(session: AsyncSession, entry_code: Optional[str]) -> Optional[Team]:
    entry = await entry_point(session, entry_code, active_only=False) if entry_code else None
    return await session.get(Team, entry.team_id) if entry else None


# --- routing an intake ---------------------------------------------------------------------------------------------


async def _facts(session: AsyncSession) -> list[TeamFacts]:
    result = await session.execute(select(Team.id, Team.practices, Team.takes_unregistered, Team.is_default))
    return [TeamFacts(i, tuple(p or ()), bool(u), bool(d)) for i, p, u, d in result.all()]


async def starting_values(session: AsyncSession, entry_code: Optional[str], invited: bool) -> dict[str, Any]:
    """An intake's team, entry point and referral source as it starts (before any answer)."""
    entry = await entry_point(session, entry_code) if entry_code else None
    route = choose_team(await _facts(session), entry.team_id if entry else None, None, False)
    return {
        "team_id": route.team_id,
        "entry_point_id": entry.id if entry else None,
        "referral_source": referral_source(entry.source if entry else None, invited),
    }


async def route_intake(session: AsyncSession, intake_id: int) -> Route:
    """Move an intake to the team its answers point to (its practice, or none); audited when it moves."""
    intake = (await session.execute(select(Intake).where(Intake.id == intake_id))).scalar_one()
    answer = (
        await session.execute(
            select(Answer.value).where(Answer.intake_id == intake_id, Answer.question_key == "gp_practice")
        )
    ).scalar_one_or_none()
    entry_team = None
    if intake.entry_point_id is not None:
        entry_team = (
            await session.execute(select(EntryPoint.team_id).where(EntryPoint.id == intake.entry_point_id))
        ).scalar_one_or_none()
    practice = answer if isinstance(answer, str) and answer not in ("none", SKIPPED, NOT_REGISTERED) else None
    route = choose_team(await _facts(session), entry_team, practice, answer == NOT_REGISTERED)
    if route.team_id is not None and route.team_id != intake.team_id:
        await session.execute(update(Intake).where(Intake.id == intake_id).values(team_id=route.team_id))
        await audit.record(session, audit.SYSTEM, "intake.routed", intake_id=intake_id, detail={"reason": route.reason})
    return route
