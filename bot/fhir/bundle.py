"""One intake as a FHIR R4 Bundle (type collection), built from the intake document the API returns.

- Patient: the name the person gave, how to contact them, and their NHS number when they gave one.
- QuestionnaireResponse: every answer against the Questionnaire (`bot.fhir.questionnaire`), coded
  where the question is closed, with the person's own words on each answer (extension `verbatim`).
- Observation x4: ONS4, category survey, valueInteger, each its own measure (never summed); no
  national code exists, so a project CodeSystem names them.
- ServiceRequest: SNOMED CT 871731000000106 "Referral to social prescribing service", urgent when
  a safeguarding flag was raised, with the life areas as its reasons.
- Flag: one per flag on the intake (safeguarding, a checked possible disclosure, a call-back).
- A declined intake (kept only because of a disclosure) carries SNOMED CT 871711000000103 "Social
  prescribing declined" as an Observation instead of the referral.

Each resource claims its UK Core profile (`meta.profile`: UKCore-Patient and so on, the NHS's FHIR R4
profiles). What those add to base R4 that applies here is UKCore-Patient's `nhsNumber` identifier
slice: its system fixed, at most one. The slice's verification-status extension is optional and left
out: the number is the one the person typed, checked by its modulus 11 check digit, never traced.

Entries are linked by `urn:uuid:` full URLs derived from the intake, so an export is the same each time.
Each resource also carries an identifier of ours (the intake's reference and the part), and the
Patient the NHS number when the person gave it. As a transaction (for a FHIR server to store), each
entry says how: a *conditional* POST to its resource type (`ifNoneExist` on that identifier, or on
the NHS number for the Patient), so sending the same intake twice (a retry after a lost reply)
stores nothing twice; the server replaces the `urn:uuid:` references with the ids it gives.
"""

from __future__ import annotations

import uuid
from typing import Any, Optional

from bot.db.models import FlagKind, IntakeStatus
from bot.fhir.questionnaire import CANONICAL, CANONICAL_BASE, catalogue_version, code_system
from bot.intake.questions import ONS_KEYS, QUESTION_BY_KEY, QUESTIONS
from bot.intake.summary import ONS_LABELS

SNOMED = "http://snomed.info/sct"
REFERRAL = ("871731000000106", "Referral to social prescribing service")
DECLINED = ("871711000000103", "Social prescribing declined")
VERBATIM = f"{CANONICAL_BASE}/StructureDefinition/verbatim"
ONS4_SYSTEM = f"{CANONICAL_BASE}/CodeSystem/ons4"
RESOURCE_SYSTEM = f"{CANONICAL_BASE}/intake-resource"
"""Our identifier of each exported resource: `{reference}/{part}`."""
NHS_NUMBER_SYSTEM = "https://fhir.nhs.uk/Id/nhs-number"
UKCORE_PROFILE = "https://fhir.hl7.org.uk/StructureDefinition/UKCore-"
"""The UK Core profile of each resource we export is this followed by its type (UKCore-Patient, ...)."""
_CONTACT_SYSTEMS = {"phone": "phone", "text": "sms", "email": "email"}
_NAMESPACE = uuid.UUID("0f8e5b8a-3c1d-4c1e-9a55-3f0d6a1b2c77")


def _full_url(reference: str, part: str) -> str:
    return f"urn:uuid:{uuid.uuid5(_NAMESPACE, f'{reference}/{part}')}"


def _entry(reference: str, part: str, resource: dict[str, Any]) -> dict[str, Any]:
    """An entry whose resource claims its UK Core profile and carries our identifier, after any it has (a
    QuestionnaireResponse has just one). Every resource passes through here, so none can miss either."""
    kind = resource["resourceType"]
    ours = {"system": RESOURCE_SYSTEM, "value": f"{reference}/{part}"}
    resource = {
        "resourceType": kind,
        "meta": {"profile": [f"{UKCORE_PROFILE}{kind}"]},
        **resource,
        "identifier": ours if kind == "QuestionnaireResponse" else [*resource.get("identifier", []), ours],
    }
    return {"fullUrl": _full_url(reference, part), "resource": resource}


def _conditional(resource: dict[str, Any]) -> str:
    """The search that finds this resource if a server already stored it: the NHS number, else our identifier."""
    identifiers = resource["identifier"]
    first = identifiers[0] if isinstance(identifiers, list) else identifiers
    return f"identifier={first['system']}|{first['value']}"


def _value(answers: dict[str, Any], key: str) -> Any:
    answer = answers.get(key) or {}
    return answer.get("value") if answer.get("status") == "answered" else None


def _patient(document: dict[str, Any]) -> dict[str, Any]:
    answers = document["answers"]
    patient: dict[str, Any] = {"resourceType": "Patient"}
    nhs_number = _value(answers, "nhs_number")
    if nhs_number:
        patient["identifier"] = [{"system": NHS_NUMBER_SYSTEM, "value": str(nhs_number)}]
    name = _value(answers, "preferred_name")
    if name:
        patient["name"] = [{"use": "usual", "text": str(name)}]
    system = _CONTACT_SYSTEMS.get(str(_value(answers, "contact_method") or ""))
    detail = _value(answers, "contact_detail")
    if system and detail:
        patient["telecom"] = [{"system": system, "value": str(detail)}]
    return patient


