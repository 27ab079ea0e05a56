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
    "zero": 0,
    "nought": 0,
    "nothing": 0,
    "none": 0,
    "nil": 0,
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
    "first": 1,
    "second": 2,
    "third": 3,
    "fourth": 4,
    "fifth": 5,
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
    # Not scores: ordinals and amounts ("his 30th", "2 years", "5 kids", "at 3pm").
    lowered = re.sub(
        r"\b\d+\s*(st|nd|rd|th|am|pm|years?|yrs?|months?|weeks?|days?|hours?|hrs?|mins?|minutes?|"
        r"kids?|children|grandchildren|kg|lbs?|stone|miles?|%|o'?clock)\b",
        " ",
        lowered,
    )
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
    "yes",
    "y",
    "yeah",
    "yea",
    "yeh",
    "yep",
    "yup",
    "ya",
    "yh",
    "ye",
    "aye",
    "ok",
    "okay",
    "k",
    "kk",
    "sure",
    "please",
    "definitely",
    "certainly",
    "absolutely",
    "course",
    "fine",
    "agree",
    "go",
    "alright",
    "right",
    "correct",
    "true",
    "happy",
    "ready",
    "consent",
    "accept",
    "yess",
    "yesss",
    "probably",
    "ofc",
    "deffo",
    "defo",
    "tak",
    "haan",
    "ha",
    "da",
    "sim",
    "si",
    "oui",
}
_NO = {
    "no",
    "n",
    "nope",
    "nah",
    "na",
    "nay",
    "never",
    "not",
    "don't",
    "dont",
    "wouldn't",
    "won't",
    "disagree",
    "false",
    "refuse",
    "decline",
    "nahi",
    "nie",
    "nu",
    "nao",
    "nein",
    "non",
}
_YES_PHRASES = (
    "i would",
    "i'd like",
    "i would like",
    "that would be",
    "that'd be",
    "i do",
    "i am",
    "go ahead",
    "carry on",
    "let's go",
    "lets go",
    "sounds good",
    "i think so",
    "think so",
    "that's right",
    "thats right",
    "looks good",
    "all good",
    "all correct",
    "send it",
    "that's fine",
    "thats fine",
    "i agree",
    "i'm happy",
    "im happy",
    "suppose so",
    "guess so",
    "go on then",
    "would help",
    "would be nice",
    "would be good",
    "would be great",
    "would be lovely",
    "would be helpful",
    "be a help",
    "maybe yes",
    "yes maybe",
    "i'd appreciate",
    "would appreciate",
    "if possible",
    "if you can",
    "please do",
    "i need someone",
    "i'd need",
    "ok then",
    "okay then",
    "alright then",
    "fine by me",
    "happy to",
    "i'll give it a go",
    "give it a go",
    "give it a try",
    "suppose",
    "i guess",
    "i reckon",
)
_YES_DESPITE_NEGATION = (
    "why not",
    "don't mind",
    "dont mind",
    "do not mind",
    "wouldn't mind",
    "wouldnt mind",
    "no harm",
    "don't see the harm",
    "dont see the harm",
    "don't see why not",
    "dont see why not",
    "no problem",
    "not a problem",
    "no bother",
    "can't hurt",
    "cant hurt",
    "wouldn't hurt",
    "wouldn't say no",
    "wouldnt say no",
    "not against",
    "no objection",
    "no objections",
)
"""Agreement worded with a negative ("why not", "I don't mind"): read before the negative words."""
_NO_PHRASES = (
    "not really",
    "rather not",
    "no thanks",
    "no thank",
    "i don't think so",
    "i dont think so",
    "don't think so",
    "dont think so",
    "don't want",
    "dont want",
    "do not want",
    "not needed",
    "don't need",
    "dont need",
    "do not need",
    "no need",
    "i wouldn't",
    "not at the moment",
    "not now",
    "not for me",
    "i'll be fine",
    "ill be fine",
    "i will be fine",
    "i'll be ok",
    "i'll be okay",
    "i'll manage",
    "ill manage",
    "i can manage",
    "can manage",
    "not necessary",
    "i'm fine alone",
    "im fine alone",
    "fine on my own",
    "fine by myself",
    "ok on my own",
    "okay on my own",
    "prefer to go alone",
    "prefer to go on my own",
    "prefer to go by myself",
    "rather go alone",
    "rather go on my own",
    "rather go by myself",
    "no ta",
    "not bothered",
    "not keen",
    "not fussed",
)
_UNDECIDED = (
    "yes and no",
    "yes or no",
    "not sure",
    "unsure",
    "don't know",
    "dont know",
    "do not know",
    "dunno",
    "idk",
    "depends",
    "hard to say",
    "two minds",
    "maybe",
    "perhaps",
    "possibly",
    "might do",
    "might be",
    "could be",
)
"""Words that leave a yes/no open unless a clearer word goes with them ("maybe yes")."""
_CLAUSE_SPLIT = re.compile(r"[,.;!?]+|\s+(?=but\b)|\s+(?=though\b)|\s+(?=although\b)")


