"""Community offers in the review app and the API: suggestions with why, decisions audited, the directory pages."""

from __future__ import annotations

import asyncio
import json
import re

import pytest
from sqlalchemy import func, select

from bench.oruk_server import FakeOrukServer
from bot.db.engine import create_engine, session_factory
from bot.db.models import Intake
from bot.directory import offers as offers_module
from bot.directory import store, sync
from bot.directory.models import DirectoryService, OfferDecision
from bot.retention import rights
from bot.web.api import OPENAPI
from tests.review.test_api_and_cli import _token
from tests.support.review import add_intake, add_user, audit_actions, in_db, sign_in
from tests.support.system import whatmatters

MRS_C = {
    "preferred_name": ("Carol", "Carol"),
    "what_matters": ("lose weight", "I want to lose weight and keep my blood pressure down"),
    "life_areas": (["activity", "long_term_condition"], "activity and my blood pressure"),
    "enjoys": ("Being outdoors", "Being outdoors, I love the park"),
    "barriers_text": ("nervous", "I'm nervous about going on my own."),
    "barrier_options": (["confidence", "pain_mobility"], "confidence, and my knees"),
    "group_or_one_to_one": ("group", "a group"),
    "meeting_format": ("in_person", "in person"),
    "wants_company": (True, "yes, I'd be nervous going on my own the first time"),
    "goal": ("walking", "I'd be walking every week with other people"),
}


async def _load(settings, location: str = str(sync.SAMPLE), name: str = sync.SAMPLE_SOURCE) -> sync.Outcome:
    engine = create_engine(settings)
    try:
        return await sync.sync(session_factory(engine), location, name=name)
    finally:
        await engine.dispose()


@pytest.fixture
async def world(settings):
    assert (await _load(settings)).ok
    await add_user(settings, "lw@example.org")
    return await add_intake(settings, MRS_C)


def _offer_ids(page: str) -> list[int]:
    return [int(i) for i in re.findall(r'class="nhsuk-card wm-offer" data-service="(\d+)"', page)]


async def test_the_summary_shows_offers_with_why_and_decisions_are_audited(client, settings, world):
    csrf = await sign_in(client, "lw@example.org")
    page = await (await client.get(f"/intakes/{world}")).text()
    assert "Possible offers" in page and "Why it was suggested" in page
    offered = _offer_ids(page)
    assert 3 <= len(offered) <= 5
    first_card = page[page.index(f'data-service="{offered[0]}"') :]
    assert "Gentle Strolls for Beginners" in first_card[:400]
    assert "Someone can go with them the first time" in first_card

    reply = await client.post(
        f"/intakes/{world}/offers/{offered[0]}",
        data={"status": "taken_up", "csrf_token": csrf, "near": "QW3"},
        allow_redirects=False,
    )
    assert reply.status == 303 and reply.headers["Location"] == f"/intakes/{world}?m=offer&near=QW3#offers"
    page = await (await client.get(reply.headers["Location"])).text()
    assert "Your decision on the offer has been recorded." in page and "Taken up" in page
    assert 'value="QW3"' in page and "km from QW3" in page

    await client.post(f"/intakes/{world}/offers/{offered[1]}", data={"status": "not_suitable", "csrf_token": csrf})
    page = await (await client.get(f"/intakes/{world}")).text()
    assert offered[1] not in _offer_ids(page), "an offer judged not suitable is not suggested again"
    recorded = page[page.index('id="offer-decisions"') :]
    assert "Not suitable" in recorded and "Taken up" in recorded and "lw@example.org" in recorded
    actions = [a for _, a, _ in await audit_actions(settings, world)]
    assert "offer_taken_up" in actions and "offer_not_suitable" in actions


async def test_a_decision_needs_a_known_status_the_form_token_and_a_real_service(client, settings, world):
    csrf = await sign_in(client, "lw@example.org")
    page = await (await client.get(f"/intakes/{world}")).text()
    service_id = _offer_ids(page)[0]
    bad = await client.post(
        f"/intakes/{world}/offers/{service_id}", data={"status": "great", "csrf_token": csrf}, allow_redirects=False
    )
    assert bad.status == 303 and bad.headers["Location"] == f"/intakes/{world}?m=error"
    no_token = await client.post(f"/intakes/{world}/offers/{service_id}", data={"status": "suggested"})
    assert no_token.status == 403
    missing = await client.post(f"/intakes/{world}/offers/999999", data={"status": "suggested", "csrf_token": csrf})
    assert missing.status == 404
    assert not [a for _, a, _ in await audit_actions(settings, world) if a.startswith("offer_")]


