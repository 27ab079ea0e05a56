"""One message inside the intake, safety first (bot.intake.turn): pure, no Rasa, no database."""

import pytest

from bot.db.models import FlagKind, IntakeStatus
from bot.intake.questions import CONFIRMED, CONSENT, SKIPPED
from bot.intake.risk import CERTAIN, UNCERTAIN, Risk
from bot.intake.turn import CARRY_ON, RISK_CHECK, RISK_FLAGGED, digest, is_clear_no, take_turn

SUICIDE = Risk(CERTAIN, "suicide")
ABUSE = Risk(CERTAIN, "abuse")
MAYBE = Risk(UNCERTAIN, "classifier")


def test_a_disclosure_answering_an_open_question_is_saved_verbatim_and_flagged():
    said = "my partner hits me and I'm scared to go home"
    outcome = take_turn("what_matters", said, "disclose_risk", {}, risk=ABUSE)
    assert outcome.accepted and outcome.key == "what_matters" and outcome.value == said
    assert outcome.flag == FlagKind.SAFEGUARDING and outcome.category == "abuse"
    assert outcome.responses == ["utter_crisis", "utter_offer_continue"]
    assert outcome.hold == CARRY_ON, "after a crisis reply the bot waits instead of firing the next question"


@pytest.mark.parametrize("key", ["ons_happy", "group_or_one_to_one", "wants_company", "consent", "preferred_name"])
def test_a_disclosure_at_a_number_or_choice_question_is_flagged_and_the_question_kept(key):
    outcome = take_turn(key, "0, I want to die", "disclose_risk", {}, risk=SUICIDE)
    assert not outcome.accepted and outcome.flag == FlagKind.SAFEGUARDING
    assert outcome.hold == CARRY_ON


def test_a_later_disclosure_gets_the_short_reply_not_the_whole_script():
    outcome = take_turn("enjoys", "I still want to end it", "disclose_risk", {RISK_FLAGGED: True}, risk=SUICIDE)
    assert outcome.responses == ["utter_crisis_again"]
    assert outcome.accepted, "still the person's answer to 'what do you enjoy'"


def test_an_answer_already_saved_is_not_overwritten_by_a_later_disclosure():
    outcome = take_turn(
        CARRY_ON,
        "I want to kill myself",
        "disclose_risk",
        {"what_matters": "my kids", RISK_FLAGGED: True},
        risk=SUICIDE,
    )
    assert not outcome.accepted and outcome.responses == ["utter_crisis_again"] and outcome.hold == CARRY_ON


def test_an_emergency_now_gets_999_first():
    outcome = take_turn(
        "ons_anxious",
        "I took all my sleeping tablets half an hour ago",
        "disclose_risk",
        {},
        risk=Risk(CERTAIN, "medical_emergency"),
    )
    assert outcome.responses[0] == "utter_emergency"


def test_an_emergency_after_an_earlier_disclosure_still_gets_999_first():
    """The sixteenth set: after a crisis reply, "took the whole box of ma sertraline aboot an hour ago" got only the
    short reply that the team knows. An overdose taken now is an emergency whatever came before; said again at the
    same question, the short reply in turn, so never the same words three times running."""
    said = "took the whole box of ma sertraline aboot an hour ago. feelin weird noo"
    emergency = Risk(CERTAIN, "medical_emergency")
    replies = [
        take_turn("ons_anxious", said, "disclose_risk", {RISK_FLAGGED: True}, risk=emergency, attempts=n).responses[0]
        for n in range(4)
    ]
    assert replies == ["utter_emergency", "utter_crisis_again_2", "utter_emergency", "utter_crisis_again_2"]


def test_unsafe_tonight_gets_its_own_numbers_and_an_urgent_flag():
    outcome = take_turn(
        "what_matters",
        "there's no food in for my toddler tonight",
        "disclose_risk",
        {},
        risk=Risk(CERTAIN, "unsafe_now"),
    )
    assert outcome.responses[0] == "utter_unsafe_now" and outcome.flag == FlagKind.SAFEGUARDING
    assert outcome.accepted, "it is also what matters most to them"


