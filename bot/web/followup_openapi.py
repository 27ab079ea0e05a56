"""The follow-up's part of the OpenAPI document (merged into bot.web.api's, the one description)."""

from __future__ import annotations

from typing import Any

from bot.outcomes import by_phone, ons
from bot.outcomes.conversation import TOOK_UP_NAMES
from bot.outcomes.followups import LINK_WORKER_ACTIONS
from bot.outcomes.models import FollowUpChannel, FollowUpStatus

_INTAKE_ID = {"name": "intake_id", "in": "path", "required": True, "schema": {"type": "integer"}}
_SCORE = {"type": "integer", "minimum": 0, "maximum": 10, "nullable": True}
_BAND = {
    "type": "string",
    "nullable": True,
    "description": "ONS's band of the score (Low, Medium, High, Very high; anxiety: Very low, Low, Medium, High)",
}
_WHEN = {"type": "string", "format": "date-time", "nullable": True}

_ACTION = {
    "type": "string",
    "enum": [*LINK_WORKER_ACTIONS, by_phone.ACTION],
    "description": (
        "send_now: a scheduled follow-up goes now; cancel: nothing more is sent for it; "
        f"{by_phone.ACTION}: the answers they gave on the phone (`answers`), saved as the answered follow-up "
        "(channel phone); a follow-up still scheduled or sent is cancelled, so they are not asked twice"
    ),
}
_NOT_ASKED = "null or absent: not asked, or they would rather not say"

SCHEMAS: dict[str, dict[str, Any]] = {
    "FollowUpChange": {
        "type": "object",
        "additionalProperties": False,
        "required": ["action"],
        "properties": {"action": _ACTION, "answers": {"$ref": "#/components/schemas/FollowUpByPhone"}},
    },
    "FollowUpByPhone": {
        "type": "object",
        "additionalProperties": False,
        "description": (
            f"With action {by_phone.ACTION}: what they said on the phone (a closed item whose follow-up is "
            "not answered). At least one answer. What changed is read for risk: a possible disclosure "
            "raises the follow-up's flag and puts the item back on the queue."
        ),
        "properties": {
            **{m: {**_SCORE, "description": f"{ons.LABELS[m]}, 0-10; {_NOT_ASKED}"} for m in ons.MEASURES},
            "what_changed": {
                "type": "string",
                "nullable": True,
                "maxLength": by_phone.MAX_WHAT_CHANGED,
                "description": f"in their words; {_NOT_ASKED}",
            },
            "took_up_offer": {
                "type": "string",
                "nullable": True,
                "enum": [*TOOK_UP_NAMES, None],
                "description": f"did they take up what was offered; {_NOT_ASKED}",
            },
        },
    },
    "FollowUpFieldErrors": {
        "type": "object",
        "required": ["error", "errors"],
        "properties": {
            "error": {"type": "string"},
            "errors": {
                "type": "object",
                "description": "a message per field of `answers` that is wrong (the page shows the same ones)",
                "additionalProperties": {"type": "string"},
            },
        },
    },
    "FollowUp": {
        "type": "object",
        "properties": {
            "status": {"type": "string", "enum": list(FollowUpStatus.NAMES)},
            "channel": {"type": "string", "enum": list(FollowUpChannel.NAMES)},
            "due_at": _WHEN,
            "sent_at": _WHEN,
            "reminded_at": _WHEN,
            "answered_at": _WHEN,
            "closed_reason": {"type": "string", "nullable": True, "description": "why it was declined or cancelled"},
            "wellbeing_ons4": {
                "type": "array",
                "description": "the four measures, separately (never summed): at the intake and at follow-up",
                "items": {
                    "type": "object",
                    "properties": {
                        "measure": {"type": "string", "enum": list(ons.MEASURES)},
                        "label": {"type": "string"},
                        "baseline": _SCORE,
                        "baseline_band": _BAND,
                        "follow_up": _SCORE,
                        "follow_up_band": _BAND,
                        "change": {
                            "type": "integer",
                            "nullable": True,
                            "description": "follow-up minus baseline; for anxiety, lower is better",
                        },
                    },
                },
            },
            "what_changed": {"type": "string", "nullable": True, "description": "in the person's words"},
            "took_up_offer": {"type": "string", "nullable": True, "enum": [*TOOK_UP_NAMES, None]},
        },
    },
}

PATHS: dict[str, dict[str, Any]] = {
    "/intakes/{intake_id}/followup": {
        "get": {
            "summary": "An intake's wellbeing follow-up: its state, and its answers beside the baseline (audited as a view)",
            "parameters": [_INTAKE_ID],
            "responses": {
                "200": {
                    "description": "the follow-up",
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/FollowUp"}}},
                },
                "404": {
                    "description": "no such intake, or it has no follow-up",
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
                },
            },
        },
        "post": {
            "summary": (
                "Send a scheduled follow-up now, cancel one not yet answered, or record the answers they gave "
                "on the phone (audited)"
            ),
            "parameters": [_INTAKE_ID],
            "requestBody": {
                "required": True,
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/FollowUpChange"}}},
            },
            "responses": {
                "200": {
                    "description": "the follow-up after the change",
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/FollowUp"}}},
                },
                "409": {
                    "description": (
                        "not possible now (already sent, answered, declined or cancelled; for answers from the "
                        "phone: the item is not closed, or its follow-up is answered)"
                    ),
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
                },
                "422": {
                    "description": f"{by_phone.ACTION}: an answer is not valid (nothing is saved)",
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/FollowUpFieldErrors"}}},
                },
            },
        },
    }
}

CHANGE_SHAPE: dict[str, Any] = {
    **SCHEMAS["FollowUpChange"],
    "properties": {"action": _ACTION, "answers": {"type": "object"}},
}
"""FollowUpChange as the API checks its shape (400); the answers' values are by_phone's to check (422, per field)."""
