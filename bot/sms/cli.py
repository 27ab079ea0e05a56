"""`whatmatters` commands of the SMS channel.

    whatmatters invite PHONE [--ref CODE] [--team CODE]   text an invitation from a team (web link, or reply)
    whatmatters sms status [--json]         the outbox: counts, and texts failing or given up
    whatmatters sms retry ID...             put failed texts back in the outbox

`invite` puts the text in the outbox and makes one delivery attempt itself, so it works
whether or not the servers are running; if the provider is down, the running Rasa
server's sender keeps retrying. A number that has opted out (STOP) is never invited.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from typing import Any, Callable, Optional

from bot.cli_support import cli_actor
from bot.db.engine import create_engine, session_factory
from bot.queue import audit
from bot.settings import Settings
from bot.sms import store
from bot.sms.invitations import queue_invitation
from bot.sms.outbox import Sender


def register(commands: "argparse._SubParsersAction") -> None:
    """Add this module's subcommands to the `whatmatters` parser."""
    invite = commands.add_parser("invite", help="text someone an invitation to the intake")
    invite.add_argument("phone", help="the mobile number, e.g. 07700 900123 or +447700900123")
    invite.add_argument("--ref", default=None, help="a referral code to put in the web link")
    invite.add_argument("--team", default=None, help="the team's code the text comes from (default: the default team)")

    sms = commands.add_parser("sms", help="the SMS channel's outbox")
    sms_commands = sms.add_subparsers(dest="sms_command", required=True)
    status = sms_commands.add_parser("status", help="texts waiting, failing or failed (no numbers, no text)")
    status.add_argument("--json", action="store_true", help="machine-readable output")
    retry = sms_commands.add_parser("retry", help="send failed texts again")
    retry.add_argument("ids", nargs="+", type=int, help="outbox ids from `whatmatters sms status`")


async def _run(settings: Settings, work: Callable) -> Any:
    engine = create_engine(settings)
    try:
        return await work(session_factory(engine))
    finally:
        await engine.dispose()


async def invite(
    settings: Settings, phone: str, ref: Optional[str], send_now: bool = True, team: Optional[str] = None
) -> tuple[int, str]:
    """(exit code, message) for inviting `phone`; the message never contains the number."""
    from bot.sms.service import SmsRuntime

    if not settings.sms_enabled:
        return 2, "The SMS channel is off: set WM_SMS_PROVIDER (and its settings) in .env."
    runtime = SmsRuntime.from_settings(settings)

    async def work(sessions) -> tuple[int, str]:
        async with sessions() as session:
            async with session.begin():
                invitation = await queue_invitation(
                    session, settings, runtime.vault, phone, ref, cli_actor(), "cli", team
                )
        if not invitation.queued:
            return (1 if invitation.outcome == "opted_out" else 2), invitation.message
        if not send_now:
            return 0, invitation.message
        sender = Sender(settings, sessions, runtime.provider, runtime.vault)
        try:
            sent = 0
            for row_id in invitation.outbox_ids:
                sent += bool(await sender.deliver(row_id))
        finally:
            await sender.close()
        return 0, "Invitation sent." if sent else "Invitation queued; the server's sender will keep trying."

    return await _run(settings, work)


def _print_status(summary: dict[str, Any]) -> None:
    counts = summary["counts"]
    print("Outbox: " + (", ".join(f"{n} {s}" for s, n in sorted(counts.items())) or "empty"))
    for row in summary["problems"]:
        print(
            f"#{row['id']:<6} {row['status']:<9} {row['kind']:<7} tries {row['attempts']:<3} "
            f"{row['created_at'][:19]}  {row['conversation']}  {row['last_error'] or ''}"
        )


def handle(args: argparse.Namespace, settings: Settings) -> Optional[int]:
    """Run the command if it is one of ours and return its exit code; None if it is not ours."""
    if args.command == "invite":
        code, message = asyncio.run(invite(settings, args.phone, args.ref, team=args.team))
        print(message, file=sys.stderr if code else sys.stdout)
        return code
    if args.command == "sms" and args.sms_command == "status":

        async def work(sessions):
            async with sessions() as session:
                return await store.outbox_summary(session)

        summary = asyncio.run(_run(settings, work))
        print(json.dumps(summary, indent=2)) if args.json else _print_status(summary)
        return 0
    if args.command == "sms" and args.sms_command == "retry":

        async def retry(sessions):
            async with sessions() as session:
                async with session.begin():
                    count = await store.retry_failed(session, args.ids)
                    await audit.record(session, cli_actor(), "sms.retry", source="cli", detail={"ids": args.ids})
                    return count

        print(f"{asyncio.run(_run(settings, retry))} text(s) put back in the outbox.")
        return 0
    return None
