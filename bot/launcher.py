"""Start the Rasa server, the action server and the web app together; stop them together.

Used by `make run` (through `whatmatters run`) and by the end-to-end tests,
so both run the system exactly the same way.
"""

from __future__ import annotations

import ctypes
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Callable, Collection, Iterator, Optional

from bot.rasa.model import model_path
from bot.settings import PROJECT_ROOT, Settings


@dataclass
class Service:
    name: str
    command: list[str]
    health_url: str
    env: dict[str, str] = field(default_factory=dict)
    after: Optional[str] = None  # a health URL that must answer before this service starts
    process: Optional[subprocess.Popen] = field(default=None, repr=False)


def instance_ports(entry_port: int, count: int) -> list[int]:
    """Ports of the instances behind an entry point: the entry port itself when there is one.

    With several instances the entry port is the proxy's, and instance i listens
    on entry port + 100 + i (Rasa: 5005 -> 5105, 5106, ...).
    """
    if count <= 1:
        return [entry_port]
    return [entry_port + 100 + i for i in range(count)]


def _fronted(
    name: str,
    host: str,
    entry_port: int,
    count: int,
    make: Callable[[str, int, Optional[str]], Service],
    health_path: str,
) -> list[Service]:
    """`count` instances of a service, behind a proxy on the entry port when there are several."""
    ports = instance_ports(entry_port, count)
    if len(ports) == 1:
        return [make(name, ports[0], None)]
    instances = []
    for index, port in enumerate(ports):
        # Rasa instances create their tracker tables on start: start them one after another.
        after = f"http://{host}:{ports[index - 1]}{health_path}" if index and name == "rasa" else None
        instances.append(make(f"{name}-{index + 1}", port, after))
    upstreams = [arg for port in ports for arg in ("--upstream", f"http://{host}:{port}")]
    proxy = Service(
        f"{name}-proxy",
        [sys.executable, "-m", "bot.proxy", "--host", host, "--port", str(entry_port), *upstreams],
        f"http://{host}:{entry_port}{health_path}",
    )
    return instances + [proxy]


def services(settings: Settings) -> list[Service]:
    python = sys.executable

    def actions(name: str, port: int, after: Optional[str]) -> Service:
        return Service(
            name,
            [python, "-m", "bot.rasa.action_server"],
            f"http://{settings.actions_host}:{port}/health",
            {"WM_ACTIONS_PORT": str(port)},
            after,
        )

    def rasa(name: str, port: int, after: Optional[str]) -> Service:
        command = [
            python,
            "-m",
            "bot.rasa.server",
            "run",
            "--model",
            str(model_path(settings.model_dir)),
            "--credentials",
            "credentials.yml",
            "--endpoints",
            "endpoints.yml",
            "--interface",
            settings.rasa_host,
            "--port",
            str(port),
        ]
        if settings.rasa_cors:
            command += ["--cors", *settings.rasa_cors.split()]
        if settings.rasa_api_token:
            command += ["--enable-api", "--auth-token", settings.rasa_api_token]
        return Service(name, command, f"http://{settings.rasa_host}:{port}/webhooks/rest/", after=after)

    web_health = f"http://{settings.web_host}:{settings.web_port}/healthz"
    web = [
        Service("web" if settings.web_workers == 1 else f"web-{i + 1}", [python, "-m", "bot.web"], web_health)
        for i in range(settings.web_workers)
    ]
    return (
        _fronted(
            "actions", settings.actions_host, settings.actions_port, settings.actions_instances, actions, "/health"
        )
        + _fronted("rasa", settings.rasa_host, settings.rasa_port, settings.rasa_instances, rasa, "/webhooks/rest/")
        + web
    )


def _selected(service: Service, only: Optional[set[str]]) -> bool:
    """`only` names services or groups: "rasa" means rasa, rasa-1, rasa-2 and rasa-proxy."""
    return only is None or any(service.name == name or service.name.startswith(name + "-") for name in only)


ONE_THREAD_EACH = {
    "OPENBLAS_NUM_THREADS": "1",
    "OMP_NUM_THREADS": "1",
    "TF_NUM_INTRAOP_THREADS": "1",
    "TF_NUM_INTEROP_THREADS": "1",
    "TF_INTRA_OP_PARALLELISM_THREADS": "1",
    "TF_INTER_OP_PARALLELISM_THREADS": "1",
}
"""One NumPy (OpenBLAS) and one TensorFlow thread in each server. A turn's products are small (one message through
DIET and the risk reader), so extra threads only wait for work, spinning on the cores the other servers need (measured
side by side on two cores: README, Benchmarks). Read when a library loads, so set in the environment a server starts
with (the Dockerfile sets the same after training); an operator's own value wins. Training is not started from here
and keeps every core."""


def child_env(settings: Settings) -> dict[str, str]:
    env = dict(os.environ)
    env.update(settings.as_env())
    env.update(settings.rasa_env())
    for name, value in {"LOG_LEVEL_LIBRARIES": "WARNING", "SANIC_WORKERS": "1", **ONE_THREAD_EACH}.items():
        env.setdefault(name, value)  # the operator's own value wins
    return env


