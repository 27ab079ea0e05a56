"""Fixes for measured faults in Rasa 3.6.21, applied by our Rasa launcher (see shared notes).

- Each custom action response was checked with `jsonschema.validate`, which
  re-checks the schema itself on every call: most of a turn's CPU time. We build
  one validator, once.
- Structured tracebacks in JSON logs carried every frame's local variables,
  patient text included. We render them without locals.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any, Dict, Text

PATCHED_FLAG = "_whatmatters_patched"


@lru_cache(maxsize=1)
def action_response_validator() -> Any:
    from jsonschema import validators
    from rasa.core.actions.action import RemoteAction

    schema = RemoteAction.action_response_format_spec()
    validator_class = validators.validator_for(schema)
    validator_class.check_schema(schema)
    return validator_class(schema)


def _validate_action_result(self: Any, result: Dict[Text, Any]) -> bool:
    from jsonschema import ValidationError

    try:
        action_response_validator().validate(result)
    except ValidationError as error:
        error.message += ". Failed to validate the action server's response."
        raise
    return True


def _dict_tracebacks_without_locals() -> Any:
    import structlog

    return structlog.processors.ExceptionRenderer(
        structlog.tracebacks.ExceptionDictTransformer(show_locals=False)
    )


def apply() -> None:
    """Idempotent: safe to call from every entry point."""
    import structlog
    from rasa.core.actions.action import RemoteAction

    if getattr(RemoteAction, PATCHED_FLAG, False):
        return
    RemoteAction._validate_action_result = _validate_action_result
    setattr(RemoteAction, PATCHED_FLAG, True)
    structlog.processors.dict_tracebacks = _dict_tracebacks_without_locals()