@pytest.mark.parametrize("reply", ["ok, let's carry on", "yes", "ready", "carry on", "ok", "I'm ok now"])
def test_carrying_on_after_a_crisis_reply_is_never_saved_as_an_answer(reply):
    outcome = take_turn(CARRY_ON, reply, "affirm", {"what_matters": "x", RISK_FLAGGED: True})
    assert not outcome.accepted and outcome.hold is None and not outcome.responses
    assert outcome.intake_status == IntakeStatus.IN_PROGRESS


def test_saying_no_to_carrying_on_pauses_without_repeating_itself():
    first = take_turn(CARRY_ON, "no", "deny", {RISK_FLAGGED: True}, attempts=0)
    second = take_turn(CARRY_ON, "no not now", "deny", {RISK_FLAGGED: True}, attempts=1)
    assert first.hold == second.hold == CARRY_ON
    assert first.intake_status == IntakeStatus.PAUSED
    assert first.responses != second.responses


def test_an_uncertain_disclosure_raises_a_check_and_asks_one_direct_question():
    said = "I've been really low since my husband died"
    outcome = take_turn("what_matters", said, "disclose_risk", {}, risk=MAYBE)
    assert not outcome.accepted
    assert outcome.flag == FlagKind.RISK_CHECK
    assert outcome.hold == RISK_CHECK
    assert outcome.pending == {"key": "what_matters", "text": said, "category": "classifier"}


def test_a_clear_no_to_the_check_saves_the_held_answer_and_carries_on():
    pending = {"key": "support_network", "text": "my daughter but shes busy", "category": "classifier"}
    outcome = take_turn(RISK_CHECK, "no, nothing like that", "deny", {}, pending=pending)
    assert outcome.accepted and outcome.key == "support_network" and outcome.value == "my daughter but shes busy"
    assert outcome.responses == ["utter_risk_check_thanks"]
    assert outcome.flag is None and outcome.hold is None


def test_a_clear_no_keeps_a_held_number_question_to_be_asked():
    pending = {"key": "ons_happy", "text": "I'm not suicidal, just fed up", "category": "suicide"}
    outcome = take_turn(RISK_CHECK, "no", "deny", {}, pending=pending)
    assert not outcome.accepted and outcome.hold is None


@pytest.mark.parametrize(
    "reply",
    [
        "yes",
        "sometimes",
        "maybe",
        "I don't know",
        "kind of",
        "not really sure",
        "why",
        "not me, it's me mam, she's on her own",  # the twenty-second set: someone else unsafe tonight
        "not me, my son",
        "no, it's Frank, he's on his own and can't get up",  # the twenty-third set: a no for oneself, then him
        "no, my dad is by himself and can't manage",
    ],
)
def test_anything_but_a_clear_no_to_the_check_is_a_disclosure(reply):
    pending = {"key": "goal", "text": "to not be here", "category": "classifier"}
    outcome = take_turn(RISK_CHECK, reply, "inform", {}, pending=pending)
    assert outcome.flag == FlagKind.SAFEGUARDING and outcome.responses[0] == "utter_crisis"
    assert outcome.accepted and outcome.key == "goal" and outcome.value == "to not be here"
    assert outcome.hold == CARRY_ON


def test_a_disclosure_in_reply_to_the_check_is_certain():
    pending = {"key": "enjoys", "text": "nothing anymore", "category": "classifier"}
    outcome = take_turn(RISK_CHECK, "no I just want to die", "disclose_risk", {}, risk=MAYBE, pending=pending)
    assert outcome.flag == FlagKind.SAFEGUARDING


def test_uncertain_wording_after_the_team_already_knows_is_kept_as_an_answer_with_a_note():
    outcome = take_turn("goal", "to feel less low", "disclose_risk", {RISK_FLAGGED: True}, risk=MAYBE)
    assert outcome.accepted and outcome.value == "to feel less low"
    assert outcome.flag == FlagKind.RISK_CHECK and not outcome.responses


BRIDGE = Risk(UNCERTAIN, "suicide", asked_first=True)
"""An "ask_first" row alone: "the bridge on the walk to work ... whether it'd be quick"."""


def test_words_always_asked_about_get_the_check_question_when_the_team_does_not_know_yet():
    said = "the bridge on my walk, I stand there wondering whether it'd be quick"
    outcome = take_turn("enjoys", said, "inform", {}, risk=BRIDGE)
    assert outcome.hold == RISK_CHECK and outcome.flag == FlagKind.RISK_CHECK and not outcome.accepted


