"""Shared fixtures: real databases (SQLite always, PostgreSQL when asked for)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.db.migrate import upgrade
from bot.settings import Settings
from tests.support.databases import TEST_DATABASE, fresh_postgres_database


@pytest.fixture
def sqlite_settings(tmp_path: Path) -> Settings:
    settings = Settings(database_url=f"sqlite+aiosqlite:///{tmp_path / 'wm.db'}", model_dir=tmp_path / "models")
    upgrade(settings)
    return settings


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
