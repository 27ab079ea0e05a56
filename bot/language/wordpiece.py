"""BERT's uncased WordPiece tokenizer, as the sentence encoder was trained with it.

Written out (about sixty lines) rather than installed: the Hugging Face
`tokenizers` package would pull in the Hub client, and the encoder must never
reach a network. The steps are BERT's own: clean the text, put spaces round CJK
characters, lower-case and strip accents, split on white space and punctuation,
then split each word greedily into the longest pieces in the vocabulary.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

MAX_WORD_CHARS = 100
"""A longer "word" (a pasted URL, a row of emoji) becomes [UNK], as in BERT."""


def _is_punctuation(char: str) -> bool:
    code = ord(char)
    if 33 <= code <= 47 or 58 <= code <= 64 or 91 <= code <= 96 or 123 <= code <= 126:
        return True
    return unicodedata.category(char).startswith("P")


def _is_cjk(code: int) -> bool:
    return (
        0x4E00 <= code <= 0x9FFF
        or 0x3400 <= code <= 0x4DBF
        or 0x20000 <= code <= 0x2A6DF
        or 0x2A700 <= code <= 0x2B73F
        or 0x2B740 <= code <= 0x2B81F
        or 0x2B820 <= code <= 0x2CEAF
        or 0xF900 <= code <= 0xFAFF
        or 0x2F800 <= code <= 0x2FA1F
    )


def _clean(text: str) -> str:
    out = []
    for char in text:
        code = ord(char)
        if code == 0 or code == 0xFFFD:
            continue
        if char in "\t\n\r" or unicodedata.category(char) == "Zs":
            out.append(" ")
        elif unicodedata.category(char) in ("Cc", "Cf"):
            continue
        elif _is_cjk(code):
            out.append(f" {char} ")
        else:
            out.append(char)
    return "".join(out)


def basic_words(text: str) -> list[str]:
    """Lower-cased, accent-free words and punctuation marks, in order."""
    text = unicodedata.normalize("NFD", _clean(text).lower())
    text = "".join(char for char in text if unicodedata.category(char) != "Mn")
    words: list[str] = []
    for chunk in text.split():
        current = ""
        for char in chunk:
            if _is_punctuation(char):
                if current:
                    words.append(current)
                    current = ""
                words.append(char)
            else:
                current += char
        if current:
            words.append(current)
    return words


class WordPiece:
    """Text to token ids with a BERT vocabulary file (one piece a line, the line number its id)."""

    def __init__(self, vocab_file: Path) -> None:
        pieces = vocab_file.read_text(encoding="utf-8").split("\n")
        self.ids = {piece: index for index, piece in enumerate(pieces) if piece}
        self.unknown = self.ids["[UNK]"]
        self.start = self.ids["[CLS]"]
        self.end = self.ids["[SEP]"]

    def word_ids(self, word: str) -> list[int]:
        if len(word) > MAX_WORD_CHARS:
            return [self.unknown]
        found: list[int] = []
        start = 0
        while start < len(word):
            end = len(word)
            while end > start:
                piece = word[start:end] if start == 0 else "##" + word[start:end]
                if piece in self.ids:
                    found.append(self.ids[piece])
                    break
                end -= 1
            else:
                return [self.unknown]
            start = end
        return found

    def encode(self, text: str, max_tokens: int) -> list[int]:
        """[CLS] pieces... [SEP], cut to `max_tokens` in all."""
        ids = [piece for word in basic_words(text) for piece in self.word_ids(word)]
        return [self.start, *ids[: max_tokens - 2], self.end]
