"""The test databases: SQLite files, and fresh PostgreSQL databases on 127.0.0.1 for the production path."""

from __future__ import annotations

import os
import uuid
from contextlib import contextmanager
from typing import Iterator

import pytest
from sqlalchemy import create_engine, text

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
