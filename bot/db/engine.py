"""Async engine and sessions for the app database (aiosqlite by default, asyncpg in production)."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Awaitable, Callable, TypeVar

from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, create_async_engine
from sqlalchemy.orm import sessionmaker
from sqlalchemy.pool import AsyncAdaptedQueuePool

from bot.settings import Settings

SQLITE_BUSY_TIMEOUT_MS = 15000
T = TypeVar("T")


def _tune_sqlite(dbapi_connection, _record) -> None:  # pragma: no cover - called by the driver
    """WAL lets Rasa's tracker store and the action server share one SQLite file."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def ensure_sqlite_dir(url: str) -> None:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)


def create_engine(settings: Settings) -> AsyncEngine:
    ensure_sqlite_dir(settings.database_url)
    if settings.is_sqlite:
        # SQLAlchemy 1.4 would open a new SQLite connection (a thread, pragmas, functions) for every
        # transaction; measured at a third of the action server's database time per turn. Keep a few.
        engine = create_async_engine(settings.database_url, future=True, poolclass=AsyncAdaptedQueuePool, pool_size=5)
        event.listen(engine.sync_engine, "connect", _tune_sqlite)
        return engine
    return create_async_engine(settings.database_url, future=True, pool_pre_ping=True, pool_size=5)


def session_factory(engine: AsyncEngine) -> sessionmaker:
    return sessionmaker(engine, class_=AsyncSession, expire_on_commit=False, future=True)


async def in_transaction(settings: Settings, work: Callable[[AsyncSession], Awaitable[T]]) -> T:
    """Run `work(session)` in one transaction on a short-lived engine (command-line tools, scripts)."""
    engine = create_engine(settings)
    try:
        async with session_factory(engine)() as session:
            async with session.begin():
                return await work(session)
    finally:
        await engine.dispose()


def dialect_insert(session: AsyncSession, table: Any) -> Any:
    """INSERT for this session's database, with its own ON CONFLICT clause (SQLite or PostgreSQL)."""
    from sqlalchemy.dialects import postgresql, sqlite

    return (postgresql if session.bind.dialect.name == "postgresql" else sqlite).insert(table)
