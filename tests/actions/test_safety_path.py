"""The safety path in the actions: a disclosure is an answer too, the bot waits, and faults lose nothing."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

import actions.db
from actions.intake_form import ValidateIntakeForm
from actions.safety import ActionHandleRisk
from bot.db.engine import create_engine, session_factory
from bot.db.models import Answer, AuditEvent, Flag, Intake, Priority, QueueItem, QueueStatus
from bot.intake import store
from bot.intake.fallback import spool_disclosure
from bot.intake.reconcile import Reconciler
from bot.queue import entry
from bot.teams import store as team_store
from bot.teams.routing import start_from
from tests.support.actions import responses, rows_of, run, tracker

ABUSE = "my partner hits me and I'm scared to go home"
ABOUT = {
    "consent": True,
    "preferred_name": "Jo",
    "contact_method": "practice",
    "contact_times": "any",
    "gp_practice": "none",
    "nhs_number": "none",
    "referral_code": "none",
}
"""Everything before "What matters most to you?"."""


def _slots(events):
    return {e["name"]: e["value"] for e in events if e.get("event") == "slot"}


async def test_a_disclosure_answering_what_matters_is_saved_flagged_and_the_bot_waits(db):
    tr = tracker({"consent": True}, ABUSE, "disclose_risk", "what_matters", "s1")
    events, messages = await run(ValidateIntakeForm(), tr)
    assert responses(messages) == ["utter_crisis", "utter_offer_continue"]
    slots = _slots(events)
    assert slots.get("what_matters", ABUSE) == ABUSE, "kept as the answer (the slot already holds the text)"
    assert slots["requested_slot"] == "carry_on"
    assert slots["risk_flagged"] is True
    [answer] = await rows_of(db, Answer)
    assert (answer.question_key, answer.value) == ("what_matters", ABUSE)
    [flag] = await rows_of(db, Flag)
    assert flag.kind == "safeguarding" and flag.category == "abuse"

    # "ok, let's carry on" is not an answer to anything: the next question is asked, nothing saved.
    after = {**ABOUT, "what_matters": ABUSE, "risk_flagged": True}
    events, messages = await run(ValidateIntakeForm(), tracker(after, "ok, let's carry on", "affirm", "carry_on", "s1"))
    assert messages == []
    assert _slots(events)["requested_slot"] == "life_areas"
    assert len(await rows_of(db, Answer)) == 1


async def test_the_same_disclosure_again_gets_the_short_reply(db):
    slots = {"consent": True, "what_matters": ABUSE, "risk_flagged": True}
    _, messages = await run(ValidateIntakeForm(), tracker(slots, ABUSE, "disclose_risk", "carry_on", "s2"))
    assert responses(messages) == ["utter_crisis_again"]


async def test_an_uncertain_disclosure_asks_the_check_question_and_queues_a_check(db):
    tr = tracker({"consent": True}, "I've been really low since my husband died", "disclose_risk", "what_matters", "s3")
    tr.latest_message["risk"] = {"tier": "uncertain", "category": "classifier"}
    events, messages = await run(ValidateIntakeForm(), tr)
    assert messages == [], "the check question is asked by the form (utter_ask_risk_check)"
    slots = _slots(events)
    assert slots["requested_slot"] == "risk_check"
    [flag] = await rows_of(db, Flag)
    assert flag.kind == "risk_check"
    [item] = await rows_of(db, QueueItem)
    assert item.priority == Priority.CALLBACK

    held = {**ABOUT, "pending_answer": slots["pending_answer"]}
    events, messages = await run(ValidateIntakeForm(), tracker(held, "no", "deny", "risk_check", "s3"))
    assert responses(messages) == ["utter_risk_check_thanks"]
    assert _slots(events)["what_matters"] == "I've been really low since my husband died"
    assert _slots(events)["requested_slot"] == "life_areas"
    [answer] = await rows_of(db, Answer)
    assert answer.question_key == "what_matters"


@pytest.fixture
async def no_database(monkeypatch):
    """The actions' database is a PostgreSQL server that is not running (nothing listens on the port)."""
    monkeypatch.setenv("WM_DATABASE_URL", "postgresql+asyncpg://postgres@127.0.0.1:9/stopped")
    await actions.db.reset()
    yield
    await actions.db.reset()


async def test_the_crisis_reply_goes_out_with_the_database_down(no_database):
    _, messages = await run(ValidateIntakeForm(), tracker({"consent": True}, ABUSE, "disclose_risk", "what_matters"))
    assert responses(messages) == ["utter_crisis", "utter_offer_continue"]
    _, messages = await run(ActionHandleRisk(), tracker({}, "I want to kill myself", "disclose_risk"))
    assert responses(messages) == ["utter_crisis", "utter_offer_continue"]


