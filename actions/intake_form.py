"""The intake form: which question comes next, and what an answer means.

Rasa fills the requested slot with the patient's text; this action asks
`bot.intake.validation.interpret` what it means, saves the answer straight
away, and sets the slots. Question order lives in `bot.intake.questions`.
"""

from __future__ import annotations

import logging
from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import FormValidationAction
from rasa_sdk.types import DomainDict

from actions.db import intake_of, latest_intent, transaction
from bot.db.models import IntakeStatus
from bot.intake import questions, store
from bot.intake.summary import summary_text
from bot.intake.validation import interpret

logger = logging.getLogger(__name__)

ATTEMPTS_SLOT = "attempts"


class ValidateIntakeForm(FormValidationAction):
    def name(self) -> Text:
        return "validate_intake_form"

    async def required_slots(
        self, domain_slots: List[Text], dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[Text]:
        return questions.required_slots(tracker.slots)

    async def get_validation_events(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        requested = tracker.get_slot("requested_slot")
        given = tracker.slots_to_validate()
        if requested not in given:
            return []
        text = given[requested] if isinstance(given[requested], str) else ""
        attempts = int(tracker.get_slot(ATTEMPTS_SLOT) or 0)
        outcome = interpret(requested, text, latest_intent(tracker), tracker.slots, attempts)
        logger.debug("validated %s: accepted=%s", requested, outcome.accepted)

        async with transaction() as session:
            intake = await intake_of(session, tracker)
            if outcome.accepted and requested == questions.CONSENT:
                status = IntakeStatus.IN_PROGRESS if outcome.value else IntakeStatus.DECLINED
                await store.set_status(session, intake, status, consent=bool(outcome.value))
            elif outcome.accepted and requested in questions.QUESTION_BY_KEY:
                await store.save_answer(session, intake, requested, outcome.value, text)
            elif outcome.clear:
                await store.forget_answers(session, intake, outcome.clear)

        for response in outcome.responses:
            dispatcher.utter_message(response=response)
        if outcome.accepted:
            changes = {requested: outcome.value, ATTEMPTS_SLOT: 0}
        elif outcome.clear:
            changes = {requested: None, questions.CONFIRMED: None, ATTEMPTS_SLOT: 0}
            changes.update({key: None for key in outcome.clear})
        else:
            changes = {requested: None, ATTEMPTS_SLOT: attempts + 1}
        return changed_slots(tracker, changes)


def changed_slots(tracker: Tracker, changes: Dict[Text, Any]) -> List[EventType]:
    """SlotSet events for the values that differ from the tracker's: every event lengthens every later turn."""
    return [SlotSet(name, value) for name, value in changes.items() if tracker.get_slot(name) != value]


class ActionAskConfirmed(Action):
    """Read the saved answers back before the patient confirms."""

    def name(self) -> Text:
        return "action_ask_confirmed"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        async with transaction() as session:
            intake = await intake_of(session, tracker)
            answers = await store.answer_map(session, intake)
        readback = summary_text(answers)
        dispatcher.utter_message(response="utter_readback_intro")
        dispatcher.utter_message(text=readback)
        dispatcher.utter_message(response="utter_ask_confirmed")
        return []



class ActionAskTopAreas(Action):
    """Ask which one or two of the patient's own chosen areas matter most, as buttons."""

    def name(self) -> Text:
        return "action_ask_top_areas"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        labels = [option.label for option in questions.top_area_options(tracker.slots)]
        text = domain["responses"]["utter_ask_top_areas"][0]["text"]
        listing = "\n".join(f"{number} {label}" for number, label in enumerate(labels, start=1))
        buttons = [{"title": label, "payload": label} for label in labels]
        dispatcher.utter_message(text=f"{text}\n{listing}", buttons=buttons)
        return []
