"""Bring the database schema up to date with Alembic.

Safe to call from every instance at start-up: on PostgreSQL an advisory lock
makes concurrent starters wait, and the second finds nothing left to do.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import create_engine, text

from bot.db.engine import _tune_sqlite, ensure_sqlite_dir
from bot.settings import Settings

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
MIGRATION_LOCK_ID = 48151623


def alembic_config(sync_url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", sync_url.replace("%", "%%"))
    return config


def upgrade(settings: Settings, revision: str = "head") -> None:
    url = settings.sync_database_url
    ensure_sqlite_dir(url)
    engine = create_engine(url, future=True)
    try:
        with engine.begin() as connection:
            if connection.dialect.name == "sqlite":
                _tune_sqlite(connection.connection, None)
            else:
                connection.execute(text("SELECT pg_advisory_xact_lock(:id)"), {"id": MIGRATION_LOCK_ID})
            config = alembic_config(url)
            config.attributes["connection"] = connection
            command.upgrade(config, revision)
    finally:
        engine.dispose()