def test_words_always_asked_about_after_the_team_already_knows_get_the_short_reply_and_are_saved():
    # Set 29: a yes to an earlier check question brought the crisis reply; his bridge, said later at "enjoys", was
    # only noted on the item, with nothing said to him.
    said = "the bridge on my walk, I stand there wondering whether it'd be quick"
    outcome = take_turn("enjoys", said, "inform", {RISK_FLAGGED: True}, risk=BRIDGE)
    assert outcome.responses == ["utter_crisis_again"] and outcome.hold == CARRY_ON
    assert outcome.flag == FlagKind.SAFEGUARDING and outcome.category == "suicide"
    assert outcome.accepted and outcome.key == "enjoys" and outcome.value == said
    closed = take_turn(
        "ons_happy",
        "2, I keep going to the bridge wondering if it'd be quick",
        "inform",
        {RISK_FLAGGED: True},
        risk=BRIDGE,
    )
    assert closed.responses[0] == "utter_crisis_again" and closed.flag == FlagKind.SAFEGUARDING
    assert closed.accepted and closed.value == 2, "the team knows: the number in it is saved, no hold, no loop"
    again = take_turn(CARRY_ON, said, "inform", {RISK_FLAGGED: True, "enjoys": said}, risk=BRIDGE, attempts=1)
    assert again.responses == ["utter_crisis_again_2"], "said again, the other short wording"


def test_a_negated_match_after_the_team_already_knows_is_only_noted():
    hedged = Risk(UNCERTAIN, "suicide")  # "I'm not suicidal": a negation, not an ask-first row
    outcome = take_turn(
        "goal", "I'm not suicidal, I just want to sleep better", "inform", {RISK_FLAGGED: True}, risk=hedged
    )
    assert outcome.accepted and outcome.flag == FlagKind.RISK_CHECK and not outcome.responses


def test_ordinary_answers_are_unchanged():
    outcome = take_turn("ons_happy", "7", "inform", {})
    assert outcome.accepted and outcome.value == 7 and outcome.flag is None and outcome.hold is None


def test_after_a_clear_no_words_of_risk_are_still_asked_about():
    hedged = Risk(UNCERTAIN, "suicide")
    outcome = take_turn(
        "ons_life_satisfaction",
        "0 lol. tbh i wanna end it most days",
        "disclose_risk",
        {"risk_checked": True},
        risk=hedged,
    )
    assert outcome.hold == RISK_CHECK and not outcome.accepted
    assert outcome.flag == FlagKind.RISK_CHECK


def test_the_same_message_sent_again_after_a_clear_no_is_noted_not_asked_about_again():
    """The person repeats an answer the question could not use: one check was enough (a wall otherwise)."""
    hedged = Risk(UNCERTAIN, "suicide")
    said = "3 i guess. not dead yet lol"
    first = take_turn("ons_happy", said, "disclose_risk", {}, risk=hedged)
    assert first.hold == RISK_CHECK
    after_no = {"risk_checked": 1, "risk_checked_text": digest(said)}
    again = take_turn("ons_happy", "3 I guess, not dead yet LOL!", "disclose_risk", after_no, risk=hedged)
    assert again.hold is None and again.flag == FlagKind.RISK_CHECK and again.accepted and again.value == 3
    other = take_turn("ons_anxious", "9, i'd be better off dead", "disclose_risk", after_no, risk=hedged)
    assert other.hold == RISK_CHECK, "other words of risk are still asked about"


def test_after_a_clear_no_a_classifiers_doubt_is_noted_not_asked_again():
    outcome = take_turn("enjoys", "nothing much these days", "disclose_risk", {"risk_checked": True}, risk=MAYBE)
    assert outcome.accepted and outcome.flag == FlagKind.RISK_CHECK and outcome.hold is None
    certain = take_turn("goal", "I want to kill myself", "disclose_risk", {"risk_checked": True}, risk=SUICIDE)
    assert certain.flag == FlagKind.SAFEGUARDING and certain.responses[0] == "utter_crisis"


