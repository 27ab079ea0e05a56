"""Follow-up answers a link worker heard on the phone, on each database: recorded on the intake page (a
plain form, checked on the server, an error per field) and through the API (422 per field); saved in one
transaction as the answered phone follow-up beside the baseline; a follow-up still waiting to be sent is
closed so the person is not asked twice; what they said is read for risk; all of it audited."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.db.models import AuditEvent, Flag, FlagKind, Priority, QueueItem, utcnow
from bot.outcomes import by_phone, dashboard_store, followups
from bot.outcomes.models import FollowUp, FollowUpAnswer
from bot.outcomes.risk_reader import FollowUpRisk
from bot.queue import audit
from bot.review import auth
from bot.web import followup
from bot.web.api import OPENAPI
from bot.web.app import create_app
from tests.review.test_api_and_cli import _token
from tests.review.test_dashboard import sign_in_manager
from tests.review.test_followup import BY_EMAIL, _close_as_supported, _rows
from tests.support.review import PASSWORD, add_intake, add_user, audit_actions, in_db, sign_in

HEARD = {
    "life_satisfaction": "8",
    "worthwhile": "7",
    "happy": "",  # not asked, or they would rather not say
    "anxious": "2",
    "what_changed": "I go to the walking group <b>most</b> weeks",
    "took_up_offer": "partly",
}


@pytest.fixture
async def client(aiohttp_client, settings):
    """The app with the follow-up's own risk reader on the phrase list alone (no trained model to load)."""
    app = create_app(settings)
    app[followup.risk_key] = FollowUpRisk(None)
    return await aiohttp_client(app)


@pytest.fixture
async def closed(client, settings):
    """Mrs C (who chose phone calls) closed as supported: no follow-up message, so none at all."""
    await add_user(settings, "lw@example.org")
    intake_id = await add_intake(settings)
    csrf = await _close_as_supported(client, intake_id)
    return intake_id, csrf


async def _audit_rows(settings, intake_id, action):
    async def work(session):
        query = select(AuditEvent).where(AuditEvent.intake_id == intake_id, AuditEvent.action == action)
        return list((await session.execute(query)).scalars())

    return await in_db(settings, work)


async def _record(client, intake_id, csrf, **fields):
    data = {"csrf_token": csrf, "action": "record_by_phone", **fields}
    return await client.post(f"/intakes/{intake_id}/followup", data=data, allow_redirects=False)


async def test_a_phone_only_person_s_answers_are_recorded_on_the_page_and_shown_beside_the_baseline(
    client, settings, closed
):
    intake_id, csrf = closed
    assert await _rows(settings, FollowUp) == []
    page = await (await client.get(f"/intakes/{intake_id}")).text()
    assert "Record answers they gave on the phone" in page and 'name="action" value="record_by_phone"' in page
    assert 'for="phone-life_satisfaction"' in page and 'id="phone-took_up_offer"' in page

    saved = await _record(client, intake_id, csrf, **HEARD)
    assert saved.status == 303 and saved.headers["Location"].endswith("m=followup_by_phone#followup")

    [row] = await _rows(settings, FollowUp)
    assert (row.channel, row.status, row.token_hash) == ("phone", "answered", None)
    assert row.answered_at is not None and row.scheduled_by == "lw@example.org"
    answers = {a.question_key: (a.value, a.status) for a in await _rows(settings, FollowUpAnswer)}
    assert answers == {
        "ons_life_satisfaction": (8, "answered"),
        "ons_worthwhile": (7, "answered"),
        "ons_happy": (None, "skipped"),
        "ons_anxious": (2, "answered"),
        "what_changed": ("I go to the walking group <b>most</b> weeks", "answered"),
        "took_up_offer": ("partly", "answered"),
    }
    summary = await (await client.get(f"/intakes/{intake_id}")).text()
    assert 'id="followup-status">Answered (phone call)' in summary
    assert 'id="fu-base-life_satisfaction">6/10 (medium)' in summary
    assert 'id="fu-now-life_satisfaction">8/10 (high)' in summary
    assert 'id="fu-now-happy">Not answered' in summary and 'id="fu-change-anxious">-2 (better)' in summary
    assert "&lt;b&gt;most&lt;/b&gt;" in summary and 'id="fu-took-up">Partly' in summary
    assert "Record answers they gave on the phone" not in summary  # answered: nothing more to record

    [event] = await _audit_rows(settings, intake_id, "followup.recorded_by_phone")
    assert event.actor == "lw@example.org"
    assert event.detail == {"answered": ["life_satisfaction", "worthwhile", "anxious", "what_changed", "took_up_offer"]}
    assert "walking" not in str(event.detail)  # which questions, never their words

    async def on_the_dashboard(session):
        return await dashboard_store.followups(
            session, utcnow() - timedelta(days=1), utcnow() + timedelta(days=1), None
        )

    [counted] = await in_db(settings, on_the_dashboard)  # the dashboard counts it with no change of its own
    assert counted.answered_at is not None and counted.took_up_offer == "partly"
    assert counted.follow_up["life_satisfaction"] == 8 and counted.baseline["life_satisfaction"] == 6

    again = await _record(client, intake_id, csrf, **HEARD)
    assert again.headers["Location"].endswith("m=error#followup")
    assert len(await _rows(settings, FollowUpAnswer)) == 6


