"""The JSON API under /api/v1 (bearer tokens from `whatmatters token create`).

The OpenAPI document below is the single description of the API: request
bodies are checked against its schemas, so what is documented is what is
enforced. Unknown fields, missing fields and wrong types get a 400 that says
exactly what is wrong.
"""

from __future__ import annotations

import json
from typing import Any, Optional

from aiohttp import web
from jsonschema import Draft7Validator
from jsonschema.exceptions import ValidationError

from bot.db.models import Priority, QueueStatus
from bot.errors import DomainError
from bot.fhir.bundle import export_bundle
from bot.fhir.questionnaire import questionnaire
from bot.intake.display import AREA_LABELS
from bot.outcomes import by_phone, followups
from bot.queue import change, read
from bot.teams.documents import teams_document
from bot.teams.models import ReferralSource, TeamKind
from bot.teams.store import CODE_PATTERN as TEAM_CODE_PATTERN
from bot.web import dashboard_openapi, directory, directory_openapi, followup, followup_openapi, letters
from bot.web.errors import json_error
from bot.web.security import db_key, settings_key, source

VERSION = "1.0.0"
MAX_BODY_BYTES = 16 * 1024
LETTER_FORMATS = ("pdf", "html")

_ERROR = {"type": "object", "properties": {"error": {"type": "string"}}, "required": ["error"]}
_SOURCE_WORDS = ", ".join(f"{code} ({name})" for code, name in ReferralSource.NAMES.items())
QUEUE_PARAMETERS = ("status", "assignee", "area", "team", "source", "q")

