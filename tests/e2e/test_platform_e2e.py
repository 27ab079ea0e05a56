"""The running system as operators and third-party clients see it."""

from __future__ import annotations

import asyncio
import uuid

import socketio

from bench.patients import MRS_C, answering
from tests.support.system import Patient, query


def _listening_addresses(port: int) -> set[str]:
    """Local addresses of sockets listening on `port`, read from the kernel's tables."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = open(table).read().splitlines()[1:]
        except FileNotFoundError:
            continue
        for line in lines:
            fields = line.split()
            address, hex_port = fields[1].split(":")
            if int(hex_port, 16) == port and fields[3] == "0A":
                found.add(address)
    return found


def test_every_server_listens_on_loopback_only(system):
    settings = system.settings
    for port in (settings.rasa_port, settings.actions_port, settings.web_port):
        addresses = _listening_addresses(port)
        assert addresses, f"nothing listening on {port}"
        assert addresses <= {"0100007F"}, f"port {port} listens beyond 127.0.0.1: {addresses}"


def test_a_standard_socketio_client_gets_the_replies(system):
    """Rasa 3.6's socket.io channel with python-socketio >= 5.10 emits replies to nobody (docs/rasa-traps.md)."""

    async def chat() -> list[str]:
        client = socketio.AsyncClient()
        received: list[str] = []
        got_reply = asyncio.Event()
        session_id = uuid.uuid4().hex

        @client.on("bot_uttered")
        async def on_bot(data):
            received.append(data.get("text", ""))
            got_reply.set()

        await client.connect(
            f"http://127.0.0.1:{system.settings.rasa_port}", socketio_path="/socket.io", transports=["websocket"]
        )
        await client.emit("session_request", {"session_id": session_id})
        await asyncio.sleep(0.5)
        await client.emit("user_uttered", {"message": "hello", "session_id": session_id})
        await asyncio.wait_for(got_reply.wait(), timeout=30)
        await asyncio.sleep(1.0)
        await client.disconnect()
        return received

    replies = asyncio.run(chat())
    assert any("What Matters" in r for r in replies), replies


def test_killing_rasa_mid_intake_loses_nothing_and_resumes_at_the_same_question(system):
    patient = Patient(system.settings)
    answer_for = answering(MRS_C)
    reply = Patient.text(patient.say("hello"))
    while "worthwhile" not in reply.lower():
        reply = Patient.text(patient.say(answer_for(reply)))

    system.stop(only={"rasa"}, kill=True)
    system.start(only={"rasa"})
    system.wait_ready(timeout=240, only={"rasa"})

    reply = Patient.text(patient.say("seven"))
    assert "how happy did you feel yesterday" in reply.lower(), reply
    keys = {
        k
        for (k,) in query(
            system,
            "SELECT question_key FROM answers JOIN intakes ON intakes.id = answers.intake_id WHERE conversation_id=:s",
            s=patient.sender,
        )
    }
    assert {"preferred_name", "what_matters", "life_areas", "ons_life_satisfaction", "ons_worthwhile"} <= keys
    last = patient.converse(answer_for, first="about a 7")
    assert "your reference is" in last.lower()


def test_a_browser_chat_client_on_another_site_may_call_the_rest_channel(system):
    import urllib.request

    request = urllib.request.Request(
        f"http://127.0.0.1:{system.settings.rasa_port}/webhooks/rest/webhook",
        method="OPTIONS",
        headers={
            "Origin": "http://chat.example",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type",
        },
    )
    with urllib.request.urlopen(request, timeout=10) as reply:
        allowed = reply.headers.get("Access-Control-Allow-Origin")
    assert allowed in ("*", "http://chat.example")
