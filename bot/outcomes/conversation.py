"""The follow-up conversation: the same few questions by text or on the web, as a pure function.

`reply_to(state, text, ...)` takes where the conversation is and what the person said, and
returns what to say, what to save and where the conversation is now. Nothing here touches
a database or a network, so the text and web channels share it and the tests drive it
directly.

Every message is read for risk first, with the intake's own reader and tiers
(`bot.intake.risk.assess`): a certain disclosure gets the crisis reply and an urgent flag; an
uncertain one gets the intake's check question, and anything but a clear no is treated as
certain. A disclosure in answer to "what has changed" is saved as that answer too. After a
crisis reply the next question waits for "carry on", so a "yes, carry on" is never saved
as an answer. No question can trap anyone: after two answers it cannot use, the bot says
how to answer or skip, and after a third it moves on.

A message that asks rather than answers ("why?", "help", "is this a bot?", "can someone ring me",
"not now, later": `bot.outcomes.requests`) gets a short reply and the same question again; it is
never saved as an answer and never counts as an unusable one. Asked twice in a row, the reply is
shorter; a third time it offers a way on (skip, or the team) instead, so nothing is said three
times running (by text the third reply comes without the question, which is just above in the
thread; the web page shows only the last turn, so there it keeps the question). Asking for a
person sets `Turn.call_back` once per follow-up, which the caller turns into a flag on the queue.
"Later" keeps the place: the next message carries on where they were. A request sent with an
answer ("7, why?") saves the answer, replies briefly and goes on.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Mapping, Optional

import yaml

from bot.intake.normalise import is_skip, parse_scale, parse_yes_no
from bot.intake.risk import CERTAIN, EMERGENCY, UNSAFE_NOW, Risk
from bot.outcomes import ons
from bot.outcomes.requests import BOT, HELP, LATER, PERSON, WHY, Request
from bot.outcomes.requests import read as read_request
from bot.wording import response_texts

WORDING_FILE = Path(__file__).with_name("wording.yml")

SCALE = "scale"
TEXT = "text"
TOOK_UP = "took_up"

QUESTIONS: tuple[tuple[str, str], ...] = (
    *((ons.key_of(measure), SCALE) for measure in ons.MEASURES),
    ("what_changed", TEXT),
    ("took_up_offer", TOOK_UP),
)
"""(question key, kind) in the order asked: the four ONS4 measures, what changed, the offer."""
QUESTION_KEYS = tuple(key for key, _ in QUESTIONS)
TOOK_UP_NAMES = {"yes": "Yes", "partly": "Partly", "no": "No"}

_PARTLY = re.compile(
    r"\b(partly|partially|a bit|a little|sort of|kind of|kinda|some ?times|now and (then|again)|on and off|once|"
    r"twice|a (couple|few) of times|a few times|not (every|each) (week|time)|not (very )?often|tried|half|"
    r"got as far as|started\b.*\b(stopped|gave up)|went\b.*\b(stopped|gave up))\b"
)
_WENT = ("i did", "went", "been", "i go ", "still go", "go every", "joined", "signed up", "loved it", "every week")
_DID_NOT_GO = (
    "didn't",
    "didnt",
    "did not",
    "never",
    "haven't",
    "havent",
    "have not",
    "couldn't",
    "couldnt",
    "could not",
    "not yet",
    "so no",
    "not been",
    "wasn't able",
    "no time",
)
_CARRY_ON = re.compile(r"\b(carry on|continue|go on|next|ready|ok(ay)?|yes|yeah|yep|sure|fine|go ahead)\b")
_STOP = re.compile(r"^\s*(stop|end|quit|no more( questions)?|leave it|that'?s (it|all|enough))\b")
"""Ends the follow-up after a crisis reply. By text, a lone STOP is the carrier's opt-out keyword (handled
before the follow-up hears it), so the prompt offers "no more questions"."""


@lru_cache(maxsize=1)
def wording() -> dict[str, str]:
    return dict(yaml.safe_load(WORDING_FILE.read_text(encoding="utf-8")))


def say(which: str, **values: str) -> str:
    """One of the follow-up's own texts, with its placeholders filled."""
    return wording()[which].format(**values)


def _domain(name: str, **values: str) -> str:
    return response_texts()[name][0].format(**values)


def question_text(key: str, offer: Optional[str] = None) -> str:
    """The words of a question: the ONS4 ones as the intake asks them (without its lead-in)."""
    if key.startswith("ons_"):
        text = _domain(f"utter_ask_{key}")
        return text.split("\n\n")[-1]
    if key == "took_up_offer":
        return say("took_up_offer_named", offer=offer) if offer else say("took_up_offer")
    return say(key)


@dataclass
class Saved:
    """An answer to write: its value (None when skipped), the person's words, and its status."""

    key: str
    value: Any
    verbatim: str
    status: str = "answered"


