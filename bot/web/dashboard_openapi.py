"""The outcomes dashboard's part of the OpenAPI document (merged into bot.web.api's, the one description)."""

from __future__ import annotations

from typing import Any

from bot.outcomes.dashboard import AREA_NAMES, BARRIER_NAMES, CHANNELS, MAX_DAYS, SOURCES, TOOK_UP_ANSWERS
from bot.outcomes.ons import MEASURES
from bot.web.dashboard import ALL_TEAMS, SMALL_NUMBERS

_COUNT = {
    "type": "integer",
    "minimum": 0,
    "nullable": True,
    "description": "null: hidden by the small-number rule (see small_numbers)",
}
_FIGURE = {"type": "number", "nullable": True, "description": "null: too few to say (fewer than 5)"}
_PERCENT = {"type": "integer", "minimum": 0, "maximum": 100, "nullable": True, "description": "null: too few to say"}
_CHANNEL_FIGURES = {
    "sent": _COUNT,
    "answered": _COUNT,
    "declined": {**_COUNT, "description": "the person said no (STOP, 'no thanks'); null: hidden"},
    "no_answer": {**_COUNT, "description": "neither answered nor declined (yet); null: hidden"},
    "response_percent": _PERCENT,
}
_BY_SOURCE = {
    "type": "object",
    "description": "referrals by where they came from: " + ", ".join(f"{k} ({v})" for k, v in SOURCES.items()),
    "properties": {code: _COUNT for code in SOURCES},
}


def _error(description: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
    }


def _choices(names: dict[str, str], what: str) -> dict[str, Any]:
    return {
        "type": "array",
        "description": f"people who chose each {what} (one person may choose several)",
        "items": {
            "type": "object",
            "properties": {
                "code": {"type": "string", "enum": list(names)},
                "label": {"type": "string"},
                "count": _COUNT,
            },
        },
    }


