"""Benchmark of the directory: syncing 10,000 services from an ORUK 3.0 API, and matching one intake against them.

    .venv/bin/python -m bench.directory                  # SQLite (embedded) and PostgreSQL when it answers
    .venv/bin/python -m bench.directory --services 2000 --no-postgres

The 10,000 services are the sample directory's, copied with new ids and names, served by the fake
ORUK server (bench/oruk_server.py, which the tests use too) (a real aiohttp server on 127.0.0.1, in this process: its CPU is counted in
the sync's time). A sync reads every list page (100 services a page) and each service in full, 8 at
a time, checks each against the ORUK schema and writes them in one transaction. Then: the same sync
again (nothing changed), the matching index built from the database, and `suggest` for a set of
intakes (the README's personas and more), timed one intake at a time. Figures are printed and written
to bench/results/directory.json and directory.md.
"""

from __future__ import annotations

import argparse
import asyncio
import copy
import json
import os
import platform
import statistics
import sys
import tempfile
import time
import uuid
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Optional

from bench.oruk_server import FakeOrukServer
from bench.run import _postgres_database
from bot.db.engine import create_engine, session_factory
from bot.db.migrate import upgrade
from bot.directory import offers, store, sync
from bot.directory.matching import Need
from bot.intake.questions import LIFE_AREAS
from bot.intake.summary import build_summary
from bot.settings import PROJECT_ROOT, Settings

RESULTS = PROJECT_ROOT / "bench" / "results"

PEOPLE: dict[str, dict[str, Any]] = {
    "Mrs C": {
        "life_areas": ["activity", "long_term_condition", "loneliness"],
        "top_areas": ["activity"],
        "enjoys": "being outdoors, I love the park",
        "barrier_options": ["confidence", "pain_mobility"],
        "group_or_one_to_one": "group",
        "meeting_format": "in_person",
        "wants_company": True,
    },
    "a carer at home": {
        "life_areas": ["caring", "loneliness", "mental_wellbeing"],
        "top_areas": ["caring", "loneliness"],
        "barrier_options": ["caring_duties", "time"],
        "meeting_format": "phone",
    },
    "money worries": {
        "life_areas": ["money", "food", "housing", "mental_wellbeing"],
        "top_areas": ["money", "food", "housing"],
        "barrier_options": ["cost", "transport"],
        "meeting_format": "any",
    },
    "bereaved": {"life_areas": ["bereavement", "loneliness"], "group_or_one_to_one": "one_to_one"},
    "new to the town": {
        "life_areas": ["loneliness", "work"],
        "barrier_options": ["language", "not_knowing_anyone"],
        "enjoys": "cooking and football",
        "wants_company": True,
    },
    "every area": {
        "life_areas": [option.code for option in LIFE_AREAS if option.code != "other"],
        "top_areas": ["activity", "money", "loneliness"],
        "barrier_options": ["cost", "transport", "confidence", "pain_mobility", "caring_duties", "time"],
        "group_or_one_to_one": "group",
        "meeting_format": "online",
    },
}


def _summary(answers: dict[str, Any]) -> dict[str, Any]:
    return build_summary({k: {"value": v, "verbatim": str(v), "status": "answered"} for k, v in answers.items()})


def many_services(count: int) -> list[dict[str, Any]]:
    """`count` services: the sample's, copied with new ids and numbered names."""
    sample = json.loads(sync.SAMPLE.read_text(encoding="utf-8"))["contents"]
    made = []
    for i in range(count):
        service = copy.deepcopy(sample[i % len(sample)])
        service["id"] = str(uuid.UUID(int=i + 1, version=4))
        service["name"] = f"{service['name']} {i // len(sample) + 1}"
        made.append(service)
    return made


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


