"""The letter to the GP practice: closing records what was offered and what was taken up (page, API,
command line), and a closed item's letter is there to read, print and send as a PDF, audited as a
view with no free text in the audit trail; an open item has none."""

from __future__ import annotations

import asyncio
import io
import json

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from bot import cli
from bot.db.models import AuditEvent, QueueItem
from bot.queue import change, read
from bot.retention import rights
from bot.review.auth import Staff
from tests.review.test_api_and_cli import _token
from tests.support.review import MRS_C_ANSWERS, add_intake, add_user, in_db, sign_in

OFFERED = "A walking group on Tuesdays\n<script>alert('offered')</script> & a cookery course"
TAKEN_UP = "The walking group, from 14 April"
NOT_CLOSED = "written once the item is closed"


async def _audit(settings, intake_id: int) -> list[tuple[str, str, str, dict]]:
    async def work(session):
        query = (
            select(AuditEvent.actor, AuditEvent.action, AuditEvent.source, AuditEvent.detail)
            .where(AuditEvent.intake_id == intake_id)
            .order_by(AuditEvent.id)
        )
        return [tuple(row) for row in (await session.execute(query)).all()]

    return await in_db(settings, work)


async def _item(settings, intake_id: int) -> QueueItem:
    async def work(session):
        return (await session.execute(select(QueueItem).where(QueueItem.intake_id == intake_id))).scalar_one()

    return await in_db(settings, work)


def _pdf(body: bytes) -> tuple[int, str]:
    assert body.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(body))
    return len(reader.pages), "\n".join(page.extract_text() for page in reader.pages)


def _no_free_text(events) -> None:
    """Counts and codes only: neither what was offered nor what was taken up is in the audit trail."""
    said = json.dumps([list(event) for event in events])
    assert "walking" not in said and "alert" not in said and "cookery" not in said


async def test_closing_on_the_page_records_the_offer_and_the_letter_follows(client, new_client, settings):
    await add_user(settings, "lw@example.org")
    await add_user(settings, "colleague@example.org")
    intake_id = await add_intake(settings)
    csrf = await sign_in(client, "lw@example.org")
    await client.post(f"/intakes/{intake_id}/claim", data={"csrf_token": csrf})

    # Open: no letter yet, and a page that says why (nothing shown, nothing audited).
    for path in (f"/intakes/{intake_id}/letter", f"/intakes/{intake_id}/letter.pdf"):
        reply = await client.get(path)
        assert reply.status == 409 and NOT_CLOSED in await reply.text(), path
    page = await (await client.get(f"/intakes/{intake_id}")).text()
    assert 'name="offered"' in page and 'name="taken_up"' in page and "letter-link" not in page

    too_long = await client.post(
        f"/intakes/{intake_id}/close",
        data={"csrf_token": csrf, "outcome": "plan_agreed", "offered": "x" * (change.MAX_NOTE_CHARS + 1)},
        allow_redirects=False,
    )
    assert too_long.headers["Location"].endswith("m=error") and (await _item(settings, intake_id)).status == "claimed"
    closed = await client.post(
        f"/intakes/{intake_id}/close",
        data={"csrf_token": csrf, "outcome": "plan_agreed", "offered": f"  {OFFERED}\n", "taken_up": TAKEN_UP},
        allow_redirects=False,
    )
    assert closed.headers["Location"].endswith("m=closed")
    item = await _item(settings, intake_id)
    assert (item.status, item.offered, item.taken_up) == ("closed", OFFERED, TAKEN_UP)

    page = await (await client.get(f"/intakes/{intake_id}")).text()
    assert f'href="/intakes/{intake_id}/letter"' in page
    assert "&lt;script&gt;alert(&#39;offered&#39;)&lt;/script&gt; &amp; a cookery course" in page
    assert "<script>alert('offered')" not in page

    letter = await client.get(f"/intakes/{intake_id}/letter")
    assert letter.status == 200
    html = await letter.text()
    for expected in [
        "What matters to Carol",
        MRS_C_ANSWERS["what_matters"][1],
        "Physical activity and weight",
        "Plan agreed (closed on",
        "&lt;script&gt;alert(&#39;offered&#39;)&lt;/script&gt; &amp; a cookery course",
        TAKEN_UP,
        "6 out of 10 (medium)",
        "4 out of 10 (medium)",
        "Scores at follow-up: not yet measured.",
        "871731000000106",
        "lw@example.org",
        f'href="/intakes/{intake_id}/letter.pdf"',
    ]:
        assert expected in html, expected
    assert "<script>alert" not in html and "At follow-up" not in html

    pdf = await client.get(f"/intakes/{intake_id}/letter.pdf")
    assert pdf.status == 200 and pdf.content_type == "application/pdf"
    reference = (await in_db(settings, lambda s: read.row(s, intake_id, Staff.system("test")))).reference
    assert f'filename="letter-{reference}.pdf"' in pdf.headers["Content-Disposition"]
    pages, text = _pdf(await pdf.read())
    assert pages == 1 and reference in text and "<script>alert('offered')</script> & a cookery course" in text

    # Any link worker may read it, not only the one who closed it.
    other = await new_client()
    await sign_in(other, "colleague@example.org")
    assert (await other.get(f"/intakes/{intake_id}/letter")).status == 200

    events = await _audit(settings, intake_id)
    [close] = [e for e in events if e[1] == "queue.close"]
    assert close[3] == {"outcome": "plan_agreed", "offered_chars": len(OFFERED), "taken_up_chars": len(TAKEN_UP)}
    views = [(actor, detail["via"]) for actor, action, _, detail in events if action == read.VIEW_LETTER]
    assert views == [("lw@example.org", "page"), ("lw@example.org", "page pdf"), ("colleague@example.org", "page")]
    _no_free_text(events)


