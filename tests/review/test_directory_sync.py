"""The directory sync against a real HTTP server speaking ORUK 3.0: every page, each service in full,
bad records skipped and reported, a failed read writing nothing, a re-sync updating in place."""

from __future__ import annotations

import asyncio
import copy
import json
import uuid

import pytest
from sqlalchemy import func, select

from bench.oruk_server import FakeOrukServer
from bot.db.engine import create_engine, session_factory
from bot.directory import store, sync
from bot.directory.models import DirectoryService, DirectorySync, OfferDecision
from bot.web.app import create_app
from tests.support.review import add_intake, add_user, in_db

FAST = sync.Fetch(per_page=7, concurrency=4, attempts=3, first_pause=0.01, timeout=10)


def sample_services(count: int = 30) -> list[dict]:
    services = json.loads(sync.SAMPLE.read_text(encoding="utf-8"))["contents"]
    return [copy.deepcopy(s) for s in services[:count]]


async def _sync(settings, location: str, how: sync.Fetch = FAST, name=None) -> sync.Outcome:
    engine = create_engine(settings)
    lines: list[str] = []
    try:
        outcome = await sync.sync(session_factory(engine), location, how, lines.append, name)
    finally:
        await engine.dispose()
    assert lines, "a sync says what it is doing"
    return outcome


async def _rows(settings) -> list[DirectoryService]:
    async def work(session):
        return list((await session.execute(select(DirectoryService).order_by(DirectoryService.id))).scalars())

    return await in_db(settings, work)


async def _count(settings, model) -> int:
    return await in_db(settings, lambda s: _scalar(s, select(func.count()).select_from(model)))


async def _scalar(session, query):
    return (await session.execute(query)).scalar_one()


@pytest.fixture
async def oruk():
    servers = []

    async def start(services, **options) -> FakeOrukServer:
        server = await FakeOrukServer(services, **options).start()
        servers.append(server)
        return server

    yield start
    for server in servers:
        await server.stop()


async def test_a_sync_reads_every_page_and_each_service_in_full(oruk, db_settings):
    services = sample_services(30)
    server = await oruk(services)
    outcome = await _sync(db_settings, server.url)
    assert outcome.ok and outcome.counts.seen == 30 and outcome.counts.added == 30 and outcome.skipped == 0
    assert server.requests["/services?page=5"] == 1 and "/services?page=6" not in server.requests  # 30 / 7 = 5 pages
    assert all(server.requests[f"/services/{s['id']}"] == 1 for s in services)
    rows = await _rows(db_settings)
    assert sorted(r.source_id for r in rows) == sorted(s["id"] for s in services)
    # stored in full (the list pages carry no schedules or locations), with what matching reads
    nested = next(r for r in rows if r.record.get("service_at_locations"))
    assert nested.features["points"] and nested.features["outward_codes"][0].startswith("QW")
    assert all(r.source == server.url and r.active for r in rows)


async def test_bad_records_are_skipped_and_reported_and_the_rest_is_stored(oruk, db_settings):
    services = sample_services(10)
    services[2]["status"] = "open-ish"  # not in the schema's enum
    del services[5]["name"]  # required
    services[7]["id"] = "not-a-uuid"
    server = await oruk(services)
    outcome = await _sync(db_settings, server.url)
    assert outcome.ok and outcome.counts.seen == 7 and outcome.skipped == 3
    reported = {p["id"]: p["problems"] for p in outcome.problems}
    assert reported[services[2]["id"]] == ["status: enum"]
    assert reported[services[5]["id"]] == ["name: required"]
    assert reported["not-a-uuid"] == ["id: format"]
    assert len(await _rows(db_settings)) == 7
    recorded = await in_db(db_settings, lambda s: store.last_syncs(s, 1))
    assert recorded[0].ok and recorded[0].skipped == 3 and len(recorded[0].problems) == 3


async def test_a_page_that_fails_once_is_tried_again(oruk, db_settings):
    server = await oruk(sample_services(20))
    server.fail_next("/services?page=2", 1)
    server.fail_next(f"/services/{server.services[15]['id']}", 2)
    outcome = await _sync(db_settings, server.url)
    assert outcome.ok and outcome.counts.added == 20
    assert server.requests["/services?page=2"] == 2


@pytest.mark.parametrize("broken", ["/services?page=3", "service"])
async def test_a_source_that_keeps_failing_changes_nothing(oruk, any_settings, broken):
    server = await oruk(sample_services(20))
    first = await _sync(any_settings, server.url)
    assert first.ok and first.counts.added == 20
    before = [(r.source_id, r.digest, r.active) for r in await _rows(any_settings)]

    server.services[0]["name"] = "Renamed in the source"
    server.remove(server.services[1]["id"])
    server.services.append(sample_services(21)[20])
    server.fail_always(broken if broken != "service" else f"/services/{server.services[10]['id']}")
    failed = await _sync(any_settings, server.url)
    assert not failed.ok and "503" in failed.error
    assert [(r.source_id, r.digest, r.active) for r in await _rows(any_settings)] == before
    recorded = await in_db(any_settings, lambda s: store.last_syncs(s, 1))
    assert recorded[0].ok is False and "503" in recorded[0].error


