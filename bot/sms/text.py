"""Words on a phone screen: encodings, splitting, numbered options and keywords.

Plain functions, no I/O. A text of GSM-7 characters fits 160 in one SMS and 153 in each
part of a longer one; a single character outside GSM-7 makes the whole text UCS-2, 70 in one
SMS and 67 per part. Our own copy therefore keeps to GSM-7, and the bot's wording is passed
through `gsm_friendly`, which swaps typographic quotes, dashes and the like for plain ones.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Any, Iterable, Optional, Sequence

# GSM 03.38 default alphabet (one unit each) and its extension table (two units each: escape + char).
GSM_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM_EXTENDED = frozenset("^{}\\[~]|€\f")

GSM7 = "GSM-7"
UCS2 = "UCS-2"
LIMITS = {GSM7: (160, 153), UCS2: (70, 67)}
"""Per encoding: (characters in a single SMS, characters per part of a concatenated one)."""

_LOOKALIKES = {
    "\u2018": "'",
    "\u2019": "'",
    "\u201a": "'",
    "\u201b": "'",
    "\u2032": "'",
    "\u201c": '"',
    "\u201d": '"',
    "\u201e": '"',
    "\u2033": '"',
    "\u2013": "-",
    "\u2014": "-",
    "\u2012": "-",
    "\u2010": "-",
    "\u2011": "-",
    "\u2212": "-",
    "\u2026": "...",
    "\u00a0": " ",
    "\u2009": " ",
    "\u202f": " ",
    "\u200b": "",
    "\u2022": "-",
    "\u00b7": "-",
    "\t": " ",
}


def gsm_friendly(text: str) -> str:
    """The text with typographic look-alikes replaced by their GSM-7 equivalents."""
    return "".join(_LOOKALIKES.get(char, char) for char in text)


def is_gsm7(text: str) -> bool:
    return all(char in GSM_BASIC or char in GSM_EXTENDED for char in text)


def encoding_of(text: str) -> str:
    return GSM7 if is_gsm7(text) else UCS2


def units(text: str, encoding: Optional[str] = None) -> int:
    """Length as the network counts it: GSM-7 septets (extension characters count two) or UTF-16 units."""
    encoding = encoding or encoding_of(text)
    if encoding == GSM7:
        return sum(2 if char in GSM_EXTENDED else 1 for char in text)
    return len(text.encode("utf-16-le")) // 2


def segment_count(text: str) -> int:
    """How many SMS the network bills and delivers this text as."""
    encoding = encoding_of(text)
    single, part = LIMITS[encoding]
    size = units(text, encoding)
    if size <= single:
        return 1
    return -(-size // part)


def _pack(text: str, capacity: int, encoding: str) -> list[str]:
    """Greedy split on whitespace into pieces of at most `capacity` units; a word longer than that is cut."""
    pieces: list[str] = []
    current = ""
    for token in re.findall(r"\S+|\s+", text):
        if token.isspace():
            if current:
                current += token
            continue
        candidate = current + token
        if units(candidate.rstrip(), encoding) <= capacity:
            current = candidate
            continue
        if current.strip():
            pieces.append(current.rstrip())
        current = ""
        while units(token, encoding) > capacity:  # one "word" longer than a whole piece, e.g. a link
            cut = capacity
            while units(token[:cut], encoding) > capacity:
                cut -= 1
            pieces.append(token[:cut])
            token = token[cut:]
        current = token
    if current.strip():
        pieces.append(current.rstrip())
    return pieces


def segments(text: str) -> list[str]:
    """The text cut on word boundaries into SMS-sized parts: one part of up to 160 (70), else parts of 153 (67)."""
    text = text.strip()
    encoding = encoding_of(text)
    single, part = LIMITS[encoding]
    if units(text, encoding) <= single:
        return [text] if text else []
    return _pack(text, part, encoding)


def split_for_sms(text: str, max_segments: int = 6) -> list[str]:
    """The text as few messages as possible, each at most `max_segments` SMS long.

    Each message is sent as one (concatenated) SMS; a longer reply becomes several
    messages, cut between lines where it can and otherwise between words, so no line of
    a list and no word is split across two messages.
    """
    text = text.strip()
    if not text:
        return []
    encoding = encoding_of(text)
    single, part = LIMITS[encoding]
    if units(text, encoding) <= single:
        return [text]
    capacity = single if max_segments <= 1 else part * max_segments
    return _split_at(text, capacity, encoding, ("\n",))


def _split_at(text: str, capacity: int, encoding: str, separators: tuple[str, ...]) -> list[str]:
    """Pieces of at most `capacity` units, filled line by line; a line too long for a piece is cut between words."""
    if units(text, encoding) <= capacity:
        return [text]
    if not separators:
        return _pack(text, capacity, encoding)
    separator, finer = separators[0], separators[1:]
    pieces: list[str] = []
    current = ""
    for block in text.split(separator):
        candidate = f"{current}{separator}{block}" if current else block
        if units(candidate, encoding) <= capacity:
            current = candidate
            continue
        if current:
            pieces.append(current)
        *full, current = _split_at(block, capacity, encoding, finer) or [""]
        pieces.extend(full)
    if current.strip():
        pieces.append(current)
    return [piece.strip() for piece in pieces if piece.strip()]


# --- buttons as numbered options -------------------------------------------------------------

_NUMBER_WORDS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "first": 1,
    "second": 2,
    "third": 3,
}
_SINGLE_CHOICE = re.compile(
    r"^\s*(?:(?:option|number|no\.?)\s*)?\(?\s*(\d{1,2}|" + "|".join(_NUMBER_WORDS) + r")\s*[).:!]?\s*(?:please)?\s*$",
    re.IGNORECASE,
)
_MANY_CHOICES = re.compile(r"^\s*\d{1,2}(?:\s*(?:,|&|and|\+|\s)\s*\d{1,2})+\s*[.!]?\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class Choice:
    title: str
    payload: str
    numbered: bool = True
    """False when the options were offered in words only, so a bare number is an answer, not a pick."""
    number: Optional[int] = None
    """The number the question itself showed it with, when that is not its place in the list."""


def choices_of(buttons: Optional[Iterable[dict[str, Any]]]) -> list[Choice]:
    found = []
    for button in buttons or ():
        title = str(button.get("title") or "").strip()
        payload = str(button.get("payload") or title).strip()
        if title or payload:
            found.append(Choice(title or payload, payload or title))
    return found


def _listed_in_text(text: str, choices: Sequence[Choice]) -> bool:
    """True when the question already numbers its options itself (like the life areas list)."""
    return bool(listed_numbers(text, choices)) or all(
        re.search(rf"(?m)^{number}[ .)]", text) for number in range(1, len(choices) + 1)
    )


def listed_numbers(text: str, choices: Sequence[Choice]) -> list[Choice]:
    """The choices with the numbers the question's own list gave them ("1 Loneliness", "7 Caring"), or []
    when it has no such list: a reply of "7" must pick what the person saw as 7."""
    numbered = []
    for choice in choices:
        line = re.search(rf"(?m)^(\d{{1,2}})[ .)]\s*{re.escape(choice.title)}\s*$", text)
        if not line:
            return []
        numbered.append(replace(choice, number=int(line.group(1))))
    return numbered


def _one_of(items: Sequence[str]) -> str:
    """ "a", "a or b", "a, b or c"."""
    return ", ".join(items[:-1]) + f" or {items[-1]}" if len(items) > 1 else items[0]


def with_numbered_options(text: str, choices: Sequence[Choice]) -> str:
    """The question followed by its options as numbers to reply with."""
    text = text.strip()
    if not choices or _listed_in_text(text, choices):
        return text
    titles = [gsm_friendly(choice.title) for choice in choices]
    if len(titles) <= 4 and not any("," in title for title in titles):
        listed = [f"{number} for {title}" for number, title in enumerate(titles, start=1)]
        return f"{text}\nReply {_one_of(listed)}."
    lines = "\n".join(f"{number} {title}" for number, title in enumerate(titles, start=1))
    return f"{text}\nReply with a number:\n{lines}"


def with_worded_options(text: str, choices: Sequence[Choice]) -> str:
    """The message followed by its options as words to reply with: used when a question
    follows in the same text, so that a number replied ("2") stays an answer to that question."""
    quoted = ['"' + gsm_friendly(choice.title) + '"' for choice in choices]
    return f"{text.strip()}\nReply {_one_of(quoted)}."


def _plain(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", gsm_friendly(text).lower().replace("'", "")).strip()


def map_reply(reply: str, choices: Sequence[Choice]) -> str:
    """The payload a reply means when it picks one of the options; else the reply unchanged.

    "1", "one", "1.", "(1)", "option 1" and the option's own words pick that option;
    "2 and 4" picks several (joined with commas, as the intake's readers expect).
    """
    if not choices:
        return reply
    if not all(choice.numbered for choice in choices):
        return _by_words(reply, choices)
    by_number = {choice.number or place: choice for place, choice in enumerate(choices, start=1)}
    single = _SINGLE_CHOICE.match(reply)
    if single:
        token = single.group(1).lower()
        picked = by_number.get(int(token) if token.isdigit() else _NUMBER_WORDS[token])
        return picked.payload if picked else reply
    if _MANY_CHOICES.match(reply):
        numbers = list(dict.fromkeys(int(n) for n in re.findall(r"\d{1,2}", reply)))
        if numbers and all(n in by_number for n in numbers):
            return ", ".join(by_number[n].payload for n in numbers)
        return reply
    return _by_words(reply, choices)


def _by_words(reply: str, choices: Sequence[Choice]) -> str:
    plain = _plain(reply)
    for choice in choices:
        if plain and plain in (_plain(choice.title), _plain(choice.payload)):
            return choice.payload
    return reply


# --- keywords and our own copy ---------------------------------------------------------------

STOP_WORDS = frozenset({"STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT"})
START_WORDS = frozenset({"START", "UNSTOP", "RESUME"})
HELP_WORDS = frozenset({"HELP", "INFO"})


def keyword_of(text: str) -> Optional[str]:
    """ "stop", "start" or "help" when the whole text is one of those keywords (any case, stray punctuation)."""
    word = re.sub(r"[^A-Za-z]", "", text or "").upper()
    if len(word) > 12 or len(text.split()) > 1:
        return None
    if word in STOP_WORDS:
        return "stop"
    if word in START_WORDS:
        return "start"
    if word in HELP_WORDS:
        return "help"
    return None


def help_text(team_name: str) -> str:
    return gsm_friendly(
        f"This is What Matters, a text service from {team_name}. We ask a few questions so your "
        "link worker knows what matters to you. Reply to carry on. Reply STOP to stop all texts "
        "from us. For urgent help call 999 or NHS 111."
    )


def start_text(team_name: str) -> str:
    return gsm_friendly(
        f"Thanks, texts from {team_name} are back on. Reply to carry on where you left off, "
        "or HELP for help. Reply STOP at any time to stop them."
    )


def invite_text(team_name: str, link: str) -> str:
    return gsm_friendly(
        f"Hello, this is {team_name}. Before your link worker gets in touch, we'd like to hear "
        f"what matters to you. It takes about 10 minutes. Start here: {link} or reply to this "
        "text to start. Reply STOP to stop texts."
    )
