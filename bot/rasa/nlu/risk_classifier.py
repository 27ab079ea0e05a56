"""An NLU component that makes risk detection independent of the intent classifier.

It runs after the trained classifier on every message, in every state, and
asks `bot.intake.risk.assess` for the message's risk tier from the reviewed
phrase list and the classifier's own `disclose_risk` score. A flagged message
(either tier) becomes `disclose_risk`, with the original ranking kept and the
tier in the parse data under `risk`, so the actions can answer a certain
disclosure with the crisis reply and an uncertain one with a direct question.
A missed disclosure costs far more than a false alarm.

It is trainable for one reason: the meaning classifier
(`bot.language.risk_meaning`), which reads sentence vectors rather than words,
is fitted in `rasa train` and kept in the model archive. Its score goes into
the parse data under `risk_meaning` for every message it read.
"""

from __future__ import annotations

import hashlib
import logging
from pathlib import Path
from typing import Any, Dict, List, Optional, Text

from rasa.engine.graph import ExecutionContext
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, INTENT_RANKING_KEY, PREDICTED_CONFIDENCE_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.intake.returning import only_an_everyday_reason
from bot.intake.risk import CLASSIFIER, RISK_INTENT, RISK_KEY, Risk, RiskMatch, assess, detect_risk, word_count
from bot.language.install import WEIGHTS_SHA256
from bot.language.risk_meaning import MeaningClassifier, example_files, reviewed_examples
from bot.rasa.nlu.base import ANSWER_INTENT, STEPPING_AWAY_KEY, IntentRewriter

logger = logging.getLogger(__name__)

MEANING_KEY = "risk_meaning"
"""The parse-data key for the meaning classifier's score (absent when it did not need to read the message)."""


