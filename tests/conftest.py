"""Shared fixtures: real databases (SQLite always, PostgreSQL when asked for)."""

from __future__ import annotations

import os
import uuid
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import pytest
from sqlalchemy import create_engine, text

from bot.db.migrate import upgrade
from bot.settings import Settings

POSTGRES_ADMIN_URL = os.environ.get("WM_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
TEST_DATABASE = os.environ.get("WM_TEST_DATABASE", "sqlite")
"""The database a pass of the suite runs on: `make test` runs once on SQLite, then again on PostgreSQL."""


def postgres_available() -> bool:
    try:
        engine = create_engine(POSTGRES_ADMIN_URL, future=True)
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        engine.dispose()
        return True
    except Exception:  # noqa: BLE001 - any failure means "not reachable"
        return False


@pytest.fixture
def sqlite_settings(tmp_path: Path) -> Settings:
    settings = Settings(database_url=f"sqlite+aiosqlite:///{tmp_path / 'wm.db'}", model_dir=tmp_path / "models")
    upgrade(settings)
    return settings


@contextmanager
def fresh_postgres_database() -> Iterator[str]:
    """A new, empty database in the local PostgreSQL (async URL); dropped afterwards.

    Skips when PostgreSQL is unreachable, but fails when CI is set: CI machines have it.
    """
    if not postgres_available():
        if os.environ.get("CI"):
            pytest.fail(f"PostgreSQL is required in CI but not reachable at {POSTGRES_ADMIN_URL}")
        pytest.skip("PostgreSQL not reachable")
    name = f"wm_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(POSTGRES_ADMIN_URL, future=True, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    base = POSTGRES_ADMIN_URL.rsplit("/", 1)[0].replace("postgresql://", "postgresql+asyncpg://", 1)
    try:
        yield f"{base}/{name}"
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def postgres_settings(tmp_path: Path) -> Settings:
    """Settings on a fresh PostgreSQL database, migrated."""
    with fresh_postgres_database() as url:
        settings = Settings(database_url=url, model_dir=tmp_path / "models")
        upgrade(settings)
        yield settings


@pytest.fixture
def db_settings(request) -> Settings:
    """Settings on this pass's database (WM_TEST_DATABASE): SQLite, or a fresh PostgreSQL database."""
    return request.getfixturevalue("postgres_settings" if TEST_DATABASE == "postgres" else "sqlite_settings")


@pytest.fixture(params=["sqlite", "postgres"])
def any_settings(request) -> Settings:
    """Run a test on both databases."""
    return request.getfixturevalue(f"{request.param}_settings")