async def test_the_directory_page_searches_and_filters(client, settings, world):
    await sign_in(client, "lw@example.org")
    page = await (await client.get("/directory")).text()
    assert "Directory of community offers" in page and "Last sync: sample:wyvernbury" in page
    assert "Page 2 of" in page, "more than one page of 25"
    walks = await (await client.get("/directory?q=walk")).text()
    assert "Gentle Strolls for Beginners" in walks and "Food Bank" not in walks
    food = await (await client.get("/directory?area=food&free=1")).text()
    assert "Food Bank" in food and "Gentle Strolls" not in food
    phone = await (await client.get("/directory?mode=phone")).text()
    assert "By phone" in phone
    none = await (await client.get("/directory?q=zzzzzz")).text()
    assert 'id="no-services"' in none
    link = re.search(r'<a href="/directory/(\d+)">Gentle Strolls for Beginners</a>', walks)
    service = await (await client.get(f"/directory/{link.group(1)}")).text()
    assert "Free" in service and "QW" in service and "sample:wyvernbury" in service
    assert (await client.get("/directory/999999")).status == 404
    assert (await client.get("/directory/abc")).status == 404


async def test_directory_text_is_shown_as_text(client, settings, tmp_path):
    record = json.loads(sync.SAMPLE.read_text(encoding="utf-8"))["contents"][0]
    record["name"] = "<script>alert('x')</script> Walks"
    record["description"] = '<img src=x onerror="alert(1)">'
    path = tmp_path / "hostile.json"
    path.write_text(json.dumps([record]), encoding="utf-8")
    assert (await _load(settings, str(path), "file:hostile.json")).ok
    await add_user(settings, "lw@example.org")
    await sign_in(client, "lw@example.org")
    page = await (await client.get("/directory?q=walks")).text()
    assert "<script>alert" not in page and "&lt;script&gt;alert(" in page
    service_id = re.search(r'<a href="/directory/(\d+)">', page).group(1)
    detail = await (await client.get(f"/directory/{service_id}")).text()
    assert "<img src=x" not in detail and "&lt;img src=x" in detail


async def test_an_empty_directory_says_how_to_fill_it(client, settings):
    await add_user(settings, "lw@example.org")
    intake_id = await add_intake(settings, MRS_C)
    await sign_in(client, "lw@example.org")
    page = await (await client.get(f"/intakes/{intake_id}")).text()
    assert "The directory of community offers is empty" in page


async def test_offers_and_the_directory_in_the_api(client, settings, world):
    headers = await _token(settings, "lw@example.org")
    offers = await (await client.get(f"/api/v1/intakes/{world}/offers", headers=headers)).json()
    assert offers["directory_size"] >= 60 and 3 <= len(offers["suggestions"]) <= 5
    first = offers["suggestions"][0]
    assert first["name"] == "Gentle Strolls for Beginners" and first["why"] and first["decision"] is None
    assert first["free"] is True and "in_person" in first["modes"]

    decided = await client.post(
        f"/api/v1/intakes/{world}/offers/{first['service_id']}", json={"status": "suggested"}, headers=headers
    )
    assert decided.status == 200
    body = await decided.json()
    assert body["status"] == "suggested" and body["decided_by"] == "lw@example.org" and body["active"] is True
    again = await (await client.get(f"/api/v1/intakes/{world}/offers?near=QW3", headers=headers)).json()
    assert again["near"] == "QW3" and again["decisions"][0]["service_id"] == first["service_id"]
    assert next(s for s in again["suggestions"] if s["service_id"] == first["service_id"])["decision"] == "suggested"

    for body, expected in (({"status": "maybe"}, "status"), ({}, "status"), ({"status": "suggested", "x": 1}, "x")):
        reply = await client.post(f"/api/v1/intakes/{world}/offers/{first['service_id']}", json=body, headers=headers)
        assert reply.status == 400 and expected in (await reply.json())["error"]
    missing = await client.post(f"/api/v1/intakes/{world}/offers/999999", json={"status": "suggested"}, headers=headers)
    assert missing.status == 404 and (await missing.json())["error"] == "no such service"
    assert (await client.get(f"/api/v1/intakes/{world}/offers?colour=red", headers=headers)).status == 400
    assert (await client.get("/api/v1/intakes/999999/offers", headers=headers)).status == 404
    views = [a for _, a, _ in await audit_actions(settings, world)]
    assert views.count("intake.view_summary") == 2 and views.count("offer_suggested") == 1

    listed = await (await client.get("/api/v1/directory/services?area=food&per_page=5", headers=headers)).json()
    assert listed["size"] == 5 and listed["total_items"] > 5 and listed["first_page"] and not listed["last_page"]
    assert all("food" in s["life_areas"] for s in listed["contents"])
    page2 = await (await client.get("/api/v1/directory/services?area=food&per_page=5&page=2", headers=headers)).json()
    assert {s["id"] for s in page2["contents"]}.isdisjoint({s["id"] for s in listed["contents"]})
    one = await (await client.get(f"/api/v1/directory/services/{first['service_id']}", headers=headers)).json()
    assert one["record"]["name"] == "Gentle Strolls for Beginners" and one["active"] is True
    assert (await client.get("/api/v1/directory/services?sort=name", headers=headers)).status == 400
    assert (await client.get("/api/v1/directory/services/999999", headers=headers)).status == 404
    assert (await client.get("/api/v1/directory/services")).status == 401


