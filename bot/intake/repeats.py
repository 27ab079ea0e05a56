"""Never the same thing three times running: what to say when a person asks the same again.

Asking "why?", "help", "are you a bot?" or for a person a second time in a row
gets the ways forward instead of the same words; a third time the first answer
again, and so on, so two bot turns in a row can match but never three. The
count lives in one slot (`last_interruption`), reset whenever an answer is read.
"""

from __future__ import annotations

from typing import Any, Mapping, Optional

from bot.intake.normalise import opens_as_question, words
from bot.intake.questions import turns_away_non_answers, why_response

LAST_INTERRUPTION = "last_interruption"
WAYS_FORWARD = "utter_ways_forward"

FIRST_REPLY = {
    "help": "utter_help",
    "bot_challenge": "utter_iamabot",
    "out_of_scope": "utter_out_of_scope",
    "speak_to_person": "utter_person_requested",
    "pause": "utter_paused",
}
AGAIN_REPLY = {
    "speak_to_person": "utter_person_already_requested",
    "pause": "utter_still_paused",
}


def repeat_count(intent: str, slot: Optional[str], previous: Optional[Mapping[str, object]]) -> dict[str, Any]:
    """The new `last_interruption` value: how many times in a row this was asked at this question."""
    key = f"{intent}:{slot or ''}"
    if not isinstance(previous, Mapping) or previous.get("key") != key:
        return {"key": key, "count": 0}
    count = previous.get("count", 0)
    return {"key": key, "count": (count if isinstance(count, int) else 0) + 1}


def interruption_reply(intent: str, slot: Optional[str], count: int, in_form: bool) -> str:
    """The first reply, then the ways forward and the first reply in turn (a "again" reply where one exists)."""
    if intent == "ask_why":
        first = why_response(slot) if in_form else "utter_why_general"
    else:
        first = FIRST_REPLY[intent]
    if count == 0 or count % 2 == 0 and intent not in AGAIN_REPLY:
        return first
    if count % 2 == 1 and intent in AGAIN_REPLY:
        return AGAIN_REPLY[intent]
    return WAYS_FORWARD


READ_AS_ANSWER_AT = 2
"""The count (0 the first time) at which a repeated interruption is read as an answer."""


ANSWER_WORDS = 6
"""Shorter messages ("help", "why do you need that?", "are you a bot?") are what they say."""


def reads_as_answer(slot: Optional[str], count: int, text: str) -> bool:
    """Whether to read this message as the answer to the question asked instead (see the module docstring):
    never a question back ("why do you need that?"), and only where the reader turns away what is no answer
    (`questions.turns_away_non_answers`)."""
    return (
        turns_away_non_answers(slot or "")
        and count >= READ_AS_ANSWER_AT
        and len(words(text)) >= ANSWER_WORDS
        and not opens_as_question(text)
    )