SCHEMAS: dict[str, dict[str, Any]] = {
    "Error": _ERROR,
    "StatusChange": {
        "type": "object",
        "additionalProperties": False,
        "required": ["status"],
        "properties": {
            "status": {
                "type": "string",
                "enum": list(QueueStatus.ALL),
                "description": "claimed: claim it; new: release it; contacted; closed (needs outcome)",
            },
            "outcome": {"type": "string", "enum": list(change.OUTCOMES), "description": "required when closing"},
            "offered": {
                "type": "string",
                "maxLength": change.MAX_NOTE_CHARS,
                "description": "when closing, optional: what was offered (for the letter to the GP practice)",
            },
            "taken_up": {
                "type": "string",
                "maxLength": change.MAX_NOTE_CHARS,
                "description": "when closing, optional: what the person took up (for the letter)",
            },
            "follow_up": {
                "type": "boolean",
                "description": "when closing with plan_agreed: send the wellbeing follow-up in FOLLOWUP_WEEKS weeks"
                " (default true; false when the person would rather not be followed up)",
            },
        },
    },
    "NewNote": {
        "type": "object",
        "additionalProperties": False,
        "required": ["text"],
        "properties": {
            "text": {
                "type": "string",
                "minLength": 1,
                "maxLength": change.MAX_NOTE_CHARS,
                "pattern": "\\S",
                "description": "not blank",
            }
        },
    },
    "QueueRow": {
        "type": "object",
        "properties": {
            "intake_id": {"type": "integer"},
            "reference": {"type": "string"},
            "status": {"type": "string", "enum": list(QueueStatus.ALL)},
            "priority": {"type": "string", "enum": list(Priority.NAMES.values())},
            "urgent": {"type": "boolean"},
            "assignee": {"type": "string", "nullable": True},
            "channel": {"type": "string"},
            "first_name": {"type": "string", "nullable": True},
            "top_areas": {"type": "array", "items": {"type": "string"}},
            "flags": {"type": "array", "items": {"type": "string"}},
            "outcome": {"type": "string", "nullable": True},
            "waiting_since": {"type": "string", "format": "date-time"},
            "team": {
                "type": "object",
                "nullable": True,
                "description": "the team whose queue it is on",
                "properties": {"code": {"type": "string"}, "name": {"type": "string"}},
            },
            "referral_source": {
                "type": "string",
                "nullable": True,
                "enum": [*ReferralSource.NAMES, None],
                "description": "where the person came from: " + _SOURCE_WORDS,
            },
            "entry_point": {
                "type": "string",
                "nullable": True,
                "description": "the place of the entry point they started from (null: none)",
            },
        },
    },
    "Origin": {
        "type": "object",
        "description": "whose intake it is and where the person came from",
        "properties": {
            "team": {
                "type": "object",
                "nullable": True,
                "properties": {"code": {"type": "string"}, "name": {"type": "string"}},
            },
            "referral_source": {"type": "string", "nullable": True, "enum": [*ReferralSource.NAMES, None]},
            "referral_source_name": {"type": "string", "description": "the referral source in words"},
            "entry_point": {
                "type": "object",
                "nullable": True,
                "description": "the entry point they started from (null: none)",
                "properties": {"code": {"type": "string"}, "place": {"type": "string"}},
            },
        },
    },
    "EntryPoint": {
        "type": "object",
        "properties": {
            "code": {"type": "string"},
            "place": {"type": "string"},
            "source": {"type": "string", "enum": list(ReferralSource.NAMES)},
            "active": {"type": "boolean"},
            "link": {"type": "string", "description": "the short link people open (and the poster's QR code)"},
        },
    },
    "Team": {
        "type": "object",
        "description": "A team; practices, flags and entry points are shown to admins only.",
        "required": ["code", "name", "kind"],
        "properties": {
            "code": {"type": "string"},
            "name": {"type": "string"},
            "kind": {"type": "string", "enum": list(TeamKind.NAMES)},
            "practices": {"type": "array", "items": {"type": "string"}, "description": "admins only"},
            "takes_unregistered": {"type": "boolean", "description": "admins only"},
            "is_default": {"type": "boolean", "description": "admins only"},
            "entry_points": {
                "type": "array",
                "items": {"$ref": "#/components/schemas/EntryPoint"},
                "description": "admins only",
            },
        },
    },
    "Note": {
        "type": "object",
        "properties": {
            "id": {"type": "integer"},
            "author": {"type": "string"},
            "text": {"type": "string"},
            "created_at": {"type": "string", "format": "date-time"},
        },
    },
    "Flag": {
        "type": "object",
        "properties": {
            "kind": {"type": "string"},
            "category": {"type": "string", "nullable": True},
            "message": {"type": "string", "description": "the patient's words that raised it"},
            "created_at": {"type": "string", "format": "date-time"},
        },
    },
    "Intake": {
        "type": "object",
        "description": "One intake; `whatmatters intake show ID --json` prints the same document.",
        "properties": {
            "id": {"type": "integer"},
            "reference": {"type": "string"},
            "channel": {"type": "string"},
            "status": {"type": "string"},
            "consent": {"type": "boolean", "nullable": True},
            "created_at": {"type": "string", "format": "date-time"},
            "submitted_at": {"type": "string", "format": "date-time", "nullable": True},
            "complete": {"type": "boolean", "description": "false: summary built from the answers so far"},
            "origin": {"$ref": "#/components/schemas/Origin"},
            "queue": {"allOf": [{"$ref": "#/components/schemas/QueueRow"}], "nullable": True},
            "summary": {"type": "object", "description": "the structured summary document (schema_version 1)"},
            "summary_text": {"type": "string", "nullable": True},
            "answers": {
                "type": "object",
                "description": "question key to {value, verbatim, status}",
                "additionalProperties": {"type": "object"},
            },
            "flags": {"type": "array", "items": {"$ref": "#/components/schemas/Flag"}},
            "notes": {"type": "array", "items": {"$ref": "#/components/schemas/Note"}},
            "sms": {"type": "object", "nullable": True, "description": "the SMS contact's state, for SMS intakes"},
            "closing": {
                "type": "object",
                "nullable": True,
                "description": "what was recorded on closing (null while the item is open)",
                "properties": {
                    "outcome": {"type": "string", "enum": list(change.OUTCOMES)},
                    "offered": {"type": "string", "nullable": True},
                    "taken_up": {"type": "string", "nullable": True},
                    "closed_at": {"type": "string", "format": "date-time", "nullable": True},
                    "link_worker": {"type": "string", "nullable": True},
                },
            },
        },
    },
}


