"""Run the real custom actions against a real database, with trackers shaped as Rasa sends them."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any, Optional

import pytest
import yaml
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

import actions.db
from bot.settings import PROJECT_ROOT

DOMAIN = yaml.safe_load((PROJECT_ROOT / "domain.yml").read_text())


@pytest.fixture
async def db(any_settings, monkeypatch):
    """Point the action server's database at a fresh one; yields the settings."""
    monkeypatch.setenv("WM_DATABASE_URL", any_settings.database_url)
    await actions.db.reset()
    yield any_settings
    await actions.db.reset()


def tracker(
    slots: Optional[dict[str, Any]] = None,
    text: str = "",
    intent: str = "inform",
    requested: Optional[str] = None,
    sender: Optional[str] = None,
    channel: str = "rest",
) -> Tracker:
    """A tracker just after the patient's message, with the requested slot filled from its text."""
    slot_values = {"requested_slot": requested, "attempts": 0, **(slots or {})}
    latest = {"text": text, "intent": {"name": intent, "confidence": 0.9}, "entities": []}
    events: list[dict[str, Any]] = [
        {"event": "user", "text": text, "parse_data": latest, "input_channel": channel},
    ]
    if requested:
        events.append({"event": "slot", "name": requested, "value": text})
        slot_values[requested] = text
    return Tracker(
        sender or f"test-{uuid.uuid4().hex}", slot_values, latest, events, False, None,
        {"name": "intake_form"} if requested else {}, "action_listen",
    )


async def run(action, tr: Tracker) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    dispatcher = CollectingDispatcher()
    events = await action.run(dispatcher, tr, DOMAIN)
    return events, dispatcher.messages


def responses(messages: list[dict[str, Any]]) -> list[Optional[str]]:
    return [m.get("response") for m in messages]
