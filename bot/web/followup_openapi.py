"""The follow-up's part of the OpenAPI document (merged into bot.web.api's, the one description)."""

from __future__ import annotations

from typing import Any

from bot.outcomes import ons
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

SCHEMAS: dict[str, dict[str, Any]] = {
    "FollowUpChange": {
        "type": "object",
        "additionalProperties": False,
        "required": ["action"],
        "properties": {
            "action": {
                "type": "string",
                "enum": list(LINK_WORKER_ACTIONS),
                "description": "send_now: a scheduled follow-up goes now; cancel: nothing more is sent for it",
            }
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
            "summary": "Send a scheduled follow-up now, or cancel one not yet answered (audited)",
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
                    "description": "not possible now (already sent, answered, declined or cancelled)",
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
                },
            },
        },
    }
}
