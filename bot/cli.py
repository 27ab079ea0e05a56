"""`whatmatters`: run the system and look at intakes from the command line.

Commands that show patient data write an audit event (actor: the OS user, source: cli).
`queue list --json` and `intake show --json` print the same documents as the API
(GET /api/v1/queue and GET /api/v1/intakes/{id}): both come from bot.queue.read.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib
import json
import signal
import sys
from pathlib import Path
from typing import Any, Optional, Sequence

from bot.cli_support import cli_staff
from bot.db.engine import in_transaction
from bot.errors import DomainError, not_found
from bot.queue import change, read
from bot.queue.change import OUTCOMES
from bot.settings import load_settings
from bot.sms.store import sms_line
from bot.teams import store as team_store
from bot.teams.models import ReferralSource


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="whatmatters", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    commands.add_parser("run", help="migrate, check the model and start every server (Ctrl-C stops them)")
    commands.add_parser("setup", help="migrate the database and train the model if its data changed")

    db = commands.add_parser("db", help="database schema")
    db.add_subparsers(dest="db_command", required=True).add_parser("upgrade", help="apply migrations")

    model = commands.add_parser("model", help="the Rasa model")
    model.add_subparsers(dest="model_command", required=True).add_parser(
        "ensure", help="train only if the training data or config changed"
    )

    queue = commands.add_parser("queue", help="the link workers' queue")
    queue_commands = queue.add_subparsers(dest="queue_command", required=True)
    queue_list = queue_commands.add_parser("list", help="open items, urgent first")
    queue_list.add_argument("--json", action="store_true", help="machine-readable output")
    queue_list.add_argument("--all", action="store_true", help="include closed items")
    queue_list.add_argument("--team", metavar="CODE", help="one team's items (every team's without it)")
    queue_list.add_argument("--source", choices=list(ReferralSource.NAMES), help="items by where the person came from")
    queue_list.add_argument("--search", metavar="TEXT", help="part of a reference (WM-...) or of a first name")
    close = queue_commands.add_parser("close", help="close an item with its outcome (as an admin can)")
    close.add_argument("id", help="the intake's number or its reference (WM-...)")
    close.add_argument("--outcome", required=True, choices=list(OUTCOMES))
    close.add_argument("--offered", help="what was offered, for the letter to the GP practice")
    close.add_argument("--taken-up", help="what the person took up, for the letter")
    close.add_argument(
        "--no-follow-up", action="store_true", help="the person would rather not have the wellbeing follow-up"
    )

    intake = commands.add_parser("intake", help="one intake")
    intake_commands = intake.add_subparsers(dest="intake_command", required=True)
    show = intake_commands.add_parser("show", help="an intake and its summary")
    show.add_argument("id", help="the intake's number or its reference (WM-...)")
    show.add_argument("--json", action="store_true", help="machine-readable output, including the summary document")
    export = intake_commands.add_parser("export", help="an intake as a FHIR R4 Bundle (application/fhir+json)")
    export.add_argument("id", help="the intake's number or its reference (WM-...)")
    export.add_argument("--fhir", action="store_true", required=True, help="as FHIR R4 (the only format so far)")
    export.add_argument("--transaction", action="store_true", help="a transaction Bundle, to store on a FHIR server")
    letter = intake_commands.add_parser("letter", help="the letter to the GP practice about a closed item")
    letter.add_argument("id", help="the intake's number or its reference (WM-...)")
    letter.add_argument("--pdf", type=Path, metavar="FILE", help="write it as a PDF to FILE instead of printing it")
    for module in _command_modules():
        module.register(commands)
    return parser


COMMAND_MODULES = (
    "bot.review.cli",
    "bot.sms.cli",
    "bot.retention.cli",
    "bot.fhir.cli",
    "bot.teams.cli",
    "bot.directory.cli",
    "bot.outcomes.cli",
)
"""Modules that add their own subcommands (register) and run them (handle)."""


def _command_modules() -> list:
    return [importlib.import_module(name) for name in COMMAND_MODULES]


def _queue_filter(args: argparse.Namespace) -> read.QueueFilter:
    """The queue list's options, read as the page and the API read their query (?team=, ?source=, ?q=)."""
    query = {"status": "all" if args.all else "open", "team": args.team or "", "source": args.source or ""}
    return read.QueueFilter.from_query({**query, "q": args.search or ""})


async def _queue_list(session: Any, wanted: read.QueueFilter, team: Optional[str]) -> dict[str, Any]:
    """The queue document of every team (the command line is an admin's), or of the one team asked for."""
    if team is not None:
        await team_store.team_by_code(session, team)  # a team that does not exist is an error, not an empty list
    return await read.listing(session, cli_staff(), wanted, source="cli", via="cli")


def _print_queue(document: dict[str, Any]) -> None:
    rows = document["items"]
    if not rows:
        print("The queue is empty.")
        return
    print(
        f"{'PRIORITY':<20} {'REF':<10} {'STATUS':<10} {'CHANNEL':<8} {'TEAM':<16} {'FROM':<10} {'WAITING SINCE':<20} "
        "NAME / TOP AREAS / FLAGS"
    )
    for row in rows:
        mark = "URGENT" if row["urgent"] else row["priority"]
        extras = " | ".join(
            x for x in (row["first_name"] or "-", ", ".join(row["top_areas"]), ", ".join(row["flags"])) if x
        )
        since = (row["waiting_since"] or "")[:19]
        team = row["team"]["code"] if row["team"] else "-"
        print(
            f"{mark:<20} {row['reference']:<10} {row['status']:<10} {row['channel']:<8} {team:<16} "
            f"{row['referral_source'] or '-':<10} {since:<20} {extras}"
        )


