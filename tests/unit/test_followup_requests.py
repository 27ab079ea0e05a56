"""Requests in the follow-up ("why?", "help", "is this a bot?", "call me", "later"): read from the whole
message, never from a loose word in an answer; answered kindly, then the question again; never the same
reply three times running; a call-back asked for once; the place kept."""

from __future__ import annotations

from typing import Optional

import pytest

from bot.intake.risk import CERTAIN, UNCERTAIN, Risk, detect_risk
from bot.outcomes import conversation as c
from bot.outcomes import requests as r

SCALE_AT = 0
TEXT_AT = c.QUESTION_KEYS.index("what_changed")
TOOK_UP_AT = c.QUESTION_KEYS.index("took_up_offer")
EVERY_QUESTION = range(len(c.QUESTIONS))


def read_risk(text: str) -> Optional[Risk]:
    match = detect_risk(text)
    if match is None:
        return None
    return Risk(UNCERTAIN if match.hedged else CERTAIN, match.category)


def at(question: int, **extra) -> dict:
    return {**c.new_state(), "at": question, **extra}


def say_to(state: dict, text: str, by_text: bool = False) -> c.Turn:
    return c.reply_to(state, text, read_risk(text), offer="the Tuesday walking group", name=" Carol", by_text=by_text)


REQUESTS = [
    # asking why / what it's for
    ("why?", r.WHY),
    ("why", r.WHY),
    ("Why do you ask", r.WHY),
    ("y do u need to know that", r.WHY),
    ("whats this for", r.WHY),
    ("sorry but what's the point of all this?", r.WHY),
    ("who sees my answers", r.WHY),
    ("what happens to my answers", r.WHY),
    # help / how to answer
    ("help", r.HELP),
    ("Help!", r.HELP),
    ("how do i answer this", r.HELP),
    ("what do i put", r.HELP),
    ("i dont understand the question", r.HELP),
    ("is 10 good or bad", r.HELP),
    ("??", r.HELP),
    ("sorry what do you mean", r.HELP),
    ("what do you mean by changed", r.HELP),
    # a bot / a real person
    ("is this a bot", r.BOT),
    ("are you a real person?", r.BOT),
    ("r u a robot", r.BOT),
    ("am i talking to a computer", r.BOT),
    ("who is this", r.BOT),
    ("is anyone actually reading this", r.BOT),
    ("is anyone there", r.BOT),
    # talk to someone / be called
    ("can someone ring me", r.PERSON),
    ("Can I talk to someone", r.PERSON),
    ("can i speak to a real person please", r.PERSON),
    ("call me back pls", r.PERSON),
    ("i would like a call from my link worker", r.PERSON),
    ("i'd like a call back", r.PERSON),
    ("sumone ring me", r.PERSON),
    ("could my link worker call me", r.PERSON),
    ("hi, can i have a chat with someone", r.PERSON),
    ("human", r.PERSON),
    ("i would like to talk to someone about my debts", r.PERSON),
    # stop for now, come back later
    ("not now, later", r.LATER),
    ("later", r.LATER),
    ("cant talk now", r.LATER),
    ("im at work", r.LATER),
    ("can i do this later?", r.LATER),
    ("busy rn sorry", r.LATER),
    ("ill finish it tomorrow", r.LATER),
    ("another time", r.LATER),
]


@pytest.mark.parametrize("text, kind", REQUESTS)
def test_requests_are_read_from_the_whole_message(text, kind):
    request = r.read(text)
    assert request is not None and (request.kind, request.rest) == (kind, "")


NOT_REQUESTS = [
    "the group helped a lot",
    "I got help with my bills from citizens advice",
    "talking to someone helped me loads",
    "help from my neighbour mostly",
    "my link worker rang me a few times which was nice",
    "I asked my gp if i could talk to someone and now i see a counsellor",
    "later in the week i go to the walking group",
    "call me old fashioned but i like the library",
    "no idea why but im feeling better",
    "i dont know why really",
    "not much has changed tbh",
    "i feel more like a real person again",
    "my son phones me every day now",
    "busier than before but happier",
    "what a difference it made",
    "who knew a walking group could help",
    "someone from the council called about the flat",
    "i went, its helped",
    "not sure",
    "i want to be a person who goes out more",
    "busy",
    "driving",
    "tomorrow",
    "confused",
    "dunno",
]


@pytest.mark.parametrize("text", NOT_REQUESTS)
def test_answers_are_not_read_as_requests(text):
    assert r.read(text) is None