def _has_phrase(text: str, phrases: Iterable[str]) -> bool:
    return any(re.search(rf"(?<![\w']){re.escape(p)}(?![\w'])", text) for p in phrases)


def _strip_phrases(text: str, phrases: Iterable[str]) -> str:
    for phrase in phrases:
        text = re.sub(rf"(?<![\w']){re.escape(phrase)}(?![\w'])", " ", text)
    return text


def _clause_yes_no(clause: str, yes_cues: Sequence[str], no_cues: Sequence[str]) -> Optional[bool]:
    """The leaning of one clause: True, False, or None (no leaning, or both at once)."""
    yes = _has_phrase(clause, _YES_DESPITE_NEGATION)
    rest = _strip_phrases(_strip_phrases(clause, _YES_DESPITE_NEGATION), _UNDECIDED)
    # The question's own words come first: a feeling that asks for company ("nervous",
    # "I wouldn't go alone") outweighs "on my own" in the same clause, unless it is
    # negated ("I'm not nervous").
    if not yes and _has_phrase(rest, yes_cues):
        cues = "|".join(map(re.escape, yes_cues))
        negated = re.search(rf"(?<![\w'])(not|never|\w+n't)\s+(\w+\s+)?({cues})(?![\w'])", rest)
        return negated is None or _has_phrase(rest, [c for c in yes_cues if re.search(r"n't|not|never", c)])
    no = _has_phrase(rest, _NO_PHRASES)
    if not no and not yes and _has_phrase(rest, no_cues):
        return False
    yes = yes or _has_phrase(rest, _YES_PHRASES)
    if yes != no:
        return yes
    if yes and no:
        return None
    # Single words count when they lead the clause ("no, ...", "yeah go on") or the clause is
    # short: a "not" inside a statement ("my eyes are not good") is no answer either way.
    tokens = words(rest)
    if not tokens:
        return True if "👍" in clause else False if "👎" in clause else None
    considered = tokens if len(tokens) <= 4 else tokens[:1]
    yes = any(t in _YES for t in considered) or "👍" in clause
    no = any(t in _NO for t in considered) or "👎" in clause
    return yes if yes != no else None


def parse_yes_no(
    text: str, intent: Optional[str] = None, yes_cues: Sequence[str] = (), no_cues: Sequence[str] = ()
) -> Optional[bool]:
    """True, False or None (unclear or mixed), reading the whole sentence.

    Each clause leans yes, no or neither; the first clause that leans decides
    ("yes, I'd be nervous going on my own" is yes), unless a later clause leans
    the other way ("yes but I'd rather go alone" is mixed: None, so the bot asks
    once more). "Maybe", "not sure" lean neither way ("not sure, probably yes" is yes). `yes_cues` / `no_cues` are a question's own words
    (for "someone to go with you": "nervous" leans yes, "on my own" leans no).
    The NLU intent only breaks a tie.
    """
    lowered = text.lower().replace("\u2019", "'").strip()
    if not lowered:
        return None
    leanings: list[bool] = []
    for clause in (c for c in _CLAUSE_SPLIT.split(lowered) if c and c.strip()):
        leaning = _clause_yes_no(clause.strip(), yes_cues, no_cues)
        if leaning is not None:
            leanings.append(leaning)
    if leanings:
        first = leanings[0]
        return None if any(leaning != first for leaning in leanings[1:]) else first
    if _has_phrase(lowered, _UNDECIDED):
        return None
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
    r"^(no|none|nothing|nope|nah|na|nil|n/?a|nahi|nie|not really|not applicable|no thanks?|no thank you|"
    r"no have|not got|haven'?t|have not|don'?t have)[.! ]*$",
    r"^(i )?(don'?t|do not) have (one|any|a code|a referral code)\b",
    r"^(i have )?no (code|referral|needs|one)\b",
    r"^nothing (really|at all|in particular)\b",
    r"^(none|no) (at all|really)\b",
    r"^not that i know( of)?\b",
)
_NOTHING_IN_SHORT_ANSWER = (
    r"\b(don'?t|do not|didn'?t|did not) (have|get|got|receive|need) (one|any|a code|a referral|it)\b",
    r"\b(don'?t|do not|didn'?t|did not) have\b",
    r"\b(haven'?t|have not|has not|hasn'?t|ain'?t) (got|had|been given|received|one|any)\b",
    r"\bnot (got|given|sent|received) (one|any|a code|a referral)\b",
    r"\b(wasn'?t|was not) (given|sent) (one|a code|any)\b",
    r"\bthere (wasn'?t|isn'?t|was no|is no)\b",
    r"\bno (code|referral code|referral|one|gp|doctor|needs|access needs)\b",
    r"\bnot (registered|with (one|a gp|any( gp)?|a doctor|a practice))\b",
    r"\bnone (at all|that i know)\b",
)
""""No I don't have one", "I'm not registered": read as nothing only in a short answer with no "but"."""


