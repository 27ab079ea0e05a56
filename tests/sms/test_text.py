"""Plain functions of the SMS channel: encodings and splitting, numbered options, keywords, numbers."""

from __future__ import annotations

import pytest
import yaml

from bot.settings import PROJECT_ROOT
from bot.sms.outbox import backoff_seconds
from bot.sms.phone import InvalidNumber, PhoneVault, masked, normalise_e164
from bot.sms.service import compose
from bot.sms.text import (
    GSM7,
    UCS2,
    choices_of,
    encoding_of,
    gsm_friendly,
    help_text,
    invite_text,
    is_gsm7,
    keyword_of,
    map_reply,
    segment_count,
    segments,
    split_for_sms,
    start_text,
    units,
    with_numbered_options,
)
from tests.support.sms import ENCRYPTION_KEY, HASH_KEY

# --- encodings and splitting -----------------------------------------------------------------


def test_gsm7_and_ucs2_are_told_apart_and_counted_as_the_network_counts():
    assert encoding_of("Hello £5 at 10:30, é à ñ") == GSM7
    assert encoding_of("Cześć") == UCS2  # ś is not in GSM-7
    assert encoding_of("Thanks 😊") == UCS2
    assert units("a€[") == 5  # € and [ are extension characters: two septets each
    assert units("😊", UCS2) == 2  # a surrogate pair


@pytest.mark.parametrize(
    "length, expected",
    [(160, 1), (161, 2), (306, 2), (307, 3)],
)
def test_gsm7_segments_are_160_alone_and_153_per_part(length, expected):
    assert segment_count("a" * length) == expected


@pytest.mark.parametrize("length, expected", [(70, 1), (71, 2), (134, 2), (135, 3)])
def test_ucs2_segments_are_70_alone_and_67_per_part(length, expected):
    assert segment_count("ś" * length) == expected


def test_long_text_is_cut_between_words_within_each_part():
    words = [f"word{i}" for i in range(80)]
    text = " ".join(words)
    parts = segments(text)
    assert len(parts) > 1
    assert all(units(part) <= 153 for part in parts)
    assert " ".join(parts).split() == words, "no word is cut or lost"

    ucs = "Cześć " * 30
    parts = segments(ucs)
    assert all(units(part) <= 67 for part in parts) and " ".join(parts).split() == ucs.split()


def test_a_short_text_stays_one_sms():
    assert segments("Hello there") == ["Hello there"]
    assert split_for_sms("a" * 160, max_segments=1) == ["a" * 160]


def test_replies_go_as_few_texts_as_fit_and_longer_ones_split_between_words():
    text = " ".join(["lorem"] * 400)  # about 2,400 characters
    texts = split_for_sms(text, max_segments=6)
    assert len(texts) == 3
    assert all(segment_count(t) <= 6 for t in texts)
    assert " ".join(texts).split() == text.split()
    one_sms_each = split_for_sms(" ".join(["lorem"] * 60), max_segments=1)
    assert all(units(t) <= 160 for t in one_sms_each) and len(one_sms_each) == 3


def test_a_word_longer_than_a_part_is_cut_rather_than_lost():
    link = "https://example.org/" + "x" * 400
    parts = segments(link)
    assert "".join(parts) == link and all(units(p) <= 153 for p in parts)


def test_paragraphs_stay_whole_when_they_fit():
    first, second = "A" * 500, "B" * 500
    texts = split_for_sms(f"{first}\n\n{second}", max_segments=4)
    assert texts == [first, second]


def test_a_long_list_is_cut_between_lines_not_inside_one():
    lines = [f"- Answer number {i}: something the patient said about it" for i in range(40)]
    texts = split_for_sms("Here is what you told me:\n" + "\n".join(lines), max_segments=3)
    assert len(texts) > 1 and all(segment_count(t) <= 3 for t in texts)
    for text in texts[1:]:
        assert text.startswith("- Answer number"), "each text starts at the beginning of a line"
    assert "\n".join(texts).splitlines()[1:] == lines


