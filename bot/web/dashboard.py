"""The outcomes dashboard for managers and admins: the page, a CSV file of each of its tables, and the API.

    GET /dashboard?from=YYYY-MM-DD&to=YYYY-MM-DD&team=CODE      the page (charts, each with its table)
    GET /dashboard/{table}.csv?from=...&to=...&team=CODE       one table, the same cells as the page
    GET /api/v1/dashboard?from=...&to=...&team=CODE            the same figures as JSON

A manager sees one of their teams at a time; an admin any team, or every team at once (team=all).
The figures are `bot.outcomes.dashboard`'s (the small-number rule included), read by
`bot.outcomes.dashboard_store`; each view is audited as "dashboard.view" with the period, the team
and the door, never a figure or anything about a person.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from typing import Any, Optional
from urllib.parse import urlencode

from aiohttp import web
from markupsafe import Markup

from bot.db.models import utcnow
from bot.errors import DomainError, forbidden, not_found
from bot.outcomes import dashboard_store
from bot.outcomes.charts import Bar, bar_chart, change_chart
from bot.outcomes.dashboard import (
    AREA_NAMES,
    BARRIER_NAMES,
    MAX_DAYS,
    SOURCES,
    Dashboard,
    Period,
    Table,
    figures,
)
from bot.queue import audit
from bot.review.auth import Staff
from bot.teams import store as team_store
from bot.teams.models import Team
from bot.web.errors import http_error, json_error, status_of
from bot.web.security import db_key, require_dashboard, source

ALL_TEAMS = "all"
PARAMETERS = ("from", "to", "team")
VIEW = "dashboard.view"
SMALL_NUMBERS = (
    "Counts from 1 to 4 are not shown (null here; 'fewer than 5' on the page and in the CSV files). Where a "
    "table's counts add up to a total that is shown, one more count is hidden as well (null; 'hidden'), so a small "
    "one cannot be worked out by subtraction. A median, percentile, mean, confidence interval or rate is given only "
    "when it rests on 5 people (or items) or more; otherwise it is null ('too few to say')."
)
_CSV_FORMULA = re.compile(r"^[=+\-@\t\r]")
_CSV_NUMBER = re.compile(r"^[+-]?\d+(\.\d+)?$")


@dataclass(frozen=True)
class Choice:
    """What the viewer asked to see, once checked: the period, the team (None: every team) and the teams
    they may choose from."""

    period: Period
    team: Optional[Team]
    teams: list[Team]

    @property
    def team_code(self) -> str:
        return self.team.code if self.team is not None else ALL_TEAMS

    @property
    def team_name(self) -> str:
        return self.team.name if self.team is not None else "All teams"

    def query(self) -> str:
        return urlencode(
            {"from": self.period.start.isoformat(), "to": self.period.end.isoformat(), "team": self.team_code}
        )


async def choosable(session: Any, viewer: Staff) -> list[Team]:
    """The teams whose figures this person may see: an admin every team, a manager the teams they are in."""
    if viewer.is_admin:
        return await team_store.teams(session)
    return await team_store.teams_of(session, viewer.id)


def choose_team(viewer: Staff, teams: list[Team], wanted: str) -> Optional[Team]:
    """The team asked for (None: every team, for an admin). A manager's default is their first team."""
    wanted = wanted.strip().lower()
    if not wanted:
        if viewer.is_admin:
            return None
        if not teams:
            raise forbidden(
                "You are not in a team yet, so there are no figures to show: ask an admin to add you to your team."
            )
        return teams[0]
    if wanted == ALL_TEAMS and viewer.is_admin:
        return None
    found = next((team for team in teams if team.code == wanted), None)
    if found is not None:
        return found
    if viewer.is_admin:
        raise not_found(f"There is no team {wanted!r}.")
    raise forbidden("You see the figures of your own teams only: choose one of them.")


async def _read(request: web.Request, via: str) -> tuple[Choice, Dashboard]:
    """The figures asked for, read in one transaction with the view's audit event."""
    viewer: Staff = request["user"]
    async with request.app[db_key]() as session, session.begin():
        teams = await choosable(session, viewer)
        team = choose_team(viewer, teams, request.query.get("team", ""))
        period = Period.parse(request.query.get("from"), request.query.get("to"), utcnow().date())
        choice = Choice(period, team, teams)
        rows = await dashboard_store.rows(session, period, None if team is None else {team.id})
        await audit.record(
            session,
            viewer.email,
            VIEW,
            source=source(request),
            detail={
                "from": period.start.isoformat(),
                "to": period.end.isoformat(),
                "team": choice.team_code,
                "via": via,
            },
        )
    return choice, figures(rows)


