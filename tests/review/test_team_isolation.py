"""Teams on SQLite and PostgreSQL: where an intake goes, and who may then know of it.

Two teams, A (a primary care network supporting Riverside Surgery) and B (a community hub that takes
people not registered with a GP, with an A&E entry point), a link worker in each, one in both, and an
admin. A link worker of A never learns of B's items: not on the queue page, not by their number (404,
exactly as for an intake that does not exist), not in the API, not in a search, not in the counts, not
at the command line; and cannot claim or note them.
"""

from __future__ import annotations

import asyncio
import io
import json
import re
import uuid
from dataclasses import dataclass
from typing import Any, Optional

import pytest
from sqlalchemy import select

from bot import cli
from bot.db.models import AuditEvent, Intake, QueueItem
from bot.errors import DomainError, Kind
from bot.intake import store
from bot.intake.questions import NOT_REGISTERED
from bot.intake.summary import build_summary, summary_text
from bot.intake.validation import interpret
from bot.queue import change
from bot.review import auth
from bot.review.auth import Staff
from bot.review.models import IntakeNote
from bot.teams import store as team_store
from bot.teams.models import EntryPoint, Team
from bot.web.api import OPENAPI, QUEUE_PARAMETERS, SCHEMAS
from tests.review.test_api_and_cli import _token
from tests.support.review import PASSWORD, add_user, in_db, sign_in
from tests.support.system import whatmatters

LW_A, LW_B, LW_AB, ADMIN = "lw-a@example.org", "lw-b@example.org", "lw-ab@example.org", "admin@example.org"
SYSTEM = Staff.system("test")


@pytest.fixture
def settings(any_settings):
    """Every test here runs on SQLite and on PostgreSQL (the review fixtures' `client` follows this)."""
    return any_settings


# --- the world the tests share -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Item:
    id: int
    reference: str
    name: str


@dataclass(frozen=True)
class World:
    gp_entry: str  # team A's entry point in a practice's waiting room (source gp)
    ae_entry: str  # team B's entry point in an A&E department (source ae)
    alice: Item  # A's: from A's entry point, at Riverside Surgery
    bethan: Item  # B's, open: from the A&E entry point
    bronwen: Item  # B's, closed: no entry point, not registered with a GP


async def _teams(session: Any) -> tuple[str, str]:
    await team_store.create_team(session, "test", "team-a", "Riverside PCN", "network", ["Riverside Surgery"])
    await team_store.create_team(
        session, "test", "team-b", "Town Hub", "hub", ["Dr Patel's Surgery"], takes_unregistered=True
    )
    gp = await team_store.create_entry_point(session, "test", "team-a", "Riverside Surgery waiting room", "gp")
    ae = await team_store.create_entry_point(session, "test", "team-b", "Riverside Hospital A&E", "ae")
    return gp.code, ae.code


async def start_intake(
    settings: Any,
    entry: Optional[str],
    name: str,
    practice: Optional[str] = None,
    submit: bool = True,
    start: Optional[dict[str, Any]] = None,
) -> Item:
    """An intake begun as the channel begins one (with the entry point's code), answered as the actions answer.

    The GP practice answer is read by the intake's own reader, as the person's words would be.
    """

    async def work(session: Any) -> Item:
        begun = start if start is not None else ({"entry": entry} if entry else None)
        intake = await store.ensure_intake(session, f"test-{uuid.uuid4().hex}", "rest", begun)
        await store.save_answer(session, intake, "preferred_name", name, name)
        if practice is not None:
            outcome = interpret("gp_practice", practice, "inform", {})
            assert outcome.accepted, practice
            await store.save_answer(session, intake, "gp_practice", outcome.value, practice)
        await store.save_answer(session, intake, "what_matters", "Getting out more", "Getting out more, I'm lonely")
        if submit:
            answers = await store.answer_map(session, intake)
            summary = build_summary(answers, [], intake.reference, intake.channel)
            await store.submit(session, intake, summary, summary_text(answers, []))
        return Item(intake.id, intake.reference, name)

    return await in_db(settings, work)


