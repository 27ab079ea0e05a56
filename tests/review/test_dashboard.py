"""The outcomes dashboard through the web app, on SQLite and PostgreSQL: a small data set written to the database,
and the page's, the CSV files' and the API's figures compared with figures worked out by hand; a manager kept from
every page and API that shows a person; a manager of team A never shown team B's figures.

Team A (Riverside PCN, practices Riverside Surgery and Park View Surgery), 2 to 15 March 2026 (ISO weeks 10 and 11):

- A1-A7 submitted in week 10 (2 to 8 March), referred by a GP, at Riverside ("riverside medical practice" or
  "Riverside Surgery"); A8-A12 in week 11 (9 to 13 March), self-referred, at "Parkview". A13: 16 March, outside.
- All chose loneliness; A1-A3 money too (3: fewer than 5). A1-A5 chose confidence as a barrier.
- A1-A6 first contacted after 1, 2, 3, 4, 5 and 6 days: median 3.5, 90th percentile (rank 6 of 6) 6.0.
- Offer decisions: A1-A5 taken up, A6-A10 suggested (10 suggested, 5 taken up: 50%); A11 not suitable (1).
- Follow-ups sent to A1-A10; A1-A5 answered, each saying they took up an offer. By channel: text to A1-A3
  (answered), A6 (declined: STOP) and A7-A9 (no answer), sent on 10 March; e-mail to A10 (no answer), sent on
  10 March; A4 and A5 on the phone (sent and answered at the call, 12 March). Text: 7 sent, the rest fewer than 5;
  in all 10 sent, 5 answered (50%), 1 declined and 4 with no answer (both fewer than 5). Life satisfaction
  5→6, 4→6, 3→6, 5→7, 6→8 (changes 1 2 3 2 2: mean 2; s² = 2/4 = 0.5; s/√5 = 0.31623; × t(4) 2.7764 = 0.87798:
  from 1.12 to 2.88). Anxiety 6→5, 5→4, 7→5, 4→4, 5→4 (changes -1 -1 -2 0 -1: mean -1, from -1.88 to -0.12).
- A1-A5 urgent, their items created on 3 March at 09:00; first looks after 15, 30, 20 (claimed before the view at
  45), 60 (a view before the item existed does not count) and 90 minutes (claimed, never viewed): median 30,
  90th percentile 90.

Team B (Town Hub): B1-B6 submitted on 3 March from A&E, at Dr Patel's Surgery, choosing housing; B1 urgent.
"""

from __future__ import annotations

import asyncio
import csv
import io
import uuid
from datetime import datetime, timedelta, timezone
from html.parser import HTMLParser
from typing import Any

import pytest
from jsonschema import Draft7Validator
from sqlalchemy import select, update

from bot import cli
from bot.db.models import AuditEvent, Intake, QueueItem
from bot.directory.models import DirectoryService, OfferDecision
from bot.errors import DomainError
from bot.intake import store
from bot.intake.summary import build_summary, summary_text
from bot.outcomes.models import FollowUp, FollowUpAnswer
from bot.queue import change
from bot.review import auth
from bot.review.auth import Staff
from bot.teams import store as team_store
from bot.web.api import OPENAPI
from bot.web.security import is_public
from tests.review.test_api_and_cli import _token
from tests.support.review import PASSWORD, add_user, audit_actions, csrf_of, in_db, sign_in

UTC = timezone.utc
PERIOD = "from=2026-03-02&to=2026-03-15"
MANAGER_A, MANAGER_AB, LINK_WORKER, ADMIN = (
    "boss-a@example.org",
    "boss-ab@example.org",
    "lw@example.org",
    "admin@example.org",
)
REFUSAL = "Managers see the outcomes dashboard of their teams"


@pytest.fixture
def settings(any_settings):
    """Every test here runs on SQLite and on PostgreSQL (the review fixtures' `client` follows this)."""
    return any_settings


def at(day: int, hour: int = 9, minutes: int = 0) -> datetime:
    return datetime(2026, 3, day, hour, tzinfo=UTC) + timedelta(minutes=minutes)


# --- the data set ----------------------------------------------------------------------------------------------------


async def _intake(session: Any, team_id: int, submitted: datetime, source: str, answers: dict[str, Any]) -> int:
    intake = await store.ensure_intake(session, f"test-{uuid.uuid4().hex}", "rest")
    await store.save_answer(session, intake, "preferred_name", "Sam", "Sam")
    for key, value in answers.items():
        await store.save_answer(session, intake, key, value, str(value))
    found = await store.answer_map(session, intake)
    await store.submit(
        session, intake, build_summary(found, [], intake.reference, intake.channel), summary_text(found, [])
    )
    await session.execute(
        update(Intake)
        .where(Intake.id == intake.id)
        .values(submitted_at=submitted, team_id=team_id, referral_source=source)
    )
    return intake.id


