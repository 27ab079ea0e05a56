"""The intake's question catalogue as a FHIR R4 Questionnaire, versioned with the catalogue.

One item per question, grouped by section, with the wording patients see (from
`domain.yml`), its type and its options. Closed questions are `open-choice`:
an answer carries the coded value and the person's own words. Questions that
are asked only when an earlier answer calls for them are not `required`.
"""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from typing import Any

import yaml

from bot.intake.questions import QUESTIONS, SECTIONS, Question
from bot.settings import PROJECT_ROOT

QUESTIONNAIRE_ID = "what-matters-intake"
CANONICAL_BASE = "https://what-matters.invalid/fhir"
"""Where the definitions are named (a canonical URL need not resolve; `.invalid` says this one does not)."""
CANONICAL = f"{CANONICAL_BASE}/Questionnaire/{QUESTIONNAIRE_ID}"

_TYPES = {
    "name": "string",
    "contact": "string",
    "code": "string",
    "nhs_number": "string",
    "gp_practice": "string",
    "text": "string",
    "scale": "integer",
    "yes_no": "boolean",
    "choice": "open-choice",
    "language": "open-choice",
    "multi": "open-choice",
    "top": "open-choice",
}


def code_system(question: Question) -> str:
    """The CodeSystem of a closed question's options."""
    return f"{CANONICAL_BASE}/CodeSystem/{question.key.replace('_', '-')}"


@lru_cache(maxsize=1)
def wording() -> dict[str, str]:
    """What the bot asks for each question, as patients read it (first wording of utter_ask_KEY)."""
    domain = yaml.safe_load((PROJECT_ROOT / "domain.yml").read_text(encoding="utf-8"))
    responses = domain.get("responses") or {}
    return {
        q.key: (responses.get(f"utter_ask_{q.key}") or [{"text": q.label}])[0].get("text", q.label) for q in QUESTIONS
    }


def _item(question: Question) -> dict[str, Any]:
    item: dict[str, Any] = {
        "linkId": question.key,
        "code": [{"system": f"{CANONICAL_BASE}/CodeSystem/questions", "code": question.key, "display": question.label}],
        "text": wording()[question.key],
        "type": "text" if question.open else _TYPES[question.kind],
        "required": not question.optional and question.applies is None,
    }
    if question.kind in ("multi", "top"):
        item["repeats"] = True
    if question.options:
        system = code_system(question)
        item["answerOption"] = [
            {"valueCoding": {"system": system, "code": option.code, "display": option.label}}
            for option in question.options
        ]
    return item


def catalogue_version() -> str:
    """A digest of everything the Questionnaire says: it changes exactly when the catalogue or its wording does."""
    described = [
        [q.key, q.section, q.kind, q.optional, q.applies is None, q.label, [(o.code, o.label) for o in q.options]]
        for q in QUESTIONS
    ]
    return hashlib.sha256(json.dumps([described, wording()], sort_keys=True).encode()).hexdigest()[:12]


def questionnaire() -> dict[str, Any]:
    groups = []
    for section in SECTIONS:
        members = [_item(q) for q in QUESTIONS if q.section == section.key]
        if members:
            groups.append({"linkId": f"section-{section.key}", "text": section.title, "type": "group", "item": members})
    return {
        "resourceType": "Questionnaire",
        "id": QUESTIONNAIRE_ID,
        "url": CANONICAL,
        "version": catalogue_version(),
        "name": "WhatMattersIntake",
        "title": "What Matters: the first social prescribing conversation",
        "status": "active",
        "subjectType": ["Patient"],
        "publisher": "What Matters (open source)",
        "description": "The questions a social prescribing link worker would ask first: what matters to the "
        "person, the areas of life they want support with, wellbeing (ONS4), strengths, barriers, "
        "preferences and a goal.",
        "item": groups,
    }
