"""An intake's possible offers and the link worker's decisions on them: what the page, the API and the CLI show.

The matching index is built from the database once and kept while the directory is unchanged (a
sync, or a service made inactive, changes `store.version` and the next request rebuilds it).
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any, Mapping, Optional

from sqlalchemy.ext.asyncio import AsyncSession

from bot.directory import store
from bot.directory.matching import DirectoryIndex, Need, Suggestion
from bot.directory.models import OfferStatus

MAX_NEAR_CHARS = 40


class IndexCache:
    """One matching index per process, rebuilt when the directory changes."""

    def __init__(self) -> None:
        self._version: Optional[tuple[Any, ...]] = None
        self._index: Optional[DirectoryIndex] = None
        self._lock = asyncio.Lock()

    async def get(self, session: AsyncSession) -> DirectoryIndex:
        version = await store.version(session)
        if self._index is not None and version == self._version:
            return self._index
        async with self._lock:
            if self._index is None or version != self._version:
                rows = await store.active_features(session)
                self._index = await asyncio.get_running_loop().run_in_executor(None, DirectoryIndex, rows)
                self._version = version
        return self._index


@dataclass(frozen=True)
class Decided:
    service_id: int
    name: str
    organisation: str
    active: bool
    status: str
    decided_by: str
    decided_at: Any

    @classmethod
    def of(cls, decision: Any, service: Any) -> "Decided":
        return cls(
            service.id,
            service.name,
            service.organisation or "",
            service.active,
            decision.status,
            decision.decided_by,
            decision.decided_at,
        )

    def as_json(self) -> dict[str, Any]:
        return {
            "service_id": self.service_id,
            "name": self.name,
            "organisation": self.organisation,
            "active": self.active,
            "status": self.status,
            "status_name": OfferStatus.NAMES[self.status],
            "decided_by": self.decided_by,
            "decided_at": self.decided_at.isoformat() if self.decided_at else None,
        }


@dataclass(frozen=True)
class Offers:
    near: str
    suggestions: list[Suggestion]
    decided: list[Decided]
    directory_size: int

    def status_of(self, service_id: int) -> Optional[str]:
        return next((d.status for d in self.decided if d.service_id == service_id), None)

    def as_json(self) -> dict[str, Any]:
        return {
            "near": self.near or None,
            "directory_size": self.directory_size,
            "suggestions": [dict(s.as_json(), decision=self.status_of(s.service_id)) for s in self.suggestions],
            "decisions": [d.as_json() for d in self.decided],
        }


def clean_near(near: Optional[str]) -> str:
    """A town or the first half of a postcode, as typed; trimmed and bounded (it is only matched, never stored)."""
    return " ".join(str(near or "").split())[:MAX_NEAR_CHARS]


async def offers_for(
    session: AsyncSession, cache: IndexCache, intake_id: int, summary: Mapping[str, Any], near: str = ""
) -> Offers:
    """Three to five suggestions for the intake (none already judged not suitable) and every decision made."""
    index = await cache.get(session)
    decisions = await store.decisions_of(session, intake_id)
    rows = await store.services(session, (d.service_id for d in decisions))
    decided = [Decided.of(d, rows[d.service_id]) for d in decisions]
    unsuitable = [d.service_id for d in decisions if d.status == OfferStatus.NOT_SUITABLE]
    need = Need.from_summary(summary, clean_near(near))  # what the link worker typed, else the person's answer
    suggestions = index.suggest(need, exclude=unsuitable)
    return Offers(clean_near(need.near), suggestions, decided, len(index))
