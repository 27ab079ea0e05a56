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

from bot.db.models import Priority, QueueStatus
from bot.intake import store
from bot.review import work
from bot.web.security import db_key, source

VERSION = "1.0.0"
MAX_BODY_BYTES = 16 * 1024

_ERROR = {"type": "object", "properties": {"error": {"type": "string"}}, "required": ["error"]}

SCHEMAS: dict[str, dict[str, Any]] = {
    "Error": _ERROR,
    "StatusChange": {
        "type": "object",
        "additionalProperties": False,
        "required": ["status"],
        "properties": {
            "status": {"type": "string", "enum": list(QueueStatus.ALL),
                       "description": "claimed: claim it; new: release it; contacted; closed (needs outcome)"},
            "outcome": {"type": "string", "enum": list(work.OUTCOMES), "description": "required when closing"},
        },
    },
    "NewNote": {
        "type": "object",
        "additionalProperties": False,
        "required": ["text"],
        "properties": {"text": {"type": "string", "minLength": 1, "maxLength": work.MAX_NOTE_CHARS}},
    },
    "QueueRow": {
        "type": "object",
        "properties": {
            "intake_id": {"type": "integer"}, "reference": {"type": "string"},
            "status": {"type": "string", "enum": list(QueueStatus.ALL)},
            "priority": {"type": "string", "enum": list(Priority.NAMES.values())}, "urgent": {"type": "boolean"},
            "assignee": {"type": "string", "nullable": True}, "channel": {"type": "string"},
            "first_name": {"type": "string", "nullable": True},
            "top_areas": {"type": "array", "items": {"type": "string"}},
            "flags": {"type": "array", "items": {"type": "string"}},
            "outcome": {"type": "string", "nullable": True},
            "waiting_since": {"type": "string", "format": "date-time"},
        },
    },
    "Note": {
        "type": "object",
        "properties": {"id": {"type": "integer"}, "author": {"type": "string"}, "text": {"type": "string"},
                       "created_at": {"type": "string", "format": "date-time"}},
    },
    "Intake": {
        "type": "object",
        "properties": {
            "id": {"type": "integer"}, "reference": {"type": "string"}, "channel": {"type": "string"},
            "status": {"type": "string"}, "complete": {"type": "boolean",
                                                        "description": "false: summary built from the answers so far"},
            "queue": {"$ref": "#/components/schemas/QueueRow"},
            "summary": {"type": "object", "description": "the structured summary document (schema_version 1)"},
            "flags": {"type": "array", "items": {"type": "object"}},
            "notes": {"type": "array", "items": {"$ref": "#/components/schemas/Note"}},
        },
    },
}


