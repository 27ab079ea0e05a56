"""The reader of "I'm back": a message that only says the person has come back answers nothing.

Our own wordings; the blind ones are bench/readers/returning_dev.yml and returning_blind.yml
(`make readers-probe`).
"""

from __future__ import annotations

import pytest

from bot.intake.returning import (
    only_a_pause,
    only_a_reason_to_go,
    only_an_everyday_reason,
    only_returning,
    steps_away,
)

COMING_BACK = [
    "ok I'm back",
    "sorry about that, where were we",
    "back now",
    "right, carry on",
    "hi, I'm back again",
    "soz, had to get the door. here now",
    "apologies for the wait",
    "sorry that took ages",
    "back, the baby woke up",
    "sorry my daughter was shouting me, what was the question again",
    "ok ready now",
    "can you say that again",
    "I have returned!",
    "sorry love, popped out. go on",
    "back. go ahead",
    "where did we get to?",
    "hiya again",
    "im here",
    "sorry back now, she's gone down again",  # the seventeenth set: a child gone down to sleep (saved as an answer)
    "back now, baby's asleep",
    "right, I'm back in",  # the twenty-second set: saved as who supports them
    "back in, go on",
    "ok I'm back in now duck",
    "hello I come back",  # set 27, read: a learner's "I'm back"
]


@pytest.mark.parametrize("said", COMING_BACK)
@pytest.mark.parametrize("question", ["text", "yes_no", "scale", "choice"])
def test_coming_back_in_many_wordings_is_read_as_coming_back(said, question):
    assert only_returning(said, question)


EXCUSES_ALONE = ["sorry, kettle", "hello? lost signal there", "sorry, someone was at the door", "soz, baby woke up"]


@pytest.mark.parametrize("said", EXCUSES_ALONE)
def test_an_excuse_alone_is_a_return_to_a_closed_question_but_may_answer_an_open_one(said):
    """To "what makes it hard?", "sorry, my phone died" may be the answer; to a yes/no or a score it cannot."""
    assert only_returning(said, "yes_no") and only_returning(said, "scale")
    assert not only_returning(said, "text")


ANSWERS = [
    ("text", "back"),  # to "what makes it hard?"
    ("text", "my back"),
    ("text", "getting back into swimming"),
    ("text", "to continue working"),
    ("text", "sorry, my kids come first"),
    ("text", "my kids needed me so I gave up work"),
    ("text", "can't hear well on the phone"),
    ("text", "I work away a lot"),
    ("text", "sorry, I had to give up work"),
    ("text", "going to the allotment again"),
    ("text", "here and there"),
    ("choice", "a phone call"),
    ("choice", "a group, sorry for the wait"),
    ("yes_no", "yes please, let's go"),
    ("yes_no", "go on then"),
    ("yes_no", "go ahead"),
    ("yes_no", "sorry, yes please"),
    ("consent", "ok let's go"),
    ("consent", "carry on"),
    ("consent", "sorry was at the door, yes go ahead"),
    ("consent", "ready when you are"),
    ("scale", "sorry, 7"),
    ("text", "sorry, after the school run"),
    ("text", "sorry, my phone died"),
    ("text", "sorry, I get distracted easily"),
    ("choice", "sorry, not before the school run"),
    ("yes_no", "sorry about that, yes please"),
    ("yes_no", "sorry I'm back, no thanks"),
    ("consent", "back now, yes"),
    ("text", "sorry back now, she's gone down hill since dad died"),
    ("text", "my mum has gone down hill"),
]


@pytest.mark.parametrize("question, said", ANSWERS)
def test_answers_holding_words_of_coming_back_are_answers(question, said):
    assert not only_returning(said, question)


def test_back_alone_is_a_return_to_a_closed_question_but_may_answer_an_open_one():
    assert only_returning("back", "yes_no") and only_returning("back", "scale")
    assert not only_returning("back", "text")
    assert only_returning("sorry, back", "text"), "beside an apology it is the return"


def test_to_whether_to_go_on_only_words_of_being_back_are_a_return():
    assert only_returning("sorry, where were we?", "consent")
    assert not only_returning("I'm back, let's carry on", "consent")


def test_returns_said_one_after_another_are_still_a_return():
    assert only_returning("sorry about that where was i")
    assert only_returning("back sorry", "yes_no") and not only_returning(
        "back sorry"
    )  # "back" may answer "what's hard?"


def test_a_long_run_of_returns_is_read_at_once():
    import time

    started = time.perf_counter()
    only_returning("ask again " * 40 + "zzzq")
    assert time.perf_counter() - started < 0.5


