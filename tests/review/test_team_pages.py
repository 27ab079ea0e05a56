"""Teams in the review app: an admin manages teams, members and entry points and prints a poster whose
QR code decodes (with Debian's zbarimg) to the entry point's link; link workers see their teams'
items with where each came from, filter by source and team, and search."""

from __future__ import annotations

import re
import uuid

import pytest

from bot.intake import store as intake_store
from bot.intake.summary import build_summary, summary_text
from bot.teams import store
from bot.teams.links import start_link
from bot.teams.models import ReferralSource
from bot.web.app import create_app
from tests.support.qr import decode_qr
from tests.support.review import MRS_C_ANSWERS, add_user, audit_actions, in_db, sign_in

ADMIN = "admin@example.org"
WORKER = "lw@example.org"
INVITE_URL = "https://whatmatters.example/invite?from=sms"


async def _team(settings, code: str, name: str, kind: str = "hub", practices=()):
    return await in_db(settings, lambda s: store.create_team(s, "setup", code, name, kind, practices))


async def _entry(settings, team: str, place: str, source: str) -> str:
    entry = await in_db(settings, lambda s: store.create_entry_point(s, "setup", team, place, source))
    return entry.code


async def _join(settings, team: str, email: str) -> None:
    await in_db(settings, lambda s: store.add_member(s, "setup", team, email))


async def _intake_from(settings, entry_code, name: str) -> tuple[int, str]:
    """A submitted intake begun the way the chat begins one: from an entry point's link (or from nowhere)."""

    async def work(session):
        intake = await intake_store.ensure_intake(
            session, f"test-{uuid.uuid4().hex}", "rest", {"entry": entry_code} if entry_code else None
        )
        for key, (value, verbatim) in {**MRS_C_ANSWERS, "preferred_name": (name, name)}.items():
            await intake_store.save_answer(session, intake, key, value, verbatim)
        answers = await intake_store.answer_map(session, intake)
        flags = await intake_store.flag_dicts(session, intake)
        summary = build_summary(answers, flags, intake.reference, intake.channel)
        await intake_store.submit(session, intake, summary, summary_text(answers, flags))
        return intake.id, intake.reference

    return await in_db(settings, work)


def _rows(html: str) -> list[int]:
    return [int(x) for x in re.findall(r'data-intake="(\d+)"', html)]


def _problem(html: str) -> tuple[str, str]:
    """The error summary's link target and message."""
    found = re.search(r'nhsuk-error-summary__list"><li><a href="#([^"]+)">([^<]+)</a>', html)
    assert found, "no error summary on the page"
    return found.group(1), found.group(2)


# --- admins manage teams -------------------------------------------------------------------------------------------


