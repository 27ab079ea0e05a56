"""Matching intakes to community offers: personas against the sample directory, and the rules one by one."""

from __future__ import annotations

import json
import time
from typing import Any

import pytest

from bot.directory.matching import DirectoryIndex, Need, Weight, stem, times_in
from bot.directory.oruk_records import features
from bot.directory.sync import SAMPLE
from bot.intake.questions import next_question, required_slots
from bot.intake.summary import build_summary
from bot.web.directory import DirectoryQuery, search, shown_areas


def _summary(**answers: Any) -> dict[str, Any]:
    return build_summary({k: {"value": v, "verbatim": str(v), "status": "answered"} for k, v in answers.items()})


@pytest.fixture(scope="module")
def sample() -> DirectoryIndex:
    services = json.loads(SAMPLE.read_text(encoding="utf-8"))["contents"]
    return DirectoryIndex((i, features(s)) for i, s in enumerate(services, start=1))


MRS_C = _summary(
    what_matters="I want to lose some weight and get my blood pressure down",
    life_areas=["activity", "long_term_condition", "loneliness"],
    top_areas=["activity"],
    enjoys="being outdoors, I used to love walking the dog",
    barrier_options=["confidence", "pain_mobility"],
    barriers_text="the gym is for younger, fitter people and jogging hurts my knees",
    group_or_one_to_one="group",
    meeting_format="in_person",
    wants_company=True,
    accessibility_needs="my knees are bad",
)


def test_mrs_c_gets_a_walking_group_first_with_someone_to_go_with_her(sample):
    offers = sample.suggest(Need.from_summary(MRS_C))
    assert 3 <= len(offers) <= 5
    first = offers[0]
    assert "walk" in first.name.lower() or "stroll" in first.name.lower()
    assert first.features["accompany"] and first.features["free"] is True
    assert "Someone can go with them the first time" in first.reasons
    assert any(r.startswith("For physical activity and weight (matters most)") for r in first.reasons)


def test_a_carer_who_cannot_leave_home_gets_phone_or_online_offers(sample):
    carer = _summary(
        life_areas=["caring", "loneliness", "mental_wellbeing"],
        top_areas=["caring", "loneliness"],
        barrier_options=["caring_duties", "time"],
        barriers_text="I can't leave my husband on his own",
        group_or_one_to_one="either",
        meeting_format="phone",
        wants_company=False,
    )
    offers = sample.suggest(Need.from_summary(carer))
    assert len(offers) >= 3
    assert all({"phone", "online"} & set(o.features["modes"]) for o in offers), [o.name for o in offers]
    assert any("carer" in o.name.lower() for o in offers)


def test_cost_as_a_barrier_puts_free_offers_first(sample):
    person = _summary(
        life_areas=["activity", "loneliness"],
        top_areas=["activity"],
        barrier_options=["cost"],
        group_or_one_to_one="either",
        meeting_format="any",
    )
    offers = sample.suggest(Need.from_summary(person), limit=5)
    assert offers and all(o.features["free"] is True for o in offers)
    assert all("Free (cost is a barrier)" in o.reasons for o in offers)
    without = sample.suggest(Need.from_summary(_summary(life_areas=["activity"], top_areas=["activity"])), limit=20)
    assert any(o.features["free"] is False for o in without), "the sample has paid activity offers to push down"


def test_each_area_that_matters_most_gets_an_offer(sample):
    person = _summary(life_areas=["money", "food", "housing"], top_areas=["money", "food", "housing"])
    offers = sample.suggest(Need.from_summary(person))
    for area in ("money", "food", "housing"):
        assert any(area in sample.services[o.service_id].listed for o in offers), area


def test_every_suggestion_says_why(sample):
    for top in ("bereavement", "work", "relationships", "long_term_condition", "mental_wellbeing"):
        offers = sample.suggest(Need.from_summary(_summary(life_areas=[top], top_areas=[top])))
        assert offers, top
        assert all(o.reasons and o.reasons[0].startswith("For ") for o in offers)


def test_an_offer_marked_not_suitable_is_not_suggested_again(sample):
    need = Need.from_summary(MRS_C)
    first = sample.suggest(need)[0]
    assert first.service_id not in [o.service_id for o in sample.suggest(need, exclude=[first.service_id])]


def test_nothing_is_suggested_for_no_areas_and_no_words(sample):
    assert sample.suggest(Need()) == []


def test_what_they_enjoy_finds_offers_when_they_chose_no_area(sample):
    offers = sample.suggest(Need(enjoys="I love singing and gardening"))
    assert offers and any("sing" in o.name.lower() or "allotment" in o.name.lower() for o in offers)


def _service(name: str, **extra: Any) -> dict[str, Any]:
    base = {"name": name, "organisation": name, "status": "active", "terms": [], "text": name.lower(), "modes": []}
    base.update(extra)
    return base


def test_what_a_publisher_did_not_say_is_not_held_against_a_service():
    index = DirectoryIndex(
        [
            (1, _service("Walking group A", terms=["walking"], modes=[])),
            (2, _service("Walking group B", terms=["walking"], modes=["in_person"])),
        ]
    )
    offers = index.suggest(Need(top_areas=("activity",), meeting_format="phone"))
    by_id = {o.service_id: o for o in offers}
    assert by_id[1].score == Weight.TOP_AREA and not by_id[1].cautions
    assert by_id[2].score == Weight.TOP_AREA + Weight.FORMAT_MISSED and by_id[2].cautions