def test_typographic_characters_in_bot_copy_become_gsm7():
    assert gsm_friendly("It\u2019s \u201cfine\u201d \u2013 really\u2026") == 'It\'s "fine" - really...'
    assert is_gsm7(gsm_friendly("It\u2019s \u201cfine\u201d \u2013 really\u2026"))


def test_our_own_copy_and_every_bot_response_fit_gsm7():
    team = "the social prescribing team at Riverside Medical Centre"
    for copy in (help_text(team), start_text(team), invite_text(team, "https://example.org/start?ref=WM-ABC123")):
        assert is_gsm7(copy), copy
    domain = yaml.safe_load((PROJECT_ROOT / "domain.yml").read_text())
    for name, variants in domain["responses"].items():
        for variant in variants:
            body = with_numbered_options(variant.get("text", ""), choices_of(variant.get("buttons")))
            assert is_gsm7(gsm_friendly(body)), f"{name} would go as UCS-2"


# --- buttons as numbers ------------------------------------------------------------------------

CONSENT = choices_of([{"title": "Yes, let's start", "payload": "yes"}, {"title": "No thanks", "payload": "no"}])
FORMAT = choices_of(
    [
        {"title": "In person", "payload": "In person"},
        {"title": "By phone", "payload": "By phone"},
        {"title": "Online", "payload": "Online"},
        {"title": "Any of these", "payload": "Any of these"},
    ]
)


def test_buttons_become_numbered_options_in_the_text():
    assert with_numbered_options("How would you like to meet?", FORMAT) == (
        "How would you like to meet?\nReply 1 for In person, 2 for By phone, 3 for Online or 4 for Any of these."
    )
    listed = with_numbered_options("Are you happy to go on?", CONSENT)
    assert listed.endswith("Reply with a number:\n1 Yes, let's start\n2 No thanks")


def test_a_question_that_numbers_its_own_list_is_not_numbered_twice():
    text = "Which of these?\n1 Loneliness\n2 Housing"
    buttons = choices_of([{"title": "Loneliness", "payload": "Loneliness"}, {"title": "Housing", "payload": "Housing"}])
    assert with_numbered_options(text, buttons) == text


def test_a_list_with_its_own_numbers_is_read_by_those_numbers():
    """The areas that matter most keep the numbers they had in the first list: "7 and 3" means what it said."""
    text = "Which one or two of these matter most?\n3 Mental wellbeing\n7 Caring for someone\n11 Long-term condition"
    buttons = choices_of(
        [{"title": t, "payload": t} for t in ("Mental wellbeing", "Caring for someone", "Long-term condition")]
    )
    body, choices = compose([{"text": text, "buttons": buttons_as_dicts(buttons)}])
    assert body == text, "not numbered a second time"
    assert [c.number for c in choices] == [3, 7, 11]
    assert map_reply("7 and 3", choices) == "Caring for someone, Mental wellbeing"
    assert map_reply("11", choices) == "Long-term condition"
    assert map_reply("2", choices) == "2", "not a number it was shown with: left for the intake to read"


def buttons_as_dicts(choices):
    return [{"title": c.title, "payload": c.payload} for c in choices]


@pytest.mark.parametrize(
    "reply", ["1", "one", "1.", " 1 ", "(1)", "1)", "option 1", "One", "yes, let's start", "Yes lets start"]
)
def test_a_number_or_the_option_words_pick_that_option(reply):
    assert map_reply(reply, CONSENT) == "yes"


@pytest.mark.parametrize(
    "reply, expected",
    [
        ("2", "By phone"),
        ("two", "By phone"),
        ("4.", "Any of these"),
        ("online", "Online"),
        ("2 and 3", "By phone, Online"),
        ("1, 4", "By phone" if False else "In person, Any of these"),
        ("5", "5"),
        ("I'd like to meet in person", "I'd like to meet in person"),
        ("0", "0"),
    ],
)
def test_replies_map_to_payloads_or_pass_through(reply, expected):
    assert map_reply(reply, FORMAT) == expected


