"""The domain, the question catalogue and the code agree with each other."""

import re

import pytest
import yaml

from bot.intake import normalise
from bot.intake.questions import FORM_SLOTS, QUESTIONS, SECTIONS
from bot.intake.turn import HOLDS
from bot.settings import PROJECT_ROOT

DOMAIN = yaml.safe_load((PROJECT_ROOT / "domain.yml").read_text())
RESPONSES = DOMAIN["responses"]


def _python_sources():
    for folder in ("bot", "actions"):
        yield from (PROJECT_ROOT / folder).rglob("*.py")


def test_every_response_the_code_names_exists():
    named = set()
    for path in _python_sources():
        named |= set(re.findall(r"[\"'](utter_[a-z_]+)[\"']", path.read_text()))
    named = {n for n in named if not n.endswith("_")} - {"utter_action"}  # Rasa's metadata key, not a response
    missing = sorted(n for n in named if n not in RESPONSES)
    assert not missing, missing


def test_form_asks_for_exactly_the_catalogue_in_order():
    assert DOMAIN["forms"]["intake_form"]["required_slots"] == list(FORM_SLOTS) + list(HOLDS)
    for slot in FORM_SLOTS:
        assert slot in DOMAIN["slots"], slot
        [mapping] = DOMAIN["slots"][slot]["mappings"]
        assert mapping["type"] == "from_text"
        # A disclosure reaches the form's validation, which decides (bot.intake.turn): an answer to an
        # open question is saved as well as flagged; anything else is asked again after the crisis reply.
        assert "disclose_risk" not in mapping["not_intent"]
        assert {"ask_why", "pause", "speak_to_person", "bot_challenge"} <= set(mapping["not_intent"])
        assert mapping["conditions"] == [{"active_loop": "intake_form", "requested_slot": slot}]


def test_every_question_has_words_and_every_section_a_why():
    for slot in FORM_SLOTS:
        assert f"utter_ask_{slot}" in RESPONSES or f"action_ask_{slot}" in DOMAIN["actions"], slot
    for section in SECTIONS:
        assert f"utter_why_{section.key}" in RESPONSES, section.key


@pytest.mark.parametrize("question", [q for q in QUESTIONS if q.options], ids=lambda q: q.key)
def test_every_button_maps_back_to_its_option(question):
    buttons = [b for variant in RESPONSES[f"utter_ask_{question.key}"] for b in variant.get("buttons", [])]
    assert buttons, f"{question.key} has options but no buttons"
    for button in buttons:
        codes = normalise.match_options(button["payload"], question.options, many=True)
        assert len(codes) == 1, (button, codes)


def test_crisis_reply_holds_every_number():
    text = RESPONSES["utter_crisis"][0]["text"]
    for must in ("999", "NHS 111", "option 2", "Samaritans", "116 123", "SHOUT", "85258"):
        assert must in text


def test_messages_are_short_enough_to_read():
    """Plain English, short messages: no response longer than a long text message would be."""
    long = [name for name, variants in RESPONSES.items() for v in variants if len(v.get("text", "")) > 480]
    assert not long, long


def test_every_why_response_exists():
    from bot.intake.questions import why_response

    for slot in list(FORM_SLOTS) + [None, "unknown"]:
        assert why_response(slot) in RESPONSES, slot


def test_only_actions_that_declare_it_get_the_domain():
    """Selective domain (endpoints.yml): an action that reads the domain must say so in domain.yml."""
    declared = {
        next(iter(a)) for a in DOMAIN["actions"] if isinstance(a, dict) and next(iter(a.values())).get("send_domain")
    }
    readers = set()
    for path in (PROJECT_ROOT / "actions").glob("*.py"):
        source = path.read_text()
        for match in re.finditer(r'def name\(self\) -> Text:\s+return "(\w+)"(.*?)(?=\nclass |\Z)', source, re.S):
            if re.search(r"domain\[|domain\.get\(", match.group(2)):
                readers.add(match.group(1))
    assert readers <= declared, readers - declared
