"""`whatmatters`: run the system and look at intakes from the command line.

Commands that show patient data write an audit event (actor: the OS user, source: cli).
"""

from __future__ import annotations

import argparse
import asyncio
import importlib
import json
import signal
import sys
from typing import Any, Optional, Sequence

from sqlalchemy import or_, select

from bot.db.engine import in_transaction
from bot.db.models import Intake, Priority, QueueItem
from bot.intake import store
from bot.cli_support import cli_actor
from bot.settings import Settings, load_settings
from bot.sms import store as sms_store


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
    queue_list = queue.add_subparsers(dest="queue_command", required=True).add_parser("list", help="open items, urgent first")
    queue_list.add_argument("--json", action="store_true", help="machine-readable output")
    queue_list.add_argument("--all", action="store_true", help="include closed items")

    intake = commands.add_parser("intake", help="one intake")
    show = intake.add_subparsers(dest="intake_command", required=True).add_parser("show", help="an intake and its summary")
    show.add_argument("id", help="the intake's number or its reference (WM-...)")
    show.add_argument("--json", action="store_true", help="machine-readable output, including the summary document")
    for module in _command_modules():
        module.register(commands)
    return parser


COMMAND_MODULES = ("bot.review.cli", "bot.sms.cli")
"""Modules that add their own subcommands (register) and run them (handle)."""


def _command_modules() -> list:
    return [importlib.import_module(name) for name in COMMAND_MODULES]



async def _queue_list(session, include_closed: bool) -> list[dict[str, Any]]:
    statuses = ("new", "claimed", "contacted", "closed") if include_closed else ("new", "claimed", "contacted")
    rows = await store.queue(session, statuses)
    await store.audit(session, cli_actor(), "queue.list", source="cli", detail={"count": len(rows)})
    return [row.as_json() for row in rows]


def _print_queue(rows: list[dict[str, Any]]) -> None:
    if not rows:
        print("The queue is empty.")
        return
    print(f"{'PRIORITY':<20} {'REF':<10} {'STATUS':<10} {'CHANNEL':<8} {'WAITING SINCE':<20} NAME / TOP AREAS / FLAGS")
    for row in rows:
        mark = "URGENT" if row["urgent"] else row["priority"]
        extras = " | ".join(x for x in (row["first_name"] or "-", ", ".join(row["top_areas"]), ", ".join(row["flags"])) if x)
        print(f"{mark:<20} {row['reference']:<10} {row['status']:<10} {row['channel']:<8} {row['created_at'][:19]:<20} {extras}")


async def _intake_show(session, ident: str) -> Optional[dict[str, Any]]:
    condition = Intake.reference == ident.upper()
    if ident.isdigit():
        condition = or_(condition, Intake.id == int(ident))
    intake = (await session.execute(select(Intake).where(condition))).scalar_one_or_none()
    if intake is None:
        return None
    answers = await store.answer_map(session, intake)
    flags = await store.flag_dicts(session, intake)
    item = (await session.execute(select(QueueItem).where(QueueItem.intake_id == intake.id))).scalar_one_or_none()
    await store.audit(session, cli_actor(), "intake.view", intake_id=intake.id, source="cli")
    sms = await sms_store.status_for_conversation(session, intake.conversation_id)
    return {
        "id": intake.id,
        "reference": intake.reference,
        "channel": intake.channel,
        "status": intake.status,
        "consent": intake.consent,
        "created_at": intake.created_at.isoformat(),
        "submitted_at": intake.submitted_at.isoformat() if intake.submitted_at else None,
        "queue": None if item is None else {
            "status": item.status, "priority": Priority.NAMES.get(item.priority), "assignee": item.assignee,
        },
        "flags": flags,
        "answers": answers,
        "summary": intake.summary,
        "summary_text": intake.summary_text,
        "sms": None if sms is None else sms.as_json(),
        "sms_line": None if sms is None else sms.line(),
    }


def _print_intake(data: dict[str, Any]) -> None:
    print(f"Intake {data['reference']} (#{data['id']}), {data['channel']}, {data['status']}")
    if data["queue"]:
        print(f"Queue: {data['queue']['status']}, {data['queue']['priority']}")
    if data.get("sms_line"):
        print(data["sms_line"])
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
    if args.command in ("run", "setup") or args.command == "model":
        from bot.model import ensure_model

        ensure_model(settings.model_dir)
    if args.command == "run":
        from bot.launcher import run_forever

        signal.signal(signal.SIGTERM, _stop_on_sigterm)
        return run_forever(settings)
    if args.command == "queue":
        rows = asyncio.run(in_transaction(settings, lambda s: _queue_list(s, args.all)))
        print(json.dumps(rows, indent=2)) if args.json else _print_queue(rows)
    if args.command == "intake":
        data = asyncio.run(in_transaction(settings, lambda s: _intake_show(s, args.id)))
        if data is None:
            print(f"No intake {args.id}.", file=sys.stderr)
            return 1
        print(json.dumps(data, indent=2, default=str)) if args.json else _print_intake(data)
    return 0


if __name__ == "__main__":
    sys.exit(main())