def charts(d: Dashboard) -> dict[str, Markup]:
    r = d.referrals
    return {
        "weeks": bar_chart("chart-weeks", "Referrals per week", [Bar(f"w/c {w.label}", w.total) for w in r.weeks], 28),
        "sources": bar_chart(
            "chart-sources", "Referrals by where they came from", [Bar(SOURCES[s], c) for s, c in r.by_source.items()]
        ),
        "practices": bar_chart("chart-practices", "Referrals by GP practice", [Bar(p, c) for p, c in r.by_practice]),
        "areas": bar_chart(
            "chart-areas", "Life areas people chose", [Bar(AREA_NAMES[k], c) for k, c in d.areas.items()]
        ),
        "barriers": bar_chart(
            "chart-barriers", "Barriers people chose", [Bar(BARRIER_NAMES[k], c) for k, c in d.barriers.items()]
        ),
        "ons4": change_chart("chart-ons4", "Wellbeing (ONS4): change from the intake to the follow-up", d.changes),
    }


def _field_of(message: str) -> str:
    """Which field of the form a refusal is about (for the error summary's link)."""
    if "end date" in message or "period" in message:
        return "to"
    if "start date" in message:
        return "from"
    return "team"


# --- the page --------------------------------------------------------------------------------------------------------


@require_dashboard
async def dashboard_page(request: web.Request) -> web.StreamResponse:
    from bot.web.pages import page

    form = {
        "from": request.query.get("from", ""),
        "to": request.query.get("to", ""),
        "team": request.query.get("team", ""),
    }
    context: dict[str, Any] = {"nav": "dashboard", "form": form, "max_days": MAX_DAYS, "all_teams": ALL_TEAMS}
    try:
        choice, d = await _read(request, "page")
    except DomainError as error:
        async with request.app[db_key]() as session:
            context["teams"] = await choosable(session, request["user"])
        context["error"] = error.message
        context["field"] = _field_of(error.message)
        return page(request, "dashboard.html", context, status=status_of(error))
    form.update(
        {"from": choice.period.start.isoformat(), "to": choice.period.end.isoformat(), "team": choice.team_code}
    )
    context.update(
        choice=choice,
        teams=choice.teams,
        d=d,
        tables={t.key: t for t in d.tables()},
        charts=charts(d),
        query=choice.query(),
    )
    return page(request, "dashboard.html", context)


# --- CSV -------------------------------------------------------------------------------------------------------------


def _csv_cell(text: str) -> str:
    """A cell as text, never as a spreadsheet formula (a name starting '=' is shown, not run); numbers stay numbers."""
    return "'" + text if _CSV_FORMULA.match(text) and not _CSV_NUMBER.match(text) else text


def csv_text(table: Table) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([_csv_cell(c) for c in table.columns])
    for row in table.rows:
        writer.writerow([_csv_cell(c) for c in row])
    return out.getvalue()


@require_dashboard
async def dashboard_csv(request: web.Request) -> web.StreamResponse:
    key = request.match_info["table"]
    if key not in TABLE_KEYS:
        raise web.HTTPNotFound(text=f"There is no dashboard table {key!r}.")
    try:
        choice, d = await _read(request, f"csv {key}")
    except DomainError as error:
        raise http_error(error) from error
    table = d.table(key)
    assert table is not None
    name = (
        f"whatmatters-{key}-{choice.team_code}-{choice.period.start.isoformat()}-to-{choice.period.end.isoformat()}.csv"
    )
    return web.Response(
        body=("\ufeff" + csv_text(table)).encode("utf-8"),  # the byte-order mark: spreadsheets then read UTF-8
        content_type="text/csv",
        charset="utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


# --- the API ---------------------------------------------------------------------------------------------------------


@require_dashboard
async def dashboard_api(request: web.Request) -> web.Response:
    unknown = sorted(set(request.query) - set(PARAMETERS))
    if unknown:
        return web.json_response({"error": f"unknown query parameter(s): {', '.join(unknown)}"}, status=400)
    try:
        choice, d = await _read(request, "api")
    except DomainError as error:
        return json_error(error)
    return web.json_response(
        {
            "team": {"code": choice.team_code, "name": choice.team_name},
            "teams": [{"code": t.code, "name": t.name} for t in choice.teams],
            "small_numbers": SMALL_NUMBERS,
            **d.as_json(),
        }
    )


TABLE_KEYS = (
    "referrals-by-week",
    "referrals-by-source",
    "referrals-by-practice",
    "waiting",
    "life-areas",
    "barriers",
    "offers",
    "followups",
    "took-up-offer",
    "followups-by-channel",
    "ons4-change",
    "urgent",
)
"""Every table's key (its CSV file's name), in the page's order."""
