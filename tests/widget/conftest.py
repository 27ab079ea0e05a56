"""Browser fixtures: the real system, a practice website on another origin, headless Chromium.

Chromium is Debian's (/usr/bin/chromium), driven by Playwright for Python; no browser is
downloaded. axe-core comes from node_modules (npm ci) and is served by the practice site
itself, so nothing is fetched from the internet. Screenshots go to test-artifacts/widget/.
"""

from __future__ import annotations

import http.server
import threading
from typing import Iterator

import pytest

from tests.support.browser import AXE, CHROMIUM, CHROMIUM_ARGS
from tests.support.browser import WIDGET_SHOTS as SHOTS
from tests.support.system import embedded_settings, running_system

PRACTICE_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Riverside Medical Centre</title>
<script src="/axe.min.js"></script>
</head><body>
<header><a href="#main">Skip to content</a></header>
<main id="main"><h1>Riverside Medical Centre</h1>
<p>Opening hours: Monday to Friday, 8am to 6:30pm.</p>
<p><a href="/appointments">Appointments</a></p>
</main>
<script src="{widget}" data-practice="Y01234" data-colour="#005eb8"></script>
</body></html>
"""


@pytest.fixture(scope="module")
def system(tmp_path_factory, request):
    settings = embedded_settings(tmp_path_factory.mktemp("widget"))
    with running_system(settings, "widget") as running:
        yield running


@pytest.fixture(scope="module")
def practice_site(system) -> Iterator[str]:
    """A GP practice website on its own origin that embeds the widget with the one tag."""
    widget = f"http://127.0.0.1:{system.settings.web_port}/patient/widget.js"
    page = PRACTICE_PAGE.format(widget=widget).encode()
    axe = AXE.read_bytes()

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - the standard library's name
            body, kind = {"/axe.min.js": (axe, "application/javascript")}.get(self.path, (page, "text/html"))
            self.send_response(200)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)  # the OS picks a free port
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.fail("Chromium is missing: apt-get install chromium (make install does)")
    if not AXE.exists():
        pytest.fail("axe-core is missing from node_modules: run `npm ci`")
    from playwright.sync_api import sync_playwright

    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()