async def _world(session: Any) -> dict[str, Any]:
    a = await team_store.create_team(
        session, "test", "team-a", "Riverside PCN", "network", ["Riverside Surgery", "Park View Surgery"]
    )
    b = await team_store.create_team(session, "test", "team-b", "Town Hub", "hub", ["Dr Patel's Surgery"])
    services = []
    for n in (1, 2):
        service = DirectoryService(
            source="test", source_id=f"s{n}", name=f"Service {n}", status="active", active=True, record={},
            features={}, digest="x",
        )  # fmt: skip
        session.add(service)
        services.append(service)
    await session.flush()
    ids: dict[str, int] = {}
    for n in range(1, 13):
        week10 = n <= 7
        answers: dict[str, Any] = {
            "gp_practice": ("riverside medical practice" if n <= 4 else "Riverside Surgery") if week10 else "Parkview",
            "life_areas": ["loneliness", "money"] if n <= 3 else ["loneliness"],
        }
        if n <= 5:
            answers["barrier_options"] = ["confidence"]
            answers["ons_life_satisfaction"] = [5, 4, 3, 5, 6][n - 1]
            answers["ons_anxious"] = [6, 5, 7, 4, 5][n - 1]
        ids[f"A{n}"] = await _intake(session, a.id, at(n + 1), "gp" if week10 else "self", answers)
    ids["A13"] = await _intake(
        session, a.id, at(16), "gp", {"gp_practice": "Riverside Surgery", "life_areas": ["money"]}
    )
    for n in range(1, 7):
        answers = {"gp_practice": "Dr Patel's Surgery", "life_areas": ["housing"]}
        ids[f"B{n}"] = await _intake(session, b.id, at(3, 10), "ae", answers)
    for n in range(1, 7):  # first contact after n days
        await session.execute(
            update(QueueItem)
            .where(QueueItem.intake_id == ids[f"A{n}"])
            .values(contacted_at=at(n + 1) + timedelta(days=n))
        )
    for n in range(1, 11):
        status = "taken_up" if n <= 5 else "suggested"
        session.add(OfferDecision(intake_id=ids[f"A{n}"], service_id=services[0].id, status=status, decided_by="t"))
    session.add(OfferDecision(intake_id=ids["A11"], service_id=services[1].id, status="not_suitable", decided_by="t"))
    session.add(OfferDecision(intake_id=ids["A13"], service_id=services[0].id, status="taken_up", decided_by="t"))
    follow = {n: ([6, 6, 6, 7, 8][n - 1], [5, 4, 5, 4, 4][n - 1]) for n in range(1, 6)}
    channels = {4: "phone", 5: "phone", 10: "email"}  # the others by text
    for n in (*range(1, 11), 13):
        answered = at(12) if n <= 5 else None
        channel = channels.get(n, "sms")
        followup = FollowUp(
            intake_id=ids[f"A{n}"],
            status="answered" if answered else "declined" if n == 6 else "sent",
            channel=channel,
            due_at=at(10, 12),
            scheduled_by="lw@example.org",
            created_at=at(9),
            updated_at=at(12),
            sent_at=at(12) if channel == "phone" else at(10, 12) if n != 13 else at(20, 12),
            answered_at=answered,
            closed_reason="the number sent STOP" if n == 6 else None,
        )
        session.add(followup)
        await session.flush()
        if n in follow:
            for key, value in (
                ("ons_life_satisfaction", follow[n][0]),
                ("ons_anxious", follow[n][1]),
                ("took_up_offer", "yes"),
            ):
                session.add(
                    FollowUpAnswer(
                        followup_id=followup.id, question_key=key, value=value, status="answered", answered_at=at(12)
                    )
                )
    created = at(3)
    looks = {  # minutes after the item was created: views, and the claim
        "A1": ([15], None),
        "A2": ([30], None),
        "A3": ([45], 20),
        "A4": ([-10, 60], None),
        "A5": ([], 90),
    }
    for name, (views, claimed) in looks.items():
        await session.execute(
            update(QueueItem)
            .where(QueueItem.intake_id == ids[name])
            .values(
                priority=0,
                created_at=created,
                claimed_at=created + timedelta(minutes=claimed) if claimed is not None else None,
            )
        )
        for minutes in views:
            session.add(
                AuditEvent(
                    actor=LINK_WORKER,
                    action="intake.view_summary",
                    intake_id=ids[name],
                    at=created + timedelta(minutes=minutes),
                )
            )
    await session.execute(
        update(QueueItem).where(QueueItem.intake_id == ids["B1"]).values(priority=0, created_at=at(4))
    )
    session.add(AuditEvent(actor="lw-b@example.org", action="intake.view_summary", intake_id=ids["B1"], at=at(4, 9, 5)))
    ids["service"] = services[0].id
    return ids


