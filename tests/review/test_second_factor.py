"""Admins sign in with a password and an authenticator's code; accounts can be disabled and their
passwords changed, and either ends their sessions at once."""

from __future__ import annotations

import subprocess
import sys
import time

import pyotp

from bot.review import auth, second_factor
from tests.support.review import PASSWORD, add_user, audit_actions, csrf_of, current_code, in_db, sign_in


async def _password_step(client, email: str):
    token = csrf_of(await (await client.get("/login")).text())
    return await client.post(
        "/login", data={"email": email, "password": PASSWORD, "csrf_token": token}, allow_redirects=False
    )


async def test_an_admin_needs_the_code_after_the_password(client, settings):
    await add_user(settings, "admin@example.org", "admin")
    reply = await _password_step(client, "admin@example.org")
    assert reply.status == 303 and reply.headers["Location"].startswith("/login/code")
    # Waiting for the code opens nothing else.
    for path in ("/queue", "/admin/audit", "/admin/person"):
        held = await client.get(path, allow_redirects=False)
        assert held.status == 303 and held.headers["Location"] == "/login/code"
    code_page = await client.get("/login/code")
    csrf = csrf_of(await code_page.text())
    wrong = await client.post("/login/code", data={"code": "000000", "csrf_token": csrf}, allow_redirects=False)
    assert wrong.status == 401 and "not right" in await wrong.text()
    right = await client.post(
        "/login/code",
        data={"code": await current_code(settings, "admin@example.org"), "csrf_token": csrf},
        allow_redirects=False,
    )
    assert right.status == 303
    assert (await client.get("/admin/audit")).status == 200
    actions = [action for _, action, _ in await audit_actions(settings)]
    assert "auth.second_factor_failed" in actions and "auth.sign_in" in actions


async def test_an_admin_without_an_authenticator_is_told_how_to_get_one(client, settings):
    await in_db(settings, lambda s: auth.create_user(s, "new-admin@example.org", "admin", PASSWORD))
    reply = await _password_step(client, "new-admin@example.org")
    assert reply.status == 403 and "whatmatters user totp" in await reply.text()
    assert (await client.get("/queue", allow_redirects=False)).status == 303


async def test_wrong_codes_lock_the_account(client, settings):
    await add_user(settings, "admin@example.org", "admin")
    await _password_step(client, "admin@example.org")
    csrf = csrf_of(await (await client.get("/login/code")).text())
    for _ in range(auth.LOCK_AFTER - 1):
        reply = await client.post("/login/code", data={"code": "123456", "csrf_token": csrf}, allow_redirects=False)
        assert reply.status == 401
    locked = await client.post("/login/code", data={"code": "123456", "csrf_token": csrf}, allow_redirects=False)
    assert locked.status == 303 and locked.headers["Location"].startswith("/login")
    again = await _password_step(client, "admin@example.org")
    assert again.status == 429 and "locked" in await again.text()


async def test_link_workers_sign_in_with_a_password_alone(client, settings):
    await add_user(settings, "lw@example.org")
    reply = await _password_step(client, "lw@example.org")
    assert reply.status == 303 and reply.headers["Location"] == "/queue"


async def test_a_new_password_or_a_disabled_account_ends_every_session(client, new_client, settings):
    await add_user(settings, "lw@example.org")
    await sign_in(client, "lw@example.org")
    other = await new_client()
    await sign_in(other, "lw@example.org")
    ended = await in_db(settings, lambda s: auth.change_password(s, "lw@example.org", "a brand new passphrase"))
    assert ended == 2
    for each in (client, other):
        assert (await each.get("/queue", allow_redirects=False)).status == 303
    await sign_in(client, "lw@example.org", "a brand new passphrase")
    assert await in_db(settings, lambda s: auth.set_active(s, "lw@example.org", False)) == 1
    assert (await client.get("/queue", allow_redirects=False)).status == 303
    refused = await _password_step(client, "lw@example.org")
    assert refused.status == 401


def test_codes_from_a_clock_a_step_out_are_accepted_and_others_are_not():
    secret = pyotp.random_base32()
    totp, now = pyotp.TOTP(secret), time.time()
    assert second_factor.code_is_right(secret, totp.at(now))
    assert second_factor.code_is_right(secret, totp.at(now - 30))
    assert second_factor.code_is_right(secret, totp.at(now)[:3] + " " + totp.at(now)[3:])  # as apps show it
    assert not second_factor.code_is_right(secret, totp.at(now - 300))
    assert not second_factor.code_is_right(secret, "12345")
    assert not second_factor.code_is_right(None, totp.at(now))


def test_the_command_line_sets_up_an_authenticator(sqlite_settings):
    env = {**sqlite_settings.as_env(), "PATH": ""}

    def whatmatters(*args):
        return subprocess.run(
            [sys.executable, "-m", "bot.cli", *args], capture_output=True, text=True, env=env, timeout=120
        )

    assert whatmatters("user", "add", "cli-admin@example.org", "--role", "admin").returncode == 0
    done = whatmatters("user", "totp", "cli-admin@example.org")
    assert done.returncode == 0 and "otpauth://totp/" in done.stdout
    assert whatmatters("user", "totp", "nobody@example.org").returncode == 1
    disabled = whatmatters("user", "disable", "cli-admin@example.org")
    assert disabled.returncode == 0 and "disabled" in disabled.stdout
