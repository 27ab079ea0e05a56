"""The JSON API (bearer tokens, OpenAPI, strict bodies) and the `whatmatters user|token` commands."""

from __future__ import annotations

import asyncio
import io
import json

from bot import cli
from bot.review import auth
from bot.web.api import OPENAPI, SCHEMAS, problems
from tests.support.review import add_intake, add_user, audit_actions, in_db


async def _token(settings, email: str) -> dict[str, str]:
    token = await in_db(settings, lambda s: auth.create_api_token(s, email, "tests"))
    return {"Authorization": f"Bearer {token}"}


async def test_the_api_needs_a_valid_bearer_token(client, settings):
    await add_user(settings, "lw@example.org")
    await add_intake(settings)
    for headers in ({}, {"Authorization": "Bearer wm_not-a-token"}, {"Authorization": "Basic abc"}):
        reply = await client.get("/api/v1/queue", headers=headers)
        assert reply.status == 401 and "error" in await reply.json()
    reply = await client.get("/api/v1/queue", headers=await _token(settings, "lw@example.org"))
    assert reply.status == 200


async def test_list_get_change_and_note_through_the_api(client, settings):
    await add_user(settings, "lw@example.org")
    intake_id = await add_intake(settings)
    urgent_id = await add_intake(
        settings, {"preferred_name": ("Sam", "Sam")}, risk="I want to end it all", submit=False
    )
    auth_header = await _token(settings, "lw@example.org")
    queue = await (await client.get("/api/v1/queue", headers=auth_header)).json()
    assert [row["intake_id"] for row in queue["items"]] == [urgent_id, intake_id]
    assert queue["items"][0]["urgent"] is True and queue["counts"]["new"] == 2
    assert (await client.get("/api/v1/queue?colour=red", headers=auth_header)).status == 400

    one = await (await client.get(f"/api/v1/intakes/{intake_id}", headers=auth_header)).json()
    assert one["summary"]["barriers"]["in_their_words"] == "I'm nervous about going on my own."
    assert one["summary"]["preferences"]["wants_someone_to_go_with_them"] is True
    assert one["complete"] is True and one["queue"]["status"] == "new"
    assert (await client.get("/api/v1/intakes/999", headers=auth_header)).status == 404

    claimed = await client.post(f"/api/v1/intakes/{intake_id}/status", json={"status": "claimed"}, headers=auth_header)
    assert claimed.status == 200 and (await claimed.json())["assignee"] == "lw@example.org"
    note = await client.post(
        f"/api/v1/intakes/{intake_id}/notes", json={"text": "Called, no answer."}, headers=auth_header
    )
    assert note.status == 201 and (await note.json())["author"] == "lw@example.org"
    closed = await client.post(
        f"/api/v1/intakes/{intake_id}/status",
        json={"status": "closed", "outcome": "not_reachable"},
        headers=auth_header,
    )
    assert (await closed.json())["status"] == "closed"
    actions = [a for _, a, _ in await audit_actions(settings, intake_id)]
    assert actions == ["intake.view_summary", "queue.claim", "note.add", "queue.close"]


async def test_a_second_claimer_is_told_who_has_it(client, settings):
    await add_user(settings, "a@example.org")
    await add_user(settings, "b@example.org")
    intake_id = await add_intake(settings)
    first, second = await _token(settings, "a@example.org"), await _token(settings, "b@example.org")
    replies = await asyncio.gather(
        client.post(f"/api/v1/intakes/{intake_id}/status", json={"status": "claimed"}, headers=first),
        client.post(f"/api/v1/intakes/{intake_id}/status", json={"status": "claimed"}, headers=second),
    )
    assert sorted(r.status for r in replies) == [200, 409]
    loser = next(r for r in replies if r.status == 409)
    body = await loser.json()
    assert body["holder"] in ("a@example.org", "b@example.org") and "already claimed" in body["error"]


async def test_bad_bodies_get_a_clear_400(client, settings):
    await add_user(settings, "lw@example.org")
    intake_id = await add_intake(settings)
    auth_header = await _token(settings, "lw@example.org")
    url = f"/api/v1/intakes/{intake_id}/status"
    cases = [
        ({"status": "claimed", "colour": "red"}, "unknown field(s): colour"),
        ({"status": 3}, "field status must be a string"),
        ({"status": "lost"}, "field status must be one of"),
        ({}, "missing field: status"),
        ([], "must be a JSON object"),
        ({"status": "closed"}, "closing needs an outcome"),
    ]
    for body, message in cases:
        reply = await client.post(url, json=body, headers=auth_header)
        assert reply.status == 400, body
        assert message in (await reply.json())["error"], body
    reply = await client.post(url, data="{not json", headers={**auth_header, "Content-Type": "application/json"})
    assert reply.status == 400 and "not valid JSON" in (await reply.json())["error"]
    reply = await client.post(f"/api/v1/intakes/{intake_id}/notes", json={"text": True}, headers=auth_header)
    assert (await reply.json())["error"] == "field text must be a string"