async def test_an_admin_creates_a_team_edits_it_and_manages_members_and_entry_points(client, settings):
    await add_user(settings, ADMIN, "admin")
    await add_user(settings, WORKER)
    csrf = await sign_in(client, ADMIN)
    listing = await (await client.get("/admin/teams")).text()
    assert 'href="/admin/teams"' in listing and 'aria-current="page">Teams' in listing
    assert 'data-team="main"' in listing and WORKER in listing, "the default team, with the link worker in it"

    reply = await client.post(
        "/admin/teams",
        data={
            "csrf_token": csrf,
            "code": "riverside-pcn",
            "name": "Riverside Primary Care Network",
            "kind": "network",
            "practices": "Riverside Surgery\n\n  Hill Practice  \n",
        },
        allow_redirects=False,
    )
    assert (reply.status, reply.headers["Location"]) == (303, "/admin/teams/riverside-pcn?m=created")
    page = await (await client.get(reply.headers["Location"])).text()
    assert "The team has been created." in page and "Primary care network" in page
    team = await in_db(settings, lambda s: store.team_by_code(s, "riverside-pcn"))
    assert (team.name, team.kind, team.practices) == (
        "Riverside Primary Care Network",
        "network",
        ["Riverside Surgery", "Hill Practice"],
    )
    assert not team.takes_unregistered and not team.is_default

    reply = await client.post(
        "/admin/teams/riverside-pcn",
        data={
            "csrf_token": csrf,
            "name": "Riverside PCN",
            "practices": "Riverside Surgery\r\nOak Lane Medical Centre",
            "takes_unregistered": "yes",
        },
        allow_redirects=False,
    )
    assert reply.headers["Location"] == "/admin/teams/riverside-pcn?m=updated"
    team = await in_db(settings, lambda s: store.team_by_code(s, "riverside-pcn"))
    assert (team.name, team.practices, team.takes_unregistered) == (
        "Riverside PCN",
        ["Riverside Surgery", "Oak Lane Medical Centre"],
        True,
    )
    main = await in_db(settings, lambda s: store.team_by_code(s, "main"))
    assert not main.takes_unregistered and main.is_default, "one team takes people not registered"
    page = await (await client.get("/admin/teams/riverside-pcn")).text()
    assert "Riverside Surgery\nOak Lane Medical Centre</textarea>" in page
    assert 'id="takes_unregistered" name="takes_unregistered" type="checkbox" value="yes" checked' in page

    reply = await client.post(
        "/admin/teams/riverside-pcn/members",
        data={"csrf_token": csrf, "email": " LW@example.org "},
        allow_redirects=False,
    )
    assert reply.headers["Location"] == "/admin/teams/riverside-pcn?m=member_added"
    assert [m.email for m in await in_db(settings, lambda s: store.members(s, team.id))] == [WORKER]
    assert f'data-member="{WORKER}"' in await (await client.get("/admin/teams/riverside-pcn")).text()
    reply = await client.post(
        "/admin/teams/riverside-pcn/members/remove", data={"csrf_token": csrf, "email": WORKER}, allow_redirects=False
    )
    assert reply.headers["Location"] == "/admin/teams/riverside-pcn?m=member_removed"
    assert await in_db(settings, lambda s: store.members(s, team.id)) == []

    reply = await client.post(
        "/admin/teams/riverside-pcn/entry-points",
        data={"csrf_token": csrf, "place": "Riverside Hospital A&E", "source": "ae"},
        allow_redirects=False,
    )
    assert reply.headers["Location"] == "/admin/teams/riverside-pcn?m=entry_created"
    [entry] = await in_db(settings, lambda s: store.entry_points(s, team.id))
    assert (entry.place, entry.source, entry.active) == ("Riverside Hospital A&E", "ae", True)
    assert re.fullmatch(r"[A-Z2-9]{6}", entry.code)
    page = await (await client.get("/admin/teams/riverside-pcn")).text()
    assert start_link(settings, entry.code) in page and "Riverside Hospital A&amp;E" in page
    assert f'href="/admin/entry-points/{entry.code}/poster"' in page

    for active, message in (("0", "entry_off"), ("1", "entry_on")):
        reply = await client.post(
            f"/admin/entry-points/{entry.code}/active",
            data={"csrf_token": csrf, "active": active},
            allow_redirects=False,
        )
        assert reply.headers["Location"] == f"/admin/teams/riverside-pcn?m={message}"
        found = await in_db(settings, lambda s: store.entry_point(s, entry.code, active_only=False))
        assert found.active is (active == "1")

    changes = [
        (who, what) for who, what, where in await audit_actions(settings) if what.startswith(("team.", "entry_point."))
    ]
    assert [c for c in changes if c[0] == ADMIN] == [
        (ADMIN, "team.create"),
        (ADMIN, "team.update"),
        (ADMIN, "team.add_member"),
        (ADMIN, "team.remove_member"),
        (ADMIN, "entry_point.create"),
        (ADMIN, "entry_point.deactivate"),
        (ADMIN, "entry_point.activate"),
    ]
    assert all(where for who, what, where in await audit_actions(settings) if who == ADMIN and what.startswith("team."))


