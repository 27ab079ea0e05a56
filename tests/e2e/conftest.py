"""The real system: trained model, Rasa server, action server and web app on 127.0.0.1.

Started once per test module with its own SQLite database and free ports, the
same way `make run` starts it (bot.launcher.System). Logs go to
test-artifacts/ so tests can check what was (and was not) logged.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import urllib.request
import uuid
from pathlib import Path
from typing import Any, Callable, Optional

import pytest

from bot.launcher import System
from bot.model import model_path
from bot.settings import PROJECT_ROOT, Settings
from bot.db.migrate import upgrade

ARTIFACTS = PROJECT_ROOT / "test-artifacts"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def is_listening(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(1)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def require_model() -> Path:
    path = model_path(PROJECT_ROOT / "models")
    if not path.exists():
        pytest.fail(f"no trained model at {path}: run `make test` (it trains one) or `whatmatters model ensure`")
    return path


@pytest.fixture(scope="module")
def system(tmp_path_factory, request):
    require_model()
    folder = tmp_path_factory.mktemp("system")
    settings = Settings(
        database_url=f"sqlite+aiosqlite:///{folder / 'wm.db'}",
        rasa_port=free_port(),
        actions_port=free_port(),
        web_port=free_port(),
        model_dir=PROJECT_ROOT / "models",
        log_level="INFO",
    )
    upgrade(settings)
    ARTIFACTS.mkdir(exist_ok=True)
    log_path = ARTIFACTS / f"{request.module.__name__.rsplit('.', 1)[-1]}.log"
    log = open(log_path, "w")
    running = System(settings, log=log)
    running.start()
    try:
        running.wait_ready(timeout=240)
    except Exception:
        running.stop()
        log.close()
        raise RuntimeError(f"the system did not start; see {log_path}:\n{log_path.read_text()[-3000:]}")
    running.log_path = log_path
    yield running
    running.stop()
    log.close()


class Patient:
    """One person talking to the bot over Rasa's REST channel."""

    def __init__(self, settings: Settings, sender: Optional[str] = None) -> None:
        self.settings = settings
        self.sender = sender or f"patient-{uuid.uuid4().hex[:12]}"
        self.transcript: list[tuple[str, str]] = []

    def post(self, body: Any, raw: Optional[bytes] = None) -> tuple[int, Any]:
        data = raw if raw is not None else json.dumps(body).encode()
        request = urllib.request.Request(
            f"http://{self.settings.rasa_host}:{self.settings.rasa_port}/webhooks/rest/webhook",
            data=data, headers={"Content-Type": "application/json"}, method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=60) as reply:
                return reply.status, json.loads(reply.read() or b"null")
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode(errors="replace")

    def say(self, text: str) -> list[dict[str, Any]]:
        status, replies = self.post({"sender": self.sender, "message": text})
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
