"""The risk meaning reader against the SVM it replaced, on the tuning set, meaning score alone.

    .venv/bin/python -m bench.risk_reader            # about 6 minutes on 2 cores

Both are trained on what `rasa train` gives the reader (every NLU example and the reviewed
examples in data/safety/risk_examples/) and scored on bench/risk/fresh.yml, the tuning set (the
blind sets are never used to choose anything). It prints, for each, the AUC and the share of the
tuning set's disclosures scored above the highest-scored hard negatives (none, 1, 2, 5 and 10 of
them let through): how much the meaning score alone can make certain at a given price in crisis
replies. Figures go to bench/results/risk_reader.json. The SVM is the one the project used before
(RBF, C=3, balanced classes, Platt-scaled probabilities, on the encoder's unit vectors).
"""

from __future__ import annotations

import json
import time

import numpy as np
import yaml
from sklearn.metrics import roc_auc_score
from sklearn.svm import SVC

from bot.language.encoder import shared_encoder
from bot.language.risk_meaning import MeaningClassifier, reviewed_examples
from bot.settings import PROJECT_ROOT

TUNING_SET = PROJECT_ROOT / "bench" / "risk" / "fresh.yml"
OUT = PROJECT_ROOT / "bench" / "results" / "risk_reader.json"
LET_THROUGH = (0, 1, 2, 5, 10)


def log(message: str) -> None:
    print(f"[risk-reader] {message}", flush=True)


def training_examples() -> list[tuple[str, bool]]:
    from rasa.shared.nlu.training_data.loading import load_data

    nlu = load_data(str(PROJECT_ROOT / "data" / "nlu"))
    examples = [(m.get("text"), m.get("intent") == "disclose_risk") for m in nlu.intent_examples if m.get("text")]
    return examples + reviewed_examples()


def operating_points(scores: np.ndarray, is_disclosure: np.ndarray) -> dict:
    negatives = np.sort(scores[~is_disclosure])[::-1]
    disclosures = scores[is_disclosure]
    points = {"auc": round(float(roc_auc_score(is_disclosure, scores)), 4)}
    for n in LET_THROUGH:
        points[f"disclosures_above_all_but_{n}_hard_negatives"] = round(float((disclosures > negatives[n]).mean()), 3)
    return points


def main() -> int:
    examples = training_examples()
    texts, labels = zip(*examples, strict=True)
    held = yaml.safe_load(TUNING_SET.read_text(encoding="utf-8"))
    test = [d["text"] for d in held["disclosures"]] + [b["text"] for b in held["benign"]]
    is_disclosure = np.array([True] * len(held["disclosures"]) + [False] * len(held["benign"]))
    log(f"{len(examples)} training examples, {len(test)} tuning-set items")
    encoder = shared_encoder()
    results = {}

    began = time.monotonic()
    svm = SVC(C=3.0, kernel="rbf", probability=True, class_weight="balanced", random_state=42)
    svm.fit(encoder.encode(list(texts)), np.array(labels, dtype=bool))
    svm_scores = svm.predict_proba(encoder.encode(test))[:, list(svm.classes_).index(True)]
    results["svm_on_fixed_vectors"] = {
        **operating_points(svm_scores, is_disclosure),
        "train_seconds": round(time.monotonic() - began),
    }
    log(f"SVM on the fixed vectors: {results['svm_on_fixed_vectors']}")

    began = time.monotonic()
    log("fine-tuning the reader (six epochs)...")
    reader = MeaningClassifier.fit(examples, encoder, progress=log)
    results["fine_tuned_reader"] = {
        **operating_points(reader.scores(test), is_disclosure),
        "train_seconds": round(time.monotonic() - began),
    }
    log(f"fine-tuned reader: {results['fine_tuned_reader']}")
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps({"at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), **results}, indent=2) + "\n")
    log(f"written to {OUT.relative_to(PROJECT_ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
