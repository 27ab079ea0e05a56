"""Each server runs one NumPy and one TensorFlow thread (`bot.launcher.ONE_THREAD_EACH`): started by the launcher or
from the container image, unless the operator says otherwise; training is left every core."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest

from bot.launcher import ONE_THREAD_EACH, child_env
from bot.settings import PROJECT_ROOT, Settings

DOCKERFILE = PROJECT_ROOT / "Dockerfile"


@pytest.fixture
def no_thread_settings(monkeypatch):
    for name in ONE_THREAD_EACH:
        monkeypatch.delenv(name, raising=False)


def test_a_server_started_by_the_launcher_gets_one_thread_of_each(no_thread_settings):
    env = child_env(Settings())
    assert {name: env.get(name) for name in ONE_THREAD_EACH} == ONE_THREAD_EACH
    assert set(ONE_THREAD_EACH) >= {"OPENBLAS_NUM_THREADS", "TF_INTRA_OP_PARALLELISM_THREADS"}


def test_an_operators_own_thread_setting_wins(no_thread_settings, monkeypatch):
    monkeypatch.setenv("OPENBLAS_NUM_THREADS", "2")
    env = child_env(Settings())
    assert env["OPENBLAS_NUM_THREADS"] == "2"
    assert env["TF_NUM_INTRAOP_THREADS"] == "1"


def test_numpy_in_a_server_started_with_that_environment_runs_one_blas_thread(no_thread_settings):
    """The setting reaches the library: OpenBLAS reads it when NumPy loads, in the new process."""
    script = "import json, numpy, threadpoolctl; print(json.dumps(threadpoolctl.threadpool_info()))"
    started = subprocess.run(
        [sys.executable, "-c", script], env=child_env(Settings()), capture_output=True, text=True, check=True
    )
    blas = [pool for pool in json.loads(started.stdout) if pool["user_api"] == "blas"]
    assert blas and all(pool["num_threads"] == 1 for pool in blas)


def test_the_container_image_sets_the_same_after_training():
    text = DOCKERFILE.read_text()
    trained = text.index("RUN whatmatters model ensure")
    settings = dict(re.findall(r"\b([A-Z_]+_THREADS)=(\d+)", text))
    assert settings == ONE_THREAD_EACH
    assert all(text.index(f"{name}=") > trained for name in ONE_THREAD_EACH)