def _answers(question_key: str, answer: dict[str, Any]) -> list[dict[str, Any]]:
    question = QUESTION_BY_KEY[question_key]
    value, verbatim = answer.get("value"), answer.get("verbatim") or ""
    extension = [{"url": VERBATIM, "valueString": verbatim}] if verbatim else []
    if question.kind == "scale" and isinstance(value, int):
        values: list[dict[str, Any]] = [{"valueInteger": value}]
    elif question.kind == "yes_no" and isinstance(value, bool):
        values = [{"valueBoolean": value}]
    elif question.options and value is not None:
        labels = {option.code: option.label for option in question.options}
        codes = value if isinstance(value, list) else [value]
        values = [
            {"valueCoding": {"system": code_system(question), "code": str(code), "display": labels[code]}}
            if code in labels
            else {"valueString": str(code)}
            for code in codes
        ]
    else:
        values = [{"valueString": verbatim or str(value)}]
    return [{**v, **({"extension": extension} if extension else {})} for v in values]


def _response(document: dict[str, Any], patient_url: str, authored: Optional[str]) -> dict[str, Any]:
    items = []
    for question in QUESTIONS:
        answer = document["answers"].get(question.key)
        if not answer or answer.get("status") != "answered":
            continue
        items.append({"linkId": question.key, "text": question.label, "answer": _answers(question.key, answer)})
    response = {
        "resourceType": "QuestionnaireResponse",
        "questionnaire": f"{CANONICAL}|{catalogue_version()}",
        "status": "completed" if document["status"] == IntakeStatus.SUBMITTED else "in-progress",
        "subject": {"reference": patient_url},
        "item": items,
    }
    if authored:
        response["authored"] = authored
    return response


def _observation(code: dict[str, Any], patient_url: str, when: Optional[str], **value: Any) -> dict[str, Any]:
    observation = {
        "resourceType": "Observation",
        "status": "final",
        "category": [
            {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/observation-category", "code": "survey"}]}
        ],
        "code": code,
        "subject": {"reference": patient_url},
        **value,
    }
    if when:
        observation["effectiveDateTime"] = when
    return observation


def export_bundle(document: dict[str, Any], transaction: bool = False) -> dict[str, Any]:
    """The intake document (`bot.queue.read.intake_document`) as a FHIR R4 Bundle: a collection, or a
    transaction to store it."""
    reference = document["reference"]
    when = document.get("submitted_at") or document.get("created_at")
    patient_url, response_url = _full_url(reference, "patient"), _full_url(reference, "response")
    entries = [
        _entry(reference, "patient", _patient(document)),
        _entry(reference, "response", _response(document, patient_url, when)),
    ]
    for key in ONS_KEYS:
        score = _value(document["answers"], key)
        if isinstance(score, int):
            code = {"coding": [{"system": ONS4_SYSTEM, "code": key.removeprefix("ons_"), "display": ONS_LABELS[key]}]}
            observation = _observation(code, patient_url, when, valueInteger=score)
            observation["derivedFrom"] = [{"reference": response_url}]
            entries.append(_entry(reference, key, observation))
    safeguarding = any(flag["kind"] == FlagKind.SAFEGUARDING for flag in document["flags"])
    if document["status"] == IntakeStatus.DECLINED:
        code = {"coding": [{"system": SNOMED, "code": DECLINED[0], "display": DECLINED[1]}]}
        entries.append(_entry(reference, "declined", _observation(code, patient_url, when)))
    else:
        areas = (document.get("summary") or {}).get("life_areas") or {}
        request = {
            "resourceType": "ServiceRequest",
            "status": "active" if document["status"] == IntakeStatus.SUBMITTED else "draft",
            "intent": "order",
            "priority": "urgent" if safeguarding else "routine",
            "code": {"coding": [{"system": SNOMED, "code": REFERRAL[0], "display": REFERRAL[1]}]},
            "subject": {"reference": patient_url},
            "supportingInfo": [{"reference": response_url}],
        }
        reasons = [{"text": str(area)} for area in areas.get("chosen_labels") or areas.get("chosen") or []]
        if reasons:
            request["reasonCode"] = reasons
        if when:
            request["authoredOn"] = when
        entries.append(_entry(reference, "referral", request))
    for index, flag in enumerate(document["flags"]):
        resource: dict[str, Any] = {
            "resourceType": "Flag",
            "status": "active",
            "code": {"text": " ".join(filter(None, [flag["kind"].replace("_", " "), flag.get("category")]))},
            "subject": {"reference": patient_url},
        }
        if flag.get("created_at"):
            resource["period"] = {"start": flag["created_at"]}
        entries.append(_entry(reference, f"flag-{index}", resource))
    if transaction:
        for entry in entries:
            resource = entry["resource"]
            entry["request"] = {
                "method": "POST",
                "url": resource["resourceType"],
                "ifNoneExist": _conditional(resource),
            }
    return {
        "resourceType": "Bundle",
        "type": "transaction" if transaction else "collection",
        "identifier": {"system": f"{CANONICAL_BASE}/intake-reference", "value": reference},
        "entry": entries,
    }
