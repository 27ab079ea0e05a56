"""An NLU component that makes risk detection independent of the intent classifier.

It runs after the trained classifier on every message, in every state. If the
reviewed phrase list matches, or the classifier ranks `disclose_risk` at or
above a low threshold, the message's intent becomes `disclose_risk` with the
original ranking kept. A missed disclosure costs far more than a false alarm.
"""

from __future__ import annotations

import re
from typing import Any, Dict, List, Optional, Text

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, INTENT_RANKING_KEY, PREDICTED_CONFIDENCE_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.base import ANSWER_INTENT, IntentRewriter

from bot.intake.risk import detect_risk

RISK_INTENT = "disclose_risk"
WORD = re.compile(r"\w+")


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
        return {"classifier_threshold": 0.3, "classifier_min_words": 3}

    def __init__(self, config: Dict[Text, Any]) -> None:
        self.threshold = float(config.get("classifier_threshold", 0.3))
        # A name, a place or a one-word choice carries no disclosure the phrase list
        # would not see, but the classifier can score one highly ("Carol" measured 0.29).
        self.min_words = int(config.get("classifier_min_words", 3))

    def risk_reason(self, message: Message) -> Optional[str]:
        match = detect_risk(message.get(TEXT))
        if match is not None:
            return match.category
        if len(WORD.findall(message.get(TEXT) or "")) < self.min_words:
            return None
        if classifier_score(message, RISK_INTENT) >= self.threshold:
            return "classifier"
        return None

    def process(self, messages: List[Message]) -> List[Message]:
        """Risk or not is decided here alone: flagged messages become `disclose_risk`, and a
        classifier's `disclose_risk` this rule does not back (a short answer) becomes an answer."""
        for message in messages:
            if self.risk_reason(message) is not None:
                message.set(INTENT, {INTENT_NAME_KEY: RISK_INTENT, PREDICTED_CONFIDENCE_KEY: 1.0}, add_to_output=True)
                continue
            intent = message.get(INTENT) or {}
            if intent.get(INTENT_NAME_KEY) == RISK_INTENT:
                confidence = float(intent.get(PREDICTED_CONFIDENCE_KEY) or 0.0)
                message.set(INTENT, {INTENT_NAME_KEY: ANSWER_INTENT, PREDICTED_CONFIDENCE_KEY: confidence},
                            add_to_output=True)
        return messages
