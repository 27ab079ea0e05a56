"""An NLU component that makes risk detection independent of the intent classifier.

It runs after the trained classifier on every message, in every state, and
asks `bot.intake.risk.assess` for the message's risk tier from the reviewed
phrase list and the classifier's own `disclose_risk` score. A flagged message
(either tier) becomes `disclose_risk`, with the original ranking kept and the
tier in the parse data under `risk`, so the actions can answer a certain
disclosure with the crisis reply and an uncertain one with a direct question.
A missed disclosure costs far more than a false alarm.
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Text

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, INTENT_RANKING_KEY, PREDICTED_CONFIDENCE_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.intake.risk import RISK_INTENT, RISK_KEY, Risk, assess
from bot.rasa.nlu.base import ANSWER_INTENT, IntentRewriter


def classifier_score(message: Message, intent: str) -> float:
    for ranked in message.get(INTENT_RANKING_KEY) or []:
        if ranked.get(INTENT_NAME_KEY) == intent:
            return float(ranked.get(PREDICTED_CONFIDENCE_KEY) or 0.0)
    current = message.get(INTENT) or {}
    if current.get(INTENT_NAME_KEY) == intent:
        return float(current.get(PREDICTED_CONFIDENCE_KEY) or 0.0)
    return 0.0


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class RiskPhraseClassifier(IntentRewriter):
    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {"classifier_threshold": 0.3, "certain_threshold": 1.01, "classifier_min_words": 3}

    def __init__(self, config: Dict[Text, Any]) -> None:
        # At or above `classifier_threshold` the classifier alone raises an uncertain
        # flag (the bot checks with the person); at or above `certain_threshold` a certain one.
        self.threshold = float(config.get("classifier_threshold", 0.3))
        self.certain_threshold = max(self.threshold, float(config.get("certain_threshold", self.threshold)))
        # A name, a place or a one-word choice carries no disclosure the phrase list
        # would not see, but the classifier can score one highly ("Carol" measured 0.29).
        self.min_words = int(config.get("classifier_min_words", 3))

    def risk_of(self, message: Message) -> Optional[Risk]:
        return assess(
            message.get(TEXT),
            classifier_score(message, RISK_INTENT),
            certain_at=self.certain_threshold,
            check_at=self.threshold,
            min_words=self.min_words,
            intent=(message.get(INTENT) or {}).get(INTENT_NAME_KEY),
        )

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
