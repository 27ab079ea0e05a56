"""The custom actions save every answer as it is given, and never twice."""

from __future__ import annotations

import asyncio

from sqlalchemy import func, select

from actions.conversation import ActionPauseIntake, ActionStartOrResume
from actions.handoff import ActionFinishIntake
from actions.intake_form import ActionAskConfirmed, ValidateIntakeForm
from actions.safety import ActionHandleRisk, ActionRequestPerson
from bot.db.engine import create_engine, session_factory
from bot.db.models import Answer, AuditEvent, Flag, Intake, Priority, QueueItem, WellbeingScore
from bot.intake.questions import QUESTIONS
from bot.queue import read
from bot.review.auth import Staff
from tests.support.actions import responses, rows_of, run, tracker

MRS_C = {
    "consent": True,
    "preferred_name": "Carol",
    "contact_method": "phone",
    "contact_detail": "+447700900123",
    "what_matters": "I want to lose weight and keep my blood pressure down",
    "barriers_text": "I felt the gym was for younger, fitter people. Jogging hurt my knees. I'm nervous about going on my own.",
    "wants_company": "yes",
    "enjoys": "Being outdoors",
}

ALL_ANSWERED = {q.key: "x" for q in QUESTIONS}


async def _answer(sender, key, text, slots=None, intent="inform"):
    return await run(ValidateIntakeForm(), tracker(slots or {"consent": True}, text, intent, key, sender))


async def test_consent_creates_the_intake_and_asks_the_first_question(db):
    events, _ = await run(ValidateIntakeForm(), tracker({}, "yes please", "affirm", "consent", "p1"))
    assert {"event": "slot", "timestamp": None, "name": "consent", "value": True} in events
    assert events[-1]["name"] == "requested_slot" and events[-1]["value"] == "preferred_name"
    [intake] = await rows_of(db, Intake, conversation_id="p1")
    assert intake.consent is True and intake.status == "in_progress" and intake.channel == "rest"


async def test_each_answer_is_saved_when_given_with_the_patients_words(db):
    await _answer("p2", "consent", "yes", {})
    await _answer("p2", "what_matters", MRS_C["what_matters"])
    await _answer("p2", "ons_happy", "about a 7")
    answers = {a.question_key: a for a in await rows_of(db, Answer)}
    assert answers["what_matters"].verbatim == MRS_C["what_matters"]
    assert answers["ons_happy"].value == 7 and answers["ons_happy"].verbatim == "about a 7"
    [score] = await rows_of(db, WellbeingScore)
    assert (score.measure, score.score) == ("ons_happy", 7)


async def test_a_repeated_answer_replaces_the_first_one(db):
    await _answer("p3", "consent", "yes", {})
    await _answer("p3", "goal", "walking every day")
    await _answer("p3", "goal", "walking every day")
    await _answer("p3", "goal", "swimming twice a week")
    [answer] = await rows_of(db, Answer)
    assert answer.verbatim == "swimming twice a week"


async def test_an_unclear_answer_is_not_stored_and_the_question_is_asked_again(db):
    await _answer("p4", "consent", "yes", {})
    events, messages = await _answer("p4", "ons_worthwhile", "pretty good")
    assert responses(messages) == ["utter_invalid_scale"]
    values = {e["name"]: e["value"] for e in events}
    assert values["ons_worthwhile"] is None and values["attempts"] == 1
    assert await rows_of(db, Answer) == []


async def test_risk_queues_an_urgent_item_at_once_and_only_once(db):
    tr = tracker({"consent": True}, "Some days I don't want to be here any more", "disclose_risk", None, "p5")
    for _ in range(2):  # a duplicate delivery
        _, messages = await run(ActionHandleRisk(), tr)
        assert responses(messages) == ["utter_crisis", "utter_offer_continue"]
    [flag] = await rows_of(db, Flag)
    assert flag.kind == "safeguarding" and flag.category == "suicide"
    assert flag.message == "Some days I don't want to be here any more"
    [item] = await rows_of(db, QueueItem)
    assert item.priority == Priority.URGENT and item.status == "new"


async def test_risk_before_consent_still_reaches_a_person(db):
    await run(ActionHandleRisk(), tracker({}, "my partner hits me", "disclose_risk", None, "p6"))
    [item] = await rows_of(db, QueueItem)
    assert item.priority == Priority.URGENT


async def test_urgent_items_come_first_on_the_queue(db):
    await run(
        ActionRequestPerson(), tracker({"consent": True}, "can someone ring me", "speak_to_person", None, "first")
    )
    await run(ActionHandleRisk(), tracker({"consent": True}, "I want to end it all", "disclose_risk", None, "second"))
    engine = create_engine(db)
    async with session_factory(engine)() as session:
        rows = await read.rows(session, Staff.system("tests"))
    await engine.dispose()
    assert [r.priority for r in rows] == [Priority.URGENT, Priority.CALLBACK]


