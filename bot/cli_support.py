"""Small things every `whatmatters` command module shares."""

from __future__ import annotations

import getpass

from bot.review.auth import Staff


def cli_actor() -> str:
    """Who is at the command line, for the audit log."""
    try:
        return f"cli:{getpass.getuser()}"
    except Exception:  # noqa: BLE001 - no user name in some containers
        return "cli:unknown"


def cli_staff() -> Staff:
    """Who is at the command line, as the queue's rules see them: an admin.

    Whoever can run `whatmatters` on the server can read the database itself, so the command line
    grants nothing new; its changes are audited under `cli_actor()` with the source "cli".
    """
    return Staff.system(cli_actor())
