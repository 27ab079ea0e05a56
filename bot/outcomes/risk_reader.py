"""The follow-up's risk reader: the intake's phrase list and meaning classifier, outside Rasa.

The follow-up is answered on the web app and by text, neither of which runs Rasa's NLU
pipeline, so it reads risk here with the same pieces and the same thresholds (config.yml's
RiskPhraseClassifier): the reviewed phrase list, and the fine-tuned meaning classifier
taken from the trained model's archive. Only the bag-of-words intent classifier is missing,
and config.yml gives it no certain tier. Without a trained model (a test without one) the
phrase list alone reads: `meaning_available` says which.
"""

from __future__ import annotations

import io
import logging
import tarfile
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Optional

import yaml

from bot.intake.risk import Risk, assess, detect_risk
from bot.settings import PROJECT_ROOT

logger = logging.getLogger(__name__)

CONFIG_FILE = PROJECT_ROOT / "config.yml"
COMPONENT = "bot.rasa.nlu.risk_classifier.RiskPhraseClassifier"
MODEL_MEMBER = "risk_reader.npz"


@dataclass(frozen=True)
class Thresholds:
    """The risk component's thresholds (config.yml), as `assess` takes them."""

    meaning_at: float
    meaning_certain_at: float
    meaning_certain_hedged_at: float
    meaning_veto_at: float
    min_words: int

    @classmethod
    def read(cls, config_file: Path = CONFIG_FILE) -> "Thresholds":
        pipeline = yaml.safe_load(config_file.read_text(encoding="utf-8"))["pipeline"]
        config: dict[str, Any] = next(step for step in pipeline if step.get("name") == COMPONENT)
        return cls(
            meaning_at=float(config.get("meaning_threshold", 1.01)),
            meaning_certain_at=float(config.get("meaning_certain_threshold", 1.01)),
            meaning_certain_hedged_at=float(config.get("meaning_certain_hedged_threshold", 1.01)),
            meaning_veto_at=float(config.get("meaning_veto_threshold", 0.0)),
            min_words=int(config.get("classifier_min_words", 3)),
        )


def _meaning_from_archive(archive: Path) -> Any:
    """The meaning classifier saved inside a Rasa model archive, or None when it holds none."""
    from bot.language.risk_meaning import MODEL_FILE, MeaningClassifier

    with tarfile.open(archive, "r:gz") as tar:
        member = next((m for m in tar.getmembers() if m.name.endswith("/" + MODEL_FILE)), None)
        if member is None:
            return None
        data = tar.extractfile(member)
        if data is None:
            return None
        content = io.BytesIO(data.read())
    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / MODEL_FILE).write_bytes(content.getvalue())
        return MeaningClassifier.load(Path(folder))


class FollowUpRisk:
    """Callable: text -> Risk or None. Loads the meaning classifier once, on first need."""

    def __init__(self, model_archive: Optional[Path]) -> None:
        self.model_archive = model_archive
        self.limits = Thresholds.read()
        self._meaning: Any = None
        self._loaded = False
        self._lock = threading.Lock()

    @property
    def meaning_available(self) -> bool:
        return self._classifier() is not None

    def _classifier(self) -> Any:
        with self._lock:
            if not self._loaded:
                self._loaded = True
                if self.model_archive is not None and self.model_archive.exists():
                    try:
                        self._meaning = _meaning_from_archive(self.model_archive)
                    except Exception as error:  # noqa: BLE001 - the phrase list still reads
                        logger.error("follow-up risk: the meaning classifier did not load (%s)", type(error).__name__)
                if self._meaning is None:
                    logger.warning("follow-up risk: reading with the phrase list only (no trained model)")
            return self._meaning

    def __call__(self, text: str) -> Optional[Risk]:
        classifier = self._classifier()
        score = classifier.score(text) if classifier is not None and text.strip() else None
        limits = self.limits
        return assess(
            text,
            0.0,
            certain_at=1.01,
            check_at=1.01,
            min_words=limits.min_words,
            meaning_score=score,
            meaning_at=limits.meaning_at,
            meaning_certain_at=limits.meaning_certain_at,
            meaning_certain_hedged_at=limits.meaning_certain_hedged_at,
            meaning_veto_at=limits.meaning_veto_at,
            match=detect_risk(text),
        )