@pytest.mark.parametrize("text", NOT_REQUESTS)
def test_an_answer_at_what_changed_is_saved_as_it_was_given(text):
    if detect_risk(text):
        pytest.skip("read for risk first")
    turn = say_to(at(TEXT_AT), text)
    assert [(s.key, s.value, s.status) for s in turn.saved] == [("what_changed", text, "answered")]
    assert not turn.call_back


@pytest.mark.parametrize("question", EVERY_QUESTION)
@pytest.mark.parametrize(
    "text, first",
    [
        ("why?", "why"),
        ("is this a bot", "bot"),
        ("not now, later", "later_on_the_web"),
        ("can someone ring me", "person"),
    ],
)
def test_a_request_at_every_question_gets_its_reply_and_the_same_question_again(question, text, first):
    state = at(question)
    turn = say_to(state, text)
    key = c.QUESTION_KEYS[question]
    assert turn.saved == [] and turn.flag is None
    assert turn.replies == [c.say(first), c.question_text(key, "the Tuesday walking group")]
    assert turn.state["at"] == question and turn.state["tries"] == 0
    assert turn.call_back is (first == "person")


@pytest.mark.parametrize(
    "question, help_reply",
    [(SCALE_AT, "help_scale"), (TEXT_AT, "help_text"), (TOOK_UP_AT, "help_took_up")],
)
def test_help_says_how_to_answer_this_question(question, help_reply):
    turn = say_to(at(question), "help")
    assert turn.replies[0] == c.say(help_reply) and turn.saved == []


def test_help_is_worded_for_each_kind_of_question():
    assert "0 to 10" in c.say("help_scale")
    assert "own words" in c.say("help_text")
    assert "yes, partly, or no" in c.say("help_took_up")
    assert all("skip" in c.say(f"help_{kind}") for kind in ("scale", "text", "took_up"))


@pytest.mark.parametrize("question", [SCALE_AT, TEXT_AT, TOOK_UP_AT])
@pytest.mark.parametrize("text", ["why do you ask", "help", "are you a robot", "can i talk to someone", "later"])
def test_asked_four_times_by_text_nothing_is_said_three_times_running_and_no_try_is_counted(question, text):
    state = at(question)
    turns = []
    for _ in range(4):
        turn = say_to(state, text, by_text=True)
        turns.append(turn)
        state = turn.state
    assert all(t.saved == [] for t in turns) and state["at"] == question and state["tries"] == 0
    firsts = [t.replies[0] for t in turns]
    assert firsts[0] != firsts[1] != firsts[2] != firsts[3]
    assert len(firsts[1]) < len(firsts[0])  # the second time is shorter
    assert "skip" in firsts[2] and len(turns[2].replies) == 1  # the third: a way on, not the question again
    said = [set(t.replies) for t in turns]
    for i in range(len(said) - 2):
        assert not said[i] & said[i + 1] & said[i + 2]
    assert sum(t.call_back for t in turns) == (1 if "talk to" in text else 0)
    answered = say_to(state, {SCALE_AT: "6", TEXT_AT: "more friends", TOOK_UP_AT: "yes"}[question])
    assert answered.saved and answered.saved[0].status == "answered"


@pytest.mark.parametrize("text", ["why?", "help", "is this a bot", "can someone call me", "not now, later"])
def test_asked_four_times_on_the_web_the_replies_change_and_the_question_stays_on_the_page(text):
    state = at(SCALE_AT)
    turns = []
    for _ in range(4):
        turn = say_to(state, text)
        turns.append(turn)
        state = turn.state
    firsts = [t.replies[0] for t in turns]
    assert firsts[0] != firsts[1] != firsts[2] != firsts[3] and "skip" in firsts[2]
    assert all(t.replies[-1] == c.question_text("ons_life_satisfaction") for t in turns)  # the page shows one turn


def test_the_third_time_offers_the_team_and_skip():
    assert "call me" in c.say("stuck") and "skip" in c.say("stuck")
    assert "skip" in c.say("person_stuck") and "skip" in c.say("later_stuck")


def test_a_request_never_counts_as_an_unusable_try():
    state = at(SCALE_AT)
    for text in ("banana", "why?", "purple", "help", "is this a bot", "later"):
        state = say_to(state, text).state
    assert state["tries"] == 2 and state["at"] == SCALE_AT


def test_a_call_back_is_asked_for_once_in_a_follow_up_and_later_requests_say_so():
    first = say_to(at(SCALE_AT), "can someone ring me")
    assert first.call_back and first.replies[0] == c.say("person")
    answered = say_to(first.state, "5")
    again = say_to(answered.state, "can i talk to a person")
    assert not again.call_back and again.replies[0] == c.say("person_again")
    assert again.state["call_back"] is True