async def test_a_refused_change_shows_the_page_again_with_the_problem(client, settings):
    await add_user(settings, ADMIN, "admin")
    csrf = await sign_in(client, ADMIN)
    before = await audit_actions(settings)

    async def refused(path: str, data: dict, status: int, field: str, words: str) -> str:
        reply = await client.post(path, data={"csrf_token": csrf, **data}, allow_redirects=False)
        html = await reply.text()
        assert reply.status == status, (path, data, reply.status)
        target, message = _problem(html)
        assert target == field and words in message, (target, message)
        assert f'id="{field}"' in html, "the summary links to a field on the page"
        assert "<title>Error: " in html
        return html

    html = await refused("/admin/teams", {"code": "Bad Code!", "name": "Hub", "kind": "hub"}, 400, "code", "2 to 32")
    assert 'value="Hub"' in html and "nhsuk-form-group--error" in html, "what was typed is kept"
    await refused("/admin/teams", {"code": "main", "name": "Again", "kind": "hub"}, 409, "code", "already")
    await refused("/admin/teams", {"code": "hub-two", "name": "Hub", "kind": "castle"}, 400, "kind", "one of")
    await refused("/admin/teams", {"code": "hub-two", "name": " ", "kind": "hub"}, 400, "name", "Enter the team")
    await refused(
        "/admin/teams",
        {"code": "hub-two", "name": "Hub", "kind": "hub", "practices": "x" * 121},
        400,
        "practices",
        "120",
    )
    html = await refused("/admin/teams/main", {"name": ""}, 400, "name", "Enter the team")
    await refused("/admin/teams/main/members", {"email": "nobody@example.org"}, 404, "member-email", "No account")
    await refused("/admin/teams/main/members", {"email": ""}, 400, "member-email", "Enter the email")
    await refused("/admin/teams/main/members/remove", {"email": ADMIN}, 404, "members", "is not in")
    html = await refused("/admin/teams/main/entry-points", {"place": "", "source": "ae"}, 400, "place", "place")
    await refused("/admin/teams/main/entry-points", {"place": "Library", "source": "moon"}, 400, "source", "come from")
    assert (
        'value="Library"'
        in await (
            await client.post(
                "/admin/teams/main/entry-points", data={"csrf_token": csrf, "place": "Library", "source": "moon"}
            )
        ).text()
    )

    assert (await client.get("/admin/teams/nope")).status == 404
    assert (await client.post("/admin/teams/nope", data={"csrf_token": csrf, "name": "X"})).status == 404
    for path in (
        "/admin/entry-points/ZZZZZZ/poster",
        "/admin/entry-points/ZZZZZZ/qr.svg",
        "/admin/entry-points/ZZZZZZ/qr.png",
    ):
        assert (await client.get(path)).status == 404, path
    reply = await client.post("/admin/entry-points/ZZZZZZ/active", data={"csrf_token": csrf, "active": "0"})
    assert reply.status == 404
    after = await audit_actions(settings)
    assert [a for a in after[len(before) :] if a[1].startswith(("team.", "entry_point."))] == [], "nothing changed"


async def test_team_pages_are_for_admins_and_every_change_needs_the_csrf_token(client, new_client, settings):
    await add_user(settings, ADMIN, "admin")
    await add_user(settings, WORKER)
    code = await _entry(settings, "main", "Central Library", "community")
    pages = ["/admin/teams", "/admin/teams/main", f"/admin/entry-points/{code}/poster"]
    pages += [f"/admin/entry-points/{code}/qr.svg", f"/admin/entry-points/{code}/qr.png"]
    changes = [
        ("/admin/teams", {"code": "x-team", "name": "X", "kind": "hub"}),
        ("/admin/teams/main", {"name": "Taken over"}),
        ("/admin/teams/main/members", {"email": ADMIN}),
        ("/admin/teams/main/members/remove", {"email": WORKER}),
        ("/admin/teams/main/entry-points", {"place": "Elsewhere", "source": "other"}),
        (f"/admin/entry-points/{code}/active", {"active": "0"}),
    ]
    for path in pages:
        reply = await client.get(path, allow_redirects=False)
        assert reply.status == 303 and reply.headers["Location"].startswith("/login"), path

    csrf = await sign_in(client, WORKER)
    assert "/admin/teams" not in await (await client.get("/queue")).text(), "no Teams link for link workers"
    for path in pages:
        reply = await client.get(path, allow_redirects=False)
        assert reply.status == 403, path
        assert "Tell us what matters" not in await reply.text() and code not in await reply.text(), path
    for path, data in changes:
        assert (await client.post(path, data={"csrf_token": csrf, **data})).status == 403, path

    admin = await new_client()
    admin_csrf = await sign_in(admin, ADMIN)
    for path, data in changes:
        reply = await admin.post(path, data=data, allow_redirects=False)
        assert reply.status == 403, path
        assert "did not come from this site" in await reply.text()
        reply = await admin.post(path, data={"csrf_token": admin_csrf + "x", **data}, allow_redirects=False)
        assert reply.status == 403, path
    main = await in_db(settings, lambda s: store.team_by_code(s, "main"))
    assert main.name != "Taken over" and [t.code for t in await in_db(settings, store.teams)] == ["main"]
    assert (await in_db(settings, lambda s: store.entry_point(s, code))) is not None, "still on"
    changed = [a for a in await audit_actions(settings) if a[0] in (ADMIN, WORKER)]
    assert not [a for a in changed if a[1].startswith(("team.", "entry_point."))], changed


# --- the poster and its QR code --------------------------------------------------------------------------------------


