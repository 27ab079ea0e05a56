"""`whatmatters run` (what `make run` ends with): says where everything is, and Ctrl-C stops it all."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

from bot.settings import PROJECT_ROOT, Settings
from tests.e2e.conftest import free_port, is_listening, require_model


def test_run_starts_everything_and_ctrl_c_stops_everything(tmp_path):
    require_model()
    settings = Settings(
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'wm.db'}",
        rasa_port=free_port(), actions_port=free_port(), web_port=free_port(),
        model_dir=PROJECT_ROOT / "models",
    )
    env = dict(os.environ, **settings.as_env())
    process = subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "run"], cwd=PROJECT_ROOT, env=env,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    output = []
    try:
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline:
            line = process.stdout.readline()
            if not line and process.poll() is not None:
                break
            output.append(line)
            if line.startswith("Press Ctrl-C"):
                break
        text = "".join(output)
        assert "ready" in text, text[-3000:]
        assert f"http://127.0.0.1:{settings.rasa_port}" in text and f"http://127.0.0.1:{settings.web_port}" in text
        assert "migrating the database" in text and "model is up to date" in text
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
