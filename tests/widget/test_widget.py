"""The patient chat in a real headless Chromium against the real servers.

One system for the module (Rasa with the trained model, action server, web app, SQLite).
Each test is one patient on a phone-sized screen:
- the full-page chat: Mrs C's intake with buttons and typing, reloaded half-way, to the queue;
- the widget embedded on a practice website (another origin): the same intake by keyboard only;
- the Rasa server stopped mid-conversation and started again: the typed message waits and is sent once;
- the embedded widget reloaded, then opened again in a new tab: the same conversation carries on;
axe-core checks the full page and the widget. Screenshots: test-artifacts/widget/.
"""

from __future__ import annotations

import json
import re
from typing import Optional

import pytest

from bench.patients import MRS_C, answering
from tests.support.browser import AXE
from tests.support.browser import WIDGET_SHOTS as SHOTS
from tests.support.system import query

pytestmark = pytest.mark.slow

PHONE = {"width": 375, "height": 740}

# In the shadow root of the chat: the newest bot messages since the patient last spoke, and whether it is settled.
STATE_JS = """() => {
  const host = document.querySelector('#wm-chat, #whatmatters-chat');
  const root = host && host.shadowRoot;
  if (!root) return null;
  const items = Array.from(root.querySelectorAll('.wm-log > li'));
  const latest = [];
  for (let i = items.length - 1; i >= 0 && items[i].classList.contains('wm-bot'); i--) {
    latest.unshift(items[i].querySelector('.wm-bubble, .wm-crisis').textContent);
  }
  const typing = root.querySelector('.wm-typing');
  return {
    settled: items.length > 0 && latest.length > 0 && typing.hidden,
    count: items.length,
    question: latest.join('\\n'),
    progress: root.querySelector('.wm-progress-label').textContent,
    status: root.querySelector('.wm-status').textContent,
  };
}"""

FOCUSED_JS = """() => {
  let a = document.activeElement;
  while (a && a.shadowRoot && a.shadowRoot.activeElement) a = a.shadowRoot.activeElement;
  if (!a) return null;
  const style = getComputedStyle(a);
  return {tag: a.tagName, text: (a.textContent || '').trim(), cls: a.className || '', disabled: !!a.disabled,
          outline: style.outlineStyle, outlineWidth: parseFloat(style.outlineWidth) || 0};
}"""

AXE_JS = """async () => {
  const result = await axe.run(document, {resultTypes: ['violations']});
  return result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                                      nodes: v.nodes.slice(0, 5).map(n => n.target.join(' '))}));
}"""

BUTTONS = {
    "happy to go on": ["Yes, let's start"],
    "get in touch?": ["Phone call"],
    "referral code": ["My code is WM-TEST1"],
    "would you like support with": ["Activity and weight", "Long-term condition"],
    "make things harder for you": ["Confidence", "Pain or mobility"],
    "in a group, or one-to-one": ["In a group"],
    "how would you like to meet": ["In person"],
    "go with you the first time": ["Yes please"],
    "which language": ["English"],
    "is this right?": ["Yes, send it"],
}
KEYBOARD_BUTTONS = {
    k: BUTTONS[k] for k in ("happy to go on", "get in touch?", "would you like support with", "is this right?")
}


def trigger_for(question: str, triggers) -> Optional[str]:
    """The trigger that appears latest in the question (as bench.patients.answering picks)."""
    lowered = question.lower()
    best = max(triggers, key=lambda t: lowered.rfind(t.lower()))
    return best if lowered.rfind(best.lower()) >= 0 else None


