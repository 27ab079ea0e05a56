"""Read a whole Open Referral UK directory (an API or a JSON file) and store it in one transaction.

An API is read as the ORUK 3.0 OpenAPI describes it: `GET /services?page=N&per_page=P` for every
page (until `last_page`, `total_pages` or an empty page), then `GET /services/{id}` for each service
in full, a few at a time. A request that fails (a connection error, a timeout, a 5xx or a 429) is
tried again with a growing pause; one that still fails stops the sync with nothing written. Each
record is checked against the ORUK service schema: a bad record is skipped and reported by id and
rule, the rest is written. Everything is read before anything is written, so a reader never sees a
directory half-synced.
"""

from __future__ import annotations

import asyncio
import json
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Mapping, Optional
from urllib.parse import urlsplit, urlunsplit

import aiohttp

from bot.db.models import utcnow
from bot.directory import store
from bot.directory.oruk_records import problems as schema_problems
from bot.directory.oruk_records import services_in

log = logging.getLogger(__name__)
Progress = Callable[[str], None]
MAX_PAGES = 100_000
RETRY_STATUSES = {429, 500, 502, 503, 504}


class SyncFailed(Exception):
    """The source could not be read in full: nothing was written."""


@dataclass
class Read:
    """What one read of a source found: valid records by source id, and the records skipped."""

    records: dict[str, Mapping[str, Any]] = field(default_factory=dict)
    problems: list[dict[str, Any]] = field(default_factory=list)

    def take(self, record: Any, where: str) -> None:
        found = schema_problems(record)
        given = record.get("id") if isinstance(record, dict) else None
        source_id = given.strip() if isinstance(given, str) else ""
        if found or not source_id:
            self.problems.append({"id": source_id or None, "where": where, "problems": found or ["id: empty"]})
            return
        if source_id in self.records:
            self.problems.append({"id": source_id, "where": where, "problems": ["id: duplicate (the later one kept)"]})
        self.records[source_id] = record


@dataclass(frozen=True)
class Fetch:
    """How hard to try: per request timeout, attempts and the first pause (doubling each time)."""

    per_page: int = 100
    concurrency: int = 8
    attempts: int = 4
    first_pause: float = 0.5
    timeout: float = 30.0
    token: str = ""
    # ORUK list filters sent with every page (e.g. ("taxonomy_term_id", "...")): the source is then
    # what the filtered listing returns, and services it no longer lists become inactive.
    filters: tuple[tuple[str, str], ...] = ()


def source_name(location: str) -> str:
    """How a source is known in the database: an API's base URL without query or credentials, or file:NAME."""
    if location.startswith(("http://", "https://")):
        parts = urlsplit(location.rstrip("/"))
        netloc = parts.hostname or ""
        if parts.port:
            netloc += f":{parts.port}"
        return urlunsplit((parts.scheme, netloc, parts.path.rstrip("/"), "", ""))
    return "file:" + Path(location).name


async def _get_json(http: aiohttp.ClientSession, url: str, how: Fetch, params: Optional[dict[str, Any]] = None) -> Any:
    pause = how.first_pause
    for attempt in range(1, how.attempts + 1):
        try:
            async with http.get(url, params=params) as response:
                if response.status in RETRY_STATUSES and attempt < how.attempts:
                    log.info("directory source answered %s; trying again in %.1f s", response.status, pause)
                elif response.status >= 400:
                    raise SyncFailed(f"{url} answered HTTP {response.status}")
                else:
                    try:
                        return await response.json(content_type=None)
                    except (json.JSONDecodeError, UnicodeDecodeError, aiohttp.ContentTypeError) as error:
                        raise SyncFailed(f"{url} did not answer JSON") from error
        except (aiohttp.ClientConnectionError, asyncio.TimeoutError, aiohttp.ClientPayloadError) as error:
            if attempt == how.attempts:
                raise SyncFailed(f"{url} could not be read: {type(error).__name__}") from error
            log.info("directory source unreachable (%s); trying again in %.1f s", type(error).__name__, pause)
        await asyncio.sleep(pause)
        pause *= 2
    raise SyncFailed(f"{url} kept failing")


