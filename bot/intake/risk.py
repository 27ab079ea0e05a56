"""Spot disclosures of risk in any message, independently of the intent classifier.

The phrase list is data (`data/safety/risk_phrases.yml`), reviewed by people
and covered by tests. Each entry is a regular expression matched against a
simplified form of the message (lower case, curly quotes straightened,
repeated spaces folded). A missed disclosure is far worse than a false alarm,
so negation is deliberately not handled: "I'm not suicidal" still reaches a
person, and the patient can carry on.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Optional

import yaml

PHRASES_FILE = Path(__file__).resolve().parents[2] / "data" / "safety" / "risk_phrases.yml"

CATEGORIES = ("suicide", "self_harm", "harm_to_others", "abuse", "medical_emergency")


@dataclass(frozen=True)
class RiskMatch:
    category: str
    pattern: str


def simplify(text: str) -> str:
    text = text.lower()
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("`", "'")
    text = re.sub(r"[^\w\s']", " ", text)
    return re.sub(r"\s+", " ", text).strip()


@lru_cache(maxsize=4)
def load_patterns(path: str = str(PHRASES_FILE)) -> tuple[tuple[str, re.Pattern[str]], ...]:
    with open(path, encoding="utf-8") as handle:
        data = yaml.safe_load(handle)
    compiled = []
    for category, patterns in data["categories"].items():
        if category not in CATEGORIES:
            raise ValueError(f"unknown risk category {category!r} in {path}")
        for pattern in patterns:
            compiled.append((category, re.compile(rf"(?<!\w){pattern}(?!\w)")))
    return tuple(compiled)


def detect_risk(text: Optional[str]) -> Optional[RiskMatch]:
    """The first risk category the message discloses, or None."""
    if not text:
        return None
    simple = simplify(text)
    for category, pattern in load_patterns():
        if pattern.search(simple):
            return RiskMatch(category, pattern.pattern)
    return None
