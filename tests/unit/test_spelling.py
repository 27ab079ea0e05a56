"""Option words as people misspell them are put right, and only they (bot.intake.spelling)."""

import subprocess
import sys

import pytest

from bot.intake.spelling import Targets, known_words, one_slip_apart, put_right


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


def test_reading_the_vocabulary_loads_no_numerical_library():
    """The action server reads it; importing the encoder for its path once put 0.2 s of NumPy and SciPy in a turn."""
    code = "import sys; from bot.intake import spelling; spelling.known_words(); print(sorted({'numpy', 'scipy'} & set(sys.modules)))"
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert loaded.strip() == "[]"


@pytest.mark.parametrize(
    "text, targets, mended",
    [
        ("in persen", {"person": "in_person"}, "in person"),
        ("Mentel HELTH", {"mental": "a", "health": "b"}, "mental health"),
        ("exersise", {"exercis": "activity"}, "exercise"),  # a stem the readers take as the start of a word
        ("depresion", {"depress": "mood"}, "depression"),  # two ways with the stem: the shorter slip
        ("talking", {"walking": "activity"}, "talking"),  # a real word stays
        ("mony", {"money": "money"}, "mony"),  # too short to be sure
        ("mopey", {"money": "money"}, "mopey"),  # five letters to five: too often a word the vocabulary lacks
        ("bacck", {"back": "pain"}, "bacck"),  # an option word under five letters is not put right to
        ("carre", {"care": "caring", "carer": "other"}, "carre"),  # one slip from words of two meanings: left
        ("eather", {"either": "either", "ether": "either"}, "either"),  # two words, one meaning
        ("arsed", {"arsed": "either"}, "arsed"),  # already an option's word (no English word, but theirs)
        ("exercising", {"exercis": "activity"}, "exercising"),
        ("I live in Holmme now", {"home": "housing", "homme": "x"}, "I live in Holmme now"),  # a name in a sentence
        ("Persen", {"person": "in_person"}, "person"),  # capitalised as the first word: no name
    ],
)
def test_put_right(text, targets, mended):
    assert put_right(text, Targets.of(targets)) == mended
