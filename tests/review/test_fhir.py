"""FHIR R4 export: the Questionnaire from the catalogue and one intake as a Bundle, each parsed by
fhir.resources (the R4 models; no network), checked for what a receiving system relies on."""

from __future__ import annotations

import json
import subprocess
import sys

import fhirpathpy
import pytest
from fhir.resources.bundle import Bundle
from fhir.resources.questionnaire import Questionnaire

from bot.fhir.bundle import DECLINED, REFERRAL, VERBATIM
from bot.fhir.questionnaire import CANONICAL, catalogue_version
from bot.intake.questions import QUESTIONS
from bot.settings import PROJECT_ROOT
from tests.review.test_api_and_cli import _token
from tests.support.review import MRS_C_ANSWERS, add_declined_intake, add_intake, add_user, audit_actions


def _link_ids(items) -> list[str]:
    found = []
    for item in items or []:
        found.append(item["linkId"])
        found += _link_ids(item.get("item"))
    return found


async def test_the_questionnaire_has_one_item_per_question_and_parses_as_r4(client):
    reply = await client.get("/fhir/Questionnaire/what-matters-intake")  # public: a definition, no patient data
    assert reply.status == 200 and reply.content_type == "application/fhir+json"
    body = json.loads(await reply.text())
    Questionnaire.parse_obj(body)
    assert _holds(body, QUESTIONNAIRE_INVARIANTS) == []
    links = _link_ids(body["item"])
    assert len(links) == len(set(links))  # linkIds are unique (sections are "section-...")
    assert [link for link in links if not link.startswith("section-")] == [q.key for q in QUESTIONS]
    assert body["url"] == CANONICAL and body["version"] == catalogue_version()
    company = next(i for g in body["item"] for i in g["item"] if i["linkId"] == "wants_company")
    assert company["type"] == "boolean" and "go with you" in company["text"]


def _resources(bundle: dict, kind: str) -> list[dict]:
    return [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == kind]


# FHIR R4 invariants the models do not check, as FHIRPath (evaluated by fhirpathpy).
BUNDLE_INVARIANTS = {
    "bdl-3": "entry.all(request.exists() = (%resource.type = 'batch' or %resource.type = 'transaction' "
    "or %resource.type = 'history'))",
    "bdl-7": "(type = 'history') or entry.where(fullUrl.exists()).select(fullUrl).isDistinct()",
    "obs-6": "entry.resource.where($this is Observation).all(dataAbsentReason.empty() or value.empty())",
    "qrs-1": "entry.resource.where($this is QuestionnaireResponse).item.all((answer.exists() and item.exists()).not())",
}
QUESTIONNAIRE_INVARIANTS = {"que-2": "descendants().linkId.isDistinct()"}


def _holds(resource: dict, invariants: dict[str, str]) -> list[str]:
    """The invariants that do not hold (empty when all do)."""
    return [
        name
        for name, rule in invariants.items()
        if fhirpathpy.evaluate(resource, rule, {"resource": resource}) != [True]
    ]


async def _bundle(client, settings, intake_id: int, kind: str = "collection") -> dict:
    reply = await client.get(
        f"/api/v1/intakes/{intake_id}/fhir?type={kind}", headers=await _token(settings, "lw@example.org")
    )
    assert reply.status == 200 and reply.content_type == "application/fhir+json"
    body = json.loads(await reply.text())
    Bundle.parse_obj(body)
    assert body["type"] == kind and _holds(body, BUNDLE_INVARIANTS) == []
    full_urls = {entry["fullUrl"] for entry in body["entry"]}
    references = [r for r in _all_references(body)]
    assert references and set(references) <= full_urls  # every reference resolves inside the bundle
    return body


def _all_references(node):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "reference":
                yield value
            else:
                yield from _all_references(value)
    elif isinstance(node, list):
        for value in node:
            yield from _all_references(value)


