"""`whatmatters` commands of the FHIR push.

    whatmatters fhir status [--json]    pushes waiting, stored and failed (references and errors only)
    whatmatters fhir push               one pass now: queue submitted intakes and send what is due
    whatmatters fhir retry WHO...       send failed pushes again (WHO: a reference WM-... or a number)

The review app pushes by itself while it runs (FHIR_ENDPOINT set); these are for an
operator who wants to see or act now.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from typing import Any, Optional

from bot.cli_support import cli_actor
from bot.db.engine import create_engine, in_transaction, session_factory
from bot.db.models import utcnow
from bot.fhir import push
from bot.queue import audit, read
from bot.settings import Settings


def register(commands: "argparse._SubParsersAction") -> None:
    fhir = commands.add_parser("fhir", help="the push of submitted intakes to a FHIR server (FHIR_ENDPOINT)")
    fhir_commands = fhir.add_subparsers(dest="fhir_command", required=True)
    status = fhir_commands.add_parser("status", help="pushes waiting, stored and failed")
    status.add_argument("--json", action="store_true", help="machine-readable output")
    fhir_commands.add_parser("push", help="push what is due now")
    retry = fhir_commands.add_parser("retry", help="send failed pushes again")
    retry.add_argument("who", nargs="+", help="intake references (WM-...) or numbers")


def _print_state(found: push.PushState) -> None:
    print(f"FHIR push: {'on' if found.enabled else 'off (FHIR_ENDPOINT is not set)'}")
    print("Pushes: " + ", ".join(f"{n} {s}" for s, n in found.counts.items()))
    for row in found.failed:
        print(f"FAILED {row['reference']:<12} tries {row['tries']:<3} {row['at'][:19]}  {row['error'] or ''}")


async def _push_now(settings: Settings) -> int:
    engine = create_engine(settings)
    pusher = push.Pusher(settings, session_factory(engine))
    try:
        return await pusher.send_due()
    finally:
        await pusher.close()
        await engine.dispose()


async def _retry(session: Any, who: list[str]) -> list[str]:
    """The references put back in the outbox (each must have failed); audited."""
    done = []
    for ident in who:
        intake_id = await read.find_intake_id(session, ident)
        if intake_id is not None and await push.retry(session, intake_id, utcnow()):
            await audit.record(session, cli_actor(), "fhir.retry", intake_id=intake_id, source="cli")
            done.append(ident)
    return done


def handle(args: argparse.Namespace, settings: Settings) -> Optional[int]:
    if args.command != "fhir":
        return None
    if args.fhir_command == "status":
        found = asyncio.run(in_transaction(settings, lambda session: push.state(session, settings)))
        print(json.dumps(found.as_json(), indent=2)) if args.json else _print_state(found)
        return 1 if found.failed else 0
    if args.fhir_command == "push":
        if not settings.fhir_endpoint:
            print("The FHIR push is off: set FHIR_ENDPOINT in .env.", file=sys.stderr)
            return 2
        print(f"{asyncio.run(_push_now(settings))} intake(s) stored on the FHIR server.")
        found = asyncio.run(in_transaction(settings, lambda session: push.state(session, settings)))
        _print_state(found)
        return 0
    done = asyncio.run(in_transaction(settings, lambda session: _retry(session, args.who)))
    missing = [who for who in args.who if who not in done]
    print(f"{len(done)} push(es) put back in the outbox.")
    if missing:
        print(f"Not failed or not found: {', '.join(missing)}", file=sys.stderr)
        return 1
    return 0
