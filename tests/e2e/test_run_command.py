"""`whatmatters run` (what `make run` ends with): says where everything is, and Ctrl-C stops it all."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from bot.settings import PROJECT_ROOT
from tests.support.system import embedded_settings, is_listening, require_model, running_system


def _start_run(settings, own_group: bool = False) -> tuple[subprocess.Popen, str]:
    """`whatmatters run` started and read up to "Press Ctrl-C" (or until it ends); its output so far.

    `own_group`: in a process group of its own, as `make run` or a container runtime starts it.
    """
    process = subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "run"],
        cwd=PROJECT_ROOT,
        env=dict(os.environ, **settings.as_env()),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=own_group,
    )
    output = []
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line and process.poll() is not None:
            break
        output.append(line)
        if line.startswith("Press Ctrl-C"):
            break
    return process, "".join(output)


def test_run_starts_everything_and_ctrl_c_stops_everything(tmp_path):
    require_model()
    settings = embedded_settings(tmp_path)
    process, text = _start_run(settings)
    try:
        assert "ready" in text, text[-3000:]
        assert f"http://127.0.0.1:{settings.rasa_port}" in text and f"http://127.0.0.1:{settings.web_port}" in text
        assert "migrating the database" in text and "model is up to date" in text
        assert "loaded the sample directory (fictional town of Wyvernbury): 79 services" in text, "offers at once"
        ports = (settings.rasa_port, settings.actions_port, settings.web_port)
        assert all(is_listening(port) for port in ports)

        process.send_signal(signal.SIGINT)
        rest, _ = process.communicate(timeout=60)
        assert process.returncode == 0, rest
        assert "stopped." in rest
        time.sleep(0.5)
        assert not any(is_listening(port) for port in ports), "a server outlived Ctrl-C"
    finally:
        if process.poll() is None:
            process.kill()


def _listen_on(port: int) -> socket.socket:
    """Something else listening on `port`, as another program (or a left-over server) would be."""
    stranger = socket.socket()
    stranger.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    stranger.bind(("127.0.0.1", port))
    stranger.listen()
    return stranger


def test_run_refuses_a_port_something_else_listens_on(tmp_path):
    require_model()
    settings = embedded_settings(tmp_path)
    with _listen_on(settings.web_port):
        done = subprocess.run(
            [sys.executable, "-m", "bot.cli", "run"],
            cwd=PROJECT_ROOT,
            env=dict(os.environ, **settings.as_env()),
            capture_output=True,
            text=True,
            timeout=240,
        )
    assert done.returncode == 2, done.stdout[-2000:] + done.stderr[-2000:]
    assert f"port {settings.web_port} (for web) is already in use" in done.stdout
    assert not is_listening(settings.rasa_port) and not is_listening(settings.actions_port), "nothing was started"


def test_a_system_in_tests_moves_to_new_ports_when_one_is_taken(tmp_path):
    settings = embedded_settings(tmp_path)
    with _listen_on(settings.web_port):
        with running_system(settings, "run-command-port-taken") as running:
            assert running.settings.web_port != settings.web_port
            with urllib.request.urlopen(f"http://127.0.0.1:{running.settings.web_port}/healthz", timeout=10) as reply:
                assert reply.status == 200


@pytest.mark.parametrize("how", ["Ctrl-C twice", "TERM to the whole group twice", "the launcher killed"])
def test_however_it_is_stopped_no_server_is_left_holding_a_port(tmp_path, how):
    require_model()
    settings = embedded_settings(tmp_path)
    ports = (settings.rasa_port, settings.actions_port, settings.web_port)
    process, text = _start_run(settings, own_group=True)
    try:
        assert "Press Ctrl-C" in text, text[-3000:]
        if how == "Ctrl-C twice":
            process.send_signal(signal.SIGINT)
            time.sleep(0.3)
            process.send_signal(signal.SIGINT)
        elif how == "TERM to the whole group twice":
            os.killpg(process.pid, signal.SIGTERM)
            time.sleep(0.3)
            os.killpg(process.pid, signal.SIGTERM)
        else:
            process.kill()
        process.communicate(timeout=90)
        deadline = time.monotonic() + 30
        while any(is_listening(port) for port in ports) and time.monotonic() < deadline:
            time.sleep(0.5)
        assert not any(is_listening(port) for port in ports), f"a server outlived its launcher ({how})"
    finally:
        if process.poll() is None:
            process.kill()
