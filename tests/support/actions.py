"""Running custom actions in-process on a hand-made tracker, as the action server would."""

from __future__ import annotations

import uuid
from typing import Any, Optional

import yaml
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import select

from bot.db.engine import create_engine, session_factory
from bot.settings import PROJECT_ROOT

DOMAIN = yaml.safe_load((PROJECT_ROOT / "domain.yml").read_text())


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
        sender or f"test-{uuid.uuid4().hex}",
        slot_values,
        latest,
        events,
        False,
        None,
        {"name": "intake_form"} if requested else {},
        "action_listen",
    )


async def run(action, tr: Tracker) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    dispatcher = CollectingDispatcher()
    events = await action.run(dispatcher, tr, DOMAIN)
    return events, dispatcher.messages


def responses(messages: list[dict[str, Any]]) -> list[Optional[str]]:
    return [m.get("response") for m in messages]


async def rows_of(settings, model, **where):
    """Every row of `model` matching `where`, read in a fresh engine."""
    engine = create_engine(settings)
    try:
        async with session_factory(engine)() as session:
            query = select(model)
            for key, value in where.items():
                query = query.where(getattr(model, key) == value)
            return list((await session.execute(query)).scalars())
    finally:
        await engine.dispose()
