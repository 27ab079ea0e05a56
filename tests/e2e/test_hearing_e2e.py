"""Hearing people right, on the real system with the trained model (issue "Hear people right").

The answers here are our own wording: the held-out figures come from
bench/converse_probe.py and bench/risk_probe.py, never from these tests.
"""

from __future__ import annotations

import json
from typing import Callable, Optional

import pytest

from bench.patients import MRS_C, answering
from bot.db.models import Priority
from tests.support.system import Patient, query, whatmatters

ABUSE = "my partner hits me and I'm scared to go home"


def _intake_json(system, sender: str) -> dict:
    [(reference,)] = query(system, "SELECT reference FROM intakes WHERE conversation_id=:s", s=sender)
    return json.loads(whatmatters(system.settings, "intake", "show", reference, "--json"))


def _answers(system, sender: str) -> dict[str, object]:
    rows = query(
        system,
        "SELECT question_key, verbatim FROM answers JOIN intakes ON intakes.id = answers.intake_id "
        "WHERE conversation_id=:s",
        s=sender,
    )
    return dict(rows)


def _until(patient: Patient, answer_for: Callable[[str], Optional[str]], asked: str) -> str:
    """Answer as Mrs C until the bot asks the question containing `asked`; returns that reply."""
    reply = Patient.text(patient.say("hello"))
    for _ in range(60):
        if asked in reply.lower():
            return reply
        reply = Patient.text(patient.say(answer_for(reply)))
    raise AssertionError(f"never asked {asked!r}")


def test_mrs_c_nervous_yes_is_saved_as_yes_and_her_link_worker_hears_it(system):
    patient = Patient(system.settings)
    patient.converse(
        answering(MRS_C, {"go with you the first time": "yes, I'd be nervous going on my own the first time"})
    )
    shown = _intake_json(system, patient.sender)
    assert shown["summary"]["preferences"]["wants_someone_to_go_with_them"] is True
    assert any("go with you the first time" in opener for opener in shown["summary"]["openers"])


def test_no_i_dont_have_one_is_not_a_referral_code(system):
    patient = Patient(system.settings)
    patient.converse(answering(MRS_C, {"referral code": "no I don't have one"}))
    shown = _intake_json(system, patient.sender)
    assert shown["summary"]["about"]["referral_code"] == "none"


def test_not_knowing_what_a_referral_code_is_means_none_and_a_question_back_is_no_answer(system):
    """The eighteenth set: "I don't know what that is" (read as a call for help) asked the referral code five times,
    and "Is this a real person I am talking to?" (read as an answer) was saved as what matters most."""
    patient = Patient(system.settings)
    _until(patient, answering(MRS_C), "referral code")
    moved_on = Patient.text(patient.say("I don't know what that is"))
    assert "referral code" not in moved_on.lower() and "what matters most to you" in moved_on.lower(), moved_on
    asked_back = Patient.text(patient.say("Is this a real person I am talking to?"))
    assert "automated" in asked_back.lower() and "what matters most to you" in asked_back.lower(), asked_back
    answers = _answers(system, patient.sender)
    assert answers["referral_code"] == "I don't know what that is" and "what_matters" not in answers


def test_a_disclosure_given_as_the_answer_is_saved_flagged_and_never_replayed_in_full(system):
    patient = Patient(system.settings)
    _until(patient, answering(MRS_C), "what matters most to you")
    first = Patient.text(patient.say(ABUSE))
    assert "999" in first and "116 123" in first and "carry on" in first.lower()
    again = Patient.text(patient.say(ABUSE))
    assert "already knows" in again and "999" in again and "85258" not in again, "a short reply, not the script"
    carry_on = Patient.text(patient.say("ok, let's carry on"))
    assert "would you like support with" in carry_on.lower(), "the next question: what matters is answered"
    answers = _answers(system, patient.sender)
    assert answers["what_matters"] == ABUSE
    assert "ok, let's carry on" not in answers.values()
    [(kind, urgent)] = query(
        system,
        "SELECT f.kind, q.priority FROM flags f JOIN intakes i ON i.id = f.intake_id "
        "JOIN queue_items q ON q.intake_id = i.id WHERE i.conversation_id=:s",
        s=patient.sender,
    )
    assert (kind, urgent) == ("safeguarding", 0)