async def test_the_openapi_document_describes_the_api(client, settings):
    await add_user(settings, "lw@example.org")
    reply = await client.get("/api/v1/openapi.json", headers=await _token(settings, "lw@example.org"))
    document = await reply.json()
    assert document["openapi"].startswith("3.") and document == OPENAPI
    assert set(document["paths"]) == {
        "/queue",
        "/intakes/{intake_id}",
        "/intakes/{intake_id}/status",
        "/intakes/{intake_id}/notes",
        "/intakes/{intake_id}/letter",
        "/intakes/{intake_id}/offers",
        "/intakes/{intake_id}/offers/{service_id}",
        "/intakes/{intake_id}/followup",
        "/directory/services",
        "/directory/services/{service_id}",
        "/teams",
        "/dashboard",
    }
    assert document["components"]["securitySchemes"]["bearer"]["scheme"] == "bearer"
    assert (await client.get("/api/v1/openapi.json")).status == 401


def test_the_validator_follows_the_schemas():
    assert problems({"status": "new"}, SCHEMAS["StatusChange"]) is None
    assert problems({"status": True}, SCHEMAS["StatusChange"]) == "field status must be a string"
    assert problems({"text": "  "}, SCHEMAS["NewNote"]) == "field text must not be empty"
    assert "at most" in problems({"text": "x" * 5001}, SCHEMAS["NewNote"])


def test_user_add_generates_a_password_once_and_token_create_prints_a_token(db_settings, monkeypatch, capsys):
    monkeypatch.setenv("WM_DATABASE_URL", db_settings.database_url)
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    assert cli.main(["user", "add", "Nia@Example.org", "--role", "admin"]) == 0
    out = capsys.readouterr().out
    assert "Created admin account nia@example.org." in out
    password = out.split("pass it on securely): ", 1)[1].strip()
    assert len(password) >= 16
    assert cli.main(["user", "add", "nia@example.org", "--role", "linkworker"]) == 1
    assert "already an account" in capsys.readouterr().err
    assert cli.main(["token", "create", "--user", "nia@example.org", "--name", "reporting"]) == 0
    token = capsys.readouterr().out.strip().splitlines()[-1]
    assert token.startswith("wm_")
    assert cli.main(["token", "create", "--user", "nobody@example.org"]) == 1
    assert cli.main(["user", "totp", "nia@example.org"]) == 0  # an admin signs in with an authenticator too
    assert "otpauth://totp/" in capsys.readouterr().out

    async def check(session):
        signed = await auth.sign_in(session, "nia@example.org", password)
        staff = await auth.user_for_token(session, token)
        return signed, staff

    signed, staff = asyncio.run(in_db(db_settings, check))
    assert signed.user is not None and signed.user.is_admin and staff.email == "nia@example.org"
    assert signed.second_factor is True  # the password alone opens a session waiting for the code
    actions = [a for _, a, _ in asyncio.run(audit_actions(db_settings))]
    assert actions[:2] == ["user.create", "token.create"]


def test_user_add_asks_for_the_password_twice_on_a_terminal(db_settings, monkeypatch, capsys):
    monkeypatch.setenv("WM_DATABASE_URL", db_settings.database_url)
    monkeypatch.setattr("sys.stdin.isatty", lambda: True, raising=False)
    answers = iter(["a long enough password", "a long enough password"])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    assert cli.main(["user", "add", "lw@example.org", "--role", "linkworker"]) == 0
    out = capsys.readouterr().out
    assert "Created link worker account lw@example.org." in out and "a long enough password" not in out
    answers = iter(["short", "short"])
    assert cli.main(["user", "add", "lw2@example.org", "--role", "linkworker"]) == 1
    assert "at least 12 characters" in capsys.readouterr().err


async def test_the_command_line_prints_the_same_documents_as_the_api(client, settings, monkeypatch, capsys):
    """One read model: `queue list --json` is GET /queue's body, `intake show --json` is GET /intakes/{id}'s."""
    await add_user(settings, "lw@example.org")
    intake_id = await add_intake(settings)
    await add_intake(settings, {"preferred_name": ("Sam", "Sam")}, risk="I want to end it all", submit=False)
    auth_header = await _token(settings, "lw@example.org")
    monkeypatch.setenv("WM_DATABASE_URL", settings.database_url)

    async def printed(*argv: str) -> object:
        capsys.readouterr()
        assert await asyncio.to_thread(cli.main, list(argv)) == 0
        return json.loads(capsys.readouterr().out)

    api_queue = await (await client.get("/api/v1/queue", headers=auth_header)).json()
    assert await printed("queue", "list", "--json") == api_queue and len(api_queue["items"]) == 2
    api_intake = await (await client.get(f"/api/v1/intakes/{intake_id}", headers=auth_header)).json()
    assert await printed("intake", "show", str(intake_id), "--json") == api_intake
    assert api_intake["answers"]["preferred_name"]["verbatim"] and api_intake["queue"]["intake_id"] == intake_id
    reference = api_intake["reference"]
    assert await printed("intake", "show", reference.lower(), "--json") == api_intake, "a reference as typed"
    views = [
        (actor, source)
        for actor, action, source in await audit_actions(settings, intake_id)
        if action == "intake.view_summary"
    ]
    assert [source for _, source in views] == ["127.0.0.1", "cli", "cli"] and views[1][0].startswith("cli:")
