"""An entry point's poster in a real browser: an admin makes a team and an entry point for an A&E
department through the pages, opens the poster and prints it with Chromium. It prints on exactly one
A4 page, without the app around it, even with the longest names; the QR code, as the browser draws it
on screen and for print, decodes with a real decoder (zbarimg) to the entry point's link."""

from __future__ import annotations

import io
import re

import pytest
from cryptography.fernet import Fernet
from pypdf import PdfReader

from bot.db.migrate import upgrade
from bot.launcher import System
from bot.teams import store
from bot.teams.links import start_link
from tests.support.browser import SHOTS, create_staff, in_thread, sign_in, wcag_violations
from tests.support.databases import TEST_DATABASE, fresh_postgres_database
from tests.support.qr import decode_qr
from tests.support.review import in_db
from tests.support.system import ARTIFACTS, embedded_settings

pytestmark = pytest.mark.slow

ADMIN = "posters@example.org"
A4_POINTS = (595, 842)
TEXT_NUMBER = "07700 900000"


@pytest.fixture(scope="module")
def web_app(tmp_path_factory):
    """The web app alone (the poster needs no Rasa), as `make run` starts it, on a free port, with an admin."""
    settings = embedded_settings(
        tmp_path_factory.mktemp("poster"),
        sms_invite_url="https://whatmatters.example/",
        # Texts on: the poster also says which number to text its code to, and must still fit.
        sms_provider="twilio",
        sms_hash_key="poster-test-hash-key-" + "h" * 20,
        sms_encryption_key=Fernet.generate_key().decode(),
        sms_twilio_account_sid="AC" + "0" * 32,
        sms_twilio_auth_token="t" * 32,
        sms_twilio_from="+447700900000",
        sms_twilio_api_url="http://127.0.0.1:9",
        sms_poster_number=TEXT_NUMBER,
    )
    ARTIFACTS.mkdir(exist_ok=True)

    def serve(settings):
        upgrade(settings)
        with open(ARTIFACTS / "poster-web.log", "w") as log:
            running = System(settings, log=log)
            try:
                running.start(only={"web"})
                running.wait_ready(timeout=60, only={"web"})
                create_staff(settings, ADMIN, "admin")
                yield settings
            finally:
                running.stop(only={"web"})

    if TEST_DATABASE == "postgres":
        with fresh_postgres_database() as url:
            yield from serve(settings.with_overrides(database_url=url))
    else:
        yield from serve(settings)


def _signed_in(page, base: str, settings) -> None:
    """Sign the admin in, unless this browser profile already is (the tests share one)."""
    page.goto(f"{base}/queue")
    if "/login" in page.url:
        sign_in(page, base, ADMIN, settings)


def _print(page, name: str) -> tuple[PdfReader, str]:
    """Print the page as Chromium prints it (print media, A4): the PDF and its text."""
    page.emulate_media(media="print")
    assert not page.locator(".nhsuk-header").is_visible(), "print hides the site's header and menu"
    assert not page.get_by_role("button", name="Print this poster").is_visible()
    pdf = page.pdf(path=str(SHOTS / f"{name}.pdf"), format="A4", print_background=True, prefer_css_page_size=True)
    reader = PdfReader(io.BytesIO(pdf))
    return reader, "\n".join(p.extract_text() for p in reader.pages)


def _qr_as_drawn(page, name: str, tmp_path) -> str:
    return decode_qr(page.locator("#poster-qr svg").screenshot(path=str(SHOTS / f"{name}.png")), tmp_path)


def test_the_poster_prints_on_one_a4_page_and_its_qr_code_decodes_to_the_link(web_app, browser_context, tmp_path):
    settings = web_app
    base = f"http://{settings.web_host}:{settings.web_port}"
    page = browser_context.new_page()
    errors: list[str] = []
    # axe-core (run below) trips the CSP with its own inline styles: not our pages' errors.
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" and "axe" not in m.text else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    _signed_in(page, base, settings)

    page.get_by_role("link", name="Teams").click()
    page.wait_for_selector("#teams")
    assert wcag_violations(page) == []
    page.fill("#name", "Riverside Community Hub")
    page.fill("#code", "riverside")
    page.select_option("#kind", "hub")
    page.get_by_role("button", name="Add the team").click()
    page.wait_for_selector("#team-message")
    page.fill("#place", "Riverside Hospital A&E")
    page.select_option("#source", "ae")
    page.get_by_role("button", name="Add the entry point").click()
    page.wait_for_selector("#entry-point-list")
    page.screenshot(path=str(SHOTS / "19-team.png"), full_page=True)
    assert wcag_violations(page) == []
    code = page.locator("#entry-point-list tbody tr").first.get_attribute("data-entry")
    link = start_link(settings, code)
    assert link == f"https://whatmatters.example/start/{code}"

    page.get_by_role("link", name="Poster for Riverside Hospital A&E").click()
    page.wait_for_selector("#poster")
    page.screenshot(path=str(SHOTS / "20-poster.png"), full_page=True)
    assert page.inner_text("#poster-link") == link
    assert _qr_as_drawn(page, "21-poster-qr-screen", tmp_path) == link
    assert wcag_violations(page) == []

    reader, text = _print(page, "22-poster")
    assert len(reader.pages) == 1, text
    width, height = (round(float(v)) for v in reader.pages[0].mediabox[2:])
    assert (width, height) == A4_POINTS
    flat = " ".join(text.split())
    for words in (
        "Tell us what matters to you",
        "It takes about 10 minutes",
        "Scan the code with your phone camera or type this address",
        link,
        "You do not need to be registered with a GP",
        "Riverside Community Hub",
        "Riverside Hospital A&E",
    ):
        assert words in flat, words
    assert "Sign out" not in text and "Print this poster" not in text and "What Matters review app" not in text
    assert _qr_as_drawn(page, "23-poster-qr-print", tmp_path) == link, "the QR code as printed"
    page.emulate_media(media="screen")
    assert all(url.startswith(base) for url in requests), [u for u in requests if not u.startswith(base)]
    assert not errors, errors


def test_the_longest_names_still_print_on_one_page(web_app, browser_context, tmp_path):
    settings = web_app
    base = f"http://{settings.web_host}:{settings.web_port}"
    long_team = ("The Riverside, Hillside and Oak Lane Primary Care Network Social Prescribing Team " * 2)[:120].strip()
    long_place = ("Emergency Department (A&E), Riverside University Hospital, Main Entrance, Level 1 " * 2)[
        :120
    ].strip()

    async def setup(session):
        await store.create_team(session, "setup", "long-names", long_team, "network")
        entry = await store.create_entry_point(session, "setup", "long-names", long_place, "ae")
        return entry.code

    code = in_thread(in_db(settings, setup))
    page = browser_context.new_page()
    _signed_in(page, base, settings)
    page.goto(f"{base}/admin/entry-points/{code}/poster")
    page.wait_for_selector("#poster")
    reader, text = _print(page, "24-poster-long")
    assert len(reader.pages) == 1, text
    flat = " ".join(text.split())
    assert f"Text {code} to {TEXT_NUMBER}" in flat, "people without a smartphone are told what to text"
    assert re.sub(r"\s", "", long_place) in re.sub(r"\s", "", flat) and start_link(settings, code) in flat.replace(
        " ", ""
    )
    assert _qr_as_drawn(page, "25-poster-long-qr", tmp_path) == start_link(settings, code)