async def make_world(settings: Any) -> dict[str, Any]:
    ids = await in_db(settings, _world)
    await in_db(settings, lambda s: auth.create_user(s, MANAGER_A, "manager", PASSWORD, teams=["team-a"]))
    await in_db(settings, lambda s: auth.create_user(s, MANAGER_AB, "manager", PASSWORD, teams=["team-b", "team-a"]))
    await in_db(settings, lambda s: auth.create_user(s, LINK_WORKER, "linkworker", PASSWORD, teams=["team-a"]))
    await add_user(settings, ADMIN, "admin")
    return ids


# --- what the figures should be, by hand --------------------------------------------------------------------------

SMALL, TOO_FEW = "fewer than 5", "too few to say"
SOURCES = ("GP practice", "A&E", "Self-referral", "Community organisation", "Other", "Not recorded")
TEAM_A: dict[str, list[list[str]]] = {
    "referrals-by-week": [
        ["Week beginning", "ISO week", "Referrals", *SOURCES],
        ["2 Mar 2026", "2026-W10", "7", "7", "0", "0", "0", "0", "0"],
        ["9 Mar 2026", "2026-W11", "5", "0", "0", "5", "0", "0", "0"],
        ["Whole period", "", "12", "7", "0", "5", "0", "0", "0"],
    ],
    "referrals-by-source": [
        ["Where from", "Referrals"],
        *[[s, n] for s, n in zip(SOURCES, ["7", "0", "5", "0", "0", "0"], strict=True)],
        ["All", "12"],
    ],
    "referrals-by-practice": [
        ["GP practice", "Referrals"],
        ["Riverside Surgery", "7"],
        ["Park View Surgery", "5"],
        ["Not registered with a GP", "0"],
        ["Another practice", "0"],
        ["Not given", "0"],
        ["All", "12"],
    ],
    "waiting": [
        ["Figure", "Value"],
        ["Contacted so far", "6"],
        ["Not contacted yet", "6"],
        ["Median wait (days)", "3.5"],
        ["90th percentile wait (days)", "6.0"],
    ],
    "offers": [
        ["Figure", "Value"],
        ["Offers suggested", "10"],
        ["Offers taken up", "5"],
        ["Offers not taken up (yet)", "5"],
        ["Uptake (%)", "50"],
        ["Offers marked not suitable", SMALL],
        ["People with an offer suggested", "10"],
        ["People who took one up", "5"],
    ],
    "followups": [
        ["Figure", "Value"],
        ["Follow-ups sent", "10"],
        ["Answered", "5"],
        ["Not answered", "5"],
        ["Response rate (%)", "50"],
    ],
    "took-up-offer": [["Answer", "People"], ["Yes", "5"], ["Partly", "0"], ["No", "0"], ["All who answered", "5"]],
    "followups-by-channel": [
        ["Channel", "Sent", "Answered", "Declined", "No answer", "Response rate (%)"],
        ["Text message", "7", SMALL, SMALL, SMALL, TOO_FEW],
        ["E-mail", SMALL, "0", "0", SMALL, TOO_FEW],
        ["Phone call", SMALL, SMALL, "0", "0", TOO_FEW],
        ["All channels", "10", "5", SMALL, SMALL, "50"],
    ],
    "ons4-change": [
        ["Measure", "Better when", "People (n)", "Mean change", "95% CI from", "95% CI to", "What it means"],
        ["Life satisfaction", "higher", "5", "+2.00", "+1.12", "+2.88", "Better: scores went up"],
        ["Things done in life are worthwhile", "higher", "0", TOO_FEW, TOO_FEW, TOO_FEW, TOO_FEW],
        ["Happiness yesterday", "higher", "0", TOO_FEW, TOO_FEW, TOO_FEW, TOO_FEW],
        ["Anxiety yesterday", "lower", "5", "-1.00", "-1.88", "-0.12", "Better: anxiety went down"],
    ],
    "urgent": [
        ["Figure", "Value"],
        ["Urgent items", "5"],
        ["Looked at", "5"],
        ["Not looked at yet", "0"],
        ["Median time to first look (minutes)", "30"],
        ["90th percentile time to first look (minutes)", "90"],
    ],
}


# --- reading the page ----------------------------------------------------------------------------------------------


