"""Change requests at the read-back in people's own words (our wordings; the blind ones are
bench/readers/readback_dev.yml, readback_dev2.yml and readback_blind2.yml, `make readers-probe`)."""

from __future__ import annotations

import pytest

from bot.intake.questions import CONFIRMED
from bot.intake.readback import parts_to_change
from bot.intake.turn import take_turn

SAVED = {
    "preferred_name": "Maggie",
    "contact_method": "phone",
    "contact_detail": "+447700900789",
    "contact_times": "mornings",
    "gp_practice": "Castle Street Surgery",
    "what_matters": "being less on my own since my husband died",
    "life_areas": ["loneliness", "bereavement"],
    "ons_life_satisfaction": 3,
    "ons_worthwhile": 4,
    "ons_happy": 2,
    "ons_anxious": 8,
    "enjoys": "crosswords and baking",
    "support_network": "my niece Karen",
    "barriers_text": "my hip, and I don't drive",
    "barrier_options": ["pain_mobility", "transport"],
    "group_or_one_to_one": "group",
    "meeting_format": "in_person",
    "wants_company": True,
    "language": "english",
    "goal": "go to a coffee morning every week",
}


@pytest.mark.parametrize(
    "said, parts",
    [
        ("the anxious one should be a 5", ["ons_anxious"]),
        ("happiness was more like 6 tbh", ["ons_happy"]),
        ("can I redo the scores", ["ons_life_satisfaction", "ons_worthwhile", "ons_happy", "ons_anxious"]),
        ("wrong mobile, it ends 788", ["contact_detail"]),
        ("evenings would suit me better", ["contact_times"]),
        ("I'd rather they texted me instead", ["contact_method", "contact_detail"]),
        ("it's Margaret on my records but I go by Maggie, leave the name", ["preferred_name"]),
        ("the baking bit is wrong, it's cake decorating", ["enjoys"]),
        ("Karen moved away, it's my neighbour now", ["support_network"]),
        ("the hip isn't the only thing, my eyes too", ["barriers_text", "barrier_options"]),
        ("actually I don't need anyone coming the first time", ["wants_company"]),
        ("online would be easier than in person", ["meeting_format"]),
        ("surgery's wrong, it's Parkway now", ["gp_practice"]),
        ("my goal should be twice a week", ["goal"]),
        ("I'm in Rotherham, not the town you've put", ["home_area"]),
    ],
)
def test_a_part_named_in_the_persons_own_words_is_asked_again(said, parts):
    assert parts_to_change(said.lower(), SAVED) == parts


@pytest.mark.parametrize(
    "said",
    ["something's not right", "mostly right but one bit needs fixing", "that's not quite right", "these aren't right"],
)
def test_a_change_with_no_part_named_asks_which_and_never_sends(said):
    outcome = take_turn(CONFIRMED, said, None, SAVED)
    assert not outcome.accepted and not outcome.clear and outcome.responses == ["utter_which_section"]


@pytest.mark.parametrize("said", ["yes that's all right", "spot on, send it", "yes, the baking bit made me smile"])
def test_agreement_that_mentions_an_answer_still_sends(said):
    assert take_turn(CONFIRMED, said, None, SAVED).value is True


def test_a_long_message_of_thanks_names_no_part():
    said = "yes that's all lovely, thank you so much, I hope someone can help me get out a bit more soon"
    assert take_turn(CONFIRMED, said, None, SAVED).value is True


@pytest.mark.parametrize(
    "said",
    [
        "I don't want you to send it yet",
        "not ready to submit",
        "hold on before you send",
        "send me a copy first",
        "hardly perfect",
        "perfect except my number",
        "I'd like to go by text instead",
        "actually I'd like to go on my own",
    ],
)
def test_a_send_word_that_is_held_back_or_a_change_of_mind_never_sends(said):
    assert not take_turn(CONFIRMED, said, None, SAVED).accepted


def test_a_part_said_to_be_fine_is_not_asked_again():
    assert parts_to_change("the name is fine but the phone number is wrong", SAVED) == ["contact_detail"]


@pytest.mark.parametrize(
    "said, part",
    [
        ("i do have a referral code, its AB1234", "referral_code"),
        ("I'm hard of hearing, please put that under accessibility", "accessibility_needs"),
        ("please add choir to what I enjoy", "enjoys"),
    ],
)
def test_a_part_given_without_agreeing_first_is_a_change_whatever_sounds_like_yes(said, part):
    outcome = take_turn(CONFIRMED, said, None, SAVED)
    assert not outcome.accepted and part in (outcome.clear or [])


@pytest.mark.parametrize("said", ["yes, the referral code is right", "the name is fine, send it", "ok looks good"])
def test_agreeing_first_or_a_part_said_to_be_fine_still_sends(said):
    assert take_turn(CONFIRMED, said, None, SAVED).value is True