def means_nothing(text: str) -> bool:
    """ "No", "none", "I don't have one": an answer that there is nothing to record.

    A longer answer, or one that goes on ("nobody really, but my son pops in"),
    is kept in the person's words instead.
    """
    lowered = text.lower().replace("\u2019", "'").strip()
    if any(re.search(p, lowered) for p in _NOTHING_PATTERNS):
        return True
    tokens = words(lowered)
    if len(tokens) > 8 or re.search(r"\b(but|except|apart|although|though|only|sometimes)\b", lowered):
        return False
    return any(re.search(p, lowered) for p in _NOTHING_IN_SHORT_ANSWER)


_NOT_REGISTERED = (
    r"\bnot (registered|signed up)\b",
    r"\bnot on (the|any|a|an)( [\w']+)? (list|books|register)\b",
    r"\b(not|never) (been )?(with|at|registered with|registered at|signed up (with|to|at)) (a|any|one|the)\b",
    r"\b(not|never) (with|got|had) (one|a gp|a doctor|any gp|a practice|a surgery)\b",
    r"\b(no |haven'?t (got )?|have not (got )?|don'?t (have|got) |do not have |dont have |without |not got )"
    r"(a |any |an |my own )?(gp|g\.p\.?|doctor|doctors|practice|surgery)\b",
    r"\b(gp|doctor|surgery|practice)\s*(\?|-|:)?\s*(none|no|nope|n/?a)\b",
    r"\b(unregistered|deregistered|de-registered|struck off|taken off)\b",
    r"\bhaven'?t (registered|signed up|got round to registering)\b",
    r"\b(never|not yet) registered\b",
    r"\b(don'?t|do not) think (i'?m|i am|i was ever) registered\b",
    r"\bnot with (anyone|anybody|any of them)\b",
    r"\b(with|at) (no one|nobody|none|no-one)\b",
    r"\b(not any ?more|no longer)\b",
    r"^(none|nowhere|not yet|not currently|not at the moment|not right now|no one|nobody)\b",
)
_STILL_REGISTERED = re.compile(r"\b(not sure|don'?t know|can'?t remember|forgot|forget)\b")
_NOW_WITH = re.compile(r"\b(i'?m|i am|now|changed|switched) (at|with|to) (?!(no|none|nobody|anyone|any|one)\b)\w+")
""""I'm not with them any more, I'm at Riverside now": a practice after all."""


def says_not_registered(text: str) -> bool:
    """ "Not with one", "I'm not registered", "no GP": the person has no GP practice (not: doesn't know its name)."""
    lowered = text.lower().replace("\u2019", "'").strip()
    if _STILL_REGISTERED.search(lowered) and not re.search(r"\bnot registered\b", lowered):
        return False
    if _NOW_WITH.search(lowered):
        return False
    return any(re.search(p, lowered) for p in _NOT_REGISTERED)


_CODE = re.compile(r"(?<![\w-])(?=[\w-]*\d)[A-Za-z0-9][A-Za-z0-9-]{2,19}(?![\w-])")


