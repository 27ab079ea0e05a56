"""Which tier a message gets: certain (crisis reply) or uncertain (one direct question).

`assess` combines the phrase list, the intent classifier's score and the meaning
classifier's score. The thresholds are passed in here, so these tests pin the rule,
not the numbers chosen on the tuning set (config.yml says which and why).
"""

from __future__ import annotations

from typing import Optional

import pytest

from bot.intake.risk import CERTAIN, UNCERTAIN, assess

RULE = {"certain_at": 1.01, "check_at": 0.3, "meaning_at": 0.5}


def tier(text: str, classifier: float = 0.0, meaning: Optional[float] = 0.0, **rule: float):
    risk = assess(text, classifier, meaning_score=meaning, **{**RULE, **rule})
    return None if risk is None else risk.tier


@pytest.mark.parametrize(
    "text",
    [
        "I want to kill myself",
        "I've just taken an overdose",
        "he hits me and I'm scared to go home",
        "I keep cutting myself",
        "I took an overdose an hour ago and feel sick",
    ],
)
def test_a_plain_phrase_list_match_is_certain(text):
    assert tier(text) == CERTAIN


@pytest.mark.parametrize(
    "text",
    [
        "I overdosed when I was 19, I'm 52 now and life's good",
        "I self harmed years ago",
        "I cut myself once at college but it was a one-off",
        "I tried to kill myself back in 2008, I'm doing well now",
        "I had suicidal thoughts last winter but I'm much better",
        "I'm a nurse so I deal with overdoses every shift",
        "I'm a support worker in a refuge for domestic abuse",
        "in my job I see a lot of self harm",
        "no thoughts of killing myself, just tired",
        "the GP asked if I wanted to kill myself and I said no",
        "I'm not suicidal",
        "I would never kill myself",
        "I used to self harm",
        "I'd rather die lol",
        "I took an overdose a long time ago",
    ],
)
def test_a_match_in_the_past_in_a_job_or_denied_asks_instead_of_assuming(text):
    assert tier(text) == UNCERTAIN


def test_the_meaning_classifier_alone_only_ever_asks():
    text = "I've put every tablet in the house in a bowl by the bed"
    assert tier(text, meaning=0.99) == UNCERTAIN
    assert tier(text, meaning=0.49) is None


def test_the_meaning_classifier_needs_a_sentence_not_a_word_or_two():
    assert tier("Carol", meaning=0.99) is None
    assert tier("my sister", meaning=0.99) is None
    assert tier("my sister mostly", meaning=0.99) == UNCERTAIN


def test_the_meaning_classifier_is_switched_off_at_one_point_zero_one():
    assert tier("everything feels pointless lately", meaning=1.0, meaning_at=1.01) is None


def test_an_interruption_the_gate_kept_is_not_flagged_by_a_classifier():
    risk = assess(
        "hang on brb one sec", 0.9, certain_at=1.01, check_at=0.3, intent="pause", meaning_score=0.9, meaning_at=0.5
    )
    assert risk is None


def test_a_long_message_read_as_an_interruption_is_still_flagged_when_the_meaning_is_sure():
    """The thirteenth set: a disclosure inside an answer the gate read as help was never flagged. Past
    `LONG_INTERRUPTION_WORDS` a certain meaning score flags it; a middling one still does not (a long "who sees
    this? I don't want my family to know" asks, it does not disclose)."""
    text = (
        "used to be drawing and camogie. tbh the only thing that takes the edge off now is the blade, "
        "I know that's not what yous mean"
    )
    sure = dict(certain_at=1.01, check_at=0.9, intent="help", meaning_at=0.004, meaning_certain_at=0.999)
    assert assess(text, 0.0, meaning_score=0.9998, meaning_certain_hedged_at=0.999, **sure).tier == CERTAIN
    assert assess(text, 0.0, meaning_score=0.98, meaning_certain_hedged_at=0.999, **sure) is None
    short = "sorry what do you mean by that, is it about the blade"
    assert assess(short, 0.0, meaning_score=0.9998, meaning_certain_hedged_at=0.999, **sure) is None


def test_a_very_sure_classifier_makes_plain_wording_certain():
    text = "there is no point to any of it and I have a way to finish it"
    assert tier(text, meaning=0.995, meaning_certain_at=0.99) == CERTAIN
    assert tier(text, meaning=0.98, meaning_certain_at=0.99) == UNCERTAIN
    assert tier(text, classifier=1.0, certain_at=0.99) == CERTAIN