async def test_a_resync_updates_in_place_and_what_is_gone_becomes_inactive_not_deleted(oruk, db_settings):
    server = await oruk(sample_services(12))
    await _sync(db_settings, server.url)
    again = await _sync(db_settings, server.url)
    assert again.counts.as_json() == {"seen": 12, "added": 0, "updated": 0, "unchanged": 12, "deactivated": 0}
    assert await _count(db_settings, DirectoryService) == 12

    await add_user(db_settings, "lw@example.org")
    intake_id = await add_intake(db_settings)
    gone_id = server.services[3]["id"]
    row_id = next(r.id for r in await _rows(db_settings) if r.source_id == gone_id)
    await in_db(db_settings, lambda s: store.decide(s, intake_id, row_id, "suggested", "lw@example.org"))

    server.remove(gone_id)
    server.services[0]["description"] = "Now on Thursdays too."
    changed = await _sync(db_settings, server.url)
    assert changed.counts.as_json() == {"seen": 11, "added": 0, "updated": 1, "unchanged": 10, "deactivated": 1}
    rows = {r.source_id: r for r in await _rows(db_settings)}
    assert len(rows) == 12 and rows[gone_id].active is False
    assert rows[server.services[0]["id"]].features["description"] == "Now on Thursdays too."
    assert await _count(db_settings, OfferDecision) == 1  # the decision still points at the kept service

    server.services.append(next(s for s in sample_services(12) if s["id"] == gone_id))
    back = await _sync(db_settings, server.url)
    assert back.counts.updated == 1 and rows[gone_id].id == row_id
    assert all(r.active for r in await _rows(db_settings))


async def test_two_sources_are_kept_apart(oruk, db_settings, tmp_path):
    server = await oruk(sample_services(5))
    await _sync(db_settings, server.url)
    path = tmp_path / "other.json"
    other = sample_services(8)[5:]
    for service in other:
        service["id"] = str(uuid.uuid4())
    path.write_text(json.dumps(other), encoding="utf-8")
    from_file = await _sync(db_settings, str(path))
    assert from_file.ok and from_file.source == "file:other.json" and from_file.counts.added == 3
    again = await _sync(db_settings, server.url)
    assert again.counts.deactivated == 0 and await _count(db_settings, DirectoryService) == 8


async def test_a_bearer_token_is_sent_when_set(oruk, db_settings):
    server = await oruk(sample_services(3), token="s3cret")
    refused = await _sync(db_settings, server.url)
    assert not refused.ok and "401" in refused.error
    allowed = await _sync(db_settings, server.url, sync.Fetch(per_page=2, first_pause=0.01, token="s3cret"))
    assert allowed.ok and allowed.counts.added == 3


@pytest.mark.parametrize(
    "content, problem",
    [("{not json", "could not be read as JSON"), ('{"services": []}', "not an Open Referral UK document")],
)
async def test_a_file_that_is_not_oruk_changes_nothing(db_settings, tmp_path, content, problem):
    path = tmp_path / "bad.json"
    path.write_text(content, encoding="utf-8")
    outcome = await _sync(db_settings, str(path))
    assert not outcome.ok and problem in outcome.error
    assert await _count(db_settings, DirectoryService) == 0 and await _count(db_settings, DirectorySync) == 1


async def test_the_sample_loads_once_on_a_new_install(db_settings):
    engine = create_engine(db_settings)
    try:
        first = await sync.load_sample_if_empty(session_factory(engine))
        second = await sync.load_sample_if_empty(session_factory(engine))
    finally:
        await engine.dispose()
    assert first is not None and first.ok and first.skipped == 0 and first.counts.added >= 60
    assert second is None


async def test_a_filtered_sync_keeps_only_what_the_filter_lists(oruk, db_settings):
    services = sample_services(30)
    term = next(a["taxonomy_term_id"] for a in services[0]["attributes"])
    wanted = {s["id"] for s in services if any(a.get("taxonomy_term_id") == term for a in s.get("attributes") or [])}
    assert 0 < len(wanted) < 30
    server = await oruk(services)
    everything = await _sync(db_settings, server.url)
    assert everything.counts.added == 30
    filtered = sync.Fetch(per_page=4, first_pause=0.01, filters=(("taxonomy_term_id", term),))
    outcome = await _sync(db_settings, server.url, filtered)
    assert outcome.counts.seen == len(wanted) and outcome.counts.deactivated == 30 - len(wanted)
    assert {r.source_id for r in await _rows(db_settings) if r.active} == wanted


async def test_the_review_app_syncs_the_source_set_in_settings_at_start_and_then_on_schedule(
    oruk, db_settings, aiohttp_client
):
    server = await oruk(sample_services(6))
    settings = db_settings.with_overrides(directory_sync_url=server.url, directory_sync_hours=1 / 3600)
    await aiohttp_client(create_app(settings))
    for _ in range(100):
        if await _count(db_settings, DirectorySync) >= 2:
            break
        await asyncio.sleep(0.1)
    syncs = await in_db(db_settings, lambda s: store.last_syncs(s, 5))
    assert len(syncs) >= 2 and all(s.ok for s in syncs), "synced at start, then again a second later"
    assert syncs[0].unchanged == 6 and await _count(db_settings, DirectoryService) == 6
