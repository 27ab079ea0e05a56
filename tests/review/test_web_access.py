"""Who can reach what: sign-in, roles, CSRF, cookies, headers, idle timeout, lock-out."""

from __future__ import annotations

import re
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

from sqlalchemy import update

from bot.db.models import utcnow
from bot.review import auth
from bot.review.models import StaffSession
from bot.settings import PROJECT_ROOT
from tests.support.review import PASSWORD, add_intake, add_user, audit_actions, csrf_of, in_db, sign_in

STAFF_PAGES = ["/queue", "/invite", "/queue?status=closed", "/intakes/1", "/intakes/1/transcript", "/admin/audit"]


async def test_nothing_but_the_sign_in_page_without_signing_in(client, settings):
    intake_id = await add_intake(settings)
    assert intake_id == 1
    for path in STAFF_PAGES:
        reply = await client.get(path, allow_redirects=False)
        assert reply.status == 303, path
        assert reply.headers["Location"].startswith("/login"), path
    for path in ["/queue/live", "/api/v1/queue", "/api/v1/intakes/1"]:
        reply = await client.get(path, allow_redirects=False)
        assert reply.status == 401, path
        assert "Carol" not in await reply.text()
    reply = await client.post("/intakes/1/claim", data={"csrf_token": "x"}, allow_redirects=False)
    assert reply.status == 303 and reply.headers["Location"].startswith("/login")
    assert (await client.get("/login")).status == 200
    assert (await client.get("/healthz")).status == 200
    for path, chat in (("/", "/patient/chat"), ("/?ref=WM-CODE1", "/patient/chat?ref=WM-CODE1")):
        reply = await client.get(path, allow_redirects=False)
        assert (reply.status, reply.headers["Location"]) == (303, chat), "an invitation link opens the patient chat"
    assert (await client.get("/static/app.css")).status == 200
    assert (await client.get("/static/nhsuk.css")).status == 200


async def test_sign_in_takes_you_back_where_you_were_going_but_never_off_site(client, settings):
    await add_user(settings, "lw@example.org")
    page = await client.get("/intakes/7?x=1", allow_redirects=False)
    location = urlsplit(page.headers["Location"])
    assert location.path == "/login" and parse_qs(location.query)["next"] == ["/intakes/7?x=1"]
    form = await client.get("/login?next=https://evil.example/")
    html = await form.text()
    assert 'name="next" value="/queue"' in html
    reply = await client.post(
        "/login",
        data={"email": "lw@example.org", "password": PASSWORD, "csrf_token": csrf_of(html), "next": "//evil.example/"},
        allow_redirects=False,
    )
    assert reply.headers["Location"] == "/queue"


async def test_a_link_worker_cannot_reach_admin_pages(client, settings):
    await add_user(settings, "lw@example.org")
    await add_user(settings, "other@example.org")
    intake_id = await add_intake(settings)
    csrf = await sign_in(client, "lw@example.org")
    assert (await client.get("/admin/audit")).status == 403
    reply = await client.post(
        f"/intakes/{intake_id}/assign",
        data={"csrf_token": csrf, "assignee": "other@example.org"},
        allow_redirects=False,
    )
    assert reply.status == 403
    assert "Audit log" not in await (await client.get("/queue")).text()


async def test_an_admin_reads_the_audit_log(client, settings):
    await add_user(settings, "admin@example.org", "admin")
    await sign_in(client, "admin@example.org")
    reply = await client.get("/admin/audit?action=auth.sign_in")
    assert reply.status == 200
    assert "auth.sign_in" in await reply.text()


async def test_a_post_without_the_csrf_token_gets_403(client, settings):
    await add_user(settings, "lw@example.org")
    intake_id = await add_intake(settings)
    csrf = await sign_in(client, "lw@example.org")
    for data in ({}, {"csrf_token": ""}, {"csrf_token": csrf[:-2] + "xx"}):
        reply = await client.post(f"/intakes/{intake_id}/claim", data=data, allow_redirects=False)
        assert reply.status == 403
    assert (await client.post("/logout", data={}, allow_redirects=False)).status == 403
    # The sign-in form has its own token (double-submit cookie).
    assert (
        await client.post("/login", data={"email": "lw@example.org", "password": PASSWORD}, allow_redirects=False)
    ).status == 403
    assert not any(a == "queue.claim" for _, a, _ in await audit_actions(settings, intake_id))
    page = await client.get(f"/intakes/{intake_id}")
    assert "Nobody has claimed this yet" in await page.text()


async def test_session_cookie_flags_and_sign_out(client, settings):
    await add_user(settings, "lw@example.org")
    form = await client.get("/login")
    reply = await client.post(
        "/login",
        data={"email": "LW@example.org ", "password": PASSWORD, "csrf_token": csrf_of(await form.text())},
        headers={"X-Forwarded-Proto": "https"},
        allow_redirects=False,
    )
    assert reply.status == 303
    cookie = [v for v in reply.headers.getall("Set-Cookie") if v.startswith("wm_session=")][0]
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Secure" in cookie
    assert "Strict-Transport-Security" in reply.headers
    # The test client talks plain HTTP, so it keeps Secure cookies to itself: sign in again over HTTP.
    csrf = await sign_in(client, "lw@example.org")
    out = await client.post("/logout", data={"csrf_token": csrf}, allow_redirects=False)
    assert out.status == 303
    assert (await client.get("/queue", allow_redirects=False)).status == 303
    actions = [a for _, a, _ in await audit_actions(settings)]
    assert "auth.sign_in" in actions and "auth.sign_out" in actions


