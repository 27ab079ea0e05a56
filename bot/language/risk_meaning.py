"""How much a message *means* a disclosure of risk, read from its sentence vector.

The phrase list catches the wordings people reviewed; the bag-of-words intent
classifier catches wordings close to its training examples. Neither reaches a
disclosure in words nobody here wrote ("I've swallowed everything in the
cabinet"). This classifier works on the sentence encoder's vectors, where such a
sentence lies near the disclosures we did write, and it is trained with hard
negatives (hyperbole, past and negated risk, work talk) so that "this commute is
killing me" lies on the other side.

An RBF support-vector machine with Platt-scaled probabilities: on the tuning
set it kept half the false alarms of a logistic regression at the same recall
(`make risk-probe` prints the sweep). Trained in `rasa train`, in seconds, on
the NLU examples (`disclose_risk` against every other intent) and the reviewed
examples in `data/safety/risk_examples/`.
"""

from __future__ import annotations

import pickle
from pathlib import Path
from typing import Iterable, Sequence

import numpy as np
import yaml
from sklearn.svm import SVC

from bot.language.encoder import SentenceEncoder, shared_encoder

EXAMPLES_DIR = Path(__file__).resolve().parents[2] / "data" / "safety" / "risk_examples"
"""Reviewed examples, one YAML file per batch, each with `disclosures` and `benign` lists."""
MODEL_FILE = "risk_meaning.pkl"


def example_files(directory: Path = EXAMPLES_DIR) -> list[Path]:
    return sorted(directory.glob("*.yml"))


def reviewed_examples(directory: Path = EXAMPLES_DIR) -> list[tuple[str, bool]]:
    """(text, is a disclosure) from every batch of reviewed examples."""
    examples: list[tuple[str, bool]] = []
    for path in example_files(directory):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        examples += [(item["text"], True) for item in data["disclosures"]]
        examples += [(item["text"], False) for item in data["benign"]]
    return examples


class MeaningClassifier:
    """A probability that a message discloses risk, from what it means rather than the words it uses."""

    def __init__(self, model: SVC, encoder: SentenceEncoder | None = None) -> None:
        self.model = model
        self.encoder = encoder or shared_encoder()

    @classmethod
    def fit(cls, examples: Iterable[tuple[str, bool]], encoder: SentenceEncoder | None = None) -> "MeaningClassifier":
        texts, labels = zip(*examples, strict=True)
        encoder = encoder or shared_encoder()
        vectors = encoder.encode(list(texts))
        if len(set(labels)) < 2:
            raise ValueError("the risk meaning classifier needs both disclosures and other messages to learn from")
        # Balanced: disclosures are about one example in eight. Seeded: a retrain gives the same model.
        model = SVC(C=3.0, kernel="rbf", probability=True, class_weight="balanced", random_state=42)
        model.fit(vectors, np.array(labels, dtype=bool))
        return cls(model, encoder)

    def scores(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros(0)
        positive = list(self.model.classes_).index(True)
        return self.model.predict_proba(self.encoder.encode(list(texts)))[:, positive]

    def score(self, text: str) -> float:
        return float(self.scores([text])[0])

    def save(self, directory: Path) -> None:
        with (directory / MODEL_FILE).open("wb") as handle:
            pickle.dump(self.model, handle, protocol=pickle.HIGHEST_PROTOCOL)

    @classmethod
    def load(cls, directory: Path) -> "MeaningClassifier":
        # The file is one this project's training wrote into its own model archive.
        with (directory / MODEL_FILE).open("rb") as handle:
            return cls(pickle.load(handle))  # noqa: S301