async def test_mrs_c_exports_as_a_referral_with_her_own_words_and_ons4(client, settings):
    await add_user(settings, "lw@example.org")
    intake_id = await add_intake(settings)
    bundle = await _bundle(client, settings, intake_id)
    [patient] = _resources(bundle, "Patient")
    assert patient["name"][0]["text"] == "Carol" and patient["telecom"][0] == {
        "system": "phone",
        "value": "07700 900123",
    }
    [response] = _resources(bundle, "QuestionnaireResponse")
    assert response["status"] == "completed" and response["questionnaire"] == f"{CANONICAL}|{catalogue_version()}"
    answered = {item["linkId"]: item["answer"] for item in response["item"]}
    assert set(answered) == {k for k in MRS_C_ANSWERS}
    said = [e["valueString"] for a in answered["what_matters"] for e in a.get("extension", []) if e["url"] == VERBATIM]
    assert said == [MRS_C_ANSWERS["what_matters"][1]]
    assert answered["wants_company"][0]["valueBoolean"] is True
    scores = {o["code"]["coding"][0]["code"]: o["valueInteger"] for o in _resources(bundle, "Observation")}
    assert scores == {"life_satisfaction": 6, "worthwhile": 7, "happy": 7, "anxious": 4}
    [referral] = _resources(bundle, "ServiceRequest")
    assert referral["code"]["coding"][0]["code"] == REFERRAL[0] and referral["priority"] == "routine"
    assert _resources(bundle, "Flag") == []
    assert ("lw@example.org", "intake.view_summary") in {(a, b) for a, b, _ in await audit_actions(settings)}


async def test_a_disclosure_makes_the_referral_urgent_with_a_flag(client, settings):
    await add_user(settings, "lw@example.org")
    intake_id = await add_intake(settings, risk="I have been cutting myself")
    bundle = await _bundle(client, settings, intake_id)
    [referral] = _resources(bundle, "ServiceRequest")
    assert referral["priority"] == "urgent"
    [flag] = _resources(bundle, "Flag")
    assert flag["status"] == "active" and "safeguarding" in flag["code"]["text"]


async def test_a_declined_intake_kept_for_a_disclosure_exports_the_decline(client, settings):
    await add_user(settings, "lw@example.org")
    bundle = await _bundle(client, settings, await add_declined_intake(settings))
    assert _resources(bundle, "ServiceRequest") == []
    codes = [o["code"]["coding"][0]["code"] for o in _resources(bundle, "Observation")]
    assert codes == [DECLINED[0]]


async def test_the_command_line_exports_the_same_bundle(settings):
    intake_id = await add_intake(settings)
    env = {**settings.as_env(), "PATH": ""}
    result = subprocess.run(
        [sys.executable, "-m", "bot.cli", "intake", "export", str(intake_id), "--fhir"],
        capture_output=True,
        text=True,
        env=env,
        cwd=PROJECT_ROOT,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    bundle = json.loads(result.stdout)
    Bundle.parse_obj(bundle)
    assert {e["resource"]["resourceType"] for e in bundle["entry"]} >= {
        "Patient",
        "QuestionnaireResponse",
        "ServiceRequest",
    }


@pytest.mark.parametrize("kind", ["collection", "transaction"])
async def test_a_transaction_says_how_to_store_each_entry(client, settings, kind):
    await add_user(settings, "lw@example.org")
    intake_id = await add_intake(settings, risk="I have been cutting myself")
    bundle = await _bundle(client, settings, intake_id, kind)
    requests = [entry.get("request") for entry in bundle["entry"]]
    if kind == "transaction":
        assert all(
            r["method"] == "POST" and r["url"] == e["resource"]["resourceType"]
            for r, e in zip(requests, bundle["entry"], strict=True)
        )
    else:
        assert requests == [None] * len(requests)
    wrong = await client.get(
        f"/api/v1/intakes/{intake_id}/fhir?type=batch", headers=await _token(settings, "lw@example.org")
    )
    assert wrong.status == 400


def test_the_invariant_checks_can_fail():
    """A bundle with a repeated fullUrl, and one with a request in a collection, break bdl-7 and bdl-3."""
    entry = {"fullUrl": "urn:uuid:1", "resource": {"resourceType": "Patient"}}
    assert _holds({"resourceType": "Bundle", "type": "collection", "entry": [entry, entry]}, BUNDLE_INVARIANTS) == [
        "bdl-7"
    ]
    stray = {**entry, "request": {"method": "POST", "url": "Patient"}}
    assert _holds({"resourceType": "Bundle", "type": "collection", "entry": [stray]}, BUNDLE_INVARIANTS) == ["bdl-3"]
