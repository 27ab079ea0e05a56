"""Answer readers on wordings nobody here wrote: how often is a closed question's answer read right?

    .venv/bin/python -m bench.readers_probe                                  # bench/readers/dev.yml
    .venv/bin/python -m bench.readers_probe --set bench/readers/other.yml --quiet

Why it exists: the readers' own tables (tests/unit/test_readers.py) hold wordings we wrote, so they
cannot show how the readers fare with people who word things their own way. bench/readers/dev.yml
was written blind by a helper who saw only the bot's questions and option codes, each answer with
what a careful link worker would record from it. It is a development set: the readers were improved
on it (like bench/risk/fresh.yml for the risk thresholds), so its figures are optimistic; the
unbiased measure is the persona probes (`make converse-probe`), run once after.

Each answer goes through `bot.intake.turn.take_turn` exactly as the intake reads a first reply
(no intent from the classifier, no risk). Right means: the codes expected (any order), `unclear` when
the reader asks again, `none` when it records nothing, `keep` when it keeps the person's words,
`answered` when it saves any choice, `returning` when it welcomes the person back and asks again,
`change` when the read-back goes to changing a part, a list of question keys at the read-back when
exactly those parts (and nothing outside their sections) are asked again, `which` when the bot asks
which part, `not_registered` / `unknown` for the GP practice. An item's `answers` are the saved
answers it is read with (the read-back the person saw). bench/readers/returning_*.yml hold people
coming back after a pause; readback_*.yml change requests at the read-back, phone numbers, GP practices.
Figures go to bench/results/readers_probe.json.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path
from typing import Any, Optional

import yaml

from bot.intake.questions import CONFIRMED, NOT_REGISTERED, QUESTION_BY_KEY, SKIPPED
from bot.intake.turn import take_turn
from bot.intake.validation import Outcome
from bot.settings import PROJECT_ROOT

DEV_SET = PROJECT_ROOT / "bench" / "readers" / "dev.yml"
RESULTS = PROJECT_ROOT / "bench" / "results"


def log(message: str) -> None:
    print(f"[readers-probe] {message}", flush=True)


def read(key: str, item: dict[str, Any]) -> tuple[bool, Any]:
    """(right, what the turn made of it) for one answer of the set."""
    answers = item.get("answers") or ({"life_areas": item.get("chosen", [])} if key == "top_areas" else {})
    outcome = take_turn(key, str(item["text"]), None, answers)
    expected = item["expect"]
    returned = not outcome.accepted and outcome.responses[:1] == ["utter_welcome_back"]
    got = outcome.value if outcome.accepted else "returning" if returned else "unclear"
    if key == CONFIRMED and (isinstance(expected, list) or expected == "which"):
        return _changed_right(outcome, expected)
    if expected == "returning":
        return returned, got
    if expected == "not_registered":
        return got == NOT_REGISTERED, got
    if expected == "unknown":  # "can't remember the name": anything kept, but never "not registered"
        return outcome.accepted and got != NOT_REGISTERED, got
    if expected == "unclear":
        return not outcome.accepted, got
    if expected == "change":
        changing = bool(outcome.clear) or outcome.responses[:1] in (["utter_which_section"], ["utter_ok_change"])
        return not outcome.accepted and changing, got
    if not outcome.accepted:
        return False, got
    if expected == "answered":
        return True, got
    if expected == "none":  # nothing recorded, as the persona probe reads it: "none", or skipped
        return got in ("none", ["none"], SKIPPED), got
    if expected == "keep":
        return got not in ("none", ["none"], NOT_REGISTERED) and isinstance(got, str), got
    if isinstance(expected, list):
        return isinstance(got, list) and set(got) == set(expected), got
    if key == "language" and isinstance(expected, str) and isinstance(got, str) and expected != "english":
        # As the persona probe reads it: the language named is in what is saved ("British Sign Language (BSL)").
        return expected.casefold() in got.casefold(), got
    if isinstance(expected, str) and isinstance(got, str):
        return got.casefold() == expected.casefold(), got  # a name kept as typed: "mary-jane" is Mary-Jane
    return got == expected, got


def _changed_right(outcome: Outcome, expected: Any) -> tuple[bool, Any]:
    """A change request at the read-back: the parts named are asked again, and nothing outside their
    sections; "which" when the bot must ask which part."""
    clear = set(outcome.clear or [])
    if expected == "which":
        return not outcome.accepted and not clear and outcome.responses[:1] == ["utter_which_section"], sorted(clear)
    sections = {QUESTION_BY_KEY[k].section for k in expected}
    right = set(expected) <= clear and all(QUESTION_BY_KEY[k].section in sections for k in clear)
    return right, sorted(clear) or ("sent" if outcome.accepted else outcome.responses[:1])


def probe(path: Path) -> dict[str, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    results: dict[str, Any] = {"set": str(path.relative_to(PROJECT_ROOT)), "questions": {}}
    right_all = total_all = 0
    for key, items in data.items():
        if key.startswith("_"):
            continue  # shared values (the read-back shown), referred to by the items
        misread = []
        right = 0
        for item in items or []:
            ok, got = read(key, item)
            right += ok
            if not ok:
                misread.append({"text": item["text"], "expected": item["expect"], "read": got})
        results["questions"][key] = {"n": len(items or []), "right": right, "misread": misread}
        right_all += right
        total_all += len(items or [])
    results["right"], results["n"] = right_all, total_all
    return results


def misread_as(misread: list[dict[str, Any]]) -> dict[str, int]:
    """How a held-out set's answers were misread, as counts of "expected -> read" and never the answers: a yes read
    as a no is a different harm from a yes asked again."""
    pairs = Counter(f"{_shown(m['expected'])} -> {_shown(m['read'])}" for m in misread)
    return dict(sorted(pairs.items(), key=lambda pair: (-pair[1], pair[0])))


def _shown(value: Any) -> str:
    """A reading as a kind: a list of parts or codes is "parts", so the counts never say which parts a held-out item
    named."""
    if isinstance(value, list):
        return "parts" if value else "none"
    return json.dumps(value) if not isinstance(value, str) else value


def main(argv: Optional[list[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--set", type=Path, default=DEV_SET, help="answer set (default: %(default)s)")
    parser.add_argument("--out", default="readers_probe.json", help="file name under bench/results")
    parser.add_argument("--quiet", action="store_true", help="figures only, not the answers misread")
    parser.add_argument(
        "--blind", action="store_true", help="a held-out set: figures only, its answers neither printed nor written"
    )
    args = parser.parse_args(argv)
    results = probe(args.set.resolve())
    if args.blind:
        args.quiet = True
        for figures in results["questions"].values():
            figures["misread_as"] = misread_as(figures["misread"])
            figures["misread"] = len(figures["misread"])
    for key, figures in results["questions"].items():
        log(f"{key}: {figures['right']}/{figures['n']} read right ({figures['right'] / max(figures['n'], 1):.1%})")
        if figures.get("misread_as"):
            log(
                "    misread (expected -> read, counts only): "
                + ", ".join(f"{k}: {v}" for k, v in figures["misread_as"].items())
            )
        if not args.quiet:
            for miss in figures["misread"]:
                log(f"    {miss['text']!r}: expected {miss['expected']}, read {miss['read']}")
    log(f"all: {results['right']}/{results['n']} ({results['right'] / max(results['n'], 1):.1%})")
    (RESULTS / args.out).write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    log(f"figures written to bench/results/{args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