def parse_code(text: str) -> Optional[str]:
    """A reference code in the text (letters and at least one digit: "WM-4821", "ab12cd"), upper-cased."""
    found = _CODE.search(text.replace("\u2013", "-"))
    return found.group(0).upper() if found else None


_TEN_DIGITS = re.compile(r"(?<![\d-])\d(?:[ -]?\d){9}(?![\d-])")


def nhs_number_valid(digits: str) -> bool:
    """The NHS number's modulus 11 check: weights 10 down to 2 on the first nine digits; 11 less the
    remainder of their sum by 11 is the check digit (11 means 0; 10 means no valid number)."""
    if len(digits) != 10 or not digits.isdigit():
        return False
    remainder = sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1), strict=True)) % 11
    check = 11 - remainder
    check = 0 if check == 11 else check
    return check != 10 and check == int(digits[9])


def parse_nhs_number(text: str) -> Optional[str]:
    """An NHS number as people type it ("943 476 5919", "943-476-5919", "9434765919"): its ten
    digits, or None when there is no ten-digit number or it fails the modulus 11 check."""
    found = _TEN_DIGITS.search(text)
    if not found:
        return None
    digits = re.sub(r"\D", "", found.group(0))
    return digits if nhs_number_valid(digits) else None


def has_digits(text: str) -> bool:
    return re.search(r"\d", text) is not None


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


_NUMBER_ONLY = re.compile(r"(\d{1,2}|" + "|".join(_NUMBER_WORDS) + r"|number|numbers|no|and|or|&|,|\.|\s)+")


def _numbered_choices(text: str, count: int) -> list[int]:
    """Indices picked by number, when the reply is only numbers: "1", "1 and 4", "number two"."""
    lowered = text.lower().strip()
    if not _NUMBER_ONLY.fullmatch(lowered):
        return []
    picked = [int(n) for n in re.findall(r"\d{1,2}", lowered)]
    picked += [_NUMBER_WORDS[t] for t in words(lowered) if t in _NUMBER_WORDS]
    return [n - 1 for n in picked if 1 <= n <= count]


def _match_span(option: Option, text: str) -> Optional[tuple[int, int]]:
    """Where the option's longest label or keyword match lies in the text, if anywhere."""
    lowered = f" {text.lower()} "
    spans = []
    label = lowered.find(option.label.lower())
    if label >= 0:
        spans.append((label, label + len(option.label)))
    for keyword in option.keywords:
        found = re.search(rf"\b{keyword}", lowered)
        if found:
            spans.append(found.span())
    return max(spans, key=lambda span: span[1] - span[0]) if spans else None


def match_options(text: str, options: Sequence[Option], many: bool) -> list[str]:
    """Codes of the options the text names, by number, label or keyword, in option order.

    For a single choice, an option named inside another's longer match gives way
    ("video call" is online, not a phone call); two separate options are ambiguous.
    """
    chosen = {options[i].code for i in _numbered_choices(text, len(options))}
    if not chosen:
        chosen = {option.code for option in options if option.matches(text)}
    ordered = [o.code for o in options if o.code in chosen]
    if not many and len(ordered) > 1:
        spans = {o.code: _match_span(o, text) for o in options if o.code in chosen}
        outer = [
            code
            for code, span in spans.items()
            if span
            and not any(
                other != code and o_span and o_span[0] <= span[0] and span[1] <= o_span[1] and o_span != span
                for other, o_span in spans.items()
            )
        ]
        return outer if len(outer) == 1 else []
    return ordered


def labels_for(codes: Iterable[str], options: Sequence[Option]) -> list[str]:
    by_code = {o.code: o.label for o in options}
    return [by_code.get(code, code) for code in codes]


_NAME_PREFIX = re.compile(
    r"^(hi|hello|hey)?[ ,!]*(my name is|my name's|name's|i am|i'm|im|it's|its|call me|"
    r"you can call me|please call me|just call me|this is)\s+",
    re.IGNORECASE,
)


_NOT_NAMES = (
    _YES
    | _NO
    | {
        "thanks",
        "thank",
        "you",
        "hello",
        "hi",
        "hey",
        "skip",
        "why",
        "help",
        "what",
        "pass",
        "dunno",
        "idk",
        "whatever",
        "nothing",
        "none",
        "nobody",
        "anything",
        "unknown",
        "test",
    }
)


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