@dataclass
class Turn:
    """What one message leads to."""

    replies: list[str]
    state: dict[str, Any]
    saved: list[Saved] = field(default_factory=list)
    flag: Optional[tuple[str, str]] = None
    """(flag kind, category) to raise in this turn: "safeguarding" (urgent) or "risk_check"."""
    flag_text: str = ""
    """The words that raised it (for a reply to the check question, the message that was checked)."""
    finished: bool = False
    stopped: bool = False
    call_back: bool = False
    """The person asked for someone to contact them (the first time in this follow-up): queue a call-back."""


def new_state() -> dict[str, Any]:
    return {
        "at": 0,
        "tries": 0,
        "check": None,
        "flagged": False,
        "waiting": False,
        "repeat": 0,
        "asked": None,
        "call_back": False,
    }


def opening(offer: Optional[str] = None) -> list[str]:
    """What the person sees first (the web page; a text reply to the invitation gets this too)."""
    return [say("start"), question_text(QUESTIONS[0][0], offer)]


def current_key(state: Mapping[str, Any]) -> Optional[str]:
    at = int(state.get("at", 0))
    return QUESTIONS[at][0] if at < len(QUESTIONS) else None


def _crisis(category: str, state: dict[str, Any], housing_line: str) -> list[str]:
    """The intake's crisis reply: 999 first for an emergency; a short one once the team already knows."""
    if state.get("flagged"):
        state["repeat"] = int(state.get("repeat", 0)) + 1
        return [_domain("utter_crisis_again" if state["repeat"] % 2 else "utter_crisis_again_2")]
    state["flagged"] = True
    if category == EMERGENCY:
        return [_domain("utter_emergency")]
    if category == UNSAFE_NOW:
        return [_domain("utter_unsafe_now", housing_line=housing_line)]
    return [_domain("utter_crisis")]


def _advance(state: dict[str, Any], offer: Optional[str], name: str) -> tuple[list[str], bool]:
    """Move to the next question: its words, or the closing words when there are no more."""
    state["at"] = int(state["at"]) + 1
    state["tries"] = 0
    state["asked"] = None
    key = current_key(state)
    if key is None:
        return [say("done", name=name)], True
    return [question_text(key, offer)], False


def _read(kind: str, text: str) -> tuple[bool, Any]:
    """(understood, value) of an answer to a question of this kind."""
    if kind == SCALE:
        score = parse_scale(text)
        return score is not None, score
    if kind == TEXT:
        return bool(re.search(r"\w", text)), text.strip()
    lowered = text.lower()
    if _PARTLY.search(lowered):
        return True, "partly"
    leaning = parse_yes_no(text, yes_cues=_WENT, no_cues=_DID_NOT_GO)
    if leaning is None:
        return False, None
    return True, "yes" if leaning else "no"


def reply_to(
    state: Mapping[str, Any],
    text: str,
    risk: Optional[Risk],
    *,
    offer: Optional[str] = None,
    name: str = "",
    housing_line: str = "",
    by_text: bool = False,
) -> Turn:
    """One turn of the follow-up. `risk` is the risk reader's reading of `text` (the caller reads it, off
    the event loop); `name` is " Alex" or ""; `offer` names what the person was to try; `by_text` says
    which channel, for the one reply that differs ("later": reply to the text, or come back to the link)."""
    state = {**new_state(), **dict(state)}
    text = (text or "").strip()
    key = current_key(state)
    if key is None:
        return Turn([say("already_done")], state, finished=True)
    kind = dict(QUESTIONS)[key]

    if state.get("check"):
        return _answer_check(state, text, risk, kind, offer, name, housing_line)
    if risk is not None and risk.tier == CERTAIN:
        return _disclosed(state, text, risk.category, kind, offer, name, housing_line)
    if risk is not None:
        state["check"] = {"text": text, "category": risk.category}
        return Turn([_domain("utter_ask_risk_check")], state, flag=("risk_check", risk.category), flag_text=text)

    request = read_request(text)
    if state.get("waiting"):
        state["waiting"] = False
        if _STOP.search(text.lower()):
            return Turn([say("stopped")], state, stopped=True)
        a_score = kind == SCALE and parse_scale(text) is not None
        if request is None and _CARRY_ON.search(text.lower()) and not a_score:
            return Turn([say("carried_on"), question_text(key, offer)], state)
    return _answer(state, text, key, kind, offer, name, request, by_text)


def _answer(
    state: dict[str, Any],
    text: str,
    key: str,
    kind: str,
    offer: Optional[str],
    name: str,
    request: Optional[Request] = None,
    by_text: bool = False,
) -> Turn:
    if is_skip(text):
        replies, finished = _advance(state, offer, name)
        return Turn(replies, state, saved=[Saved(key, None, text, "skipped")], finished=finished)
    if request is not None:
        turn = _requested(state, text, key, kind, offer, name, request, by_text)
        if turn is not None:
            return turn
    understood, value = _read(kind, text)
    if understood:
        replies, finished = _advance(state, offer, name)
        return Turn(replies, state, saved=[Saved(key, value, text)], finished=finished)
    state["tries"] = int(state.get("tries", 0)) + 1
    if state["tries"] >= 3:
        replies, finished = _advance(state, offer, name)
        return Turn([say("left_out"), *replies], state, saved=[Saved(key, None, text, "skipped")], finished=finished)
    again = _domain("utter_invalid_scale") if kind == SCALE else say("took_up_unclear")
    if state["tries"] == 2:
        return Turn([again, say("ways_forward")], state)
    return Turn([again], state)