def _response(description: str, schema: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{schema}"}}},
    }


_INTAKE_ID = {"name": "intake_id", "in": "path", "required": True, "schema": {"type": "integer"}}
_ERRORS = {
    "400": _response("invalid request", "Error"),
    "401": _response("no valid bearer token", "Error"),
    "404": _response("no such intake (or not one of the caller's teams': the same answer)", "Error"),
}

OPENAPI: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {
        "title": "What Matters review API",
        "version": VERSION,
        "description": "The link workers' queue and intake summaries. Every call is audited.",
    },
    "servers": [{"url": "/api/v1"}],
    "security": [{"bearer": []}],
    "components": {"securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}}, "schemas": SCHEMAS},
    "paths": {
        "/queue": {
            "get": {
                "summary": "The queue: urgent first, then the longest waiting",
                "parameters": [
                    {
                        "name": "status",
                        "in": "query",
                        "schema": {"type": "string", "enum": ["open", "all", *QueueStatus.ALL]},
                    },
                    {"name": "assignee", "in": "query", "schema": {"type": "string", "enum": ["mine", "unassigned"]}},
                    {"name": "area", "in": "query", "schema": {"type": "string", "enum": sorted(AREA_LABELS)}},
                    {
                        "name": "team",
                        "in": "query",
                        "description": "one team's items (a team's code); only ever the caller's teams",
                        "schema": {"type": "string", "pattern": TEAM_CODE_PATTERN.pattern},
                    },
                    {
                        "name": "source",
                        "in": "query",
                        "description": "items by where the person came from: " + _SOURCE_WORDS,
                        "schema": {"type": "string", "enum": list(ReferralSource.NAMES)},
                    },
                    {
                        "name": "q",
                        "in": "query",
                        "description": "search: part of a reference (WM-...) or of a first name, any case",
                        "schema": {"type": "string", "maxLength": read.MAX_SEARCH_CHARS},
                    },
                ],
                "responses": {
                    "200": {
                        "description": "queue rows and counts per status",
                        "content": {
                            "application/json": {
                                "schema": {
                                    "type": "object",
                                    "properties": {
                                        "items": {"type": "array", "items": {"$ref": "#/components/schemas/QueueRow"}},
                                        "counts": {"type": "object", "additionalProperties": {"type": "integer"}},
                                    },
                                }
                            }
                        },
                    },
                    "401": _ERRORS["401"],
                },
            }
        },
        "/teams": {
            "get": {
                "summary": "The caller's teams (an admin's: every team, with practices, flags and entry points)",
                "responses": {
                    "200": {
                        "description": "the teams",
                        "content": {
                            "application/json": {
                                "schema": {
                                    "type": "object",
                                    "properties": {
                                        "teams": {"type": "array", "items": {"$ref": "#/components/schemas/Team"}}
                                    },
                                }
                            }
                        },
                    },
                    "401": _ERRORS["401"],
                },
            }
        },
        "/intakes/{intake_id}": {
            "get": {
                "summary": "One intake with its summary, flags and notes (audited as a view)",
                "parameters": [_INTAKE_ID],
                "responses": {"200": _response("the intake", "Intake"), **_ERRORS},
            }
        },
        "/intakes/{intake_id}/status": {
            "post": {
                "summary": "Claim, release, mark contacted or close",
                "parameters": [_INTAKE_ID],
                "requestBody": {
                    "required": True,
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/StatusChange"}}},
                },
                "responses": {
                    "200": _response("the queue row after the change", "QueueRow"),
                    **_ERRORS,
                    "409": _response("not possible now (e.g. someone else has claimed it)", "Error"),
                },
            }
        },
        "/intakes/{intake_id}/notes": {
            "post": {
                "summary": "Add a private note",
                "parameters": [_INTAKE_ID],
                "requestBody": {
                    "required": True,
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/NewNote"}}},
                },
                "responses": {"201": _response("the note", "Note"), **_ERRORS},
            }
        },
        "/intakes/{intake_id}/letter": {
            "get": {
                "summary": "The letter to the GP practice about a closed item, as PDF or HTML (audited as a view)",
                "parameters": [
                    _INTAKE_ID,
                    {"name": "format", "in": "query", "schema": {"type": "string", "enum": list(LETTER_FORMATS)}},
                ],
                "responses": {
                    "200": {
                        "description": "the letter (format=pdf, the default: application/pdf; format=html: a page)",
                        "content": {
                            "application/pdf": {"schema": {"type": "string", "format": "binary"}},
                            "text/html": {"schema": {"type": "string"}},
                        },
                    },
                    **_ERRORS,
                    "409": _response("the item is not closed yet: there is no letter", "Error"),
                },
            }
        },
    },
}

