"""The language a person names, however they write it (our wordings; the blind ones are
bench/readers/dev4.yml and blind4.yml, `make readers-probe`)."""

from __future__ import annotations

import pytest

from bot.intake.languages import ENGLISH, language_chosen, language_in_words, little_english, names_english
from bot.intake.turn import take_turn


@pytest.mark.parametrize(
    "said, language",
    [
        ("polski", "Polish"),
        ("Română vă rog", "Romanian"),
        ("español", "Spanish"),
        ("ਪੰਜਾਬੀ", "Punjabi"),
        ("فارسی", "Farsi"),
        ("Soomaali", "Somali"),
        ("українська мова", "Ukrainian"),
        ("中文", "Chinese"),
        ("Portugeuse", "Portuguese"),
        ("Lithuenian", "Lithuanian"),
        ("bsl please, I'm deaf", "British Sign Language (BSL)"),
        ("my dad only understands Bengali, I'm typing for him", "Bengali"),
        ("Urdu or Punjabi", "Urdu or Punjabi"),
        ("Cymraeg", "Welsh"),
        ("Mirpuri", "Pahari-Pothwari (Mirpuri)"),
        ("Sylheti", "Sylheti"),  # an interpreter is booked for it on its own
        ("Mandarin Chinese", "Mandarin"),
        ("polish or russian or ukrainian", "Polish or Russian or Ukrainian"),
    ],
)
def test_a_language_is_known_by_its_own_name_its_script_or_a_misspelling(said, language):
    assert language_in_words(said) == language


@pytest.mark.parametrize("said", ["english", "Englsh", "inglish pls", "ENG"])
def test_english_however_spelt(said):
    assert names_english(said) and language_in_words(said) is None


@pytest.mark.parametrize(
    "said, kept",
    [
        ("Another language: Farsi", "Farsi"),
        ("English not so good, Tamil better", "Tamil"),
        ("I speak Tamil at home but English is fine", "english"),
        ("some english, mostly Arabic", "Arabic"),
        ("Dinka", "Dinka"),  # a language the table does not hold, kept as typed
        ("engish", "english"),
    ],
)
def test_the_language_question_keeps_the_language_to_speak_in(said, kept):
    outcome = take_turn("language", said, None, {})
    assert outcome.accepted and outcome.value == kept


@pytest.mark.parametrize(
    "said",
    [
        "which ones do you have?",
        "can I have a translator",
        "my english is not good",
        "another one",
        "I would like to speak to someone about my benefits please",
    ],
)
def test_no_language_named_asks_which(said):
    outcome = take_turn("language", said, None, {})
    assert not outcome.accepted and outcome.responses == ["utter_which_language"]


@pytest.mark.parametrize(
    "said, language",
    [
        ("I'm signing up for my dad, he speaks Punjabi", "Punjabi"),
        ("no sign language needed, urdu", "Urdu"),
        ("my son Francis is typing for me, I speak Romanian", "Romanian"),  # a name is no misspelt French
    ],
)
def test_a_word_like_a_language_or_one_not_wanted_is_no_language(said, language):
    assert language_in_words(said) == language


@pytest.mark.parametrize("said", ["no", "hello", "Either is fine", "Thanks", "not english"])
def test_a_reply_that_names_no_language_is_never_saved_as_one(said):
    assert not take_turn("language", said, None, {}).accepted


@pytest.mark.parametrize(
    "said, weak",
    [
        ("little english", True),  # the interpreter question's own words
        ("I don't speak English", True),
        ("English a little, Polish better", True),  # the other word orders
        ("basic english only", True),
        ("english not very good", True),
        ("english is fine", False),
        ("I speak English and Polish", False),
    ],
)
def test_english_said_to_be_weak(said, weak):
    assert little_english(said) is weak


@pytest.mark.parametrize(
    "said, kept",
    [("Krio please", "Krio"), ("in Tigrinya", "Tigrinya"), ("yes", ENGLISH), ("what do you have?", None)],
)
def test_the_language_chosen_is_a_name_english_as_typed_or_none(said, kept):
    assert language_chosen(said) == kept


@pytest.mark.parametrize(
    "said, kept",
    [
        ("Polish better, but English also ok", "Polish"),
        ("Bengali, she speaks a little bit of english but not much", "Bengali"),
        ("No I speak English fine, I just prefer Arabic for reading", ENGLISH),
    ],
)
def test_a_language_said_to_be_better_than_english_is_the_one_to_speak_in(said, kept):
    assert language_chosen(said) == kept


@pytest.mark.parametrize(
    "said",
    [
        "English please, my parents mainly speak Urdu",
        "my first language is Polish but my English is good",
        "I speak Urdu mostly at home, but English is fine for this",
    ],
)
def test_words_of_background_never_outweigh_english_chosen(said):
    assert language_chosen(said) == ENGLISH