async def test_letters_need_a_sign_in_and_unknown_intakes_are_404(client, settings):
    await add_user(settings, "lw@example.org")
    intake_id = await add_intake(settings)
    reply = await client.get(f"/intakes/{intake_id}/letter", allow_redirects=False)
    assert reply.status == 303 and reply.headers["Location"].startswith("/login")
    assert (await client.get(f"/api/v1/intakes/{intake_id}/letter")).status == 401
    await sign_in(client, "lw@example.org")
    assert (await client.get("/intakes/999/letter")).status == 404
    assert (await client.get("/intakes/abc/letter.pdf")).status == 404


async def test_closing_through_the_api_and_its_letter(client, settings):
    await add_user(settings, "lw@example.org")
    intake_id = await add_intake(settings)
    auth_header = await _token(settings, "lw@example.org")
    status_url, letter_url = f"/api/v1/intakes/{intake_id}/status", f"/api/v1/intakes/{intake_id}/letter"

    reply = await client.get(letter_url, headers=auth_header)
    assert reply.status == 409 and NOT_CLOSED in (await reply.json())["error"]
    for body, message in [
        ({"status": "claimed", "offered": "a group"}, "recorded when closing"),
        ({"status": "closed", "outcome": "declined", "offered": 3}, "field offered must be a string"),
        (
            {"status": "closed", "outcome": "declined", "taken_up": "x" * (change.MAX_NOTE_CHARS + 1)},
            f"field taken_up must have at most {change.MAX_NOTE_CHARS} characters",
        ),
    ]:
        reply = await client.post(status_url, json=body, headers=auth_header)
        assert reply.status == 400 and message in (await reply.json())["error"], body
    assert (await client.post(status_url, json={"status": "claimed"}, headers=auth_header)).status == 200
    closed = await client.post(
        status_url,
        json={"status": "closed", "outcome": "declined", "offered": OFFERED, "taken_up": ""},
        headers=auth_header,
    )
    assert closed.status == 200 and (await closed.json())["outcome"] == "declined"

    intake = await (await client.get(f"/api/v1/intakes/{intake_id}", headers=auth_header)).json()
    assert {k: v for k, v in intake["closing"].items() if k != "closed_at"} == {
        "outcome": "declined",
        "offered": OFFERED,
        "taken_up": None,
        "link_worker": "lw@example.org",
    }

    pdf = await client.get(letter_url, headers=auth_header)  # PDF unless asked otherwise
    assert pdf.status == 200 and pdf.content_type == "application/pdf"
    pages, text = _pdf(await pdf.read())
    assert pages == 1 and intake["reference"] in text and "871711000000103" in text and "871731000000106" not in text
    html = await client.get(f"{letter_url}?format=html", headers=auth_header)
    assert html.status == 200 and html.content_type == "text/html"
    page = await html.text()
    assert "Social prescribing declined" in page and "What they took up" in page and "Not recorded." in page
    assert "&lt;script&gt;alert(&#39;offered&#39;)" in page and "<script>alert" not in page
    assert "Sign out" not in page and "Back to the summary" not in page  # the letter alone
    assert (await client.get(f"{letter_url}?format=docx", headers=auth_header)).status == 400
    assert (await client.get("/api/v1/intakes/999/letter", headers=auth_header)).status == 404

    events = await _audit(settings, intake_id)
    views = [detail["via"] for _, action, _, detail in events if action == read.VIEW_LETTER]
    assert views == ["api pdf", "api html"]
    _no_free_text(events)