def _with_answer(kind: str, request: Request) -> bool:
    """Whether a request sent with other words may be read as a request plus an answer ("7, why?").

    Any request with a score. With yes/partly/no, not "later" ("not yet, maybe later" is a no). With
    the open question, only a call-back or "is this a bot": a "why?" or "help" inside someone's own
    account of what changed is part of it ("my mum died, why? I don't know"), and is left alone."""
    if kind == SCALE:
        return True
    if kind == TOOK_UP:
        return request.kind != LATER
    return request.kind in (PERSON, BOT)


def _requested(
    state: dict[str, Any],
    text: str,
    key: str,
    kind: str,
    offer: Optional[str],
    name: str,
    request: Request,
    by_text: bool,
) -> Optional[Turn]:
    """A request: a reply and the question again, or (with an answer) the answer saved, a brief reply and
    the next question. None when the message is best read as an answer only."""
    if request.rest and not _with_answer(kind, request):
        return None
    call_back = request.kind == PERSON and not state.get("call_back")
    if call_back:
        state["call_back"] = True
    if request.rest:
        understood, value = _read(kind, request.rest)
        if understood:
            value = text.strip() if kind == TEXT else value
            replies, finished = _advance(state, offer, name)
            brief = _request_reply(request.kind, kind, 0 if call_back else 1, by_text)
            return Turn(
                [brief, *replies], state, saved=[Saved(key, value, text)], finished=finished, call_back=call_back
            )
    at = int(state.get("at", 0))
    last = state.get("asked") or {}
    count = int(last.get("count", 0)) + 1 if last.get("kind") == request.kind and last.get("at") == at else 0
    if request.kind == PERSON and not call_back and count == 0:
        count = 1  # asked at an earlier question: the team already knows
    state["asked"] = {"kind": request.kind, "at": at, "count": count}
    reply = _request_reply(request.kind, kind, count, by_text)
    if count >= 2 and count % 2 == 0 and by_text:
        return Turn([reply], state, call_back=call_back)  # the question is just above in the thread
    return Turn([reply, question_text(key, offer)], state, call_back=call_back)


def _request_reply(request_kind: str, kind: str, count: int, by_text: bool) -> str:
    """The first reply, then a shorter one and the way on in turn, so no reply comes three times running."""
    if count >= 2 and count % 2 == 0:
        return say({PERSON: "person_stuck", LATER: "later_stuck"}.get(request_kind, "stuck"))
    again = count > 0
    if request_kind == WHY:
        return say("why_again" if again else "why")
    if request_kind == HELP:
        return say(f"help_{kind}_again" if again else f"help_{kind}")
    if request_kind == BOT:
        return say("bot_again" if again else "bot")
    if request_kind == PERSON:
        return say("person_again" if again else "person")
    if again:
        return say("later_again")
    return say("later_by_text" if by_text else "later_on_the_web")


def _disclosed(
    state: dict[str, Any],
    text: str,
    category: str,
    kind: str,
    offer: Optional[str],
    name: str,
    housing_line: str,
) -> Turn:
    """Urgent flag and crisis reply; an open question takes the disclosure as its answer, then the bot waits."""
    key = current_key(state)
    assert key is not None
    replies = _crisis(category, state, housing_line)
    saved: list[Saved] = []
    finished = False
    if kind == TEXT:
        saved.append(Saved(key, text, text))
        state["at"] = int(state["at"]) + 1
        state["tries"] = 0
        finished = current_key(state) is None
    if finished:
        replies.append(say("done", name=name))
    else:
        state["waiting"] = True
        replies.append(say("carry_on_prompt"))
    return Turn(replies, state, saved=saved, flag=("safeguarding", category), flag_text=text, finished=finished)


def _answer_check(
    state: dict[str, Any],
    text: str,
    risk: Optional[Risk],
    kind: str,
    offer: Optional[str],
    name: str,
    housing_line: str,
) -> Turn:
    """The reply to the check question: a clear no saves what they said and goes on; anything else is urgent."""
    pending = dict(state.get("check") or {})
    state["check"] = None
    if risk is None and parse_yes_no(text) is False:
        said = str(pending.get("text") or "")
        turn = _answer(state, said, str(current_key(state)), kind, offer, name)
        turn.replies = [_domain("utter_risk_check_thanks"), *turn.replies]
        return turn
    category = risk.category if risk else str(pending.get("category") or "classifier")
    said = str(pending.get("text") or text)
    turn = _disclosed(state, said, category, kind, offer, name, housing_line)
    turn.flag_text = f"{said} / asked to check, they said: {text}"  # both, in the flag the team sees
    return turn