async def test_the_form_says_what_is_wrong_with_each_field_and_saves_nothing(client, settings, closed):
    intake_id, csrf = closed
    wrong = await _record(
        client,
        intake_id,
        csrf,
        life_satisfaction="11",
        worthwhile="seven",
        happy="5",
        anxious="-1",
        what_changed="x" * (by_phone.MAX_WHAT_CHANGED + 1),
        took_up_offer="maybe",
    )
    page = await wrong.text()
    assert wrong.status == 400 and "There is a problem" in page
    for field in ("life_satisfaction", "worthwhile", "anxious", "what_changed", "took_up_offer"):
        assert f'href="#phone-{field}"' in page and f'id="phone-{field}-error"' in page
        assert f'aria-describedby="phone-{field}-error"' in page
    assert 'href="#phone-happy"' not in page
    assert "Enter life satisfaction as a whole number from 0 to 10" in page
    assert "Choose yes, partly, no or not asked" in page
    assert 'id="phone-happy" name="happy" type="text" inputmode="numeric" autocomplete="off" value="5"' in page
    assert await _rows(settings, FollowUp) == [] and await _rows(settings, FollowUpAnswer) == []

    empty = await _record(client, intake_id, csrf, life_satisfaction=" ", took_up_offer="not_asked")
    assert empty.status == 400 and "Record at least one answer they gave on the phone" in await empty.text()
    assert await _rows(settings, FollowUp) == []
    assert await _audit_rows(settings, intake_id, "followup.recorded_by_phone") == []

    forged = await client.post(
        f"/intakes/{intake_id}/followup", data={"action": "record_by_phone", **HEARD}, allow_redirects=False
    )
    assert forged.status == 403 and await _rows(settings, FollowUp) == []  # CSRF, like the page's other forms


async def test_nothing_is_saved_half_way_when_saving_fails(client, settings, closed, monkeypatch):
    intake_id, csrf = closed
    real = audit.record

    async def failing(session, actor, action, *args, **kwargs):
        if action == "followup.recorded_by_phone":  # after the follow-up and its answers are written
            raise ConnectionError("the database went away")
        return await real(session, actor, action, *args, **kwargs)

    monkeypatch.setattr(audit, "record", failing)
    failed = await _record(client, intake_id, csrf, **HEARD)
    assert failed.status == 500
    monkeypatch.setattr(audit, "record", real)
    assert await _rows(settings, FollowUp) == [] and await _rows(settings, FollowUpAnswer) == []
    assert (await _record(client, intake_id, csrf, **HEARD)).status == 303  # and it can be done again


async def test_a_follow_up_still_waiting_is_closed_so_they_are_not_asked_twice(client, settings):
    await add_user(settings, "lw@example.org")
    scheduled = await add_intake(settings, BY_EMAIL)
    csrf = await _close_as_supported(client, scheduled)
    sent = await add_intake(settings, BY_EMAIL)
    await _close_as_supported(client, sent)
    token, digest = followups.new_token()

    async def send(session):
        row = await followups.of_intake(session, sent)
        assert await followups.mark_sent(session, row.id, digest, None)

    await in_db(settings, send)
    assert (await client.get(f"/f/{token}")).status == 200
    page = await (await client.get(f"/intakes/{scheduled}")).text()
    assert "The e-mail follow-up is then cancelled" in page

    for intake_id in (scheduled, sent):
        assert (await _record(client, intake_id, csrf, life_satisfaction="9")).status == 303
        [row] = await _rows(settings, FollowUp, FollowUp.intake_id == intake_id)
        assert (row.channel, row.status, row.token_hash, row.closed_reason) == ("phone", "answered", None, None)
        [cancelled] = await _audit_rows(settings, intake_id, "followup.cancelled")
        assert cancelled.actor == "lw@example.org"
        assert cancelled.detail == {"reason": "answered on the phone", "channel": "email"}
    assert (await client.get(f"/f/{token}")).status == 404  # the link sent is dead

    async def due_now(session):
        return await followups.due(session, utcnow() + timedelta(weeks=52))

    assert await in_db(settings, due_now) == []  # nothing left to send


async def test_only_a_closed_item_and_only_staff_who_see_people(client, new_client, settings):
    await add_user(settings, "lw@example.org")
    await in_db(settings, lambda s: auth.create_user(s, "boss@example.org", "manager", PASSWORD, teams=["main"]))
    open_item = await add_intake(settings)
    csrf = await sign_in(client, "lw@example.org")
    page = await (await client.get(f"/intakes/{open_item}")).text()
    assert "Record answers they gave on the phone" not in page
    refused = await _record(client, open_item, csrf, **HEARD)
    assert refused.headers["Location"].endswith("m=error#followup")
    assert await _rows(settings, FollowUp) == []

    manager = await new_client()
    manager_csrf = await sign_in_manager(manager, "boss@example.org")
    assert (await _record(manager, open_item, manager_csrf, **HEARD)).status == 403
    api = await new_client()
    headers = await _token(settings, "boss@example.org")
    body = {"action": "record_by_phone", "answers": {"happy": 5}}
    assert (await api.post(f"/api/v1/intakes/{open_item}/followup", json=body, headers=headers)).status == 403
    assert await _rows(settings, FollowUp) == []


