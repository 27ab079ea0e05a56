"""Review app fixtures: a migrated database, staff accounts, intakes and signed-in test clients."""

from __future__ import annotations

import pytest

from bot.settings import Settings
from bot.web.app import create_app


@pytest.fixture
def settings(db_settings: Settings) -> Settings:
    return db_settings


@pytest.fixture
async def client(aiohttp_client, settings):
    return await aiohttp_client(create_app(settings))


@pytest.fixture
async def new_client(aiohttp_client, settings):
    """More clients of the same app database (each its own cookie jar)."""

    async def make():
        return await aiohttp_client(create_app(settings))

    return make