async def _linkworker(settings: Any, email: str, teams: list[str]) -> None:
    await in_db(settings, lambda s: auth.create_user(s, email, "linkworker", PASSWORD, teams=teams))


async def make_world(settings: Any) -> World:
    gp_entry, ae_entry = await in_db(settings, _teams)
    await _linkworker(settings, LW_A, ["team-a"])
    await _linkworker(settings, LW_B, ["team-b"])
    await _linkworker(settings, LW_AB, ["team-a", "team-b"])
    await add_user(settings, ADMIN, "admin")
    alice = await start_intake(settings, gp_entry, "Alice", "Riverside Surgery")
    bethan = await start_intake(settings, ae_entry, "Bethan")
    bronwen = await start_intake(settings, None, "Bronwen", "I'm not registered")
    await in_db(settings, lambda s: change.close(s, bronwen.id, SYSTEM, "plan_agreed", "test", "A walk", "A walk"))
    world = World(gp_entry, ae_entry, alice, bethan, bronwen)
    assert await team_of(settings, alice.id) == "team-a"
    assert await team_of(settings, bethan.id) == "team-b" and await team_of(settings, bronwen.id) == "team-b"
    return world


async def origin(settings: Any, intake_id: int) -> tuple[Optional[str], Optional[str], Optional[str]]:
    """(team code, referral source, entry point code) of an intake, as stored."""

    async def work(session: Any) -> tuple[Optional[str], Optional[str], Optional[str]]:
        query = (
            select(Team.code, Intake.referral_source, EntryPoint.code)
            .select_from(Intake)
            .outerjoin(Team, Team.id == Intake.team_id)
            .outerjoin(EntryPoint, EntryPoint.id == Intake.entry_point_id)
            .where(Intake.id == intake_id)
        )
        return tuple((await session.execute(query)).one())  # type: ignore[return-value]

    return await in_db(settings, work)


async def team_of(settings: Any, intake_id: int) -> Optional[str]:
    return (await origin(settings, intake_id))[0]


async def _queue_item(settings: Any, intake_id: int) -> tuple[str, Optional[str], int]:
    """(status, assignee, notes) of an item."""

    async def work(session: Any) -> tuple[str, Optional[str], int]:
        item = (await session.execute(select(QueueItem).where(QueueItem.intake_id == intake_id))).scalar_one()
        notes = (await session.execute(select(IntakeNote.id).where(IntakeNote.intake_id == intake_id))).all()
        return item.status, item.assignee, len(notes)

    return await in_db(settings, work)


def _listed(page: str) -> set[int]:
    """The intakes listed in the queue table of a page."""
    return {int(n) for n in re.findall(r'data-intake="(\d+)"', page)}


def _refs(document: dict[str, Any]) -> set[str]:
    return {row["reference"] for row in document["items"]}


# --- isolation -----------------------------------------------------------------------------------------------------


async def test_a_link_worker_never_sees_another_teams_item_in_the_pages(client, settings):
    world = await make_world(settings)
    csrf = await sign_in(client, LW_A)
    theirs = (world.bethan, world.bronwen)

    for query in ("", "?status=all", "?status=closed", "?team=team-b&status=all", "?source=ae&status=all"):
        for path in ("/queue", "/queue/live"):
            reply = await client.get(path + query)
            assert reply.status == 200, path + query
            page = await reply.text()
            for item in theirs:
                assert f"/intakes/{item.id}" not in page, (path + query, item)
                assert item.reference not in page and item.name not in page, (path + query, item)
    page = await (await client.get("/queue?status=all")).text()
    assert _listed(page) == {world.alice.id} and world.alice.reference in page, "the link worker's own team's items"

    for item in theirs:
        for search in (item.reference, item.reference.lower()[3:], item.name, item.name.upper()):
            page = await (await client.get(f"/queue?status=all&q={search}")).text()
            assert _listed(page) == set() and "No items match these filters." in page, search
            assert f"/intakes/{item.id}" not in page, search
    page = await (await client.get("/queue")).text()
    assert "<strong>1</strong> new" in page and "<strong>0</strong> closed" in page, "B's items are not counted"
    found = await (await client.get(f"/queue?status=all&q={world.alice.reference[3:].lower()}")).text()
    assert _listed(found) == {world.alice.id}, "the search does find the link worker's own items"

    missing = 987654
    for intake_id in (world.bethan.id, world.bronwen.id, missing):
        for path in ("", "/transcript", "/letter", "/letter.pdf"):
            reply = await client.get(f"/intakes/{intake_id}{path}")
            assert reply.status == 404, (intake_id, path)
        for action, data in (
            ("claim", {}),
            ("notes", {"note": "Called"}),
            ("contacted", {}),
            ("release", {}),
            ("offers/1", {"status": "suggested"}),
        ):
            reply = await client.post(
                f"/intakes/{intake_id}/{action}", data={"csrf_token": csrf, **data}, allow_redirects=False
            )
            assert reply.status == 404, (intake_id, action)
    assert await _queue_item(settings, world.bethan.id) == ("new", None, 0), "nothing changed on B's item"
    assert (await client.get(f"/intakes/{world.alice.id}")).status == 200


