"""One database engine per action-server process, and a transaction helper for actions."""

from __future__ import annotations

from contextlib import asynccontextmanager
from typing import Any, AsyncIterator, Optional

from rasa_sdk import Tracker
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from bot.db.engine import create_engine, session_factory
from bot.db.models import Intake
from bot.intake import store
from bot.settings import load_settings
from bot.teams.routing import start_from

_engine: Optional[AsyncEngine] = None
_sessions = None


def _factory():
    global _engine, _sessions
    if _sessions is None:
        _engine = create_engine(load_settings())
        _sessions = session_factory(_engine)
    return _sessions


async def reset() -> None:
    """Forget the engine (tests point the actions at a fresh database)."""
    global _engine, _sessions
    if _engine is not None:
        await _engine.dispose()
    _engine = _sessions = None


@asynccontextmanager
async def transaction() -> AsyncIterator[AsyncSession]:
    """A session whose work is committed together, or not at all."""
    async with _factory()() as session:
        async with session.begin():
            yield session


def channel_of(tracker: Tracker) -> str:
    return (tracker.get_latest_input_channel() or "rest")[:32]


def start_of(tracker: Tracker) -> dict[str, Any]:
    """Where the person came from, as their channel told us in the message's metadata (see ensure_intake)."""
    return start_from((tracker.latest_message or {}).get("metadata"))


async def intake_of(session: AsyncSession, tracker: Tracker) -> Intake:
    return await store.ensure_intake(session, tracker.sender_id, channel_of(tracker), start_of(tracker))


def latest_text(tracker: Tracker) -> str:
    return (tracker.latest_message or {}).get("text") or ""


def latest_intent(tracker: Tracker) -> Optional[str]:
    return ((tracker.latest_message or {}).get("intent") or {}).get("name")
