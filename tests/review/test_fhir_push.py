"""The FHIR push: each submitted intake stored once on a FHIR server (a real HTTP server on
127.0.0.1, `tests.support.fhir_server`), through outages, lost replies, rejections and
several pushers at once; failures shown on the pages and by `whatmatters fhir status`."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import time

import pytest
from fhir.resources.bundle import Bundle
from sqlalchemy import select

from bot.db.engine import create_engine, session_factory
from bot.fhir.bundle import NHS_NUMBER_SYSTEM, export_bundle
from bot.fhir.models import FhirPush, PushStatus
from bot.fhir.push import Pusher, read_reply
from bot.settings import PROJECT_ROOT
from bot.web.app import create_app
from tests.support.fhir_server import FakeFhirServer
from tests.support.review import MRS_C_ANSWERS, add_intake, add_user, audit_actions, in_db, sign_in

TOKEN = "fhir-test-token"


@pytest.fixture
async def fhir_server():
    server = await FakeFhirServer(token=TOKEN).start()
    yield server
    await server.stop()


@pytest.fixture
def push_settings(settings, fhir_server):
    return settings.with_overrides(
        fhir_endpoint=fhir_server.url,
        fhir_token=TOKEN,
        fhir_retry_base_seconds=0.05,
        fhir_retry_max_seconds=0.2,
        fhir_poll_seconds=0.1,
    )


@pytest.fixture
async def pusher(push_settings):
    engine = create_engine(push_settings)
    made = []

    def make() -> Pusher:
        made.append(Pusher(push_settings, session_factory(engine), jitter=0.0))
        return made[-1]

    yield make
    for one in made:
        await one.close()
    await engine.dispose()


async def _rows(settings) -> dict[int, FhirPush]:
    async def work(session):
        return {row.intake_id: row for row in (await session.execute(select(FhirPush))).scalars()}

    return await in_db(settings, work)


async def _until_settled(push: Pusher, settings, count: int, timeout: float = 10.0) -> dict[int, FhirPush]:
    """Run passes until `count` pushes are sent or failed (retries wait out their short backoff)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        await push.send_due()
        rows = await _rows(settings)
        if len(rows) >= count and all(r.status in (PushStatus.SENT, PushStatus.FAILED) for r in rows.values()):
            return rows
        await asyncio.sleep(0.05)
    raise AssertionError(
        f"pushes did not settle: {[(r.status, r.last_error) for r in (await _rows(settings)).values()]}"
    )


async def test_each_submitted_intake_is_stored_once_with_its_parts_linked(push_settings, fhir_server, pusher):
    first = await add_intake(push_settings)
    second = await add_intake(push_settings, risk="I cut myself last night")
    unfinished = await add_intake(push_settings, submit=False)
    push = pusher()
    rows = await _until_settled(push, push_settings, 2)
    assert set(rows) == {first, second} and unfinished not in rows
    assert all(r.status == PushStatus.SENT and r.location.startswith("ServiceRequest/") for r in rows.values())
    assert fhir_server.posts == 2 and fhir_server.unauthorised == 0
    requests = fhir_server.of_type("ServiceRequest")
    assert sorted(r["priority"] for r in requests) == ["routine", "urgent"]
    patients = {f"Patient/{pid}" for pid in fhir_server.store["Patient"]}
    assert len(patients) == 2 and all(r["subject"]["reference"] in patients for r in requests)
    assert len(fhir_server.of_type("Observation")) == 8  # ONS4 for each
    # Another pass sends nothing again.
    await push.send_due()
    assert fhir_server.posts == 2
    assert ("system:fhir-push", "fhir.push", None) in await audit_actions(push_settings, first)


async def test_an_outage_and_a_lost_reply_lose_nothing_and_store_nothing_twice(push_settings, fhir_server, pusher):
    intake_id = await add_intake(push_settings)
    fhir_server.unavailable_next = 2  # down for two tries
    fhir_server.drop_reply_next = 1  # then stores it, but the reply is lost
    rows = await _until_settled(pusher(), push_settings, 1)
    assert rows[intake_id].status == PushStatus.SENT and rows[intake_id].attempts == 4
    assert fhir_server.posts == 4
    kinds = {kind: len(resources) for kind, resources in fhir_server.store.items() if resources}
    assert kinds == {"Patient": 1, "QuestionnaireResponse": 1, "Observation": 4, "ServiceRequest": 1}


async def test_several_pushers_at_once_send_each_intake_once(push_settings, fhir_server, pusher):
    ids = [await add_intake(push_settings) for _ in range(4)]
    pushers = [pusher() for _ in range(3)]
    await asyncio.gather(*(p.send_due() for p in pushers))
    rows = await _rows(push_settings)
    assert {i for i, r in rows.items() if r.status == PushStatus.SENT} == set(ids)
    assert fhir_server.posts == 4 and len(fhir_server.of_type("ServiceRequest")) == 4


