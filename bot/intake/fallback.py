"""The safety path when Rasa or the database fails: crisis reply from the phrase list, disclosure spooled.

A channel that cannot get a message through Rasa (the tracker store is down,
the action server is down, anything raised) still checks the message against
the reviewed phrase list, which needs no model and no database, and answers a
disclosure with the crisis reply instead of "something went wrong". The
disclosure is written to a spool file on local disk (so is a flag the action
server could not write); the reconciler
(`bot.intake.reconcile`) turns it into a flag and an urgent queue item once the
database is back. Nothing with patient text is logged above DEBUG.
"""

from __future__ import annotations

import json
import logging
import os
import time
import uuid
from pathlib import Path
from typing import Any, Mapping, Optional

from bot.db.models import FlagKind
from bot.intake.risk import detect_risk
from bot.intake.turn import crisis_responses
from bot.settings import Settings
from bot.wording import response_texts

logger = logging.getLogger(__name__)


def crisis_texts(category: str, settings: Settings) -> list[str]:
    """The words of the crisis reply for this category, as the bot would send them."""
    return [
        response_texts()[name][0].replace("{housing_line}", settings.emergency_housing_line)
        for name in crisis_responses(category, flagged=False)
    ]


def spool_disclosure(
    settings: Settings,
    sender_id: str,
    channel: str,
    text: str,
    category: Optional[str],
    kind: str = FlagKind.SAFEGUARDING,
    start: Optional[Mapping[str, Any]] = None,
) -> Path:
    """Keep a disclosure nobody could record, for the reconciler; written whole or not at all.

    `start` (see `bot.teams.routing.start_from`) goes with it, so that an intake the reconciler has
    to create belongs to the team of the entry point the person came through."""
    folder = settings.spool_path
    folder.mkdir(parents=True, exist_ok=True)
    record = {
        "sender_id": sender_id,
        "channel": channel,
        "text": text,
        "category": category,
        "kind": kind,
        "start": dict(start or {}),
        "at": time.time(),
    }
    final = folder / f"{time.time_ns()}-{uuid.uuid4().hex[:8]}.json"
    partial = final.with_suffix(".part")
    with open(partial, "w", encoding="utf-8") as handle:
        json.dump(record, handle, ensure_ascii=False)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(partial, final)  # atomic: the reconciler never reads half a record
    return final


def fallback_reply(
    settings: Settings,
    sender_id: str,
    channel: str,
    text: Optional[str],
    start: Optional[Mapping[str, Any]] = None,
) -> Optional[list[str]]:
    """The crisis reply for a message Rasa failed on, if it discloses risk (the disclosure is spooled
    with `start`, where the person came from)."""
    match = detect_risk(text)
    if match is None:
        return None
    try:
        spool_disclosure(settings, sender_id, channel, text or "", match.category, start=start)
    except OSError:
        logger.exception("could not spool a disclosure made while the system was failing")
    logger.warning("crisis reply sent by the fallback path (%s) for a message Rasa could not handle", match.category)
    return crisis_texts(match.category, settings)
