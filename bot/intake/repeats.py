"""Never the same thing three times running: what to say when a person asks the same again.

Asking "why?", "help", "are you a bot?" or for a person a second time in a row
gets the ways forward instead of the same words; a third time the first answer
again, and so on, so two bot turns in a row can match but never three. The
count lives in one slot (`last_interruption`), reset whenever an answer is read.
A message taken for an interruption may be the answer after all (`reads_as_answer`),
and requests to change earlier answers are counted per question for the whole
conversation (`changes_asked_at`), so no words can send a person round for ever.
"""

from __future__ import annotations

import re
from typing import Any, Mapping, Optional

from bot.intake.normalise import (
    ASKING_SOMEONE,
    TALKING_WITH,
    has_no_code,
    match_options,
    only_yes_no,
    opens_as_question,
    parse_code,
    parse_nhs_number,
    words,
)
from bot.intake.questions import CONSENT, QUESTION_BY_KEY, is_closed, turns_away_non_answers, why_response
from bot.intake.returning import only_stepping_away, steps_away

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
    never a question back ("why do you need that?"); where the reader turns away what is no answer
    (`questions.turns_away_non_answers`), a sentence; elsewhere only one that holds the question's own kind of
    value in a form no stray figure has (a referral code of letters and digits, an NHS number: "My GP's letter had
    LC-108 at the bottom, I'm not sure if that's the code you mean")."""
    if _has_none_to_give(slot, text):
        return True  # "I don't know what that is" to "if your invitation had a code, type it": no code, at once
    if _asks_for_one_option(slot, text):
        return True  # "Could you ring me? I don't do the texting." to "how should they get in touch?": at once
    if count < READ_AS_ANSWER_AT:
        return False
    if opens_as_question(text):
        return _answers_before_asking(text)
    if turns_away_non_answers(slot or ""):
        return len(words(text)) >= ANSWER_WORDS or only_yes_no(text)  # "sure why not", "oh that would help"
    question = QUESTION_BY_KEY.get(slot or "")
    if question is not None and question.open and len(words(text)) >= ANSWER_WORDS:
        # "I work many hours, no time, and I not understand all what doctor say", a third time; not words about the
        # question itself ("I do not understand what you want")
        return _ABOUT_THE_QUESTION.search(text.lower()) is None and not steps_away(text)
    return _holds_its_value(slot, text)


_ABOUT_THE_QUESTION = re.compile(
    r"\b(?:what (?:you|u) (?:want|mean|are asking|need|are on about|on about)|the question|this question|"
    r"what to (?:say|put|write|answer)|(?:you|u) mean|what (?:do|should|am) i|confus\w*|lost|follow|repeat|explain|"
    r"again|on about|what (?:is|'s) (?:this|it|that) for|(?:don'?t|do not|not) (?:get|understand) "
    r"(?:you|this|that|it|what (?:you|u|this|that|is))\b)"
)
"""Words about the question rather than an answer to it ("explain it again please I am confused here"). It stands
apart from `normalise._CONFUSED`, which takes any "don't understand" at a yes/no question: at an open question "I do
not understand what the doctor says" is an answer, so here not understanding must be about the question itself."""


def _answers_before_asking(text: str) -> bool:
    """Whether a message that asks something opens with a sentence that is nothing but a yes or a no ("yes ok. he will
    not see this?", said a third time after the question was answered twice): that sentence is the answer."""
    first = re.split(r"(?<=[.!?])\s+", text.strip(), maxsplit=1)[0]
    return not first.endswith("?") and only_yes_no(first.rstrip(".!"))


def _has_none_to_give(slot: Optional[str], text: str) -> bool:
    """Whether a message read as a call for help says, at a question of an optional code, that the person has none
    or does not know what it is ("I don't know what that is", "what's a referral code?"): it was asked five times."""
    question = QUESTION_BY_KEY.get(slot or "")
    if question is None or question.kind != "code" or not question.optional:
        return False
    return has_no_code(text) and _NOT_KNOWING_THE_CODE.search(text.lower().replace("\u2019", "'")) is not None


_NOT_KNOWING_THE_CODE = re.compile(
    r"\b(?:what (?:that|it|this) (?:is|means)|what(?:'?s| is) (?:a |that |the )?(?:referral )?code|"
    r"never (?:heard of|had|got)|(?:haven'?t|have not|don'?t have|do not have|not got) (?:one|a code|any))\b"
)
"""Not knowing what the code is, or having none: not "I don't get it", which may be about the question."""


_A_REQUEST = re.compile(
    rf"^\W*(?:please |so |well |oh )?(?:(?:{ASKING_SOMEONE}|(?:could|can|would|will) (?:we|i|it)) (?:please |just )?|"
    r"(?:just )?(?:ring|call|phone|text|txt|e-?mail|bell|buzz) (?:me|us)\b|gi(?:s|ve me|ve us) a (?:ring|call|bell|buzz))"
)
"""A message that opens by asking for something ("could you ring me?", "can we do it online?"), or by saying how to
get in touch ("ring me duck")."""


def _asks_for_one_option(slot: Optional[str], text: str) -> bool:
    """Whether a message read as a question back asks for one of a single-choice question's options ("Could you ring
    me? I don't do the texting." at how to get in touch): that is the choice, not a call for help. It went unheard
    three times and the question was left."""
    question = QUESTION_BY_KEY.get(slot or "")
    lowered = text.lower()
    request = _A_REQUEST.match(lowered)
    if question is None or question.kind != "choice" or not request:
        return False
    if _FOR_A_PERSON.search(lowered, request.end()):
        return False  # "call me, I want to talk to someone now": a request for a person, as well as the choice
    first = re.split(r"(?<=[.!?])\s", lowered, maxsplit=1)[0]
    if _ABOUT_AN_OPTION.search(first):
        return False  # "could you explain what a group is?": about an option, not asking for it
    return len(match_options(text, question.options, many=False)) == 1


_ABOUT_AN_OPTION = re.compile(
    r"\b(?:explain|tell|say|describe|repeat|clarify|define|mean\w*|ask|what|which|how|why|about|think|leave|skip|"
    r"details?|info|information|arrange|first|send|more)\b"
)
"""Words that make a request about an option rather than for it ("can someone ring me about the group?")."""
_FOR_A_PERSON = re.compile(rf"\b{TALKING_WITH}\b|\b(?:person|human|asap|urgent\w*)\b")
"""Words after the request that ask for a person, not only for a way to be reached."""


def _holds_its_value(slot: Optional[str], text: str) -> bool:
    question = QUESTION_BY_KEY.get(slot or "")
    kind = question.kind if question else None
    if kind == "code":
        code = parse_code(text) or ""
        return re.search(r"[a-z]", code, re.IGNORECASE) is not None and re.search(r"\d", code) is not None
    if kind == "nhs_number":
        return parse_nhs_number(text) is not None  # ten digits that pass the NHS check
    return False


def reads_pause_as_answer(slot: Optional[str], count: int, text: str) -> bool:
    """Whether a pause said again at the same question, after coming back to it, is read as its answer too: only at
    a closed question (its reader turns away what is no answer) and never a message that only steps away ("brb").
    "daughter will find later" at the NHS number paused the intake, came back to the question, and paused it again,
    57 times; the third time, what the reader makes of it is saved (there, a skip) and the pause still happens."""
    return count >= READ_AS_ANSWER_AT and is_closed(slot or "") and not only_stepping_away(text)


LEAVE_AT = 2
"""The count (0 the first time) at which the same interruption, at the same question, leaves that question for the
link worker: whatever a person keeps saying, the intake goes on. The third time, as for an answer that cannot be read
a third time (`validation.ATTEMPTS_BEFORE_MOVING_ON`): the question is never asked a fourth time ("I don't know what
that is" to the referral code, read as a call for help, asked it five times)."""
CONSENT_LEAVE_AT = 4
"""At consent, leaving is a stop that keeps nothing: only against an interruption said again and again."""


CHANGES_ASKED_AT = "changes_asked_at"
"""Slot: how many times a person went back to change an earlier answer from each question, for the whole
conversation (an answer read in between does not reset it, as it does `last_interruption`)."""
CHANGES_AT_ONE_QUESTION = 2
"""Sent back this many times from one question, a person's next request to change is read as the answer to it:
words misread as a change ("my days off change every week, email is easiest") went round the same three questions
forty times. The read-back still changes anything."""


def changes_asked(slot: str, previous: object) -> dict[str, int]:
    """The new `changes_asked_at` value after a change asked for at `slot`."""
    counts = (
        {key: value for key, value in previous.items() if isinstance(value, int)}
        if isinstance(previous, Mapping)
        else {}
    )
    return {**counts, slot: counts.get(slot, 0) + 1}


def changed_enough_at(slot: str, answers: Mapping[str, object]) -> bool:
    """Whether this question has already sent the person back `CHANGES_AT_ONE_QUESTION` times."""
    counts = answers.get(CHANGES_ASKED_AT)
    return isinstance(counts, Mapping) and int(counts.get(slot) or 0) >= CHANGES_AT_ONE_QUESTION


def leaves_question(slot: Optional[str], count: int, after_interruptions: bool = False) -> bool:
    """Whether to leave the question asked (see `LEAVE_AT`); never the read-back, which has its own ways to an end,
    nor consent, except against an interruption said again and again ("he will not see this?" 120 times): there
    consent's own end, a stop that keeps nothing (`validation.leave_unanswered`)."""
    if slot == CONSENT:
        return after_interruptions and count >= CONSENT_LEAVE_AT
    return count >= LEAVE_AT and (slot or "") in QUESTION_BY_KEY
