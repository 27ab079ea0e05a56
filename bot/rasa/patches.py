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
- Each call to the action server opened a new HTTP client, and with it a new
  TCP connection, and closed both afterwards. Each endpoint now keeps one
  client per event loop, whose idle connections are reused for a short while
  (shorter than the action server's keep-alive, so a connection is never reused
  just as the server closes it), and closed when the server stops.
- `applied_events()` walked the whole conversation, copying the list built so
  far at every execution of the form after its first, and Rasa calls it several
  times a turn: most of why a late turn cost more than an early one. Each
  tracker now remembers where the walk got to and goes on from there when only
  new events have been added since (the result is the same list; anything else,
  a new form's name among the new events included, starts the walk again).
- Before every action it runs, and twice more in a form's turn, Rasa built a
  copy of the tracker by replaying the whole conversation into a new one. The
  copy now takes the tracker's state and the same events, without the replay.
"""

from __future__ import annotations

import asyncio
import copy
import dataclasses
from functools import lru_cache
from typing import Any, Dict, Optional, Text

from bot.keepalive import IDLE_CONNECTION_SECONDS

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


class _Borrowed:
    """A pooled client handed to `async with` as Rasa's own code uses it, without closing it after."""

    def __init__(self, client: Any) -> None:
        self._client = client

    async def __aenter__(self) -> Any:
        return self._client

    async def __aexit__(self, *_exc: Any) -> None:
        return None


_pooled_clients: dict[Any, dict[int, tuple[Any, Any]]] = {}
"""The pooled clients, by event loop and then by endpoint: each endpoint is kept beside its client, so its id is
never reused while the client is held, and the server closes a loop's clients when it stops."""


def _pooled_session(self: Any) -> _Borrowed:
    """Rasa's `EndpointConfig.session`, configured as Rasa configures it, kept per endpoint and event loop.

    Unlike one client per call, a kept one would carry cookies from one call (one patient's turn) to the
    next, and would allow only 100 connections at once: it keeps no cookies and sets no such limit.
    """
    import aiohttp
    from rasa.utils.endpoints import DEFAULT_REQUEST_TIMEOUT

    clients = _pooled_clients.setdefault(asyncio.get_running_loop(), {})
    held = clients.get(id(self))
    if held is None or held[1].closed:
        auth = aiohttp.BasicAuth(self.basic_auth["username"], self.basic_auth["password"]) if self.basic_auth else None
        client = aiohttp.ClientSession(
            headers=self.headers,
            auth=auth,
            timeout=aiohttp.ClientTimeout(total=DEFAULT_REQUEST_TIMEOUT),
            connector=aiohttp.TCPConnector(keepalive_timeout=IDLE_CONNECTION_SECONDS, limit=0),
            cookie_jar=aiohttp.DummyCookieJar(),
        )
        held = clients[id(self)] = (self, client)
    return _Borrowed(held[1])


def pooled_client(endpoint: Any) -> Optional[Any]:
    """The client `endpoint` keeps on the running loop, if it has made one."""
    held = _pooled_clients.get(asyncio.get_running_loop(), {}).get(id(endpoint))
    return held[1] if held else None


async def close_pooled_clients() -> None:
    """Close the pooled clients of the running loop (a client belongs to the loop it was made on)."""
    for _endpoint, client in _pooled_clients.pop(asyncio.get_running_loop(), {}).values():
        await client.close()


def _closing_pooled_clients(original: Any) -> Any:
    async def close_resources(app: Any, loop: Any) -> None:
        try:
            await original(app, loop)
        finally:
            await close_pooled_clients()

    close_resources.__wrapped__ = original  # type: ignore[attr-defined]
    return close_resources


class _AppliedSoFar:
    """How far a tracker's `applied_events()` walk got: its events seen, their loop names, the events kept."""

    def __init__(self, events: Any) -> None:
        self.events = events
        self.count = 0
        self.last: Any = None
        self.loop_names: set[Text] = set()
        self.applied: list[Any] = []

    def still_holds(self, events: Any) -> bool:
        """Whether `events` are the ones walked so far with only new ones after them.

        Rasa only ever appends to a serving tracker's events; an event replaced in place before the last one
        walked would go unseen here (the last one walked is checked, not every one).
        """
        return (
            events is self.events
            and getattr(events, "maxlen", None) is None  # a length limit drops events from the start
            and len(events) >= self.count
            and (self.count == 0 or events[self.count - 1] is self.last)
        )


def _walk_on(tracker: Any, so_far: _AppliedSoFar, new_events: list[Any]) -> None:
    """Rasa's `applied_events()` loop, over the new events only, from where the walk got to."""
    from rasa.shared.core.events import (
        ActionExecuted,
        ActionReverted,
        Restarted,
        SessionStarted,
        UserUtteranceReverted,
        UserUttered,
    )

    applied = so_far.applied
    for event in new_events:
        if isinstance(event, (Restarted, SessionStarted)):
            applied.clear()
        elif isinstance(event, ActionReverted):
            tracker._undo_till_previous(ActionExecuted, applied)
        elif isinstance(event, UserUtteranceReverted):
            tracker._undo_till_previous(UserUttered, applied)
            tracker._undo_till_previous(ActionExecuted, applied)
        elif (
            isinstance(event, ActionExecuted)
            and event.action_name in so_far.loop_names
            and not tracker._first_loop_execution_or_unhappy_path(event.action_name, applied)
        ):
            tracker._undo_till_previous_loop_execution(event.action_name, applied)
        else:
            applied.append(event)


def _loop_names(events: list[Any]) -> set[Text]:
    """The forms (loops) that the events activate."""
    from rasa.shared.core.events import ActiveLoop

    return {event.name for event in events if isinstance(event, ActiveLoop) and event.name}


def _applied_events_from_where_the_walk_got_to(tracker: Any) -> list[Any]:
    """`DialogueStateTracker.applied_events`, walking only the events added since the last call.

    Rasa's own walk is kept as this function's `__wrapped__` (set in apply()), for the tests to check against.
    """
    from itertools import islice

    events = tracker.events
    so_far: Optional[_AppliedSoFar] = tracker.__dict__.get("_whatmatters_applied")
    if so_far is None or not so_far.still_holds(events):
        so_far = _AppliedSoFar(events)
    new_events = list(islice(events, so_far.count, None))
    names = _loop_names(new_events)
    if so_far.count and not names <= so_far.loop_names:
        # A loop named for the first time changes how the earlier events are read: walk them all again.
        so_far = _AppliedSoFar(events)
        new_events = list(events)
        names = _loop_names(new_events)
    so_far.loop_names |= names
    tracker.__dict__.pop("_whatmatters_applied", None)  # a walk that stops part-way is not remembered
    _walk_on(tracker, so_far, new_events)
    so_far.count = len(events)
    so_far.last = events[-1] if so_far.count else None
    tracker.__dict__["_whatmatters_applied"] = so_far
    return list(so_far.applied)


def _copy_without_replaying(original: Any) -> Any:
    def copy_tracker(self: Any) -> Any:
        """`DialogueStateTracker.copy`: a duplicate of the tracker, without replaying every event into it.

        Rasa copies a tracker before every action it runs by replaying the whole conversation into a new one,
        a cost that grew with the conversation. The copy here is given the tracker's state itself: for a tracker
        built by applying its events one by one (`from_dict`, `update`, as our tracker store builds every one),
        that is the state the replay ends in. (A tracker a store rebuilt from only its applied events, as Rasa's
        in-memory and Redis stores do, can hold a latest message the full replay would not; the copy keeps the
        tracker's own.) A tracker with a length limit has dropped events whose effects a replay would lose: it is
        copied Rasa's way.
        """
        if self.events.maxlen is not None:
            return original(self)
        tracker = self.init_copy()
        for name, slot in tracker.slots.items():
            slot.__dict__.update(self.slots[name].__dict__)
        tracker.events.extend(self.events)
        tracker._paused = self._paused
        tracker.followup_action = self.followup_action
        tracker.latest_action = None if self.latest_action is None else dict(self.latest_action)
        tracker.latest_message = self.latest_message
        if self.latest_message is not None and not any(event is self.latest_message for event in reversed(self.events)):
            # The placeholder of a tracker that has heard nothing (since a restart): a replay makes it anew,
            # and events may add entities to it in place.
            tracker.latest_message = copy.copy(self.latest_message)
            tracker.latest_message.entities = list(self.latest_message.entities)
        tracker.latest_bot_utterance = self.latest_bot_utterance
        tracker.active_loop = None if self.active_loop is None else dataclasses.replace(self.active_loop)
        return tracker

    copy_tracker.__wrapped__ = original  # type: ignore[attr-defined]
    return copy_tracker


def _form_tracker_without_replaying(original: Any) -> Any:
    def _temporary_tracker(self: Any, current_tracker: Any, additional_events: list[Any], domain: Any) -> Any:
        """`FormAction._temporary_tracker`: the tracker a form's validation and next question read, from a copy.

        Rasa builds it twice a form turn with `from_events`, replaying the whole conversation (since its last
        restart) into a tracker with the domain's slots, then the requested slot, the form's execution and the
        turn's new events. The same tracker comes from a copy (trap 22) with those events applied, wherever the
        copy starts from the same place: no restart among the events, no length limit, and the domain's slots.
        """
        from rasa.shared.core.constants import REQUESTED_SLOT
        from rasa.shared.core.events import ActionExecuted, Restarted, SlotSet

        same_slots = [(name, type(slot)) for name, slot in current_tracker.slots.items()] == [
            (slot.name, type(slot)) for slot in domain.slots
        ]
        if (
            not same_slots
            or current_tracker.is_rule_tracker
            or current_tracker.events.maxlen is not None
            or any(isinstance(event, Restarted) for event in current_tracker.events)
        ):
            return original(self, current_tracker, additional_events, domain)
        tracker = current_tracker.copy()
        for event in [
            SlotSet(REQUESTED_SLOT, self.get_slot_to_fill(current_tracker)),
            ActionExecuted(self.name()),
            *additional_events,
        ]:
            tracker.update(event)
        return tracker

    _temporary_tracker.__wrapped__ = original  # type: ignore[attr-defined]
    return _temporary_tracker


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
    import rasa.core.run
    from rasa.core.actions.forms import FormAction
    from rasa.shared.core.trackers import DialogueStateTracker
    from rasa.utils.endpoints import EndpointConfig

    EndpointConfig.session = _pooled_session
    _applied_events_from_where_the_walk_got_to.__wrapped__ = DialogueStateTracker.applied_events  # type: ignore[attr-defined]
    DialogueStateTracker.applied_events = _applied_events_from_where_the_walk_got_to
    DialogueStateTracker.copy = _copy_without_replaying(DialogueStateTracker.copy)
    FormAction._temporary_tracker = _form_tracker_without_replaying(FormAction._temporary_tracker)
    rasa.core.run.close_resources = _closing_pooled_clients(rasa.core.run.close_resources)
    RemoteAction._validate_action_result = _validate_action_result
    RemoteAction._action_call_format = _wrap_action_call_format(RemoteAction._action_call_format)
    Event.resolve_by_type = _remembering_resolver(Event.resolve_by_type)
    sqlalchemy.event.listen(sqlalchemy.engine.Engine, "connect", _tune_sqlite_tracker_store)
    setattr(RemoteAction, PATCHED_FLAG, True)
    structlog.processors.dict_tracebacks = _dict_tracebacks_without_locals()
