"""Risk disclosures outside the intake form: before it starts, while paused, after it is sent.

Inside the form the validation action handles a disclosure (it may also be the
answer to the question asked; see `bot.intake.turn`). Out here there is no
question to hold, so either tier gets the crisis reply. The flag and queue item
are committed before the reply is sent, so a person sees it even if the patient
never says another word, and the reply goes out even if the database is down.
"""

from __future__ import annotations

import logging
from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.conversation import interruption_is_the_answer, reply_to_interruption
from actions.db import intake_of, latest_text, transaction
from actions.intake_form import raise_flag_safely, risk_of, say
from bot.db.models import FlagKind
from bot.intake import store, turn
from bot.intake.risk import CLASSIFIER

logger = logging.getLogger(__name__)


class ActionHandleRisk(Action):
    def name(self) -> Text:
        return "action_handle_risk"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[EventType]:
        risk = risk_of(tracker)
        category = risk.category if risk else CLASSIFIER
        flagged = bool(tracker.get_slot(turn.RISK_FLAGGED))
        await raise_flag_safely(tracker, FlagKind.SAFEGUARDING, category, latest_text(tracker))
        say(dispatcher, turn.crisis_responses(category, flagged))
        return [] if flagged else [SlotSet(turn.RISK_FLAGGED, True)]


class ActionRequestPerson(Action):
    """The patient asked for a person: flag it, queue a call-back, and carry on if they wish."""

    def name(self) -> Text:
        return "action_request_person"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[EventType]:
        if not interruption_is_the_answer(tracker, "speak_to_person"):  # "ring me" at how to get in touch: no request
            async with transaction() as session:
                intake = await intake_of(session, tracker)
                await store.add_flag(session, intake, FlagKind.WANTS_PERSON, latest_text(tracker))
        return await reply_to_interruption(dispatcher, tracker, "speak_to_person")
