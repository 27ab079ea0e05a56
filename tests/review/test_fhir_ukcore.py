"""The export follows UK Core: every resource claims its UK Core profile and meets the checks derived
from the vendored StructureDefinitions (`tests.support.ukcore`; no network), and those checks can fail."""

from __future__ import annotations

import pytest

from bot.fhir.bundle import NHS_NUMBER_SYSTEM, UKCORE_PROFILE
from tests.review.test_fhir import _bundle
from tests.support.review import MRS_C_ANSWERS, add_declined_intake, add_intake, add_user
from tests.support.ukcore import check, definitions

NHS_NUMBER = "9434765919"
NHS_SLICE = "Patient.identifier:nhsNumber"
EXPORTED = ("Patient", "QuestionnaireResponse", "Observation", "ServiceRequest", "Flag")

INTAKES = {
    "Mrs C": lambda settings: add_intake(settings),
    "a risk flag": lambda settings: add_intake(settings, risk="I have been cutting myself"),
    "declined after a disclosure": add_declined_intake,
    "an NHS number": lambda settings: add_intake(
        settings, dict(MRS_C_ANSWERS, nhs_number=(NHS_NUMBER, "943 476 5919"))
    ),
}


def test_the_vendored_definitions_are_those_the_export_claims():
    assert set(definitions()) == {f"{UKCORE_PROFILE}{kind}" for kind in EXPORTED}


@pytest.mark.parametrize("intake", INTAKES)
async def test_every_exported_resource_claims_and_meets_its_uk_core_profile(client, settings, intake):
    await add_user(settings, "lw@example.org")
    bundle = await _bundle(client, settings, await INTAKES[intake](settings))  # fhir.resources parses it there
    for entry in bundle["entry"]:
        resource = entry["resource"]
        [profile] = resource["meta"]["profile"]
        assert profile == f"{UKCORE_PROFILE}{resource['resourceType']}"
        relied_on = [NHS_SLICE] if resource["resourceType"] == "Patient" and intake == "an NHS number" else []
        assert check(resource, definitions()[profile], relied_on) == []
    kinds = {entry["resource"]["resourceType"] for entry in bundle["entry"]}
    assert ("Flag" in kinds) == (intake in ("a risk flag", "declined after a disclosure"))
    assert ("ServiceRequest" in kinds) == (intake != "declined after a disclosure")


def test_the_checks_report_a_missing_element_too_many_and_a_number_outside_the_nhs_number_slice():
    profile = definitions()[f"{UKCORE_PROFILE}Patient"]
    number = {"system": NHS_NUMBER_SYSTEM, "value": NHS_NUMBER}
    patient = {"resourceType": "Patient", "meta": {"profile": [profile["url"]]}, "identifier": [number]}
    assert check(patient, profile, [NHS_SLICE]) == []
    assert check({**patient, "identifier": [{"system": NHS_NUMBER_SYSTEM}]}, profile) == [
        "Patient.identifier:nhsNumber.value: 0 found, at least 1 required"
    ]
    assert check({**patient, "identifier": [number, {**number, "value": "4010232137"}]}, profile) == [
        "Patient.identifier:nhsNumber: 2 found, at most 1 allowed"
    ]
    unsliced = {**patient, "identifier": [{**number, "system": "http://fhir.nhs.uk/Id/nhs-number"}]}
    assert check(unsliced, profile, [NHS_SLICE]) == [
        f"Patient.identifier:nhsNumber: none held (system = '{NHS_NUMBER_SYSTEM}')"
    ]
    assert check({"resourceType": "Flag"}, profile) == [
        "a Flag is not a Patient",
        f"meta.profile does not claim {profile['url']}",
    ]


def test_the_checks_report_a_broken_fixed_or_pattern_value():
    """The vendored profiles fix values only on slice discriminators, so a small profile shows the rule."""
    category = {"system": "http://terminology.hl7.org/CodeSystem/flag-category", "code": "safety"}
    profile = {
        "url": "https://what-matters.invalid/fhir/StructureDefinition/test-flag",
        "type": "Flag",
        "differential": {
            "element": [
                {"id": "Flag", "path": "Flag"},
                {"id": "Flag.status", "path": "Flag.status", "fixedCode": "active"},
                {"id": "Flag.category", "path": "Flag.category", "patternCodeableConcept": {"coding": [category]}},
            ]
        },
    }
    flag = {
        "resourceType": "Flag",
        "meta": {"profile": [profile["url"]]},
        "status": "active",
        "category": [{"coding": [{**category, "display": "Safety"}], "text": "Safety"}],
    }
    assert check(flag, profile) == []
    broken = check({**flag, "status": "inactive", "category": [{"text": "Safety"}]}, profile)
    assert [problem.split(": ")[0] for problem in broken] == ["Flag.status", "Flag.category"]
    assert broken[0] == "Flag.status: not fixed 'active'"