async def test_a_link_worker_never_sees_another_teams_item_in_the_api(client, settings):
    world = await make_world(settings)
    headers = await _token(settings, LW_A)

    async def queue(query: str = "") -> dict[str, Any]:
        reply = await client.get(f"/api/v1/queue{query}", headers=headers)
        assert reply.status == 200, query
        return await reply.json()

    listed = await queue("?status=all")
    assert _refs(listed) == {world.alice.reference}
    assert listed["items"][0]["team"] == {"code": "team-a", "name": "Riverside PCN"}
    assert listed["items"][0]["referral_source"] == "gp"
    assert listed["items"][0]["entry_point"] == "Riverside Surgery waiting room"
    assert listed["counts"]["open"] == 1 and listed["counts"]["closed"] == 0, "B's items are not counted"
    assert sum(listed["counts"][s] for s in ("new", "claimed", "contacted", "closed")) == 1
    for query in ("?team=team-b", "?team=team-b&status=all", "?source=ae&status=all", "?status=closed"):
        assert _refs(await queue(query)) == set(), query
    for item in (world.bethan, world.bronwen):
        for search in (item.reference, item.reference.lower(), item.name, item.name.lower()[:4]):
            assert _refs(await queue(f"?status=all&q={search}")) == set(), search
    assert _refs(await queue("?status=all&q=alic")) == {world.alice.reference}, "the search finds A's own"
    assert _refs(await queue("?team=team-a&source=gp")) == {world.alice.reference}

    not_found = await (await client.get("/api/v1/intakes/987654", headers=headers)).json()
    for item in (world.bethan, world.bronwen):
        base = f"/api/v1/intakes/{item.id}"
        for path in (
            base,
            f"{base}/fhir",
            f"{base}/fhir?type=transaction",
            f"{base}/letter",
            f"{base}/letter?format=html",
        ):
            reply = await client.get(path, headers=headers)
            assert reply.status == 404, path
            assert item.name not in await reply.text() and item.reference not in await reply.text()
        reply = await client.get(base, headers=headers)
        assert await reply.json() == not_found, "another team's intake is answered as one that does not exist"
        for status in ({"status": "claimed"}, {"status": "contacted"}, {"status": "closed", "outcome": "declined"}):
            reply = await client.post(f"{base}/status", json=status, headers=headers)
            assert reply.status == 404, (item, status)
        reply = await client.post(f"{base}/notes", json={"text": "Called, no answer."}, headers=headers)
        assert reply.status == 404, item
        reply = await client.get(f"{base}/offers", headers=headers)
        assert reply.status == 404 and await reply.json() == not_found, "nor its offers"
        reply = await client.post(f"{base}/offers/1", json={"status": "suggested"}, headers=headers)
        assert reply.status == 404 and await reply.json() == not_found, "nor a decision on them"
    assert await _queue_item(settings, world.bethan.id) == ("new", None, 0)
    assert await _queue_item(settings, world.bronwen.id) == ("closed", None, 0)

    own = await (await client.get(f"/api/v1/intakes/{world.alice.id}", headers=headers)).json()
    assert own["origin"] == {
        "team": {"code": "team-a", "name": "Riverside PCN"},
        "referral_source": "gp",
        "referral_source_name": "GP practice",
        "entry_point": {"code": world.gp_entry, "place": "Riverside Surgery waiting room"},
    }
    teams = await (await client.get("/api/v1/teams", headers=headers)).json()
    assert teams == {"teams": [{"code": "team-a", "name": "Riverside PCN", "kind": "network"}]}

    other = await _token(settings, LW_B)
    theirs = await (await client.get("/api/v1/queue?status=all", headers=other)).json()
    assert _refs(theirs) == {world.bethan.reference, world.bronwen.reference}
    assert (await client.get(f"/api/v1/intakes/{world.alice.id}", headers=other)).status == 404


