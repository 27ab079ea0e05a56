"""An admin exports or erases a person's data from the app; link workers cannot; both audited."""

from __future__ import annotations

import json

from bot.db.models import Intake
from tests.support.review import add_intake, add_user, audit_actions, csrf_of, in_db, sign_in

CANARY = "<i>CANARY-rights</i> walking group"


async def _reference(settings, intake_id: int) -> str:
    from sqlalchemy import select

    return await in_db(settings, lambda s: _scalar(s, select(Intake.reference).where(Intake.id == intake_id)))


async def _scalar(session, query):
    return (await session.execute(query)).scalar_one_or_none()


async def test_link_workers_cannot_reach_a_persons_data(client, settings):
    await add_user(settings, "lw@example.org")
    csrf = await sign_in(client, "lw@example.org")
    assert (await client.get("/admin/person", allow_redirects=False)).status == 403
    reply = await client.post("/admin/person/erase", data={"csrf_token": csrf, "who": "1", "confirm": "yes"})
    assert reply.status == 403


async def test_an_admin_downloads_a_readable_copy_and_it_is_audited(client, settings):
    await add_user(settings, "admin@example.org", "admin")
    intake_id = await add_intake(settings, {"what_matters": ("x", CANARY)})
    reference = await _reference(settings, intake_id)
    await sign_in(client, "admin@example.org")
    csrf = csrf_of(await (await client.get("/admin/person")).text())
    reply = await client.post("/admin/person/export", data={"csrf_token": csrf, "who": reference.lower()})
    assert reply.status == 200 and "attachment" in reply.headers["Content-Disposition"]
    body = await reply.text()
    assert "&lt;i&gt;CANARY-rights&lt;/i&gt;" in body and "<i>CANARY" not in body
    as_json = await client.post("/admin/person/export", data={"csrf_token": csrf, "who": reference, "format": "json"})
    assert json.loads(await as_json.text())["intakes"][0]["answers"]["what_matters"]["verbatim"] == CANARY
    assert "subject_access_export" in {action for _, action, _ in await audit_actions(settings)}


async def test_erasing_needs_the_box_ticked_and_refuses_an_open_item_until_told(client, settings):
    await add_user(settings, "admin@example.org", "admin")
    intake_id = await add_intake(settings, {"what_matters": ("x", CANARY)})  # submitted: open on the queue
    await sign_in(client, "admin@example.org")
    csrf = csrf_of(await (await client.get("/admin/person")).text())
    unticked = await client.post("/admin/person/erase", data={"csrf_token": csrf, "who": str(intake_id)})
    assert unticked.status == 400 and "Tick the box" in await unticked.text()
    still_open = await client.post(
        "/admin/person/erase", data={"csrf_token": csrf, "who": str(intake_id), "confirm": "yes"}
    )
    assert still_open.status == 409 and "still open on the queue" in await still_open.text()
    erased = await client.post(
        "/admin/person/erase",
        data={"csrf_token": csrf, "who": str(intake_id), "confirm": "yes", "even_if_open": "yes"},
    )
    assert erased.status == 200 and "Erased: 1 intake(s)" in await erased.text()
    assert await in_db(settings, lambda s: s.get(Intake, intake_id)) is None
    missing = await client.post(
        "/admin/person/erase", data={"csrf_token": csrf, "who": str(intake_id), "confirm": "yes"}
    )
    assert missing.status == 404 and "nothing is held" in await missing.text()
    assert "erased" in {action for _, action, _ in await audit_actions(settings)}
