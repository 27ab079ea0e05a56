"""How stored values read to a person: labels not codes, and how long someone has waited.

Presentation only, shared by the summary text, the pages and the command line;
nothing here decides anything about an intake.
"""

from __future__ import annotations

from datetime import datetime
from typing import Optional

from bot.db.models import aware, utcnow
from bot.intake.normalise import labels_for
from bot.intake.questions import LIFE_AREAS, QUESTION_BY_KEY, SKIPPED

AREA_LABELS = {option.code: option.label for option in LIFE_AREAS}


def display_value(key: str, value: object) -> str:
    """A stored value as a person reads it (labels, not codes)."""
    if value == SKIPPED or value is None:
        return "Not answered"
    question = QUESTION_BY_KEY.get(key)
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if question is not None and question.options:
        codes = [str(code) for code in (value if isinstance(value, list) else [value])]
        return ", ".join(labels_for(codes, question.options))
    if key == "top_areas" and isinstance(value, list):
        return ", ".join(labels_for([str(code) for code in value], LIFE_AREAS))
    if isinstance(value, int) and key.startswith("ons_"):
        return f"{value} out of 10"
    if value == "none":
        return "None"
    return str(value)


def area_labels(codes: list[str]) -> list[str]:
    return [AREA_LABELS.get(code, code) for code in codes]


def area_choices() -> list[tuple[str, str]]:
    return [(option.code, option.label) for option in LIFE_AREAS]


def waiting_text(since: Optional[datetime], now: Optional[datetime] = None) -> str:
    """'5 minutes', '3 hours', '2 days': how long someone has been waiting."""
    since = aware(since)
    if since is None:
        return ""
    seconds = max(0, int(((now or utcnow()) - since).total_seconds()))
    for size, unit in ((86400, "day"), (3600, "hour"), (60, "minute")):
        if seconds >= size:
            count = seconds // size
            return f"{count} {unit}{'' if count == 1 else 's'}"
    return "less than a minute"
