"""Make sure every disclosure the patient was answered for has its flag and queue item.

The crisis reply goes out even when the flag could not be written (the
database was down for the action, or for Rasa itself). Two records survive such
a fault: Rasa's tracker store, which holds the bot's crisis reply or check
question (`utter_action` in the event's metadata), and the local spool the
channels write when Rasa could not be reached at all (`bot.intake.fallback`).
`reconcile` reads both and raises any flag that is missing, with an audit event.
The web app runs it at start-up and every `reconcile_seconds`; every write is
an upsert, so several web workers running it at once raise nothing twice.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Optional

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import Flag, FlagKind
from bot.intake import store
from bot.intake.turn import CHECK_QUESTION, CRISIS_REPLIES
from bot.queue import audit
from bot.rasa import tracker

logger = logging.getLogger(__name__)

FLAG_FOR_REPLY = {**{name: FlagKind.SAFEGUARDING for name in CRISIS_REPLIES}, CHECK_QUESTION: FlagKind.RISK_CHECK}
"""The bot replies that mean a flag must exist for the message they answered."""


@dataclass
class Reconciler:
    """Remembers how far through the tracker store it has read (start-up reads it all)."""

    sessions: Callable[[], AsyncSession]
    spool: Path
    after_event: int = 0
    raised: int = field(default=0)

    async def run_once(self) -> int:
        """Raise every missing flag; returns how many were raised this time."""
        count = await self._drain_spool() + await self._scan_tracker()
        self.raised += count
        return count

    async def _drain_spool(self) -> int:
        count = 0
        for path in sorted(self.spool.glob("*.json")) if self.spool.is_dir() else []:
            try:
                record = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                logger.error("unreadable spool file %s left for an operator", path.name)
                continue
            async with self.sessions() as session:
                async with session.begin():
                    intake = await store.ensure_intake(
                        session, record["sender_id"], record.get("channel") or "rest", record.get("start")
                    )
                    count += await _raise_if_missing(
                        session,
                        intake,
                        record.get("kind") or FlagKind.SAFEGUARDING,
                        record["text"],
                        record.get("category"),
                        "spool",
                    )
            path.unlink()  # only after the flag is committed
        return count

    async def _scan_tracker(self) -> int:
        count = 0
        async with self.sessions() as session:
            async with session.begin():
                replies, self.after_event = await tracker.replies_uttering(session, FLAG_FOR_REPLY, self.after_event)
                for reply in replies:
                    said, category = await tracker.message_before(session, reply.sender_id, reply.event_id)
                    intake = await store.find_intake(session, reply.sender_id)
                    if intake is None:
                        intake = await store.ensure_intake(session, reply.sender_id, "rest")
                    count += await _raise_if_missing(
                        session, intake, FLAG_FOR_REPLY[reply.utter_action], said, category, "tracker"
                    )
        return count


async def _raise_if_missing(
    session: AsyncSession, intake: Any, kind: str, said: str, category: Optional[str], source: str
) -> int:
    exists = (
        await session.execute(
            select(Flag.id).where(Flag.intake_id == intake.id, Flag.kind == kind, Flag.message == said).limit(1)
        )
    ).first()
    if exists:
        return 0
    await store.add_flag(session, intake, kind, said, category)
    await audit.record(session, audit.SYSTEM, "flag.reconciled", intake.id, source=source, detail={"kind": kind})
    logger.warning("reconciler raised a missing %s flag for intake %s (from the %s)", kind, intake.reference, source)
    return 1