def _response(description: str, schema: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{schema}"}}}}


_INTAKE_ID = {"name": "intake_id", "in": "path", "required": True, "schema": {"type": "integer"}}
_ERRORS = {"400": _response("invalid request", "Error"), "401": _response("no valid bearer token", "Error"),
           "404": _response("no such intake", "Error")}

OPENAPI: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {"title": "What Matters review API", "version": VERSION,
             "description": "The link workers' queue and intake summaries. Every call is audited."},
    "servers": [{"url": "/api/v1"}],
    "security": [{"bearer": []}],
    "components": {"securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}}, "schemas": SCHEMAS},
    "paths": {
        "/queue": {"get": {
            "summary": "The queue: urgent first, then the longest waiting",
            "parameters": [
                {"name": "status", "in": "query", "schema": {"type": "string", "enum": ["open", "all", *QueueStatus.ALL]}},
                {"name": "assignee", "in": "query", "schema": {"type": "string", "enum": ["mine", "unassigned"]}},
                {"name": "area", "in": "query", "schema": {"type": "string", "enum": sorted(work.AREA_LABELS)}},
            ],
            "responses": {"200": {"description": "queue rows and counts per status", "content": {"application/json": {
                "schema": {"type": "object", "properties": {
                    "items": {"type": "array", "items": {"$ref": "#/components/schemas/QueueRow"}},
                    "counts": {"type": "object", "additionalProperties": {"type": "integer"}}}}}}},
                "401": _ERRORS["401"]},
        }},
        "/intakes/{intake_id}": {"get": {
            "summary": "One intake with its summary, flags and notes (audited as a view)",
            "parameters": [_INTAKE_ID],
            "responses": {"200": _response("the intake", "Intake"), **_ERRORS},
        }},
        "/intakes/{intake_id}/status": {"post": {
            "summary": "Claim, release, mark contacted or close",
            "parameters": [_INTAKE_ID],
            "requestBody": {"required": True, "content": {"application/json": {
                "schema": {"$ref": "#/components/schemas/StatusChange"}}}},
            "responses": {"200": _response("the queue row after the change", "QueueRow"), **_ERRORS,
                          "409": _response("not possible now (e.g. someone else has claimed it)", "Error")},
        }},
        "/intakes/{intake_id}/notes": {"post": {
            "summary": "Add a private note",
            "parameters": [_INTAKE_ID],
            "requestBody": {"required": True, "content": {"application/json": {
                "schema": {"$ref": "#/components/schemas/NewNote"}}}},
            "responses": {"201": _response("the note", "Note"), **_ERRORS},
        }},
    },
}

_JSON_TYPES = {"string": str, "integer": int, "boolean": bool, "object": dict, "array": list}
_TYPE_WORDS = {"string": "a string", "integer": "an integer", "boolean": "true or false",
               "object": "an object", "array": "a list"}


def problems(body: Any, schema: dict[str, Any]) -> Optional[str]:
    """What is wrong with a request body under one of SCHEMAS (None when it is right)."""
    if not isinstance(body, dict):
        return "the request body must be a JSON object"
    properties = schema.get("properties", {})
    if schema.get("additionalProperties") is False:
        unknown = sorted(set(body) - set(properties))
        if unknown:
            return f"unknown field(s): {', '.join(unknown)}; allowed: {', '.join(properties)}"
    for name in schema.get("required", []):
        if name not in body:
            return f"missing field: {name}"
    for name, value in body.items():
        rule = properties[name]
        expected = _JSON_TYPES[rule["type"]]
        if not isinstance(value, expected) or (expected is int and isinstance(value, bool)):
            return f"field {name} must be {_TYPE_WORDS[rule['type']]}"
        if "enum" in rule and value not in rule["enum"]:
            return f"field {name} must be one of: {', '.join(rule['enum'])}"
        if isinstance(value, str) and len(value.strip()) < rule.get("minLength", 0):
            return f"field {name} must not be empty"
        if isinstance(value, str) and len(value) > rule.get("maxLength", len(value)):
            return f"field {name} must have at most {rule['maxLength']} characters"
    return None


def _error(status: int, message: str, **extra: Any) -> web.Response:
    return web.json_response({"error": message, **extra}, status=status)


async def _body(request: web.Request, schema: str) -> dict[str, Any]:
    if request.content_length and request.content_length > MAX_BODY_BYTES:
        raise web.HTTPBadRequest(text=json.dumps({"error": "the request body is too large"}), content_type="application/json")
    try:
        body = json.loads(await request.text() or "null")
    except ValueError:
        raise web.HTTPBadRequest(text=json.dumps({"error": "the request body is not valid JSON"}),
                                 content_type="application/json")
    wrong = problems(body, SCHEMAS[schema])
    if wrong:
        raise web.HTTPBadRequest(text=json.dumps({"error": wrong}), content_type="application/json")
    return body


def _intake_id(request: web.Request) -> int:
    try:
        return int(request.match_info["intake_id"])
    except ValueError:
        raise web.HTTPNotFound(text=json.dumps({"error": "no such intake"}), content_type="application/json")


async def _row(session, intake_id: int, user) -> Optional[dict[str, Any]]:
    rows = await work.queue_rows(session, user, work.QueueFilter(status="all"))
    return next((r.as_json() for r in rows if r.intake_id == intake_id), None)


def _note(note) -> dict[str, Any]:
    return {"id": note.id, "author": note.author, "text": note.body,
            "created_at": work.aware(note.created_at).isoformat()}


async def openapi(request: web.Request) -> web.Response:
    return web.json_response(OPENAPI)


async def list_queue(request: web.Request) -> web.Response:
    unknown = sorted(set(request.query) - {"status", "assignee", "area"})
    if unknown:
        return _error(400, f"unknown query parameter(s): {', '.join(unknown)}")
    wanted = work.QueueFilter.from_query(request.query)
    async with request.app[db_key]() as session, session.begin():
        rows = await work.queue_rows(session, request["user"], wanted)
        counts = await work.status_counts(session)
        await store.audit(session, request["user"].email, "queue.list", source=source(request),
                          detail={"count": len(rows), "via": "api"})
    return web.json_response({"items": [r.as_json() for r in rows], "counts": counts})


async def get_intake(request: web.Request) -> web.Response:
    intake_id = _intake_id(request)
    async with request.app[db_key]() as session, session.begin():
        detail = await work.intake_detail(session, intake_id, request["user"], source(request))
        row = await _row(session, intake_id, request["user"]) if detail else None
    if detail is None:
        return _error(404, "no such intake")
    intake = detail.intake
    return web.json_response({
        "id": intake.id, "reference": intake.reference, "channel": intake.channel, "status": intake.status,
        "complete": detail.complete, "queue": row, "summary": detail.summary,
        "flags": [{"kind": f.kind, "category": f.category, "message": f.message,
                   "created_at": work.aware(f.created_at).isoformat()} for f in detail.flags],
        "notes": [_note(n) for n in detail.notes],
    })


async def change_status(request: web.Request) -> web.Response:
    intake_id = _intake_id(request)
    body = await _body(request, "StatusChange")
    if body["status"] == QueueStatus.CLOSED and "outcome" not in body:
        return _error(400, f"closing needs an outcome: one of {', '.join(work.OUTCOMES)}")
    try:
        async with request.app[db_key]() as session, session.begin():
            await work.change_status(session, intake_id, request["user"], body["status"], body.get("outcome"),
                                     source(request))
    except work.WorkError as error:
        extra = {"holder": error.holder} if error.holder else {}
        return _error(error.status, error.message, **extra)
    async with request.app[db_key]() as session:
        return web.json_response(await _row(session, intake_id, request["user"]))


async def add_note(request: web.Request) -> web.Response:
    intake_id = _intake_id(request)
    body = await _body(request, "NewNote")
    try:
        async with request.app[db_key]() as session, session.begin():
            note = await work.add_note(session, intake_id, request["user"], body["text"], source(request))
    except work.WorkError as error:
        return _error(error.status, error.message)
    return web.json_response(_note(note), status=201)
