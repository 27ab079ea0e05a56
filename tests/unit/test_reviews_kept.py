"""What the review wordings read right stays right (bench/reviews_check.py, bench/results/reviews_right.json).

The reviews were written blind against the readers' diffs; their worse lists were mended, so they are development
data. This holds the readers to what they already get right: a later change that reads one of these wrong fails
here, and must say why in its commit and write the file again (`python -m bench.reviews_check --write`).
"""

import json

from bench.reviews_check import KEPT, is_right, reading, right_now, wordings


def test_every_review_wording_read_right_is_still_read_right():
    kept = set(json.loads(KEPT.read_text(encoding="utf-8"))["right"])
    results, items = right_now(), dict(wordings())
    assert kept and kept <= set(results), "an id kept is no longer in bench/reviews: write the file again"
    wrong = [
        f"{ident}: {items[ident]['text']!r} read as {reading(items[ident])!r}, right is {items[ident]['right']!r}"
        for ident in sorted(kept)
        if not results[ident]
    ]
    assert not wrong, "\n".join(wrong)


def test_a_wrong_reading_is_seen_as_wrong():
    answer = {"kind": "answer", "key": "ons_happy", "text": "7", "right": 3}
    assert not is_right(answer, reading(answer)) and is_right({**answer, "right": [3, 7]}, 7)
    risk = {"kind": "risk", "text": "I want to kill myself", "right": False}
    assert reading(risk) is True and not is_right(risk, True)