class Chat:
    """One patient's chat in one page (the full page or the embedded widget)."""

    def __init__(self, page) -> None:
        self.page = page
        self.errors: list[str] = []
        page.on("console", self._console)
        page.on("pageerror", lambda e: self.errors.append(str(e)))

    def _console(self, message) -> None:
        where = message.location.get("url", "")
        if message.type == "error" and "axe-core" not in where:  # axe's own probes trip the CSP: not ours
            self.errors.append(f"{message.text} ({where}:{message.location.get('lineNumber')})")

    def state(self) -> dict:
        return self.page.evaluate(STATE_JS)

    def settle(self, timeout: float = 45, after: int = 0) -> dict:
        """Wait until the bot has answered (more than `after` messages in all) and nothing is in flight."""
        self.page.wait_for_function(
            f"() => {{ const s = ({STATE_JS})(); return s && s.settled && s.count > {after}; }}", timeout=timeout * 1000
        )
        return self.state()

    def focused(self) -> Optional[dict]:
        return self.page.evaluate(FOCUSED_JS)

    def open_buttons(self, titles: list[str]) -> bool:
        buttons = self.page.locator(".wm-log > li:last-child .wm-reply:not([disabled])")
        shown = buttons.all_inner_texts()
        return all(t in shown for t in titles)

    def shot(self, name: str) -> None:
        self.page.screenshot(
            path=str(SHOTS / f"{name}.png"), caret="initial"
        )  # "hide" would inject a style the CSP blocks

    def session_id(self) -> str:
        saved = self.page.evaluate(
            "() => Object.entries(localStorage).filter(([k]) => k.startsWith('whatmatters-chat:'))"
        )
        assert len(saved) == 1, saved
        return json.loads(saved[0][1])["sessionId"]

    # --- answering with the mouse (taps) and typing ---------------------------------
    def click(self, titles: list[str]) -> None:
        group = self.page.locator(".wm-log > li:last-child .wm-replies")
        for title in titles:
            group.get_by_role("button", name=title, exact=True).click()
        if len(titles) > 1 or group.get_by_role("button", name="Send my choices").count():
            group.get_by_role("button", name="Send my choices").click()

    def type(self, text: str) -> None:
        box = self.page.get_by_label("Type your answer")
        box.fill(text)
        box.press("Enter")

    # --- answering with the keyboard only ---------------------------------------------
    def tab_to(self, matches, limit: int = 40) -> dict:
        for key in ("Shift+Tab", "Tab"):
            for _ in range(limit):
                now = self.focused()
                if now and matches(now):
                    return now
                self.page.keyboard.press(key)
        raise AssertionError(f"could not reach the control by keyboard; focus is on {self.focused()}")

    def key_choose(self, titles: list[str]) -> dict:
        seen = {}
        multi = len(titles) > 1
        for title in titles:
            seen = self.tab_to(
                lambda f, t=title: f["tag"] == "BUTTON" and f["text"].lstrip("\u2713\u00a0 ") == t and not f["disabled"]
            )
            self.page.keyboard.press("Space" if multi else "Enter")
        if multi:
            self.tab_to(lambda f: f["tag"] == "BUTTON" and f["text"] == "Send my choices")
            self.page.keyboard.press("Enter")
        return seen

    def key_type(self, text: str) -> None:
        self.tab_to(lambda f: f["tag"] == "TEXTAREA")
        self.page.keyboard.type(text)
        self.page.keyboard.press("Enter")

    def converse(
        self, buttons: dict[str, list[str]], until: Optional[str] = None, keyboard: bool = False, limit: int = 45
    ) -> dict:
        """Answer Mrs C's way until the question contains `until` (or the reference arrives)."""
        answer_for = answering(MRS_C)
        count = 0
        for _ in range(limit):
            now = self.settle(after=count)
            count = now["count"] + 1  # the patient's answer, then at least one reply
            question = now["question"]
            if "your reference is" in question.lower() or (until and until in question.lower()):
                return now
            trigger = trigger_for(question, buttons)
            titles = buttons.get(trigger) if trigger else None
            if titles and self.open_buttons(titles):
                if keyboard:
                    self.key_choose(titles)
                else:
                    self.click(titles)
            elif keyboard:
                self.key_type(answer_for(question))
            else:
                self.type(answer_for(question))
        raise AssertionError(f"the intake did not finish; last question: {self.state()}")


def web(system) -> str:
    return f"http://127.0.0.1:{system.settings.web_port}"


def axe_check(chat: Chat, name: str) -> None:
    violations = chat.page.evaluate(AXE_JS)
    (SHOTS / f"axe-{name}.json").write_text(json.dumps(violations, indent=2))
    bad = [v for v in violations if v["impact"] in ("serious", "critical")]
    assert not bad, f"axe: serious or critical violations on {name}: {json.dumps(bad, indent=2)}"


