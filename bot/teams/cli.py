"""`whatmatters team ...`: teams, their members and their entry points, from the command line.

    whatmatters team list [--json]
    whatmatters team add CODE --name NAME --kind practice|network|hub [--practice NAME ...]
                         [--takes-unregistered] [--default]
    whatmatters team update CODE [--name NAME] [--practice NAME ... | --no-practices]
                            [--takes-unregistered | --no-takes-unregistered] [--default]
    whatmatters team show CODE                   the team, its members and its entry points with their links
    whatmatters team add-member CODE EMAIL
    whatmatters team remove-member CODE EMAIL
    whatmatters team entry-point add CODE --place NAME --source gp|ae|self|community|other
    whatmatters team entry-point list [CODE]
    whatmatters team entry-point deactivate|activate ENTRY_CODE

Whoever can run `whatmatters` on the server acts as an admin (bot.cli_support). Each command is one
transaction; each change is audited in it (by bot.teams.store) under `cli_actor()` with the source
"cli". A refusal (no such team, a code taken, a bad name) is printed and the command exits 1.
`team list --json` prints the document GET /api/v1/teams returns to an admin (`teams_document`).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from typing import Any, Awaitable, Callable, Optional

from sqlalchemy.ext.asyncio import AsyncSession

from bot.cli_support import cli_actor, cli_staff
from bot.db.engine import in_transaction
from bot.errors import DomainError
from bot.settings import Settings
from bot.teams import store
from bot.teams.documents import teams_document
from bot.teams.links import start_link
from bot.teams.models import EntryPoint, ReferralSource, Team, TeamKind

SOURCE = "cli"


# --- the parser ----------------------------------------------------------------------------------------------------


def register(commands: "argparse._SubParsersAction") -> None:
    """Add `team ...` to the `whatmatters` parser."""
    team = commands.add_parser("team", help="teams, their members and their entry points (as an admin)")
    team_commands = team.add_subparsers(dest="team_command", required=True)

    listing = team_commands.add_parser("list", help="every team")
    listing.add_argument("--json", action="store_true", help="machine-readable output (as GET /api/v1/teams)")

    add = team_commands.add_parser("add", help="create a team")
    add.add_argument("code", help="2 to 32 lower-case letters, digits or hyphens, e.g. riverside-pcn")
    add.add_argument("--name", required=True, help="the team's name as staff and patients see it")
    add.add_argument("--kind", required=True, choices=list(TeamKind.NAMES))
    _practice_argument(add)
    add.add_argument(
        "--takes-unregistered", action="store_true", help="people not registered with a GP come to this team"
    )
    add.add_argument("--default", action="store_true", help="intakes with nowhere else to go come to this team")

    update = team_commands.add_parser("update", help="change a team (only what is given changes)")
    update.add_argument("code")
    update.add_argument("--name")
    practices = update.add_mutually_exclusive_group()
    _practice_argument(practices)
    practices.add_argument("--no-practices", action="store_true", help="the team supports no practice by name")
    update.add_argument(
        "--takes-unregistered",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="whether people not registered with a GP come to this team (one team at most)",
    )
    update.add_argument("--default", action="store_true", help="make it the team for intakes with nowhere else to go")

    team_commands.add_parser("show", help="a team, its members and its entry points").add_argument("code")
    for name, text in (("add-member", "put an account in a team"), ("remove-member", "take an account out")):
        member = team_commands.add_parser(name, help=text)
        member.add_argument("code")
        member.add_argument("email")

    entry = team_commands.add_parser("entry-point", help="the places people start from (/start/CODE)")
    entry_commands = entry.add_subparsers(dest="entry_command", required=True)
    entry_add = entry_commands.add_parser("add", help="a new entry point for a place: prints its code and link")
    entry_add.add_argument("code", help="the team it sends people to")
    entry_add.add_argument("--place", required=True, help="e.g. 'Riverside Hospital A&E'")
    entry_add.add_argument(
        "--source",
        required=True,
        choices=list(ReferralSource.NAMES),
        help="where people there come from: "
        + ", ".join(f"{code} ({name})" for code, name in ReferralSource.NAMES.items()),
    )
    entry_commands.add_parser("list", help="entry points, of every team or one").add_argument("code", nargs="?")
    for name, text in (("deactivate", "its link stops starting a chat"), ("activate", "its link works again")):
        entry_commands.add_parser(name, help=text).add_argument("entry_code")


def _practice_argument(parser: Any) -> None:
    parser.add_argument(
        "--practice",
        action="extend",
        nargs="+",
        metavar="NAME",
        help="a GP practice whose patients the team supports, as people name it (give several, or repeat)",
    )


# --- running the commands ------------------------------------------------------------------------------------------


def _run(settings: Settings, work: Callable[[AsyncSession], Awaitable[Any]], command: str) -> tuple[bool, Any]:
    """`work(session)` in one transaction: (True, its result), or (False, None) with the refusal printed."""
    try:
        return True, asyncio.run(in_transaction(settings, work))
    except DomainError as error:
        print(f"whatmatters team {command}: {error.message}", file=sys.stderr)
        return False, None


def _flags(team: Team) -> str:
    flags = ["default" if team.is_default else "", "takes unregistered" if team.takes_unregistered else ""]
    return ", ".join(f for f in flags if f)


def _print_team_line(team: Team) -> None:
    kind = TeamKind.NAMES.get(team.kind, team.kind)
    flags = _flags(team)
    print(f"Team {team.code}: {team.name} ({kind}{'; ' + flags if flags else ''}).")


def _entry_line(settings: Settings, entry: EntryPoint, team_code: Optional[str] = None) -> str:
    source = ReferralSource.NAMES.get(entry.source, entry.source)
    state = "" if entry.active else "  (off)"
    team = f"{team_code:<16} " if team_code is not None else ""
    return f"{team}{entry.code:<8} {source:<24} {entry.place}  {start_link(settings, entry.code)}{state}"


def list_teams(settings: Settings, as_json: bool) -> int:
    async def work(session: AsyncSession) -> tuple[dict[str, Any], list[tuple[Team, int, int]]]:
        every = await store.teams(session)
        entries = await store.entry_points(session)
        counts = [
            (team, len(await store.members(session, team.id)), sum(e.team_id == team.id for e in entries))
            for team in every
        ]
        return await teams_document(session, settings, cli_staff()), counts

    document, counts = asyncio.run(in_transaction(settings, work))
    if as_json:
        print(json.dumps(document, indent=2))
        return 0
    if not counts:
        print("There are no teams.")
        return 0
    print(f"{'CODE':<16} {'KIND':<8} {'MEMBERS':>7} {'ENTRY POINTS':>12}  NAME / PRACTICES / FLAGS")
    for team, members, entries in counts:
        extras = " | ".join(x for x in (team.name, ", ".join(team.practices or []), _flags(team)) if x)
        print(f"{team.code:<16} {team.kind:<8} {members:>7} {entries:>12}  {extras}")
    return 0


def add_team(settings: Settings, args: argparse.Namespace) -> int:
    async def work(session: AsyncSession) -> Team:
        return await store.create_team(
            session,
            cli_actor(),
            args.code,
            args.name,
            args.kind,
            args.practice or (),
            args.takes_unregistered,
            args.default,
            source=SOURCE,
        )

    done, team = _run(settings, work, "add")
    if done:
        print("Created:", end=" ")
        _print_team_line(team)
    return 0 if done else 1


def update_team(settings: Settings, args: argparse.Namespace) -> int:
    practices = [] if args.no_practices else args.practice
    if args.name is None and practices is None and args.takes_unregistered is None and not args.default:
        print(
            "whatmatters team update: nothing to change: give --name, --practice, --no-practices, "
            "--takes-unregistered, --no-takes-unregistered or --default.",
            file=sys.stderr,
        )
        return 2

    async def work(session: AsyncSession) -> Team:
        return await store.update_team(
            session,
            cli_actor(),
            args.code,
            name=args.name,
            practices=practices,
            takes_unregistered=args.takes_unregistered,
            is_default=True if args.default else None,
            source=SOURCE,
        )

    done, team = _run(settings, work, "update")
    if done:
        print("Saved:", end=" ")
        _print_team_line(team)
    return 0 if done else 1


def show_team(settings: Settings, code: str) -> int:
    async def work(session: AsyncSession) -> tuple[Team, list[str], list[EntryPoint]]:
        team = await store.team_by_code(session, code)
        users = await store.members(session, team.id)
        members = [f"{user.email} ({user.role}{'' if user.active else ', disabled'})" for user in users]
        return team, members, await store.entry_points(session, team.id)

    done, found = _run(settings, work, "show")
    if not done:
        return 1
    team, members, entries = found
    _print_team_line(team)
    print("Practices: " + (", ".join(team.practices or []) or "none named"))
    print(f"Members ({len(members)}):")
    for member in members:
        print(f"  {member}")
    print(f"Entry points ({len(entries)}):")
    for entry in entries:
        print(f"  {_entry_line(settings, entry)}")
    return 0


def change_member(settings: Settings, args: argparse.Namespace) -> int:
    adding = args.team_command == "add-member"
    change = store.add_member if adding else store.remove_member

    async def work(session: AsyncSession) -> None:
        await change(session, cli_actor(), args.code, args.email, SOURCE)

    done, _ = _run(settings, work, args.team_command)
    if done:
        email = args.email.strip().lower()
        print(f"{email} is now in {args.code}." if adding else f"{email} is no longer in {args.code}.")
    return 0 if done else 1


def add_entry_point(settings: Settings, args: argparse.Namespace) -> int:
    async def work(session: AsyncSession) -> EntryPoint:
        return await store.create_entry_point(session, cli_actor(), args.code, args.place, args.source, SOURCE)

    done, entry = _run(settings, work, "entry-point add")
    if not done:
        return 1
    print(
        f"Created entry point {entry.code} for {entry.place} ({ReferralSource.NAMES[entry.source]}), team {args.code}."
    )
    print(f"Code: {entry.code}")
    print(f"Link: {start_link(settings, entry.code)}")
    return 0


def list_entry_points(settings: Settings, code: Optional[str]) -> int:
    async def work(session: AsyncSession) -> tuple[list[EntryPoint], dict[int, str]]:
        team_id = (await store.team_by_code(session, code)).id if code else None
        codes = {team.id: team.code for team in await store.teams(session)}
        return await store.entry_points(session, team_id), codes

    done, found = _run(settings, work, "entry-point list")
    if not done:
        return 1
    entries, codes = found
    if not entries:
        print("There are no entry points.")
        return 0
    print(f"{'TEAM':<16} {'CODE':<8} {'SOURCE':<24} PLACE  LINK")
    for entry in entries:
        print(_entry_line(settings, entry, codes.get(entry.team_id, "?")))
    return 0


def set_entry_point_active(settings: Settings, entry_code: str, active: bool) -> int:
    async def work(session: AsyncSession) -> EntryPoint:
        return await store.set_entry_point_active(session, cli_actor(), entry_code, active, SOURCE)

    done, entry = _run(settings, work, "entry-point activate" if active else "entry-point deactivate")
    if done:
        print(
            f"Entry point {entry.code} ({entry.place}) is on: its link starts a chat."
            if active
            else f"Entry point {entry.code} ({entry.place}) is off: its link no longer starts a chat."
        )
    return 0 if done else 1


def handle(args: argparse.Namespace, settings: Settings) -> Optional[int]:
    """Run the command if it is one of ours and return its exit code; None if it is not ours."""
    if args.command != "team":
        return None
    command = args.team_command
    if command == "list":
        return list_teams(settings, args.json)
    if command == "add":
        return add_team(settings, args)
    if command == "update":
        return update_team(settings, args)
    if command == "show":
        return show_team(settings, args.code)
    if command in ("add-member", "remove-member"):
        return change_member(settings, args)
    if args.entry_command == "add":
        return add_entry_point(settings, args)
    if args.entry_command == "list":
        return list_entry_points(settings, args.code)
    return set_entry_point_active(settings, args.entry_code, args.entry_command == "activate")
