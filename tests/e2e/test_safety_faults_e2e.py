"""The safety path under faults, on the real system: a database really stopped, a hostile socket.io client.

The database test runs its own PostgreSQL server (initdb into a temporary
folder, its own port), so it can stop and start it without touching the
machine's shared server.
"""

from __future__ import annotations

import asyncio
import glob
import json
import os
import shutil
import socket
import subprocess
import tempfile
import time
import uuid
from pathlib import Path
from typing import Iterator

import pytest
import socketio

from bench.patients import MRS_C, answering
from tests.support.system import Patient, embedded_settings, free_port, query, running_system


def _pg_bin(name: str) -> str:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    if not found:
        if os.environ.get("CI"):
            pytest.fail(f"PostgreSQL server binaries ({name}) are required in CI")
        pytest.skip(f"no PostgreSQL server binaries ({name})")
    return found[-1]


class PrivateCluster:
    """A PostgreSQL server of this test's own, run as the postgres user."""

    def __init__(self) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="wm-pg-", dir="/tmp"))
        shutil.chown(self.folder, "postgres", "postgres")
        self.data = self.folder / "data"
        self.port = free_port()
        self._as_postgres(_pg_bin("initdb"), "-D", str(self.data), "--auth=trust", "-U", "postgres", "-E", "UTF8")

    def _as_postgres(self, *command: str) -> None:
        subprocess.run(["runuser", "-u", "postgres", "--", *command], check=True, capture_output=True, timeout=120)

    def start(self) -> None:
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1"
        self._as_postgres(
            _pg_bin("pg_ctl"), "-D", str(self.data), "-o", options, "-l", str(self.folder / "log"), "-w", "start"
        )

    def stop(self) -> None:
        self._as_postgres(_pg_bin("pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop")

    @property
    def url(self) -> str:
        return f"postgresql+asyncpg://postgres@127.0.0.1:{self.port}/postgres"

    def remove(self) -> None:
        subprocess.run(
            ["runuser", "-u", "postgres", "--", _pg_bin("pg_ctl"), "-D", str(self.data), "-m", "immediate", "stop"],
            capture_output=True,
        )
        shutil.rmtree(self.folder, ignore_errors=True)


@pytest.fixture
def cluster() -> Iterator[PrivateCluster]:
    if shutil.which("runuser") is None:
        pytest.skip("runuser is needed to run PostgreSQL as its own user")
    server = PrivateCluster()
    server.start()
    try:
        yield server
    finally:
        server.remove()


def test_the_crisis_reply_goes_out_with_the_database_stopped_and_the_flag_follows(cluster, tmp_path):
    settings = embedded_settings(tmp_path, database_url=cluster.url, reconcile_seconds=1.0)
    with running_system(settings, "safety-db-stopped") as system:
        patient = Patient(system.settings)
        reply = Patient.text(patient.say("hello"))
        answer_for = answering(MRS_C)
        while "what matters most to you" not in reply.lower():
            reply = Patient.text(patient.say(answer_for(reply)))

        cluster.stop()
        reply = Patient.text(patient.say("I want to kill myself tonight"))
        for must in ("999", "111", "116 123"):
            assert must in reply, f"{must} missing from the reply with the database down: {reply}"
        assert "kill myself" not in system.log_path.read_text(), "patient text reached the logs"

        cluster.start()
        deadline = time.monotonic() + 60
        rows: list[tuple] = []
        while time.monotonic() < deadline and not rows:
            rows = query(
                system,
                "SELECT f.kind, f.message, q.priority FROM flags f JOIN intakes i ON i.id = f.intake_id "
                "JOIN queue_items q ON q.intake_id = i.id WHERE i.conversation_id = :s",
                s=patient.sender,
            )
            time.sleep(1)
        assert rows == [("safeguarding", "I want to kill myself tonight", 0)], "the reconciler raises the flag once"
        [(source,)] = query(system, "SELECT source FROM audit_events WHERE action = 'flag.reconciled'")
        assert source == "spool"


def test_the_socketio_channel_refuses_bad_input_clearly_and_stores_nothing(system):
    secret = "SECRET-SOCKET-TEXT-77"
    session_id = uuid.uuid4().hex

    async def chat() -> list[dict]:
        client = socketio.AsyncClient()
        received: list[dict] = []

        @client.on("bot_uttered")
        async def on_bot(data):
            received.append(data)

        await client.connect(
            f"http://127.0.0.1:{system.settings.rasa_port}", socketio_path="/socket.io", transports=["websocket"]
        )
        await client.emit("session_request", {"session_id": session_id})
        await asyncio.sleep(0.5)
        for bad in (
            "just a string",
            {"message": 42, "session_id": session_id},
            {"message": secret * 500, "session_id": session_id},
            {"message": secret, "session_id": "bad id with spaces"},
            {"message": secret, "session_id": session_id, "metadata": {"x": secret * 500}},
            {"message": "   ", "session_id": session_id},
        ):
            await client.emit("user_uttered", bad)
        await asyncio.sleep(2.0)
        await client.emit("user_uttered", {"message": "hello", "session_id": session_id})
        for _ in range(60):
            if any("What Matters" in (r.get("text") or "") for r in received):
                break
            await asyncio.sleep(0.5)
        await client.disconnect()
        return received

    received = asyncio.run(chat())
    refusals = [r for r in received if r.get("error")]
    assert len(refusals) == 6, received
    assert all("couldn't read that message" in r["text"] for r in refusals)
    assert any("longer than" in r["text"] for r in refusals)
    assert any("What Matters" in (r.get("text") or "") for r in received), "a good message still works"
    users = query(system, "SELECT data FROM events WHERE sender_id = :s AND type_name = 'user'", s=session_id)
    assert len(users) == 1 and secret not in users[0][0], "only the good message reached the tracker"
    assert secret not in system.log_path.read_text(), "patient text reached the logs"


def test_a_patient_who_hangs_up_mid_turn_still_has_the_disclosure_flagged_and_no_text_logged(system):
    """Sanic cancels a request whose client left; Rasa's REST handler then logs the message text at ERROR
    and the turn stops where it was. The guarded channel lets the turn finish and logs no text."""
    sender = f"hangup-{uuid.uuid4().hex[:8]}"
    said = "I have taken an overdose just now"
    for message in ("hello", "yes"):
        Patient(system.settings, sender).say(message)
    body = json.dumps({"sender": sender, "message": said}).encode()
    request = (
        "POST /webhooks/rest/webhook HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    ).encode() + body
    with socket.create_connection(("127.0.0.1", system.settings.rasa_port)) as client:
        client.sendall(request)
        time.sleep(0.01)  # the client gives up while the turn is still running
    flags: list[tuple] = []
    for _ in range(60):
        flags = query(
            system,
            "SELECT f.kind, f.message FROM flags f JOIN intakes i ON i.id = f.intake_id WHERE i.conversation_id = :s",
            s=sender,
        )
        if flags:
            break
        time.sleep(0.5)
    assert ("safeguarding", said) in flags, "the disclosure of a patient who hung up was not flagged"
    assert said not in system.log_path.read_text(), "patient text reached the log"
