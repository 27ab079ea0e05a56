"""Small things every `whatmatters` command module shares."""

from __future__ import annotations

import getpass


def cli_actor() -> str:
    """Who is at the command line, for the audit log."""
    try:
        return f"cli:{getpass.getuser()}"
    except Exception:  # noqa: BLE001 - no user name in some containers
        return "cli:unknown"
