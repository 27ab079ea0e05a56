"""The same question asked again in a row never gets the same words a third time (bot.intake.repeats)."""

import pytest

from bot.intake.repeats import (
    CHANGES_ASKED_AT,
    WAYS_FORWARD,
    changed_enough_at,
    changes_asked,
    interruption_reply,
    leaves_question,
    reads_as_answer,
    reads_pause_as_answer,
    repeat_count,
)
from bot.intake.validation import interpret, leave_unanswered


@pytest.mark.parametrize("intent", ["ask_why", "help", "bot_challenge", "out_of_scope", "speak_to_person", "pause"])
def test_asked_five_times_in_a_row_never_three_identical_replies(intent):
    previous, replies = None, []
    for _ in range(5):
        previous = repeat_count(intent, "ons_happy", previous)
        replies.append(interruption_reply(intent, "ons_happy", previous["count"], in_form=True))
    assert all(len(set(replies[i : i + 3])) > 1 for i in range(len(replies) - 2)), replies
    assert WAYS_FORWARD in replies


def test_the_count_starts_again_at_another_question_or_after_an_answer():
    first = repeat_count("ask_why", "ons_happy", None)
    assert repeat_count("ask_why", "ons_happy", first)["count"] == 1
    assert repeat_count("ask_why", "enjoys", first)["count"] == 0
    assert repeat_count("ask_why", "ons_happy", None)["count"] == 0


def test_why_explains_the_question_being_asked():
    assert interruption_reply("ask_why", "ons_happy", 0, in_form=True) == "utter_why_wellbeing"
    assert interruption_reply("ask_why", None, 0, in_form=False) == "utter_why_general"


@pytest.mark.parametrize(
    "slot, count, said, read",
    [
        ("contact_method", 2, "can you ring me instead, she gets confused on the phone", True),
        ("interpreter", 3, "no, I understand ok, only telephone is difficult", True),
        # asking for one of the choices is read at once (once the ways forward came first: the nineteenth set)
        ("contact_method", 1, "can you ring me instead, she gets confused on the phone", True),
        ("contact_method", 1, "I'm not sure, she gets confused on the phone", False),  # the ways forward first
        ("ons_happy", 2, "why do you need that?", False),  # a short question is what it says
        ("good_at", 2, "I'm confused, do you mean at work or at home?", False),  # it would be saved there
        ("consent", 2, "my daughter said I should do this one", True),
        ("ons_happy", 2, "my daughter said I should do this one", False),  # a score reads "which one" as 1
        ("nhs_number", 2, "my daughter keeps that sort of thing for me", False),  # any words may be a number's stand-in
        ("confirmed", 2, "my daughter said I should do this one", False),  # the read-back has its own replies
        # Where almost any words could be an answer, one that holds the question's kind of value in figures
        ("referral_code", 2, "My GP's letter had LC-108 at the bottom, I'm not sure if that's the code you mean", True),
        (
            "referral_code",
            1,
            "My GP's letter had LC-108 at the bottom, I'm not sure if that's the code you mean",
            False,
        ),
        ("ons_happy", 2, "I don't get it, my carer comes at 10", False),  # a stray figure is no score
        ("referral_code", 2, "I rang 111 and they said to do this, I don't get it", False),  # nor a code
        ("nhs_number", 2, "it says 943 476 5919 on the letter but I don't get it", True),
        ("preferred_name", 2, "I don't get what you mean by that at all", False),
        ("consent", 2, "sure why not", True),  # short, but nothing but a yes
        ("wants_company", 2, "Oh that would help", True),
        ("wants_company", 2, "help", False),
        # The sixteenth set: a yes and a worry, said 120 times while the worry was answered
        ("consent", 2, "yes ok. he will not see this?", True),
        ("consent", 1, "yes ok. he will not see this?", False),  # the worry is answered first
        ("consent", 2, "who sees this? yes", False),  # the question comes first: no answer before it
        # An open question: a sentence said a third time is the answer, unless it is about the question
        ("barriers_text", 2, "I work many hours, no time, and I not understand all what doctor say", True),
        ("barriers_text", 1, "I work many hours, no time, and I not understand all what doctor say", False),
        ("barriers_text", 2, "I do not understand what you want", False),
        ("what_matters", 2, "I really dont get the question at all sorry", False),
        ("what_matters", 2, "explain it again please I am confused here", False),  # a review's cases
        ("barriers_text", 2, "I'm not sure I follow, can you repeat it", False),
        ("goal", 3, "hang on the doctor is here one sec please", False),
        # The eighteenth set: not knowing what a referral code is, at once (it was asked five times)
        ("referral_code", 0, "I don't know what that is", True),
        ("referral_code", 0, "what's a referral code?", True),
        ("referral_code", 0, "no idea what that means, never had one", True),
        ("referral_code", 0, "I don't get it", False),
        ("nhs_number", 0, "I don't know what that is", False),
        # The nineteenth set: asking for one of the choices is the choice, at once (it was left after three)
        ("contact_method", 0, "Could you ring me? I don't do the texting.", True),
        ("contact_method", 0, "could you ring me if that is ok?", True),
        ("meeting_format", 0, "can we do it online?", True),
        ("meeting_format", 0, "can we do phone or online?", False),  # two: asked again
        ("group_or_one_to_one", 0, "could you explain what a group is?", False),  # about a choice, not asking for it
        ("group_or_one_to_one", 0, "can i ask what a group is", False),
        ("contact_method", 0, "why do you need to ring me?", False),
        ("group_or_one_to_one", 0, "can someone ring me about the group?", False),  # a review's cases: about it
        ("meeting_format", 0, "can you ring me to arrange it?", False),
        ("group_or_one_to_one", 0, "could you send me info on the groups", False),
        ("meeting_format", 0, "could it be online please", True),
        # The twenty-second set: "ring me duck" was a request for a person three times, and the question was left
        ("contact_method", 0, "ring me duck", True),
        ("contact_method", 0, "just text me", True),
        ("contact_method", 0, "bell me", True),
        ("contact_method", 0, "gis a ring", True),
        ("contact_method", 0, "call me, I want to talk to someone now", False),  # a person asked for too
    ],
)
def test_a_sentence_taken_for_the_same_interruption_a_third_time_is_read_as_the_answer(slot, count, said, read):
    assert reads_as_answer(slot, count, said) is read