@pytest.mark.parametrize(
    "said, parts",
    [
        (
            "about what has made things hard, could you add that my husband needs me at home most days now",
            ["barriers_text", "barrier_options"],
        ),
        ("it says I don't want anybody with me, that's a mistake, my neighbour said she'd come", ["wants_company"]),
    ],
)
def test_a_long_request_whose_part_is_not_next_to_its_verb_is_still_read(said, parts):
    assert take_turn(CONFIRMED, said, None, SAVED).clear == parts


def test_all_the_time_is_no_best_time_and_mental_wellbeing_is_no_score():
    said = "what matters isn't really the crosswords, it's my son, I worry about him all the time"
    assert parts_to_change(said, SAVED) == ["what_matters"]
    assert parts_to_change("the top ones should be mental wellbeing and money", SAVED) == ["top_areas"]


def test_a_word_with_s_is_no_word_of_a_saved_answer():
    """ "something's" is no echo of "sometimes"."""
    saved = {**SAVED, "support_network": "my niece, sometimes"}
    outcome = take_turn(CONFIRMED, "hmm no, something's not right there", None, saved)
    assert not outcome.clear and outcome.responses == ["utter_which_section"]


@pytest.mark.parametrize("said", ["no changes, send please", "correct, nothing to change", "it doesn't need changing"])
def test_agreement_in_the_words_of_change_sends(said):
    assert take_turn(CONFIRMED, said, None, SAVED).value is True


@pytest.mark.parametrize(
    "said, parts",
    [
        ("happy should be 5 i think", ["ons_happy"]),
        ("please can you ring me, not text", ["contact_method", "contact_detail"]),
        ("all fine apart from the 3 month goal, make it twice a week", ["goal"]),
        ("all right except the crosswords, I have no time for them now", ["enjoys"]),
        ("a group would be ok for me now", ["group_or_one_to_one"]),
        ("I'm good with computers too, could you add that", ["good_at"]),
    ],
)
def test_more_ways_of_naming_a_part(said, parts):
    assert take_turn(CONFIRMED, said, None, SAVED).clear == parts


def test_a_hedged_not_right_asks_which_part():
    outcome = take_turn(CONFIRMED, "not sure that's quite right, I think I said something different", None, SAVED)
    assert not outcome.accepted and outcome.responses == ["utter_which_section"]


@pytest.mark.parametrize(
    "said",
    [
        "all correct, thanks for your time",
        "Please send it. Thank you for your support",
        "please submit it, my anxiety is bad today",
        "thank you, please send. Speak to you soon",
    ],
)
def test_a_part_mentioned_beside_words_of_agreement_still_sends(said):
    assert take_turn(CONFIRMED, said, None, SAVED).value is True


def test_no_change_followed_by_what_to_change_is_a_change():
    assert take_turn(CONFIRMED, "no change the number please", None, SAVED).clear == ["contact_detail"]


def test_the_scores_with_a_hard_time_are_the_scores():
    said = "the scores are wrong, I was having a hard time"
    assert take_turn(CONFIRMED, said, None, SAVED).clear == [
        "ons_life_satisfaction",
        "ons_worthwhile",
        "ons_happy",
        "ons_anxious",
    ]


@pytest.mark.parametrize("said", ["phone is better", "I'd rather phone than text", "I'd rather you call me not text"])
def test_a_way_of_contact_asks_the_way_and_its_detail_again(said):
    assert take_turn(CONFIRMED, said, None, SAVED).clear == ["contact_method", "contact_detail"]


def test_call_me_with_a_time_is_no_name():
    assert "preferred_name" not in (take_turn(CONFIRMED, "call me tomorrow", None, SAVED).clear or [])


@pytest.mark.parametrize(
    "said, parts",
    [
        ("language, Polish is fine", ["language", "interpreter"]),
        ("yes, one to one is fine", ["group_or_one_to_one"]),
        ("online is ok", ["meeting_format"]),
    ],
)
def test_another_choice_than_the_one_shown_said_to_be_fine_is_a_change(said, parts):
    outcome = take_turn(CONFIRMED, said, None, SAVED)
    assert not outcome.accepted and outcome.clear == parts


@pytest.mark.parametrize("said", ["yes, in a group is fine", "yes english is fine", "in person is right"])
def test_the_choice_shown_said_to_be_fine_still_sends(said):
    assert take_turn(CONFIRMED, said, None, SAVED).value is True


@pytest.mark.parametrize(
    "said, parts", [("something else is wrong", []), ("the something else bit", ["life_areas_other"])]
)
def test_something_else_names_the_other_life_area_only_as_its_label(said, parts):
    assert parts_to_change(said, SAVED) == parts


@pytest.mark.parametrize(
    "said, parts",
    [
        ("my number is 07700 900456 now, that's everything", ["contact_detail"]),
        ("that's ok but my number is 07700 900456", ["contact_detail"]),
        ("looks ok, my number is 07700 900456", ["contact_detail"]),
    ],
)
def test_a_new_value_closed_with_words_that_also_agree_is_a_change(said, parts):
    outcome = take_turn(CONFIRMED, said, None, SAVED)
    assert not outcome.accepted and outcome.clear == parts