def test_after_a_clear_no_a_likely_disclosure_is_asked_about_once_more_never_a_third_time():
    # A no given to a false alarm ("my partner, but I don't tell him much") must not silence a later
    # answer the meaning reader finds likely a disclosure; after a second no, doubt is only noted.
    likely = Risk(UNCERTAIN, "classifier", likely=True)
    said = "some nights I think it would be simpler for everyone if I just didn't wake up"
    after_one_no = take_turn("barriers_text", said, "disclose_risk", {"risk_checked": 1}, risk=likely)
    assert after_one_no.hold == RISK_CHECK and after_one_no.flag == FlagKind.RISK_CHECK
    assert take_turn("barriers_text", said, "disclose_risk", {"risk_checked": True}, risk=likely).hold == RISK_CHECK
    after_two = take_turn("goal", said, "disclose_risk", {"risk_checked": 2}, risk=likely)
    assert after_two.accepted and after_two.hold is None and after_two.flag == FlagKind.RISK_CHECK


def test_the_check_reply_remembers_the_clear_no():
    pending = {"key": "enjoys", "text": "nothing much", "category": "classifier"}
    assert take_turn(RISK_CHECK, "no", "deny", {}, pending=pending).checked


def test_a_clear_no_to_the_check_keeps_a_pause_from_being_saved_as_the_answer():
    pending = {"key": "barriers_text", "text": "brb need to help mum get to bed", "category": "classifier"}
    outcome = take_turn(RISK_CHECK, "no", "deny", {}, pending=pending)
    assert outcome.checked and not outcome.accepted and outcome.key is None
    answered = {"key": "enjoys", "text": "gardening and baking, brb", "category": "classifier"}
    kept = take_turn(RISK_CHECK, "no", "deny", {}, pending=answered)
    assert kept.accepted and kept.key == "enjoys"  # an answer with a pause after it is still the answer
    for reason in ("sorry he's kicking off, got to go", "shes woke up brb"):  # the twelfth set: saved as answers
        why = {"key": "barriers_text", "text": reason, "category": "classifier"}
        assert not take_turn(RISK_CHECK, "no", "deny", {}, pending=why).accepted, reason


@pytest.mark.parametrize("said", ["probably not", "probs not", "likely not"])
def test_a_hedged_no_to_the_check_is_no_clear_no(said):
    assert not is_clear_no(said)


@pytest.mark.parametrize(
    "said",
    [
        "no honestly, I'm tired but I'm ok",  # the twenty-third set: "but I'm ok" made the no unclear: a crisis reply
        "no it's fine",
        "nope, I'm alright thanks",
        "No I'm fine but thank you",
        "no it's bills im worried about",  # the review: a worry of one's own after the no is no one else at risk
        "no its the heating, its broke",
        "No I'm fine now, that was all sorted with a stent",  # the eighth set: 999 was the reply to a mended heart
        # The thirty-sixth session's review: family named only to say nobody is alone, or someone ill
        "no, brother's here so I'm not alone",
        "No, kids are with me, never alone",
        "no, the kids aren't alone, their dad is there",
        "No, grandad lives with us so nobody's alone",
        "no, it's my grandad, he's in hospital",
        "No, it's my mother, she's dying",
    ],
)
def test_a_no_with_being_all_right_after_it_is_a_clear_no(said):
    assert is_clear_no(said, "deny")  # as the intent classifier hears a no


@pytest.mark.parametrize(
    "said",
    [
        "no im fine. he only hit me the once",  # the review: being all right, then more said, is no clear no
        "nah im ok, just want to sleep forever",
        "no i'm fine, i just took a few extra pills",
        "no but im ok i think",
        "no, but I'm safe for now",
        "not really",
        "no not now",
        "erm no",
        "no just tired of everything",
        "no i wouldnt do it, the kids need me",
        "no it's my carer, she takes my money",
        "no im safe, its the kids im worried about",
        "nah its him upstairs, he bangs on the door at night",
    ],
)
def test_a_no_that_goes_on_to_doubt_or_to_someone_at_risk_is_no_clear_no(said):
    assert not is_clear_no(said)


@pytest.mark.parametrize(
    "said",
    [
        "no, my brother's on his own and can't cope",
        "nope, the kids are alone tonight",
        "no, mum's alone",
        "no i'm fine, i just took a few extra pills",  # the thirty-fifth session's review: a clear no with a "deny"
        "nah, only had some of my tablets, more than usual",
    ],
)
def test_a_no_that_goes_on_to_family_left_alone_or_tablets_taken_is_no_clear_no(said):
    assert not is_clear_no(said, "deny")