@pytest.mark.parametrize(
    "text",
    [
        "I used to feel there was no point to any of it",
        "this week has finished me off haha",
        "years ago I felt I had a way to finish it",
        "it's not like I have a way to finish it",
    ],
)
def test_a_very_sure_classifier_on_hedged_or_joking_wording_still_only_asks(text):
    assert tier(text, classifier=1.0, meaning=1.0, certain_at=0.99, meaning_certain_at=0.99) == UNCERTAIN


def test_a_plain_match_the_meaning_classifier_contradicts_only_asks():
    plain = "I want to kill myself"
    assert tier(plain, meaning=None) == CERTAIN  # the meaning score was not read: the match stands
    assert tier(plain, meaning=0.5, meaning_veto_at=0.1) == CERTAIN
    assert tier(plain, meaning=0.05, meaning_veto_at=0.1) == UNCERTAIN  # contradicted: asked, never ignored


@pytest.mark.parametrize("text", ["kms fr", "gonna ctb soon tbh", "thinking about unaliving myself"])
def test_shorthand_the_sentence_encoder_never_learnt_is_not_contradicted_by_it(text):
    assert tier(text, meaning=0.0002, meaning_veto_at=0.02) == CERTAIN


def test_a_laugh_taken_back_is_no_joke():
    assert tier("wanna unalive myself lol", meaning=1.0) == UNCERTAIN
    assert tier("wanna unalive myself lol not even joking", meaning=1.0) == CERTAIN
    assert tier("I want to kill myself haha, no joke", meaning=1.0) == CERTAIN


def test_a_very_sure_meaning_score_makes_hedged_wording_certain_only_past_its_own_threshold():
    text = "can't see myself being here next week"  # "can't" is a negation marker, yet this is a disclosure
    rule = {"meaning_certain_at": 0.8, "meaning_certain_hedged_at": 0.95}
    assert tier(text, meaning=0.97, **rule) == CERTAIN
    assert tier(text, meaning=0.9, **rule) == UNCERTAIN
    assert tier("I'd rather not be here lol", meaning=1.0, **rule) == UNCERTAIN  # a joke marker never is


def test_the_intent_classifier_asks_only_where_the_meaning_classifier_does_not_flatly_disagree():
    text = "garden, grow vegetables"  # the bag-of-words classifier scored this 1.00
    assert tier(text, classifier=1.0, meaning=0.01, classifier_corroborated_at=0.05) is None
    assert tier(text, classifier=1.0, meaning=0.06, classifier_corroborated_at=0.05) == UNCERTAIN
    assert tier(text, classifier=1.0, meaning=None, classifier_corroborated_at=0.05) == UNCERTAIN  # not read


def test_a_classifier_flag_the_meaning_reader_finds_more_likely_than_not_is_marked_likely():
    said = "everything feels pointless, it would be simpler for everyone if I just didn't wake up"
    likely = assess(said, 0.0, meaning_score=0.97, **RULE)
    assert likely is not None and likely.tier == UNCERTAIN and likely.likely
    assert likely.as_dict()["likely"] is True and type(likely).from_dict(likely.as_dict()) == likely
    doubt = assess("darts, and a pint with the lads", 0.95, meaning_score=0.0004, **RULE)
    assert doubt is not None and doubt.tier == UNCERTAIN and not doubt.likely
    assert "likely" not in doubt.as_dict()


def test_an_ask_first_row_alone_is_marked_as_asked_first_and_a_hedged_or_joking_match_is_not():
    bridge = assess("there's a bridge near the station, I keep wondering if it would be quick", 0.0, **RULE)
    assert bridge is not None and bridge.tier == UNCERTAIN and bridge.category == "suicide" and bridge.asked_first
    assert bridge.as_dict()["asked_first"] is True and type(bridge).from_dict(bridge.as_dict()) == bridge
    negated = assess("I'm not suicidal, just tired of it all", 0.0, **RULE)
    assert negated is not None and negated.tier == UNCERTAIN and not negated.asked_first
    assert "asked_first" not in negated.as_dict()
    joking = assess("the bridge on my commute lol, wondering if it'd be quick", 0.0, **RULE)
    assert joking is not None and joking.tier == UNCERTAIN and not joking.asked_first