async def test_views_refused_to_another_team_are_not_recorded_as_views(client, settings):
    world = await make_world(settings)
    headers = await _token(settings, LW_A)
    await client.get(f"/api/v1/intakes/{world.bethan.id}", headers=headers)
    await client.get(f"/api/v1/intakes/{world.bethan.id}/fhir", headers=headers)

    async def actors(session: Any) -> list[str]:
        query = select(AuditEvent.actor).where(AuditEvent.intake_id == world.bethan.id)
        return list((await session.execute(query)).scalars())

    assert LW_A not in await in_db(settings, actors)


async def test_a_link_worker_in_both_teams_and_an_admin_see_both(client, new_client, settings):
    world = await make_world(settings)
    everyone = {world.alice.reference, world.bethan.reference, world.bronwen.reference}
    for email in (LW_AB, ADMIN):
        headers = await _token(settings, email)
        listed = await (await client.get("/api/v1/queue?status=all", headers=headers)).json()
        assert _refs(listed) == everyone, email
        assert listed["counts"]["open"] == 2 and listed["counts"]["closed"] == 1, email
        only_b = await (await client.get("/api/v1/queue?status=all&team=team-b", headers=headers)).json()
        assert _refs(only_b) == {world.bethan.reference, world.bronwen.reference}, email
        found = await (await client.get("/api/v1/queue?status=all&q=bethan", headers=headers)).json()
        assert _refs(found) == {world.bethan.reference}, email
        for item in (world.alice, world.bethan):
            assert (await client.get(f"/api/v1/intakes/{item.id}", headers=headers)).status == 200, (email, item)
        assert (await client.get(f"/api/v1/intakes/{world.bronwen.id}/letter", headers=headers)).status == 200
        browser = await new_client()
        await sign_in(browser, email)
        page = await (await browser.get("/queue?status=all")).text()
        assert _listed(page) == {world.alice.id, world.bethan.id, world.bronwen.id}, email
        assert (await browser.get(f"/intakes/{world.bethan.id}/transcript")).status == 200

    both = await (await client.get("/api/v1/teams", headers=await _token(settings, LW_AB))).json()
    assert [t["code"] for t in both["teams"]] == ["team-a", "team-b"], "by name: Riverside PCN, Town Hub"
    assert all(set(t) == {"code", "name", "kind"} for t in both["teams"]), "only admins see how teams are set up"

    full = await (await client.get("/api/v1/teams", headers=await _token(settings, ADMIN))).json()
    by_code = {t["code"]: t for t in full["teams"]}
    assert set(by_code) == {"main", "team-a", "team-b"}
    assert by_code["team-b"]["takes_unregistered"] is True and by_code["main"]["takes_unregistered"] is False
    assert by_code["main"]["is_default"] is True and by_code["team-a"]["practices"] == ["Riverside Surgery"]
    [entry] = by_code["team-b"]["entry_points"]
    assert entry["code"] == world.ae_entry and entry["source"] == "ae" and entry["active"] is True
    assert entry["link"].endswith(f"/start/{world.ae_entry}")


