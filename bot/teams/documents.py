"""The teams as one document: what GET /api/v1/teams returns and `whatmatters team list --json` prints.

A link worker sees the teams they work in; an admin every team, with how it is set up (its practices,
flags and entry points with their links).
"""

from __future__ import annotations

from typing import Any, Optional

from sqlalchemy.ext.asyncio import AsyncSession

from bot.review.auth import Staff
from bot.settings import Settings
from bot.teams import store
from bot.teams.links import start_link
from bot.teams.models import EntryPoint, Team


def entry_point_json(settings: Settings, entry: EntryPoint) -> dict[str, Any]:
    return {
        "code": entry.code,
        "place": entry.place,
        "source": entry.source,
        "active": bool(entry.active),
        "link": start_link(settings, entry.code),
    }


def team_json(team: Team, entries: Optional[list[dict[str, Any]]] = None) -> dict[str, Any]:
    """A team as the API and `team list --json` show it; with `entries` (for admins) also how it is set up."""
    found: dict[str, Any] = {"code": team.code, "name": team.name, "kind": team.kind}
    if entries is not None:
        found.update(
            practices=list(team.practices or []),
            takes_unregistered=bool(team.takes_unregistered),
            is_default=bool(team.is_default),
            entry_points=entries,
        )
    return found


async def teams_document(session: AsyncSession, settings: Settings, viewer: Staff) -> dict[str, Any]:
    """The teams `viewer` works in (an admin: every team, with its practices, flags and entry points)."""
    teams = [team for team in await store.teams(session) if viewer.may_see(team.id)]
    if not viewer.is_admin:
        return {"teams": [team_json(team) for team in teams]}
    entries: dict[int, list[dict[str, Any]]] = {team.id: [] for team in teams}
    for entry in await store.entry_points(session):
        entries.setdefault(entry.team_id, []).append(entry_point_json(settings, entry))
    return {"teams": [team_json(team, entries[team.id]) for team in teams]}
