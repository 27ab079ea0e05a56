"""Routing an intake to its team, on plain values: the order of the rules, practice names as people
write them, and the many ways people say they are not registered with a GP."""

from __future__ import annotations

import pytest

from bot.intake.normalise import says_not_registered
from bot.intake.questions import NOT_REGISTERED, SKIPPED
from bot.intake.validation import interpret
from bot.teams.models import ReferralSource
from bot.teams.routing import Route, TeamFacts, choose_team, names_practice, practice_team, referral_source

HUB = TeamFacts(1, (), takes_unregistered=True)
RIVERSIDE = TeamFacts(2, ("Riverside Surgery", "Castle Street Surgery"))
NORTH = TeamFacts(3, ("Dr Patel's Surgery", "St Mary's Medical Centre"), is_default=True)
TEAMS = (HUB, RIVERSIDE, NORTH)


# --- the order of the rules ----------------------------------------------------------------------------------------


def test_a_person_not_registered_goes_to_the_team_that_takes_unregistered_people_wherever_they_started():
    assert choose_team(TEAMS, RIVERSIDE.id, None, True) == Route(HUB.id, "unregistered")
    assert choose_team(TEAMS, None, None, True) == Route(HUB.id, "unregistered")


def test_with_no_team_for_unregistered_people_the_other_rules_apply():
    teams = (RIVERSIDE, NORTH)
    assert choose_team(teams, RIVERSIDE.id, None, True) == Route(RIVERSIDE.id, "entry_point")
    assert choose_team(teams, None, None, True) == Route(NORTH.id, "default")


def test_a_practice_of_ours_goes_to_its_team_even_from_another_teams_entry_point():
    assert choose_team(TEAMS, NORTH.id, "Riverside Surgery", False) == Route(RIVERSIDE.id, "practice")
    assert choose_team(TEAMS, None, "riverside medical practice", False) == Route(RIVERSIDE.id, "practice")
    assert choose_team(TEAMS, RIVERSIDE.id, "Dr Patel's", False) == Route(NORTH.id, "practice")


def test_a_practice_that_is_not_ours_leaves_the_intake_with_its_entry_point_or_the_default_team():
    assert choose_team(TEAMS, RIVERSIDE.id, "Abbey Medical Centre", False) == Route(RIVERSIDE.id, "entry_point")
    assert choose_team(TEAMS, None, "Abbey Medical Centre", False) == Route(NORTH.id, "default")


def test_a_practice_two_teams_support_is_not_a_reason_to_move():
    shared = (TeamFacts(5, ("Riverside Surgery",)), TeamFacts(6, ("Riverside Surgery",)), NORTH)
    assert practice_team("Riverside Surgery", shared) is None
    assert choose_team(shared, 6, "Riverside Surgery", False) == Route(6, "entry_point")


def test_nowhere_else_to_go_is_the_default_team_and_without_one_no_team():
    assert choose_team(TEAMS, None, None, False) == Route(NORTH.id, "default")
    assert choose_team((HUB, RIVERSIDE), None, None, False) == Route(None, "none")
    assert choose_team((), None, "Riverside Surgery", True) == Route(None, "none")


def test_the_referral_source_is_the_entry_points_kind_of_place_then_an_invitation_then_the_person():
    assert referral_source(ReferralSource.AE, invited=True) == "ae"
    assert referral_source("community", invited=False) == "community"
    assert referral_source(None, invited=True) == "gp"
    assert referral_source(None, invited=False) == "self"
    assert referral_source("somewhere", invited=False) == "self"


# --- practice names as people write them ---------------------------------------------------------------------------

SAME_PRACTICE = [
    ("Riverside Surgery", "Riverside Surgery"),
    ("riverside medical practice", "Riverside Surgery"),
    ("Riverside Surgery", "riverside medical practice"),
    ("RIVERSIDE", "Riverside Surgery"),
    ("the riverside one", "Riverside Surgery"),
    ("Riverside Health Centre", "Riverside Surgery"),
    ("The Riverside Practice, Mill Lane", "Riverside Surgery"),
    ("I'm at riverside surgery I think", "Riverside Surgery"),
    ("Dr Patel's", "Dr Patel's Surgery"),
    ("dr patels", "Dr Patel's Surgery"),
    ("Dr Patel\u2019s surgery", "Dr Patel's Surgery"),
    ("I see Dr Patel", "Dr Patel's Surgery"),
    ("Dr Patel's", "Patel Surgery"),
    ("St Marys", "St Mary's Medical Centre"),
    ("Saint Mary's", "St Mary's Medical Centre"),
    ("castle st surgery", "Castle Street Surgery"),
    ("Parkview Surgery", "Park View Surgery"),
    ("park view", "Parkview Medical Centre"),
    ("the one on the high street", "High Street Surgery"),
]

OTHER_PRACTICE = [
    ("Riverdale Surgery", "Riverside Surgery"),
    ("the surgery", "Riverside Surgery"),
    ("Dr Shah", "Dr Patel's Surgery"),
    ("Castle Surgery", "Castle Street Surgery"),
    ("St John's", "St Mary's Medical Centre"),
    ("the medical centre", "St Mary's Medical Centre"),
    ("", "Riverside Surgery"),
]


@pytest.mark.parametrize(("answer", "practice"), SAME_PRACTICE)
def test_the_same_practice_however_it_is_written(answer, practice):
    assert names_practice(answer, practice), f"{answer!r} should name {practice!r}"