async def run_database(name: str, settings: Settings, server: FakeOrukServer, rounds: int) -> dict[str, Any]:
    say = lambda line: print(f"[bench] {name}: {line}", flush=True)  # noqa: E731
    upgrade(settings)
    engine = create_engine(settings)
    sessions = session_factory(engine)
    how = sync.Fetch(per_page=100, concurrency=8, first_pause=0.2)
    last_line = [0.0]

    def progress(line: str) -> None:
        if time.monotonic() - last_line[0] > 5:
            last_line[0] = time.monotonic()
            say(line)

    try:
        say(f"syncing {len(server.services)} services...")
        started = time.perf_counter()
        first = await sync.sync(sessions, server.url, how, progress)
        first_s = time.perf_counter() - started
        assert first.ok and first.counts.added == len(server.services), first.error
        say(f"first sync: {first_s:.1f} s; again, nothing changed...")
        started = time.perf_counter()
        again = await sync.sync(sessions, server.url, how, progress)
        again_s = time.perf_counter() - started
        assert again.ok and again.counts.unchanged == len(server.services)

        cache = offers.IndexCache()
        started = time.perf_counter()
        async with sessions() as session:
            index = await cache.get(session)
        index_s = time.perf_counter() - started
        say(f"index of {len(index)} services built in {index_s:.2f} s; matching...")
        timings: dict[str, list[float]] = {}
        for person, answers in PEOPLE.items():
            need = Need.from_summary(_summary(answers), "QW3")
            found = index.suggest(need)
            assert found, person
            times = []
            for _ in range(rounds):
                started = time.perf_counter()
                index.suggest(need)
                times.append((time.perf_counter() - started) * 1000)
            timings[person] = times
        every = [t for times in timings.values() for t in times]
        # the whole of a summary page's offers: the cache check, decisions and matching
        async with sessions() as session:
            page_times = []
            summary = _summary(PEOPLE["Mrs C"])
            for _ in range(max(5, rounds // 5)):
                started = time.perf_counter()
                await offers.offers_for(session, cache, 1, summary, "QW3")
                page_times.append((time.perf_counter() - started) * 1000)
        async with sessions() as session:
            stored = await store.count_active(session)
        return {
            "services": stored,
            "sync_seconds": round(first_s, 1),
            "sync_services_per_second": round(stored / first_s),
            "resync_seconds": round(again_s, 1),
            "index_seconds": round(index_s, 2),
            "match_ms": {
                "p50": round(statistics.median(every), 2),
                "p95": round(_percentile(every, 0.95), 2),
                "max": round(max(every), 2),
                "per_person_p50": {p: round(statistics.median(t), 2) for p, t in timings.items()},
            },
            "offers_for_ms_p50": round(statistics.median(page_times), 2),
        }
    finally:
        await engine.dispose()


async def main_async(args: argparse.Namespace) -> dict[str, Any]:
    print(f"[bench] making {args.services} services from the sample...", flush=True)
    server = await FakeOrukServer(many_services(args.services)).start()
    results: dict[str, Any] = {}
    try:
        with tempfile.TemporaryDirectory(prefix="wm-bench-directory-") as folder:
            sqlite = Settings(database_url=f"sqlite+aiosqlite:///{Path(folder) / 'wm.db'}")
            results["sqlite"] = await run_database("SQLite", sqlite, server, args.rounds)
        if args.postgres:
            try:
                url, drop = _postgres_database()
            except Exception as error:  # noqa: BLE001 - no PostgreSQL here: say so and go on
                print(f"[bench] PostgreSQL not reachable ({type(error).__name__}): skipped", flush=True)
            else:
                try:
                    postgres = Settings(database_url=url)
                    results["postgresql"] = await run_database("PostgreSQL", postgres, server, args.rounds)
                finally:
                    drop()
    finally:
        await server.stop()
    return results


def machine() -> str:
    cores = os.cpu_count()
    try:
        memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    except (ValueError, OSError):
        memory = 0.0
    return f"{cores} cores, {memory:.1f} GiB, Python {platform.python_version()}"


def write(results: dict[str, Any], args: argparse.Namespace) -> None:
    document = {
        "when": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "machine": machine(),
        "services": args.services,
        "rounds": args.rounds,
        "results": results,
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "directory.json").write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
    lines = [
        f"# Directory benchmark, {document['when']}",
        "",
        f"{args.services} services; {document['machine']}; `python -m bench.directory`.",
        "",
        "| database | first sync s | services/s | re-sync (unchanged) s | index s | match p50 ms | match p95 ms | summary page's offers p50 ms |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for name, r in results.items():
        m = r["match_ms"]
        lines.append(
            f"| {name} | {r['sync_seconds']} | {r['sync_services_per_second']} | {r['resync_seconds']} | "
            f"{r['index_seconds']} | {m['p50']} | {m['p95']} | {r['offers_for_ms_p50']} |"
        )
    (RESULTS / "directory.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))


def main(argv: Optional[list[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--services", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=50, help="timed matches per person")
    parser.add_argument("--no-postgres", dest="postgres", action="store_false")
    args = parser.parse_args(argv)
    write(asyncio.run(main_async(args)), args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