async def test_the_api_records_answers_from_the_phone_with_an_error_per_field(client, new_client, settings, closed):
    intake_id, _ = closed
    api = await new_client()
    headers = await _token(settings, "lw@example.org")
    url = f"/api/v1/intakes/{intake_id}/followup"

    wrong = await api.post(
        url,
        json={
            "action": "record_by_phone",
            "answers": {"happy": 11, "anxious": "2", "worthwhile": True, "took_up_offer": "maybe", "what_changed": 3},
        },
        headers=headers,
    )
    document = await wrong.json()
    assert wrong.status == 422, document
    assert set(document["errors"]) == {"happy", "worthwhile", "took_up_offer", "what_changed"}  # "2" reads as 2
    assert "0 to 10" in document["errors"]["happy"]
    unknown = await api.post(url, json={"action": "record_by_phone", "answers": {"mood": 3}}, headers=headers)
    assert unknown.status == 422 and "mood" in (await unknown.json())["errors"]["answers"]
    none = await api.post(url, json={"action": "record_by_phone", "answers": {"happy": None}}, headers=headers)
    assert none.status == 422 and "at least one" in (await none.json())["errors"]["answers"]
    shape = await api.post(url, json={"action": "cancel", "answers": {"happy": 5}}, headers=headers)
    assert shape.status == 400
    assert await _rows(settings, FollowUp) == []

    saved = await api.post(
        url,
        json={
            "action": "record_by_phone",
            "answers": {"life_satisfaction": 9, "anxious": 1, "took_up_offer": "yes", "what_changed": None},
        },
        headers=headers,
    )
    document = await saved.json()
    assert saved.status == 200, document
    assert (document["status"], document["channel"], document["took_up_offer"]) == ("answered", "phone", "yes")
    life = next(m for m in document["wellbeing_ons4"] if m["measure"] == "life_satisfaction")
    assert (life["baseline"], life["follow_up"], life["change"]) == (6, 9, 3)
    again = await api.post(url, json={"action": "record_by_phone", "answers": {"happy": 5}}, headers=headers)
    assert again.status == 409
    assert len(await _audit_rows(settings, intake_id, "followup.recorded_by_phone")) == 1

    operation = OPENAPI["paths"]["/intakes/{intake_id}/followup"]["post"]
    assert "422" in operation["responses"]
    schemas = OPENAPI["components"]["schemas"]
    assert "record_by_phone" in schemas["FollowUpChange"]["properties"]["action"]["enum"]
    assert set(schemas["FollowUpByPhone"]["properties"]) == set(by_phone.FIELDS)


async def test_a_disclosure_heard_on_the_phone_puts_the_item_back_on_the_queue_as_urgent(client, settings, closed):
    intake_id, csrf = closed
    said = "Nothing has changed and I want to end my life"
    assert (await _record(client, intake_id, csrf, what_changed=said, anxious="9")).status == 303
    [item] = await _rows(settings, QueueItem, QueueItem.intake_id == intake_id)
    assert (item.status, item.priority, item.assignee) == ("new", Priority.URGENT, None)
    [flag] = await _rows(settings, Flag, Flag.intake_id == intake_id, Flag.kind == FlagKind.SAFEGUARDING)
    assert flag.message == f"Follow-up: {said}" and flag.category == "suicide"
    answers = {a.question_key: a.verbatim for a in await _rows(settings, FollowUpAnswer)}
    assert answers["what_changed"] == said  # kept as their answer too
    assert "reopened" in [action for _, action, _ in await audit_actions(settings, intake_id)]
    page = await (await client.get(f"/intakes/{intake_id}")).text()
    assert 'id="urgent"' in page and "want to end my life" in page


async def test_a_possible_disclosure_heard_on_the_phone_is_put_back_on_the_queue_to_check(
    client, new_client, settings, closed
):
    intake_id, _ = closed
    api = await new_client()
    headers = await _token(settings, "lw@example.org")
    said = "I used to self harm years ago, it's better now"
    saved = await api.post(
        f"/api/v1/intakes/{intake_id}/followup",
        json={"action": "record_by_phone", "answers": {"what_changed": said}},
        headers=headers,
    )
    assert saved.status == 200, await saved.text()
    [item] = await _rows(settings, QueueItem, QueueItem.intake_id == intake_id)
    assert (item.status, item.priority) == ("new", Priority.CALLBACK)
    [flag] = await _rows(settings, Flag, Flag.intake_id == intake_id)
    assert (flag.kind, flag.message, flag.category) == (FlagKind.RISK_CHECK, f"Follow-up: {said}", "self_harm")
    assert "reopened" in [action for _, action, _ in await audit_actions(settings, intake_id)]