@pytest.mark.parametrize(("answer", "practice"), OTHER_PRACTICE)
def test_another_practice_or_no_practice_at_all(answer, practice):
    assert not names_practice(answer, practice), f"{answer!r} should not name {practice!r}"


def test_a_practice_name_of_only_generic_words_names_nothing():
    assert not names_practice("The Surgery", "The Surgery")


# --- "not registered", in people's words ---------------------------------------------------------------------------

NOT_REGISTERED_WORDINGS = [
    "none, not with anyone, I'm in A&E now with my ankle",  # the twenty-fifth set, read: "now with my" is no practice
    "I did not register yet, sorry",  # the ninth set
    "I not have doctor here",  # the eleventh set
    # The thirty-second session's review: a practice named only as the one left, or a reason and then "so no"
    "nope, got kicked off Elm Tree surgery's list",
    "nothing since Meadow surgery shut",
    "I'm homeless so no",
    "they struck me off",  # the thirty-third session's review
    "my old gp kicked me off",
    "Kicked off Dr Rahman's list for missing appts",  # the thirty-third session's review, not landed then
    "been in prison, so no.",
    "i was took off the list",
    "Hillside was my doctors but its shut now",
    "no. it closed.",
    "no signed up wi one since a moved, never got roond tae it",
    "I don't have. I go to A&E last week for my back",  # the eighteenth set: "don't have" and nothing after
    "I dont have doctor. I am at food bank now",
    "dont hav one",  # the nineteenth set: text speak
    "i dnt have 1",
    "no dnt have 1 yet",  # a review's cases
    "dnt have a gp",
    "not with one",
    "I'm not registered",
    "Im not registered",
    "no GP",
    "never registered",
    "I haven't got a doctor",
    "moved here, not signed up yet",
    "none",
    "none, I'm new to the area",
    "I don't have a GP",
    "i dont have a gp",
    "Not registered with a GP",
    "I'm not registered anywhere",
    "no doctor at the moment",
    "not with any practice",
    "I haven't registered yet",
    "not yet",
    "not currently",
    "nowhere",
    "I was struck off",
    "I got taken off the list",
    "not on any GP's list",
    "I'm not on a doctor's list",
    "I'm homeless so no GP",
    "No GP, I'm sofa surfing",
    "haven't got one",
    "don't have one",
    "i aint got a doctor",
    "I don't have a doctor, I just moved here",
    "nope, not registered",
    "no, I've never had a GP",
    "I'm not signed up with a surgery",
    "haven't signed up to one since I moved",
    "not registered since I came to the UK",
    "I've not got a GP",
    "I've never been registered with a doctor",
    "I used to be but not any more",
    "I don't think I'm registered",
]

A_PRACTICE_OR_NOT_KNOWING_ITS_NAME = [
    "kicked off at the receptionist over the waiting list, still at Oakwood",  # the thirty-fourth session's review
    "Kicked off about the waiting list but I'm still with Park Lane",
    "no registered at Oakwood surgery",  # a review's cases
    "I'd rather not have practice contacted",
    "Riverside Surgery",
    "riverside medical practice",
    "Dr Patel's",
    "Abbey Medical Centre",
    "the doctors on Mill Lane",
    "not sure of the name",
    "can't remember what it's called",
    "no idea what it's called",
    "the one on the high street",
    "The Health Centre on Station Road",
    "I'm with Dr Okafor at Parkview",
    "Castle Street surgery, I think",
    "I don't know the name, it's near the station",
    "I forget the name but it's by the library",
    "Not sure, the one next to Tesco",
    "Not sure - I think it's Brookfield",
    "not sure if I'm still registered",
    "I'm registered but can't remember where",
    "Same one as my mum, Hillside",
    "Riverside, but I never go",
    "I'm not with the one on the high street any more, I'm at Riverside now",
    "I don't have it to hand, Riverside I think",
    "Don't have, my daughter sorts all that, it's Greenbank Surgery",
    "dont have it to hand, Oakwood surgery",  # the thirty-first session's review: a practice named beside "don't have it"
    # The thirty-third session's review: a practice named beside a list left, a shut door, "so no"
    "Was removed off the register at my old one, now registered at Grange Road",
    "Nothing fancy, Crown Street surgery, though it's closed Wednesdays",
    "they kicked off about me being on the list twice, it's Moorside",
    "no it's Ashfield, the other one closed",
    "Woodlands. I rang them about it but they're shut today so no",
    "not got the details on me, Parkside Medical Centre",
]


@pytest.mark.parametrize("wording", NOT_REGISTERED_WORDINGS)
def test_every_way_of_saying_not_registered_is_read_as_not_registered(wording):
    outcome = interpret("gp_practice", wording, "inform", {})
    assert outcome.accepted and outcome.value == NOT_REGISTERED, f"{wording!r} read as {outcome.value!r}"


@pytest.mark.parametrize("wording", A_PRACTICE_OR_NOT_KNOWING_ITS_NAME)
def test_a_practice_or_not_knowing_its_name_is_not_read_as_not_registered(wording):
    assert not says_not_registered(wording), wording
    outcome = interpret("gp_practice", wording, "inform", {})
    assert outcome.accepted and outcome.value not in (NOT_REGISTERED, SKIPPED), f"{wording!r} read as {outcome.value!r}"
    assert outcome.value == wording, "the person's words are kept for the link worker"


def test_the_reader_and_the_question_agree_on_explicit_wordings():
    """Wordings that name a GP, a doctor or registering are the reader's own (not only "nothing to record")."""
    for wording in ("I'm not registered", "no GP", "never registered", "I haven't got a doctor", "not with one"):
        assert says_not_registered(wording), wording
