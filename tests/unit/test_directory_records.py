"""Reading ORUK 3.0 service records: the schema check, what matching reads from them, the sample directory."""

from __future__ import annotations

import copy
import json
from collections import Counter

import pytest

from bot.directory.matching import DirectoryIndex
from bot.directory.oruk_records import features, outward_code, problems, services_in
from bot.directory.sync import SAMPLE
from bot.intake.questions import LIFE_AREAS

MINIMAL = {"id": "0b7b2b5e-7d1c-4d43-9a5c-3f1f1f4b2a10", "name": "Advice", "status": "active"}


def _sample() -> list[dict]:
    return json.loads(SAMPLE.read_text(encoding="utf-8"))["contents"]


def test_a_minimal_record_is_valid():
    assert problems(MINIMAL) == []


@pytest.mark.parametrize(
    "change, expected",
    [
        ({"status": "maybe"}, "status: enum"),
        ({"name": None}, "name: type"),
        ({"id": "club-1"}, "id: format"),
        ({"email": "not an address"}, "email: format"),
        ({"cost_options": [{"id": "x"}]}, "cost_options/0/id: format"),
        ({"schedules": "weekly"}, "schedules: type"),
    ],
)
def test_a_record_that_breaks_the_schema_is_reported_by_path_and_rule(change, expected):
    assert expected in problems({**MINIMAL, **change})


def test_a_problem_report_never_holds_the_records_values():
    report = problems({**MINIMAL, "status": "Call Jane Smith on 01632 960123"})
    assert report == ["status: enum"] and "Jane" not in " ".join(report)


def test_not_a_record_at_all():
    assert problems(["a", "list"]) == ["(record): not an object"]
    assert problems({}) == ["id: required", "name: required", "status: required"]


def test_features_read_the_structured_fields_first():
    record = {
        **MINIMAL,
        "description": "A friendly group. A volunteer will walk with you the first time.",
        "cost_options": [{"id": MINIMAL["id"], "option": "Per session", "amount": 3.5}],
        "schedules": [
            {
                "id": MINIMAL["id"],
                "byday": "MO,SA",
                "opens_at": "18:30:00",
                "closes_at": "20:00:00",
                "attending_type": "Online",
            }
        ],
        "service_at_locations": [
            {
                "id": MINIMAL["id"],
                "location": {
                    "id": MINIMAL["id"],
                    "location_type": "physical",
                    "name": "Hall",
                    "latitude": 52.41,
                    "longitude": -1.93,
                    "addresses": [
                        {
                            "id": MINIMAL["id"],
                            "address_1": "1 High St",
                            "city": "Wyvernbury",
                            "state_province": "Wyvernshire",
                            "postal_code": "qw3 4ht",
                            "country": "GB",
                            "address_type": "physical",
                        }
                    ],
                    "accessibility": [{"id": MINIMAL["id"], "description": "Hearing loop"}],
                },
            }
        ],
    }
    assert problems(record) == []
    f = features(record)
    assert f["free"] is False and f["cost"] == "£3.50 Per session"
    assert f["modes"] == ["in_person", "online"]
    assert f["group"] is True and f["one_to_one"] is None and f["accompany"] is True and f["step_free"] is True
    assert f["days"] == ["MO", "SA"] and f["evening"] and f["weekend"]
    assert f["outward_codes"] == ["QW3"] and f["points"] == [[52.41, -1.93]]
    assert f["venues"] == ["Hall, qw3 4ht"]


def test_what_a_publisher_does_not_say_stays_unknown():
    f = features(MINIMAL)
    assert f["free"] is None and f["modes"] == [] and f["group"] is None and f["accompany"] is None


@pytest.mark.parametrize(
    "text, code", [("QW3 4HT", "QW3"), ("qw34ht", "QW3"), ("SW1A 1AA", "SW1A"), ("M1", "M1"), ("Wyvernbury", None)]
)
def test_the_first_half_of_a_postcode(text, code):
    assert outward_code(text) == code


def test_documents_of_every_shape():
    assert list(services_in({"contents": [MINIMAL]})) == [MINIMAL]
    assert list(services_in([MINIMAL])) == [MINIMAL]
    assert list(services_in(MINIMAL)) == [MINIMAL]
    with pytest.raises(ValueError):
        services_in({"services": []})


def test_the_sample_directory_is_valid_fictional_and_covers_every_life_area():
    services = _sample()
    assert len(services) >= 60
    assert all(problems(s) == [] for s in services)
    assert len({s["id"] for s in services}) == len(services)
    index = DirectoryIndex((i, features(s)) for i, s in enumerate(services))
    per_area = Counter(area for s in index.services.values() for area in s.listed)
    wanted = [option.code for option in LIFE_AREAS if option.code != "other"]
    assert all(per_area[area] >= 4 for area in wanted), per_area
    text = json.dumps(services)
    assert "(fictional)" in text and "example.org" in text
    for service in services:  # fictional places only: the QW postcode area does not exist
        for sal in service.get("service_at_locations") or []:
            for address in sal["location"].get("addresses") or []:
                assert address["postal_code"].startswith("QW")


def test_a_record_is_not_changed_by_reading_it():
    record = copy.deepcopy(_sample()[0])
    features(record)
    assert record == _sample()[0]
