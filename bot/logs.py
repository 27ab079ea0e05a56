"""Logging for our processes: level from settings, no patient text above DEBUG.

Our own code never puts patient text in a log message above DEBUG; this module
only sets the format and level.
"""

from __future__ import annotations

import logging


def configure_logging(level: str = "INFO") -> None:
    logging.basicConfig(
        level=getattr(logging, level.upper(), logging.INFO),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
