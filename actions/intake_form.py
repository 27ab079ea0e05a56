"""The intake form: which question comes next, and what an answer means.

Rasa fills the requested slot with the patient's text, disclosures included;
this action asks `bot.intake.turn.take_turn` what the message means (risk
first, then the answer), raises any flag, saves the answer straight away, and
sets the slots. Question order lives in `bot.intake.questions`.
"""

from __future__ import annotations

import logging
from functools import lru_cache
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import FormValidationAction
from rasa_sdk.types import DomainDict

from actions.db import channel_of, intake_of, latest_intent, start_of, transaction
from bot.db.models import FlagKind, IntakeStatus
from bot.intake import questions, store, turn
from bot.intake.fallback import spool_disclosure
from bot.intake.repeats import CHANGES_ASKED_AT, LAST_INTERRUPTION, changes_asked
from bot.intake.risk import CERTAIN, CLASSIFIER, RISK_INTENT, RISK_KEY, Risk, detect_risk
from bot.intake.summary import summary_text
from bot.intake.turn import take_turn
from bot.settings import load_settings

logger = logging.getLogger(__name__)

ATTEMPTS_SLOT = "attempts"
REQUESTED_SLOT = "requested_slot"


class ValidateIntakeForm(FormValidationAction):
    """Applies `bot.intake.turn.take_turn` to each message and says which slot comes next.

    The next slot is always chosen here (`requested_slot` in the returned
    events), so the form waits on a hold after a crisis reply instead of asking.
    """

    def name(self) -> Text:
        return "validate_intake_form"

    async def required_slots(
        self, domain_slots: List[Text], dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[Text]:
        return questions.required_slots(tracker.slots) + list(turn.HOLDS)

    async def next_requested_slot(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Optional[EventType]:
        return None  # get_validation_events has already set it

    async def get_validation_events(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        requested = tracker.get_slot(REQUESTED_SLOT)
        given = tracker.slots_to_validate()
        if requested not in given:
            # Back in the form after an interruption (why, help, a person): ask what is next.
            return [SlotSet(REQUESTED_SLOT, questions.next_question(tracker.slots))]
        text = given[requested] if isinstance(given[requested], str) else ""
        return await read_answer(dispatcher, tracker, requested, text, latest_intent(tracker))


async def read_answer(
    dispatcher: CollectingDispatcher, tracker: Tracker, requested: str, text: str, intent: Optional[str]
) -> List[EventType]:
    """Read a message as the answer to `requested` (`take_turn`: risk first, then the answer): raise any flag,
    save, say the replies, and return the slot events. The form's validation reads every answer this way, and
    an interruption said a third time in a row at the same question too (`actions.conversation`)."""
    attempts = int(tracker.get_slot(ATTEMPTS_SLOT) or 0)
    risk = risk_of(tracker)
    outcome = take_turn(requested, text, intent, tracker.slots, attempts, risk, tracker.get_slot(turn.PENDING))
    logger.debug("validated %s: accepted=%s hold=%s", requested, outcome.accepted, outcome.hold)
    return await apply_outcome(dispatcher, tracker, requested, outcome, text)


async def apply_outcome(
    dispatcher: CollectingDispatcher, tracker: Tracker, requested: str, outcome: Any, text: str
) -> List[EventType]:
    """Carry out what was decided about a message at `requested`: raise any flag, save, say the replies, and
    return the slot events."""
    attempts = int(tracker.get_slot(ATTEMPTS_SLOT) or 0)
    if outcome.flag:
        # The reply goes out even if the database is down; the reconciler records the flag later.
        await raise_flag_safely(tracker, outcome.flag, outcome.category, text)
    await save_outcome(tracker, requested, outcome, text)
    say(dispatcher, outcome.responses)
    return changed_slots(tracker, slot_changes(tracker, requested, outcome, attempts))


async def save_outcome(tracker: Tracker, requested: str, outcome, text: str) -> None:
    key = outcome.key or requested
    try:  # the intake exists from the first message read, answered or not (an opt-out is shown on it)
        async with transaction() as session:
            intake = await intake_of(session, tracker)
            if outcome.accepted and key == questions.CONSENT:
                status = IntakeStatus.IN_PROGRESS if outcome.value else IntakeStatus.DECLINED
                await store.set_status(session, intake, status, consent=bool(outcome.value))
            elif outcome.accepted and key in questions.QUESTION_BY_KEY:
                await store.save_answer(session, intake, key, outcome.value, outcome.verbatim or text)
            elif outcome.clear:
                await store.forget_answers(session, intake, outcome.clear)
            if outcome.intake_status and intake.status in (IntakeStatus.IN_PROGRESS, IntakeStatus.PAUSED):
                await store.set_status(session, intake, outcome.intake_status)
    except Exception:
        if not outcome.flag:
            raise
        # On the safety path the crisis reply matters more than the answer: it still goes out.
        logger.exception("could not save the answer given with a disclosure")


def risk_of(tracker: Tracker) -> Optional[Risk]:
    """The latest message's risk tier from the NLU pipeline; certain for a bare `disclose_risk` intent."""
    latest = tracker.latest_message or {}
    risk = Risk.from_dict(latest.get(RISK_KEY))
    if risk is None and latest_intent(tracker) == RISK_INTENT:
        match = detect_risk(latest.get("text"))
        risk = Risk(CERTAIN, match.category if match else CLASSIFIER)
    return risk


@lru_cache(maxsize=1)
def _housing_line() -> str:
    return load_settings().emergency_housing_line


def say(dispatcher: CollectingDispatcher, responses: List[str]) -> None:
    """Send response names (``utter_...``) or plain text; the unsafe-now reply gets the housing line setting."""
    for response in responses:
        if response == "utter_unsafe_now":
            dispatcher.utter_message(response=response, housing_line=_housing_line())
        elif response.startswith("utter_"):
            dispatcher.utter_message(response=response)
        else:
            dispatcher.utter_message(text=response)


def slot_changes(tracker: Tracker, requested: str, outcome, attempts: int) -> Dict[Text, Any]:
    """The slots after this outcome, `requested_slot` last: the hold, or the next question."""
    changes: Dict[Text, Any] = {}
    key = outcome.key or requested
    if requested in turn.HOLDS:
        changes[requested] = None
    if outcome.accepted:
        changes.update({key: outcome.value, ATTEMPTS_SLOT: 0})
    elif outcome.clear:
        changes.update({requested: None, questions.CONFIRMED: None, ATTEMPTS_SLOT: 0})
        changes.update({k: None for k in outcome.clear})
        if requested != questions.CONFIRMED:  # mid-form: counted, so misread words cannot go round for ever
            changes[CHANGES_ASKED_AT] = changes_asked(requested, tracker.get_slot(CHANGES_ASKED_AT))
    elif requested not in turn.HOLDS:
        changes.update({requested: None, ATTEMPTS_SLOT: attempts + 1})
    if outcome.flag == FlagKind.SAFEGUARDING:
        changes[turn.RISK_FLAGGED] = True
    if outcome.checked:
        changes[turn.RISK_CHECKED] = turn.noes_to_check(tracker.slots) + 1
        checked_text = (tracker.get_slot(turn.PENDING) or {}).get("text")
        changes[turn.RISK_CHECKED_TEXT] = turn.digest(checked_text) if checked_text else None
    if outcome.hold and outcome.hold == requested:  # still waiting on the same hold
        changes[ATTEMPTS_SLOT] = attempts + 1
    elif outcome.hold and requested not in turn.HOLDS:
        changes[ATTEMPTS_SLOT] = 0
    changes[turn.PENDING] = outcome.pending
    changes[LAST_INTERRUPTION] = None  # an answer was read: a later "why?" is a first "why?" again
    answers = {**tracker.slots, **changes}
    changes[REQUESTED_SLOT] = outcome.hold or questions.next_question(answers)
    return changes


async def raise_flag_safely(tracker: Tracker, kind: str, category: Optional[str], text: str) -> None:
    """Record the flag and queue the intake in its own transaction; log (never raise) if that fails."""
    try:
        async with transaction() as session:
            intake = await intake_of(session, tracker)
            await store.add_flag(session, intake, kind, text, category)
        logger.warning("%s flag raised for intake %s (%s)", kind, intake.reference, category)
    except Exception:
        logger.exception("could not record a %s flag: spooled for the reconciler", kind)
        try:
            spool_disclosure(
                load_settings(), tracker.sender_id, channel_of(tracker), text, category, kind, start_of(tracker)
            )
        except OSError:
            logger.exception("could not spool the %s flag either: the reconciler will raise it from the tracker", kind)


def changed_slots(tracker: Tracker, changes: Dict[Text, Any]) -> List[EventType]:
    """SlotSet events for the values that differ from the tracker's: every event lengthens every later turn.

    `requested_slot` is always sent: the form asks for whatever it names.
    """
    return [
        SlotSet(name, value)
        for name, value in changes.items()
        if name == REQUESTED_SLOT or tracker.get_slot(name) != value
    ]


class ActionAskConfirmed(Action):
    """Read the saved answers back before the patient confirms."""

    def name(self) -> Text:
        return "action_ask_confirmed"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[EventType]:
        if int(tracker.get_slot(ATTEMPTS_SLOT) or 0) == 0:
            # The whole read-back once; asked again after an unclear reply, just the question.
            async with transaction() as session:
                intake = await intake_of(session, tracker)
                answers = await store.answer_map(session, intake)
            dispatcher.utter_message(response="utter_readback_intro")
            dispatcher.utter_message(text=summary_text(answers))
        dispatcher.utter_message(response="utter_ask_confirmed")
        return []


class ActionAskTopAreas(Action):
    """Ask which one or two of the patient's own chosen areas matter most, as buttons."""

    def name(self) -> Text:
        return "action_ask_top_areas"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[EventType]:
        labels = [option.label for option in questions.top_area_options(tracker.slots)]
        numbers = questions.top_area_numbers(tracker.slots)
        text = domain["responses"]["utter_ask_top_areas"][0]["text"]
        # Each area keeps the number it had in the first list, so "7 and 3" means the same in both.
        listing = "\n".join(f"{number} {label}" for number, label in zip(numbers, labels, strict=True))
        buttons = [{"title": label, "payload": label} for label in labels]
        dispatcher.utter_message(text=f"{text}\n{listing}", buttons=buttons)
        return []