async def test_ring_me_as_the_answer_to_how_to_get_in_touch_is_no_request_for_a_person(db):
    # The twenty-second set: "ring me duck" at how to get in touch was taken for a request for a person three times
    asked = tracker({"consent": True}, "ring me duck", "speak_to_person", "contact_method", "ring-me")
    _, messages = await run(ActionRequestPerson(), asked)
    assert "utter_person_requested" not in responses(messages)
    assert await rows_of(db, Flag, kind="wants_person") == []
    wanted = tracker({"consent": True}, "call me, I want to talk to someone now", "speak_to_person", "contact_method")
    _, messages = await run(ActionRequestPerson(), wanted)
    assert "utter_person_requested" in responses(messages)
    assert len(await rows_of(db, Flag, kind="wants_person")) == 1


async def _complete(sender: str, answers: dict[str, str]):
    await _answer(sender, "consent", "yes", {})
    for key, text in answers.items():
        if key != "consent":
            await _answer(sender, key, text)
    return tracker({"consent": True, "confirmed": True}, "yes", "affirm", None, sender)


async def test_confirmation_writes_the_summary_and_one_queue_item(db):
    done = await _complete("mrs-c", MRS_C)
    _, messages = await run(ActionFinishIntake(), done)
    await run(ActionFinishIntake(), done)  # a retry
    assert responses(messages) == ["utter_submitted"]
    assert messages[0]["reference"].startswith("WM-")
    [intake] = await rows_of(db, Intake, conversation_id="mrs-c")
    assert intake.status == "submitted"
    assert intake.summary["barriers"]["in_their_words"] == MRS_C["barriers_text"]
    assert intake.summary["preferences"]["wants_someone_to_go_with_them"] is True
    [item] = await rows_of(db, QueueItem)
    assert item.priority == Priority.ROUTINE


async def test_a_read_back_nobody_can_read_reaches_a_person_with_the_answers(db):
    """The fourth reply the read-back cannot read sends the answers and puts a call-back on the queue."""
    await _complete("unread", MRS_C)
    slots = {"consent": True, "attempts": 3}
    events, messages = await run(ValidateIntakeForm(), tracker(slots, "hmm", "inform", "confirmed", "unread"))
    assert responses(messages) == ["utter_sent_for_person_to_check"]
    assert {"event": "slot", "timestamp": None, "name": "confirmed", "value": True} in events
    [flag] = await rows_of(db, Flag)
    assert (flag.kind, flag.category, flag.message) == ("wants_person", "read_back_unconfirmed", "hmm")
    [item] = await rows_of(db, QueueItem)
    assert item.priority == Priority.CALLBACK


async def test_concurrent_confirmations_make_exactly_one_queue_item(db):
    done = await _complete("race", MRS_C)
    await asyncio.gather(*(run(ActionFinishIntake(), done) for _ in range(5)))
    assert len(await rows_of(db, QueueItem)) == 1


async def test_submitting_keeps_an_earlier_urgent_priority(db):
    await run(ActionHandleRisk(), tracker({"consent": True}, "I have been self harming", "disclose_risk", None, "urg"))
    done = await _complete("urg", MRS_C)
    _, messages = await run(ActionFinishIntake(), done)
    assert responses(messages) == ["utter_submitted_urgent"]  # not "within 5 working days"
    [item] = await rows_of(db, QueueItem)
    assert item.priority == Priority.URGENT
    [intake] = await rows_of(db, Intake)
    assert intake.summary["flags"][0]["kind"] == "safeguarding"


async def test_a_refusal_keeps_nothing_but_an_anonymous_count(db):
    await _answer("no-1", "consent", "no thanks", {})
    await _answer("keep-1", "consent", "yes", {})
    events, messages = await run(ActionFinishIntake(), tracker({"consent": False}, "no thanks", "deny", None, "no-1"))
    assert responses(messages) == ["utter_declined"]
    assert {"event": "slot", "name": "forget_conversation", "value": True} in [
        {k: e.get(k) for k in ("event", "name", "value")} for e in events
    ]
    [kept] = await rows_of(db, Intake)
    assert kept.conversation_id == "keep-1"
    assert await rows_of(db, Answer) == [] and await rows_of(db, QueueItem) == []
    [count] = [e for e in await rows_of(db, AuditEvent) if e.action == "declined_erased"]
    assert count.intake_id is None and count.detail == {"channel": "rest"}