def test_words_always_asked_about_after_a_disclosure_get_the_short_reply_not_the_check_question(system):
    """Set 29: after the crisis reply, a bridge and whether it would be quick (a row the bot always asks about when
    the team does not know yet) was only noted on the item, with nothing said to the person."""
    patient = Patient(system.settings)
    _until(patient, answering(MRS_C), "what matters most to you")
    assert "116 123" in Patient.text(patient.say(ABUSE))
    reply, answer = Patient.text(patient.say("carry on")), answering(MRS_C)
    for _ in range(30):
        if "what do you enjoy" in reply.lower():
            break
        reply = Patient.text(patient.say(answer(reply)))
    else:
        raise AssertionError("never asked what they enjoy")
    bridge = "the bridge on my walk to work, I stand there wondering whether it'd be quick"
    said = Patient.text(patient.say(bridge))
    assert "already knows" in said and "999" in said, said
    assert "thinking of harming yourself" not in said.lower(), "no check question: the team already knows"
    assert _answers(system, patient.sender)["enjoys"] == bridge


def test_an_overdose_just_taken_gets_999_first(system):
    patient = Patient(system.settings)
    _until(patient, answering(MRS_C), "how anxious did you feel yesterday")
    reply = Patient.text(patient.say("10. I swallowed a whole packet of my sleeping tablets about half an hour ago"))
    assert reply.startswith("Please call 999 now"), reply


def test_asking_for_a_choice_is_the_choice_and_going_back_again_and_again_ends(system):
    """The nineteenth set: "Could you ring me? ..." (read as a call for help) left the contact question after three
    tries, and words misread as a change sent a person round the contact questions forty times."""
    patient = Patient(system.settings)
    _until(patient, answering(MRS_C), "how would you like the link worker to get in touch")
    reply = Patient.text(patient.say("Could you ring me? I don't do the texting."))
    assert "phone number" in reply.lower(), reply
    assert _answers(system, patient.sender)["contact_method"] == "Could you ring me? I don't do the texting."
    reply = Patient.text(patient.say("07700 900123"))
    for _ in range(2):
        assert "best time" in reply.lower(), reply
        reply = Patient.text(patient.say("change my email"))
        assert "how would you like the link worker to get in touch" in reply.lower(), reply
        for _ in range(4):
            if "best time" in reply.lower():
                break
            reply = Patient.text(patient.say(answering(MRS_C)(reply)))
    assert "best time" in reply.lower(), reply
    reply = Patient.text(patient.say("change my email"))
    assert "gp practice" in reply.lower(), f"a third change from the same question is its answer:\n{reply}"
    assert _answers(system, patient.sender)["contact_times"] == "change my email"


def _no_three_in_a_row(turns: list[str]) -> bool:
    return all(not (turns[i] == turns[i + 1] == turns[i + 2]) for i in range(len(turns) - 2))


WORST_CASES = [
    # (question to reach, what the person then keeps saying, times, must the bot move on?)
    ("happy to go on", "asdfgh", 5, False),  # the third time it stops, keeping nothing; a message starts again
    ("in a group, or one-to-one", "purple", 5, True),
    ("how happy did you feel yesterday", "dunno really", 5, True),
    ("what matters most to you", ABUSE, 5, False),
    # the same interruption a third time leaves the question for the link worker: never asked a fourth time
    ("how happy did you feel yesterday", "why do you need that?", 5, True),
    ("how happy did you feel yesterday", "help", 5, True),
    ("what are you good at", "are you a bot?", 5, True),
    ("what are you good at", "can someone call me please", 4, False),
    ("is this right?", "hmm", 6, True),  # the fourth time the answers go, with a call-back for a person to check
    ("is this right?", "no", 7, False),  # never sent against a no: a person is asked to go through them instead
]


@pytest.mark.parametrize("asked, message, times, moves_on", WORST_CASES, ids=[c[1][:20] for c in WORST_CASES])
def test_the_bot_never_says_the_same_thing_three_times_in_a_row(system, asked, message, times, moves_on):
    patient = Patient(system.settings)
    turns = [_until(patient, answering(MRS_C), asked)]
    for _ in range(times):
        turns.append(Patient.text(patient.say(message)))
    assert _no_three_in_a_row(turns), "\n---\n".join(turns)
    if moves_on:
        assert asked not in turns[-1].lower(), f"still asking {asked!r} after {times} tries:\n{turns[-1]}"
    if asked == "happy to go on":
        assert "won't keep anything" in turns[3], "no consent after three unclear replies: stop, keep nothing"


