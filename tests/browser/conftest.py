"""Browser tests: the real system (Rasa, actions, web app) and a real headless Chromium.

Chromium is Debian's (`/usr/bin/chromium`, installed by `make install`), driven by
Playwright for Python; `playwright install` is never needed. Screenshots and
PDFs go to test-artifacts/."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest

from tests.e2e.conftest import system  # noqa: F401 - the system fixture, reused
from tests.support.browser import CHROMIUM, CHROMIUM_ARGS, SHOTS


@pytest.fixture(scope="module")
def browser_context():
    """A fresh Chromium profile for the module; closed (and its profile removed) afterwards."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: run `make install` (it installs Debian's chromium)")
    from playwright.sync_api import sync_playwright

    SHOTS.mkdir(parents=True, exist_ok=True)
    profile = tempfile.mkdtemp(prefix="wm-chromium-")
    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            profile,
            executable_path=str(CHROMIUM),
            headless=True,
            args=CHROMIUM_ARGS,
            viewport={"width": 1200, "height": 900},
        )
        try:
            yield context
        finally:
            context.close()
            shutil.rmtree(profile, ignore_errors=True)
