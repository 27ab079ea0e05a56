"""SMS fixtures: settings with SMS secrets, fake providers, signed webhooks, and the real system by SMS."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.settings import Settings
from tests.support.sms import (
    SmsSystem,
    twilio_settings,
)
from tests.support.sms_fakes import FakeTwilio
from tests.support.sms_rig import Rig


@pytest.fixture(scope="module")
def sms_system(tmp_path_factory, request):
    """The real servers (trained model, Rasa, actions, web) with the SMS channel on a fake Twilio."""
    from tests.support.system import embedded_settings, running_system

    fake = FakeTwilio().start_in_thread()
    settings = twilio_settings(embedded_settings(tmp_path_factory.mktemp("sms")), fake)
    try:
        with running_system(settings, request.module.__name__.rsplit(".", 1)[-1]) as running:
            yield SmsSystem(running, fake)
    finally:
        fake.stop_thread()


@pytest.fixture
def sqlite_db(tmp_path: Path) -> Settings:
    from bot.db.migrate import upgrade

    settings = Settings(database_url=f"sqlite+aiosqlite:///{tmp_path / 'sms.db'}", model_dir=tmp_path / "models")
    upgrade(settings)
    return settings


@pytest.fixture
async def fake_twilio():
    fake = await FakeTwilio().start()
    yield fake
    await fake.stop()


@pytest.fixture
async def rig(any_settings, fake_twilio):
    """The channel's core on SQLite and again on PostgreSQL (tests/conftest.py `any_settings`)."""
    async with Rig(twilio_settings(any_settings, fake_twilio), fake_twilio) as rig:
        yield rig
