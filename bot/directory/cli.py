"""`whatmatters directory` commands: the directory of community offers.

    whatmatters directory sync SOURCE [--name N]   an ORUK 3.0 API's base URL, or an ORUK JSON file
    whatmatters directory sample                    (re)load the fictional sample directory
    whatmatters directory status [--json]           services by source and the last syncs
    whatmatters directory offers WHO [--near P]     an intake's possible offers (audited as a view)

A sync prints its progress (pages, services) as it goes; it exits 1 when the source could not be
read in full (nothing written) and 0 otherwise, even with bad records skipped (they are listed).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from typing import Any, Optional

from bot.cli_support import cli_staff
from bot.db.engine import create_engine, in_transaction, session_factory
from bot.directory import offers, store, sync
from bot.errors import DomainError, not_found
from bot.queue import read
from bot.settings import Settings


def register(commands: "argparse._SubParsersAction") -> None:
    directory = commands.add_parser("directory", help="the directory of community offers (Open Referral UK)")
    sub = directory.add_subparsers(dest="directory_command", required=True)
    run = sub.add_parser("sync", help="read an ORUK 3.0 API (base URL) or JSON file into the directory")
    run.add_argument("source", help="https://... (the API's base URL, before /services) or a path to a JSON file")
    run.add_argument("--name", help="the source's name in the directory (default: the URL, or file:NAME)")
    run.add_argument(
        "--filter",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="an ORUK list filter, e.g. taxonomy_term_id=... (repeatable): only what it lists is kept",
    )
    run.add_argument("--json", action="store_true", help="print the outcome as JSON")
    sub.add_parser("sample", help="load the fictional sample directory (Wyvernbury)")
    status = sub.add_parser("status", help="services by source and the last syncs")
    status.add_argument("--json", action="store_true", help="machine-readable output")
    show = sub.add_parser("offers", help="an intake's possible offers")
    show.add_argument("who", help="an intake reference (WM-...) or number")
    show.add_argument("--near", default="", help="a town or the first half of a postcode")
    show.add_argument("--json", action="store_true", help="machine-readable output")


def _progress(line: str) -> None:
    print(f"[directory] {line}", file=sys.stderr, flush=True)


async def _sync(
    settings: Settings, location: str, name: Optional[str], filters: tuple[tuple[str, str], ...] = ()
) -> sync.Outcome:
    engine = create_engine(settings)
    try:
        how = sync.Fetch(token=settings.directory_sync_token, filters=filters)
        return await sync.sync(session_factory(engine), location, how, _progress, name)
    finally:
        await engine.dispose()


def _print_outcome(outcome: sync.Outcome, as_json: bool) -> None:
    if as_json:
        print(json.dumps(outcome.as_json(), indent=2))
        return
    if not outcome.ok:
        print(f"Sync of {outcome.source} failed, nothing changed: {outcome.error}", file=sys.stderr)
        return
    c = outcome.counts
    print(
        f"Synced {outcome.source}: {c.seen} services ({c.added} new, {c.updated} changed, {c.unchanged} unchanged), "
        f"{c.deactivated} made inactive, {outcome.skipped} skipped."
    )
    for problem in outcome.problems[:50]:
        print(f"  skipped {problem.get('id') or '(no id)'} ({problem['where']}): {'; '.join(problem['problems'])}")


async def _status(session: Any) -> dict[str, Any]:
    from sqlalchemy import func, select

    from bot.directory.models import DirectoryService

    query = select(DirectoryService.source, DirectoryService.active, func.count()).group_by(
        DirectoryService.source, DirectoryService.active
    )
    sources: dict[str, dict[str, int]] = {}
    for source, active, count in await session.execute(query):
        sources.setdefault(source, {"active": 0, "inactive": 0})["active" if active else "inactive"] += count
    syncs = [
        {
            "source": s.source,
            "finished_at": s.finished_at.isoformat() if s.finished_at else None,
            "ok": s.ok,
            "seen": s.seen,
            "added": s.added,
            "updated": s.updated,
            "deactivated": s.deactivated,
            "skipped": s.skipped,
            "error": s.error,
        }
        for s in await store.last_syncs(session)
    ]
    return {"sources": sources, "syncs": syncs}


def _offers(settings: Settings, args: argparse.Namespace) -> int:
    async def work(session: Any) -> dict[str, Any]:
        intake_id = await read.find_intake_id(session, args.who)
        found = await read.detail(session, intake_id or 0, cli_staff(), "cli", "cli offers")
        if found is None:
            raise not_found(f"No intake {args.who}.")
        return (
            await offers.offers_for(session, offers.IndexCache(), found.intake.id, found.summary, args.near)
        ).as_json()

    try:
        found = asyncio.run(in_transaction(settings, work))
    except DomainError as error:
        print(f"whatmatters directory offers: {error}", file=sys.stderr)
        return 1
    if args.json:
        print(json.dumps(found, indent=2, default=str))
        return 0
    print(f"Possible offers ({found['directory_size']} services in the directory):")
    for s in found["suggestions"]:
        print(f"- {s['name']} ({s['organisation']})")
        for why in s["why"]:
            print(f"    + {why}")
        for caution in s["cautions"]:
            print(f"    - {caution}")
    return 0


def load_sample(settings: Settings) -> None:
    """`make run` on a new install: the fictional sample directory, so offers show at once (once only)."""

    async def work() -> Optional[sync.Outcome]:
        engine = create_engine(settings)
        try:
            return await sync.load_sample_if_empty(session_factory(engine), _progress)
        finally:
            await engine.dispose()

    outcome = asyncio.run(work())
    if outcome is not None:
        print(
            f"[whatmatters] loaded the sample directory (fictional town of Wyvernbury): {outcome.counts.seen} services."
        )


def handle(args: argparse.Namespace, settings: Settings) -> Optional[int]:
    if args.command != "directory":
        return None
    if args.directory_command in ("sync", "sample"):
        location = args.source if args.directory_command == "sync" else str(sync.SAMPLE)
        name = args.name if args.directory_command == "sync" else sync.SAMPLE_SOURCE
        pairs = [f.split("=", 1) for f in getattr(args, "filter", [])]
        if any(len(pair) != 2 or not pair[0].strip() for pair in pairs):
            print("whatmatters directory sync: a filter is KEY=VALUE, e.g. taxonomy_term_id=...", file=sys.stderr)
            return 2
        filters = tuple((key.strip(), value.strip()) for key, value in pairs)
        outcome = asyncio.run(_sync(settings, location, name, filters))
        _print_outcome(outcome, getattr(args, "json", False))
        return 0 if outcome.ok else 1
    if args.directory_command == "status":
        found = asyncio.run(in_transaction(settings, _status))
        if args.json:
            print(json.dumps(found, indent=2))
        else:
            for source, counts in sorted(found["sources"].items()):
                print(f"{source}: {counts['active']} active, {counts['inactive']} inactive")
            for s in found["syncs"]:
                state = "ok" if s["ok"] else f"FAILED: {s['error']}"
                print(
                    f"{(s['finished_at'] or '')[:19]}  {s['source']}  {state}  seen {s['seen']}, skipped {s['skipped']}"
                )
        return 0
    return _offers(settings, args)