for _part in (directory_openapi, followup_openapi, dashboard_openapi):
    SCHEMAS.update(_part.SCHEMAS)
    for _path, _operations in _part.PATHS.items():
        for _operation in _operations.values():
            _operation["responses"].update({k: v for k, v in _ERRORS.items() if k not in _operation["responses"]})
        OPENAPI["paths"][_path] = _operations

_TYPE_WORDS = {
    "string": "a string",
    "integer": "an integer",
    "boolean": "true or false",
    "object": "an object",
    "array": "a list",
}
# When a body has several faults, the one reported first: the shape, then the fields.
_RANK = {"type": 1, "additionalProperties": 2, "required": 3}


def _message(error: ValidationError, schema: dict[str, Any]) -> str:
    """One jsonschema error in the words the API has always used."""
    if not error.path:
        if error.validator == "type":
            return "the request body must be a JSON object"
        if error.validator == "additionalProperties":
            unknown = sorted(set(error.instance) - set(schema.get("properties", {})))
            return f"unknown field(s): {', '.join(unknown)}; allowed: {', '.join(schema.get('properties', {}))}"
        if error.validator == "required":
            missing = [name for name in error.validator_value if name not in error.instance]
            return f"missing field: {missing[0]}"
    name = error.path[0]
    if error.validator == "type":
        return f"field {name} must be {_TYPE_WORDS[error.validator_value]}"
    if error.validator == "enum":
        return f"field {name} must be one of: {', '.join(map(str, error.validator_value))}"
    if error.validator in ("minLength", "pattern"):
        return f"field {name} must not be empty"
    if error.validator == "maxLength":
        return f"field {name} must have at most {error.validator_value} characters"
    return f"field {name} is not valid"


def problems(body: Any, schema: dict[str, Any]) -> Optional[str]:
    """What is wrong with a request body under one of SCHEMAS (None when it is right), checked by jsonschema."""
    errors = list(Draft7Validator(schema).iter_errors(body))
    if not errors:
        return None
    fields = list(body) if isinstance(body, dict) else []
    first = min(
        errors,
        key=lambda e: (
            0 if not e.path else 1,
            _RANK.get(str(e.validator), 9),
            fields.index(e.path[0]) if e.path and e.path[0] in fields else 0,
        ),
    )
    return _message(first, schema)


def _error(status: int, message: str, **extra: Any) -> web.Response:
    return web.json_response({"error": message, **extra}, status=status)


async def _body(request: web.Request, schema: str | dict[str, Any]) -> dict[str, Any]:
    """The JSON body, checked against one of SCHEMAS (by name) or a schema given."""
    if request.content_length and request.content_length > MAX_BODY_BYTES:
        raise web.HTTPBadRequest(
            text=json.dumps({"error": "the request body is too large"}), content_type="application/json"
        )
    try:
        body = json.loads(await request.text() or "null")
    except ValueError:
        raise web.HTTPBadRequest(
            text=json.dumps({"error": "the request body is not valid JSON"}), content_type="application/json"
        ) from None
    wrong = problems(body, SCHEMAS[schema] if isinstance(schema, str) else schema)
    if wrong:
        raise web.HTTPBadRequest(text=json.dumps({"error": wrong}), content_type="application/json")
    return body


