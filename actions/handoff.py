"""The end of an intake: the summary and queue item, or a refusal that keeps nothing."""

from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.db import intake_of, transaction
from bot.db.models import FlagKind
from bot.intake import questions, store
from bot.intake.summary import build_summary, summary_text


class ActionFinishIntake(Action):
    def name(self) -> Text:
        return "action_finish_intake"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[EventType]:
        if tracker.get_slot(questions.CONSENT) is False:
            async with transaction() as session:
                erased = await store.erase_declined(session, tracker.sender_id)
            if not erased:
                dispatcher.utter_message(response="utter_declined_kept")
                return []
            # Rasa saves the conversation after this turn: the slot tells our tracker store to delete it instead.
            dispatcher.utter_message(response="utter_declined")
            return [SlotSet(store.FORGET_CONVERSATION, True)]
        async with transaction() as session:
            intake = await intake_of(session, tracker)
            answers = await store.answer_map(session, intake)
            flags = await store.flag_dicts(session, intake)
            summary = build_summary(answers, flags, intake.reference, intake.channel)
            await store.submit(session, intake, summary, summary_text(answers, flags))
        # After a disclosure of risk the routine "within 5 working days" would be wrong:
        # the team sees it first, and the patient is reminded where help is now.
        urgent = any(flag["kind"] == FlagKind.SAFEGUARDING for flag in flags)
        dispatcher.utter_message(
            response="utter_submitted_urgent" if urgent else "utter_submitted", reference=intake.reference
        )
        if (answers.get("gp_practice") or {}).get("value") == questions.NOT_REGISTERED:
            dispatcher.utter_message(response="utter_how_to_register_gp")
        return []
