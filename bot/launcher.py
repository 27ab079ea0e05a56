"""Start the Rasa server, the action server and the web app together; stop them together.

Used by `make run` (through `whatmatters run`) and by the end-to-end tests,
so both run the system exactly the same way.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Optional

from bot.model import model_path
from bot.settings import PROJECT_ROOT, Settings


@dataclass
class Service:
    name: str
    command: list[str]
    health_url: str
    process: Optional[subprocess.Popen] = field(default=None, repr=False)


def services(settings: Settings) -> list[Service]:
    python = sys.executable
    rasa = [
        python, "-m", "bot.rasa_server", "run",
        "--model", str(model_path(settings.model_dir)),
        "--credentials", "credentials.yml", "--endpoints", "endpoints.yml",
        "--interface", settings.rasa_host, "--port", str(settings.rasa_port),
    ]
    if settings.rasa_api_token:
        rasa += ["--enable-api", "--auth-token", settings.rasa_api_token]
    return [
        Service("actions", [python, "-m", "bot.action_server"],
                f"http://{settings.actions_host}:{settings.actions_port}/health"),
        Service("rasa", rasa, f"http://{settings.rasa_host}:{settings.rasa_port}/webhooks/rest/"),
        Service("web", [python, "-m", "bot.web"], f"http://{settings.web_host}:{settings.web_port}/healthz"),
    ]


def child_env(settings: Settings) -> dict[str, str]:
    env = dict(os.environ)
    env.update(settings.as_env())
    env.update(settings.rasa_env())
    env.setdefault("LOG_LEVEL_LIBRARIES", "WARNING")
    env.setdefault("SANIC_WORKERS", "1")
    return env


def is_up(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as reply:
            return reply.status < 500
    except OSError:
        return False


class System:
    """The three processes as one unit."""

    def __init__(self, settings: Settings, log: Optional[IO[str]] = None, cwd: Path = PROJECT_ROOT) -> None:
        self.settings = settings
        self.log = log
        self.cwd = cwd
        self.services = services(settings)

    def start(self, only: Optional[set[str]] = None) -> None:
        env = child_env(self.settings)
        for service in self.services:
            if only is not None and service.name not in only:
                continue
            service.process = subprocess.Popen(
                service.command, cwd=self.cwd, env=env,
                stdout=self.log or None, stderr=subprocess.STDOUT if self.log else None,
                start_new_session=True,
            )

    def wait_ready(self, timeout: float = 180.0, only: Optional[set[str]] = None) -> None:
        deadline = time.monotonic() + timeout
        for service in self.services:
            if only is not None and service.name not in only:
                continue
            while not is_up(service.health_url):
                if service.process is not None and service.process.poll() is not None:
                    raise RuntimeError(f"{service.name} exited with code {service.process.returncode}")
                if time.monotonic() > deadline:
                    raise TimeoutError(f"{service.name} did not start within {timeout:.0f} s")
                time.sleep(0.5)

    def stop(self, only: Optional[set[str]] = None, kill: bool = False) -> None:
        for service in reversed(self.services):
            if only is not None and service.name not in only:
                continue
            process = service.process
            if process is None or process.poll() is not None:
                continue
            try:
                os.killpg(process.pid, signal.SIGKILL if kill else signal.SIGTERM)
            except ProcessLookupError:
                continue
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()

    def running(self) -> bool:
        return all(s.process is not None and s.process.poll() is None for s in self.services)


def run_forever(settings: Settings) -> int:
    system = System(settings)
    print("[whatmatters] starting the action server, the Rasa server and the web app...", flush=True)
    system.start()
    try:
        system.wait_ready()
        print(
            "[whatmatters] ready:\n"
            f"  Rasa server   http://{settings.rasa_host}:{settings.rasa_port}  "
            "(REST: /webhooks/rest/webhook, socket.io: /socket.io)\n"
            f"  action server http://{settings.actions_host}:{settings.actions_port}\n"
            f"  web app       http://{settings.web_host}:{settings.web_port}\n"
            "Press Ctrl-C to stop.",
            flush=True,
        )
        while system.running():
            time.sleep(1)
        print("[whatmatters] a service stopped unexpectedly; stopping the rest.", flush=True)
        return 1
    except KeyboardInterrupt:
        print("\n[whatmatters] stopping...", flush=True)
        return 0
    finally:
        system.stop()
        print("[whatmatters] stopped.", flush=True)