SCHEMAS: dict[str, dict[str, Any]] = {
    "Dashboard": {
        "type": "object",
        "description": "The outcomes dashboard's figures for a period and a team: the same as the page and its CSV "
        "files. Referrals, waiting, life areas, barriers and offers count the intakes submitted in the period; urgent "
        "items those created in it; follow-ups those sent in it. " + SMALL_NUMBERS,
        "properties": {
            "team": {
                "type": "object",
                "description": f"the team the figures are for ({ALL_TEAMS}: every team, admins only)",
                "properties": {"code": {"type": "string"}, "name": {"type": "string"}},
            },
            "teams": {
                "type": "array",
                "description": "the teams the caller may choose (a manager: the teams they are in; an admin: all)",
                "items": {"type": "object", "properties": {"code": {"type": "string"}, "name": {"type": "string"}}},
            },
            "small_numbers": {"type": "string", "description": "the small-number rule, in words"},
            "period": {
                "type": "object",
                "properties": {
                    "from": {"type": "string", "format": "date"},
                    "to": {"type": "string", "format": "date", "description": "included"},
                    "weeks": {
                        "type": "array",
                        "items": {"type": "string"},
                        "description": "the ISO weeks (Monday to Sunday, UTC) it touches, e.g. 2026-W10",
                    },
                },
            },
            "referrals": {
                "type": "object",
                "properties": {
                    "total": _COUNT,
                    "by_week": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "properties": {
                                "week": {"type": "string", "description": "ISO week, e.g. 2026-W10"},
                                "week_start": {"type": "string", "format": "date", "description": "its Monday"},
                                "total": _COUNT,
                                "by_source": _BY_SOURCE,
                            },
                        },
                    },
                    "by_source": _BY_SOURCE,
                    "by_practice": {
                        "type": "array",
                        "description": "the team's practices by their names there, then people not registered with "
                        "a GP, another practice, and not given (a person's own words are never shown)",
                        "items": {"type": "object", "properties": {"practice": {"type": "string"}, "count": _COUNT}},
                    },
                },
            },
            "waiting": {
                "type": "object",
                "description": "from submission to first contact, among those contacted so far",
                "properties": {
                    "contacted": _COUNT,
                    "not_contacted": _COUNT,
                    "median_days": _FIGURE,
                    "p90_days": {**_FIGURE, "description": "90th percentile (nearest rank); null: too few to say"},
                },
            },
            "life_areas": _choices(AREA_NAMES, "life area"),
            "barriers": _choices(BARRIER_NAMES, "barrier"),
            "offers": {
                "type": "object",
                "description": "community offers recorded on the period's intakes (the latest decision on each)",
                "properties": {
                    "suggested": {**_COUNT, "description": "offers suggested to people, those taken up included"},
                    "taken_up": _COUNT,
                    "not_taken_up": _COUNT,
                    "uptake_percent": _PERCENT,
                    "not_suitable": _COUNT,
                    "people_suggested": _COUNT,
                    "people_taken_up": _COUNT,
                },
            },
            "followups": {
                "type": "object",
                "description": "follow-ups sent in the period: answered, declined, or neither (not_answered is "
                "declined and no_answer together)",
                "properties": {
                    "sent": _COUNT,
                    "answered": _COUNT,
                    "not_answered": _COUNT,
                    "response_percent": _PERCENT,
                    "declined": _CHANNEL_FIGURES["declined"],
                    "no_answer": _CHANNEL_FIGURES["no_answer"],
                    "by_channel": {
                        "type": "object",
                        "description": "the same by channel: "
                        + ", ".join(f"{k} ({v})" for k, v in CHANNELS.items())
                        + ". A phone follow-up is answers a link worker heard on a call and recorded: sent and "
                        "answered at the call; one sent by text or e-mail and then answered on the phone counts as "
                        "phone",
                        "properties": {
                            code: {
                                "type": "object",
                                "properties": {"label": {"type": "string"}, **_CHANNEL_FIGURES},
                            }
                            for code in CHANNELS
                        },
                    },
                    "took_up_offer": {
                        "type": "object",
                        "description": "the person's own answer: did they take up what was offered?",
                        "properties": {"answered": _COUNT, **{code: _COUNT for code in TOOK_UP_ANSWERS}},
                    },
                },
            },
            "ons4_change": {
                "type": "array",
                "description": "each ONS4 measure apart (never summed): follow-up minus baseline, for people with "
                "both; mean and 95% confidence interval by the t distribution",
                "items": {
                    "type": "object",
                    "properties": {
                        "measure": {"type": "string", "enum": list(MEASURES)},
                        "label": {"type": "string"},
                        "higher_is_better": {
                            "type": "boolean",
                            "description": "false for anxiety: a fall is an improvement",
                        },
                        "n": _COUNT,
                        "mean_change": _FIGURE,
                        "ci95_low": _FIGURE,
                        "ci95_high": _FIGURE,
                        "meaning": {"type": "string", "description": "better, worse or no clear change, in words"},
                    },
                },
            },
            "urgent": {
                "type": "object",
                "description": "urgent items created in the period; the first look is the first time anyone opened "
                "the intake (summary, transcript or letter), or claimed it if that was earlier",
                "properties": {
                    "items": _COUNT,
                    "looked_at": _COUNT,
                    "not_looked_at": _COUNT,
                    "median_minutes": _FIGURE,
                    "p90_minutes": _FIGURE,
                },
            },
        },
    },
}

PATHS: dict[str, dict[str, Any]] = {
    "/dashboard": {
        "get": {
            "summary": "The outcomes dashboard's figures for a period and a team (managers and admins; audited)",
            "parameters": [
                {
                    "name": "from",
                    "in": "query",
                    "description": "the first day (default: the Monday 11 weeks before this week's)",
                    "schema": {"type": "string", "format": "date"},
                },
                {
                    "name": "to",
                    "in": "query",
                    "description": f"the last day, included (default: today); at most {MAX_DAYS} days in all",
                    "schema": {"type": "string", "format": "date"},
                },
                {
                    "name": "team",
                    "in": "query",
                    "description": f"a team's code: one of the caller's teams (default: a manager's first team; an "
                    f"admin: {ALL_TEAMS}, every team)",
                    "schema": {"type": "string"},
                },
            ],
            "responses": {
                "200": {
                    "description": "the figures",
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Dashboard"}}},
                },
                "400": _error("a date that is not one, an end before the start, or too long a period"),
                "403": _error("not a manager or an admin, or not one of the caller's teams"),
                "404": _error("(admins) no such team"),
            },
        }
    }
}