def is_up(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as reply:
            return reply.status < 500
    except OSError:
        return False


def free_port(instances: int = 0, avoid: Collection[int] = ()) -> int:
    """A port on 127.0.0.1 free now; with `instances`, ports +100, +101, ... are free too (instance_ports).

    For tests and benchmarks that start several systems side by side. Another process may still
    take it before a server binds it: `System.start` then refuses it (PortTaken) rather than
    mistaking a stranger for our server.
    """
    for _ in range(100):
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        wanted = [port, *range(port + 100, port + 100 + instances)]
        if port + 100 + instances > 65535 or set(wanted) & set(avoid):
            continue
        try:
            for extra in wanted[1:]:
                with socket.socket() as probe:
                    probe.bind(("127.0.0.1", extra))
        except OSError:
            continue
        return port
    raise RuntimeError("no free port on 127.0.0.1")


PR_SET_PDEATHSIG = 1


def _die_with(parent: int) -> Optional[Callable[[], None]]:
    """For a child process: stop when the launcher dies, even by SIGKILL (Linux), so no server is left
    holding its port. Runs in the child between fork and exec."""
    if not sys.platform.startswith("linux"):
        return None

    def arrange() -> None:
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
        if os.getppid() != parent:  # the launcher died before the line above took effect
            os._exit(1)

    return arrange


class PortTaken(RuntimeError):
    """A service's port already has something listening on it: never take a stranger for our own server."""

    def __init__(self, name: str, port: int) -> None:
        super().__init__(
            f"port {port} (for {name}) is already in use: another What Matters (or another program) is "
            f"listening there; stop it, or choose other ports in .env"
        )
        self.port = port


def listening(url: str) -> Optional[int]:
    """The port of `url` when something already accepts connections on it, else None."""
    parts = urllib.parse.urlsplit(url)
    port = parts.port or 80
    with socket.socket() as probe:
        probe.settimeout(1)
        return port if probe.connect_ex((parts.hostname or "127.0.0.1", port)) == 0 else None


class System:
    """The three processes as one unit."""

    def __init__(self, settings: Settings, log: Optional[IO[str]] = None, cwd: Path = PROJECT_ROOT) -> None:
        self.settings = settings
        self.log = log
        self.cwd = cwd
        self.services = services(settings)

    def start(self, only: Optional[set[str]] = None) -> None:
        """Start the services; PortTaken, before anything starts, when one of their ports is in use."""
        for service in self.services:
            taken = listening(service.health_url) if _selected(service, only) else None
            if taken:
                raise PortTaken(service.name, taken)
        env = child_env(self.settings)
        for service in self.services:
            if not _selected(service, only):
                continue
            if service.after:
                self._wait_for(service.after, None, time.monotonic() + 240, service.name)
            service.process = subprocess.Popen(
                service.command,
                cwd=self.cwd,
                env={**env, **service.env},
                stdout=self.log or None,
                stderr=subprocess.STDOUT if self.log else None,
                start_new_session=True,
                preexec_fn=_die_with(os.getpid()),
            )

    def wait_ready(self, timeout: float = 180.0, only: Optional[set[str]] = None) -> None:
        deadline = time.monotonic() + timeout
        for service in self.services:
            if _selected(service, only):
                self._wait_for(service.health_url, service, deadline, service.name)

    @staticmethod
    def _wait_for(url: str, service: Optional[Service], deadline: float, name: str) -> None:
        while True:
            # Our process dying (say, on a port taken meanwhile) counts first, even if someone answers on the port.
            if service is not None and service.process is not None and service.process.poll() is not None:
                raise RuntimeError(f"{name} exited with code {service.process.returncode}")
            if is_up(url):
                return
            if time.monotonic() > deadline:
                raise TimeoutError(f"{name} did not become ready in time ({url})")
            time.sleep(0.5)

    def stop(self, only: Optional[set[str]] = None, kill: bool = False) -> None:
        for service in reversed(self.services):
            if not _selected(service, only):
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


@contextmanager
def signals_held() -> Iterator[None]:
    """While the services stop, a second Ctrl-C or TERM (make and container runtimes send them to the
    whole process group) must not interrupt the clean-up and leave servers holding their ports."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {number: signal.signal(number, signal.SIG_IGN) for number in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)


def run_forever(settings: Settings) -> int:
    system = System(settings)
    print("[whatmatters] starting the action server, the Rasa server and the web app...", flush=True)
    started = False
    try:
        system.start()
        started = True
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
    except PortTaken as error:
        print(f"[whatmatters] cannot start: {error}.", flush=True)
        return 2
    except KeyboardInterrupt:
        print("\n[whatmatters] stopping...", flush=True)
        return 0
    finally:
        with signals_held():
            system.stop()
        if started:
            print("[whatmatters] stopped.", flush=True)
