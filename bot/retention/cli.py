"""`whatmatters` commands for what is kept: the purge, and a person's rights over their data.

    whatmatters purge [--dry-run] [--json]            apply the retention periods now
    whatmatters person export WHO [--html FILE]        everything held about a person (JSON, or a page)
    whatmatters person erase WHO [--even-if-open] --yes   delete everything held about a person

WHO is an intake's reference (WM-...) or number, or the phone number a person texted from.
Each is audited; the web app also purges every PURGE_HOURS.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from pathlib import Path
from typing import Any, Optional

from bot.cli_support import cli_actor
from bot.db.engine import in_transaction
from bot.errors import DomainError
from bot.retention import rights
from bot.retention.purge import Retention, purge
from bot.settings import Settings
from bot.sms.phone import vault_for

LABELS = {
    "intakes_abandoned": "unfinished intakes never queued",
    "intakes_closed": "closed intakes",
    "conversations": "conversations (Rasa's tracker store)",
    "conversation_events": "  their events",
    "sms_outbox": "texts in the SMS outbox",
    "sms_inbound": "SMS delivery records",
    "audit_events": "audit events",
}


def register(commands: "argparse._SubParsersAction") -> None:
    parser = commands.add_parser("purge", help="delete what is past its retention period (see .env RETAIN_*)")
    parser.add_argument("--dry-run", action="store_true", help="count what would go, delete nothing")
    parser.add_argument("--json", action="store_true", help="machine-readable output")

    person = commands.add_parser("person", help="a person's rights: a copy of their data, or its erasure")
    actions = person.add_subparsers(dest="person_command", required=True)
    export = actions.add_parser("export", help="everything held about a person (subject access)")
    export.add_argument("who", help="a reference (WM-...), an intake number or a phone number")
    export.add_argument("--html", type=Path, help="write a readable page to this file instead of printing JSON")
    erase = actions.add_parser("erase", help="delete everything held about a person")
    erase.add_argument("who", help="a reference (WM-...), an intake number or a phone number")
    erase.add_argument("--even-if-open", action="store_true", help="erase even an item still open on the queue")
    erase.add_argument("--yes", action="store_true", help="really delete (without it, nothing is done)")


def handle(args: argparse.Namespace, settings: Settings) -> Optional[int]:
    if args.command == "purge":
        return _purge(args, settings)
    if args.command != "person":
        return None
    vault = vault_for(settings)

    async def work(session: Any) -> Any:
        person = await rights.find_person(session, args.who, vault)
        if args.person_command == "export":
            return await rights.export(session, person, cli_actor(), vault)
        return await rights.erase(session, person, cli_actor(), even_if_open=args.even_if_open)

    if args.person_command == "erase" and not args.yes:
        print("Erasing deletes everything held about this person, for good: add --yes to do it.", file=sys.stderr)
        return 2
    try:
        result = asyncio.run(in_transaction(settings, work))
    except DomainError as error:
        print(f"whatmatters person {args.person_command}: {error}", file=sys.stderr)
        return 1
    if args.person_command == "erase":
        print(
            f"Erased: {result['intakes']} intake(s), {result['conversation_events']} conversation events, "
            f"{result['phone_numbers']} phone number(s)."
        )
    elif args.html:
        args.html.write_text(rights.export_html(result), encoding="utf-8")
        print(f"Wrote {args.html}.")
    else:
        print(json.dumps(result, indent=2, default=str))
    return 0


def _purge(args: argparse.Namespace, settings: Settings) -> int:
    retention = Retention.from_settings(settings)
    counts = asyncio.run(in_transaction(settings, lambda session: purge(session, retention, dry_run=args.dry_run)))
    if args.json:
        print(json.dumps({"dry_run": args.dry_run, "counts": counts.as_dict()}, indent=2))
        return 0
    print("Would delete (dry run, nothing deleted):" if args.dry_run else "Deleted:")
    for key, value in counts.as_dict().items():
        print(f"  {LABELS[key]:<40} {value}")
    return 0
