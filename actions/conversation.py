"""Starting, pausing and resuming, and answering questions about the questions (why, help, a bot?)."""

from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.db import transaction
from actions.intake_form import apply_outcome, read_answer
from bot.db.models import IntakeStatus
from bot.intake import questions, repeats, store, validation


class ActionStartOrResume(Action):
    """Greet a new patient, or welcome one back to the question where they stopped."""

    def name(self) -> Text:
        return "action_start_or_resume"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[EventType]:
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

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[EventType]:
        """Pause, keeping everything; a pause said again and again at the same question is read as its answer or
        leaves the question for the link worker first (`repeats`), so coming back never meets the same wall."""
        read = await _read_repeated_pause(dispatcher, tracker)
        if tracker.get_slot(questions.CONSENT) is True and tracker.get_slot(questions.CONFIRMED) is not True:
            async with transaction() as session:
                intake = await store.find_intake(session, tracker.sender_id)
                if intake is not None:
                    await store.set_status(session, intake, IntakeStatus.PAUSED)
        return [*read, *answer_interruption(dispatcher, tracker, "pause")]


async def _read_repeated_pause(dispatcher: CollectingDispatcher, tracker: Tracker) -> List[EventType]:
    slot = tracker.get_slot("requested_slot")
    if not (tracker.active_loop or {}).get("name") or slot not in questions.QUESTION_BY_KEY:
        return []
    count = int(repeats.repeat_count("pause", slot, tracker.get_slot(repeats.LAST_INTERRUPTION))["count"])
    text = (tracker.latest_message or {}).get("text") or ""
    if repeats.reads_pause_as_answer(slot, count, text):
        outcome = validation.interpret(slot, text, None, tracker.slots)
        if outcome.accepted and not outcome.clear:
            return await apply_outcome(dispatcher, tracker, slot, outcome, text)
    if repeats.leaves_question(slot, count):
        return await apply_outcome(dispatcher, tracker, slot, validation.leave_unanswered(), text)
    return []


class ActionAnswerInterruption(Action):
    """Why, help, "are you a bot", off-topic: answered, then the question again; never three times the same."""

    def name(self) -> Text:
        return "action_answer_interruption"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[EventType]:
        intent = ((tracker.latest_message or {}).get("intent") or {}).get("name") or "help"
        return await reply_to_interruption(dispatcher, tracker, intent if intent in INTERRUPTIONS else "help")


def interruption_is_the_answer(tracker: Tracker, intent: str) -> bool:
    """Whether this interruption is read as the answer to the question asked (`repeats.reads_as_answer`): then it
    is no interruption at all ("ring me duck" at how to get in touch is the choice, not a request for a person)."""
    slot = tracker.get_slot("requested_slot")
    count = repeats.repeat_count(intent, slot, tracker.get_slot(repeats.LAST_INTERRUPTION))
    text = (tracker.latest_message or {}).get("text") or ""
    in_form = bool((tracker.active_loop or {}).get("name"))
    return in_form and repeats.reads_as_answer(slot, int(count["count"]), text)


async def reply_to_interruption(dispatcher: CollectingDispatcher, tracker: Tracker, intent: str) -> List[EventType]:
    """Answer an interruption inside the form, unless it has come so often at this question that it is read as the
    answer (`repeats.reads_as_answer`) or the question is left for the link worker (`repeats.leaves_question`)."""
    slot = tracker.get_slot("requested_slot")
    count = repeats.repeat_count(intent, slot, tracker.get_slot(repeats.LAST_INTERRUPTION))
    text = (tracker.latest_message or {}).get("text") or ""
    in_form = bool((tracker.active_loop or {}).get("name"))
    if interruption_is_the_answer(tracker, intent):
        # The words alone, not the intent; the count is kept, so the same again is read as an answer again.
        return [
            *await read_answer(dispatcher, tracker, slot, text, None),
            SlotSet(repeats.LAST_INTERRUPTION, count),
        ]
    if in_form and repeats.leaves_question(slot, int(count["count"]), after_interruptions=True):
        # Never a loop: the question is left for the link worker and the intake goes on (at consent, it stops).
        return await apply_outcome(dispatcher, tracker, slot, validation.leave_unanswered(slot or ""), text)
    return answer_interruption(dispatcher, tracker, intent)


INTERRUPTIONS = ("ask_why", "help", "bot_challenge", "out_of_scope")


def answer_interruption(dispatcher: CollectingDispatcher, tracker: Tracker, intent: str) -> List[EventType]:
    """Say the reply for this interruption, varied when it is asked again in a row; returns the slot update."""
    slot = tracker.get_slot("requested_slot")
    count = repeats.repeat_count(intent, slot, tracker.get_slot(repeats.LAST_INTERRUPTION))
    in_form = bool((tracker.active_loop or {}).get("name"))
    dispatcher.utter_message(response=repeats.interruption_reply(intent, slot, int(count["count"]), in_form))
    return [SlotSet(repeats.LAST_INTERRUPTION, count)]
