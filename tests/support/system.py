"""The real system for end-to-end tests: trained model, Rasa, action server and web app on 127.0.0.1, and a patient talking to it."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import urllib.request
import uuid
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Callable, Iterator, Optional

import pytest
from sqlalchemy import create_engine, text

from bot import launcher
from bot.db.migrate import upgrade
from bot.launcher import PortTaken, System
from bot.rasa.model import model_path
from bot.settings import PROJECT_ROOT, Settings
from tests.support.databases import TEST_DATABASE, fresh_postgres_database

ARTIFACTS = PROJECT_ROOT / "test-artifacts"


_HANDED_OUT: set[int] = set()
"""Ports this process has already handed out: never the same one twice, even once its probe socket closed."""


def free_port(instances: int = 0) -> int:
    """bot.launcher.free_port, never handing out the same port twice in this process."""
    port = launcher.free_port(instances, avoid=_HANDED_OUT)
    _HANDED_OUT.update([port, *range(port + 100, port + 100 + instances)])
    return port


def with_fresh_ports(settings: Settings) -> Settings:
    """The same settings on ports nobody has been handed yet."""

    def extra(count: int) -> int:
        return count if count > 1 else 0

    return settings.with_overrides(
        rasa_port=free_port(extra(settings.rasa_instances)),
        actions_port=free_port(extra(settings.actions_instances)),
        web_port=free_port(),
    )


def is_listening(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(1)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def require_model() -> Path:
    path = model_path(PROJECT_ROOT / "models")
    if not path.exists():
        pytest.fail(f"no trained model at {path}: run `make test` (it trains one) or `whatmatters model ensure`")
    return path


@contextmanager
def running_system(settings: Settings, log_name: str) -> Iterator[System]:
    """The real servers for these settings, stopped afterwards; their log goes to test-artifacts/.

    On the suite's PostgreSQL pass (WM_TEST_DATABASE=postgres) an embedded system gets a fresh
    PostgreSQL database instead of its SQLite file.
    """
    if TEST_DATABASE == "postgres" and settings.is_sqlite:
        with fresh_postgres_database() as url:
            with _running(settings.with_overrides(database_url=url), f"{log_name}-postgres") as running:
                yield running
        return
    with _running(settings, log_name) as running:
        yield running


PORT_ATTEMPTS = 3


def _lost_a_port(error: Exception, log_path: Path) -> bool:
    """Did the start fail because another process took one of our ports first?"""
    if isinstance(error, PortTaken):
        return True
    said = log_path.read_text(errors="replace").lower()
    return "address already in use" in said or "errno 98" in said


@contextmanager
def _running(settings: Settings, log_name: str) -> Iterator[System]:
    require_model()
    upgrade(settings)
    ARTIFACTS.mkdir(exist_ok=True)
    log_path = ARTIFACTS / f"{log_name}.log"
    with open(log_path, "w") as log:
        for attempt in range(1, PORT_ATTEMPTS + 1):
            running = System(settings, log=log)
            running.log_path = log_path
            try:
                running.start()
                running.wait_ready(timeout=300)
                break
            except Exception as error:
                running.stop()
                log.flush()
                if attempt < PORT_ATTEMPTS and _lost_a_port(error, log_path):
                    log.write(f"[tests] a port was taken ({error}); starting again on new ports\n")
                    settings = with_fresh_ports(settings)
                    continue
                raise RuntimeError(
                    f"the system did not start ({error}); see {log_path}:\n{log_path.read_text()[-3000:]}"
                ) from error
        try:
            yield running
        finally:
            running.stop()


def embedded_settings(folder: Path, **changes: object) -> Settings:
    return Settings(
        database_url=f"sqlite+aiosqlite:///{folder / 'wm.db'}",
        rasa_port=free_port(),
        actions_port=free_port(),
        web_port=free_port(),
        model_dir=PROJECT_ROOT / "models",
        log_level="INFO",
        # Every simulated patient comes from 127.0.0.1: the per-address limit would throttle the suite.
        # The per-sender limit stays as deployed (tests/e2e/test_intake_e2e.py checks it).
        rate_address_per_minute=0,
    ).with_overrides(**changes)


def query(system: System, sql: str, **params: Any) -> list[tuple]:
    """Read the system's database directly (SQLite or PostgreSQL)."""
    engine = create_engine(system.settings.sync_database_url, future=True)
    try:
        with engine.connect() as connection:
            return [tuple(row) for row in connection.execute(text(sql), params)]
    finally:
        engine.dispose()


class Patient:
    """One person talking to the bot over Rasa's REST channel."""

    def __init__(self, settings: Settings, sender: Optional[str] = None, metadata: Optional[dict] = None) -> None:
        self.settings = settings
        self.sender = sender or f"patient-{uuid.uuid4().hex[:12]}"
        self.transcript: list[tuple[str, str]] = []
        self.metadata = metadata  # sent with every message, as the web chat sends its entry point

    def post(self, body: Any, raw: Optional[bytes] = None) -> tuple[int, Any]:
        data = raw if raw is not None else json.dumps(body).encode()
        request = urllib.request.Request(
            f"http://{self.settings.rasa_host}:{self.settings.rasa_port}/webhooks/rest/webhook",
            data=data,
            headers={"Content-Type": "application/json"},
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=60) as reply:
                return reply.status, json.loads(reply.read() or b"null")
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode(errors="replace")

    def say(self, text: str) -> list[dict[str, Any]]:
        body: dict[str, Any] = {"sender": self.sender, "message": text}
        if self.metadata:
            body["metadata"] = self.metadata
        status, replies = self.post(body)
        assert status == 200, replies
        self.transcript.append(("patient", text))
        for reply in replies:
            self.transcript.append(("bot", reply.get("text", "")))
        return replies

    @staticmethod
    def text(replies: list[dict[str, Any]]) -> str:
        return "\n".join(r.get("text", "") for r in replies)

    def converse(self, answer_for: Callable[[str], Optional[str]], first: str = "hello", limit: int = 60) -> str:
        """Answer each question with answer_for(question) until it returns None; returns the last reply."""
        replies = self.text(self.say(first))
        for _ in range(limit):
            answer = answer_for(replies)
            if answer is None:
                return replies
            replies = self.text(self.say(answer))
        raise AssertionError(f"conversation did not finish:\n{self.transcript[-6:]}")


def whatmatters(settings: Settings, *args: str) -> str:
    env = dict(os.environ, **settings.as_env())
    result = subprocess.run(
        [sys.executable, "-m", "bot.cli", *args], cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    return result.stdout
