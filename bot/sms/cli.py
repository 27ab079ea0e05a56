"""`whatmatters` commands of the SMS channel."""

from __future__ import annotations

import argparse
from typing import Optional

from bot.settings import Settings


def register(commands: "argparse._SubParsersAction") -> None:
    """Add this module's subcommands to the `whatmatters` parser."""


def handle(args: argparse.Namespace, settings: Settings) -> Optional[int]:
    """Run the command if it is one of ours and return its exit code; None if it is not ours."""
    return None