def test_a_read_back_nobody_can_read_reaches_a_person_and_champion_sends_it(system):
    """The fourteenth set: "champion" was asked 91 times. It sends now; a reply the bot cannot read, said a fourth
    time, sends the answers with a call-back flag that the link worker sees."""
    patient = Patient(system.settings)
    _until(patient, answering(MRS_C), "is this right?")
    assert "reference" in Patient.text(patient.say("champion")).lower()

    unread = Patient(system.settings)
    _until(unread, answering(MRS_C), "is this right?")
    turns = [Patient.text(unread.say("hmm")) for _ in range(4)]
    assert "go through them with you" in turns[3] and "reference" in turns[3].lower(), turns[3]
    flags = query(
        system,
        "SELECT kind, category FROM flags JOIN intakes ON intakes.id = flags.intake_id WHERE conversation_id=:s",
        s=unread.sender,
    )
    assert flags == [("wants_person", "read_back_unconfirmed")]


def test_no_after_a_crisis_reply_pauses_without_looping(system):
    patient = Patient(system.settings)
    _until(patient, answering(MRS_C), "what matters most to you")
    turns = [Patient.text(patient.say("I want to end my life"))]
    turns += [Patient.text(patient.say("no")) for _ in range(4)]
    assert _no_three_in_a_row(turns)
    assert "saved" in turns[1]
    assert "would you like support with" in Patient.text(patient.say("carry on")).lower()


@pytest.mark.parametrize(
    "reply_to_check",
    ["yes, that's what I meant, I don't understand why I feel like this", "why are you asking me that?"],
)
def test_any_reply_to_the_safety_check_but_a_clear_no_gets_the_crisis_reply_even_one_that_sounds_like_help(
    system, reply_to_check
):
    """A reply to the check that the classifier reads as help or why is still the reply to the check:
    it once got the help text and the question again, so the person's yes was lost and the same
    answer brought the same check back, over and over."""
    patient = Patient(system.settings)
    _until(patient, answering(MRS_C), "what has made things hard so far")
    check = Patient.text(patient.say("I'm not suicidal or anything, I just feel like a burden to everyone"))
    assert "are you thinking of harming yourself" in check.lower(), check
    reply = Patient.text(patient.say(reply_to_check))
    assert "116 123" in reply or "999" in reply, reply
    [(priority,)] = query(
        system,
        "SELECT queue_items.priority FROM queue_items JOIN intakes ON intakes.id = queue_items.intake_id "
        "WHERE conversation_id=:s",
        s=patient.sender,
    )
    assert priority == Priority.URGENT


def test_the_same_answer_sent_again_after_a_clear_no_to_the_check_is_not_checked_again(system):
    """A person whose answer the question could not use sends it again: one check was enough. Asking again and again
    was a wall (a persona sent the same words four times and was asked four times)."""
    patient = Patient(system.settings)
    _until(patient, answering(MRS_C), "in a group, or one-to-one")
    said = "I'm not suicidal or anything, I just don't know"
    check = Patient.text(patient.say(said))
    assert "are you thinking of harming yourself" in check.lower(), check
    Patient.text(patient.say("no"))
    again = Patient.text(patient.say(said))
    assert "are you thinking of harming yourself" not in again.lower(), again
    assert "group" in again.lower(), again


def test_one_word_answers_are_answers_not_interruptions(system):
    patient = Patient(system.settings)
    reply = _until(patient, answering(MRS_C), "what are you good at")
    reply = Patient.text(patient.say("computers"))
    assert "who is around to support you" in reply.lower(), reply
    reply = Patient.text(patient.say("my son"))
    reply = Patient.text(patient.say("I'm hard of hearing so phone calls are difficult for me"))
    assert "I've asked the team to contact you" not in reply
    assert "hard of hearing" in _answers(system, patient.sender)["barriers_text"]


def test_a_pause_said_again_and_again_at_one_question_is_read_as_its_answer(system):
    """The twelfth set: "daughter will find later" at the NHS number paused the intake; coming back, the same words
    paused it again, 57 times. The third time at the same question, a closed question's reader reads the words
    (here a skip), the pause still happens, and coming back goes on to the next question."""
    patient = Patient(system.settings)
    _until(patient, answering(MRS_C), "nhs number")
    said = "skip it for now, I'll finish the rest later"
    for time in range(3):
        paused = Patient.text(patient.say(said))
        assert "nhs number" not in paused.lower(), (time, paused)  # paused (its reply varies), not asked again
        assert time > 0 or "carry on" in paused.lower(), paused
        back = Patient.text(patient.say("ok, carry on"))
        if time < 2:
            assert "nhs number" in back.lower(), (time, back)
    assert "nhs number" not in back.lower() and "referral code" in back.lower(), back
    assert _answers(system, patient.sender)["nhs_number"] == said