async def _intake_show(session, ident: str, via: str = "show") -> Optional[dict[str, Any]]:
    intake_id = await read.find_intake_id(session, ident)
    if intake_id is None:
        return None
    return await read.intake_document(
        session, intake_id, cli_staff(), source="cli", via="cli" if via == "show" else "cli fhir"
    )


def _print_intake(data: dict[str, Any]) -> None:
    print(f"Intake {data['reference']} (#{data['id']}), {data['channel']}, {data['status']}")
    if data["queue"]:
        print(f"Queue: {data['queue']['status']}, {data['queue']['priority']}")
    if data["sms"]:
        print(sms_line(data["sms"]))
    for flag in data["flags"]:
        print(f"FLAG {flag['kind']} ({flag['category'] or '-'}): {flag['message']}")
    if data["summary_text"]:
        print(data["summary_text"])
    else:
        for key, answer in data["answers"].items():
            print(f"- {key}: {answer['verbatim'] if answer['status'] == 'answered' else '(skipped)'}")
    if data["summary"]:
        print("Suggested openers:")
        for opener in data["summary"].get("openers", []):
            print(f"- {opener}")


async def _find(session: Any, ident: str) -> int:
    intake_id = await read.find_intake_id(session, ident)
    if intake_id is None:
        raise not_found(f"No intake {ident}.")
    return intake_id


def _refusal_or(settings: Any, work: Any, command: str) -> tuple[bool, Any]:
    """Run `work(session)` in one transaction: (True, its result), or (False, None) with the refusal printed."""
    try:
        return True, asyncio.run(in_transaction(settings, work))
    except DomainError as error:
        print(f"whatmatters {command}: {error}", file=sys.stderr)
        return False, None


def _queue_close(settings: Any, args: argparse.Namespace) -> int:
    """Close an item from the command line: its operator can read the database, so acts as an admin, audited as cli."""

    async def work(session: Any) -> None:
        intake_id = await _find(session, args.id)
        weeks = None if args.no_follow_up else settings.followup_weeks
        await change.close(session, intake_id, cli_staff(), args.outcome, "cli", args.offered, args.taken_up, weeks)

    done, _ = _refusal_or(settings, work, "queue close")
    if done:
        print(f"Closed {args.id}: {OUTCOMES[args.outcome]}.")
    return 0 if done else 1


def _intake_letter(settings: Any, args: argparse.Namespace) -> int:
    """The letter about a closed item, as text or written to a PDF file; audited as a letter view."""
    from bot.letter.content import build_letter, letter_text

    async def work(session: Any) -> dict[str, Any]:
        intake_id = await _find(session, args.id)
        return await read.letter_document(session, intake_id, cli_staff(), "cli", "cli pdf" if args.pdf else "cli")

    done, document = _refusal_or(settings, work, "intake letter")
    if not done:
        return 1
    letter = build_letter(document)
    if args.pdf:
        from bot.letter.pdf import render_pdf

        args.pdf.write_bytes(render_pdf(letter))
        print(f"Wrote {args.pdf}.")
    else:
        print(letter_text(letter), end="")
    return 0


def _stop_on_sigterm(*_: object) -> None:
    raise KeyboardInterrupt


def main(argv: Optional[Sequence[str]] = None) -> int:
    args = _parser().parse_args(argv)
    settings = load_settings()
    for module in _command_modules():
        code = module.handle(args, settings)
        if code is not None:
            return code

    problems = settings.scale_out_problems() if args.command == "run" else []
    for problem in problems:
        print(f"[whatmatters] cannot start: {problem}.", file=sys.stderr)
    if problems:
        return 2
    if args.command in ("run", "setup") or (args.command == "db"):
        from bot.db.migrate import upgrade

        print("[whatmatters] migrating the database...", flush=True)
        upgrade(settings)
    if args.command in ("run", "setup") and not settings.directory_sync_url:
        from bot.directory.cli import load_sample

        load_sample(settings)
    if args.command in ("run", "setup") or args.command == "model":
        from bot.rasa.model import ensure_model

        ensure_model(settings.model_dir)
    if args.command == "run":
        from bot.launcher import run_forever

        signal.signal(signal.SIGTERM, _stop_on_sigterm)
        return run_forever(settings)
    if args.command == "queue" and args.queue_command == "close":
        return _queue_close(settings, args)
    if args.command == "intake" and args.intake_command == "letter":
        return _intake_letter(settings, args)
    if args.command == "queue":
        done, document = _refusal_or(settings, lambda s: _queue_list(s, _queue_filter(args), args.team), "queue list")
        if not done:
            return 1
        print(json.dumps(document, indent=2)) if args.json else _print_queue(document)
    if args.command == "intake":
        data = asyncio.run(in_transaction(settings, lambda s: _intake_show(s, args.id, args.intake_command)))
        if data is None:
            print(f"No intake {args.id}.", file=sys.stderr)
            return 1
        if args.intake_command == "export":
            from bot.fhir.bundle import export_bundle

            print(json.dumps(export_bundle(data, args.transaction), indent=2, default=str))
        elif args.json:
            print(json.dumps(data, indent=2, default=str))
        else:
            _print_intake(data)
    return 0


if __name__ == "__main__":
    sys.exit(main())
