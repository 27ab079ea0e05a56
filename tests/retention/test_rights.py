"""A person's rights: everything held about them exported, or erased, on SQLite and PostgreSQL,
including Rasa's tracker store and the SMS tables; found by reference or by phone number."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
import sqlalchemy as sa
from cryptography.fernet import Fernet
from rasa.shared.core.events import ActionExecuted, BotUttered, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.db.engine import create_engine, session_factory
from bot.db.models import Answer, AuditEvent, Intake, IntakeStatus, QueueItem, QueueStatus, utcnow
from bot.errors import DomainError
from bot.intake.store import new_reference
from bot.mail import store as mail_store
from bot.outcomes.models import FollowUp, FollowUpAnswer
from bot.rasa.tracker_store import CachedSQLTrackerStore
from bot.retention import rights
from bot.review.models import IntakeNote
from bot.settings import PROJECT_ROOT
from bot.sms.models import SmsContact, SmsOutbox
from bot.sms.phone import PhoneVault
from tests.retention.test_purge import DOMAIN, _everything

NUMBER = "+447700900123"
HASH_KEY, FERNET_KEY = "test-hash-key", Fernet.generate_key().decode()
VAULT = PhoneVault(HASH_KEY, FERNET_KEY)
A_EMAIL = "a.person@example.org"


async def _plant(settings, queue_status: str = QueueStatus.CLOSED) -> dict[str, str]:
    """Person A texted (closed item, a note, texts sent); person B used the web chat."""
    a_sender, b_sender = VAULT.sender_id(NUMBER), "web-person-b"
    refs = {"a": new_reference(), "b": new_reference()}
    engine = create_engine(settings)
    async with session_factory(engine)() as session, session.begin():
        contact = SmsContact(
            number_hash=VAULT.digest(NUMBER), number_encrypted=VAULT.encrypt(NUMBER), sender_id=a_sender
        )
        session.add(contact)
        for who, sender, channel in (("a", a_sender, "sms"), ("b", b_sender, "rest")):
            intake = Intake(reference=refs[who], conversation_id=sender, channel=channel, status=IntakeStatus.SUBMITTED)
            if who == "a":  # followed up by e-mail
                intake.summary = {"about": {"contact_method": "email", "contact_detail": A_EMAIL}}
            intake.answers.append(
                Answer(section="about", question_key="what_matters", value="x", verbatim=f"<b>CANARY-{who}</b> walks")
            )
            session.add(intake)
            session.add(QueueItem(intake=intake, status=queue_status if who == "a" else QueueStatus.NEW))
        await session.flush()
        a_id = (await session.execute(sa.select(Intake.id).where(Intake.reference == refs["a"]))).scalar_one()
        session.add(IntakeNote(intake_id=a_id, author="lw", body="CANARY-a note"))
        session.add(SmsOutbox(dedupe_key="a-1", contact_id=contact.id, body_encrypted=VAULT.encrypt("CANARY-a text")))
        follow_up = FollowUp(intake_id=a_id, status="answered", channel="email", due_at=utcnow(), scheduled_by="lw")
        session.add(follow_up)
        await session.flush()
        session.add(FollowUpAnswer(followup_id=follow_up.id, question_key="what_changed", verbatim="CANARY-a changed"))
        await mail_store.enqueue(session, "followup:a", "followup", A_EMAIL, "How are things?", "CANARY-a mail")
    await engine.dispose()
    store = CachedSQLTrackerStore(domain=DOMAIN, host=settings.sync_database_url)
    for who, sender in (("a", a_sender), ("b", b_sender)):
        events = [
            ActionExecuted("action_listen"),
            UserUttered(f"CANARY-{who} said <script>", {"name": "inform", "confidence": 1.0}),
            BotUttered("Thank you."),
            ActionExecuted("action_listen"),
        ]
        await store.save(DialogueStateTracker.from_events(sender, events, DOMAIN.slots))
    store.engine.dispose()
    return refs


async def _in(settings, work):
    engine = create_engine(settings)
    try:
        async with session_factory(engine)() as session, session.begin():
            return await work(session)
    finally:
        await engine.dispose()


async def test_an_export_found_by_phone_number_holds_everything_and_is_audited(any_settings):
    await _plant(any_settings)

    async def work(session):
        person = await rights.find_person(session, "07700 900123", VAULT)
        return await rights.export(session, person, "cli:dpo", VAULT)

    document = await _in(any_settings, work)
    [intake] = document["intakes"]
    assert intake["answers"]["what_matters"]["verbatim"] == "<b>CANARY-a</b> walks"
    assert any("CANARY-a said" in line["text"] for line in intake["conversation"])
    assert [n["text"] for n in intake["notes"]] == ["CANARY-a note"]
    assert intake["follow_up"]["what_changed"] == "CANARY-a changed"
    assert document["phone"]["number"] == NUMBER
    assert "CANARY-b" not in json.dumps(document)
    page = rights.export_html(document)
    assert "&lt;b&gt;CANARY-a&lt;/b&gt;" in page and "<script>" not in page
    held = _everything(any_settings)
    assert "subject_access_export" in held


async def test_erasure_leaves_nothing_of_the_person_anywhere_and_keeps_everyone_else(any_settings):
    refs = await _plant(any_settings)

    async def work(session):
        return await rights.erase(session, await rights.find_person(session, refs["a"], VAULT), "cli:dpo")

    counts = await _in(any_settings, work)
    assert counts == {"intakes": 1, "conversation_events": 4, "phone_numbers": 1, "emails": 1}
    held = _everything(any_settings)
    assert "CANARY-a" not in held and VAULT.digest(NUMBER) not in held and refs["a"] not in held
    assert "CANARY-b said" in held and "CANARY-b</b>" in held
    engine = sa.create_engine(any_settings.sync_database_url)
    with engine.connect() as connection:
        [(detail,)] = connection.execute(
            sa.select(AuditEvent.__table__.c.detail).where(AuditEvent.__table__.c.action == rights.ERASED)
        ).all()
    engine.dispose()
    assert (detail if isinstance(detail, dict) else json.loads(detail)) == counts


async def test_erasure_refuses_an_item_still_open_unless_told(any_settings):
    refs = await _plant(any_settings, queue_status=QueueStatus.CLAIMED)

    async def work(session, even_if_open=False):
        person = await rights.find_person(session, refs["a"], VAULT)
        return await rights.erase(session, person, "cli:dpo", even_if_open=even_if_open)

    with pytest.raises(DomainError, match="still open"):
        await _in(any_settings, work)
    assert "CANARY-a" in _everything(any_settings)
    await _in(any_settings, lambda session: work(session, even_if_open=True))
    assert "CANARY-a" not in _everything(any_settings)


async def test_nobody_found_is_a_clear_not_found(any_settings):
    await _plant(any_settings)
    for who in ("WM-ZZZZZZ", "07700 900999", "not a number"):
        with pytest.raises(DomainError, match="nothing is held"):
            await _in(any_settings, lambda session, w=who: rights.find_person(session, w, VAULT))


async def test_the_command_line_exports_a_page_and_erases_only_when_told(sqlite_settings, tmp_path):
    refs = await _plant(sqlite_settings)
    env = {
        **sqlite_settings.as_env(),
        "PATH": "",
        "WM_SMS_PROVIDER": "twilio",
        "WM_SMS_HASH_KEY": HASH_KEY,
        "WM_SMS_ENCRYPTION_KEY": FERNET_KEY,
    }

    def whatmatters(*args):
        return subprocess.run(
            [sys.executable, "-m", "bot.cli", *args],
            capture_output=True,
            text=True,
            env=env,
            cwd=PROJECT_ROOT,
            timeout=120,
        )

    page = tmp_path / "export.html"
    done = whatmatters("person", "export", NUMBER, "--html", str(page))
    assert done.returncode == 0, done.stderr
    assert "CANARY-a note" in page.read_text() and "<script>" not in page.read_text()
    refused = whatmatters("person", "erase", refs["a"])
    assert refused.returncode == 2 and "--yes" in refused.stderr
    assert "CANARY-a" in _everything(sqlite_settings)
    erased = whatmatters("person", "erase", refs["a"], "--yes")
    assert erased.returncode == 0 and "Erased: 1 intake(s)" in erased.stdout
    assert "CANARY-a" not in _everything(sqlite_settings)
    missing = whatmatters("person", "erase", refs["a"], "--yes")
    assert missing.returncode == 1 and "nothing is held" in missing.stderr
