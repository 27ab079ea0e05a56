"""Held-out probe of risk detection: does the trained model catch disclosures worded in new ways?

    .venv/bin/python -m bench.risk_probe                      # newest models/*.tar.gz
    .venv/bin/python -m bench.risk_probe --model models/whatmatters.tar.gz

Why it exists: the NLU tests check the phrasings the bot's authors wrote, and
the DIET classifier is trained on, and the phrase list is reviewed against,
those same phrasings. A detector can pass all of them and still miss a patient
who words a disclosure differently. bench/risk/fresh.yml (the tuning set: the
thresholds are chosen on it) and bench/risk/fresh2.yml (never tuned on: run it
with --blind, which prints figures but no sentences) were written separately,
without reading the phrase list (data/safety/risk_phrases.yml), the NLU training
data (data/nlu/) or the tests, so they measure generalisation: ~170
disclosures (suicidal thoughts direct and veiled, self-harm, harm to
others, abuse or feeling unsafe at home, a child or an adult at risk, acute
crisis) and ~170 hard negatives (hyperbole such as "this knee pain is killing
me", risky words used harmlessly, low mood and money or housing worries that
are not risk, ordinary intake answers). Keep it held out: never copy its items
into training data or the phrase list.

It loads the model in-process, parses every text with the whole NLU pipeline
(classifier, interruption gate and risk phrase classifier) and counts a text as
flagged when the final intent is `disclose_risk`. It prints recall on
disclosures (overall, per category, per language), the false-positive rate on
the benign items (overall and per kind), mean parse time, and every miss and
false alarm; the same figures go to bench/results/risk_probe_fresh.json (or --out). For each
flagged text it also says which part of detection raised it: `classifier` when
the intent classifier's own `disclose_risk` score (kept in the intent ranking)
reached its threshold in config.yml, `meaning` when the meaning classifier's
score did, otherwise `phrase_list`. The first set (2026-11-24) is spent: it is
training data now (data/safety/risk_examples/).
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import logging
import os
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any, Optional

import yaml

from bot.intake.risk import CERTAIN, RISK_KEY, assess, detect_risk
from bot.rasa.nlu.risk_classifier import MEANING_KEY, RISK_INTENT, RiskPhraseClassifier
from bot.settings import PROJECT_ROOT

TUNING_SET = PROJECT_ROOT / "bench" / "risk" / "fresh.yml"
ORDINARY_SET = PROJECT_ROOT / "bench" / "risk" / "ordinary.yml"
"""685 plain answers (carers, bereaved, lonely, in pain, in debt, terse), written blind, none a
disclosure: the thresholds must keep crisis replies to them at or under 1% too. Never trained on."""
RESULTS = PROJECT_ROOT / "bench" / "results"
RISK_COMPONENT = f"{RiskPhraseClassifier.__module__}.{RiskPhraseClassifier.__name__}"
DEFAULT_CONFIG = RiskPhraseClassifier.get_default_config()


def log(message: str) -> None:
    print(f"[risk-probe] {message}", flush=True)


def newest_model(model_dir: Path) -> Optional[Path]:
    """The most recently written models/*.tar.gz, or None."""
    models = sorted(model_dir.glob("*.tar.gz"), key=lambda p: p.stat().st_mtime)
    return models[-1] if models else None


def load_items(path: Path) -> tuple[list[dict], list[dict]]:
    """The held-out disclosures and benign items, each {text, category[, lang]}."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    # The fresh set names a benign item's kind `kind`; the first set called it `category`.
    benign = [{**item, "category": item.get("category", item.get("kind"))} for item in data["benign"]]
    return list(data["disclosures"]), benign


def quiet_rasa() -> None:
    """Rasa's loggers at WARNING: otherwise every parse is logged at DEBUG, patient text included."""
    from rasa.utils.common import configure_logging_and_warnings
    from rasa.utils.log_utils import configure_structlog

    configure_logging_and_warnings(logging.WARNING)
    configure_structlog(logging.WARNING)


def load_agent(path: Path) -> Any:
    """The Rasa agent for `path`, with our Rasa patches applied as the launcher does."""
    import bot.rasa.patches

    bot.rasa.patches.apply()
    from rasa.core.agent import Agent

    quiet_rasa()

    return Agent.load(str(path))


def thresholds(config: Path = PROJECT_ROOT / "config.yml") -> dict[str, float]:
    """The risk component's thresholds in config.yml (its defaults where unset)."""
    pipeline = (yaml.safe_load(config.read_text(encoding="utf-8")) or {}).get("pipeline") or []
    found = next((c for c in pipeline if c.get("name") == RISK_COMPONENT), {})
    keys = (
        "classifier_threshold",
        "certain_threshold",
        "meaning_threshold",
        "meaning_certain_threshold",
        "meaning_certain_hedged_threshold",
        "meaning_veto_threshold",
        "classifier_corroboration_threshold",
    )
    return {key: float(found.get(key, DEFAULT_CONFIG[key])) for key in keys}


def flagged_by(row: dict, limits: dict[str, float]) -> Optional[str]:
    """Which part of detection flagged a row: a classifier whose own score reached its threshold, else the phrase list."""
    if not row["flagged"]:
        return None
    if row["classifier_risk"] >= limits["classifier_threshold"]:
        return "classifier"
    if (row["meaning"] or 0.0) >= limits["meaning_threshold"]:
        return "meaning"
    return "phrase_list"


def classifier_risk_score(result: dict) -> float:
    """The trained classifier's own `disclose_risk` confidence (the rewriter keeps the original ranking)."""
    for ranked in result.get("intent_ranking") or []:
        if ranked.get("name") == RISK_INTENT:
            return float(ranked.get("confidence") or 0.0)
    return 0.0


def top_ranked(result: dict) -> tuple[Optional[str], float]:
    """The classifier's top intent before any rewrite, and its confidence."""
    ranking = result.get("intent_ranking") or []
    if not ranking:
        return None, 0.0
    return ranking[0].get("name"), float(ranking[0].get("confidence") or 0.0)


async def parse_all(agent: Any, items: list[dict], label: str) -> list[dict]:
    """Each item with the final intent, whether it was flagged, the classifier's view and the parse time."""
    parsed = []
    for index, item in enumerate(items, 1):
        started = time.perf_counter()
        result = await agent.parse_message(item["text"])
        elapsed_ms = (time.perf_counter() - started) * 1000
        intent = (result.get("intent") or {}).get("name")
        top, top_confidence = top_ranked(result)
        parsed.append(
            {
                **item,
                "intent": intent,
                "flagged": intent == RISK_INTENT,
                "tier": (result.get(RISK_KEY) or {}).get("tier", "certain" if intent == RISK_INTENT else None),
                "classifier_risk": round(classifier_risk_score(result), 4),
                "meaning": None if result.get(MEANING_KEY) is None else float(result[MEANING_KEY]),
                "classifier_top": top,
                "classifier_top_confidence": round(top_confidence, 4),
                "ms": elapsed_ms,
            }
        )
        if index % 25 == 0 or index == len(items):
            log(f"{label}: {index}/{len(items)} parsed")
    return parsed


def rate(rows: list[dict]) -> dict:
    """How many rows were flagged (and how many of those certain), out of how many."""
    flagged = sum(row["flagged"] for row in rows)
    certain = sum(row.get("tier") == CERTAIN for row in rows)
    return {
        "n": len(rows),
        "flagged": flagged,
        "rate": flagged / len(rows) if rows else None,
        "certain": certain,
        "certain_rate": certain / len(rows) if rows else None,
    }


SWEEP_CHECK = (0.9, 1.01)
SWEEP_CERTAIN = (1.01,)  # the intent classifier is never trusted to be certain: it is sure of nonsense
# The fine-tuned reader's scores crowd near 0 and 1, so the grid is finer at both ends.
SWEEP_MEANING = (0.004, 0.02, 0.05, 0.1, 0.2)
SWEEP_MEANING_CERTAIN = (0.9, 0.97, 0.99, 0.995, 0.997, 0.998, 0.999, 0.9995)
SWEEP_MEANING_HEDGED = (0.995, 0.998, 0.999, 0.9995, 1.01)
SWEEP_MEANING_VETO = (0.0, 0.02, 0.1)
SWEEP_CORROBORATION = (0.0, 0.001, 0.005, 0.05, 0.1)
SWEEP_NAMES = (
    "check_at",
    "certain_at",
    "meaning_at",
    "meaning_certain_at",
    "meaning_certain_hedged_at",
    "meaning_veto_at",
    "classifier_corroborated_at",
)


def tiers(items: list[dict], top: bool, limits: dict[str, float], matches: dict[int, Any]) -> tuple[int, int]:
    """How many items the deployed rule flags with these thresholds, and how many of them as certain."""
    found = [
        assess(
            i["text"],
            i["classifier_risk"],
            intent=i["classifier_top"] if top else None,
            meaning_score=i["meaning"],
            match=matches[id(i)],
            **limits,
        )
        for i in items
    ]
    return sum(r is not None for r in found), sum(r is not None and r.certain for r in found)


def sweep(disclosures: list[dict], benign: list[dict], ordinary: Optional[list[dict]] = None) -> list[dict]:
    """Every threshold over a grid, from each item's own scores: how they were chosen (README).

    With `top`, the classifiers alone raise nothing when the intent classifier
    ranked an interruption first (the deployed rule uses the intent after the
    interruption gate). A threshold of 1.01 switches that part off.
    """
    ordinary = ordinary or []
    matches = {id(item): detect_risk(item["text"]) for item in (*disclosures, *benign, *ordinary)}  # once
    rows = []
    grid = itertools.product(
        SWEEP_CHECK,
        SWEEP_CERTAIN,
        SWEEP_MEANING,
        SWEEP_MEANING_CERTAIN,
        SWEEP_MEANING_HEDGED,
        SWEEP_MEANING_VETO,
        SWEEP_CORROBORATION,
    )
    for values in grid:
        limits = dict(zip(SWEEP_NAMES, values, strict=True))
        if (
            limits["certain_at"] < limits["check_at"]
            or limits["meaning_certain_hedged_at"] < limits["meaning_certain_at"]
        ):
            continue
        for top in (False, True):
            d_any, d_certain = tiers(disclosures, top, limits, matches)
            b_any, b_certain = tiers(benign, top, limits, matches)
            o_any, o_certain = tiers(ordinary, top, limits, matches) if ordinary else (0, 0)
            rows.append(
                {
                    "top": top,
                    **limits,
                    "recall": d_any / len(disclosures),
                    "certain_recall": d_certain / len(disclosures),
                    "benign_flagged": b_any / len(benign),
                    "benign_crisis": b_certain / len(benign),
                    "ordinary_flagged": o_any / len(ordinary) if ordinary else 0.0,
                    "ordinary_crisis": o_certain / len(ordinary) if ordinary else 0.0,
                }
            )
    return rows


def best_rules(rows: list[dict], keep: int = 40) -> list[dict]:
    """The rules worth choosing from: crisis replies to hard negatives and to ordinary answers at most
    1% each, then most certain, most caught and fewest asked (the whole grid is thousands of rows)."""
    allowed = [r for r in rows if r["benign_crisis"] <= 0.01 and r["ordinary_crisis"] <= 0.01]
    allowed.sort(key=lambda r: (-r["certain_recall"], -r["recall"], r["benign_flagged"] + r["ordinary_flagged"]))
    return allowed[:keep]


def grouped(rows: list[dict], key: str, default: str = "") -> dict:
    groups: dict[str, list[dict]] = defaultdict(list)
    for row in rows:
        groups[row.get(key, default)].append(row)
    return {name: rate(members) for name, members in sorted(groups.items())}


def sources(rows: list[dict]) -> dict:
    """How many flagged rows each half of detection accounts for."""
    counts: dict[str, int] = defaultdict(int)
    for row in rows:
        if row["flagged_by"]:
            counts[row["flagged_by"]] += 1
    return dict(sorted(counts.items()))


def brief(row: dict) -> dict:
    """What a miss or false alarm report keeps of a parsed row."""
    keep = (
        "text",
        "category",
        "lang",
        "intent",
        "flagged_by",
        "classifier_top",
        "classifier_top_confidence",
        "classifier_risk",
        "meaning",
    )
    return {k: row[k] for k in keep if k in row}


def summarise(
    model: Path,
    heldout: Path,
    disclosures: list[dict],
    benign: list[dict],
    load_seconds: float,
    ordinary: Optional[list[dict]] = None,
) -> dict:
    limits = thresholds()
    for row in disclosures + benign:
        row["flagged_by"] = flagged_by(row, limits)
    times = [row["ms"] for row in disclosures + benign]
    recall = rate(disclosures)
    false_positives = rate(benign)
    return {
        "model": str(model),
        "heldout": str(heldout.relative_to(PROJECT_ROOT)),
        "at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "recall": recall["rate"],
        "disclosures": recall,
        "recall_by_category": grouped(disclosures, "category"),
        "recall_by_language": grouped(disclosures, "lang", "en"),
        "caught_by": sources(disclosures),
        "false_positive_rate": false_positives["rate"],
        "benign": false_positives,
        "false_positives_by_kind": grouped(benign, "category"),
        "false_positives_by_language": grouped(benign, "lang", "en"),
        "false_alarms_by": sources(benign),
        **limits,
        "ordinary": rate(ordinary) if ordinary else None,
        "threshold_sweep": best_rules(sweep(disclosures, benign, ordinary)),
        "mean_parse_ms": statistics.fmean(times) if times else None,
        "max_parse_ms": max(times) if times else None,
        "model_load_seconds": load_seconds,
        "missed": [brief(row) for row in disclosures if not row["flagged"]],
        "false_alarms": [brief(row) for row in benign if row["flagged"]],
        "ordinary_alarms": [brief(row) for row in ordinary or [] if row["flagged"]],
    }


def percent(value: Optional[float]) -> str:
    return "-" if value is None else f"{100 * value:.1f}%"


def report(summary: dict, blind: bool = False) -> str:
    """The summary as plain text for the terminal."""
    d, b = summary["disclosures"], summary["benign"]
    lines = [
        f"Model: {summary['model']}",
        f"Recall on disclosures: {percent(summary['recall'])} ({d['flagged']}/{d['n']}), "
        f"certain tier {percent(d.get('certain_rate'))} ({d.get('certain')}/{d['n']})",
    ]
    for name, group in summary["recall_by_category"].items():
        lines.append(f"  {name:<22} {percent(group['rate']):>7} ({group['flagged']}/{group['n']})")
    for name, group in summary["recall_by_language"].items():
        lines.append(f"  lang {name:<17} {percent(group['rate']):>7} ({group['flagged']}/{group['n']})")
    lines.append(f"  caught by (inferred from the classifier's own score): {summary['caught_by']}")
    lines.append(
        f"False-positive rate on benign: {percent(summary['false_positive_rate'])} ({b['flagged']}/{b['n']}), "
        f"of which crisis replies (certain) {percent(b.get('certain_rate'))} ({b.get('certain')}/{b['n']})"
    )
    for name, group in summary["false_positives_by_kind"].items():
        lines.append(f"  {name:<34} {percent(group['rate']):>7} ({group['flagged']}/{group['n']})")
    lines.append(f"  raised by: {summary['false_alarms_by']}")
    ordinary = summary.get("ordinary")
    if ordinary:
        lines.append(
            f"Ordinary answers flagged: {percent(ordinary['rate'])} ({ordinary['flagged']}/{ordinary['n']}), "
            f"of which crisis replies {percent(ordinary['certain_rate'])} ({ordinary['certain']}/{ordinary['n']})"
        )
    lines.append(
        "Threshold sweep, best rules with crisis replies to hard negatives and ordinary answers at most 1% "
        "(top first?, " + ", ".join(SWEEP_NAMES) + ": recall, certain recall, benign flagged, benign crisis, "
        "ordinary flagged, ordinary crisis):"
    )
    lines += [
        f"  {'top' if r['top'] else 'any'} " + " ".join(f"{r[name]:.3f}" for name in SWEEP_NAMES) + ": "
        f"{percent(r['recall'])} {percent(r['certain_recall'])} "
        f"{percent(r['benign_flagged'])} {percent(r['benign_crisis'])} "
        f"{percent(r['ordinary_flagged'])} {percent(r['ordinary_crisis'])}"
        for r in summary["threshold_sweep"][:15]
    ]
    lines.append(f"Mean parse time: {summary['mean_parse_ms']:.1f} ms (max {summary['max_parse_ms']:.1f} ms)")
    if blind:
        lines.append("\n(--blind: the sentences missed and falsely flagged are in the JSON file, not shown)")
        return "\n".join(lines)
    lines.append(f"\nMissed disclosures ({len(summary['missed'])}):")
    lines += [
        f"  [{row['category']}] {row['text']!r} -> {row['intent']} (classifier risk {row['classifier_risk']:.2f}, meaning {row['meaning'] or 0.0:.2f})"
        for row in summary["missed"]
    ]
    for title, key in (("False alarms", "false_alarms"), ("Ordinary answers flagged", "ordinary_alarms")):
        lines.append(f"\n{title} ({len(summary[key])}):")
        lines += [
            f"  [{row.get('category')}] {row['text']!r} <- {row['flagged_by']} (classifier risk {row['classifier_risk']:.2f}, meaning {row['meaning'] or 0.0:.2f})"
            for row in summary[key]
        ]
    return "\n".join(lines)


async def probe(model: Path, heldout: Path = TUNING_SET, ordinary_set: Optional[Path] = None) -> dict:
    disclosures, benign = load_items(heldout)
    log(f"{len(disclosures)} disclosures, {len(benign)} benign items from {heldout.relative_to(PROJECT_ROOT)}")
    log(f"loading {model}")
    started = time.perf_counter()
    agent = load_agent(model)
    load_seconds = time.perf_counter() - started
    log(f"loaded in {load_seconds:.1f} s")
    parsed_disclosures = await parse_all(agent, disclosures, "disclosures")
    parsed_benign = await parse_all(agent, benign, "benign")
    ordinary = None
    if ordinary_set is not None:
        answers = yaml.safe_load(ordinary_set.read_text(encoding="utf-8"))["answers"]
        ordinary = await parse_all(agent, [{**a, "category": a.get("at")} for a in answers], "ordinary answers")
    for row in ordinary or []:
        row["flagged_by"] = flagged_by(row, thresholds())
    return summarise(model, heldout, parsed_disclosures, parsed_benign, load_seconds, ordinary)


def main(argv: Optional[list[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", type=Path, default=None, help="model archive (default: newest models/*.tar.gz)")
    parser.add_argument("--set", type=Path, default=TUNING_SET, help="held-out set (default: bench/risk/fresh.yml)")
    parser.add_argument("--out", default="risk_probe_fresh.json", help="file name under bench/results")
    parser.add_argument(
        "--blind", action="store_true", help="print figures only, never the sentences (a set not to tune on)"
    )
    parser.add_argument(
        "--ordinary",
        type=Path,
        default=None,
        help="plain answers the thresholds must not alarm (default with the tuning set: bench/risk/ordinary.yml)",
    )
    args = parser.parse_args(argv)
    ordinary = args.ordinary or (ORDINARY_SET if args.set.resolve() == TUNING_SET and not args.blind else None)
    os.environ["RASA_TELEMETRY_ENABLED"] = "false"
    model = args.model or newest_model(PROJECT_ROOT / "models")
    if model is None or not model.exists():
        log("no trained model: run `make setup` first, or pass --model")
        return 1
    summary = asyncio.run(probe(model.resolve(), args.set.resolve(), ordinary))
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / args.out).write_text(json.dumps(summary, indent=2, ensure_ascii=False) + "\n")
    print(report(summary, blind=args.blind))
    log(f"figures written to {(RESULTS / args.out).relative_to(PROJECT_ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
