"""Starting, pausing and resuming, and explaining why a question is asked."""

from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.db import transaction
from bot.db.models import IntakeStatus
from bot.intake import questions, store


class ActionStartOrResume(Action):
    """Greet a new patient, or welcome one back to the question where they stopped."""

    def name(self) -> Text:
        return "action_start_or_resume"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        consent = tracker.get_slot(questions.CONSENT)
        if consent is None:
            dispatcher.utter_message(response="utter_welcome")
            return []
        if consent is False:
            dispatcher.utter_message(response="utter_welcome")
            return [SlotSet(questions.CONSENT, None)]
        if tracker.get_slot(questions.CONFIRMED) is True:
            return []
        async with transaction() as session:
            intake = await store.find_intake(session, tracker.sender_id)
            if intake is not None and intake.status == IntakeStatus.PAUSED:
                await store.set_status(session, intake, IntakeStatus.IN_PROGRESS)
        dispatcher.utter_message(response="utter_welcome_back")
        return []


class ActionPauseIntake(Action):
    def name(self) -> Text:
        return "action_pause_intake"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        if tracker.get_slot(questions.CONSENT) is True and tracker.get_slot(questions.CONFIRMED) is not True:
            async with transaction() as session:
                intake = await store.find_intake(session, tracker.sender_id)
                if intake is not None:
                    await store.set_status(session, intake, IntakeStatus.PAUSED)
        dispatcher.utter_message(response="utter_paused")
        return []


class ActionExplainQuestion(Action):
    """Say why the current question is asked, in words for its section."""

    def name(self) -> Text:
        return "action_explain_question"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        dispatcher.utter_message(response=questions.why_response(tracker.get_slot("requested_slot")))
        return []