def classifier_score(message: Message, intent: str) -> float:
    for ranked in message.get(INTENT_RANKING_KEY) or []:
        if ranked.get(INTENT_NAME_KEY) == intent:
            return float(ranked.get(PREDICTED_CONFIDENCE_KEY) or 0.0)
    current = message.get(INTENT) or {}
    if current.get(INTENT_NAME_KEY) == intent:
        return float(current.get(PREDICTED_CONFIDENCE_KEY) or 0.0)
    return 0.0


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=True)
class RiskPhraseClassifier(IntentRewriter):
    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {
            "classifier_threshold": 0.3,
            "certain_threshold": 1.01,
            "classifier_min_words": 3,
            "meaning_threshold": 1.01,
            "meaning_certain_threshold": 1.01,
            "meaning_certain_hedged_threshold": 1.01,
            "meaning_veto_threshold": 0.0,
            "classifier_corroboration_threshold": 0.0,
            "meaning_epochs": 6,
            "meaning_learning_rate": 4e-5,
        }

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "RiskPhraseClassifier":
        return cls(config, model_storage, resource)

    @classmethod
    def load(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> "RiskPhraseClassifier":
        with model_storage.read_from(resource) as directory:
            meaning = MeaningClassifier.load(Path(directory))
        return cls(config, model_storage, resource, meaning)

    @classmethod
    def fingerprint_addon(cls, config: Dict[Text, Any]) -> Optional[str]:
        """Retrain when the reviewed examples or the encoder's weights change (Rasa sees neither)."""
        digest = hashlib.sha256(WEIGHTS_SHA256.encode())
        for path in example_files():
            digest.update(path.name.encode() + path.read_bytes())
        return digest.hexdigest()

    def __init__(
        self,
        config: Dict[Text, Any],
        model_storage: Optional[ModelStorage] = None,
        resource: Optional[Resource] = None,
        meaning: Optional[MeaningClassifier] = None,
    ) -> None:
        self._model_storage = model_storage
        self._resource = resource
        self.meaning = meaning
        # At or above `meaning_threshold` the meaning classifier alone raises an uncertain flag.
        self.meaning_threshold = float(config.get("meaning_threshold", 1.01))
        # At or above `meaning_certain_threshold`, a plainly worded message is certain.
        self.meaning_certain_threshold = float(config.get("meaning_certain_threshold", 1.01))
        # ... and a message with a negation, past or job marker at `meaning_certain_hedged_threshold`.
        self.meaning_certain_hedged_threshold = float(config.get("meaning_certain_hedged_threshold", 1.01))
        # Below `meaning_veto_threshold` a plain phrase-list match is only asked about, not assumed.
        self.meaning_veto_threshold = float(config.get("meaning_veto_threshold", 0.0))
        # Below `classifier_corroboration_threshold` of the meaning score, the intent classifier's score is ignored.
        self.corroboration_threshold = float(config.get("classifier_corroboration_threshold", 0.0))
        # At or above `classifier_threshold` the classifier alone raises an uncertain
        # flag (the bot checks with the person); at or above `certain_threshold` a certain one.
        self.threshold = float(config.get("classifier_threshold", 0.3))
        self.certain_threshold = max(self.threshold, float(config.get("certain_threshold", self.threshold)))
        # A name, a place or a one-word choice carries no disclosure the phrase list
        # would not see, but the classifier can score one highly ("Carol" measured 0.29).
        self.min_words = int(config.get("classifier_min_words", 3))
        # How the meaning reader is fine-tuned in `rasa train` (bot.language.fine_tune).
        self.epochs = int(config.get("meaning_epochs", 6))
        self.learning_rate = float(config.get("meaning_learning_rate", 4e-5))

    def train(self, training_data: TrainingData) -> Resource:
        """Fit the meaning classifier on every NLU example and the reviewed risk examples."""
        if self._model_storage is None or self._resource is None:
            raise ValueError("training needs the model storage Rasa gives `create`")
        examples = [
            (example.get(TEXT), example.get(INTENT) == RISK_INTENT)
            for example in training_data.intent_examples
            if example.get(TEXT)
        ]
        examples += reviewed_examples()
        logger.info("Fine-tuning the risk meaning reader on %d examples.", len(examples))
        meaning = MeaningClassifier.fit(examples, epochs=self.epochs, learning_rate=self.learning_rate)
        with self._model_storage.write_to(self._resource) as directory:
            meaning.save(Path(directory))
        return self._resource

    def meaning_score(self, message: Message, match: Optional[RiskMatch]) -> Optional[float]:
        """The meaning classifier's score, read where it could change the outcome: a message long
        enough for a classifier to flag, or one the phrase list matches (the score may confirm or
        contradict the match). None where it was not read."""
        text = message.get(TEXT)
        if self.meaning is None or (match is None and word_count(text) < self.min_words):
            return None
        score = self.meaning.score(text)
        message.set(MEANING_KEY, round(score, 4), add_to_output=True)
        return score

    def risk_of(self, message: Message) -> Optional[Risk]:
        text = message.get(TEXT)
        match = detect_risk(text)
        risk = assess(
            text,
            classifier_score(message, RISK_INTENT),
            certain_at=self.certain_threshold,
            check_at=self.threshold,
            min_words=self.min_words,
            intent=ANSWER_INTENT
            if message.get(STEPPING_AWAY_KEY)
            else (message.get(INTENT) or {}).get(INTENT_NAME_KEY),
            meaning_score=self.meaning_score(message, match),
            meaning_at=self.meaning_threshold,
            meaning_certain_at=self.meaning_certain_threshold,
            meaning_certain_hedged_at=self.meaning_certain_hedged_threshold,
            meaning_veto_at=self.meaning_veto_threshold,
            classifier_corroborated_at=self.corroboration_threshold,
            match=match,
        )
        stepping_away_for_a_reason = message.get(STEPPING_AWAY_KEY) and only_an_everyday_reason(text or "")
        if risk is not None and stepping_away_for_a_reason and risk.category == CLASSIFIER:
            # "baby woke up brb" is a pause: there only words of risk flag it. A sure reading once did too, until the
            # meaning reader's certain threshold came down to 0.998 and this very message scored 0.9981 (set 4, the
            # whole crisis script). Only everyday reasons (a baby, the door, the kettle): "he's home, got to go" is
            # still read by the classifiers.
            return None
        return risk

    def process(self, messages: List[Message]) -> List[Message]:
        """Risk or not is decided here alone: flagged messages become `disclose_risk`, and a
        classifier's `disclose_risk` this rule does not back (a short answer) becomes an answer."""
        for message in messages:
            risk = self.risk_of(message)
            if risk is not None:
                message.set(INTENT, {INTENT_NAME_KEY: RISK_INTENT, PREDICTED_CONFIDENCE_KEY: 1.0}, add_to_output=True)
                message.set(RISK_KEY, risk.as_dict(), add_to_output=True)
                continue
            intent = message.get(INTENT) or {}
            if intent.get(INTENT_NAME_KEY) == RISK_INTENT:
                confidence = float(intent.get(PREDICTED_CONFIDENCE_KEY) or 0.0)
                message.set(
                    INTENT, {INTENT_NAME_KEY: ANSWER_INTENT, PREDICTED_CONFIDENCE_KEY: confidence}, add_to_output=True
                )
        return messages