def test_the_same_interruption_a_third_time_leaves_the_question_never_consent_or_the_read_back():
    assert [leaves_question("gp_practice", count) for count in range(6)] == [False] * 2 + [True] * 4
    assert not leaves_question("consent", 9) and not leaves_question("confirmed", 9)
    assert not leaves_question(None, 9)


def test_an_interruption_said_again_and_again_at_consent_ends_as_consent_ends():
    """Consent cannot be left for the link worker: against the same interruption a fifth time, it stops and keeps
    nothing, as after a third answer it cannot read; any message starts again."""
    assert [leaves_question("consent", count, after_interruptions=True) for count in range(6)] == [False] * 4 + [
        True
    ] * 2
    assert not leaves_question("confirmed", 9, after_interruptions=True)
    stop = leave_unanswered("consent")
    assert stop.accepted and stop.value is False and stop.responses == ["utter_consent_unclear"]
    assert leave_unanswered("gp_practice").responses == ["utter_leave_for_link_worker"]


@pytest.mark.parametrize(
    "slot, count, text, read",
    [
        ("nhs_number", 2, "daughter will find later", True),  # the third time at the same closed question
        ("nhs_number", 1, "daughter will find later", False),  # the first two are pauses
        ("what_matters", 2, "I'll have to finish later", False),  # an open question would save the pause as text
        ("nhs_number", 2, "brb", False),  # only stepping away: never an answer
        ("group_or_one_to_one", 3, "group, but I'll finish the rest later", True),
    ],
)
def test_a_pause_said_again_at_a_closed_question_is_read_as_its_answer(slot, count, text, read):
    assert reads_pause_as_answer(slot, count, text) is read


def test_changes_asked_are_counted_per_question_for_the_whole_conversation():
    assert changes_asked("contact_times", None) == {"contact_times": 1}
    assert changes_asked("contact_times", {"contact_times": 1, "goal": 1}) == {"contact_times": 2, "goal": 1}
    assert not changed_enough_at("contact_times", {CHANGES_ASKED_AT: {"contact_times": 1}})
    assert changed_enough_at("contact_times", {CHANGES_ASKED_AT: {"contact_times": 2}})
    assert not changed_enough_at("goal", {CHANGES_ASKED_AT: {"contact_times": 2}})


@pytest.mark.parametrize("counted, cleared", [({}, True), ({"contact_times": 1}, True), ({"contact_times": 2}, False)])
def test_a_third_change_from_one_question_is_its_answer(counted, cleared):
    outcome = interpret("contact_times", "change my email", None, {CHANGES_ASKED_AT: counted})
    assert bool(outcome.clear) is cleared and outcome.accepted is not cleared