def queued(system, reference: str) -> list[tuple]:
    return query(
        system,
        "SELECT intakes.channel, intakes.status, queue_items.status FROM queue_items "
        "JOIN intakes ON intakes.id = queue_items.intake_id WHERE intakes.reference = :r",
        r=reference,
    )


def reference_in(question: str) -> str:
    return re.search(r"WM-[A-Z0-9]{6}", question).group(0)


def test_full_page_intake_on_a_phone_with_buttons_typing_and_a_reload(system, browser):
    context = browser.new_context(viewport=PHONE)
    context.add_init_script(path=str(AXE))  # axe-core from node_modules; init scripts are not subject to the page's CSP
    page = context.new_page()
    chat = Chat(page)
    response = page.goto(web(system) + "/patient/chat?ref=WM-TEST1")
    csp = response.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert f"ws://127.0.0.1:{system.settings.rasa_port}" in csp

    first = chat.settle()
    assert "happy to go on" in first["question"].lower() and first["progress"] == "Part 1 of 9: Getting started"
    chat.shot("page-1-welcome")
    axe_check(chat, "full-page")

    middle = chat.converse(BUTTONS, until="satisfied are you with your life")
    assert middle["progress"] == "Part 4 of 9: Wellbeing"
    session = chat.session_id()
    chat.shot("page-2-before-reload")

    page.reload()
    after = chat.settle()
    assert after["question"] == middle["question"], "the reload should show the same question"
    assert after["progress"] == middle["progress"] and chat.session_id() == session
    chat.shot("page-3-after-reload")

    done = chat.converse(BUTTONS)
    reference = reference_in(done["question"])
    assert done["progress"].startswith("All done")
    assert queued(system, reference) == [("socketio", "submitted", "new")]
    [(referral,)] = query(
        system,
        "SELECT answers.value FROM answers JOIN intakes ON intakes.id = answers.intake_id "
        "WHERE intakes.reference = :r AND question_key = 'referral_code'",
        r=reference,
    )
    assert "WM-TEST1" in str(referral)
    axe_check(chat, "full-page-finished")
    chat.shot("page-4-sent")

    # Buttons once answered are disabled, and the choice was echoed as the patient's message.
    assert page.get_by_role("button", name="Yes, let's start").is_disabled()
    assert "Yes, let's start" in page.locator(".wm-me").first.inner_text()

    page.get_by_role("link", name="How we use your answers").click()
    assert page.get_by_role("heading", level=1).inner_text() == "How we use your answers"
    axe_check(chat, "privacy-notice")
    page.go_back()
    chat.settle()

    page.set_viewport_size({"width": 320, "height": 640})
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 320, "sideways scrolling at 320 px"
    chat.shot("page-5-320px")
    assert not chat.errors, chat.errors
    context.close()


def test_embedded_widget_keyboard_only_intake(system, browser, practice_site):
    context = browser.new_context(viewport=PHONE, reduced_motion="reduce")
    page = context.new_page()
    chat = Chat(page)
    page.goto(practice_site)
    launcher = chat.tab_to(lambda f: f["tag"] == "BUTTON" and "What matters to you" in f["text"])
    assert launcher["outline"] != "none" and launcher["outlineWidth"] >= 2, f"no visible focus: {launcher}"
    page.keyboard.press("Enter")
    assert chat.focused()["tag"] == "TEXTAREA", "opening the chat should put the cursor in the answer box"

    chat.settle()
    chat.shot("widget-1-open")
    axe_check(chat, "widget")
    animation = page.evaluate(
        "() => getComputedStyle(document.querySelector('#whatmatters-chat').shadowRoot"
        ".querySelector('.wm-dots span')).animationName"
    )
    assert animation == "none", "the typing dots should not move when reduced motion is asked for"

    done = chat.converse(KEYBOARD_BUTTONS, keyboard=True)
    reference = reference_in(done["question"])
    assert queued(system, reference) == [("socketio", "submitted", "new")]
    chat.shot("widget-2-sent")

    page.keyboard.press("Escape")
    assert chat.focused()["text"].endswith("What matters to you"), "closing should return focus to the launcher"
    assert not chat.errors, chat.errors
    context.close()


