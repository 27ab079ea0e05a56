"""`whatmatters` commands of the review app.

    whatmatters user add EMAIL --role linkworker|admin|manager [--team CODE ...] [--generate-password]
    whatmatters user totp EMAIL                  a new authenticator secret (admins need one to sign in)
    whatmatters user password EMAIL [--generate-password]   a new password; every session ends
    whatmatters user disable|enable EMAIL         disabling ends every session at once
    whatmatters token create --user EMAIL [--name NAME]

A new account's password is asked for twice on a terminal; with
--generate-password, or when there is no terminal, a random one is generated
and printed once. There are no default passwords.
"""

from __future__ import annotations

import argparse
import asyncio
import getpass
import sys
from typing import Any, Awaitable, Callable, Optional

from bot.cli_support import cli_actor
from bot.db.engine import in_transaction
from bot.errors import DomainError
from bot.review import auth, second_factor
from bot.review.models import Role
from bot.settings import Settings


def register(commands: "argparse._SubParsersAction") -> None:
    """Add this module's subcommands to the `whatmatters` parser."""
    user = commands.add_parser("user", help="staff accounts of the review app")
    user_commands = user.add_subparsers(dest="user_command", required=True)
    add = user_commands.add_parser("add", help="create an account")
    add.add_argument("email")
    totp = user_commands.add_parser("totp", help="set up (or replace) the account's authenticator app")
    totp.add_argument("email")
    password = user_commands.add_parser("password", help="set a new password; every session of the account ends")
    password.add_argument("email")
    password.add_argument("--generate-password", action="store_true", help="generate one and print it once")
    for name, text in (("disable", "stop an account signing in; its sessions end at once"), ("enable", "let it again")):
        user_commands.add_parser(name, help=text).add_argument("email")
    add.add_argument("--role", required=True, choices=Role.ALL)
    add.add_argument(
        "--generate-password",
        action="store_true",
        help="generate a random password and print it once instead of asking for one",
    )
    add.add_argument(
        "--team",
        action="append",
        metavar="CODE",
        help="a team the link worker or manager joins (repeat for several); without it a link worker joins "
        "the default team, and a manager must name at least one (they see its figures, never a person's intake)",
    )

    token = commands.add_parser("token", help="API bearer tokens")
    create = token.add_subparsers(dest="token_command", required=True).add_parser(
        "create", help="create a bearer token for /api/v1 (printed once)"
    )
    create.add_argument("--user", required=True, help="the e-mail address of the account the token acts as")
    create.add_argument("--name", default=None, help="what the token is for (shown in the audit log)")


def _ask_password() -> Optional[str]:
    first = getpass.getpass("Password (at least %d characters): " % auth.MIN_PASSWORD_LENGTH)
    if getpass.getpass("Same password again: ") != first:
        print("The passwords differ; no account was created.", file=sys.stderr)
        return None
    return first


def _new_password(generate: bool) -> tuple[Optional[str], bool]:
    """(password, generated): asked twice on a terminal, else (or when asked) generated."""
    generated = generate or not sys.stdin.isatty()
    return (auth.generate_password() if generated else _ask_password()), generated


_FAILED = object()


def _account_change(settings: Settings, work: Callable[[Any], Awaitable[Any]], refusal: str) -> Any:
    """Run one account change in a transaction; on an AccountError print `refusal: why` and return _FAILED."""
    try:
        return asyncio.run(in_transaction(settings, work))
    except auth.AccountError as error:
        print(f"{refusal}: {error}.", file=sys.stderr)
        return _FAILED
    except DomainError as error:  # e.g. no such team
        print(f"{refusal}: {error.message}", file=sys.stderr)
        return _FAILED


def add_user(settings: Settings, email: str, role: str, generate: bool, teams: Optional[list[str]] = None) -> int:
    password, generated = _new_password(generate)
    if password is None:
        return 1
    work = lambda s: auth.create_user(s, email, role, password, actor=cli_actor(), teams=teams)  # noqa: E731
    staff = _account_change(settings, work, "No account created")
    if staff is _FAILED:
        return 1
    print(f"Created {Role.NAMES[staff.role].lower()} account {staff.email}.")
    if generated:
        print(f"Password (shown only now; pass it on securely): {password}")
    return 0


def create_token(settings: Settings, email: str, name: Optional[str]) -> int:
    token = _account_change(
        settings, lambda s: auth.create_api_token(s, email, name, actor=cli_actor()), "No token created"
    )
    if token is _FAILED:
        return 1
    print("Bearer token (shown only now; keep it secret):")
    print(token)
    return 0


def enrol_totp(settings: Settings, email: str) -> int:
    enrolment = _account_change(
        settings, lambda s: second_factor.enrol(s, email, actor=cli_actor()), "No authenticator set up"
    )
    if enrolment is _FAILED:
        return 1
    print(f"Authenticator set up for {email}; any earlier one no longer works and its sessions have ended.")
    print("Add it to the authenticator app (shown only now; pass it on securely):")
    print(f"  key: {enrolment.secret}")
    print(f"  link: {enrolment.uri}")
    return 0


def new_password(settings: Settings, email: str, generate: bool) -> int:
    password, generated = _new_password(generate)
    if password is None:
        return 1
    work = lambda s: auth.change_password(s, email, password, actor=cli_actor())  # noqa: E731
    ended = _account_change(settings, work, "Password not changed")
    if ended is _FAILED:
        return 1
    print(f"Password changed for {email}; {ended} session(s) ended.")
    if generated:
        print(f"Password (shown only now; pass it on securely): {password}")
    return 0


def set_active(settings: Settings, email: str, active: bool) -> int:
    ended = _account_change(settings, lambda s: auth.set_active(s, email, active, actor=cli_actor()), "Not changed")
    if ended is _FAILED:
        return 1
    print(f"{email} can sign in again." if active else f"{email} is disabled; {ended} session(s) ended.")
    return 0


def handle(args: argparse.Namespace, settings: Settings) -> Optional[int]:
    """Run the command if it is one of ours and return its exit code; None if it is not ours."""
    if args.command == "user" and args.user_command == "add":
        return add_user(settings, args.email, args.role, args.generate_password, args.team)
    if args.command == "user" and args.user_command == "totp":
        return enrol_totp(settings, args.email)
    if args.command == "user" and args.user_command == "password":
        return new_password(settings, args.email, args.generate_password)
    if args.command == "user" and args.user_command in ("disable", "enable"):
        return set_active(settings, args.email, args.user_command == "enable")
    if args.command == "token" and args.token_command == "create":
        return create_token(settings, args.user, args.name)
    return None