def test_a_request_at_what_changed_is_not_saved_as_its_answer():
    for text in ("why?", "help", "is this a bot", "call me", "not now, later", "what do i put"):
        turn = say_to(at(TEXT_AT), text)
        assert turn.saved == [] and turn.state["at"] == TEXT_AT, text
    answered = say_to(turn.state, "I go out more")
    assert [(s.key, s.value) for s in answered.saved] == [("what_changed", "I go out more")]


def test_a_score_with_a_question_saves_the_score_and_answers_briefly():
    turn = say_to(at(SCALE_AT), "7, why?")
    assert [(s.key, s.value) for s in turn.saved] == [("ons_life_satisfaction", 7)]
    assert turn.replies == [c.say("why_again"), c.question_text("ons_worthwhile")]
    for text in ("3, can someone call me", "3 can someone call me", "three out of 10 call me back"):
        rang = say_to(at(SCALE_AT), text)
        assert [(s.key, s.value) for s in rang.saved] == [("ons_life_satisfaction", 3)], text
        assert rang.call_back and rang.replies[0] == c.say("person"), text
    assert say_to(at(SCALE_AT), "7 why").saved[0].value == 7


def test_a_yes_with_a_question_saves_the_yes_but_not_yet_maybe_later_is_just_an_answer():
    turn = say_to(at(TOOK_UP_AT), "yes i went, why?")
    assert [(s.key, s.value) for s in turn.saved] == [("took_up_offer", "yes")] and turn.finished
    assert turn.replies[0] == c.say("why_again")
    later = say_to(at(TOOK_UP_AT), "not yet, maybe later")
    assert [(s.key, s.value) for s in later.saved] == [("took_up_offer", "no")]
    assert later.replies == [c.say("done", name=" Carol")]


def test_a_why_inside_what_changed_is_part_of_the_answer_but_a_call_back_is_heard():
    said = "lost my job, why does it always happen to me? but the group is good"
    turn = say_to(at(TEXT_AT), said)
    assert [(s.key, s.value) for s in turn.saved] == [("what_changed", said)] and not turn.call_back
    said = "my mood is better. can someone call me about the housing"
    turn = say_to(at(TEXT_AT), said)
    assert [(s.key, s.value) for s in turn.saved] == [("what_changed", said)]
    said = "more friends now. can someone call me"
    turn = say_to(at(TEXT_AT), said)
    assert [(s.key, s.value) for s in turn.saved] == [("what_changed", said)] and turn.call_back
    assert turn.replies[0] == c.say("person") and "Did you go to" in turn.replies[-1]


def test_later_says_how_to_come_back_by_channel_and_the_next_message_carries_on():
    by_text = say_to(at(TEXT_AT), "not now, later", by_text=True)
    assert by_text.replies[0] == c.say("later_by_text") and "Reply to this text" in by_text.replies[0]
    on_web = say_to(at(TEXT_AT), "not now, later")
    assert on_web.replies[0] == c.say("later_on_the_web") and "link keeps working" in on_web.replies[0]
    back = say_to(by_text.state, "I see my friends more")
    assert [(s.key, s.value) for s in back.saved] == [("what_changed", "I see my friends more")]
    assert "Did you go to" in back.replies[-1]


def test_a_disclosure_inside_a_request_still_gets_the_crisis_reply():
    turn = say_to(at(SCALE_AT), "why do you ask, I want to kill myself")
    assert turn.flag == ("safeguarding", "suicide") and "116 123" in turn.replies[0]
    assert not turn.call_back
    turn = say_to(at(TEXT_AT), "can someone call me, I want to end my life")
    assert turn.flag and turn.flag[0] == "safeguarding"


def test_after_a_crisis_reply_a_request_is_answered_not_read_as_carry_on():
    crisis = say_to(at(SCALE_AT), "I want to die")
    assert crisis.state["waiting"]
    asked = say_to(crisis.state, "ok but can someone call me")
    assert asked.call_back and asked.replies[0] == c.say("person") and asked.saved == []
    assert asked.replies[-1] == c.question_text("ons_life_satisfaction")


def test_old_saved_states_without_the_new_keys_still_work():
    old = {"at": 1, "tries": 0, "check": None, "flagged": False, "waiting": False, "repeat": 0}
    turn = c.reply_to(old, "why?", None)
    assert turn.replies[0] == c.say("why") and turn.state["asked"] == {"kind": "why", "at": 1, "count": 0}


def test_request_wording_is_plain_and_short():
    for key in ("why", "help_scale", "help_text", "help_took_up", "bot", "person", "later_by_text", "stuck"):
        words = c.say(key).split()
        assert len(words) <= 50, key
        assert sum(len(w) for w in words) / len(words) < 5.5, key