def test_the_start_link_is_on_the_site_the_invitations_link_to(settings):
    assert start_link(settings.with_overrides(sms_invite_url=""), " ab3xyz ") == "http://127.0.0.1:8080/start/AB3XYZ"
    local = settings.with_overrides(sms_invite_url="", web_host="10.0.0.5", web_port=9000)
    assert start_link(local, "AB3XYZ") == "http://10.0.0.5:9000/start/AB3XYZ"
    for invite in ("https://whatmatters.example/", "https://whatmatters.example/start", INVITE_URL):
        public = settings.with_overrides(sms_invite_url=invite)
        assert start_link(public, "AB3XYZ") == "https://whatmatters.example/start/AB3XYZ"


async def test_the_poster_and_its_qr_code_give_the_entry_points_link(aiohttp_client, settings, tmp_path):
    settings = settings.with_overrides(sms_invite_url=INVITE_URL)
    client = await aiohttp_client(create_app(settings))
    await add_user(settings, ADMIN, "admin")
    await _team(settings, "riverside", "Riverside Community Hub")
    code = await _entry(settings, "riverside", "Riverside Hospital A&E", "ae")
    link = f"https://whatmatters.example/start/{code}"
    await sign_in(client, ADMIN)

    reply = await client.get(f"/admin/entry-points/{code}/poster")
    assert reply.status == 200
    html = await reply.text()
    for words in (
        "Tell us what matters to you",
        "It takes about 10 minutes",
        "Scan the code with your phone camera or type this address",
        "You do not need to be registered with a GP",
        "Riverside Community Hub",
        "Riverside Hospital A&amp;E",
    ):
        assert words in html, words
    assert f'<p class="wm-poster__link" id="poster-link">{link}</p>' in html
    assert 'href="/static/poster.css"' in html
    svg = re.search(r'<div class="wm-poster__qr" id="poster-qr">(<svg .*?</svg>)</div>', html, re.S)
    assert svg and 'role="img"' in svg.group(1) and f"<title>QR code for {link}</title>" in svg.group(1)
    scripts = re.findall(r"<script[^>]*>", html)
    assert scripts == ['<script type="module" src="/static/app.js">'], "no other script"
    assert not re.findall(r'(?:src|href)="(?:https?:)?//', html), "nothing fetched from elsewhere"

    png = await client.get(f"/admin/entry-points/{code}/qr.png")
    assert png.status == 200 and png.content_type == "image/png"
    assert decode_qr(await png.read(), tmp_path) == link
    svg_reply = await client.get(f"/admin/entry-points/{code}/qr.svg")
    assert svg_reply.status == 200 and svg_reply.content_type == "image/svg+xml"
    assert (await svg_reply.text()).startswith("<?xml") and "<svg" in await svg_reply.text()

    # Switched off: the poster says so on screen (not on paper) and the admin can still see it.
    await in_db(settings, lambda s: store.set_entry_point_active(s, "setup", code, False))
    html = await (await client.get(f"/admin/entry-points/{code}/poster")).text()
    assert 'id="poster-off"' in html and "switched off" in html


# --- what link workers see: the queue and the summary --------------------------------------------------------------


