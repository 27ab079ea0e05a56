"""Option words as people misspell them: "mentel helth and exersise", "in persen".

A person who is dyslexic, typing on a small phone or new to English picks a choice by its words and spells them their
own way; the readers then heard nothing and asked again until the question was left for the link worker. A word is
put right only when it is no English word at all (not in the sentence encoder's vocabulary of 30,000 words, which is
installed with the system) and lies one slip (a letter wrong, missing, extra or two swapped) from words of
the question's choices that all mean one option. A real word is never changed: "talking" stays "talking", though
"walking" is a choice's; nor a name inside a sentence ("Holme"), nor five letters put to five ("mopey", "grout").
Language names are read more loosely, in `languages` (an answer of a word or three that can only name one).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Mapping

MIN_LENGTH = 5
"""Shorter words are too close to too many others ("mony" is one slip from "many" and "money")."""
SURE_LENGTH = 6
"""One of the two, the word typed or the option's, is at least this long: five letters to five are too often another
word the vocabulary lacks ("mopey" is not "money", "grout" not "group")."""


@lru_cache(maxsize=1)
def known_words() -> frozenset[str]:
    """Whole words of the encoder's vocabulary; empty (nothing is put right) where it is not installed."""
    from bot.language.files import MODEL_DIR

    try:
        lines = (MODEL_DIR / "vocab.txt").read_text(encoding="utf-8").splitlines()
    except OSError:
        return frozenset()
    return frozenset(line for line in lines if line.isalpha() and line.islower())


def one_slip_apart(typed: str, word: str) -> bool:
    """One letter wrong, missing, extra, or two letters swapped."""
    if typed == word or abs(len(typed) - len(word)) > 1:
        return False
    if len(typed) == len(word):
        differ = [i for i, (a, b) in enumerate(zip(typed, word, strict=True)) if a != b]
        if len(differ) == 1:
            return True
        first, second = differ[0], differ[-1]
        return (
            len(differ) == 2 and second == first + 1 and typed[first] == word[second] and typed[second] == word[first]
        )
    shorter, longer = (typed, word) if len(typed) < len(word) else (word, typed)
    return any(longer[:i] + longer[i + 1 :] == shorter for i in range(len(longer)))


def _as_spelled(typed: str, word: str) -> list[str]:
    """`typed` spelled as `word`, or as a word that opens with it where it is a stem the readers take as the start of
    a word ("exercis" for "exersise": "exercise"); nothing if it is no slip away."""
    if one_slip_apart(typed, word):
        return [word]
    if len(word) < MIN_LENGTH:
        return []
    ends = (len(word) - 1, len(word), len(word) + 1)
    return [word + typed[end:] for end in ends if end < len(typed) and one_slip_apart(typed[:end], word)]


@dataclass(frozen=True)
class Targets:
    """The words a misspelling may be put right to, each with what it means (an option's code), sorted once for a
    question's options rather than on every reply."""

    choices: Mapping[str, str]
    """The words long enough to put a word right to."""
    stems: tuple[str, ...]
    """The words a typed word that opens with one is already spelled as ("exercising" opens with "exercis")."""

    @classmethod
    def of(cls, meanings: Mapping[str, str]) -> Targets:
        return cls(
            choices={word: meaning for word, meaning in meanings.items() if len(word) >= MIN_LENGTH},
            stems=tuple(word for word in meanings if len(word) >= MIN_LENGTH - 1),
        )


def put_right(text: str, targets: Targets) -> str:
    """The text with each word that is no English word and one slip from words of `targets` that all mean the same
    ("eather" is "either" or "ether", both "either way") spelled as the closest of them. A name is left as it is: a
    capitalised word inside a sentence ("Holme", "Sugra")."""
    known = known_words()
    if not known:
        return text
    choices, stems = targets.choices, targets.stems

    def mend(found: re.Match[str]) -> str:
        typed = found.group(0)
        lowered = typed.lower()
        if len(lowered) < MIN_LENGTH or lowered in known or any(lowered.startswith(word) for word in stems):
            return typed  # too short, a word, or already an option's ("arsed", "exercising")
        if typed.istitle() and re.search(r"[a-z]\W*$", text[: found.start()]):
            return typed  # a name, inside a sentence
        close = [
            (mended != word, mended, meaning)
            for word, meaning in choices.items()
            if max(len(word), len(lowered)) >= SURE_LENGTH
            for mended in _as_spelled(lowered, word)
        ]
        if len({meaning for _, _, meaning in close}) != 1:
            return typed  # no slip from any, or from words of two meanings
        return min(close)[1]  # a whole word before a stem's ending

    return re.sub(r"[A-Za-z]+", mend, text)
