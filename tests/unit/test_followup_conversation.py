"""The follow-up conversation, as a pure function: answers read right, disclosures heard, no walls."""

from __future__ import annotations

from typing import Optional

import pytest

from bot.intake.risk import CERTAIN, UNCERTAIN, Risk, detect_risk
from bot.outcomes import conversation as c
from bot.outcomes import ons


def read(text: str) -> Optional[Risk]:
    """The phrase list's reading, tiered as the intake's reader tiers it without a classifier."""
    match = detect_risk(text)
    if match is None:
        return None
    return Risk(UNCERTAIN if match.hedged else CERTAIN, match.category)


def talk(*messages: str, state=None, reader=read) -> tuple[list[c.Turn], dict]:
    state = state or c.new_state()
    turns = []
    for text in messages:
        turn = c.reply_to(state, text, reader(text), offer="the Tuesday walking group", name=" Carol")
        turns.append(turn)
        state = turn.state
    return turns, state


def saved(turns: list[c.Turn]) -> dict:
    return {s.key: (s.value, s.status) for t in turns for s in t.saved}


def test_a_whole_follow_up_saves_each_answer_as_given():
    turns, state = talk(
        "7", "about an 8 I'd say", "six", "2", "I walk every week now and made friends", "yes I go most weeks"
    )
    assert saved(turns) == {
        "ons_life_satisfaction": (7, "answered"),
        "ons_worthwhile": (8, "answered"),
        "ons_happy": (6, "answered"),
        "ons_anxious": (2, "answered"),
        "what_changed": ("I walk every week now and made friends", "answered"),
        "took_up_offer": ("yes", "answered"),
    }
    assert turns[-1].finished and "Thank you Carol" in turns[-1].replies[-1]
    assert "Tuesday walking group" in turns[4].replies[0]
    again = c.reply_to(state, "hello?", None)
    assert again.finished and again.replies == [c.say("already_done")]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("yes", "yes"),
        ("yeah I did", "yes"),
        ("I did, every week", "yes"),
        ("yes, and I loved it", "yes"),
        ("no", "no"),
        ("no I didn't", "no"),
        ("not really", "no"),
        ("nope, couldn't face it", "no"),
        ("partly", "partly"),
        ("a bit, I went twice", "partly"),
        ("sort of", "partly"),
        ("I tried it once", "partly"),
        ("kind of, then stopped", "partly"),
        ("I went a few times, so partly", "partly"),
        ("sometimes", "partly"),
    ],
)
def test_took_up_the_offer_is_read_from_the_whole_sentence(text, expected):
    state = {**c.new_state(), "at": c.QUESTION_KEYS.index("took_up_offer")}
    turn = c.reply_to(state, text, None)
    assert [(s.key, s.value) for s in turn.saved] == [("took_up_offer", expected)]


def test_skip_leaves_a_question_and_three_unusable_answers_move_on_without_a_loop():
    turns, state = talk("skip", "banana", "purple", "green")
    assert saved(turns) == {"ons_life_satisfaction": (None, "skipped"), "ons_worthwhile": (None, "skipped")}
    assert "skip" in turns[2].replies[-1]  # after two: how to answer or skip
    assert turns[3].replies[0] == c.say("left_out")
    assert c.current_key(state) == "ons_happy"
    replies = [r for t in turns for r in t.replies]
    assert not any(replies[i] == replies[i + 1] == replies[i + 2] for i in range(len(replies) - 2))


def test_a_disclosure_in_what_changed_is_saved_as_the_answer_flagged_and_the_next_question_waits():
    turns, state = talk("5", "5", "5", "5", "things are worse, I want to end my life")
    disclosure = turns[-1]
    assert disclosure.flag == ("safeguarding", "suicide")
    assert saved(turns)["what_changed"] == ("things are worse, I want to end my life", "answered")
    assert "116 123" in disclosure.replies[0] and disclosure.replies[-1] == c.say("carry_on_prompt")
    turns, state = talk("ok yes carry on", state=state)
    assert turns[0].saved == [] and "Did you go to" in turns[0].replies[-1]
    turns, _ = talk("no", state=state)
    assert saved(turns) == {"took_up_offer": ("no", "answered")} and turns[0].finished


def test_an_overdose_gets_999_first_and_the_score_question_is_asked_again_after_carry_on():
    turns, state = talk("I've taken an overdose of my tablets")
    assert turns[0].flag[0] == "safeguarding"
    assert turns[0].replies[0].startswith("Please call 999 now")
    assert turns[0].saved == []
    turns, state = talk("yes", state=state)
    assert turns[0].saved == [] and turns[0].replies[-1].startswith("Overall, how satisfied")
    turns, _ = talk("3", state=state)
    assert saved(turns) == {"ons_life_satisfaction": (3, "answered")}