def test_bot_stopped_and_started_again_keeps_and_sends_the_message_once(system, browser):
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    chat = Chat(page)
    page.goto(web(system) + "/patient/chat")
    chat.settle()
    chat.click(["Yes, let's start"])
    page.wait_for_function(f"() => ({STATE_JS})().question.includes('call you')", timeout=30000)
    session = chat.session_id()

    system.stop(only={"rasa"})
    try:
        page.wait_for_function(f'() => ({STATE_JS})().status.includes("can\'t reach")', timeout=30000)
        chat.type("Sam")
        note = page.locator(".wm-me").last.locator(".wm-note")
        assert "Not sent yet" in note.inner_text()
        page.reload()  # the waiting message survives a reload too
        page.wait_for_function(f'() => ({STATE_JS})().status.includes("can\'t reach")', timeout=30000)
        assert "Not sent yet" in page.locator(".wm-me").last.locator(".wm-note").inner_text()
        chat.shot("outage-1-waiting")
    finally:
        system.start(only={"rasa"})
        system.wait_ready(only={"rasa"})

    back = chat.settle(timeout=60)
    assert "get in touch" in back["question"].lower()
    assert "Connected again" in back["status"]
    assert not page.locator(".wm-me").last.locator(".wm-note").is_visible()
    chat.shot("outage-2-back")
    [(sent,)] = query(
        system,
        "SELECT COUNT(*) FROM events WHERE sender_id = :s AND type_name = 'user' AND data LIKE '%\"text\": \"Sam\"%'",
        s=session,
    )
    assert sent == 1, "the waiting message should reach the bot exactly once"

    chat.type("Some days I don't want to be here any more")
    chat.settle()
    crisis = page.locator(".wm-crisis[role=alert]")
    assert crisis.count() == 1 and "116 123" in crisis.inner_text() and "999" in crisis.inner_text()
    page.wait_for_timeout(300)
    assert crisis.evaluate(
        "e => { const r = e.getBoundingClientRect(); return r.top >= 0 && r.top < innerHeight - 100; }"
    ), "the crisis response should be in view"
    chat.shot("outage-3-crisis")
    assert "don't want to be here" not in system.log_path.read_text(), "patient text reached the server logs"

    page.get_by_role("button", name="Start again").click()
    page.get_by_role("button", name="Yes, start again").click()
    fresh = chat.settle()
    assert "happy to go on" in fresh["question"].lower() and page.locator(".wm-me").count() == 0
    assert chat.session_id() != session, "starting again should start a new conversation"
    context.close()


def open_widget(page) -> None:
    """Open the embedded chat unless it is open already."""
    page.wait_for_function(
        "() => { const h = document.querySelector('#whatmatters-chat');"
        " return h && h.shadowRoot && h.shadowRoot.querySelector('.wm-panel'); }"
    )
    launcher = page.get_by_role("button", name="What matters to you")
    if launcher.count() and launcher.is_visible() and launcher.get_attribute("aria-expanded") != "true":
        launcher.click()


def test_embedded_widget_picks_up_where_the_patient_left_off_after_a_reload_and_another_day(
    system, browser, practice_site
):
    """The practice page reloaded, then the tab closed and the site opened again later in the same
    browser: the widget shows the conversation so far and the same question, in the same session."""
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    chat = Chat(page)
    page.goto(practice_site)
    page.get_by_role("button", name="What matters to you").click()
    middle = chat.converse(BUTTONS, until="would you like support with")
    session = chat.session_id()

    page.reload()
    open_widget(page)  # it remembers it was open, so it may open by itself
    after_reload = chat.settle()
    assert after_reload["question"] == middle["question"] and chat.session_id() == session
    assert after_reload["progress"] == middle["progress"]
    page.close()

    page = context.new_page()  # the next visit: a new tab, the same browser profile
    chat = Chat(page)
    page.goto(practice_site)
    open_widget(page)
    next_day = chat.settle()
    assert next_day["question"] == middle["question"] and chat.session_id() == session
    assert next_day["count"] >= middle["count"], "the conversation so far is shown again"
    chat.click(BUTTONS["would you like support with"])
    moved_on = chat.settle(after=next_day["count"] + 1)
    assert "would you like support with" not in moved_on["question"].lower()
    [(status,)] = query(system, "SELECT status FROM intakes WHERE conversation_id=:c", c=session)
    assert status == "in_progress"
    assert not chat.errors, chat.errors
    context.close()
