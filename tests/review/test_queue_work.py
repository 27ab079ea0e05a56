"""Working the queue through the web app: order, filters, claim race, the summary page, notes, audit."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from bot.db.models import QueueItem, utcnow
from bot.queue import entry
from bot.web.app import create_app
from tests.support.review import MRS_C_ANSWERS, add_intake, add_user, audit_actions, csrf_of, in_db, sign_in


async def _age(settings, intake_id: int, minutes: int) -> None:
    await in_db(
        settings,
        lambda s: s.execute(
            update(QueueItem)
            .where(QueueItem.intake_id == intake_id)
            .values(created_at=utcnow() - timedelta(minutes=minutes))
        ),
    )


async def _item(settings, intake_id: int) -> QueueItem:
    return await in_db(settings, lambda s: _scalar(s, intake_id))


async def _scalar(session, intake_id):
    return (await session.execute(select(QueueItem).where(QueueItem.intake_id == intake_id))).scalar_one()


def _row_ids(html: str) -> list[int]:
    import re

    return [int(x) for x in re.findall(r'data-intake="(\d+)"', html)]


async def test_urgent_first_then_oldest_with_counts_and_filters(client, settings):
    await add_user(settings, "lw@example.org")
    await add_user(settings, "other@example.org")
    oldest = await add_intake(settings)
    newer = await add_intake(
        settings, {**MRS_C_ANSWERS, "life_areas": (["loneliness"], "lonely"), "preferred_name": ("Dev", "Dev")}
    )
    urgent = await add_intake(
        settings, {"preferred_name": ("Sam", "Sam")}, risk="Some days I don't want to be here any more", submit=False
    )
    await _age(settings, oldest, 300)
    await _age(settings, newer, 60)
    await sign_in(client, "lw@example.org")
    html = await (await client.get("/queue")).text()
    assert _row_ids(html) == [urgent, oldest, newer]
    assert "<strong>3</strong> new" in html
    assert "5 hours" in html and "Physical activity and weight" in html and "Safeguarding" in html
    assert _row_ids(await (await client.get("/queue?area=loneliness")).text()) == [newer]

    async def claim_for_other(session):
        assert await entry.take(session, (await _scalar(session, oldest)).id, "other@example.org")

    await in_db(settings, claim_for_other)
    assert _row_ids(await (await client.get("/queue?assignee=unassigned")).text()) == [urgent, newer]
    assert _row_ids(await (await client.get("/queue?assignee=mine")).text()) == []
    assert _row_ids(await (await client.get("/queue?status=claimed")).text()) == [oldest]
    html = await (await client.get("/queue")).text()
    assert "<strong>2</strong> new" in html and "<strong>1</strong> claimed" in html


async def test_the_queue_page_polls_for_changes(client, settings):
    await add_user(settings, "lw@example.org")
    await sign_in(client, "lw@example.org")
    html = await (await client.get("/queue")).text()
    import re

    version = re.search(r'data-version="([^"]+)"', html).group(1)
    assert (await client.get(f"/queue/live?since={version}")).status == 204
    intake_id = await add_intake(settings)
    reply = await client.get(f"/queue/live?since={version}")
    assert reply.status == 200 and reply.headers["X-Queue-Version"] != version
    assert _row_ids(await reply.text()) == [intake_id]


@pytest.mark.parametrize("database", ["sqlite", "postgres"])
async def test_a_claim_race_has_exactly_one_winner(aiohttp_client, request, database):
    settings = request.getfixturevalue(f"{database}_settings")
    workers = [f"lw{i}@example.org" for i in range(4)]
    for email in workers:
        await add_user(settings, email)
    intake_id = await add_intake(settings)
    clients = []
    for email in workers:
        client = await aiohttp_client(create_app(settings))
        clients.append((client, await sign_in(client, email)))
    replies = await asyncio.gather(
        *[
            client.post(f"/intakes/{intake_id}/claim", data={"csrf_token": csrf}, allow_redirects=False)
            for client, csrf in clients
        ]
    )
    outcomes = [r.headers["Location"].rsplit("m=", 1)[-1] for r in replies]
    assert sorted(outcomes) == ["claimed", "taken", "taken", "taken"]
    winner = workers[outcomes.index("claimed")]
    assert (await _item(settings, intake_id)).assignee == winner
    loser_client, _ = clients[outcomes.index("taken")]
    page = await (await loser_client.get(f"/intakes/{intake_id}?m=taken")).text()
    assert f"{winner} has already claimed this item." in page
    claims = [a for a in await audit_actions(settings, intake_id) if a[1] == "queue.claim"]
    assert [c[0] for c in claims] == [winner]


@pytest.mark.parametrize("database", ["sqlite", "postgres"])
async def test_taking_an_item_is_race_free(request, database):
    settings = request.getfixturevalue(f"{database}_settings")
    intake_id = await add_intake(settings)
    queue_id = (await _item(settings, intake_id)).id
    results = await asyncio.gather(
        *[in_db(settings, lambda s, who=f"w{i}": entry.take(s, queue_id, who)) for i in range(8)]
    )
    assert results.count(True) == 1


async def test_patient_html_is_shown_as_text(client, settings):
    await add_user(settings, "lw@example.org")
    evil = {
        **MRS_C_ANSWERS,
        "preferred_name": ("<script>alert('name')</script>", "<script>alert('name')</script>"),
        "what_matters": ("x", "<img src=x onerror=alert(1)> & <b>bold</b>"),
        "barriers_text": ("x", "</blockquote><script>alert('barrier')</script>"),
        "contact_times": ("<a href='javascript:alert(1)'>click</a>", "x"),
    }
    intake_id = await add_intake(settings, evil, risk="<script>alert('flag')</script>")
    csrf = await sign_in(client, "lw@example.org")
    await client.post(
        f"/intakes/{intake_id}/notes", data={"csrf_token": csrf, "note": "<script>alert('note')</script>"}
    )
    for path in ["/queue", f"/intakes/{intake_id}", "/queue/live"]:
        html = await (await client.get(path)).text()
        assert "<script>alert" not in html and "<img src=x" not in html and "<b>bold" not in html, path
        assert "javascript:alert" not in html.replace("&#39;javascript:alert", ""), path
        assert "&lt;script&gt;alert(&#39;name&#39;)&lt;/script&gt;" in html, path
    page = await (await client.get(f"/intakes/{intake_id}")).text()
    assert "&lt;img src=x onerror=alert(1)&gt; &amp; &lt;b&gt;bold&lt;/b&gt;" in page
    assert "&lt;/blockquote&gt;&lt;script&gt;alert(&#39;barrier&#39;)" in page
    assert "&lt;script&gt;alert(&#39;flag&#39;)" in page and "&lt;script&gt;alert(&#39;note&#39;)" in page


async def test_working_an_item_from_claim_to_close(client, settings):
    await add_user(settings, "lw@example.org")
    intake_id = await add_intake(settings)
    csrf = await sign_in(client, "lw@example.org")
    page = await (await client.get(f"/intakes/{intake_id}")).text()
    for expected in [
        "I want to lose weight and keep my blood pressure down",
        "I&#39;m nervous about going on my own.",
        "Yes, wants someone to go with them",
        "07700 900123",
        "weekday mornings",
        "4/10",
        "lower is better",
        "Being outdoors, I love the park",
        "Ways to open the first call",
        "Physical activity and weight",
    ]:
        assert expected in page, expected

    async def post(action, **data):
        reply = await client.post(
            f"/intakes/{intake_id}/{action}", data={"csrf_token": csrf, **data}, allow_redirects=False
        )
        assert reply.status == 303
        return reply.headers["Location"]

    # Nothing but claiming before it is yours.
    assert (await post("contacted")).endswith("m=error")
    assert (await post("claim")).endswith("m=claimed")
    assert (await post("release")).endswith("m=released")
    assert (await _item(settings, intake_id)).assignee is None
    await post("claim")
    assert (await post("contacted")).endswith("m=contacted")
    assert (await post("notes", note="Left a voicemail.\nWill try Thursday.")).endswith("m=noted#notes")
    assert (await post("close", outcome="nonsense")).endswith("m=error")
    assert (await post("close", outcome="plan_agreed")).endswith("m=closed")
    item = await _item(settings, intake_id)
    assert (item.status, item.outcome, item.assignee) == ("closed", "plan_agreed", "lw@example.org")
    assert item.contacted_at is not None and item.closed_at is not None
    page = await (await client.get(f"/intakes/{intake_id}")).text()
    assert "Left a voicemail.\nWill try Thursday." in page and "lw@example.org" in page and "Plan agreed" in page
    actions = [a for _, a, _ in await audit_actions(settings, intake_id)]
    for expected in [
        "intake.view_summary",
        "queue.claim",
        "queue.release",
        "queue.contacted",
        "note.add",
        "queue.close",
    ]:
        assert expected in actions
    transcript = await client.get(f"/intakes/{intake_id}/transcript")
    assert transcript.status == 200
    assert (await audit_actions(settings, intake_id))[-1][1] == "intake.view_transcript"


async def test_an_admin_assigns_to_a_colleague_and_sees_the_views_in_the_audit_log(client, settings):
    await add_user(settings, "admin@example.org", "admin")
    await add_user(settings, "lw@example.org")
    intake_id = await add_intake(settings)
    csrf = await sign_in(client, "admin@example.org")
    reply = await client.post(
        f"/intakes/{intake_id}/assign", data={"csrf_token": csrf, "assignee": "lw@example.org"}, allow_redirects=False
    )
    assert reply.headers["Location"].endswith("m=assigned")
    assert (await _item(settings, intake_id)).assignee == "lw@example.org"
    assert (await client.get(f"/intakes/{intake_id}")).status == 200
    html = await (await client.get(f"/admin/audit?intake={intake_id}&action=intake.view")).text()
    assert "intake.view_summary" in html and "admin@example.org" in html and "127.0.0.1" in html
    rows = html.split("<tbody", 1)[1]
    assert "queue.assign" not in rows  # filtered out
    html = await (await client.get("/admin/audit?actor=lw@")).text()
    assert "No events match." in html or "lw@example.org" in html


async def test_unknown_intakes_are_404(client, settings):
    await add_user(settings, "lw@example.org")
    csrf = await sign_in(client, "lw@example.org")
    assert (await client.get("/intakes/999")).status == 404
    assert (await client.get("/intakes/abc")).status == 404
    assert (await client.post("/intakes/999/claim", data={"csrf_token": csrf}, allow_redirects=False)).status == 404


async def test_the_login_form_is_accessible_markup(client):
    html = await (await client.get("/login")).text()
    assert '<html lang="en">' in html and 'href="#maincontent"' in html
    assert '<label class="nhsuk-label" for="email">' in html and 'autocomplete="current-password"' in html
    assert csrf_of(html)


async def test_answers_sent_unconfirmed_at_the_read_back_say_so_to_the_link_worker(client, settings):
    """The read-back's fourth unreadable reply sends the answers with a call-back flag: the page says they were not
    confirmed, so the link worker goes through them with the person."""
    from bot.db.models import Intake
    from bot.intake import store

    await add_user(settings, "lw@example.org")
    intake_id = await add_intake(settings)

    async def flag(session):
        intake = await session.get(Intake, intake_id)
        await store.add_flag(session, intake, "wants_person", "champion pet", "read_back_unconfirmed")

    await in_db(settings, flag)
    await sign_in(client, "lw@example.org")
    page = await (await client.get(f"/intakes/{intake_id}")).text()
    assert "They did not confirm their answers" in page and "champion pet" in page
    assert "Asked for a person" in await (await client.get("/queue")).text()