def test_a_later_disclosure_gets_the_short_reply_taking_turns_never_the_same_three_times():
    turns, _ = talk("I want to kill myself", "I want to kill myself", "I want to kill myself", "I want to kill myself")
    replies = [t.replies[0] for t in turns]
    assert "116 123" in replies[0]
    assert replies[1] != replies[2] and replies[2] != replies[3] and replies[1] == replies[3]
    assert all(t.flag and t.flag[0] == "safeguarding" for t in turns)


def uncertain(text: str) -> Optional[Risk]:
    return Risk(UNCERTAIN, "classifier") if "dark" in text else None


def test_an_uncertain_message_is_checked_a_clear_no_saves_it_and_anything_else_is_urgent():
    state = {**c.new_state(), "at": c.QUESTION_KEYS.index("what_changed")}
    asked = c.reply_to(state, "it's been a dark few months", uncertain("dark"))
    assert asked.flag == ("risk_check", "classifier") and asked.saved == []
    assert "Are you thinking of harming yourself" in asked.replies[0]
    no = c.reply_to(asked.state, "no, nothing like that", None)
    assert [(s.key, s.value) for s in no.saved] == [("what_changed", "it's been a dark few months")]
    assert no.flag is None and "Did you go to" in no.replies[-1]
    unsure = c.reply_to(asked.state, "I don't know really", None)
    assert unsure.flag == ("safeguarding", "classifier") and "116 123" in unsure.replies[0]
    assert [(s.key, s.value) for s in unsure.saved] == [("what_changed", "it's been a dark few months")]


@pytest.mark.parametrize("words", ["stop", "no more questions", "No more", "that's enough"])
def test_ending_after_a_crisis_reply_ends_the_follow_up(words):
    turns, _ = talk("I want to die", words)
    assert turns[1].stopped and turns[1].replies == [c.say("stopped")]
    assert "no more questions" in turns[0].replies[-1]  # by text a lone STOP is the opt-out keyword


@pytest.mark.parametrize(
    "measure, score, band",
    [
        ("life_satisfaction", 0, "Low"),
        ("life_satisfaction", 4, "Low"),
        ("worthwhile", 5, "Medium"),
        ("happy", 6, "Medium"),
        ("happy", 7, "High"),
        ("worthwhile", 8, "High"),
        ("life_satisfaction", 9, "Very high"),
        ("happy", 10, "Very high"),
        ("anxious", 0, "Very low"),
        ("anxious", 1, "Very low"),
        ("anxious", 2, "Low"),
        ("anxious", 3, "Low"),
        ("anxious", 4, "Medium"),
        ("anxious", 5, "Medium"),
        ("anxious", 6, "High"),
        ("anxious", 10, "High"),
    ],
)
def test_ons_bands(measure, score, band):
    assert ons.band(measure, score) == band


def test_a_comparison_knows_that_less_anxiety_is_better():
    rows = {r.measure: r for r in ons.compare({"happy": 4, "anxious": 7}, {"happy": 7, "anxious": 3})}
    assert rows["happy"].change == 3 and rows["happy"].better is True
    assert rows["anxious"].change == -4 and rows["anxious"].better is True
    assert rows["worthwhile"].change is None


def test_the_follow_up_reads_risk_with_the_trained_meaning_classifier_not_only_the_phrase_list():
    """Worded so no phrase in the list matches: only the meaning classifier from the model hears it."""
    import os

    from bot.outcomes.risk_reader import FollowUpRisk
    from bot.rasa.model import model_path
    from bot.settings import load_settings

    archive = model_path(load_settings().model_dir)
    if not archive.exists():
        if os.environ.get("CI"):
            pytest.fail(f"no trained model at {archive}: make test trains it before pytest")
        pytest.skip("no trained model (run `make setup`)")
    reader = FollowUpRisk(archive)
    assert detect_risk("I have swallowed everything in the cabinet") is None
    assert reader("I have swallowed everything in the cabinet") is not None
    assert reader.meaning_available
    assert reader("I walk with the group every week now") is None


@pytest.mark.parametrize(
    "about, channel, expected",
    [
        ({"contact_method": "email", "contact_detail": "a@example.org"}, "rest", "email"),
        ({"contact_method": "text", "contact_detail": "07700 900123"}, "rest", "sms"),
        ({"contact_method": "text", "contact_detail": "07700 900123"}, "sms", "sms"),
        ({}, "sms", "sms"),  # talked to us by text and named no other way
        ({"contact_method": "phone", "contact_detail": "07700 900123"}, "sms", None),  # chose calls: not texted
        ({"contact_method": "phone", "contact_detail": "07700 900123"}, "rest", None),
        ({"contact_method": "email"}, "rest", None),
        ({}, "rest", None),
    ],
)
def test_a_follow_up_goes_only_the_way_the_person_chose(about, channel, expected):
    from bot.outcomes.followups import channel_for

    assert channel_for({"about": about}, channel) == expected
