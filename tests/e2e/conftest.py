"""The real system: trained model, Rasa server, action server and web app on 127.0.0.1.

Started once per test module with its own SQLite database and free ports, the
same way `make run` starts it (bot.launcher.System). Logs go to
test-artifacts/ so tests can check what was (and was not) logged."""

from __future__ import annotations

import pytest

from tests.support.databases import fresh_postgres_database
from tests.support.system import (
    embedded_settings,
    running_system,
)


@pytest.fixture(scope="module")
def system(tmp_path_factory, request):
    """The embedded profile (SQLite) on free ports."""
    settings = embedded_settings(tmp_path_factory.mktemp("system"))
    with running_system(settings, request.module.__name__.rsplit(".", 1)[-1]) as running:
        yield running


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def db_system(tmp_path_factory, request):
    """The system on SQLite and again on a fresh PostgreSQL database (fails in CI without PostgreSQL)."""
    folder = tmp_path_factory.mktemp("system")
    name = request.module.__name__.rsplit(".", 1)[-1] + "-" + request.param
    if request.param == "sqlite":
        with running_system(embedded_settings(folder), name) as running:
            yield running
        return
    with fresh_postgres_database() as url:
        with running_system(embedded_settings(folder, database_url=url), name) as running:
            yield running