async def test_closing_and_the_letter_at_the_command_line(settings, monkeypatch, capsys, tmp_path):
    intake_id = await add_intake(settings)
    reference = (await in_db(settings, lambda s: read.row(s, intake_id, Staff.system("test")))).reference
    monkeypatch.setenv("WM_DATABASE_URL", settings.database_url)

    async def run(*argv: str) -> tuple[int, str, str]:
        capsys.readouterr()
        code = await asyncio.to_thread(cli.main, list(argv))
        out, err = capsys.readouterr()
        return code, out, err

    code, _, err = await run("intake", "letter", str(intake_id))
    assert code == 1 and NOT_CLOSED in err
    assert (await run("queue", "close", "WM-NOPE", "--outcome", "declined"))[0] == 1
    code, out, _ = await run(
        "queue", "close", reference.lower(), "--outcome", "plan_agreed", "--offered", OFFERED, "--taken-up", TAKEN_UP
    )
    assert code == 0 and "Plan agreed" in out
    item = await _item(settings, intake_id)
    assert (item.status, item.outcome, item.offered, item.taken_up) == ("closed", "plan_agreed", OFFERED, TAKEN_UP)

    code, out, _ = await run("intake", "letter", reference)
    assert code == 0
    for expected in [reference, "What matters to Carol", OFFERED, TAKEN_UP, "871731000000106", "not yet measured"]:
        assert expected in out, expected
    target = tmp_path / "letter.pdf"
    code, out, _ = await run("intake", "letter", str(intake_id), "--pdf", str(target))
    assert code == 0 and str(target) in out
    pages, text = _pdf(target.read_bytes())
    assert pages == 1 and reference in text and TAKEN_UP in text

    events = await _audit(settings, intake_id)
    mine = [
        (action, source, (detail or {}).get("via"))
        for actor, action, source, detail in events
        if actor.startswith("cli:")
    ]
    assert mine == [
        ("queue.close", "cli", None),
        ("followup.not_possible", "cli", None),  # Mrs C asked for phone calls: no message to follow her up by
        (read.VIEW_LETTER, "cli", "cli"),
        (read.VIEW_LETTER, "cli", "cli pdf"),
    ]
    _no_free_text(events)


@pytest.mark.parametrize("database", ["sqlite", "postgres"])
async def test_the_closing_record_reaches_the_letter_on_both_databases(request, database):
    settings = request.getfixturevalue(f"{database}_settings")
    await add_user(settings, "lw@example.org")
    intake_id = await add_intake(settings)
    worker = Staff(id=1, email="lw@example.org", role="linkworker", teams=None)  # not a test of teams
    long_offer = "\u0174yn a \u0175y\u0177 \u2013 " + "o" * (change.MAX_NOTE_CHARS - 12)  # Welsh letters, at the limit

    async def close(session):
        await change.claim(session, intake_id, worker)
        await change.close(session, intake_id, worker, "referred_elsewhere", "test", long_offer, TAKEN_UP)

    await in_db(settings, close)
    document = await in_db(settings, lambda s: read.letter_document(s, intake_id, worker, "test", "test"))
    assert document["closing"]["offered"] == long_offer and document["closing"]["outcome"] == "referred_elsewhere"
    assert document["closing"]["closed_at"]
    events = await _audit(settings, intake_id)
    assert [action for _, action, _, _ in events][-1] == read.VIEW_LETTER
    assert events[-2][3]["offered_chars"] == change.MAX_NOTE_CHARS


async def test_a_copy_of_a_persons_data_includes_what_was_recorded_on_closing(settings):
    """Subject access: what was offered and taken up is about the person, so their copy holds it."""
    intake_id = await add_intake(settings)
    worker = Staff(id=0, email="lw@example.org", role="admin")
    await in_db(settings, lambda s: change.close(s, intake_id, worker, "plan_agreed", "test", OFFERED, TAKEN_UP))
    reference = (await in_db(settings, lambda s: read.row(s, intake_id, Staff.system("test")))).reference

    async def export(session):
        return await rights.export(session, await rights.find_person(session, reference, None), "cli:dpo", None)

    document = await in_db(settings, export)
    assert document["intakes"][0]["closing"]["offered"] == OFFERED
    page = rights.export_html(document)
    assert "What you took up: " + TAKEN_UP in page and "&lt;script&gt;alert(&#39;offered&#39;)" in page