async def test_a_link_worker_cannot_claim_or_be_given_another_teams_item(client, new_client, settings):
    world = await make_world(settings)
    worker = await in_db(settings, lambda s: auth.find_user(s, LW_A))
    as_a = Staff(id=worker.id, email=LW_A, role="linkworker", teams=await _teams_of(settings, worker.id))

    async def claim(session: Any) -> None:
        await change.claim(session, world.bethan.id, as_a, "test")

    with pytest.raises(DomainError) as refused:
        await in_db(settings, claim)
    assert refused.value.kind == Kind.NOT_FOUND

    admin = await new_client()
    csrf = await sign_in(admin, ADMIN)
    reply = await admin.post(
        f"/intakes/{world.bethan.id}/assign", data={"csrf_token": csrf, "assignee": LW_A}, allow_redirects=False
    )
    assert reply.status == 303 and reply.headers["Location"].endswith("m=error")
    assert await _queue_item(settings, world.bethan.id) == ("new", None, 0)
    reply = await admin.post(
        f"/intakes/{world.bethan.id}/assign", data={"csrf_token": csrf, "assignee": LW_AB}, allow_redirects=False
    )
    assert reply.headers["Location"].endswith("m=assigned")
    assert await _queue_item(settings, world.bethan.id) == ("claimed", LW_AB, 0)


async def _teams_of(settings: Any, user_id: int) -> frozenset[int]:
    return await in_db(settings, lambda s: team_store.team_ids_of(s, user_id))


async def test_the_command_line_lists_one_teams_queue(settings):
    world = await make_world(settings)
    only_a = json.loads(whatmatters(settings, "queue", "list", "--all", "--team", "team-a", "--json"))
    assert _refs(only_a) == {world.alice.reference}
    only_b = json.loads(whatmatters(settings, "queue", "list", "--all", "--team", "TEAM-B", "--json"))
    assert _refs(only_b) == {world.bethan.reference, world.bronwen.reference}
    found = json.loads(whatmatters(settings, "queue", "list", "--all", "--search", "bronwen", "--json"))
    assert _refs(found) == {world.bronwen.reference}
    from_ae = json.loads(whatmatters(settings, "queue", "list", "--all", "--source", "ae", "--json"))
    assert _refs(from_ae) == {world.bethan.reference}
    everyone = json.loads(whatmatters(settings, "queue", "list", "--all", "--json"))
    assert _refs(everyone) == {world.alice.reference, world.bethan.reference, world.bronwen.reference}
    text = whatmatters(settings, "queue", "list", "--team", "team-b")
    assert world.bethan.reference in text and world.alice.reference not in text and "team-b" in text


# --- routing -------------------------------------------------------------------------------------------------------


async def test_an_intake_goes_to_its_entry_points_team_with_its_referral_source(settings):
    world = await make_world(settings)
    assert await origin(settings, world.alice.id) == ("team-a", "gp", world.gp_entry)
    assert await origin(settings, world.bethan.id) == ("team-b", "ae", world.ae_entry), "A&E, from the A&E poster"
    unanswered = await start_intake(settings, world.ae_entry, "Dee", submit=False)
    assert await origin(settings, unanswered.id) == ("team-b", "ae", world.ae_entry), "from the first message on"
    lower = await start_intake(settings, world.gp_entry.lower(), "Eve")
    assert await origin(settings, lower.id) == ("team-a", "gp", world.gp_entry), "a code as typed, any case"


async def test_a_practice_named_goes_to_its_team_even_from_another_teams_entry_point(settings):
    world = await make_world(settings)
    for answer in ("Riverside Surgery", "riverside medical practice", "I'm at the Riverside one"):
        item = await start_intake(settings, world.ae_entry, "Fay", answer)
        assert await origin(settings, item.id) == ("team-a", "ae", world.ae_entry), answer
    patel = await start_intake(settings, world.gp_entry, "Gus", "Dr Patel's")
    assert await team_of(settings, patel.id) == "team-b"
    elsewhere = await start_intake(settings, world.ae_entry, "Hal", "Abbey Medical Centre")
    assert await team_of(settings, elsewhere.id) == "team-b", "a practice not ours: the entry point's team"

    async def moves(session: Any) -> list[Any]:
        query = select(AuditEvent.intake_id, AuditEvent.detail).where(AuditEvent.action == "intake.routed")
        return [tuple(row) for row in (await session.execute(query)).all()]

    assert (patel.id, {"reason": "practice"}) in await in_db(settings, moves), "the move is audited with its reason"