def test_without_options_a_number_is_just_an_answer():
    assert map_reply("7", []) == "7"


def test_an_offer_before_the_question_is_asked_again_is_in_words_and_a_number_answers_the_question():
    offer = {
        "text": "If this question is tricky, that's OK.",
        "buttons": [
            {"title": "Skip this question", "payload": "skip"},
            {"title": "Ask a person to call me", "payload": "I'd like a person to call me"},
        ],
    }
    question = {"text": "On a scale of 0 to 10, how satisfied are you with your life nowadays?"}
    body, choices = compose([{"text": "Sorry, I need a number from 0 to 10."}, offer, question])
    assert 'Reply "Skip this question" or "Ask a person to call me".' in body
    assert "1 for" not in body and body.endswith("nowadays?")
    assert map_reply("2", choices) == "2" and map_reply("1", choices) == "1"
    assert map_reply("skip this question", choices) == "skip"
    assert map_reply("Ask a person to call me", choices) == "I'd like a person to call me"


def test_options_on_the_last_message_of_a_turn_are_numbered():
    body, choices = compose(
        [
            {"text": "Thanks."},
            {
                "text": "Shall we start?",
                "buttons": [{"title": "Yes", "payload": "yes"}, {"title": "No", "payload": "no"}],
            },
            {"text": ""},
        ]
    )
    assert body.endswith("Reply 1 for Yes or 2 for No.")
    assert map_reply("2", choices) == "no"


# --- keywords ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, keyword",
    [
        ("STOP", "stop"),
        ("stop", "stop"),
        ("Stop.", "stop"),
        ("UNSUBSCRIBE", "unsubscribe"),
        ("cancel", "cancel"),
        ("END", "end"),
        ("quit!", "quit"),
        ("START", "start"),
        ("help", "help"),
        ("HELP?", "help"),
        ("please stop", None),
        ("I want to stop smoking", None),
        ("stopped", None),
        ("helpful", None),
    ],
)
def test_keywords_are_whole_messages(text, keyword):
    expected = {"unsubscribe": "stop", "cancel": "stop", "end": "stop", "quit": "stop"}.get(keyword, keyword)
    assert keyword_of(text) == expected


# --- phone numbers -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw",
    [
        "07700 900123",
        "07700900123",
        "+44 7700 900123",
        "+44 (0)7700 900123",
        "0044 7700 900123",
        "447700900123",
        "tel:+447700900123",
        "+44-7700-900-123",
    ],
)
def test_numbers_are_normalised_to_e164(raw):
    assert normalise_e164(raw) == "+447700900123"


def test_international_numbers_are_kept_and_junk_is_refused():
    assert normalise_e164("+1 415 555 0100") == "+14155550100"
    for junk in ("", "hello", "123", "+44", "07700 900123 ext 4", "+0123456789"):
        with pytest.raises(InvalidNumber):
            normalise_e164(junk)


def test_numbers_are_hashed_for_lookup_and_encrypted_for_sending():
    vault = PhoneVault(HASH_KEY, ENCRYPTION_KEY)
    number = "+447700900123"
    assert vault.digest(number) == vault.digest(number) != PhoneVault("other-key", ENCRYPTION_KEY).digest(number)
    sealed = vault.encrypt(number)
    assert "7700900123" not in sealed and vault.decrypt(sealed) == number
    sender = vault.sender_id(number)
    assert sender.startswith("sms-") and "7700" not in sender and "900123" not in sender
    assert masked(number) == "+44 ****** 123"


def test_a_vault_without_keys_is_refused():
    with pytest.raises(ValueError):
        PhoneVault("", ENCRYPTION_KEY)


# --- backoff -------------------------------------------------------------------------------------


def test_retries_back_off_exponentially_up_to_the_cap():
    assert [backoff_seconds(n, base=5, cap=300) for n in range(1, 9)] == [5, 10, 20, 40, 80, 160, 300, 300]
    jittered = [backoff_seconds(3, base=5, cap=300, jitter=0.2) for _ in range(50)]
    assert all(16 <= d <= 20 for d in jittered)
