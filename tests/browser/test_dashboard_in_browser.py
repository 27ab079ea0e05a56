"""The outcomes dashboard in a real browser: a manager signs in and lands on it, sees each chart (an SVG image
named by its title) with its table beside it, changes the period, downloads a table as CSV (the page's cells
exactly), and the page passes axe-core's WCAG checks. The web app alone: the dashboard needs no Rasa."""

from __future__ import annotations

import csv
import io
import re

import pytest

from bot.db.migrate import upgrade
from bot.launcher import System
from tests.review.test_dashboard import MANAGER_A, TEAM_A, make_world
from tests.support.browser import SHOTS, in_thread, wcag_violations
from tests.support.databases import TEST_DATABASE, fresh_postgres_database
from tests.support.review import PASSWORD
from tests.support.system import ARTIFACTS, embedded_settings

pytestmark = pytest.mark.slow

PERIOD = "from=2026-03-02&to=2026-03-15&team=team-a"
CHARTS = {
    "chart-weeks": "Referrals per week",
    "chart-sources": "Referrals by where they came from",
    "chart-practices": "Referrals by GP practice",
    "chart-areas": "Life areas people chose",
    "chart-barriers": "Barriers people chose",
    "chart-ons4": "Wellbeing (ONS4): change from the intake to the follow-up",
}


@pytest.fixture(scope="module")
def web_app(tmp_path_factory):
    """The web app alone, as `make run` starts it, on a free port, with the review tests' data set."""
    settings = embedded_settings(tmp_path_factory.mktemp("dashboard"))
    ARTIFACTS.mkdir(exist_ok=True)

    def serve(settings):
        upgrade(settings)
        with open(ARTIFACTS / "dashboard-web.log", "w") as log:
            running = System(settings, log=log)
            try:
                running.start(only={"web"})
                running.wait_ready(timeout=60, only={"web"})
                in_thread(make_world(settings))
                yield settings
            finally:
                running.stop(only={"web"})

    if TEST_DATABASE == "postgres":
        with fresh_postgres_database() as url:
            yield from serve(settings.with_overrides(database_url=url))
    else:
        yield from serve(settings)


def _table(page, key: str) -> list[list[str]]:
    return page.eval_on_selector(
        f"#table-{key}",
        "t => Array.from(t.rows).map(r => Array.from(r.cells).map(c => c.innerText.trim().replace(/\\s+/g, ' ')))",
    )


def test_a_manager_reads_the_dashboard_and_downloads_a_table(web_app, browser_context):
    settings = web_app
    base = f"http://{settings.web_host}:{settings.web_port}"
    page = browser_context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" and "axe" not in m.text else None)
    page.on("pageerror", lambda e: errors.append(str(e)))

    page.goto(f"{base}/login")
    page.fill("#email", MANAGER_A)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/dashboard")
    menu = page.get_by_role("navigation", name="Menu")
    assert menu.get_by_role("link").all_inner_texts() == ["Dashboard"], "a manager's menu: the dashboard alone"

    page.fill("#from", "2026-03-02")
    page.fill("#to", "2026-03-15")
    page.select_option("#team", "team-a")
    page.get_by_role("button", name="Show the figures").click()
    page.wait_for_url(f"{base}/dashboard?{PERIOD}")
    assert "Riverside PCN, 2 March 2026 to 15 March 2026: 12 referrals." in page.inner_text("#dashboard-scope")

    for chart_id, title in CHARTS.items():
        chart = page.get_by_role("img", name=title)
        assert chart.count() == 1 and chart.get_attribute("id") == chart_id, title
        assert chart.is_visible() and chart.bounding_box()["width"] > 200, title
        assert "The same figures are in the table beside it." in page.text_content(f"#{chart_id}-desc")
    for key, rows in TEAM_A.items():
        assert _table(page, key) == rows, key
    assert page.locator(".wm-chart text", has_text="fewer than 5").count() >= 1, "a hidden count said in words"

    page.locator("#how summary").click()
    assert "Small numbers are not shown" in page.inner_text("#how")
    page.screenshot(path=str(SHOTS / "30-dashboard.png"), full_page=True)
    assert wcag_violations(page) == []

    with page.expect_download() as downloading:
        page.get_by_role(
            "link", name=re.compile(r"^Download this table \(CSV\)\s*: Referrals per week, by where")
        ).click()
    download = downloading.value
    assert download.suggested_filename == "whatmatters-referrals-by-week-team-a-2026-03-02-to-2026-03-15.csv"
    with open(download.path(), encoding="utf-8-sig") as file:
        assert list(csv.reader(io.StringIO(file.read()))) == _table(page, "referrals-by-week")

    assert not errors, errors

    page.goto(f"{base}/queue")  # refused (the browser logs the 403 as an error: expected here)
    assert "Managers see the outcomes dashboard of their teams" in page.inner_text("body")
    page.goto(f"{base}/dashboard?from=2026-03-22&to=2026-03-02")
    assert page.locator(".nhsuk-error-summary").is_visible()
    assert wcag_violations(page) == []
