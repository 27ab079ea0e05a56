"""The community offers' part of the OpenAPI document (merged into bot.web.api's, the one description)."""

from __future__ import annotations

from typing import Any

from bot.directory.matching import AREA_LABELS
from bot.directory.models import OfferStatus
from bot.web.directory import MAX_QUERY_CHARS, MODES

_SERVICE_ID = {"name": "service_id", "in": "path", "required": True, "schema": {"type": "integer"}}
_INTAKE_ID = {"name": "intake_id", "in": "path", "required": True, "schema": {"type": "integer"}}
_NULLABLE_BOOL = {"type": "boolean", "nullable": True, "description": "null: the directory does not say"}


def _json(description: str, ref: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{ref}"}}},
    }


SCHEMAS: dict[str, dict[str, Any]] = {
    "OfferDecisionChange": {
        "type": "object",
        "additionalProperties": False,
        "required": ["status"],
        "properties": {
            "status": {
                "type": "string",
                "enum": list(OfferStatus.ALL),
                "description": "suggested (to the person), taken_up, or not_suitable (it is then no longer suggested)",
            }
        },
    },
    "OfferDecision": {
        "type": "object",
        "properties": {
            "service_id": {"type": "integer"},
            "name": {"type": "string"},
            "organisation": {"type": "string"},
            "active": {"type": "boolean", "description": "false: the directory no longer lists it"},
            "status": {"type": "string", "enum": list(OfferStatus.ALL)},
            "status_name": {"type": "string"},
            "decided_by": {"type": "string"},
            "decided_at": {"type": "string", "format": "date-time"},
        },
    },
    "OfferSuggestion": {
        "type": "object",
        "properties": {
            "service_id": {"type": "integer"},
            "name": {"type": "string"},
            "organisation": {"type": "string"},
            "score": {"type": "number", "description": "the sum of the points behind 'why' and 'cautions'"},
            "why": {"type": "array", "items": {"type": "string"}, "description": "each reason it was suggested"},
            "cautions": {"type": "array", "items": {"type": "string"}, "description": "what may not suit them"},
            "free": _NULLABLE_BOOL,
            "cost": {"type": "string", "nullable": True},
            "modes": {"type": "array", "items": {"type": "string", "enum": list(MODES)}},
            "url": {"type": "string", "nullable": True},
            "email": {"type": "string", "nullable": True},
            "venues": {"type": "array", "items": {"type": "string"}},
            "decision": {"type": "string", "nullable": True, "enum": [*OfferStatus.ALL, None]},
        },
    },
    "Offers": {
        "type": "object",
        "properties": {
            "near": {"type": "string", "nullable": True},
            "directory_size": {"type": "integer", "description": "active services the matching looked at"},
            "suggestions": {"type": "array", "items": {"$ref": "#/components/schemas/OfferSuggestion"}},
            "decisions": {"type": "array", "items": {"$ref": "#/components/schemas/OfferDecision"}},
        },
    },
    "Service": {
        "type": "object",
        "properties": {
            "id": {"type": "integer"},
            "name": {"type": "string"},
            "organisation": {"type": "string", "nullable": True},
            "description": {"type": "string", "nullable": True},
            "life_areas": {"type": "array", "items": {"type": "string", "enum": sorted(AREA_LABELS)}},
            "life_area_names": {"type": "array", "items": {"type": "string"}},
            "free": _NULLABLE_BOOL,
            "cost": {"type": "string", "nullable": True},
            "modes": {"type": "array", "items": {"type": "string", "enum": list(MODES)}},
            "mode_names": {"type": "array", "items": {"type": "string"}},
            "group": _NULLABLE_BOOL,
            "one_to_one": _NULLABLE_BOOL,
            "someone_can_go_with_them": _NULLABLE_BOOL,
            "step_free": _NULLABLE_BOOL,
            "days": {"type": "array", "items": {"type": "string"}},
            "venues": {"type": "array", "items": {"type": "string"}},
            "url": {"type": "string", "nullable": True},
            "email": {"type": "string", "nullable": True},
            "status": {"type": "string"},
            "record": {
                "type": "object",
                "description": "(one service only) the ORUK 3.0 record as its source published it",
            },
        },
    },
    "ServicePage": {
        "type": "object",
        "description": "a page of services, with the paging fields of an ORUK list",
        "properties": {
            "total_items": {"type": "integer"},
            "total_pages": {"type": "integer"},
            "page_number": {"type": "integer"},
            "size": {"type": "integer"},
            "first_page": {"type": "boolean"},
            "last_page": {"type": "boolean"},
            "empty": {"type": "boolean"},
            "contents": {"type": "array", "items": {"$ref": "#/components/schemas/Service"}},
        },
    },
}

SERVICE_PARAMETERS = ("q", "area", "mode", "free", "page", "per_page")

PATHS: dict[str, dict[str, Any]] = {
    "/intakes/{intake_id}/offers": {
        "get": {
            "summary": "Possible community offers for an intake, each with why, and the decisions made (audited as a view)",
            "parameters": [
                _INTAKE_ID,
                {
                    "name": "near",
                    "in": "query",
                    "description": "a town or the first half of a postcode (only matched, never stored)",
                    "schema": {"type": "string", "maxLength": 40},
                },
            ],
            "responses": {
                "200": _json("the offers", "Offers"),
                "503": _json("the offers could not be worked out just now (the intake itself is fine)", "Error"),
            },
        }
    },
    "/intakes/{intake_id}/offers/{service_id}": {
        "post": {
            "summary": "Mark an offer suggested, taken up or not suitable (the latest stands; each is audited)",
            "parameters": [_INTAKE_ID, _SERVICE_ID],
            "requestBody": {
                "required": True,
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/OfferDecisionChange"}}},
            },
            "responses": {"200": _json("the decision", "OfferDecision")},
        }
    },
    "/directory/services": {
        "get": {
            "summary": "Active services in the directory, by name, filtered",
            "parameters": [
                {"name": "q", "in": "query", "schema": {"type": "string", "maxLength": MAX_QUERY_CHARS}},
                {"name": "area", "in": "query", "schema": {"type": "string", "enum": sorted(AREA_LABELS)}},
                {"name": "mode", "in": "query", "schema": {"type": "string", "enum": list(MODES)}},
                {"name": "free", "in": "query", "schema": {"type": "boolean"}},
                {"name": "page", "in": "query", "schema": {"type": "integer", "minimum": 1}},
                {"name": "per_page", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 100}},
            ],
            "responses": {"200": _json("a page of services", "ServicePage")},
        }
    },
    "/directory/services/{service_id}": {
        "get": {
            "summary": "One service, with its ORUK record (inactive ones too: decisions may refer to them)",
            "parameters": [_SERVICE_ID],
            "responses": {"200": _json("the service", "Service")},
        }
    },
}