async def read_api(base_url: str, how: Fetch = Fetch(), progress: Progress = lambda _: None) -> Read:
    """Every service of an ORUK 3.0 API, each fetched in full and schema-checked."""
    base = base_url.rstrip("/")
    headers = {"Accept": "application/json"}
    if how.token:
        headers["Authorization"] = f"Bearer {how.token}"
    found = Read()
    timeout = aiohttp.ClientTimeout(total=how.timeout)
    async with aiohttp.ClientSession(headers=headers, timeout=timeout) as http:
        ids: list[str] = []
        page, total_pages = 1, None
        while page <= MAX_PAGES:
            query = {**dict(how.filters), "page": page, "per_page": how.per_page}
            body = await _get_json(http, f"{base}/services", how, query)
            if not isinstance(body, Mapping) or not isinstance(body.get("contents"), list):
                raise SyncFailed(f"page {page} of {base}/services is not an ORUK list page (no 'contents')")
            total_pages = body.get("total_pages") if isinstance(body.get("total_pages"), int) else total_pages
            for item in body["contents"]:
                item_id = item.get("id") if isinstance(item, Mapping) else None
                if isinstance(item_id, str) and item_id.strip():
                    ids.append(item_id)
                else:
                    found.problems.append({"id": None, "where": f"page {page}", "problems": ["id: missing"]})
            progress(f"page {page}{f' of {total_pages}' if total_pages else ''}: {len(ids)} services listed")
            if (
                not body["contents"]
                or body.get("last_page") is True
                or (total_pages is not None and page >= total_pages)
            ):
                break
            page += 1
        await _read_each(http, base, list(dict.fromkeys(ids)), how, found, progress)
    return found


async def _read_each(
    http: aiohttp.ClientSession, base: str, ids: list[str], how: Fetch, found: Read, progress: Progress
) -> None:
    """Fetch each listed service in full, `how.concurrency` at a time, in the listing's order."""
    records: dict[int, Any] = {}
    gate = asyncio.Semaphore(how.concurrency)
    done = 0

    async def one(position: int, service_id: str) -> None:
        nonlocal done
        async with gate:
            try:
                records[position] = await _get_json(http, f"{base}/services/{service_id}", how)
            except SyncFailed as error:
                if "HTTP 404" not in str(error):
                    raise
                records[position] = None  # listed, then gone before we asked: not there now
        done += 1
        if done % 500 == 0 or done == len(ids):
            progress(f"{done} of {len(ids)} services read in full")

    tasks = [asyncio.create_task(one(i, sid)) for i, sid in enumerate(ids)]
    try:
        await asyncio.gather(*tasks)
    finally:
        for task in tasks:
            task.cancel()
    for position, service_id in enumerate(ids):
        record = records.get(position)
        if record is None:
            found.problems.append({"id": service_id, "where": "service", "problems": ["(record): gone (404)"]})
        else:
            found.take(record, "service")


def read_file(path: Path) -> Read:
    """Every service of an ORUK JSON file (a list page, a list of services, or one service)."""
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError, UnicodeDecodeError) as error:
        raise SyncFailed(f"{path.name} could not be read as JSON: {type(error).__name__}") from error
    try:
        items = list(services_in(document))
    except ValueError as error:
        raise SyncFailed(f"{path.name}: {error}") from error
    found = Read()
    for position, item in enumerate(items, start=1):
        found.take(item, f"item {position}")
    return found


@dataclass(frozen=True)
class Outcome:
    source: str
    ok: bool
    counts: store.SyncCounts
    skipped: int
    problems: list[dict[str, Any]]
    error: Optional[str] = None

    def as_json(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "ok": self.ok,
            **self.counts.as_json(),
            "skipped": self.skipped,
            "problems": self.problems,
            "error": self.error,
        }


async def sync(
    sessions: Callable[[], Any],
    location: str,
    how: Fetch = Fetch(),
    progress: Progress = lambda _: None,
    name: Optional[str] = None,
) -> Outcome:
    """Read the source in full, then write it in one transaction; a failed read writes only its record."""
    source = name or source_name(location)
    started = utcnow()
    progress(f"reading {source}")
    try:
        if location.startswith(("http://", "https://")):
            found = await read_api(location, how, progress)
        else:
            found = await asyncio.get_running_loop().run_in_executor(None, read_file, Path(location))
    except SyncFailed as error:
        async with sessions() as session, session.begin():
            await store.record_sync(session, source, started, None, [], str(error))
        return Outcome(source, False, store.SyncCounts(), 0, [], str(error))
    progress(f"writing {len(found.records)} services ({len(found.problems)} skipped)")
    async with sessions() as session, session.begin():
        counts = await store.replace_source(session, source, found.records)
        await store.record_sync(session, source, started, counts, found.problems)
    log.info(
        "directory sync of %s: %d seen, %d added, %d updated, %d made inactive, %d skipped",
        source,
        counts.seen,
        counts.added,
        counts.updated,
        counts.deactivated,
        len(found.problems),
    )
    return Outcome(source, True, counts, len(found.problems), found.problems)


SAMPLE = Path(__file__).resolve().parent / "sample" / "wyvernbury.json"
SAMPLE_SOURCE = "sample:wyvernbury"


async def load_sample_if_empty(sessions: Callable[[], Any], progress: Progress = lambda _: None) -> Optional[Outcome]:
    """On a new install, the fictional sample directory, so a newcomer sees offers at once."""
    async with sessions() as session:
        if await store.count_active(session) or await store.last_syncs(session, 1):
            return None
    return await sync(sessions, str(SAMPLE), progress=progress, name=SAMPLE_SOURCE)