async def test_a_person_not_registered_goes_to_the_team_that_takes_unregistered_people(settings):
    world = await make_world(settings)
    for answer in ("I'm not registered", "not with one", "no GP", "none"):
        item = await start_intake(settings, world.gp_entry, "Ivy", answer)
        assert await origin(settings, item.id) == ("team-b", "gp", world.gp_entry), answer
    assert await origin(settings, world.bronwen.id) == ("team-b", "self", None)

    async def answer_of(session: Any) -> Any:
        intake = await session.get(Intake, world.bronwen.id)
        return (await store.answer_map(session, intake))["gp_practice"]["value"]

    assert await in_db(settings, answer_of) == NOT_REGISTERED


async def test_with_no_entry_point_and_no_practice_of_ours_the_default_team(settings):
    world = await make_world(settings)
    for entry, answer in ((None, None), (None, "Abbey Medical Centre"), ("NOPE99", None), (None, "skip")):
        item = await start_intake(settings, entry, "Jo", answer)
        assert await origin(settings, item.id) == ("main", "self", None), (entry, answer)
    invited = await start_intake(settings, None, "Kay", start={"invited": True})
    assert await origin(settings, invited.id) == ("main", "gp", None), "a practice's invitation: referred by a GP"

    await in_db(settings, lambda s: team_store.set_entry_point_active(s, "test", world.gp_entry, False))
    switched_off = await start_intake(settings, world.gp_entry, "Lee")
    assert await origin(settings, switched_off.id) == ("main", "self", None), "a switched-off entry point is none"
    await in_db(settings, lambda s: team_store.update_team(s, "test", "team-a", is_default=True))
    later = await start_intake(settings, None, "Mo")
    assert await team_of(settings, later.id) == "team-a", "the default team is whichever is default now"


# --- the command line and the API's description --------------------------------------------------------------------