def test_a_pause_that_raised_the_check_is_never_saved_as_the_answer_whatever_the_reply():
    pending = {"key": "enjoys", "text": "hang on she's crying", "category": "classifier"}
    for reply in ("no", "yes"):
        outcome = take_turn(RISK_CHECK, reply, None, {}, pending=pending)
        assert not outcome.accepted and outcome.key is None, reply


def test_coming_back_to_the_check_question_asks_it_once_more_then_reads_the_reply():
    pending = {"key": "what_matters", "text": "hang on, brb", "category": "classifier"}
    again = take_turn(RISK_CHECK, "sorry back now", "resume", {}, attempts=0, pending=pending)
    assert again.hold == RISK_CHECK and again.pending == pending and not again.flag
    then = take_turn(RISK_CHECK, "hi again", "greet", {}, attempts=1, pending=pending)
    assert then.flag == FlagKind.SAFEGUARDING, "not a clear no the second time: crisis reply"


def test_the_same_words_of_risk_again_with_a_number_save_the_number_and_never_loop():
    slots = {RISK_FLAGGED: True}
    again = take_turn("ons_happy", "Three. Nobody came yesterday.", "disclose_risk", slots, risk=SUICIDE)
    assert again.accepted and again.value == 3 and again.key == "ons_happy"
    assert again.responses == ["utter_crisis_again"] and again.hold is None
    assert again.flag == FlagKind.SAFEGUARDING
    unusable = take_turn("ons_happy", "Nobody came yesterday.", "disclose_risk", slots, attempts=1, risk=SUICIDE)
    assert not unusable.accepted and unusable.hold is None
    assert unusable.responses[0] == "utter_crisis_again_2" and len(unusable.responses) > 1  # then a way forward


@pytest.mark.parametrize("key", ["consent", "wants_company", "interpreter", "confirmed"])
def test_a_yes_or_no_in_nothing_but_answer_words_is_not_checked_on_a_classifiers_doubt(key):
    outcome = take_turn(key, "wouldn't hurt i guess", "disclose_risk", {}, risk=Risk(UNCERTAIN, "classifier", True))
    assert outcome.hold != RISK_CHECK and outcome.flag is None
    # Anything more than the answer is still asked about, and words of risk always are.
    more = take_turn(key, "yes, if I'm still here by then", "disclose_risk", {}, risk=MAYBE)
    assert more.hold == RISK_CHECK
    listed = take_turn(key, "wouldn't hurt", "disclose_risk", {}, risk=Risk(UNCERTAIN, "self_harm"))
    assert listed.hold == RISK_CHECK


def test_once_the_team_knows_an_uncertain_answer_is_saved_and_noted_without_a_reply():
    # The person already has the crisis reply and the item is urgent: answers about what they
    # disclosed ("feeling safe at home") are noted for the link worker, not answered with the numbers again.
    likely = Risk(UNCERTAIN, "classifier", likely=True)
    outcome = take_turn("goal", "feeling safe at home", "disclose_risk", {RISK_FLAGGED: True}, risk=likely)
    assert outcome.accepted and outcome.flag == FlagKind.RISK_CHECK and outcome.hold is None
    assert not any(r.startswith("utter_crisis") for r in outcome.responses)


@pytest.mark.parametrize(
    "said", ["ok I'm back", "sorry about that, where were we", "back now", "right, carry on", "hi, I'm back again"]
)
@pytest.mark.parametrize("key", ["what_matters", "wants_company", "contact_method", "ons_happy"])
def test_coming_back_after_an_unseen_pause_answers_nothing(key, said):
    """The pause before it was missed, so the form is still asking: "ok I'm back" is not the answer
    (its "ok" is no yes); the person is welcomed back and asked again."""
    outcome = take_turn(key, said, "resume", {})
    assert not outcome.accepted and outcome.responses == ["utter_welcome_back"]


