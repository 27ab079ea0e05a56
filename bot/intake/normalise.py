"""Turn what a patient typed into the value we store.

Patients answer in their own words: "7", "seven", "about a 7", "yeah go on",
"1 and 4", "the gym costs too much". These plain functions are the single
place that interprets such answers, so the actions stay thin and every rule
here is unit-tested without Rasa.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Iterable, Optional, Sequence

MAX_ANSWER_CHARS = 2000

_NUMBER_WORDS = {
    "zero": 0, "nought": 0, "nothing": 0, "none": 0, "nil": 0,
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10,
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5,
}


def clean_text(text: Optional[str]) -> str:
    """Normalise white space and strip control characters; keep every script and emoji."""
    if not text:
        return ""
    text = unicodedata.normalize("NFC", str(text))
    kept = []
    for char in text:
        category = unicodedata.category(char)
        if char in "\n\t":
            kept.append(" ")
        elif category.startswith("C") and category != "Cf":
            continue
        else:
            kept.append(char)
    return re.sub(r"\s+", " ", "".join(kept)).strip()


def words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9']+", text.lower())


def parse_scale(text: str, low: int = 0, high: int = 10) -> Optional[int]:
    """Read one whole number on a 0-10 scale from "7", "seven", "7/10", "about a 7".

    Two different numbers ("6 or 7") or a fraction are ambiguous and give None,
    so the bot asks again rather than guess. "7/10" and "7 out of 10" count
    as one number.
    """
    lowered = text.lower().strip()
    lowered = re.sub(r"\b(out of|outta|of|/)\s*(10|ten)\b", " ", lowered)
    lowered = lowered.replace("/", " ")
    if re.search(r"\d+[.,]\d+", lowered):
        return None
    found: list[int] = [int(n) for n in re.findall(r"-?\d+", lowered)]
    for token in words(lowered):
        if token in _NUMBER_WORDS and token not in ("first", "second", "third", "fourth", "fifth"):
            found.append(_NUMBER_WORDS[token])
    distinct = set(found)
    if len(distinct) != 1:
        return None
    value = distinct.pop()
    if low <= value <= high:
        return value
    return None


_YES = {
    "yes", "y", "yeah", "yea", "yep", "yup", "ya", "aye", "ok", "okay", "k", "sure",
    "please", "definitely", "certainly", "absolutely", "course", "fine", "agree",
    "go", "alright", "right", "correct", "true", "happy", "ready", "consent", "accept",
}
_NO = {
    "no", "n", "nope", "nah", "nay", "never", "not", "don't", "dont", "wouldn't",
    "won't", "disagree", "false", "refuse", "decline",
}
_YES_PHRASES = (
    "i would", "i'd like", "i would like", "that would be", "that'd be", "i do", "i am",
    "go ahead", "carry on", "let's go", "lets go", "sounds good", "why not", "i think so",
    "that's right", "thats right", "looks good", "all good", "all correct", "send it",
    "that's fine", "thats fine", "i agree", "i'm happy", "im happy",
)
_NO_PHRASES = (
    "not really", "rather not", "no thanks", "no thank", "i don't", "i dont", "i do not",
    "on my own", "by myself", "i'm fine alone", "not needed", "don't need", "dont need",
    "no need", "i wouldn't", "not at the moment", "not now", "not for me",
)


def parse_yes_no(text: str, intent: Optional[str] = None) -> Optional[bool]:
    """True, False or None (unclear). Phrases beat single words; the NLU intent breaks ties."""
    lowered = text.lower().strip()
    tokens = words(lowered)
    no_phrase = any(p in lowered for p in _NO_PHRASES)
    yes_phrase = any(p in lowered for p in _YES_PHRASES)
    if no_phrase and not yes_phrase:
        return False
    if yes_phrase and not no_phrase:
        return True
    yes = any(t in _YES for t in tokens) or "👍" in text
    no = any(t in _NO for t in tokens) or "👎" in text
    if yes and not no:
        return True
    if no and not yes:
        return False
    if intent == "affirm":
        return True
    if intent == "deny":
        return False
    return None


_SKIP_PATTERNS = (
    r"^(skip|pass|next|n/?a|na|none of your business)\b",
    r"\bskip( this| it| that)?( one| question)?\b",
    r"\b(rather|prefer|want) not (to )?(say|answer|share|tell)\b",
    r"\bprefer not\b",
    r"\bnext question\b",
    r"\bmove on\b",
    r"\bnot (going to|gonna) (say|answer)\b",
    r"\bdon'?t want to (say|answer)\b",
)


def is_skip(text: str) -> bool:
    lowered = text.lower().strip()
    return any(re.search(p, lowered) for p in _SKIP_PATTERNS)


_NOTHING_PATTERNS = (
    r"^(no|none|nothing|nope|nah|n/?a|not really|no thanks?|no thank you)[.! ]*$",
    r"^(i )?(don'?t|do not) have (one|any|a code|a referral code)\b",
    r"^(i have )?no (code|referral|needs|one)\b",
    r"^nothing (really|at all|in particular)\b",
    r"^(none|no) (at all|really)\b",
    r"^not that i know( of)?\b",
)


def means_nothing(text: str) -> bool:
    """"No", "none", "I don't have one": an answer that there is nothing to record."""
    lowered = text.lower().strip()
    return any(re.search(p, lowered) for p in _NOTHING_PATTERNS)


@dataclass(frozen=True)
class Option:
    """One closed answer: a stored code, the label people see and the words that mean it."""

    code: str
    label: str
    keywords: tuple[str, ...] = ()

    def matches(self, text: str) -> bool:
        lowered = f" {text.lower()} "
        if self.label.lower() in lowered:
            return True
        return any(re.search(rf"\b{kw}", lowered) for kw in self.keywords)


_NUMBER_ONLY = re.compile(
    r"(\d{1,2}|" + "|".join(_NUMBER_WORDS) + r"|number|numbers|no|and|or|&|,|\.|\s)+"
)


def _numbered_choices(text: str, count: int) -> list[int]:
    """Indices picked by number, when the reply is only numbers: "1", "1 and 4", "number two"."""
    lowered = text.lower().strip()
    if not _NUMBER_ONLY.fullmatch(lowered):
        return []
    picked = [int(n) for n in re.findall(r"\d{1,2}", lowered)]
    picked += [_NUMBER_WORDS[t] for t in words(lowered) if t in _NUMBER_WORDS]
    return [n - 1 for n in picked if 1 <= n <= count]


def match_options(text: str, options: Sequence[Option], many: bool) -> list[str]:
    """Codes of the options the text names, by number, label or keyword, in option order."""
    chosen = {options[i].code for i in _numbered_choices(text, len(options))}
    if not chosen:
        chosen = {option.code for option in options if option.matches(text)}
    ordered = [o.code for o in options if o.code in chosen]
    if not many and len(ordered) > 1:
        return []
    return ordered


def labels_for(codes: Iterable[str], options: Sequence[Option]) -> list[str]:
    by_code = {o.code: o.label for o in options}
    return [by_code.get(code, code) for code in codes]


_NAME_PREFIX = re.compile(
    r"^(hi|hello|hey)?[ ,!]*(my name is|my name's|name's|i am|i'm|im|it's|its|call me|"
    r"you can call me|please call me|just call me|this is)\s+",
    re.IGNORECASE,
)


_NOT_NAMES = _YES | _NO | {
    "thanks", "thank", "you", "hello", "hi", "hey", "skip", "why", "help", "what", "pass",
    "dunno", "idk", "whatever", "nothing", "none", "nobody", "anything", "unknown", "test",
}


def parse_name(text: str) -> Optional[str]:
    """A short name to call the patient by; None if it doesn't look like one."""
    name = _NAME_PREFIX.sub("", text.strip()).strip(" .!,")
    name = re.sub(r"\s+(please|thanks|thank you)$", "", name, flags=re.IGNORECASE).strip(" .!,")
    if not name or len(name) > 60 or len(name.split()) > 4:
        return None
    if re.search(r"[<>{}\[\]\\/@#$%^*=+|~`0-9]", name):
        return None
    tokens = words(name)
    if tokens and all(token in _NOT_NAMES for token in tokens):
        return None
    return name[:1].upper() + name[1:]


_EMAIL = re.compile(r"[A-Za-z0-9._%+'-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")


def parse_email(text: str) -> Optional[str]:
    found = _EMAIL.search(text)
    return found.group(0).lower() if found else None


def parse_uk_phone(text: str) -> Optional[str]:
    """A UK phone number in E.164 (+44...), from "07700 900123", "+44 7700 900123" and the like."""
    digits = re.sub(r"[^\d+]", "", text)
    if digits.startswith("00"):
        digits = "+" + digits[2:]
    if digits.startswith("+44"):
        national = digits[3:].lstrip("0")
    elif digits.startswith("0"):
        national = digits[1:]
    elif digits.startswith("+"):
        return digits if 8 <= len(digits) <= 16 and digits[1:].isdigit() else None
    else:
        return None
    if not national.isdigit() or not 9 <= len(national) <= 10:
        return None
    return "+44" + national
