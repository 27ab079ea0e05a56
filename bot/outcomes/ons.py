"""ONS4 personal wellbeing: the four measures, their bands, and baseline against follow-up.

The four are reported separately and never summed. Higher is better for three of them;
for anxiety, lower is better. The bands are the ones ONS publishes its thresholds in.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping, Optional

MEASURES = ("life_satisfaction", "worthwhile", "happy", "anxious")
"""In the order they are asked; each is stored under the question key "ons_" + measure."""

LABELS = {
    "life_satisfaction": "Life satisfaction",
    "worthwhile": "Things done in life are worthwhile",
    "happy": "Happiness yesterday",
    "anxious": "Anxiety yesterday",
}

_POSITIVE_BANDS = ((4, "Low"), (6, "Medium"), (8, "High"), (10, "Very high"))
_ANXIETY_BANDS = ((1, "Very low"), (3, "Low"), (5, "Medium"), (10, "High"))


def key_of(measure: str) -> str:
    return f"ons_{measure}"


def higher_is_better(measure: str) -> bool:
    return measure != "anxious"


def band(measure: str, score: Optional[int]) -> Optional[str]:
    """ONS's band of a 0-10 score: life satisfaction, worthwhile and happy 0-4 low, 5-6 medium,
    7-8 high, 9-10 very high; anxiety 0-1 very low, 2-3 low, 4-5 medium, 6-10 high."""
    if score is None:
        return None
    for upper, name in _ANXIETY_BANDS if measure == "anxious" else _POSITIVE_BANDS:
        if score <= upper:
            return name
    raise ValueError(f"an ONS4 score is 0 to 10, not {score}")


@dataclass(frozen=True)
class Comparison:
    """One measure, before and after, for one person."""

    measure: str
    label: str
    baseline: Optional[int]
    follow_up: Optional[int]

    @property
    def change(self) -> Optional[int]:
        if self.baseline is None or self.follow_up is None:
            return None
        return self.follow_up - self.baseline

    @property
    def baseline_band(self) -> Optional[str]:
        return band(self.measure, self.baseline)

    @property
    def follow_up_band(self) -> Optional[str]:
        return band(self.measure, self.follow_up)

    @property
    def better(self) -> Optional[bool]:
        """True when the change is for the better (anxiety down, the others up); None when unchanged or unknown."""
        change = self.change
        if not change:
            return None
        return (change > 0) == higher_is_better(self.measure)


def compare(baseline: Mapping[str, Optional[int]], follow_up: Mapping[str, Optional[int]]) -> list[Comparison]:
    """The four measures side by side; each mapping is measure -> score (None or absent: not answered)."""
    return [Comparison(m, LABELS[m], baseline.get(m), follow_up.get(m)) for m in MEASURES]
