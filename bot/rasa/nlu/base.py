"""Shared plumbing for our untrained NLU components that rewrite a message's intent after the classifier."""

from __future__ import annotations

from typing import Any, Dict, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.training_data.training_data import TrainingData

ANSWER_INTENT = "inform"
"""The intent a message gets when a rewriter decides it is an answer after all."""

STEPPING_AWAY_KEY = "stepping_away"
"""Set on a message the classifier read as an answer and the interruption gate made a pause ("hang on,
brb"): risk is still read on it as on an answer, so "hang on, I've taken all my pills" is never lost."""


class IntentRewriter(GraphComponent):
    """Built from its config alone; leaves training data untouched. Subclasses implement `process`."""

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "IntentRewriter":
        return cls(config)

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data
