"""The review wordings (bench/reviews/*.jsonl) read by today's readers: which are read right, per file.

    .venv/bin/python -m bench.reviews_check            # print the figures
    .venv/bin/python -m bench.reviews_check --write    # and keep the wordings read right now

Why it exists: each review helper wrote wordings of its own with what each should read as, and the
worse lists were read and mended, so they are development data, not a measure. What they can do is
hold on to what is right: `--write` keeps the ids of the wordings read right in
bench/results/reviews_right.json, and tests/unit/test_reviews_kept.py fails when a later change to
the readers or the phrase list reads one of them wrong. A change that reads some wrong on purpose
says so and writes the file again.

An answer line is read as the intake reads a first reply to its question
(`bot.intake.validation.interpret(key, text, None, {}, 0)`): its value when accepted, "ASK" when the
bot asks again; right when it equals `right` (or one of them, when `right` is a list of fair
readings). A risk line is right when the phrase list reads a disclosure in it (a hedged match too)
exactly when `right` is true.
"""

from __future__ import annotations

import argparse
import json
from typing import Any, Iterator

from bot.intake.risk import detect_risk
from bot.intake.validation import interpret
from bot.settings import PROJECT_ROOT

REVIEWS = PROJECT_ROOT / "bench" / "reviews"
KEPT = PROJECT_ROOT / "bench" / "results" / "reviews_right.json"
ASK = "ASK"


def wordings() -> Iterator[tuple[str, dict[str, Any]]]:
    """Every review wording with its id ("<file>:<line number from 1>")."""
    for path in sorted(REVIEWS.glob("*.jsonl")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if line.strip():
                yield f"{path.name}:{number}", json.loads(line)


def reading(item: dict[str, Any]) -> Any:
    """What today's readers make of one wording, in the file's terms."""
    if item["kind"] == "risk":
        return detect_risk(item["text"]) is not None
    outcome = interpret(item["key"], item["text"], None, {}, 0)
    return json.loads(json.dumps(outcome.value)) if outcome.accepted else ASK


def is_right(item: dict[str, Any], read: Any) -> bool:
    right = item["right"]
    if item["kind"] == "answer" and isinstance(right, list) and not isinstance(read, list):
        return read in right  # a list of fair readings (a choice question's codes are a list too)
    return bool(read == right)


def right_now() -> dict[str, bool]:
    """Each wording's id and whether it is read right."""
    return {ident: is_right(item, reading(item)) for ident, item in wordings()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help=f"keep the ids read right in {KEPT.name}")
    args = parser.parse_args()
    print("[reviews-check] reading the review wordings...", flush=True)
    results = right_now()
    by_file: dict[str, list[int]] = {}
    for ident, right in results.items():
        counts = by_file.setdefault(ident.split(":")[0], [0, 0])
        counts[0] += right
        counts[1] += 1
    for name, (right, total) in by_file.items():
        print(f"{name}: {right}/{total} read right")
    total_right = sum(results.values())
    print(f"all: {total_right}/{len(results)} read right")
    if args.write:
        kept = sorted(ident for ident, right in results.items() if right)
        KEPT.write_text(json.dumps({"right": kept}, indent=1) + "\n", encoding="utf-8")
        print(f"[reviews-check] {len(kept)} ids kept in {KEPT.relative_to(PROJECT_ROOT)}")


if __name__ == "__main__":
    main()
