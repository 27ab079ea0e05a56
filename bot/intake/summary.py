"""Build the link worker's summary from stored answers.

The summary is built from what the database holds (not from the
conversation's slots), so what the link worker reads is exactly what was
saved. `build_summary` returns the structured document; `summary_text` the
short version for people (also read back to the patient before they confirm).
"""

from __future__ import annotations

from typing import Any, Iterable, Mapping, Optional

from bot.intake.display import display_value
from bot.intake.normalise import labels_for
from bot.intake.questions import (
    BARRIERS,
    LIFE_AREAS,
    ONS_KEYS,
    QUESTION_BY_KEY,
    SECTIONS,
    SKIPPED,
)

SCHEMA_VERSION = 1

ONS_LABELS = {
    "ons_life_satisfaction": "Life satisfaction",
    "ons_worthwhile": "Feeling things done in life are worthwhile",
    "ons_happy": "Happiness yesterday",
    "ons_anxious": "Anxiety yesterday (higher means more anxious)",
}


def _value(answers: Mapping[str, Mapping[str, Any]], key: str) -> Any:
    answer = answers.get(key)
    if not answer or answer.get("status") == "skipped":
        return None
    return answer.get("value")


def _verbatim(answers: Mapping[str, Mapping[str, Any]], key: str) -> Optional[str]:
    answer = answers.get(key)
    if not answer or answer.get("status") == "skipped":
        return None
    return answer.get("verbatim")


def top_areas(answers: Mapping[str, Mapping[str, Any]]) -> list[str]:
    """The one or two areas that matter most: asked when there were more than two."""
    top = _value(answers, "top_areas")
    if top:
        return list(top)
    return list(_value(answers, "life_areas") or [])[:2]


def build_summary(
    answers: Mapping[str, Mapping[str, Any]],
    flags: Iterable[Mapping[str, Any]] = (),
    reference: str = "",
    channel: str = "",
) -> dict[str, Any]:
    """The structured summary document. `answers` maps question key to value/verbatim/status."""
    areas = list(_value(answers, "life_areas") or [])
    top = top_areas(answers)
    barrier_codes = [c for c in (_value(answers, "barrier_options") or []) if c != "none"]
    summary: dict[str, Any] = {
        "schema_version": SCHEMA_VERSION,
        "reference": reference,
        "channel": channel,
        "about": {
            "preferred_name": _value(answers, "preferred_name"),
            "contact_method": _value(answers, "contact_method"),
            "contact_detail": _value(answers, "contact_detail"),
            "contact_times": _value(answers, "contact_times"),
            "gp_practice": _value(answers, "gp_practice"),
            "nhs_number": _value(answers, "nhs_number"),
            "referral_code": _value(answers, "referral_code"),
        },
        "what_matters": _verbatim(answers, "what_matters"),
        "life_areas": {
            "chosen": areas,
            "chosen_labels": labels_for(areas, LIFE_AREAS),
            "top": top,
            "top_labels": labels_for(top, LIFE_AREAS),
            "something_else": _verbatim(answers, "life_areas_other"),
        },
        "wellbeing_ons4": {key.removeprefix("ons_"): _value(answers, key) for key in ONS_KEYS},
        "strengths": {
            "enjoys": _verbatim(answers, "enjoys"),
            "good_at": _verbatim(answers, "good_at"),
            "support_network": _verbatim(answers, "support_network"),
        },
        "barriers": {
            "in_their_words": _verbatim(answers, "barriers_text"),
            "common": barrier_codes,
            "common_labels": labels_for(barrier_codes, BARRIERS),
        },
        "preferences": {
            "group_or_one_to_one": _value(answers, "group_or_one_to_one"),
            "meeting_format": _value(answers, "meeting_format"),
            "home_area": _verbatim(answers, "home_area"),
            "wants_someone_to_go_with_them": _value(answers, "wants_company"),
            "accessibility_needs": _verbatim(answers, "accessibility_needs"),
            "language": _value(answers, "language"),
            "interpreter_needed": _value(answers, "interpreter"),
        },
        "goal": _verbatim(answers, "goal"),
        "skipped": sorted(k for k, a in answers.items() if a.get("status") == "skipped"),
        "flags": [{"kind": f.get("kind"), "category": f.get("category"), "message": f.get("message")} for f in flags],
    }
    summary["openers"] = conversation_openers(summary)
    return summary


def conversation_openers(summary: Mapping[str, Any]) -> list[str]:
    """Two or three ways for the link worker to open the first call, from the patient's own answers."""
    openers: list[str] = []
    top = summary["life_areas"]["top_labels"]
    if top:
        openers.append(f"You said {top[0].lower()} matters most to you right now. What would help most with that?")
    if summary["preferences"]["wants_someone_to_go_with_them"]:
        openers.append("You'd like someone to go with you the first time. Shall we plan that first visit together?")
    enjoys = summary["strengths"]["enjoys"]
    if enjoys:
        openers.append(f"You told us you enjoy: \u201c{_shorten(enjoys)}\u201d. Could we build on that?")
    barriers = summary["barriers"]["in_their_words"]
    if barriers and len(openers) < 3:
        openers.append(f"You mentioned \u201c{_shorten(barriers)}\u201d. What would make that easier?")
    goal = summary["goal"]
    if goal and len(openers) < 3:
        openers.append(f"In three months you'd like: \u201c{_shorten(goal)}\u201d. What could be a first small step?")
    if not openers:
        openers.append("What matters most to you at the moment?")
    return openers[:3]


def _shorten(text: str, limit: int = 120) -> str:
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "\u2026"


def summary_text(answers: Mapping[str, Mapping[str, Any]], flags: Iterable[Mapping[str, Any]] = ()) -> str:
    """A short plain-text summary, by section, in the patient's own words where we have them."""
    lines: list[str] = []
    for section in SECTIONS:
        shown = []
        for key, answer in answers.items():
            question = QUESTION_BY_KEY.get(key)
            if question is None or question.section != section.key:
                continue
            value = None if answer.get("status") == "skipped" else answer.get("value")
            if question.kind == "text" and value not in (None, "none"):
                value = answer.get("verbatim")
            shown.append(f"- {question.label}: {display_value(key, value if value is not None else SKIPPED)}")
        if shown:
            lines.append(f"{section.title}:")
            lines.extend(shown)
    for flag in flags:
        lines.append(f"FLAG ({flag.get('kind')}): {flag.get('message') or ''}".rstrip())
    return "\n".join(lines)