async def test_a_refusal_after_a_disclosure_keeps_it_for_the_team(db):
    await run(ActionHandleRisk(), tracker({}, "I want to end my life", "disclose_risk", None, "no-2"))
    await _answer("no-2", "consent", "no", {})
    events, messages = await run(ActionFinishIntake(), tracker({"consent": False}, "no", "deny", None, "no-2"))
    assert responses(messages) == ["utter_declined_kept"]
    assert not any(e.get("name") == "forget_conversation" for e in events)
    [intake] = await rows_of(db, Intake)
    assert intake.status == "declined"
    [item] = await rows_of(db, QueueItem)
    assert item.priority == Priority.URGENT


async def test_changing_a_section_at_confirmation_forgets_the_old_answers(db):
    await _complete("chg", MRS_C)
    events, messages = await run(
        ValidateIntakeForm(), tracker({**ALL_ANSWERED, **MRS_C}, "change my barriers", "inform", "confirmed", "chg")
    )
    cleared = {e["name"] for e in events if e["value"] is None}
    assert {"barriers_text", "barrier_options", "confirmed"} <= cleared
    assert next(e for e in events if e["name"] == "requested_slot")["value"] == "barriers_text"
    keys = {a.question_key for a in await rows_of(db, Answer)}
    assert "barriers_text" not in keys and "what_matters" in keys


async def test_going_back_from_one_question_a_third_time_is_read_as_its_answer(db):
    """Words misread as a change cannot send a person round the same questions for ever (`repeats`)."""
    slots = {"consent": True, "preferred_name": "Jo", "contact_method": "email", "contact_detail": "jo@example.org"}
    counted = None
    for _ in range(2):
        events, _messages = await _answer(
            "cyc", "contact_times", "change my email", {**slots, "changes_asked_at": counted}
        )
        assert next(e for e in events if e["name"] == "requested_slot")["value"] == "contact_method"
        counted = next(e for e in events if e["name"] == "changes_asked_at")["value"]
    assert counted == {"contact_times": 2}
    events, _messages = await _answer("cyc", "contact_times", "change my email", {**slots, "changes_asked_at": counted})
    assert next(e for e in events if e["name"] == "requested_slot")["value"] == "gp_practice"
    assert "contact_method" not in {e["name"] for e in events if e["value"] is None}
    [answer] = await rows_of(db, Answer, question_key="contact_times")
    assert answer.verbatim == "change my email"


async def test_readback_shows_what_was_saved(db):
    await _complete("rb", MRS_C)
    _, messages = await run(ActionAskConfirmed(), tracker({"consent": True}, "", "inform", None, "rb"))
    readback = messages[1]["text"]
    assert "Jogging hurt my knees" in readback and "Carol" in readback
    assert responses(messages)[2] == "utter_ask_confirmed"


async def test_pause_and_resume(db):
    await _answer("pz", "consent", "yes", {})
    await run(ActionPauseIntake(), tracker({"consent": True}, "I need to go", "pause", None, "pz"))
    [intake] = await rows_of(db, Intake)
    assert intake.status == "paused"
    _, messages = await run(ActionStartOrResume(), tracker({"consent": True}, "I'm back", "resume", None, "pz"))
    assert responses(messages) == ["utter_welcome_back"]
    [intake] = await rows_of(db, Intake)
    assert intake.status == "in_progress"


async def test_asking_for_a_person_is_flagged_and_queued(db):
    await run(
        ActionRequestPerson(), tracker({"consent": True}, "I'd rather talk to a human", "speak_to_person", None, "hp")
    )
    [flag] = await rows_of(db, Flag)
    assert flag.kind == "wants_person"
    [item] = await rows_of(db, QueueItem)
    assert item.priority == Priority.CALLBACK


async def test_answers_count_stays_one_per_question(db):
    await _complete("cnt", MRS_C)
    engine = create_engine(db)
    async with session_factory(engine)() as session:
        count = (await session.execute(select(func.count()).select_from(Answer))).scalar_one()
    await engine.dispose()
    assert count == len(MRS_C) - 1


async def test_top_areas_are_offered_from_the_patients_own_choices(db):
    from actions.intake_form import ActionAskTopAreas

    slots = {"consent": True, "life_areas": ["loneliness", "money", "housing", "other"]}
    _, [message] = await run(ActionAskTopAreas(), tracker(slots, "", "inform", None, "top"))
    assert [b["title"] for b in message["buttons"]] == [
        "Loneliness and feeling connected",
        "Money, benefits and debt",
        "Housing",
        "Something else",  # what they named themselves can be what matters most
    ]
    # Each keeps its number from the first list (money was 4 there), so a reply by number means one thing.
    assert (
        "\n1 Loneliness and feeling connected\n4 Money, benefits and debt\n5 Housing\n12 Something" in message["text"]
    )
    events, _ = await _answer("top", "top_areas", "5 and 4", slots)
    assert {e["name"]: e["value"] for e in events}["top_areas"] == ["money", "housing"]
