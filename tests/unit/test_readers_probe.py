"""The readers probe scores an answer the way its set says: codes, unclear, none, or kept as said."""

from __future__ import annotations

import pytest

from bench.readers_probe import DEV_SET, misread_as, probe, read


def test_codes_in_any_order_are_right_and_a_wrong_code_is_not():
    assert read("life_areas", {"text": "money and housing", "expect": ["housing", "money"]})[0]
    assert not read("life_areas", {"text": "money and housing", "expect": ["money"]})[0]


def test_unclear_is_right_only_when_the_reader_asks_again():
    assert read("meeting_format", {"text": "phone or online", "expect": "unclear"})[0]
    assert not read("meeting_format", {"text": "online", "expect": "unclear"})[0]


def test_none_and_keep_for_a_free_text_answer():
    assert read("accessibility_needs", {"text": "none", "expect": "none"})[0]
    assert not read("accessibility_needs", {"text": "I use a wheelchair", "expect": "none"})[0]
    assert read("accessibility_needs", {"text": "I use a wheelchair", "expect": "keep"})[0]


def test_the_top_question_is_read_against_the_areas_chosen():
    item = {"text": "4", "chosen": ["loneliness", "money", "caring"], "expect": ["money"]}
    assert read("top_areas", item) == (True, ["money"])


def test_the_development_set_runs_and_counts_every_answer():
    results = probe(DEV_SET)
    assert results["n"] >= 400
    assert results["n"] == sum(q["n"] for q in results["questions"].values())
    assert 0 < results["right"] <= results["n"]


def test_coming_back_is_right_only_when_the_person_is_welcomed_back_and_asked_again():
    assert read("wants_company", {"text": "sorry about that, back now", "expect": "returning"})[0]
    assert not read("wants_company", {"text": "yes please", "expect": "returning"})[0]
    assert not read("wants_company", {"text": "sorry about that, back now", "expect": True})[0]


def test_a_change_at_the_read_back_is_right_only_when_it_goes_to_changing():
    assert read("confirmed", {"text": "change my goal", "expect": "change"})[0]
    assert not read("confirmed", {"text": "yes send it", "expect": "change"})[0]


@pytest.mark.parametrize(
    "name",
    [
        "returning_dev.yml",
        "returning_blind.yml",
        "dev2.yml",
        "dev3.yml",
        "readback_dev.yml",
        "readback_dev2.yml",
        "readback_blind2.yml",
        "consent_dev.yml",
        "consent_dev2.yml",
        "consent_blind.yml",
    ],
)
def test_the_other_blind_sets_run_and_count_every_answer(name):
    results = probe(DEV_SET.parent / name)
    assert results["n"] >= 40 and results["n"] == sum(q["n"] for q in results["questions"].values())
    assert 0 < results["right"] <= results["n"]


def test_a_name_is_right_whatever_its_case_but_a_code_must_match():
    assert read("preferred_name", {"text": "mary-jane", "expect": "Mary-Jane"})[0]
    assert not read("preferred_name", {"text": "mary", "expect": "Mary-Jane"})[0]
    assert not read("referral_code", {"text": "WM4821", "expect": "WM-4821"})[0]


def test_a_change_at_the_read_back_is_right_only_for_the_parts_named():
    shown = {"enjoys": "gardening", "goal": "walk to the park"}
    assert read("confirmed", {"text": "the gardening bit is wrong", "expect": ["enjoys"], "answers": shown})[0]
    assert not read("confirmed", {"text": "the gardening bit is wrong", "expect": ["goal"], "answers": shown})[0]
    assert read("confirmed", {"text": "something's not right", "expect": "which", "answers": shown})[0]
    assert not read("confirmed", {"text": "yes send it", "expect": "which", "answers": shown})[0]


def test_a_gp_practice_is_kept_not_registered_or_unknown():
    assert read("gp_practice", {"text": "not with one", "expect": "not_registered"})[0]
    assert not read("gp_practice", {"text": "not with one", "expect": "keep"})[0]
    assert read("gp_practice", {"text": "can't remember its name", "expect": "unknown"})[0]


def test_a_blind_set_counts_its_misreads_by_kind_and_never_holds_an_answer():
    misread = [
        {"text": "go on", "expected": True, "read": "unclear"},
        {"text": "yep", "expected": True, "read": "unclear"},
        {"text": "nope", "expected": False, "read": True},
    ]
    counts = misread_as(misread)
    assert counts == {"true -> unclear": 2, "false -> true": 1}
    assert not any(item["text"] in str(counts) for item in misread)
