"""Fixes for measured faults in Rasa 3.6.21, applied by our Rasa launcher (see shared notes).

- Each custom action response was checked with `jsonschema.validate`, which
  re-checks the schema itself on every call: most of a turn's CPU time. We build
  one validator, once.
- Structured tracebacks in JSON logs carried every frame's local variables,
  patient text included. We render them without locals.
- Each action call sent the whole conversation (every event since it began) to
  the action server, so turns got slower as the intake went on, and every
  answer travelled again on every call. We send the events of the current turn
  only (from the latest user message on); slots, the latest message and the
  active form still go in full. Our actions need no more (see actions/).
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


def current_turn_events(events: list[Dict[Text, Any]]) -> list[Dict[Text, Any]]:
    """The events from the latest user message on (all of them if there is none)."""
    for index in range(len(events) - 1, -1, -1):
        if events[index].get("event") == "user":
            return events[index:]
    return events


def _wrap_action_call_format(original: Any) -> Any:
    def _action_call_format(self: Any, tracker: Any, domain: Any) -> Dict[Text, Any]:
        call = original(self, tracker, domain)
        state = call.get("tracker") or {}
        if isinstance(state.get("events"), list):
            state["events"] = current_turn_events(state["events"])
        return call

    _action_call_format.__wrapped__ = original  # type: ignore[attr-defined]
    return _action_call_format


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
    RemoteAction._action_call_format = _wrap_action_call_format(RemoteAction._action_call_format)
    setattr(RemoteAction, PATCHED_FLAG, True)
    structlog.processors.dict_tracebacks = _dict_tracebacks_without_locals()