def test_a_word_in_the_description_counts_less_than_a_taxonomy_term():
    index = DirectoryIndex(
        [
            (1, _service("Club", text="a friendly club with a weekly walk")),
            (2, _service("Health walks", terms=["health walks"])),
            (3, _service("Cafe", text="a cafe a short walk from the station")),
        ]
    )
    offers = index.suggest(Need(top_areas=("activity",)))
    assert [o.service_id for o in offers] == [2, 1]
    assert offers[1].reasons[0].endswith('mentions "walk"')


def test_nearer_offers_rank_higher_when_a_district_is_given():
    near = dict(terms=["walking"], outward_codes=["QW1"], points=[[52.40, -1.95]])
    far = dict(terms=["walking"], outward_codes=["QW9"], points=[[52.70, -1.95]])
    index = DirectoryIndex([(1, _service("Far walk", **far)), (2, _service("Near walk", **near))])
    offers = index.suggest(Need(top_areas=("activity",), near="QW1 2AB"))
    assert [o.service_id for o in offers] == [2, 1]
    assert any(r.startswith("About 0.0 km from QW1") for r in offers[0].reasons)
    assert any("km from QW1" in c for c in offers[1].cautions)  # about 33 km


def test_inactive_statuses_are_never_suggested():
    index = DirectoryIndex([(1, _service("Walks", terms=["walking"], status="temporarily closed"))])
    assert index.suggest(Need(top_areas=("activity",))) == []


def test_no_more_than_two_offers_from_one_organisation():
    index = DirectoryIndex([(i, _service(f"Walk {i}", terms=["walking"], organisation="Same Org")) for i in range(5)])
    assert len(index.suggest(Need(top_areas=("activity",)))) == 2


@pytest.mark.parametrize(
    "word, expected",
    [("walking", "walk"), ("walks", "walk"), ("gardening", "garden"), ("swimming", "swim"), ("singers", "sing")],
)
def test_stems_meet_the_forms_of_a_word(word, expected):
    assert stem(word) == expected


def test_matching_one_intake_against_ten_thousand_services_is_quick(sample):
    services = json.loads(SAMPLE.read_text(encoding="utf-8"))["contents"]
    many = DirectoryIndex((i, features(services[i % len(services)])) for i in range(10_000))
    need = Need.from_summary(MRS_C)
    started = time.perf_counter()
    for _ in range(5):
        offers = many.suggest(need)
    took = (time.perf_counter() - started) / 5
    assert (
        offers and took < 0.1
    )  # bench/directory.py measures it (a few ms); this catches a return to per-service Python


def test_the_town_or_area_they_gave_is_used_when_the_link_worker_types_none(sample):
    answered = _summary(
        life_areas=["activity"], top_areas=["activity"], meeting_format="in_person", home_area="I live in QW3, Hollins"
    )
    need = Need.from_summary(answered)
    assert need.near == "I live in QW3, Hollins"
    offers = sample.suggest(need)
    assert any("km from QW3" in " ".join(o.reasons + o.cautions) for o in offers)
    typed = Need.from_summary(answered, "QW1")
    assert typed.near == "QW1", "what the link worker types wins"


@pytest.mark.parametrize(
    "said, district, town",
    [
        ("QW3 4HT", "QW3", None),
        ("qw3", "QW3", None),
        ("I'm in QW5 near the park", "QW5", None),
        ("Hollins", None, "hollins"),
        ("I live in Wyvernbury town centre", None, "wyvernbury"),
        ("somewhere else", None, "somewhere else"),
    ],
)
def test_a_place_is_read_from_what_people_say(sample, said, district, town):
    code, found_town, point = sample._place(said)
    assert (code, found_town) == (district, town)
    assert (point is not None) == (district is not None)


@pytest.mark.parametrize("how, asked", [("in_person", True), ("any", True), ("phone", False), ("online", False)])
def test_the_intake_asks_where_they_live_only_of_people_who_may_go_somewhere(how, asked):
    slots = required_slots({"meeting_format": how})
    assert ("home_area" in slots) is asked
    if asked:
        assert slots.index("home_area") == slots.index("meeting_format") + 1
        before = {key: "x" for key in slots[: slots.index("home_area")]}
        assert next_question({**before, "meeting_format": how}) == "home_area"


@pytest.mark.parametrize(
    "said, times",
    [
        ("weekday mornings", ("morning", "weekday")),
        ("after work, or Saturdays", ("evening", "weekend")),
        ("any time", ()),
        ("afternoons are best", ("afternoon",)),
    ],
)
def test_their_best_times_are_read(said, times):
    assert times_in(said) == times


def test_a_service_at_a_time_that_suits_them_is_preferred_and_says_so():
    index = DirectoryIndex(
        [
            (1, _service("Morning walk", terms=["walking"], times=["morning"], days=["TU"])),
            (2, _service("Evening walk", terms=["walking"], times=["evening"], days=["TU"])),
            (3, _service("Walk, times not given", terms=["walking"])),
        ]
    )
    offers = index.suggest(Need(top_areas=("activity",), times=("evening",)))
    assert [o.service_id for o in offers] == [2, 1, 3]
    assert "At a time they said suits them (evening)" in offers[0].reasons
    assert offers[1].score == offers[2].score == Weight.TOP_AREA, "never held against one that does not"


def test_the_areas_shown_for_a_service_are_its_taxonomys_and_its_words_only_without_one():
    index = DirectoryIndex(
        [
            (1, _service("Food bank", terms=["food banks"], text="food bank for families in need")),
            (2, _service("Family cafe", text="a cafe for families")),
        ]
    )
    assert shown_areas(index, 1) == ["food"], "not relationships, which only its words mention"
    assert shown_areas(index, 2) == ["relationships"]
    found = {area: [i for i, _ in search(index, DirectoryQuery(area=area))[1]] for area in ("food", "relationships")}
    assert found == {"food": [1], "relationships": [2]}