def _intake_id(request: web.Request) -> int:
    try:
        return int(request.match_info["intake_id"])
    except ValueError:
        raise web.HTTPNotFound(text=json.dumps({"error": "no such intake"}), content_type="application/json") from None


async def openapi(request: web.Request) -> web.Response:
    return web.json_response(OPENAPI)


async def list_queue(request: web.Request) -> web.Response:
    unknown = sorted(set(request.query) - set(QUEUE_PARAMETERS))
    if unknown:
        return _error(400, f"unknown query parameter(s): {', '.join(unknown)}")
    wanted = read.QueueFilter.from_query(request.query)
    async with request.app[db_key]() as session, session.begin():
        document = await read.listing(session, request["user"], wanted, source(request), via="api")
    return web.json_response(document)


async def list_teams(request: web.Request) -> web.Response:
    """The teams the caller works in; an admin, who manages them, gets every team and how it is set up."""
    async with request.app[db_key]() as session:
        document = await teams_document(session, request.app[settings_key], request["user"])
    return web.json_response(document)


FHIR_JSON = "application/fhir+json"


def _fhir(resource: dict[str, Any]) -> web.Response:
    return web.Response(text=json.dumps(resource, default=str), content_type=FHIR_JSON)


async def _intake_reply(request: web.Request, via: str, render: Any) -> web.Response:
    """The intake document (its view audited) rendered by `render`, or the domain error as JSON."""
    intake_id = _intake_id(request)
    try:
        async with request.app[db_key]() as session, session.begin():
            document = await read.intake_document(session, intake_id, request["user"], source(request), via)
    except DomainError as error:
        return json_error(error)
    return render(document)


async def get_intake(request: web.Request) -> web.Response:
    return await _intake_reply(request, "api", web.json_response)


async def get_intake_fhir(request: web.Request) -> web.Response:
    """One intake as a FHIR R4 Bundle (?type=transaction for one to store); the view is audited like any other."""
    kind = request.query.get("type", "collection")
    if kind not in ("collection", "transaction"):
        return _error(400, "type must be collection or transaction")
    transaction = kind == "transaction"
    return await _intake_reply(request, "fhir", lambda document: _fhir(export_bundle(document, transaction)))


async def get_intake_letter(request: web.Request) -> web.Response:
    """The letter to the GP practice about a closed item (?format=pdf, the default, or html); 409 while it is open."""
    wanted = request.query.get("format", "pdf")
    if wanted not in LETTER_FORMATS:
        return _error(400, "format must be pdf or html")
    try:
        letter = await letters.read_letter(request, _intake_id(request), f"api {wanted}")
    except DomainError as error:
        return json_error(error)
    return await (letters.pdf_response(letter) if wanted == "pdf" else letters.html_document(request, letter))


async def get_questionnaire(request: web.Request) -> web.Response:
    """The intake's questions as a FHIR Questionnaire: a definition, no patient data, so public."""
    return _fhir(questionnaire())


async def change_status(request: web.Request) -> web.Response:
    intake_id = _intake_id(request)
    body = await _body(request, "StatusChange")
    try:
        async with request.app[db_key]() as session, session.begin():
            await change.change_status(
                session,
                intake_id,
                request["user"],
                body["status"],
                body.get("outcome"),
                source(request),
                offered=body.get("offered"),
                taken_up=body.get("taken_up"),
                follow_up_weeks=request.app[settings_key].followup_weeks if body.get("follow_up", True) else None,
            )
    except DomainError as error:
        return json_error(error)
    async with request.app[db_key]() as session:
        found = await read.row(session, intake_id, request["user"])
    return web.json_response(found.as_json() if found else None)


async def add_note(request: web.Request) -> web.Response:
    intake_id = _intake_id(request)
    body = await _body(request, "NewNote")
    try:
        async with request.app[db_key]() as session, session.begin():
            note = await change.add_note(session, intake_id, request["user"], body["text"], source(request))
    except DomainError as error:
        return json_error(error)
    return web.json_response(read.note_json(note), status=201)