@pytest.mark.parametrize("database", ["sqlite", "postgres"])
async def test_link_workers_filter_their_teams_queue_by_source_team_and_search(aiohttp_client, request, database):
    settings = request.getfixturevalue(f"{database}_settings")
    await add_user(settings, ADMIN, "admin")
    await add_user(settings, WORKER)  # in the default team, "main"
    await add_user(settings, "hill@example.org")
    await _team(settings, "riverside", "Riverside Hub")
    await _team(settings, "hillside", "Hillside Hub")
    await _join(settings, "riverside", WORKER)
    await _in_only(settings, "hill@example.org", "hillside")
    ae = await _entry(settings, "riverside", "Riverside Hospital A&E", ReferralSource.AE)
    library = await _entry(settings, "hillside", "Hillside Library", ReferralSource.COMMUNITY)
    carol, _ = await _intake_from(settings, ae, "Carol")
    dev, dev_ref = await _intake_from(settings, None, "Dev")
    bob, _ = await _intake_from(settings, library, "Bob")

    worker = await aiohttp_client(create_app(settings))
    await sign_in(worker, WORKER)

    async def seen(client, query: str = "") -> tuple[list[int], str]:
        html = await (await client.get(f"/queue{query}")).text()
        return sorted(_rows(html)), html

    rows, html = await seen(worker)
    assert rows == sorted([carol, dev]), "never Bob: Hillside is not one of their teams"
    assert '<th scope="col">Team</th>' in html and "Riverside Hub" in html, "in two teams: each row names its team"
    assert "A&amp;E" in html and "Riverside Hospital A&amp;E" in html and "Self-referral" in html
    options = re.findall(r'<select class="nhsuk-select" id="team" name="team">(.*?)</select>', html, re.S)
    assert options and "riverside" in options[0] and "main" in options[0] and "hillside" not in options[0]
    assert (await seen(worker, "?source=ae"))[0] == [carol]
    assert (await seen(worker, "?source=self"))[0] == [dev]
    assert (await seen(worker, "?source=community"))[0] == [], "Bob's source, not Bob"
    assert (await seen(worker, "?team=riverside"))[0] == [carol]
    assert (await seen(worker, "?team=main"))[0] == [dev]
    rows, html = await seen(worker, "?team=hillside")
    assert rows == [] and "Bob" not in html and "No items match these filters." in html
    assert (await seen(worker, "?q=car"))[0] == [carol]
    assert (await seen(worker, f"?q={dev_ref[-4:].lower()}"))[0] == [dev]
    assert (await seen(worker, "?q=bob"))[0] == [] and (await seen(worker, "?q=bob&team=hillside"))[0] == []
    assert (await seen(worker, "?q=carol&source=ae&team=riverside"))[0] == [carol]
    _, html = await seen(worker, "?q=car&source=ae")
    assert 'id="q" name="q" type="search"' in html and 'value="car"' in html
    live = await (await worker.get("/queue/live?team=hillside")).text()
    assert _rows(live) == [] and "Bob" not in live
    live = await (await worker.get("/queue/live?source=ae")).text()
    assert _rows(live) == [carol] and '<th scope="col">Team</th>' in live

    hill = await aiohttp_client(create_app(settings))
    await sign_in(hill, "hill@example.org")
    rows, html = await seen(hill)
    assert rows == [bob] and "Hillside Library" in html
    assert '<th scope="col">Team</th>' not in html and 'id="team"' not in html, "one team: no team column or filter"
    assert (await seen(hill, "?team=riverside"))[0] == []

    admin = await aiohttp_client(create_app(settings))
    await sign_in(admin, ADMIN)
    rows, html = await seen(admin)
    assert rows == sorted([carol, dev, bob]) and "Hillside Hub" in html and '<th scope="col">Team</th>' in html
    assert (await seen(admin, "?team=hillside"))[0] == [bob]
    assert (await seen(admin, "?source=community"))[0] == [bob]


async def _in_only(settings, email: str, team: str) -> None:
    """Move a link worker from the default team to `team` alone."""
    await _join(settings, team, email)
    await in_db(settings, lambda s: store.remove_member(s, "setup", "main", email))


async def test_the_summary_says_whose_it_is_and_where_the_person_came_from(client, settings):
    await add_user(settings, WORKER)
    await _team(settings, "riverside", "Riverside Hub")
    await _join(settings, "riverside", WORKER)
    ae = await _entry(settings, "riverside", "Riverside Hospital A&E", ReferralSource.AE)
    carol, _ = await _intake_from(settings, ae, "Carol")
    dev, _ = await _intake_from(settings, None, "Dev")
    await sign_in(client, WORKER)
    html = await (await client.get(f"/intakes/{carol}")).text()
    origin = re.search(r'<dl class="nhsuk-summary-list wm-origin" id="origin">(.*?)</dl>', html, re.S)
    assert origin, "the origin near the top of the summary"
    assert html.index('id="origin"') < html.index("What matters to them")
    assert 'id="origin-team">Riverside Hub<' in origin.group(1)
    assert 'id="origin-source">A&amp;E<' in origin.group(1)
    assert 'id="origin-place">Riverside Hospital A&amp;E<' in origin.group(1)
    html = await (await client.get(f"/intakes/{dev}")).text()
    assert 'id="origin-source">Self-referral<' in html and 'id="origin-place">Not from an entry point<' in html


async def test_a_team_nobody_works_in_is_pointed_out_to_admins(client, settings):
    """Its intakes, urgent ones too, reach only admins: the teams page says so until a link worker joins."""
    await add_user(settings, ADMIN, "admin")
    await add_user(settings, WORKER)
    await in_db(settings, lambda s: store.create_team(s, "setup", "food-bank", "Food bank hub", "hub"))
    await sign_in(client, ADMIN)
    warning = "No active link worker: only admins see its intakes"

    def row_of(html: str, code: str) -> str:
        start = html.index(f'data-team="{code}"')
        return html[start : html.index("</tr>", start)]

    listing = await (await client.get("/admin/teams")).text()
    assert warning in row_of(listing, "food-bank") and warning not in row_of(listing, "main")
    await in_db(settings, lambda s: store.add_member(s, "setup", "food-bank", WORKER))
    listing = await (await client.get("/admin/teams")).text()
    assert warning not in row_of(listing, "food-bank")
