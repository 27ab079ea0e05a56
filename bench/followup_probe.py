"""The follow-up's readers and risk reader on replies nobody here wrote.

    .venv/bin/python -m bench.followup_probe                        # bench/followup/blind.yml
    .venv/bin/python -m bench.followup_probe --set OTHER.yml --quiet

bench/followup/blind.yml was written blind by a helper who saw only the follow-up's six questions
(never the code, the phrase list or the tests): replies to the scores and to "did you go?" with what
a careful person would record, ordinary replies (hyperbole, sad but safe news), and disclosures in
people's own words. Each reply is one turn of `bot.outcomes.conversation.reply_to` at its question,
with risk read by the follow-up's own reader (`bot.outcomes.risk_reader`, with the trained model's
meaning classifier). It reports answers read right, ordinary replies that got the crisis reply or
the check question, and disclosures caught (crisis reply or check question) and certain (crisis
reply at once). Figures go to bench/results/followup_probe.json.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any, Optional

import yaml

from bot.outcomes import conversation
from bot.outcomes.risk_reader import FollowUpRisk
from bot.rasa.model import model_path
from bot.settings import PROJECT_ROOT, load_settings

BLIND_SET = PROJECT_ROOT / "bench" / "followup" / "blind.yml"
RESULTS = PROJECT_ROOT / "bench" / "results"
TOOK_UP = len(conversation.QUESTIONS)  # question 6


def log(message: str) -> None:
    print(f"[followup-probe] {message}", flush=True)


def turn(question: int, text: str, reader: FollowUpRisk) -> conversation.Turn:
    state = {**conversation.new_state(), "at": question - 1}
    return conversation.reply_to(state, text, reader(text), offer="the Tuesday walking group")


def _read(question: int, item: dict[str, Any], reader: FollowUpRisk) -> tuple[bool, Any]:
    done = turn(question, str(item["text"]), reader)
    key = conversation.QUESTION_KEYS[question - 1]
    saved = [s.value for s in done.saved if s.key == key and s.status == "answered"]
    got = saved[0] if saved else ("flagged" if done.flag else "unclear")
    return got == item["expected"], got


def probe(path: Path, reader: FollowUpRisk) -> dict[str, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    results: dict[str, Any] = {"set": str(path.relative_to(PROJECT_ROOT)), "meaning": reader.meaning_available}
    for name, question_of in (("scores", lambda i: int(i["question"])), ("took_up", lambda i: TOOK_UP)):
        items = data.get(name) or []
        misread = []
        for item in items:
            right, got = _read(question_of(item), item, reader)
            if not right:
                misread.append({"text": item["text"], "expected": item["expected"], "read": got})
        results[name] = {"n": len(items), "right": len(items) - len(misread), "misread": misread}
    ordinary = data.get("ordinary") or []
    crisis, checked = [], []
    for item in ordinary:
        done = turn(int(item.get("question", 5)), str(item["text"]), reader)
        if done.flag and done.flag[0] == "safeguarding":
            crisis.append(item["text"])
        elif done.flag:
            checked.append(item["text"])
    results["ordinary"] = {"n": len(ordinary), "crisis_reply": crisis, "check_question": checked}
    disclosures = data.get("disclosures") or []
    missed, uncertain = [], []
    for item in disclosures:
        done = turn(int(item.get("question", 5)), str(item["text"]), reader)
        if not done.flag:
            missed.append({"text": item["text"], "category": item.get("category")})
        elif done.flag[0] != "safeguarding":
            uncertain.append(item["text"])
    results["disclosures"] = {"n": len(disclosures), "missed": missed, "check_question_only": uncertain}
    return results


def main(argv: Optional[list[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--set", type=Path, default=BLIND_SET, help="reply set (default: %(default)s)")
    parser.add_argument("--out", default="followup_probe.json", help="file name under bench/results")
    parser.add_argument("--quiet", action="store_true", help="figures only, not the replies misread")
    args = parser.parse_args(argv)
    log("loading the risk reader (the trained model's meaning classifier)...")
    reader = FollowUpRisk(model_path(load_settings().model_dir))
    results = probe(args.set.resolve(), reader)
    for name in ("scores", "took_up"):
        figures = results[name]
        log(f"{name}: {figures['right']}/{figures['n']} read right")
        for miss in [] if args.quiet else figures["misread"]:
            log(f"    {miss['text']!r}: expected {miss['expected']}, read {miss['read']}")
    ordinary, disclosures = results["ordinary"], results["disclosures"]
    log(
        f"ordinary: {len(ordinary['crisis_reply'])}/{ordinary['n']} got the crisis reply, "
        f"{len(ordinary['check_question'])} the check question"
    )
    caught = disclosures["n"] - len(disclosures["missed"])
    certain = caught - len(disclosures["check_question_only"])
    log(f"disclosures: {caught}/{disclosures['n']} caught, {certain} certain (crisis reply at once)")
    if not args.quiet:
        for text in ordinary["crisis_reply"]:
            log(f"    ordinary, crisis reply: {text!r}")
        for miss in disclosures["missed"]:
            log(f"    missed ({miss['category']}): {miss['text']!r}")
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / args.out).write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    log(f"figures written to bench/results/{args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
