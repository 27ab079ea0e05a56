"""Starting, pausing and resuming, and answering questions about the questions (why, help, a bot?)."""

from __future__ import annotations

from typing import Any, Dict, List, NamedTuple, Text

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
    said = _Interruption.of(tracker, "pause")
    if not said.in_form or said.slot not in questions.QUESTION_BY_KEY:
        return []
    if repeats.reads_pause_as_answer(said.slot, said.times, said.text):
        outcome = validation.interpret(said.slot, said.text, None, tracker.slots)
        if outcome.accepted and not outcome.clear:
            return await apply_outcome(dispatcher, tracker, said.slot, outcome, said.text)
    if repeats.leaves_question(said.slot, said.times):
        return await apply_outcome(dispatcher, tracker, said.slot, validation.leave_unanswered(), said.text)
    return []


class ActionAnswerInterruption(Action):
    """Why, help, "are you a bot", off-topic: answered, then the question again; never three times the same."""

    def name(self) -> Text:
        return "action_answer_interruption"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[EventType]:
        intent = ((tracker.latest_message or {}).get("intent") or {}).get("name") or "help"
        return await reply_to_interruption(dispatcher, tracker, intent if intent in INTERRUPTIONS else "help")


class _Interruption(NamedTuple):
    """What an interruption's handling reads from the tracker, read once: the question asked, how often this
    interruption has come at it, the words, and whether the form is running."""

    slot: Any  # the requested slot as the tracker holds it (None outside the form)
    last_interruption: Dict[str, Any]
    text: str
    in_form: bool

    @classmethod
    def of(cls, tracker: Tracker, intent: str) -> "_Interruption":
        slot = tracker.get_slot("requested_slot")
        return cls(
            slot=slot,
            last_interruption=repeats.repeat_count(intent, slot, tracker.get_slot(repeats.LAST_INTERRUPTION)),
            text=(tracker.latest_message or {}).get("text") or "",
            in_form=bool((tracker.active_loop or {}).get("name")),
        )

    @property
    def times(self) -> int:
        """How many times in a row it has come at this question, this time included."""
        return int(self.last_interruption["count"])

    @property
    def is_the_answer(self) -> bool:
        return self.in_form and repeats.reads_as_answer(self.slot, self.times, self.text)


def interruption_is_the_answer(tracker: Tracker, intent: str) -> bool:
    """Whether this interruption is read as the answer to the question asked (`repeats.reads_as_answer`): then it
    is no interruption at all ("ring me duck" at how to get in touch is the choice, not a request for a person)."""
    return _Interruption.of(tracker, intent).is_the_answer


async def reply_to_interruption(dispatcher: CollectingDispatcher, tracker: Tracker, intent: str) -> List[EventType]:
    """Answer an interruption inside the form, unless it has come so often at this question that it is read as the
    answer (`repeats.reads_as_answer`) or the question is left for the link worker (`repeats.leaves_question`)."""
    said = _Interruption.of(tracker, intent)
    if said.is_the_answer:
        # The words alone, not the intent; the count is kept, so the same again is read as an answer again.
        return [
            *await read_answer(dispatcher, tracker, said.slot, said.text, None),
            SlotSet(repeats.LAST_INTERRUPTION, said.last_interruption),
        ]
    if said.in_form and repeats.leaves_question(said.slot, said.times, after_interruptions=True):
        # Never a loop: the question is left for the link worker and the intake goes on (at consent, it stops).
        return await apply_outcome(
            dispatcher, tracker, said.slot, validation.leave_unanswered(said.slot or ""), said.text
        )
    return _say_interruption_reply(dispatcher, intent, said)


INTERRUPTIONS = ("ask_why", "help", "bot_challenge", "out_of_scope")


def answer_interruption(dispatcher: CollectingDispatcher, tracker: Tracker, intent: str) -> List[EventType]:
    """Say the reply for this interruption, varied when it is asked again in a row; returns the slot update."""
    return _say_interruption_reply(dispatcher, intent, _Interruption.of(tracker, intent))


def _say_interruption_reply(dispatcher: CollectingDispatcher, intent: str, said: _Interruption) -> List[EventType]:
    dispatcher.utter_message(response=repeats.interruption_reply(intent, said.slot, said.times, said.in_form))
    return [SlotSet(repeats.LAST_INTERRUPTION, said.last_interruption)]