def test_coming_back_again_and_again_finds_the_usual_way_forward():
    """Never the same words three times running: the second time the choices, a skip and a person,
    the third time the question is left for the link worker."""
    second = take_turn("wants_company", "ok I'm back", "resume", {}, attempts=1)
    assert second.responses == ["utter_welcome_back", "You can answer: yes or no.", "utter_offer_skip_or_person"]
    third = take_turn("wants_company", "ok I'm back", "resume", {}, attempts=2)
    assert third.accepted and third.responses == ["utter_leave_for_link_worker"]


@pytest.mark.parametrize(
    "said", ["ok let's go", "yes, carry on", "continue", "right, let's go", "ok keep going", "ok I'm back, carry on"]
)
def test_going_on_is_the_answer_to_whether_to_go_on(said):
    """The consent question asks "are you happy to go on?": "let's go" and "carry on" say yes to it."""
    outcome = take_turn(CONSENT, said, "affirm", {})
    assert outcome.accepted and outcome.value is True, outcome.responses


def test_coming_back_at_consent_or_the_read_back_is_never_taken_as_a_yes():
    """Said again and again, "ok I'm back" gets each question's own replies to an unclear answer,
    never the same words three times, and is never read as consent or as "send it"."""
    replies = [take_turn(CONSENT, "ok I'm back", "resume", {}, attempts=n) for n in range(3)]
    assert [r.responses for r in replies] == [
        ["utter_welcome_back"],
        ["utter_consent_choices"],
        ["utter_consent_unclear"],
    ]
    assert not replies[0].accepted and not replies[1].accepted and replies[2].value is False
    confirming = [take_turn(CONFIRMED, "sorry about that, back now", "resume", {}, attempts=n) for n in range(7)]
    assert [r.responses for r in confirming] == [
        ["utter_welcome_back"],
        ["utter_confirm_choices"],
        ["utter_offer_person_to_check"],
    ] * 2 + [["utter_welcome_back"]]
    # A fourth "I'm back" is no fourth reply the read-back cannot read: nothing is sent, and nobody is flagged for it.
    assert not any(r.accepted or r.flag for r in confirming)


@pytest.mark.parametrize("said", ["sure, let's go", "definitely, carry on", "yes please, let's go"])
def test_a_yes_with_going_on_words_answers_a_yes_or_no_question(said):
    outcome = take_turn("wants_company", said, "affirm", {})
    assert outcome.accepted and outcome.value is True


@pytest.mark.parametrize(
    "key, said", [("barriers_text", "back"), ("barriers_text", "my back"), ("goal", "to continue working")]
)
def test_words_of_coming_back_inside_an_answer_are_the_answer(key, said):
    outcome = take_turn(key, said, "inform", {})
    assert outcome.accepted and outcome.value == said


SURE_READING = Risk(CERTAIN, "classifier")


@pytest.mark.parametrize(
    "key, said",
    [
        ("contact_method", "leave it with the surgery and they can pass it on"),
        ("wants_company", "yes definitely she wont go on her own"),
        ("contact_detail", "It's 01632 960 771, if nobody answers leave a message"),
        (CONSENT, "yes mum says ok. im her daughter filling this in for her"),
    ],
)
def test_the_meaning_reader_alone_at_a_closed_question_asks_before_any_crisis_reply(key, said):
    outcome = take_turn(key, said, None, {}, risk=SURE_READING)
    assert outcome.hold == RISK_CHECK and outcome.flag == FlagKind.RISK_CHECK and not outcome.responses


def test_the_meaning_reader_alone_at_an_open_question_or_words_of_risk_anywhere_stay_certain():
    assert take_turn("what_matters", "I can't see a way out", None, {}, risk=SURE_READING).hold == CARRY_ON
    assert take_turn("contact_method", "phone, he hits me", None, {}, risk=ABUSE).hold == CARRY_ON


def test_a_clear_no_to_the_check_at_consent_gives_the_consent_it_held():
    said = "yes mum says ok. im her daughter filling this in for her"
    check = take_turn(CONSENT, said, None, {}, risk=MAYBE)
    outcome = take_turn(RISK_CHECK, "no", None, {}, pending=check.pending)
    assert outcome.accepted and outcome.key == CONSENT and outcome.value is True


