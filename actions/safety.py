"""Risk disclosures: flag the intake as urgent and queue it in the same turn.

The NLU pipeline marks a message `disclose_risk` when the reviewed phrase
list matches or the classifier thinks so; rules run this action whatever the
bot was asking. The flag and queue item are committed before the crisis reply
is sent, so a person sees it even if the patient never says another word.
"""

from __future__ import annotations

import logging
from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions.db import intake_of, latest_text, transaction
from bot.db.models import FlagKind
from bot.intake import store
from bot.intake.risk import detect_risk

logger = logging.getLogger(__name__)


class ActionHandleRisk(Action):
    def name(self) -> Text:
        return "action_handle_risk"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        text = latest_text(tracker)
        match = detect_risk(text)
        category = match.category if match else "classifier"
        try:
            async with transaction() as session:
                intake = await intake_of(session, tracker)
                await store.add_flag(session, intake, FlagKind.SAFEGUARDING, text, category)
            logger.warning("safeguarding flag raised for intake %s (%s)", intake.reference, category)
        finally:
            # The crisis response goes out even if the database is unreachable.
            dispatcher.utter_message(response="utter_crisis")
            dispatcher.utter_message(response="utter_offer_continue")
        return []


class ActionRequestPerson(Action):
    """The patient asked for a person: flag it, queue a call-back, and carry on if they wish."""

    def name(self) -> Text:
        return "action_request_person"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        async with transaction() as session:
            intake = await intake_of(session, tracker)
            await store.add_flag(session, intake, FlagKind.WANTS_PERSON, latest_text(tracker))
        dispatcher.utter_message(response="utter_person_requested")
        return []