@pytest.mark.parametrize(
    "said",
    [
        "baby woke up brb",
        "sorry, door, brb",
        "hiya sorry, lost signal, back in 5 mins",
        "afk the kettle",
        "hang on, kids needed me",
        "sorry need to go mum needs me",
        "sorry baby woke up, 5 mins",
        "brb loo",
        "excuse me, prayer time, I come back after",
        "tea ready back in 1 hr",  # the second set: saved as what matters most
        "Forgive me, there is someone at the door. I shall return shortly.",  # the ninth set: asked the check
    ],
)
def test_stepping_away_for_an_everyday_reason_says_nothing_else(said):
    assert steps_away(said) and only_an_everyday_reason(said)


@pytest.mark.parametrize(
    "said",
    [
        "Forgive me, there is someone at the door. I shall return shortly.",  # the eighth set: 12 words, 10 without
        "sorry, that's the door, back shortly",
        "My apologies, the telephone is ringing. I will be back shortly.",
        "sorry they call my number now",  # the eighth set: called in at the housing office, saved as barriers
        "sorry I have to pick up the kids from school, I will come back after",  # the ninth set: 14 words, an apology
        "hang on pet, it's chucking it down, got to get the tomatoes covered",  # the twenty-second set: 13 words
        "hold on I need to go and feed the cat",
        "Hang on, I need to pick the kids up from school, back in a bit",  # the thirty-third session's review
        "hang on, i need to take the shopping in from the car, the frozen stuff is melting",
        "hold on, the washing machine's leaking all over the floor, need to sort it",
    ],
)
def test_a_polite_pause_is_as_short_as_a_terse_one(said):
    assert steps_away(said)


@pytest.mark.parametrize(
    "said, reason",
    [
        ("sorry he's kicking off, got to go", True),
        ("shes woke up brb", True),
        ("kids are home, gtg", True),
        ("gardening and baking, brb", False),  # an answer with a pause after it
        ("baking with the kids, brb", False),
        ("I like knitting, sorry got to go", False),
    ],
)
def test_a_pause_that_only_tells_why_is_no_answer(said, reason):
    assert only_a_reason_to_go(said) is reason


@pytest.mark.parametrize(
    "said",
    [
        "partner was shouting brb",
        "kids kicking off, brb",
        "brb had to deal with him again",
        "brb, it all feels too much",
        "brb husband came",  # a partner's call may be the very thing to hear
        "gotta go partner called",
        "need to go, husband came",
        "brb someone came",
    ],
)
def test_stepping_away_with_more_than_an_everyday_reason_is_read_for_what_it_says(said):
    assert steps_away(said) and not only_an_everyday_reason(said)


@pytest.mark.parametrize(
    "said",
    [
        "hang on the number's wrong",
        "hold on, can I change my goal",
        "I walk every day, 30 mins",
        "I need to go out more",
        "I have to go to work at 6",
        "my son will come back after",
        "Hold on, it's on the letter... 999 443 6732",
        "Off work sick at the moment, back soon",  # a review's case: an answer about work
        "hold on, my support is my sister and I have to put up with my brother",
        # The thirty-third session's review: a job that leads to an answer, or a question
        "hang on, I need to get my thoughts together, I think a group",
        "hang on I've got to get the bus to get anywhere so local please",
        "hold on, need to get the letter out to find the code, its ABC123",
        "hold on, I need to go through my diary, Tuesdays and Thursdays are best",
        "hang on, I'll have to take the kids with me, is that ok?",
        "hang on, do I need to bring anything?",
        "hang on a minute, I have to take a lot of meds, does that matter",
        "hang on, I must answer honestly, I'd say a 4",
    ],
)
def test_a_change_or_an_answer_with_a_time_in_it_is_no_stepping_away(said):
    assert not steps_away(said)


@pytest.mark.parametrize(
    "said, found",
    [
        ("Hold on, it's on the letter... 999 443 6732", True),
        ("hang on 485 777 3221", True),
        ("hold on", False),
        ("hold on, my number is on the fridge", False),
        ("I said hold on 999 443 6732", False),  # only a message that opens with it
    ],
)
def test_a_number_found_while_holding_on_is_no_pause(said, found):
    from bot.intake.returning import found_while_holding_on

    assert found_while_holding_on(said) is found
    assert steps_away(said) is (said.lower().startswith(("hold on", "hang on")) and not found)


@pytest.mark.parametrize(
    "said, pause",
    [
        ("yes but not right now, I'll come back", True),  # the thirty-fifth session's review: had been saved
        ("not right now, I'll come back to it", True),
        ("ok I'll be back", True),
        ("my son said he'll come back", False),
        ("I hope my confidence will come back", False),
        ("Not now, I'll come back later", True),
        ("Walking. I'll come back to it", False),  # the thirty-sixth session's review: an answer, then the pause
        ("Debt, I will come back", False),
        # The thirty-eighth session's review: a learner's "sorry I go ... now" is no sure pause ("sorry I going crazy
        # now", "sorry I go to the bridge now"), so it is not read as one
        ("sorry I going crazy now", False),
        ("Sorry I go to work now, I come back later", True),
    ],
)
def test_coming_back_said_last_is_a_pause(said, pause):
    assert only_a_pause(said) is pause