def test_the_openapi_document_describes_offers_and_the_directory():
    paths = OPENAPI["paths"]
    for path in (
        "/intakes/{intake_id}/offers",
        "/intakes/{intake_id}/offers/{service_id}",
        "/directory/services",
        "/directory/services/{service_id}",
    ):
        assert path in paths
        for operation in paths[path].values():
            assert "200" in operation["responses"] and "401" in operation["responses"]
    schemas = OPENAPI["components"]["schemas"]
    assert schemas["OfferDecisionChange"]["properties"]["status"]["enum"] == ["suggested", "taken_up", "not_suitable"]


async def test_erasing_a_person_erases_their_offer_decisions_and_keeps_the_directory(settings, world):
    rows = await in_db(settings, lambda s: store.active_features(s))
    await in_db(settings, lambda s: store.decide(s, world, rows[0][0], "taken_up", "lw@example.org"))
    reference = await in_db(settings, lambda s: _reference(s, world))

    async def erase(session):
        return await rights.erase(session, await rights.find_person(session, reference, None), "cli:dpo", True)

    await in_db(settings, erase)
    count = lambda model: in_db(settings, lambda s: _scalar(s, select(func.count()).select_from(model)))  # noqa: E731
    assert await count(OfferDecision) == 0 and await count(DirectoryService) == len(rows)


async def _reference(session, intake_id):
    return (await session.get(Intake, intake_id)).reference


async def _scalar(session, query):
    return (await session.execute(query)).scalar_one()


async def test_the_command_line_syncs_shows_status_and_offers(settings, tmp_path):
    server = await FakeOrukServer(json.loads(sync.SAMPLE.read_text(encoding="utf-8"))["contents"]).start()
    try:
        said = await asyncio.to_thread(whatmatters, settings, "directory", "sync", server.url, "--name", "council")
        assert "Synced council:" in said and "0 skipped" in said
        broken = next(s for s in server.services if "Food Bank" in s["name"])
        broken["status"] = "nonsense"
        said = json.loads(
            await asyncio.to_thread(
                whatmatters, settings, "directory", "sync", server.url, "--name", "council", "--json"
            )
        )
        assert said["ok"] and said["skipped"] == 1 and said["problems"][0]["problems"] == ["status: enum"]
        assert said["deactivated"] == 1, "a record the source now publishes broken is not kept as if it were fine"
    finally:
        await server.stop()
    status = json.loads(await asyncio.to_thread(whatmatters, settings, "directory", "status", "--json"))
    assert status["sources"]["council"]["inactive"] == 1 and status["syncs"][0]["skipped"] == 1
    intake_id = await add_intake(settings, MRS_C)
    reference = await in_db(settings, lambda s: _reference(s, intake_id))
    shown = await asyncio.to_thread(whatmatters, settings, "directory", "offers", reference, "--near", "QW3")
    assert "Gentle Strolls for Beginners" in shown and "+ Someone can go with them the first time" in shown
    assert [a for _, a, _ in await audit_actions(settings, intake_id)] == ["intake.view_summary"]


async def test_a_fault_in_the_offers_never_costs_the_summary(client, settings, world, monkeypatch):
    async def broken(self, session):
        raise RuntimeError("the index could not be built")

    monkeypatch.setattr(offers_module.IndexCache, "get", broken)
    await sign_in(client, "lw@example.org")
    reply = await client.get(f"/intakes/{world}")
    page = await reply.text()
    assert reply.status == 200 and "Possible offers could not be worked out just now" in page
    assert "Carol" in page and "I want to lose weight" in page
    assert "intake.view_summary" in [a for _, a, _ in await audit_actions(settings, world)]
    headers = await _token(settings, "lw@example.org")
    reply = await client.get(f"/api/v1/intakes/{world}/offers", headers=headers)
    assert reply.status == 503 and "try again" in (await reply.json())["error"]