async def test_plain_http_cookies_are_not_marked_secure(client, settings):
    await add_user(settings, "lw@example.org")
    form = await client.get("/login")
    reply = await client.post(
        "/login",
        data={"email": "lw@example.org", "password": PASSWORD, "csrf_token": csrf_of(await form.text())},
        allow_redirects=False,
    )
    cookie = [v for v in reply.headers.getall("Set-Cookie") if v.startswith("wm_session=")][0]
    assert "HttpOnly" in cookie and "Secure" not in cookie


async def test_idle_sessions_end(client, settings):
    await add_user(settings, "lw@example.org")
    await sign_in(client, "lw@example.org")
    await in_db(
        settings, lambda s: s.execute(update(StaffSession).values(last_seen_at=utcnow() - timedelta(minutes=31)))
    )
    reply = await client.get("/queue", allow_redirects=False)
    assert reply.status == 303 and "expired=1" in reply.headers["Location"]
    assert "auth.session_expired" in [a for _, a, _ in await audit_actions(settings)]
    assert "signed out because" in await (await client.get(reply.headers["Location"])).text()


async def test_failed_sign_ins_are_slowed_then_locked_and_audited(settings):
    await add_user(settings, "lw@example.org")
    now = utcnow()
    reasons = []
    for attempt in range(auth.LOCK_AFTER):
        # Each attempt comes after the back-off has passed, so only the lock stops it.
        moment = now + timedelta(minutes=attempt)
        result = await in_db(
            settings, lambda s: auth.sign_in(s, "lw@example.org", "wrong password!", "10.0.0.1", moment)
        )
        reasons.append(result.reason)
    assert reasons[:-1] == ["invalid"] * (auth.LOCK_AFTER - 1) and reasons[-1] == "locked"
    later = now + timedelta(minutes=auth.LOCK_AFTER)
    locked = await in_db(settings, lambda s: auth.sign_in(s, "lw@example.org", PASSWORD, "10.0.0.1", later))
    assert locked.user is None and locked.reason == "locked"
    after_lock = later + auth.LOCK_FOR
    ok = await in_db(settings, lambda s: auth.sign_in(s, "lw@example.org", PASSWORD, "10.0.0.1", after_lock))
    assert ok.user is not None
    events = await audit_actions(settings)
    actions = [a for _, a, _ in events]
    assert actions.count("auth.sign_in_failed") == auth.LOCK_AFTER
    assert "auth.locked" in actions and "auth.sign_in_refused" in actions and actions[-1] == "auth.sign_in"
    assert all(src == "10.0.0.1" for _, a, src in events if a.startswith("auth."))


async def test_quick_retries_are_refused_before_the_password_is_checked(client, settings):
    await add_user(settings, "lw@example.org")
    statuses = []
    for _ in range(auth.FREE_ATTEMPTS + 1):
        form = await client.get("/login")
        reply = await client.post(
            "/login",
            data={"email": "lw@example.org", "password": "nope nope nope", "csrf_token": csrf_of(await form.text())},
        )
        statuses.append(reply.status)
    assert statuses[: auth.FREE_ATTEMPTS] == [401] * auth.FREE_ATTEMPTS
    assert statuses[-1] == 429
    # Even the right password has to wait now.
    form = await client.get("/login")
    reply = await client.post(
        "/login", data={"email": "lw@example.org", "password": PASSWORD, "csrf_token": csrf_of(await form.text())}
    )
    assert reply.status == 429 and "Wait" in await reply.text()


async def test_unknown_accounts_fail_the_same_way(client, settings):
    form = await client.get("/login")
    reply = await client.post(
        "/login",
        data={"email": "nobody@example.org", "password": "whatever it is", "csrf_token": csrf_of(await form.text())},
    )
    assert reply.status == 401
    assert "The email address or password is not right" in await reply.text()
    assert ("nobody@example.org", "auth.sign_in_failed") in [(w, a) for w, a, _ in await audit_actions(settings)]


async def test_passwords_are_argon2id_and_no_account_exists_by_default(settings):
    async def work(session):
        assert await auth.list_users(session) == []
        await auth.create_user(session, "lw@example.org", "linkworker", PASSWORD)
        return (await auth.find_user(session, "lw@example.org")).password_hash

    stored = await in_db(settings, work)
    assert stored.startswith("$argon2id$") and PASSWORD not in stored


async def test_security_headers_on_every_response(client, settings):
    for path in ["/login", "/healthz", "/queue", "/static/app.css"]:
        reply = await client.get(path, allow_redirects=False)
        csp = reply.headers["Content-Security-Policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp
        assert reply.headers["X-Content-Type-Options"] == "nosniff"
        assert reply.headers["X-Frame-Options"] == "DENY"
        assert reply.headers["Referrer-Policy"] == "no-referrer"


def test_templates_have_no_inline_script_style_or_unescaped_output():
    for template in (PROJECT_ROOT / "bot" / "web" / "templates").glob("*.html"):
        html = template.read_text()
        assert not re.search(r"<script(?![^>]*\bsrc=)", html), template.name
        assert "style=" not in html and "<style" not in html, template.name
        assert not re.search(r"\|\s*safe\b", html) and "autoescape false" not in html, template.name
        assert not re.search(r"\son[a-z]+=", html), template.name
