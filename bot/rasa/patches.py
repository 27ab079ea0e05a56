"""Fixes for measured faults in Rasa 3.6.21, applied by our Rasa launcher (docs/rasa-traps.md has each with its test).

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
- Loading a conversation looked up every event's class by walking all Event
  subclasses with reflection, once per event: a third of the tracker store's
  time. We remember each type name's class once found.
- Rasa's SQLite tracker store committed each turn with a full fsync. In WAL mode
  `synchronous=NORMAL` stays safe against crashes (a power cut may undo the last
  turn, whose answer the action server has already saved with a full sync).
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


def current_turn_events(events: Any) -> list[Any]:
    """The events from the latest user message on (all of them if there is none), oldest first."""
    from rasa.shared.core.events import UserUttered

    turn: list[Any] = []
    for event in reversed(events):
        turn.append(event)
        if isinstance(event, UserUttered):
            break
    turn.reverse()
    return turn


class _CurrentTurnOnly:
    """A tracker as Rasa's action call reads it, with only the current turn's events serialised.

    Rasa serialises every event of the conversation for each action call (the slowest part of a
    late turn's call) and we then sent only the current turn; now only the current turn is serialised.
    """

    def __init__(self, tracker: Any) -> None:
        self._tracker = tracker

    def __getattr__(self, name: str) -> Any:
        return getattr(self._tracker, name)

    def current_state(self, event_verbosity: Any = None) -> Dict[Text, Any]:
        from rasa.shared.core.trackers import EventVerbosity

        state: Dict[Text, Any] = self._tracker.current_state(EventVerbosity.NONE)
        state["events"] = [event.as_dict() for event in current_turn_events(self._tracker.events)]
        return state


def _wrap_action_call_format(original: Any) -> Any:
    def _action_call_format(self: Any, tracker: Any, domain: Any) -> Dict[Text, Any]:
        call: Dict[Text, Any] = original(self, _CurrentTurnOnly(tracker), domain)
        return call

    _action_call_format.__wrapped__ = original  # type: ignore[attr-defined]
    return _action_call_format


def _remembering_resolver(original: Any) -> Any:
    found: Dict[Text, Any] = {}

    def resolve_by_type(type_name: Text, default: Any = None) -> Any:
        known = found.get(type_name)
        if known is not None:
            return known
        resolved = original(type_name, default)
        if resolved is not None and resolved is not default:
            found[type_name] = resolved
        return resolved

    return staticmethod(resolve_by_type)


def _tune_sqlite_tracker_store(dbapi_connection: Any, _record: Any) -> None:
    if type(dbapi_connection).__module__.startswith("sqlite3"):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA busy_timeout=15000")
        cursor.close()


def _dict_tracebacks_without_locals() -> Any:
    import structlog

    return structlog.processors.ExceptionRenderer(structlog.tracebacks.ExceptionDictTransformer(show_locals=False))


def apply() -> None:
    """Idempotent: safe to call from every entry point."""
    import sqlalchemy
    import structlog
    from rasa.core.actions.action import RemoteAction
    from rasa.shared.core.events import Event

    if getattr(RemoteAction, PATCHED_FLAG, False):
        return
    RemoteAction._validate_action_result = _validate_action_result
    RemoteAction._action_call_format = _wrap_action_call_format(RemoteAction._action_call_format)
    Event.resolve_by_type = _remembering_resolver(Event.resolve_by_type)
    sqlalchemy.event.listen(sqlalchemy.engine.Engine, "connect", _tune_sqlite_tracker_store)
    setattr(RemoteAction, PATCHED_FLAG, True)
    structlog.processors.dict_tracebacks = _dict_tracebacks_without_locals()
