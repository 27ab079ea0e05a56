"""How much a message *means* a disclosure of risk, read from its sentence vector.

The phrase list catches the wordings people reviewed; the bag-of-words intent
classifier catches wordings close to its training examples. Neither reaches a
disclosure in words nobody here wrote ("I've swallowed everything in the
cabinet"). This classifier works on the sentence encoder's vectors, where such a
sentence lies near the disclosures we did write, and it is trained with hard
negatives (hyperbole, past and negated risk, work talk) so that "this commute is
killing me" lies on the other side.

The reader is the encoder itself, fine-tuned (`bot.language.fine_tune`) in
`rasa train` on the NLU examples (`disclose_risk` against every other intent)
and the reviewed examples in `data/safety/risk_examples/`, with a logistic unit
on its output: fine-tuning the layers is what lets it tell near-pairs apart
that differ by a negation, a tense or a job. It replaced an RBF SVM on the fixed
sentence vectors (`make risk-probe` and the README compare them).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Iterable, Sequence

import numpy as np
import yaml

from bot.language.encoder import SentenceEncoder, shared_encoder
from bot.language.fine_tune import TunedReader, fine_tune

EXAMPLES_DIR = Path(__file__).resolve().parents[2] / "data" / "safety" / "risk_examples"
"""Reviewed examples, one YAML file per batch, each with `disclosures` and `benign` lists."""
MODEL_FILE = "risk_reader.npz"


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

    def __init__(self, reader: TunedReader, encoder: SentenceEncoder | None = None) -> None:
        self.reader = reader
        self.encoder = encoder or shared_encoder()

    @classmethod
    def fit(
        cls,
        examples: Iterable[tuple[str, bool]],
        encoder: SentenceEncoder | None = None,
        **tuning: Any,
    ) -> "MeaningClassifier":
        """Fine-tune the encoder on (text, is a disclosure); `tuning` goes to `fine_tune` (epochs,
        learning_rate, seed, progress)."""
        encoder = encoder or shared_encoder()
        return cls(fine_tune(encoder, list(examples), **tuning), encoder)

    def scores(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros(0)
        states = self.encoder.mean_states(list(texts), self.reader.blocks)
        return 1.0 / (1.0 + np.exp(-(states @ self.reader.head_w + self.reader.head_b)))

    def score(self, text: str) -> float:
        return float(self.scores([text])[0])

    def save(self, directory: Path) -> None:
        np.savez_compressed(directory / MODEL_FILE, **self.reader.as_arrays())

    @classmethod
    def load(cls, directory: Path) -> "MeaningClassifier":
        with np.load(directory / MODEL_FILE) as arrays:
            return cls(TunedReader.from_arrays(dict(arrays)))
