"""The wellbeing follow-up by text, on each database: its invitation goes through the SMS outbox to a
fake Twilio (a real HTTP server speaking Twilio's API), the person answers by replying, and the
replies never reach the intake bot. A disclosure reaches the queue as urgent; STOP is honoured."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select, update

from bot.db.models import Flag, FlagKind, Intake, Priority, QueueItem, utcnow
from bot.outcomes import followups
from bot.outcomes.models import FollowUp, FollowUpAnswer
from bot.outcomes.sending import FollowUpSender, Sent
from tests.support.review import MRS_C_ANSWERS, add_intake
from tests.support.sms_rig import NUMBER

BY_TEXT = {**MRS_C_ANSWERS, "contact_method": ("text", "text me"), "contact_detail": (NUMBER, "07700 900123")}


async def _due_follow_up(rig, settings) -> int:
    intake_id = await add_intake(settings, BY_TEXT)
    async with rig.sessions() as session, session.begin():
        intake = (await session.execute(select(Intake).where(Intake.id == intake_id))).scalar_one()
        assert await followups.schedule(session, intake, "lw@example.org", 12) == "sms"
        await session.execute(
            update(FollowUp).where(FollowUp.intake_id == intake_id).values(due_at=utcnow() - timedelta(seconds=1))
        )
    return intake_id


async def _send(rig) -> Sent:
    return await FollowUpSender(rig.settings, rig.sessions, rig.vault).send_due()


async def test_a_follow_up_is_texted_once_and_answered_by_text_without_reaching_the_intake_bot(rig):
    intake_id = await _due_follow_up(rig, rig.settings)
    assert (await _send(rig)).sent == 1 and (await _send(rig)).sent == 0
    [invite] = await rig.fake.until(NUMBER, 1)
    assert invite.body.startswith("Hello Carol") and "Reply to this text" in invite.body and "STOP" in invite.body
    assert "https://whatmatters.example/f/" in invite.body

    await rig.text("hi")  # the invitation asked nothing yet: the first reply gets the first question
    for answer in ("8", "seven", "6", "3", "I go to the walking group now", "I did"):
        await rig.text(answer)
    texts = await rig.fake.until(NUMBER, 8)
    assert "number from 0 to 10" in texts[1].body and "how satisfied are you" in texts[1].body
    assert "Thank you Carol" in texts[-1].body
    assert rig.bot.seen == []
    async with rig.sessions() as session:
        row = (await session.execute(select(FollowUp).where(FollowUp.intake_id == intake_id))).scalar_one()
        answers = (await session.execute(select(FollowUpAnswer).where(FollowUpAnswer.followup_id == row.id))).scalars()
        assert row.status == "answered"
        assert {a.question_key: a.value for a in answers}["took_up_offer"] == "yes"

    await rig.text("hello again")  # once answered, a text is the intake bot's again
    assert rig.bot.seen and rig.bot.seen[-1][1] == "hello again"


async def test_a_disclosure_by_text_gets_999_first_and_the_item_back_on_the_queue_as_urgent(rig):
    intake_id = await _due_follow_up(rig, rig.settings)
    async with rig.sessions() as session, session.begin():
        await session.execute(update(QueueItem).where(QueueItem.intake_id == intake_id).values(status="closed"))
    await _send(rig)
    await rig.text("I took an overdose an hour ago")
    [_, reply] = await rig.fake.until(NUMBER, 2)
    assert reply.body.startswith("Please call 999 now")
    async with rig.sessions() as session:
        item = (await session.execute(select(QueueItem).where(QueueItem.intake_id == intake_id))).scalar_one()
    assert (item.status, item.priority) == ("new", Priority.URGENT)


async def test_stop_declines_the_follow_up_and_no_later_one_is_sent_to_that_number(rig):
    first = await _due_follow_up(rig, rig.settings)
    await _send(rig)
    await rig.fake.until(NUMBER, 1)
    await rig.text("STOP")
    async with rig.sessions() as session:
        row = (await session.execute(select(FollowUp).where(FollowUp.intake_id == first))).scalar_one()
    assert row.status == "declined" and row.closed_reason == "the number sent STOP"

    await _due_follow_up(rig, rig.settings)
    outcome = await _send(rig)
    assert (outcome.sent, outcome.declined) == (0, 1)
    assert len(rig.fake.to(NUMBER)) == 1


async def test_one_reminder_by_text_to_someone_who_has_not_replied(rig):
    intake_id = await _due_follow_up(rig, rig.settings)
    await _send(rig)
    await rig.fake.until(NUMBER, 1)
    async with rig.sessions() as session, session.begin():
        await session.execute(
            update(FollowUp).where(FollowUp.intake_id == intake_id).values(sent_at=utcnow() - timedelta(days=8))
        )
    assert (await _send(rig)).reminded == 1 and (await _send(rig)).reminded == 0
    [_, reminder] = await rig.fake.until(NUMBER, 2)
    assert "again" in reminder.body and "reply STOP" in reminder.body
    await rig.text("ok go on")  # a reply starts the questions
    await rig.text("6")
    [*_, first, second] = await rig.fake.until(NUMBER, 4)
    assert "how satisfied are you" in first.body and "worthwhile" in second.body and rig.bot.seen == []


async def test_asking_for_a_call_by_text_puts_the_item_back_on_the_queue_and_the_questions_carry_on(rig):
    intake_id = await _due_follow_up(rig, rig.settings)
    async with rig.sessions() as session, session.begin():
        await session.execute(update(QueueItem).where(QueueItem.intake_id == intake_id).values(status="closed"))
    await _send(rig)
    await rig.text("hi")
    await rig.text("can someone ring me pls")
    [*_, asked] = await rig.fake.until(NUMBER, 3)
    assert "asked the team to get in touch" in asked.body and "how satisfied are you" in asked.body
    await rig.text("not now, later")
    [*_, later] = await rig.fake.until(NUMBER, 4)
    assert "Reply to this text when you're ready" in later.body and "how satisfied are you" in later.body
    await rig.text("7")
    [*_, next_question] = await rig.fake.until(NUMBER, 5)
    assert "worthwhile" in next_question.body and rig.bot.seen == []
    async with rig.sessions() as session:
        item = (await session.execute(select(QueueItem).where(QueueItem.intake_id == intake_id))).scalar_one()
        [flag] = (await session.execute(select(Flag).where(Flag.intake_id == intake_id))).scalars()
        row = (await session.execute(select(FollowUp).where(FollowUp.intake_id == intake_id))).scalar_one()
        answers = (await session.execute(select(FollowUpAnswer).where(FollowUpAnswer.followup_id == row.id))).scalars()
        assert (item.status, item.priority) == ("new", Priority.CALLBACK)
        assert (flag.kind, flag.message) == (FlagKind.WANTS_PERSON, "Follow-up: can someone ring me pls")
        assert [(a.question_key, a.value) for a in answers] == [("ons_life_satisfaction", 7)]
