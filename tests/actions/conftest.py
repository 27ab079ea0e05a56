"""Run the real custom actions against a real database, with trackers shaped as Rasa sends them."""

from __future__ import annotations

import pytest

import actions.db


@pytest.fixture
async def db(any_settings, monkeypatch):
    """Point the action server's database at a fresh one; yields the settings."""
    monkeypatch.setenv("WM_DATABASE_URL", any_settings.database_url)
    await actions.db.reset()
    yield any_settings
    await actions.db.reset()