async def test_the_team_commands_set_up_teams_members_and_entry_points(client, settings, monkeypatch, capsys):
    monkeypatch.setenv("WM_DATABASE_URL", settings.database_url)
    monkeypatch.setattr("sys.stdin", io.StringIO(""))

    async def run(*argv: str) -> tuple[int, str, str]:
        capsys.readouterr()
        code = await asyncio.to_thread(cli.main, list(argv))
        out, err = capsys.readouterr()
        return code, out, err

    code, out, _ = await run(
        "team", "add", "riverside", "--name", "Riverside PCN", "--kind", "network",
        "--practice", "Riverside Surgery", "Castle Street Surgery", "--practice", "Dr Patel's Surgery",
    )  # fmt: skip
    assert code == 0 and "riverside: Riverside PCN (Primary care network)" in out
    code, _, err = await run("team", "add", "riverside", "--name", "Again", "--kind", "hub")
    assert code == 1 and "already a team 'riverside'" in err
    code, _, err = await run("team", "add", "Not A Code", "--name", "X", "--kind", "hub")
    assert code == 1 and "lower-case" in err
    code, out, _ = await run("team", "add", "hub", "--name", "Town Hub", "--kind", "hub", "--takes-unregistered")
    assert code == 0 and "takes unregistered" in out
    code, out, _ = await run("team", "update", "riverside", "--default", "--practice", "Riverside Surgery")
    assert code == 0 and "default" in out
    assert (await run("team", "update", "riverside"))[0] == 2, "nothing to change"
    assert (await run("team", "update", "nope", "--name", "X"))[0] == 1
    with pytest.raises(SystemExit):
        cli.main(["team", "update", "riverside", "--practice", "A", "--no-practices"])

    code, out, _ = await run(
        "team", "entry-point", "add", "riverside", "--place", "Riverside Hospital A&E", "--source", "ae"
    )
    assert code == 0 and "Riverside Hospital A&E (A&E), team riverside" in out
    entry = re.search(r"^Code: (\w+)$", out, re.M).group(1)  # type: ignore[union-attr]
    assert re.search(rf"^Link: http\S+/start/{entry}$", out, re.M), out
    assert (await run("team", "entry-point", "add", "riverside", "--place", " ", "--source", "gp"))[0] == 1

    assert (await run("user", "add", LW_A, "--role", "linkworker", "--team", "hub"))[0] == 0
    code, out, _ = await run("team", "add-member", "riverside", LW_A.upper())
    assert code == 0 and f"{LW_A} is now in riverside." in out
    assert (await run("team", "add-member", "riverside", "nobody@example.org"))[0] == 1
    code, out, _ = await run("team", "show", "riverside")
    assert code == 0 and f"{LW_A} (linkworker)" in out and "Practices: Riverside Surgery" in out
    assert "Castle Street" not in out, "--practice on update replaces the list"
    assert entry in out and f"/start/{entry}" in out and "Riverside Hospital A&E" in out
    assert (await run("team", "show", "nope"))[0] == 1

    code, out, _ = await run("team", "entry-point", "list")
    assert code == 0 and "riverside" in out and entry in out
    assert entry not in (await run("team", "entry-point", "list", "hub"))[1]
    assert (await run("team", "entry-point", "list", "nope"))[0] == 1
    code, out, _ = await run("team", "entry-point", "deactivate", entry.lower())
    assert code == 0 and "is off" in out
    assert await in_db(settings, lambda s: team_store.entry_point(s, entry)) is None
    assert "(off)" in (await run("team", "entry-point", "list"))[1]
    assert (await run("team", "entry-point", "activate", entry))[0] == 0
    assert await in_db(settings, lambda s: team_store.entry_point(s, entry)) is not None
    assert (await run("team", "entry-point", "activate", "ZZZZZZ"))[0] == 1

    code, out, _ = await run("team", "remove-member", "riverside", LW_A)
    assert code == 0 and "no longer in riverside" in out
    code, _, err = await run("team", "remove-member", "riverside", LW_A)
    assert code == 1 and "is not in riverside" in err

    code, out, _ = await run("team", "list")
    lines = {line.split()[0]: line for line in out.splitlines()[1:]}
    assert set(lines) == {"main", "riverside", "hub"}
    assert "default" in lines["riverside"] and "takes unregistered" in lines["hub"] and "default" not in lines["main"]
    await add_user(settings, ADMIN, "admin")
    code, out, _ = await run("team", "list", "--json")
    api = await (await client.get("/api/v1/teams", headers=await _token(settings, ADMIN))).json()
    assert code == 0 and json.loads(out) == api, "one document: the command line prints what the API returns"

    async def changes(session: Any) -> list[tuple[str, Optional[str]]]:
        query = select(AuditEvent.action, AuditEvent.source).where(AuditEvent.actor.like("cli:%"))
        return [tuple(row) for row in (await session.execute(query.order_by(AuditEvent.id))).all()]  # type: ignore

    done = [action for action, source in await in_db(settings, changes) if source == "cli"]
    for action in ("team.create", "team.update", "entry_point.create", "team.add_member", "entry_point.deactivate"):
        assert action in done, action
    assert done.count("team.remove_member") == 1


def test_the_api_describes_the_new_filters_and_fields():
    queue = OPENAPI["paths"]["/queue"]["get"]
    names = {p["name"]: p for p in queue["parameters"]}
    assert {"team", "source", "q"} <= set(names) and set(names) == set(QUEUE_PARAMETERS)
    assert names["source"]["schema"]["enum"] == ["gp", "ae", "self", "community", "other"]
    row = SCHEMAS["QueueRow"]["properties"]
    assert {"team", "referral_source", "entry_point"} <= set(row)
    assert SCHEMAS["Intake"]["properties"]["origin"] == {"$ref": "#/components/schemas/Origin"}
    assert "/teams" in OPENAPI["paths"]


async def test_the_queue_api_takes_the_new_filters_and_still_refuses_unknown_ones(client, settings):
    world = await make_world(settings)
    headers = await _token(settings, ADMIN)
    reply = await client.get(f"/api/v1/queue?team=team-b&source=ae&q={world.bethan.reference}", headers=headers)
    assert reply.status == 200 and _refs(await reply.json()) == {world.bethan.reference}
    reply = await client.get("/api/v1/queue?teams=team-b", headers=headers)
    assert reply.status == 400 and "teams" in (await reply.json())["error"]
