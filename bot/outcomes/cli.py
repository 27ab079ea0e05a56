"""`whatmatters followup` commands: the wellbeing follow-ups.

    whatmatters followup send            send the follow-ups and reminders due now (and the e-mails waiting)
    whatmatters followup status [--json] follow-ups by status, and e-mails by status

The review app sends due follow-ups by itself every FOLLOWUP_POLL_SECONDS; `send` is for an
operator who wants it now (or a server without the app running).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from typing import Any, Optional

from sqlalchemy import func, select

from bot.db.engine import create_engine, in_transaction, session_factory
from bot.mail import store as mail_store
from bot.mail.outbox import Mailer
from bot.outcomes.models import FollowUp
from bot.outcomes.sending import FollowUpSender
from bot.settings import Settings
from bot.sms.phone import vault_for


def register(commands: "argparse._SubParsersAction") -> None:
    followup = commands.add_parser("followup", help="the wellbeing follow-ups at the end of support")
    sub = followup.add_subparsers(dest="followup_command", required=True)
    sub.add_parser("send", help="send the follow-ups that are due now, and the e-mails waiting")
    status = sub.add_parser("status", help="follow-ups and e-mails by status")
    status.add_argument("--json", action="store_true", help="machine-readable output")


async def _send(settings: Settings) -> dict[str, int]:
    engine = create_engine(settings)
    try:
        sessions = session_factory(engine)
        print("[followup] sending the follow-ups that are due...", file=sys.stderr, flush=True)
        sent = await FollowUpSender(settings, sessions, vault_for(settings)).send_due()
        mailed = 0
        if settings.mail_enabled:
            print("[followup] sending the e-mails waiting...", file=sys.stderr, flush=True)
            mailer = Mailer(settings, sessions)
            try:
                mailed = await mailer.send_due()
            finally:
                await mailer.close()
        return {
            "sent": sent.sent,
            "reminded": sent.reminded,
            "declined": sent.declined,
            "cancelled": sent.cancelled,
            "emails_sent": mailed,
        }
    finally:
        await engine.dispose()


async def _status(session: Any) -> dict[str, Any]:
    rows = await session.execute(select(FollowUp.status, func.count()).group_by(FollowUp.status))
    return {"followups": {status: count for status, count in rows}, "emails": await mail_store.counts(session)}


def handle(args: argparse.Namespace, settings: Settings) -> Optional[int]:
    if args.command != "followup":
        return None
    if args.followup_command == "send":
        counts = asyncio.run(_send(settings))
        print(
            f"Follow-ups: {counts['sent']} sent, {counts['reminded']} reminded, {counts['declined']} declined,"
            f" {counts['cancelled']} could not be sent;"
            f" e-mails sent: {counts['emails_sent']}."
        )
        return 0
    found = asyncio.run(in_transaction(settings, _status))
    if args.json:
        print(json.dumps(found, indent=2))
    else:
        print("Follow-ups: " + (", ".join(f"{n} {s}" for s, n in sorted(found["followups"].items())) or "none"))
        print("E-mails: " + (", ".join(f"{n} {s}" for s, n in sorted(found["emails"].items())) or "none"))
    return 0
