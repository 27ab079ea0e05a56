"""The README's speed figures come from `make bench`; this fails when they are older than the code a turn runs.

A change to any file on a turn's hot path (below) must be followed by a benchmark run whose results
(bench/results/latest.md) are committed with it or after it. Only committed history counts, so work in
progress on a laptop is not held up; CI, on a fresh clone, sees exactly what landed.
"""

from __future__ import annotations

import subprocess

import pytest

from bot.settings import PROJECT_ROOT

HOT_PATH = [
    "bot/rasa",
    "actions",
    "bot/intake",
    "bot/language",
    "bot/rate_limit.py",
    "bot/queue/entry.py",
    "bot/db/engine.py",
    "bot/db/models.py",
    "config.yml",
    "domain.yml",
    "endpoints.yml",
    "credentials.yml",
    "data",
]
RESULTS = "bench/results/latest.md"


def _last_commit_time(*paths: str) -> int:
    done = subprocess.run(
        ["git", "log", "-1", "--format=%ct", "--", *paths], cwd=PROJECT_ROOT, capture_output=True, text=True
    )
    if done.returncode != 0:
        pytest.fail(f"git log failed: {done.stderr.strip()}")
    return int(done.stdout.strip() or 0)


def test_the_benchmark_results_are_newer_than_the_hot_path():
    if not (PROJECT_ROOT / ".git").exists():
        pytest.skip("not a git checkout: no history to compare")
    code, figures = _last_commit_time(*HOT_PATH), _last_commit_time(RESULTS)
    assert figures >= code, (
        "a change to a turn's hot path landed after the last benchmark run: run `make bench`, "
        f"commit {RESULTS} (and the other results) and quote them in the README"
    )


DIRECTORY_PATH = ["bot/directory/matching.py", "bot/directory/sync.py", "bot/directory/store.py", "bench/directory.py"]
DIRECTORY_RESULTS = "bench/results/directory.md"


def test_the_directory_figures_are_newer_than_the_code_they_time():
    """The README's sync and matching figures (`make bench-directory`) follow the code they measure."""
    if not (PROJECT_ROOT / ".git").exists():
        pytest.skip("not a git checkout: no history to compare")
    code, figures = _last_commit_time(*DIRECTORY_PATH), _last_commit_time(DIRECTORY_RESULTS)
    assert figures >= code, (
        f"the directory's sync or matching changed after its last benchmark: run `make bench-directory`, commit "
        f"{DIRECTORY_RESULTS} and quote it in the README"
    )