async def test_a_rejection_fails_at_once_keeps_no_patient_words_and_shows_everywhere(
    push_settings, fhir_server, pusher, aiohttp_client
):
    intake_id = await add_intake(push_settings)
    fhir_server.refuse_next = 1
    rows = await _until_settled(pusher(), push_settings, 1)
    failed = rows[intake_id]
    assert failed.status == PushStatus.FAILED and failed.attempts == 1
    assert "HTTP 422 (invalid)" in failed.last_error and "Carol" not in failed.last_error
    # The intake page and the queue page say so.
    await add_user(push_settings, "lw@example.org")
    client = await aiohttp_client(create_app(push_settings.with_overrides(fhir_endpoint="")))
    await sign_in(client, "lw@example.org")
    intake_page = await (await client.get(f"/intakes/{intake_id}")).text()
    assert "Not sent to the FHIR server" in intake_page and "HTTP 422" in intake_page
    queue_page = await (await client.get("/queue")).text()
    assert "Referrals not sent to the FHIR server" in queue_page
    # The command line says so (exit 1), and `retry` sends it again.
    env = dict(os.environ, **push_settings.as_env())

    def whatmatters(*args):
        return subprocess.run(
            [sys.executable, "-m", "bot.cli", *args],
            cwd=PROJECT_ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )

    status = await asyncio.to_thread(whatmatters, "fhir", "status", "--json")
    assert status.returncode == 1
    report = json.loads(status.stdout)
    assert report["enabled"] and report["counts"]["failed"] == 1 and report["failed"][0]["intake_id"] == intake_id
    reference = report["failed"][0]["reference"]
    again = await asyncio.to_thread(whatmatters, "fhir", "retry", reference)
    assert again.returncode == 0, again.stderr
    pushed = await asyncio.to_thread(whatmatters, "fhir", "push")
    assert pushed.returncode == 0 and "1 intake(s) stored" in pushed.stdout, pushed.stderr
    assert len(fhir_server.of_type("ServiceRequest")) == 1
    assert (await asyncio.to_thread(whatmatters, "fhir", "status")).returncode == 0
    actions = [action for _, action, _ in await audit_actions(push_settings, intake_id)]
    assert "fhir.retry" in actions and actions.count("fhir.push") == 2


async def test_the_review_app_pushes_by_itself_when_an_endpoint_is_set(push_settings, fhir_server, aiohttp_client):
    await aiohttp_client(create_app(push_settings))  # starts the app and its pusher
    await add_intake(push_settings)
    deadline = time.monotonic() + 10
    while not fhir_server.of_type("ServiceRequest") and time.monotonic() < deadline:
        await asyncio.sleep(0.05)
    assert len(fhir_server.of_type("ServiceRequest")) == 1


async def test_without_an_endpoint_nothing_is_queued(settings, aiohttp_client):
    await aiohttp_client(create_app(settings))
    await add_intake(settings)
    await asyncio.sleep(0.3)
    assert await _rows(settings) == {}


async def test_the_transaction_bundle_creates_conditionally_on_the_nhs_number_or_our_identifier(settings):
    answers = dict(MRS_C_ANSWERS, nhs_number=("9434765919", "943 476 5919"))
    intake_id = await add_intake(settings, answers)
    from bot.queue import read
    from bot.review.auth import Staff

    document = await in_db(settings, lambda s: read.intake_document(s, intake_id, Staff.system("test"), None, "test"))
    bundle = export_bundle(document, transaction=True)
    Bundle.parse_obj(bundle)
    patient = next(e for e in bundle["entry"] if e["resource"]["resourceType"] == "Patient")
    assert patient["resource"]["identifier"][0] == {"system": NHS_NUMBER_SYSTEM, "value": "9434765919"}
    assert patient["request"]["ifNoneExist"] == f"identifier={NHS_NUMBER_SYSTEM}|9434765919"
    others = [e for e in bundle["entry"] if e is not patient]
    assert all(e["request"]["ifNoneExist"].startswith("identifier=https://") for e in others)
    assert len({e["request"]["ifNoneExist"] for e in bundle["entry"]}) == len(bundle["entry"])


def test_a_reply_is_read_by_its_status_and_kind():
    response = json.dumps(
        {
            "resourceType": "Bundle",
            "type": "transaction-response",
            "entry": [{"response": {"location": "ServiceRequest/7"}}],
        }
    )
    assert read_reply(200, response).ok and read_reply(200, response).location == "ServiceRequest/7"
    assert read_reply(200, "{}").retry  # 200 with no transaction-response: not stored as far as we know
    assert read_reply(503, "").retry and read_reply(429, "").retry and read_reply(408, "").retry
    refused = read_reply(
        400, json.dumps({"resourceType": "OperationOutcome", "issue": [{"code": "invalid", "diagnostics": "Sue"}]})
    )
    assert not refused.ok and not refused.retry and refused.error == "HTTP 400 (invalid)"
    assert not read_reply(401, "").retry