def test_a_clear_no_to_the_check_at_the_read_back_makes_the_change_asked_for():
    answers = {"preferred_name": "Leah", "wants_company": False, "language": "english"}
    said = "actually can I change the bit about someone coming with me, I think I would like that"
    check = take_turn(CONFIRMED, said, None, answers, risk=MAYBE)
    outcome = take_turn(RISK_CHECK, "no", None, answers, pending=check.pending)
    assert outcome.clear == ["wants_company"] and "utter_ok_change" in outcome.responses


def test_back_after_a_pause_at_the_check_question_is_no_answer_to_it():
    check = take_turn("barriers_text", "my mum needs me all the time", None, {}, risk=MAYBE)
    outcome = take_turn(RISK_CHECK, "back sorry", "resume", {}, pending=check.pending)
    assert outcome.hold == RISK_CHECK and outcome.flag is None, "asked again, never read as a yes"


@pytest.mark.parametrize("answers", [{"risk_checked": 2}, {RISK_FLAGGED: True}])
def test_where_no_check_would_be_asked_the_meaning_reader_stays_certain_at_a_closed_question(answers):
    outcome = take_turn("contact_method", "text. I can't go on like this much longer", None, answers, risk=SURE_READING)
    assert outcome.flag == FlagKind.SAFEGUARDING and outcome.responses[0].startswith("utter_crisis")


@pytest.mark.parametrize(
    "said, skipped",
    [
        ("not skint every month", False),  # the third set: the classifier's skip, with no word of skipping
        ("I'd rather not, if that's ok", True),
        ("leave that one please", True),
    ],
)
def test_the_classifiers_skip_at_an_open_question_needs_a_word_of_leaving_it(said, skipped):
    outcome = take_turn("goal", said, "skip", {}, attempts=1)
    assert (outcome.value == SKIPPED) is skipped and outcome.accepted


def test_a_clear_no_to_the_check_with_words_the_classifiers_doubt_is_a_no():
    """The sixteenth set: "No! I'm pulling your leg, I've no plans to pop my clogs" got the crisis reply. A clear no
    that only the classifiers doubt, less likely than not, is a no; a likely reading, or words of the phrase list,
    still bring the crisis reply."""
    pending = {"key": CONSENT, "text": "Go on then, you've twisted my arm", "category": "classifier"}
    said = "No! I'm pulling your leg, I've no plans to pop my clogs"
    doubt = Risk(UNCERTAIN, "classifier")
    no = take_turn(RISK_CHECK, said, "deny", {}, risk=doubt, pending=pending)
    assert no.responses == ["utter_risk_check_thanks"] and no.key == CONSENT and no.value is True
    likely = take_turn(RISK_CHECK, said, "deny", {}, risk=Risk(UNCERTAIN, "classifier", likely=True), pending=pending)
    assert likely.responses[0] == "utter_crisis"
    hedged = take_turn(RISK_CHECK, "no, but sometimes", "deny", {}, risk=doubt, pending=pending)
    assert hedged.responses[0] == "utter_crisis"


def test_a_later_disclosure_at_consent_reads_the_yes_in_it_and_never_loops():
    """The sixteenth set: "Go on then, you've twisted my arm", read as certain by a retrained reader after a crisis
    reply, got the short reply 59 times at consent. The yes in it is read, as at any closed question."""
    outcome = take_turn(
        CONSENT, "Go on then, you've twisted my arm", "disclose_risk", {RISK_FLAGGED: True}, risk=SUICIDE
    )
    assert outcome.accepted and outcome.key == CONSENT and outcome.value is True
    assert outcome.responses == ["utter_crisis_again"] and outcome.hold is None


def test_stepping_away_after_the_team_knows_is_never_saved_as_the_answer():
    # The seventeenth set: "she's woke up screaming, brb" (uncertain) after a disclosure was saved as what she enjoys,
    # and her "sorry back now" as what she is good at
    likely = Risk(UNCERTAIN, "classifier", likely=True)
    outcome = take_turn("enjoys", "she's woke up screaming, brb", "disclose_risk", {RISK_FLAGGED: True}, risk=likely)
    assert not outcome.accepted and outcome.flag == FlagKind.RISK_CHECK and not outcome.responses
    answer = take_turn("enjoys", "walks on the harbourside", "inform", {RISK_FLAGGED: True}, risk=likely)
    assert answer.accepted and answer.value == "walks on the harbourside"