async def get_followup(request: web.Request) -> web.Response:
    """An intake's follow-up beside its baseline; the view is audited as the intake's."""
    intake_id = _intake_id(request)
    async with request.app[db_key]() as session, session.begin():
        found = await read.detail(session, intake_id, request["user"], source(request), via="api followup")
        view = await followups.view_of(session, intake_id) if found else None
    if found is None:
        return _error(404, "no such intake")
    if view is None:
        return _error(404, "this intake has no follow-up")
    return web.json_response(view.as_json())


async def change_followup(request: web.Request) -> web.Response:
    """Send a scheduled follow-up now, or cancel one not yet answered (audited); or record the answers a
    link worker heard on the phone (422 with an error per field, as the page checks them); the follow-up after it.

    The body's shape is checked first (400); the answers' values by bot.outcomes.by_phone, the page's check."""
    intake_id = _intake_id(request)
    body = await _body(request, followup_openapi.CHANGE_SHAPE)
    risk, answers = None, None
    if body["action"] == by_phone.ACTION:
        answers, errors = by_phone.check(body.get("answers") or {})
        if answers is None:
            return _error(422, "the answers are not valid", errors=errors)
        risk = await by_phone.read_risk(request.app[followup.risk_key], answers)
    elif "answers" in body:
        return _error(400, f"answers go only with the action {by_phone.ACTION}")
    try:
        async with request.app[db_key]() as session, session.begin():
            if await read.intake_seen_by(session, intake_id, request["user"]) is None:
                return _error(404, "no such intake")
            if answers is not None:
                await by_phone.record(session, intake_id, answers, request["user"].email, risk, source(request))
            else:
                await followups.change_by_link_worker(
                    session, intake_id, body["action"], request["user"].email, source(request)
                )
    except DomainError as error:
        return json_error(error)
    if body["action"] == "send_now":
        await followup.send_due_now(request.app)
    async with request.app[db_key]() as session:
        view = await followups.view_of(session, intake_id)
    return web.json_response(view.as_json() if view else None)


async def get_offers(request: web.Request) -> web.Response:
    """An intake's possible offers with why each, and the decisions made; the view is audited."""
    intake_id = _intake_id(request)
    unknown = sorted(set(request.query) - {"near"})
    if unknown:
        return _error(400, f"unknown query parameter(s): {', '.join(unknown)}")
    async with request.app[db_key]() as session, session.begin():
        found = await read.detail(session, intake_id, request["user"], source(request), via="api offers")
    if found is None:
        return _error(404, "no such intake")
    offers = await directory.summary_offers(request, intake_id, found.summary)
    if offers is None:
        return _error(503, "the offers could not be worked out just now: try again in a minute")
    return web.json_response(offers.as_json())


async def decide_offer(request: web.Request) -> web.Response:
    intake_id = _intake_id(request)
    try:
        service_id = int(request.match_info["service_id"])
    except ValueError:
        return _error(404, "no such service")
    body = await _body(request, "OfferDecisionChange")
    try:
        async with request.app[db_key]() as session, session.begin():
            decided = await directory.decide_offer(session, intake_id, service_id, body["status"], request)
    except DomainError as error:
        return json_error(error)
    return web.json_response(decided.as_json())


async def list_services(request: web.Request) -> web.Response:
    unknown = sorted(set(request.query) - set(directory_openapi.SERVICE_PARAMETERS))
    if unknown:
        return _error(400, f"unknown query parameter(s): {', '.join(unknown)}")
    return web.json_response(await directory.listing(request, directory.DirectoryQuery.from_query(request.query)))


async def get_service(request: web.Request) -> web.Response:
    try:
        service_id = int(request.match_info["service_id"])
    except ValueError:
        return _error(404, "no such service")
    try:
        document = await directory.service_document(request, service_id)
    except DomainError as error:
        return json_error(error)
    return web.json_response(document)