async def test_an_ordinary_answer_with_the_database_down_fails_loudly(no_database):
    with pytest.raises((OSError, DBAPIError)):  # the connection is refused: the action fails, and Rasa says so
        await run(ValidateIntakeForm(), tracker({"consent": True}, "7", "inform", "ons_happy"))


async def test_a_disclosure_on_a_closed_item_reopens_it_as_urgent(db):
    engine = create_engine(db)
    try:
        async with session_factory(engine)() as session:
            async with session.begin():
                intake = await store.ensure_intake(session, "s4", "rest")
                await entry.raise_priority(session, intake.id, Priority.ROUTINE)
                await session.execute(text("UPDATE queue_items SET status = 'closed', assignee = 'lw@example.org'"))
    finally:
        await engine.dispose()
    await run(ActionHandleRisk(), tracker({}, "I want to end my life", "disclose_risk", None, "s4"))
    [item] = await rows_of(db, QueueItem)
    assert (item.status, item.priority, item.assignee) == (QueueStatus.NEW, Priority.URGENT, None)
    assert [e.action for e in await rows_of(db, AuditEvent)] == ["reopened"]


async def test_the_reconciler_raises_flags_missing_from_the_tracker_and_the_spool(db, tmp_path):
    engine = create_engine(db)
    sessions = session_factory(engine)
    user = {
        "event": "user",
        "text": "I took all my tablets",
        "parse_data": {"risk": {"tier": "certain", "category": "medical_emergency"}},
    }
    bot = {"event": "bot", "text": "Please call 999 now", "metadata": {"utter_action": "utter_emergency"}}
    try:
        async with sessions() as session:
            async with session.begin():
                await session.execute(
                    text(
                        "CREATE TABLE events (id INTEGER PRIMARY KEY, sender_id VARCHAR(255), type_name VARCHAR(255), "
                        "timestamp FLOAT, intent_name VARCHAR(255), action_name VARCHAR(255), data TEXT)"
                    )
                )
                for number, event in enumerate([user, bot], 1):
                    await session.execute(
                        text("INSERT INTO events (id, sender_id, type_name, data) VALUES (:id, 'r1', :kind, :data)"),
                        {"id": number, "kind": event["event"], "data": json.dumps(event)},
                    )
        spool_disclosure(db.with_overrides(spool_dir=str(tmp_path)), "r2", "socketio", "I want to die", "suicide")

        reconciler = Reconciler(sessions, tmp_path)
        assert await reconciler.run_once() == 2
        assert await reconciler.run_once() == 0, "never twice"
        assert not list(tmp_path.glob("*.json")), "the spool is emptied once the flag is committed"
        flags = sorted((f.message, f.category) for f in await rows_of(db, Flag))
        assert flags == [("I took all my tablets", "medical_emergency"), ("I want to die", "suicide")]
        assert {i.priority for i in await rows_of(db, QueueItem)} == {Priority.URGENT}
        assert sorted(e.source for e in await rows_of(db, AuditEvent, action="flag.reconciled")) == ["spool", "tracker"]
    finally:
        await engine.dispose()


async def test_a_spooled_disclosure_reaches_the_team_of_the_entry_point_it_came_through(db, tmp_path):
    """Rasa failed on the person's first message (so no intake exists yet): the reconciler makes
    the intake in the team whose poster they used, not in the default team."""
    engine = create_engine(db)
    sessions = session_factory(engine)
    try:
        async with sessions() as session:
            async with session.begin():
                team = await team_store.create_team(session, "test", "ae-north", "A&E North", "hub")
                place = await team_store.create_entry_point(session, "test", "ae-north", "Northgate A&E", "ae")
        start = start_from({"entry": place.code, "text": "ignored"})
        spool_disclosure(
            db.with_overrides(spool_dir=str(tmp_path)), "r9", "rest", "I want to die", "suicide", start=start
        )
        assert await Reconciler(sessions, tmp_path).run_once() == 1
        [intake] = await rows_of(db, Intake)
        assert (intake.team_id, intake.entry_point_id) == (team.id, place.id)
        assert [f.message for f in await rows_of(db, Flag)] == ["I want to die"]
    finally:
        await engine.dispose()


async def test_unsafe_tonight_names_the_councils_emergency_housing_line(db):
    _, messages = await run(ActionHandleRisk(), tracker({}, "I've got nowhere to sleep tonight", "disclose_risk"))
    assert responses(messages)[0] == "utter_unsafe_now"
    assert messages[0]["housing_line"] == db.emergency_housing_line
