"""Option words as people misspell them are put right, and only they (bot.intake.spelling)."""

import pytest

from bot.intake.spelling import known_words, one_slip_apart, put_right


@pytest.mark.parametrize(
    "typed, word, apart",
    [
        ("mentel", "mental", True),  # a letter wrong
        ("helth", "health", True),  # missing
        ("groupp", "group", True),  # extra
        ("emial", "email", True),  # two swapped
        ("money", "money", False),  # the same is no slip
        ("mnoey", "money", True),
        ("hosing", "housing", True),
        ("hsoing", "housing", False),  # two slips
    ],
)
def test_one_slip(typed, word, apart):
    assert one_slip_apart(typed, word) is apart


def test_the_vocabulary_is_installed_and_holds_real_words_only():
    known = known_words()
    assert len(known) > 20000
    assert {"talking", "walking", "person"} <= known and not {"persen", "helth", "mentel"} & known


@pytest.mark.parametrize(
    "text, targets, mended",
    [
        ("in persen", {"person"}, "in person"),
        ("Mentel HELTH", {"mental", "health"}, "mental health"),
        ("exersise", {"exercis"}, "exercise"),  # a stem the readers take as the start of a word
        ("talking", {"walking"}, "talking"),  # a real word stays
        ("mony", {"money"}, "mony"),  # too short to be sure
        ("groop", {"group", "grip"}, "group"),
        ("bacck", {"back", "black"}, "back"),
        ("carre", {"care", "carer"}, "carre"),  # one slip from two words: left alone
        ("arsed", {"arsed", "arse"}, "arsed"),  # already an option's word (no English word, but theirs)
        ("exercising", {"exercis"}, "exercising"),
    ],
)
def test_put_right(text, targets, mended):
    assert put_right(text, targets) == mended