class _Tables(HTMLParser):
    """Every table of a page by its id: the text of each row's cells (header row first)."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self._table: list[list[str]] | None = None
        self._cell: list[str] | None = None
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "table":
            self._table = self.tables.setdefault(str(found.get("id")), [])
        elif tag == "tr" and self._table is not None:
            self._table.append([])
        elif tag in ("td", "th") and self._table is not None:
            self._cell = []
        elif tag == "caption":
            self._skip += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "table":
            self._table = None
        elif tag in ("td", "th") and self._table is not None and self._cell is not None:
            self._table[-1].append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "caption":
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if self._cell is not None and not self._skip:
            self._cell.append(data)


def page_tables(html: str) -> dict[str, list[list[str]]]:
    parser = _Tables()
    parser.feed(html)
    return {key.removeprefix("table-"): rows for key, rows in parser.tables.items() if key.startswith("table-")}


async def sign_in_manager(client: Any, email: str, next_page: str | None = None, lands: str = "/dashboard") -> str:
    """Sign a manager in (a password, no second factor): they land on `lands`. Returns the CSRF token."""
    form = await client.get("/login" + (f"?next={next_page}" if next_page else ""))
    reply = await client.post(
        "/login",
        data={"email": email, "password": PASSWORD, "csrf_token": csrf_of(await form.text())}
        | ({"next": next_page} if next_page else {}),
        allow_redirects=False,
    )
    assert reply.status == 303, await reply.text()
    assert reply.headers["Location"] == lands
    page = await client.get("/dashboard")
    assert page.status == 200
    return csrf_of(await page.text())


def _csv_rows(body: bytes) -> list[list[str]]:
    assert body.startswith(b"\xef\xbb\xbf"), "UTF-8 with a byte-order mark, for spreadsheets"
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def _openapi_to_json_schema(node: Any) -> Any:
    """OpenAPI 3.0 (nullable, $ref into components) as plain JSON Schema."""
    if isinstance(node, list):
        return [_openapi_to_json_schema(n) for n in node]
    if not isinstance(node, dict):
        return node
    if "$ref" in node:
        return _openapi_to_json_schema(OPENAPI["components"]["schemas"][node["$ref"].rsplit("/", 1)[1]])
    out = {k: _openapi_to_json_schema(v) for k, v in node.items() if k != "nullable"}
    if node.get("nullable"):
        if "type" in out:
            out["type"] = [out["type"], "null"]
        if "enum" in out:
            out["enum"] = [*out["enum"], None]
    return out


def _undocumented(body: Any, schema: dict[str, Any], where: str = "") -> list[str]:
    """Fields of the body the schema does not describe."""
    if isinstance(body, dict) and "properties" in schema:
        missing = [f"{where}.{k}" for k in body if k not in schema["properties"]]
        return missing + [
            m
            for k, v in body.items()
            if k in schema["properties"]
            for m in _undocumented(v, schema["properties"][k], f"{where}.{k}")
        ]
    if isinstance(body, list) and "items" in schema:
        return [m for item in body for m in _undocumented(item, schema["items"], where + "[]")]
    return []


# --- the figures -----------------------------------------------------------------------------------------------------


async def test_the_page_its_csv_files_and_the_api_show_the_figures_worked_out_by_hand(client, settings):
    await make_world(settings)
    await sign_in_manager(client, MANAGER_A)
    reply = await client.get(f"/dashboard?{PERIOD}&team=team-a")
    assert reply.status == 200
    html = await reply.text()
    tables = page_tables(html)
    for key, expected in TEAM_A.items():
        assert tables[key] == expected, key
    areas = {row[0]: row[1] for row in tables["life-areas"][1:]}
    assert areas["Loneliness and feeling connected"] == "12" and areas["Money, benefits and debt"] == SMALL
    assert areas["Housing"] == "0", "team B's housing is not team A's"
    barriers = {row[0]: row[1] for row in tables["barriers"][1:]}
    assert barriers["Confidence or embarrassment"] == "5" and barriers["Cost"] == "0"
    assert "Riverside PCN, 2 March 2026 to 15 March 2026: 12 referrals." in html
    for chart in ("chart-weeks", "chart-sources", "chart-practices", "chart-areas", "chart-barriers", "chart-ons4"):
        assert f'id="{chart}"' in html and f'aria-labelledby="{chart}-title {chart}-desc"' in html
    assert "For anxiety, lower is better: a fall is an improvement." in html
    assert "fewer than 5" in html and "Small numbers are not shown" in html

    # Every table's CSV file holds exactly the page's cells.
    for key, rows in tables.items():
        csv_reply = await client.get(f"/dashboard/{key}.csv?{PERIOD}&team=team-a")
        assert csv_reply.status == 200, key
        assert csv_reply.headers["Content-Type"] == "text/csv; charset=utf-8"
        assert csv_reply.headers["Content-Disposition"] == (
            f'attachment; filename="whatmatters-{key}-team-a-2026-03-02-to-2026-03-15.csv"'
        )
        assert _csv_rows(await csv_reply.read()) == rows, key
        assert f'href="/dashboard/{key}.csv?{PERIOD.replace("&", "&amp;")}&amp;team=team-a"' in html
    assert (await client.get(f"/dashboard/nothing.csv?{PERIOD}")).status == 404

    # The API: the same figures, described by the OpenAPI document.
    reply = await client.get(f"/api/v1/dashboard?{PERIOD}&team=team-a", headers=await _token(settings, MANAGER_A))
    assert reply.status == 200
    body = await reply.json()
    schema = _openapi_to_json_schema(OPENAPI["paths"]["/dashboard"]["get"]["responses"]["200"])["content"][
        "application/json"
    ]["schema"]
    assert list(Draft7Validator(schema).iter_errors(body)) == []
    assert _undocumented(body, schema) == []
    assert body["team"] == {"code": "team-a", "name": "Riverside PCN"}
    assert body["teams"] == [{"code": "team-a", "name": "Riverside PCN"}]
    assert body["period"] == {"from": "2026-03-02", "to": "2026-03-15", "weeks": ["2026-W10", "2026-W11"]}
    referrals = body["referrals"]
    assert referrals["total"] == 12
    assert [(w["week"], w["total"], w["by_source"]["gp"], w["by_source"]["self"]) for w in referrals["by_week"]] == [
        ("2026-W10", 7, 7, 0),
        ("2026-W11", 5, 0, 5),
    ]
    assert referrals["by_practice"][:2] == [
        {"practice": "Riverside Surgery", "count": 7},
        {"practice": "Park View Surgery", "count": 5},
    ]
    assert body["waiting"] == {"contacted": 6, "not_contacted": 6, "median_days": 3.5, "p90_days": 6.0}
    assert {a["code"]: a["count"] for a in body["life_areas"]}["money"] is None
    assert body["offers"] == {
        "suggested": 10,
        "taken_up": 5,
        "not_taken_up": 5,
        "uptake_percent": 50,
        "not_suitable": None,
        "people_suggested": 10,
        "people_taken_up": 5,
    }
    assert body["followups"] == {
        "sent": 10,
        "answered": 5,
        "not_answered": 5,
        "response_percent": 50,
        "declined": None,
        "no_answer": None,
        "by_channel": {
            "sms": {
                "label": "Text message",
                "sent": 7,
                "answered": None,
                "declined": None,
                "no_answer": None,
                "response_percent": None,
            },
            "email": {
                "label": "E-mail",
                "sent": None,
                "answered": 0,
                "declined": 0,
                "no_answer": None,
                "response_percent": None,
            },
            "phone": {
                "label": "Phone call",
                "sent": None,
                "answered": None,
                "declined": 0,
                "no_answer": 0,
                "response_percent": None,
            },
        },
        "took_up_offer": {"answered": 5, "yes": 5, "partly": 0, "no": 0},
    }
    changes = {c["measure"]: c for c in body["ons4_change"]}
    assert (changes["life_satisfaction"]["n"], changes["life_satisfaction"]["mean_change"]) == (5, 2.0)
    assert (changes["life_satisfaction"]["ci95_low"], changes["life_satisfaction"]["ci95_high"]) == (1.12, 2.88)
    assert (changes["anxious"]["mean_change"], changes["anxious"]["ci95_low"], changes["anxious"]["ci95_high"]) == (
        -1.0,
        -1.88,
        -0.12,
    )
    assert changes["anxious"]["higher_is_better"] is False and changes["happy"]["mean_change"] is None
    assert body["urgent"] == {
        "items": 5,
        "looked_at": 5,
        "not_looked_at": 0,
        "median_minutes": 30.0,
        "p90_minutes": 90.0,
    }
    assert "Counts from 1 to 4 are not shown" in body["small_numbers"]
    # The API's counts are the page's, cell by cell (a hidden one null in one, words in the other).
    for row, week in zip(tables["referrals-by-week"][1:-1], referrals["by_week"], strict=True):
        assert row[2] == str(week["total"])
    followups = body["followups"]
    for row, figures in zip(
        tables["followups-by-channel"][1:], [*followups["by_channel"].values(), followups], strict=True
    ):
        api = [figures[k] for k in ("sent", "answered", "declined", "no_answer", "response_percent")]
        assert [cell if cell.isdigit() else None for cell in row[1:]] == [None if v is None else str(v) for v in api]
        assert row[0] == figures.get("label", "All channels")


async def test_an_admin_sees_every_team_at_once_or_one(client, settings):
    await make_world(settings)
    await sign_in(client, ADMIN)
    html = await (await client.get(f"/dashboard?{PERIOD}")).text()
    weeks = page_tables(html)["referrals-by-week"]
    assert weeks[1][:5] == ["2 Mar 2026", "2026-W10", "13", "7", "6"] and weeks[-1][2] == "18"
    assert '<option value="all" selected>All teams</option>' in html and "Town Hub" in html
    assert "All teams, 2 March 2026" in html
    b = page_tables(await (await client.get(f"/dashboard?{PERIOD}&team=team-b")).text())
    assert b["referrals-by-source"][2] == ["A&E", "6"] and b["referrals-by-practice"][1] == ["Dr Patel's Surgery", "6"]
    assert b["urgent"][1] == ["Urgent items", SMALL]
    reply = await client.get(f"/api/v1/dashboard?{PERIOD}&team=all", headers=await _token(settings, ADMIN))
    body = await reply.json()
    assert body["team"] == {"code": "all", "name": "All teams"} and body["referrals"]["total"] == 18
    assert {"team-a", "team-b"} <= {t["code"] for t in body["teams"]}, "every team"
    missing = await client.get(f"/api/v1/dashboard?{PERIOD}&team=nowhere", headers=await _token(settings, ADMIN))
    assert missing.status == 404 and "no team 'nowhere'" in (await missing.json())["error"]


async def test_each_view_is_audited_with_the_period_team_and_door_and_no_figures(client, settings):
    await make_world(settings)
    await sign_in_manager(client, MANAGER_A)
    await client.get(f"/dashboard?{PERIOD}&team=team-a")
    await client.get(f"/dashboard/urgent.csv?{PERIOD}&team=team-a")
    await client.get(f"/api/v1/dashboard?{PERIOD}", headers=await _token(settings, MANAGER_A))

    async def views(session):
        query = select(AuditEvent.actor, AuditEvent.detail, AuditEvent.intake_id).where(
            AuditEvent.action == "dashboard.view"
        )
        return [tuple(r) for r in (await session.execute(query.order_by(AuditEvent.id))).all()]

    seen = await in_db(settings, views)
    expected = {"from": "2026-03-02", "to": "2026-03-15", "team": "team-a"}
    assert seen[0][1]["via"] == "page", "signing in lands on the dashboard: a view too"
    assert seen[1:] == [
        (MANAGER_A, {**expected, "via": "page"}, None),
        (MANAGER_A, {**expected, "via": "csv urgent"}, None),
        (MANAGER_A, {**expected, "via": "api"}, None),
    ]


async def test_a_period_that_is_not_one_is_refused_in_words(client, settings):
    await make_world(settings)
    await sign_in_manager(client, MANAGER_A)
    reply = await client.get("/dashboard?from=2026-03-22&to=2026-03-02")
    assert reply.status == 400
    html = await reply.text()
    assert "There is a problem" in html and 'href="#to"' in html
    assert "The end date must be the same as or after the start date." in html and 'id="table-' not in html
    assert (await client.get("/dashboard/waiting.csv?from=nonsense")).status == 400
    api = await client.get("/api/v1/dashboard?from=2026-13-01", headers=await _token(settings, MANAGER_A))
    assert api.status == 400 and "Enter the start date as a real date" in (await api.json())["error"]
    unknown = await client.get("/api/v1/dashboard?since=2026-01-01", headers=await _token(settings, MANAGER_A))
    assert unknown.status == 400 and "since" in (await unknown.json())["error"]
    assert (await client.get("/dashboard")).status == 200, "the last 12 weeks by default"


# --- who may see what ------------------------------------------------------------------------------------------------


async def test_a_manager_of_team_a_never_sees_team_bs_figures(client, new_client, settings):
    await make_world(settings)
    await sign_in_manager(client, MANAGER_A)
    html = await (await client.get(f"/dashboard?{PERIOD}")).text()
    assert "Riverside PCN, 2 March 2026" in html, "a manager's first team by default"
    assert "Town Hub" not in html and "Dr Patel" not in html and 'value="all"' not in html
    for query in ("team=team-b", "team=all", "team=TEAM-B", "team=nowhere"):
        reply = await client.get(f"/dashboard?{PERIOD}&{query}")
        assert reply.status == 403, query
        text = await reply.text()
        assert "You see the figures of your own teams only" in text and 'id="table-' not in text
        assert "Dr Patel" not in text and "Town Hub" not in text
        assert (await client.get(f"/dashboard/referrals-by-practice.csv?{PERIOD}&{query}")).status == 403
    headers = await _token(settings, MANAGER_A)
    for query in ("team=team-b", "team=all", "team=nowhere"):
        reply = await client.get(f"/api/v1/dashboard?{PERIOD}&{query}", headers=headers)
        assert reply.status == 403 and "own teams only" in (await reply.json())["error"]
    body = await (await client.get(f"/api/v1/dashboard?{PERIOD}", headers=headers)).json()
    assert body["team"]["code"] == "team-a" and body["referrals"]["total"] == 12
    assert body["teams"] == [{"code": "team-a", "name": "Riverside PCN"}]

    # A manager of both teams chooses either, one at a time (never both at once: taking one from the sum of
    # both would give away a small number the rule hides).
    both = await new_client()
    await sign_in_manager(both, MANAGER_AB)
    html = await (await both.get(f"/dashboard?{PERIOD}")).text()
    assert "Riverside PCN, 2 March 2026" in html and 'value="team-b"' in html and 'value="all"' not in html
    b = page_tables(await (await both.get(f"/dashboard?{PERIOD}&team=team-b")).text())
    assert b["referrals-by-week"][-1][2] == "6"
    assert (await both.get(f"/dashboard?{PERIOD}&team=all")).status == 403


async def test_a_manager_in_no_team_is_told_so(client, settings):
    await make_world(settings)

    async def lonely(session):
        await auth.create_user(session, "boss-none@example.org", "manager", PASSWORD, teams=["team-a"])
        await team_store.remove_member(session, "test", "team-a", "boss-none@example.org")

    await in_db(settings, lonely)
    form = await client.get("/login")
    await client.post(
        "/login",
        data={"email": "boss-none@example.org", "password": PASSWORD, "csrf_token": csrf_of(await form.text())},
    )
    reply = await client.get("/dashboard")
    assert reply.status == 403 and "You are not in a team yet" in await reply.text()


async def test_a_link_worker_cannot_see_the_dashboard(client, settings):
    await make_world(settings)
    await sign_in(client, LINK_WORKER)
    for path in (f"/dashboard?{PERIOD}", f"/dashboard/waiting.csv?{PERIOD}"):
        reply = await client.get(path)
        assert reply.status == 403 and "for managers and admins" in await reply.text()
    reply = await client.get("/api/v1/dashboard", headers=await _token(settings, LINK_WORKER))
    assert reply.status == 403 and "for managers and admins" in (await reply.json())["error"]
    assert "/dashboard" not in await (await client.get("/queue")).text(), "not in a link worker's menu"


def _fill(path: str, ids: dict[str, Any]) -> str:
    """A route's path with real values in its parameters (an intake of the manager's own team)."""
    return (
        path.replace("{intake_id}", str(ids["A1"]))
        .replace("{service_id}", str(ids["service"]))
        .replace("{code}", "team-a")
        .replace("{table}", "waiting")
    )


async def test_a_manager_reaches_no_page_or_api_that_shows_a_person(client, settings):
    """Every route of the app, read from its router (so a route added later is checked too): a manager gets a
    clear 403 everywhere but the dashboard, even for an intake of their own team."""
    ids = await make_world(settings)
    csrf = await sign_in_manager(client, MANAGER_A)
    headers = await _token(settings, MANAGER_A)
    allowed = {"/dashboard", "/dashboard/{table}.csv", "/api/v1/dashboard", "/api/v1/openapi.json"}
    allowed |= {"/login", "/login/code", "/logout"}
    checked = []
    for route in client.server.app.router.routes():
        info = route.resource.get_info() if route.resource is not None else {}
        path = info.get("path") or info.get("formatter")
        if route.method == "HEAD" or not path or "prefix" in info:
            continue
        if path in allowed or path == "/" or is_public(path) or is_public(_fill(path, ids)):
            continue
        url = _fill(path, ids)
        if path.startswith("/api/"):
            reply = await client.request(route.method, url, headers=headers, json={})
            assert reply.status == 403, (route.method, path)
            assert REFUSAL in (await reply.json())["error"], path
        else:
            data = {"csrf_token": csrf} if route.method == "POST" else None
            reply = await client.request(route.method, url, data=data, allow_redirects=False)
            assert reply.status == 403, (route.method, path, reply.status)
            assert REFUSAL in await reply.text(), path
        checked.append(path)
    for must in (
        "/queue",
        "/queue/live",
        "/intakes/{intake_id}",
        "/intakes/{intake_id}/transcript",
        "/intakes/{intake_id}/letter",
        "/intakes/{intake_id}/notes",
        "/intakes/{intake_id}/offers/{service_id}",
        "/directory",
        "/invite",
        "/admin/audit",
        "/admin/person",
        "/admin/teams",
        "/api/v1/queue",
        "/api/v1/teams",
        "/api/v1/intakes/{intake_id}",
        "/api/v1/intakes/{intake_id}/letter",
        "/api/v1/intakes/{intake_id}/notes",
        "/api/v1/intakes/{intake_id}/offers",
    ):
        assert must in checked, must
    # Nothing about a person was read or changed on the manager's behalf; each refusal is audited, once.
    actions = [a for who, a, _ in await audit_actions(settings) if who == MANAGER_A]
    assert not [a for a in actions if not a.startswith(("auth.", "dashboard.", "access.refused"))]
    assert actions.count("access.refused") == len(checked)
    # The manager's menu offers the dashboard alone.
    html = await (await client.get("/dashboard")).text()
    assert 'href="/dashboard"' in html and 'href="/queue"' not in html and 'href="/directory"' not in html
    assert "(manager)" in html


async def test_a_manager_starts_on_the_dashboard_and_signs_in_without_a_second_factor(client, settings):
    await make_world(settings)
    await sign_in_manager(client, MANAGER_A, next_page="/queue")
    assert (await client.get("/", allow_redirects=False)).headers["Location"] == "/dashboard"
    assert (await client.get("/login", allow_redirects=False)).headers["Location"] == "/dashboard"


async def test_the_reads_keep_managers_away_from_people_as_well(settings):
    """Beneath the web app too: the queue's read model gives a manager no rows and no intake, and no
    item can be given to a manager."""
    ids = await make_world(settings)
    from bot.queue import read

    async def work(session):
        teams = await team_store.team_ids_of(session, (await auth.find_user(session, MANAGER_A)).id)
        manager = Staff(id=0, email=MANAGER_A, role="manager", teams=teams)
        assert await read.rows(session, manager, read.QueueFilter(status="all")) == []
        assert await read.intake_seen_by(session, ids["A1"], manager) is None
        assert await read.detail(session, ids["A1"], manager) is None
        with pytest.raises(DomainError) as refused:
            await change.assign(session, ids["A1"], Staff.system("test"), MANAGER_A)
        assert "is a manager" in refused.value.message

    await in_db(settings, work)


async def test_an_admin_cannot_give_an_item_to_a_manager(client, settings):
    ids = await make_world(settings)
    await sign_in(client, ADMIN)
    html = await (await client.get(f"/intakes/{ids['A6']}")).text()
    assert 'id="assign-to"' in html and f'value="{LINK_WORKER}"' in html and MANAGER_A not in html


async def test_the_user_command_makes_managers_of_named_teams(settings, monkeypatch, capsys):
    await make_world(settings)
    monkeypatch.setenv("WM_DATABASE_URL", settings.database_url)
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    code = await asyncio.to_thread(cli.main, ["user", "add", "chief@example.org", "--role", "manager"])
    assert code == 1 and "name at least one with --team" in capsys.readouterr().err
    code = await asyncio.to_thread(
        cli.main, ["user", "add", "chief@example.org", "--role", "manager", "--team", "team-b"]
    )
    assert code == 0 and "Created manager account chief@example.org." in capsys.readouterr().out

    async def teams_of(session):
        user = await auth.find_user(session, "chief@example.org")
        return [t.code for t in await team_store.teams_of(session, user.id)], user.role

    assert await in_db(settings, teams_of) == (["team-b"], "manager")


async def test_a_refused_request_is_audited_with_its_path_and_no_query(client, new_client, settings):
    await in_db(settings, lambda s: auth.create_user(s, MANAGER_A, "manager", PASSWORD, teams=["main"]))
    await add_user(settings, LINK_WORKER)

    async def refusals(session):
        query = select(AuditEvent.actor, AuditEvent.detail, AuditEvent.intake_id).where(
            AuditEvent.action == "access.refused"
        )
        return [tuple(r) for r in (await session.execute(query.order_by(AuditEvent.id))).all()]

    worker = await new_client()
    await sign_in(worker, LINK_WORKER)
    assert (await worker.get(f"/dashboard?{PERIOD}")).status == 403
    api = await worker.get(f"/api/v1/dashboard?{PERIOD}", headers=await _token(settings, LINK_WORKER))
    assert api.status == 403
    await sign_in_manager(client, MANAGER_A)
    assert (await client.get("/queue?q=Carol+Smith", allow_redirects=False)).status == 403
    manager_api = await client.get("/api/v1/queue?status=new", headers=await _token(settings, MANAGER_A))
    assert manager_api.status == 403
    assert await in_db(settings, refusals) == [
        (LINK_WORKER, {"path": "/dashboard"}, None),
        (LINK_WORKER, {"path": "/api/v1/dashboard"}, None),
        (MANAGER_A, {"path": "/queue"}, None),
        (MANAGER_A, {"path": "/api/v1/queue"}, None),
    ]
    assert (await client.get(f"/dashboard?{PERIOD}")).status == 200 and len(await in_db(settings, refusals)) == 4
