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
from functools import cached_property, lru_cache
from typing import Callable, Iterable, Iterator, Mapping, NamedTuple, Optional, Sequence

from bot.intake import people
from bot.intake.spelling import Targets, put_right

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
    "fower": 4,  # Scots
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
}
ORDINAL_WORDS = {
    word: place
    for place, word in enumerate(
        "first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth".split(), start=1
    )
}
"""Ordinals in words: an option picked by its place or number ("the first and the eighth"), never a score."""


def _cardinals(low: int, high: int) -> str:
    """The numbers from `low` to `high` in words, as a pattern's alternatives ("two|three|four")."""
    return "|".join(
        word for word, number in _NUMBER_WORDS.items() if low <= number <= high and word not in ORDINAL_WORDS
    )


_NUMBER_WORDS.update(ORDINAL_WORDS)
_ORDINAL_WORD = re.compile(rf"\b({'|'.join(ORDINAL_WORDS)})\b")


_SPOKEN_MARKS = {"full stop": ".", "comma": ",", "question mark": "?", "exclamation mark": "!", "new line": "."}
_SPOKEN_MARK = re.compile(rf"\s*\b({'|'.join(_SPOKEN_MARKS)})\b", re.IGNORECASE)


def spoken_punctuation(text: str) -> str:
    """Punctuation that voice typing wrote out as words ("yes that's fine full stop"), put back as marks: the words
    are no answer ("stop" declined a consent), and a sentence ends there ("Gary full stop call me after 5")."""
    return _SPOKEN_MARK.sub(lambda found: _SPOKEN_MARKS[found.group(1).lower()], text)


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


def letter_words(text: str) -> list[str]:
    """The words of a text in lower case, letters of any alphabet kept whole ("Siân" is one word, not "si" and "n";
    "don't" one word): for names and for comparing one message with another, where `words`' a-z would split them."""
    return re.findall(r"[^\W_]+(?:'[^\W_]+)*", text.lower())


TITLES = r"mr|mrs|ms|miss|dr"
"""The titles said before a name ("Mrs Khan", "call me Dr Okafor"), as a regex alternation."""

TALKING_WITH = r"(?:speak|talk|chat) (?:to|with)"
"""The words that open a wish to talk with someone ("speak to", "chat with"), as a regex: the gate's request for a
person opens so, and a request to be called that goes on with them asks for a person as well."""

ASKING_SOMEONE = r"(?:could|can|would|will) (?:you|u|ya|someone|somebody|a person|they)"
"""The opening of a request made of someone ("could you ...", "can someone ...", "will they ..."), as a regex: a request
for a call ("can someone ring me") and a request for one of a question's options ("could you ring me?") both open
so."""


_AMOUNT_WORDS = r"two|three|four|five|six|seven|eight|nine|ten|a couple of|a few|several"
"""Number words before a unit ("two years ago"): an amount, not a score."""
_A_HEDGED_SECOND = re.compile(
    r"(?<!\bmaybe )(?<!\bmaybe a )(?<!\bmaybe an )(?<!\bor )\b(\w+)(?:ish)?\W*\s*(?:maybe|mabye|mebbe|maybes|perhaps|possibly|might be|could be|at a push)"
    r"\s+(?:a |an )?(\w+)\b"
)
"""A score, then a second one only hedged ("6 maybe 7", "it's a 5 maybe 6", "about a five, perhaps six"): the first.
Not "maybe 6 maybe 7" nor "6 or maybe 7", which lean neither way and are asked again."""
_SETTLED_ON = re.compile(
    r"\b(?:so|call it|make (?:it|that)|more like|actually|no|\w+ or \w+\W+say)\s+(?:call it\s+|say\s+|more like\s+)?(?:a |an )?(\w+)\W*$"
)
"""The number a wavering or corrected answer comes to at its end ("..., so call it a four", "7 no actually more
like 6", "6 or 7, say 6")."""


_ALWAYS_PUTS_RIGHT = (
    r"scratch\s+that|(?:scrap|forget|ignore)\s+that(?=\s*[,.;:!-])|correction|or\s+rather|i\s+meant|(?:hang|hold)\s+on(?!\s+to\b)|no,?\s+wait|wait,?\s+no|"
    r"no,?\s+sorry|sorry,?\s+i\s+mean|oops|my\s+(?:mistake|bad)(?=\s*(?:[,.;:!-]|$|\d))|i\s+misread|misread\s+it|typo"
)
"""Words that put what came before right wherever they stand, for a score, a choice or a number alike. Each reader
adds its own: a bare "actually" corrects a score but adds to a list; "I mean" corrects a score or a number but says
more of the same beside a choice."""
_PUT_RIGHT_TO = re.compile(
    rf"\b(?:(?:{_ALWAYS_PUTS_RIGHT}|actually|no|nah|i mean|sorry|wait|make (?:it|that))\W+)+(?:more like\s+|say\s+)?"
    r"(?:a |an )?(\w+)(?=\s*[,.;!]|\W*$|\s+(?:if i'?m honest|to be honest|tbh|really|i think|i reckon|honestly)\b)"
)
"""A number put right in mid-sentence ("five, actually four, yesterday was rubbish")."""


def _number_of(token: str) -> Optional[int]:
    """A number said in digits or in words ("4", "four"), or None."""
    return int(token) if token.isdigit() else _NUMBER_WORDS.get(token)


_CORRECTION_WORDS = re.compile(rf"\b(?:{_ALWAYS_PUTS_RIGHT}|no|nah|actually)\b")


def _after_the_last_correction(lowered: str) -> Optional[re.Match[str]]:
    """The one number said after the last word of correction, when a number stands before it too ("4, no actually
    yesterday was alright, 6"); none when two follow it."""
    corrections = [found for found in _CORRECTION_WORDS.finditer(lowered) if re.search(r"\d", lowered[: found.start()])]
    if not corrections:
        return None
    after = list(re.finditer(r"\b(\d{1,2})\b", lowered[corrections[-1].end() :]))
    return after[0] if len(after) == 1 else None


def _last_put_right(lowered: str, said: set[int]) -> Optional[re.Match[str]]:
    """The last number put right (see `_PUT_RIGHT_TO`) that is one of the numbers said. Kept beside
    `_after_the_last_correction`, not folded into it: here the number must follow the words of correction at once, so
    looser words may correct ("5, sorry, 4"); there a number may come later in the clause, so only firm words do
    ("5 sorry it took a while, my daughter is 7" is asked again)."""
    put_right = [found for found in _PUT_RIGHT_TO.finditer(lowered) if _number_of(found.group(1)) in said]
    return put_right[-1] if put_right else None


_ONE_AS_A_WORD = re.compile(
    r"\b(?:the|this|that|which|each|any|every|another|other|last|next|no|some|anxious|happy|worthwhile)\s+one\b|"
    r"\bone\s+(?:of|thing|things|day|days|time|way|another|bit|person|must|should|can|does|has|is|would|could|gets)\b"
)
""""One" that stands for a thing, a day or a person, not a score ("why does the anxious one matter?", "no one
came", "one of those days", "One must not complain")."""


_ANOTHER_SCORE = re.compile(
    r"\b(?:worthwhile|happy|happiness|anxious|anxiety|satisf\w*)(?:\s+(?:one|bit|question))?\s*(?:is|'s|would be|will be|"
    r"at|gets?|i'?d give|=|:)?\s+(?:a |an |about |around )?(?:\d{1,2}|" + "|".join(_NUMBER_WORDS) + r")\b"
)
"""A score given ahead for another of the wellbeing questions ("worthwhile is an 8 before you ask"): set aside when it
stands beside the score asked for."""


_ROUND_THE_CLOCK = r"\b24\s*(?:/|-|x|\s)\s*7\b|\b24\s*/\s*365\b"
"""All the time ("anxious 24/7", "a 24-7 carer"): no score, as a regex piece."""


def parse_scale(text: str, low: int = 0, high: int = 10) -> Optional[int]:
    """Read one whole number on a 0-10 scale from "7", "seven", "7/10", "about a 7".

    Two different numbers ("6 or 7") or a fraction are ambiguous and give None,
    so the bot asks again rather than guess. "7/10" and "7 out of 10" count
    as one number.
    """
    lowered = re.sub(_ROUND_THE_CLOCK, " ", text.lower().strip())  # "I care for mum 24/7, so 3"
    lowered = re.sub(r"\b(out of|outta|of|from|/)\s*(10|ten)\b", " ", lowered)
    # Nor a share of days or a score said of another time ("five days out of seven", "I'd have said 8").
    lowered = re.sub(
        r"\b(?:out of|outta)\s+\w+|\b(?:i'?d|would|i would) have (?:said|given it)\s+(?:a |an )?\w+", " ", lowered
    )
    # Not scores: ordinals and amounts ("his 30th", "2 years", "5 kids", "at 3pm").
    lowered = re.sub(
        rf"\b(?:\d+|{_AMOUNT_WORDS})\s*(st|nd|rd|th|am|pm|years?|yrs?|months?|weeks?|days?|hours?|hrs?|mins?|minutes?|"
        r"kids?|children|grandchildren|kg|lbs?|stone|miles?|%|o'?clock)\b",
        " ",
        lowered,
    )
    # Nor ages and years ("that's just being 84", "since 2019").
    lowered = re.sub(
        r"\b(?:i'?m|i am|being|aged?|turned|turning)\s+(\d{2,3})\b|\b(?:19|20)\d\d\b",
        lambda found: found.group(0) if found.group(1) and int(found.group(1)) <= high else " ",
        lowered,
    )
    lowered = _ONE_AS_A_WORD.sub(" ", lowered)
    lowered = lowered.replace("/", " ")
    if re.search(r"\d+[.,]\d+", lowered):
        return None
    found: list[int] = [int(n) for n in re.findall(r"-?\d+", lowered)]
    # Beside a figure, "nothing" and "one" are words, not scores ("About a 5. Nothing special happened").
    soft = ("nothing", "none", "nil", "one") if found else ()
    for token in words(lowered):
        if token in _NUMBER_WORDS and token not in ORDINAL_WORDS and token not in soft:
            found.append(_NUMBER_WORDS[token])
    distinct = set(found)
    settled = _SETTLED_ON.search(lowered) or _last_put_right(lowered, distinct) or _after_the_last_correction(lowered)
    if len(distinct) > 1 and settled:
        # "On a good day I'd say a five, and this isn't a good day, so call it a four": the one it comes to.
        last = settled.group(1)
        number = _number_of(last)
        distinct = {-1 if number is None else number}
    if len(distinct) > 1 and _ANOTHER_SCORE.search(text.lower()):
        # "7, and I'd say worthwhile is an 8 before you ask": the other question's score is set aside, read on the
        # words as said ("the worthwhile one is a 9": "one" there is no number, and is taken out above)
        return parse_scale(_ANOTHER_SCORE.sub(" ", text.lower()), low, high)
    if len(distinct) == 1 and _HEARD_BESIDE_ANOTHER.search(lowered):
        return None  # "for or five": two numbers, one of them heard as a word
    if not distinct:
        heard = _HEARD_AS_A_WORD.fullmatch(lowered.strip())
        distinct = {_SOUNDS_LIKE_A_NUMBER[heard.group(1)]} if heard else distinct
    if len(distinct) != 1:
        return None
    value = distinct.pop()
    if low <= value <= high:
        return value
    return None


_SOUNDS_LIKE_A_NUMBER = {"for": 4, "fore": 4, "to": 2, "too": 2, "ate": 8}
"""Numbers that voice typing writes as another word ("about a for"): read only as the whole of a short answer."""
_HEARD_BESIDE_ANOTHER = re.compile(
    rf"\b(?:{'|'.join(_SOUNDS_LIKE_A_NUMBER)})\W+(?:(?:or|maybe|perhaps|possibly|a|an)\W+)+"
    rf"(?:\d+|{'|'.join(_NUMBER_WORDS)})\b|"
    rf"\b(?:\d+|{'|'.join(_NUMBER_WORDS)})\W+(?:(?:or|maybe|perhaps|possibly|a|an)\W+)+"
    rf"(?:{'|'.join(_SOUNDS_LIKE_A_NUMBER)})\W*$"
)
"""A sound-alike said as one of two choices ("for or five", "3 or for"): the answer is two numbers, not one."""
_HEARD_AS_A_WORD = re.compile(
    r"\W*(?:(?:about|around|maybe|probably|prob|roughly|say|i'?d say|id say|like|it'?s|its|i'?m|im|a|an|um+|erm*|uh+)"
    rf"\W+)*({'|'.join(_SOUNDS_LIKE_A_NUMBER)})\W*"
)


_WELLBEING_WORDS = {
    "ons_life_satisfaction": r"satisf\w*|life (?:overall|as a whole|satisfaction)",
    "ons_worthwhile": r"worthwhile|worth it",
    "ons_happy": r"happy|happiness",
    "ons_anxious": r"anxious|anxiety",
}
"""The words each wellbeing question is known by, when an answer gives two of them at once."""
_WELLBEING_LOOSE_WORDS = {"ons_life_satisfaction": "life"}
"""A word that names a wellbeing question only beside another question's own word ("life 5, worthwhile 7" asked
how worthwhile): alone it is any answer's word ("my life is a 5 right now")."""
_NAMES_A_WELLBEING_QUESTION = {
    key: re.compile(rf"\b(?:{words})\b", re.IGNORECASE) for key, words in _WELLBEING_WORDS.items()
}


@lru_cache(maxsize=16)
def _scores_of_other_questions(key: str, own_word_said: bool) -> re.Pattern[str]:
    """A word of another wellbeing question than `key` with its number right after; its loose words too when this
    question's own word was said. One pattern per question and case, built once."""
    words = [words for other, words in _WELLBEING_WORDS.items() if other != key]
    if own_word_said:
        words += [loose for other, loose in _WELLBEING_LOOSE_WORDS.items() if other != key]
    return re.compile(
        rf"\b(?:{'|'.join(words)})\b\W*(?:(?:is|was|'s|about|maybe|like|around|probably|prob|more like|i'?d say|say|"
        r"a|an)\s+){0,3}"
        rf"(?:(?!{_ROUND_THE_CLOCK})\d+|{_cardinals(0, 10)})\b"
        r"(?:\s*(?:/|out of|outta|of)\s*(?:10|ten)\b)?",
        re.IGNORECASE,
    )


def _other_scores(text: str, key: str) -> list[re.Match[str]]:
    """The scores of other wellbeing questions than `key` in an answer: a word of another question with its number
    right after, not a word that only shares it ("I'd be happy with a 5"). Empty when `key` is no wellbeing
    question."""
    own = _NAMES_A_WELLBEING_QUESTION.get(key)
    if own is None:
        return []
    return list(_scores_of_other_questions(key, own.search(text) is not None).finditer(text))


def _without(text: str, found: Sequence[re.Match[str]]) -> str:
    """The answer with the scores `found` in it set aside."""
    for score in reversed(found):
        text = text[: score.start()] + " " + text[score.end() :]
    return text


_FEELINGS_OF_A_LIFE = re.compile(r"\W*(?:happy|happiness|worth it)\b", re.IGNORECASE)
"""Another question's words that also say how satisfied one is with life ("happy 7" asked how satisfied): the
feeling, not that question's label, when life satisfaction is asked."""


def _a_bare_label(text: str, score: re.Match[str], key: str) -> bool:
    """Another question's word standing as a label before its number: at the start or after a stop, with no word of
    feeling or degree of its own ("anxious 10", not "very anxious 2" nor "felt anxious 3"), and no stop between the
    word and the number ("happy, about 8/10"); a colon there is a label's ("Anxious: 10")."""
    if re.search(r"[,.;!?]", score.group(0)):
        return False
    before = text[: score.start()]
    if before.strip() and not re.search(r"[,.;:!?]\s*$", before):
        return False
    return not (key == "ons_life_satisfaction" and _FEELINGS_OF_A_LIFE.match(score.group(0)))


_A_NUMBER = re.compile(rf"\d|\b(?:{'|'.join(_NUMBER_WORDS)})\b", re.IGNORECASE)
"""A figure or a number word anywhere."""


class ScoreBesideOthers(NamedTuple):
    """How an answer that also scores other wellbeing questions reads for the one asked."""

    score: Optional[int]
    """This question's score with the others' set aside ("6, and worthwhile maybe 7" asked how satisfied: 6)."""
    only_another: bool = False
    """No score for this question, only another's with its word right before the number ("anxious 10" asked how
    happy): asked again, not read as this question's score."""


def the_score_beside_others(text: str, key: str, low: int = 0, high: int = 10) -> ScoreBesideOthers:
    """An answer's score for `key` when it also scores another wellbeing question. Read before `parse_scale`, which
    sets aside every question's word with its number, this question's too ("anxiety was 10 yesterday, happy 1",
    asked how happy: the 1). No score, and not only another's, when no other question's score was given or `key` is
    no wellbeing question. A feeling then a number ("happy, about 8/10", "very anxious 2", "happy 7" asked how
    satisfied) is not only another's: `parse_scale` reads it."""
    found = _other_scores(text, key)
    if not found:
        return ScoreBesideOthers(None)
    rest = _without(text, found)
    score = parse_scale(rest, low, high)
    if score is not None:
        return ScoreBesideOthers(score)
    labels = all(_a_bare_label(text, other, key) for other in found)
    return ScoreBesideOthers(None, only_another=labels and _A_NUMBER.search(rest) is None)


def the_score_before_a_hedge(text: str, low: int = 0, high: int = 10) -> Optional[int]:
    """The first score of two where the second is only hedged ("6 maybe 7", "it's a 5 maybe 6"): read when the answer
    comes again, after the question was asked once more (said three times, it was skipped). Said once it is asked
    again, as "6 or 7" is: the person may settle on one. Only for an answer `parse_scale` found unclear."""
    lowered = text.lower()
    hedged = _A_HEDGED_SECOND.search(lowered)
    if hedged is None:
        return None
    first, second = _number_of(hedged.group(1)), _number_of(hedged.group(2))
    if first is None or second is None or first == second:
        return None
    return parse_scale(lowered[: hedged.start()] + hedged.group(1) + lowered[hedged.end() :], low, high)


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
    "ys",
    "ar",  # the Black Country's and Yorkshire's yes ("ar, goo on then")
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
    "delighted",  # the twentieth set: "Delighted to" at consent was not understood three times, and ended it
    "gladly",
    "ready",
    "consent",
    "accept",
    "yess",
    "yesss",
    "affirmative",
    "indeed",
    "roger",
    "yas",
    "yrs",  # a slip of the thumb on "yes"
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
    "taip",
    "yse",
    "cool",
    "ight",
    "aight",
    "evet",  # Turkish
    "tamam",
    "ja",
    "naam",  # Arabic
}
_NO = {
    "no",
    "naw",
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
    "nae",
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
    "spose so",
    "s'pose so",
    "s pose so",
    "guess so",
    "bang on",
    "go on then",
    "goo on",
    "be handy",
    "would help",
    "would really help",
    "that'd help",
    "spot on",
    "would be nice",
    "would be good",
    "would be great",
    "would be lovely",
    "would be helpful",
    "be a help",
    "maybe yes",
    "yes maybe",
    "i'd appreciate",
    "i'd love",
    "i would love",
    "love to",
    "with pleasure",
    "count me in",
    "nae problem",
    "nae bother",
    "nae worries",
    "nae danger",
    "would appreciate",
    "should appreciate",
    "should like",
    "would be grateful",
    "should be grateful",
    "he'd need",
    "she'd need",
    "they'd need",
    "would need one",
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
    "may as well",
    "might as well",
    "glad to",
    "suppose",
    "i guess",
    "i reckon",
    "would make it easier",
    "would make things easier",
    "would make it much easier",
    "would make things much easier",
    "would make life easier",
    "make all the difference",
    "makes all the difference",
    "it'd make a big difference",
    "that'd make a big difference",
    "would make a big difference",
    "would make a real difference",
    "would make a huge difference",
    "would make a world of difference",
)
_YES_DESPITE_NEGATION = (
    "why not",
    "don't mind",
    "dont mind",
    "do not mind",
    "wouldn't mind",
    "wouldnt mind",
    "wudnt mind",
    "wudn't mind",
    "wouldnae mind",
    "widnae mind",
    "no harm",
    "don't see the harm",
    "dont see the harm",
    "don't see why not",
    "dont see why not",
    "no problem",
    "not a problem",
    "can't see a problem",
    "cant see a problem",
    "don't see a problem",
    "dont see a problem",
    "don't see any problem",
    "dont see any problem",
    "no bother",
    "nae bother",
    "naw bother",
    "can't hurt",
    "cant hurt",
    "wouldn't hurt",
    "wouldn't say no",
    "wouldnt say no",
    "wouldn't hate it",
    "wouldnt hate it",
    "would not hate it",
    "wouldn't hate that",
    "wouldnt hate that",
    "i'd not hate it",
    "wouldn't hate having",
    "wouldnt hate having",
    "not against",
    "no objection",
    "no objections",
    "not turn them away",
    "not turn it down",
    "wouldn't turn it down",
    "wouldn't turn that down",
    "won't turn it down",
    "wouldn't object",
    "wouldnt object",
    "don't object",
    "dont object",
    "wouldn't turn them away",
    "won't turn them away",
    "no reason not to",
    "no reason why not",
    "can't see why not",
    "cant see why not",
    "not unhappy",
    "no worries",
    "no probs",
    "why aye",  # the North East's yes
    "whey aye",
    "nie ma problemu",  # Polish: no problem
)
"""Agreement worded with a negative ("why not", "I don't mind"): read before the negative words."""
_NO_PHRASES = (
    "count me out",
    "i'll be right",
    "ill be right",
    "i will be right",
    "not really",
    "probably not",
    "prob not",
    "probs not",
    "most likely not",
    "likely not",
    "maybe not",
    "perhaps not",
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
    "shan't need",
    "shant need",
    "shall not need",
    "won't need",
    "wont need",
    "do not need",
    "no need",
    "nae need",
    "nae thanks",
    "nae chance",
    "nt needed",
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
    "not right now",
    "absolutely not",
    "definitely not",
    "certainly not",
    "yeah nah",
    # Unwilling, where "happy to" alone would lean yes ("I'm not happy to do this"). Not "not happy with it" nor "not
    # comfortable with": a yes can hold them, said of the person's life ("yes I'm not happy with it all anymore").
    "not happy to",
    "not comfortable sharing",
    "not willing",
    "do not consent",
    "don't consent",
    "dont consent",
    "do not agree",
    "don't agree",
    "dont agree",
    "prefer not to share",
    "give it a miss",
    "give this a miss",
    "nah ur alright",
    "nah you're alright",
    "nah youre alright",
    "nah your alright",
    "no you're alright",
    "no ur alright",
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
_SOFT_HEDGES = ("maybe", "perhaps", "possibly")
"""The undecided words a leading yes outweighs."""
_FIRMER_DOUBTS = tuple(phrase for phrase in _UNDECIDED if phrase not in _SOFT_HEDGES)


def _yes_then_a_hedge(clause: str) -> bool:
    """A yes that leads, then a soft hedge on the question's own words ("yeah maybe the first time"): still a yes.
    Not "yes and no", nor a doubt stronger than "maybe" ("yes, not sure")."""
    tokens = words(clause)
    return (
        bool(tokens)
        and tokens[0] in _YES
        and has_phrase(clause, _SOFT_HEDGES)
        and not has_phrase(clause, _FIRMER_DOUBTS)
    )


_AGREEING = re.compile(
    r"\b(?:(?:fine|ok|okay|alright|happy) (?:with|to|for|about|by)|good (?:with(?= (?:that|it|this|them|the idea|having|"
    r"someone|somebody|anyone|one)\b)|to|for|about|by))\b(?! me\b| myself\b| english\b| (?:manage|cope|get by)\b| (?:speak|talk|use|try)(?: in)? english\b)"
)
"""Agreement with the offer that holds a declining word ("I'm fine with that"): the question's
no-words do not count. Not "ok for me", "fine by me", "fine with English", "fine to manage": that says something
suits the person as it is ("English ok for me" declines an interpreter), nor "good with maps", a skill."""
_CLAUSE_SPLIT = re.compile(r"[,.;!?]+|\s+-+\s+|\s+(?=but\b)|\s+(?=though\b)|\s+(?=although\b)")
_ASKS_BACK = re.compile(
    r"^(?:(?:but|and|also|so|ok|okay)\s+)?(?:"
    r"(?:what|why|how|when|where|who|which|whats|what's|wat|wot|whit's|fit's)\b|"
    r"(?:do|does|did|is|are|will|would|should|shall) (?:you|i|it|that|this|they|someone|anyone|my|the)\b|"
    r"(?:can|could) (?:i|it|that|this|they|my|the|you (?:explain|tell|say))\b)"
)
_CONFUSED = re.compile(
    r"\b(?:don'?t|do not|didn'?t|did not|no|not) (?:understand|get it|follow)\b|\bconfus\w*|\bwhat do you mean\b"
)
"""A question back or a word of confusion ("what do you mean go with me", "i dont understand"): no
answer either way, whatever words of yes or no it holds; the question is explained and asked again."""


def opens_as_question(text: str) -> bool:
    """Whether a message is worded as a question ("why do you need that", "can I skip this"), whatever it ends with."""
    return "?" in text or _ASKS_BACK.search(text.strip().lower()) is not None


def clauses(text: str) -> list[str]:
    """The clauses of a message, each stripped: split at punctuation and before "but", "though", "although"."""
    return [clause.strip() for clause in _CLAUSE_SPLIT.split(text) if clause and clause.strip()]


def asks_back(text: str) -> bool:
    """Whether a clause (or short message) asks something back instead of answering (see `_ASKS_BACK`)."""
    asking = _ASKS_BACK.search(text.strip()) is not None or _CONFUSED.search(text) is not None
    return asking and not has_phrase(text, _YES_DESPITE_NEGATION)


def not_after(*words: str) -> str:
    """A look-behind for each word, so that a pattern does not match just after any of them ("that would help" is
    no call for help, "on my phone" no way of contact). Python's look-behinds are fixed-width: each word needs its
    own."""
    return "".join(f"(?<!{re.escape(word)} )" for word in words)


@lru_cache(maxsize=8192)
def _standing(phrase: str, unless_not: bool = False) -> re.Pattern[str]:
    """A phrase as whole words (and, with `unless_not`, not followed by "not"), compiled once. The readers build such
    patterns from their phrase lists at every answer; left to `re`'s own cache (512 patterns, fewer than the readers
    use together) they were compiled again turn after turn (README, "Where a turn's time goes")."""
    return re.compile(rf"(?<![\w']){re.escape(phrase)}(?![\w'])" + (r"(?!\s+not\b)" if unless_not else ""))


def has_phrase(text: str, phrases: Iterable[str]) -> bool:
    return any(_standing(p).search(text) for p in phrases)


def _phrases_found(text: str, phrases: Iterable[str]) -> Iterator[re.Match[str]]:
    """Each place a phrase stands, not followed by "not" ("I am" leans yes; "I am not comfortable" does not)."""
    for phrase in phrases:
        yield from _standing(phrase, unless_not=True).finditer(text)


def _has_unnegated(text: str, phrases: Iterable[str]) -> bool:
    """A phrase standing as it is, not doubted (see `_doubted`)."""
    return any(not _doubted(text, found) for found in _phrases_found(text, phrases))


def _has_doubted(text: str, phrases: Iterable[str]) -> bool:
    """A phrase doubted: "I don't think I'd need that" is a no, put gently."""
    return any(_doubted(text, found) for found in _phrases_found(text, phrases))


def _doubted(text: str, found: re.Match[str]) -> bool:
    """Doubted just before ("don't think I'd need") and ending the clause but for what it would need ("that",
    "one"): "I don't think I would cope without someone" doubts the coping, not the offer."""
    return bool(_DOUBTED.search(text[: found.start()])) and _ONLY_AN_OBJECT.fullmatch(text[found.end() :]) is not None


def strip_phrases(text: str, phrases: Iterable[str], leaving: str = " ") -> str:
    for phrase in phrases:
        text = _standing(phrase).sub(leaving, text)
    return text


_CONTRACTIONS = r"(?:do|does|did|ca|could|wo|would|is|are|was|were|has|have|had|should|ai|must|need|might|sha)n'?t"
"""Negating contractions, spelt out: a bare "...nt" ending would take "want", "went" and "content" for a no."""
_NEGATION = rf"(?<![\w'])(?:not|never|hardly|cannot|{_CONTRACTIONS})"
"""A word that turns the question's own words round ("not nervous", "haven't been anywhere on my own")."""


_DOUBTED = re.compile(
    rf"{_NEGATION}\s+(?:really\s+)?(?:think|reckon|suppose|imagine|expect|feel|see)\s+(?:that\s+)?(?:\w+\s+){{0,1}}$"
)
"""A doubt that turns the words after it round: "don't think", "can't see" (then at most one word: "I", "it")."""
_ONLY_AN_OBJECT = re.compile(
    r"\s*(?:(?:that|it|one|someone|somebody|anyone|anybody|them|this|him|her|to|really|tbh|honestly|to be honest|"
    r"though|thanks?|thank you|mate|love|dear|either|at all|anyway)\b\W*)*"
)
"""What may end a clause after a doubted phrase and leave the doubt on the offer: its object and a courtesy
("I don't think I'd need that, thanks"), nothing that says what the phrase is about."""


def _negated(text: str, cues: Sequence[str]) -> bool:
    """Whether one of the question's own words comes within three words after a negation."""
    alternatives = "|".join(map(re.escape, cues))
    return re.search(rf"{_NEGATION}\s+(\w+\s+){{0,3}}({alternatives})(?![\w'])", text) is not None


_PUTTING_OFF = re.compile(r"\b(later|another time|another day|tomorrow|not yet|some other time|next week)\b")


_ALL_OK = re.compile(r"\b(?:that'?s|that is|it'?s|it is) (?:ok|okay|fine|alright|all right)\b")
"""Agreement in a reported answer ("she says yes that's ok"), set aside to see whether the rest is only a yes or no."""
_REPORTED = re.compile(
    r"^(?:(?:she|he|they|we|my \w+|(?:mrs|mr|ms|miss|dr) \w+|\w+)\s+)?(?:says|said|is saying|goes)\s+(?:that\s+)?"
)
"""Someone typing for another person reports their answer: "she says yes that's ok" is read from its "yes"."""


_DOUBT_OPENING = re.compile(
    r"^(?:(?:well|and|but|oh|um|erm|honestly|tbh|to be honest)\s+)*(?:i|she|he|they|we)?\s*(?:really\s+)?"
    r"(?:don'?t|doesn'?t|do not|does not) (?:really )?(?:think|reckon|suppose|imagine|believe|expect) (?:that )?"
    r"(?=(?:i|she|he|they|we)(?:'d| could| can| would| am|'m| is|'s| are| understand| speak)\b|"
    r"(?:my|her|his|their) english\b)"
)
"""A doubt about what the person could do or is ("I don't think I could go alone", "I don't think my English is
good"): the statement after it, turned round, when it ends on the question's own words (`_doubt_turns_round`)."""
_NOT_THE_OFFER = re.compile(
    r"\b(?:need|needs|mind|hurt|without|anyone|anybody|someone|somebody|problem|bother|have|has)\b"
)
"""Words that put the doubt on something else: "I don't think I need one, I speak English", "I don't think I'd mind
going alone", "I don't think I'd cope without someone with me"."""


def _doubt_turns_round(clause: str, cues: Sequence[str]) -> Optional[str]:
    """The statement a doubt turns round (see `_DOUBT_OPENING`), when it ends on one of the question's own words and
    holds none of `_NOT_THE_OFFER`; else None."""
    doubt = _DOUBT_OPENING.match(clause)
    if doubt is None:
        return None
    statement = clause[doubt.end() :]
    if _NOT_THE_OFFER.search(statement):
        return None
    ends_on_a_cue = any(
        _ONLY_AN_OBJECT.fullmatch(statement[found.end() :]) for found in _phrases_found(statement, cues)
    )
    return statement if ends_on_a_cue else None


_GOING = (
    r"(?:go|get|travel|walk|manage|cope|do|face|turn up|attend|head|venture)\w*"
    r"(?: (?:out|there|it|in|along|anywhere|places|(?:in|into|in to|to|round) (?:new |strange )?(?:places|somewhere new|town)))?"
)
_TURNED_DOWN = re.compile(
    rf"(?:(?:not|never|cannot|can not|{_CONTRACTIONS})(?: (?:really|even|like|want|fancy|dare)(?: to)?)? {_GOING}|"
    rf"(?<!n't )(?<!not )(?<!never )(?:hate|dread|can'?t stand|cannot stand|can'?t bear|cannot bear)(?: to)? {_GOING}|"
    rf"(?:not|never|no|{_CONTRACTIONS})(?: (?:be|been|feel|felt))?(?: (?:very|too|so|really|as|always|that|quite))? "
    rf"(?:comfortable|happy|keen|confident|ok|okay|safe|good|brave enough|used to)(?: (?:with|about|on|to|at))?"
    rf"(?: {_GOING})?)\s+$"
)
"""Right before one of the question's words of going alone, going turned down: "I can't go on my own", "I don't
want to go alone", "not very confident going by myself", "no good on my own", "I hate going places alone" ask for
what those words decline; "I cannot leave him alone", "not keen on strangers, I'm ok" do not."""
_AGREEING_TO = re.compile(
    rf"(?:(?:do|does|would)n'?t mind|(?:do|does|would) not mind|no problem|happy|fine|comfortable|confident|ok|okay|used to)"
    rf"(?: (?:to|with|about))?(?: {_GOING})?\s+$"
)
"""Right before one of the question's words of going alone, agreeing to it, with no negation earlier in the clause:
"I wouldn't mind going alone", "I'm happy to go on my own" decline the offer; "fine with somebody, on my own I get
lost" does not."""
_ALONE_WORDS = re.compile(r"\b(?:alone|on (?:my|her|his|their) own|by (?:my|her|him|them)sel(?:f|ves))\b")
_LIVING_ALONE = re.compile(
    r"\b(?:live|lives|living|lived) (?:alone|on (?:my|her|his|their) own|by (?:my|her|him|them)sel(?:f|ves))\b"
)
"""Living alone is a fact about home, not an answer about going alone ("I live alone and I'd like someone to come"):
set aside at the company question, the one question whose words are going alone."""
_SOMEONE_ELSE_COMES = re.compile(
    r"^\W*(no\W+|nah\W+|nope\W+)?(?:but |and |as |because |cos )?(?!(?:i|you|u|someone|somebody|anybody|anyone|one|the link|link|your|a link|a person|"
    r"a volunteer|the volunteer|it|that|this|there|we|no|nah|nope|yes|yeah|yep|so|well|then|what|which)\b)"
    r"((?:my|our|me|ma|mi|the|his|her|a) (?:\w+ )?\w+|\w+)(?:\s+(?:will|is|are)|'ll|'s|'re)\s+"
    r"(?:(?:probably|likely|definitely|prob|deffo|defo|always|usually)\s+)?(?:be\s+)?(?:coming|come|going|go|taking|take)\b"
)
"""Someone of their own who will go with them ("No need, Bethan will be coming with me", "my son'll come"): a fact
about who goes, not a wish for one of the team. At the company question such a clause leans neither way, so "no
need" beside it is a no, as is a no that opens it ("no my husband will come"). Not "a volunteer could come with me"
or "you": those ask for one."""
_FINE_THE_FIRST_TIME = re.compile(
    r"\b((?:be|am|i'?m|feel) (?:\w+ )?(?:fine|ok|okay|alright|all right|grand|good)|manage|cope)"
    r"(?: on my own| by myself| alone)? (?:even )?(?:the|for the) first time\b"
)
"""Managing the first time ("I'll be fine the first time"): the question's own "the first time" is then no wish for
company, so it is taken out of the clause and the rest answers. Its own pattern, not a look-behind on the cue: the
words between ("absolutely fine on my own the first time") have no fixed width."""
_EITHER_WAY = re.compile(
    r"\beither way\b(?!\W*(?:go ahead|carry on|crack on|yes|yeah|ok|okay|fine|i'?m happy|that'?s fine))|\bwhichever\b|"
    r"\beither (?:is|would be|'s) (?:fine|ok|okay)\b"
)
"""No leaning at all: "I don't mind either way" (the bot asks once more). Not "either way go ahead": a yes whatever
the answer to a question asked first."""
_CONTENT_AS_I_AM = re.compile(r"(?<!not )(?<!n't )\b(?:happy|fine|ok|okay|alright|content) as i am\b")
"""Content without what is offered ("No thanks, I'm happy as I am"): a no; not "I'm not happy as I am"."""


@dataclass(frozen=True)
class _Cues:
    """A yes/no question's own words, worked out once a message rather than once a clause."""

    yes: Sequence[str]
    no: Sequence[str]
    both: tuple[str, ...]
    about_going_alone: bool
    """Whether the no-words are going alone (the company question): only there do words around "alone" answer."""
    no_agreeing: tuple[str, ...]
    """The no-words that hold an agreement ("don't mind English"): read before the agreement would be."""

    @classmethod
    def of(cls, yes_cues: Sequence[str], no_cues: Sequence[str]) -> "_Cues":
        return _cues_of(tuple(yes_cues), tuple(no_cues))


@lru_cache(maxsize=64)
def _cues_of(yes_cues: tuple[str, ...], no_cues: tuple[str, ...]) -> _Cues:
    """Worked out once per question: the cue lists are module constants, and this runs on every yes/no message."""
    yes, no = _spelled_every_way(yes_cues), _spelled_every_way(no_cues)
    alone = any(_ALONE_WORDS.search(cue) for cue in no)
    agreeing = tuple(cue for cue in no if has_phrase(cue, _YES_DESPITE_NEGATION))
    return _Cues(yes, no, (*yes, *no), alone, agreeing)


@lru_cache(maxsize=64)
def _spelled_every_way(cues: tuple[str, ...]) -> tuple[str, ...]:
    """A question's cues with each "i'm ..." cue also as "i am ..." and "im ...", and each "i'd ..." as "id ...",
    so a cue list names each wording once ("i'm fine" also hears "I am fine" and "im fine")."""
    spelled = list(cues)
    for cue in cues:
        if cue.startswith("i'm "):
            spelled += [f"i am {cue[4:]}", f"im {cue[4:]}"]
        elif cue.startswith("i'd "):
            spelled.append(f"id {cue[4:]}")  # not "i would": "I don't think I would cope" turns it round
    return tuple(dict.fromkeys(spelled))


def _leaning_of_no_words(clause: str) -> Optional[bool]:
    """At a question whose no-words are going alone, what the words just before the first words of it do to them:
    turn them down (True: "I can't go alone", "she can't go on her own"), agree to them (False: "I don't mind going
    alone"), or neither (None: "Dad is at home on his own")."""
    found = _ALONE_WORDS.search(clause)
    if found is None:
        return None
    before = clause[: found.start()]
    if _TURNED_DOWN.search(before):
        return True
    negated = re.search(rf"{_NEGATION}|\bno\b", before) is not None and re.search(r"\bmind\b", before) is None
    if _AGREEING_TO.search(before) and not negated:
        return False
    return None


_SOMEONE = rf"(?:^|\b(?:and|so|but)\s+)(?:i|she|he|they|we|{people.PARENTS}|my \w+)"
"""The opening of a clause about someone, the speaker or the person they answer for ("and she", "my husband")."""
_SOMEONE_AGREES = re.compile(
    _SOMEONE + r"(?:'m|'s|'re| am| is| are)\s+(not\s+)?"
    r"(?:(?:quite|very|perfectly|really|more than|totally)\s+)?(?:"
    r"(?:happy|content|ok|okay|fine|alright|all right|comfortable|willing) for (?:the team|them|you|it|the link worker|"
    r"the link workers|her|him|my|people|anyone|someone|the practice|the surgery)\b|"
    r"(?:happy|content|willing) to (?:share|go on|go ahead|carry on|continue|have (?:it|them|one|that|my|her|his)|let)\b|"
    r"(?:happy|content|ok|okay|fine|alright|all right|comfortable) with (?:it|that|this|them|you|the team|everything)\b)"
)
"""A clause that says someone is happy with what is asked, in a sentence of its own ("she's happy for the team to
have her answers", "I'm content for them to see it", "mum is fine with that"): a yes, though its yes-word does not
lead the clause; with "not", a no. Not "he's fine with English" (at the interpreter question, a no)."""
_SOMEONE_AGREED = re.compile(
    _SOMEONE + r"(?:'s|'ve| has| have| had)?\s+"
    r"(?:(?:already|now|just|happily|fully)\s+)?(?:(n't|not|never)\s+)?"
    r"(?:agreed|agrees|consented|consents|said yes|says yes|given (?:the |his |her |their |my )?(?:ok|okay|go-ahead|consent|permission))\b"
    r"|" + _SOMEONE + r" (?:(hasn'?t|haven'?t|has not|have not|didn'?t|did not|doesn'?t|does not|won'?t|will not) )"
    r"(?:agreed|agree|consented|consent|said yes|say yes)\b"
    r"|" + _SOMEONE + r" (says no|said no|is saying no)\b(?!\W+(?:he|she|they|i)(?:'ll| will| can| is going to)\b)"
)
"""A clause that says someone has agreed ("I've explained it and he's agreed", "mum has given her consent"): a yes;
negated ("he hasn't agreed") or said no to ("Dad says no he doesn't want to"), a no."""


def _someone_agrees(clause: str) -> Optional[bool]:
    """Whether a clause says someone is happy with what is asked or has agreed to it (True), says they are not or
    have not (False), or says neither (None): agreement whose yes-word does not lead the clause."""
    happy = _SOMEONE_AGREES.search(clause)
    if happy:
        return happy.group(1) is None
    agreed = _SOMEONE_AGREED.search(clause)
    if agreed:
        return not any(agreed.groups())
    return None


_PLAIN_YES_NO = frozenset("yes yeah yep yup aye no nah nope".split())
"""The words that are nothing but an answer, wherever in a short clause they stand."""


def _clause_yes_no(clause: str, cues: _Cues) -> Optional[bool]:
    """The leaning of one clause: True, False, or None (no leaning, or both at once)."""
    yes_cues, no_cues = cues.yes, cues.no
    reported = _REPORTED.sub("", clause)
    if reported != clause and only_yes_no(_ALL_OK.sub(" ", reported)):
        clause = reported
    if asks_back(clause) and not has_phrase(clause, [c for c in cues.both if _CONFUSED.search(c)]):
        return None  # unless the question's own words are these ("don't understand": an interpreter)
    if cues.about_going_alone:
        clause = _FINE_THE_FIRST_TIME.sub(r"\1", _LIVING_ALONE.sub(" ", clause))
        someone_else = _SOMEONE_ELSE_COMES.search(clause)
        if someone_else:
            return False if someone_else.group(1) else None
    if has_phrase(clause, cues.no_agreeing):
        return False  # the question's own no-words that agree to something ("I don't mind English": no interpreter)
    doubted = _doubt_turns_round(clause, cues.both)
    if doubted is not None:
        leaning = _clause_yes_no(doubted, cues)
        if leaning is not None:
            return not leaning
    around_no_words = _leaning_of_no_words(clause) if cues.about_going_alone else None
    if around_no_words is not None:
        return around_no_words
    clause = _CONTENT_AS_I_AM.sub(" no thanks ", clause)
    yes = has_phrase(clause, _YES_DESPITE_NEGATION)
    rest = strip_phrases(strip_phrases(clause, _YES_DESPITE_NEGATION), _UNDECIDED)
    # The question's own words come first: a feeling that asks for company ("nervous",
    # "I wouldn't go alone") outweighs "on my own" in the same clause, unless it is
    # negated ("I'm not nervous").
    if not yes and has_phrase(rest, yes_cues):
        if _PUTTING_OFF.search(clause) or (has_phrase(clause, _UNDECIDED) and not _yes_then_a_hedge(clause)):
            return None  # "I'll start later", "not sure I want to continue": no answer from the question's words
        if _negated(rest, yes_cues):
            return has_phrase(rest, [c for c in yes_cues if re.search(r"n't|not|never", c)])
        # "No my husband will come with me": a plain no before the question's own words leaves it open.
        return None if words(rest)[:1] in (["no"], ["nah"], ["nope"]) else True
    no = has_phrase(rest, _NO_PHRASES)
    if not no and not yes and not _AGREEING.search(rest) and has_phrase(rest, no_cues):
        if _negated(rest, no_cues):
            return None  # "I haven't been anywhere on my own in ages": the question's no-words, negated
        return False
    # Read on the clause with its words of doubt still in it: "I am not sure" leans neither way.
    # A yes-phrase inside a no-phrase is no yes ("think so" in "I don't think so").
    # The no-phrase leaves a "not" behind, so "I am" before it stays negated ("I am not happy to do this").
    no_phrases_out = strip_phrases(strip_phrases(clause, _YES_DESPITE_NEGATION), _NO_PHRASES, leaving=" not ")
    yes = yes or _has_unnegated(no_phrases_out, _YES_PHRASES)
    no = no or (not yes and _has_doubted(rest, _YES_PHRASES))
    if yes and not no and has_phrase(clause, _FIRMER_DOUBTS) and words(clause)[:1] not in [[w] for w in _PLAIN_YES_NO]:
        return None  # "I am 78 and I am not sure what this is about": the doubt, not the "I am"
    if yes != no:
        return yes
    if yes and no:
        return None
    # Single words count when they lead the clause ("no, ...", "yeah go on") or the clause is
    # short: a "not" inside a statement ("my eyes are not good") is no answer either way.
    tokens = words(rest)
    if not tokens:
        return True if "👍" in clause else False if "👎" in clause else None
    agrees = _someone_agrees(rest)
    if agrees is not None:
        return agrees
    considered = tokens if len(tokens) <= 4 else tokens[:1]
    if 4 < len(tokens) <= 6 and tokens[-1] in _PLAIN_YES_NO and tokens[-2] != "say":  # not "I'd not say no"
        considered = [tokens[0], tokens[-1]]  # a short clause may end on its answer ("for the first one yeah")
    yes = any(t in _YES for t in considered) or "👍" in clause
    no = any(t in _NO for t in considered) or "👎" in clause
    return yes if yes != no else None


_NOT_A_THING = re.compile(
    r"^\W*(?:but |and |just |only )?not (?!(?:really|needed|necessary|required|now|yet|today|sure|at|for|me|that|this|it|"
    r"so|much|keen|fussed|bothered|interested|right|quite|particularly|especially|necessarily|just|too|very|exactly|any|"
    r"anymore|unless|if|a|bad|good|fine|ok|okay|great|ideal|want|wanted|need|happy|comfortable|likely|"
    r"probably|personally|myself|yes|no|on this|on your|one bit|atm|essential|needing|bovvered)\b)\w"
)
"""A clause that turns down one thing beside a yes ("yes please, Cantonese, not Mandarin", "but not on speaker"): it
says which, not no; words of no after "not" ("not needed", "not for me", "not really") still answer. Read only after
a clause that says yes: "not essential" alone is a no."""


_COURTESY = ("please", "pls", "plz", "thanks", "thank you", "thx", "ta", "cheers")
_WORDS_OF_AGREEING = ("ok", "okay", "yes", "yeah", "sure", "fine", "alright", "right", "aye")
"""The plainest words of `_YES`, said in passing before what a person goes on to say ("ok call me tomorrow")."""
_COURTESY_OR_AGREEING = "|".join((*_COURTESY, *_WORDS_OF_AGREEING))
"""Either, as one alternation: what may come before a name or a time to ring without being part of it."""
_TEXTED_AGREEING = "yep|yup|thank u"
"""The texted forms of those, said in passing before a name ("yep, it's Sam")."""
_ANSWER_FILLER = frozenset(
    "i guess suppose then thank you that it would be really mate love so well oh er um".split() + list(_COURTESY)
)


def without_courtesy(text: str) -> str:
    """The text without a closing "please" or "thanks" ("Urdu please", "call me Dave thanks")."""
    courtesy = "|".join(map(re.escape, _COURTESY))
    return re.sub(rf"[\s,]+({courtesy})$", "", text, flags=re.IGNORECASE)


def only_yes_no(text: str) -> bool:
    """True when every word of the message is a way of saying yes, no or unsure ("wouldn't hurt i guess",
    "yes please", "nah"): such a message holds nothing but the answer, whatever a classifier makes of it."""
    lowered = text.lower().replace("\u2019", "'")
    rest = strip_phrases(lowered, (*_YES_DESPITE_NEGATION, *_YES_PHRASES, *_NO_PHRASES, *_UNDECIDED))
    return bool(words(lowered)) and all(t in _YES or t in _NO or t in _ANSWER_FILLER for t in words(rest))


_CONCLUSION = re.compile(
    r"(?:^|[\s,.;:!-])(?<!think )(?<!thinks )(?<!feel )(?<!not )(?<!if )(?<!n't )(?<!really )"
    r"(?:so|therefore|hence|which means|meaning)\s+((?:yes|yeah|yep|yup|aye|no|nah|nope)\b[^,.;:!?]*?)[\s,.;:!?]*$"
)
"""A plain yes or no drawn at the end from what was said: "my son goes with me everywhere so no" is a no, whatever
the question's words before it lean to. Not "so" as a word of degree ("not so sure") or of "think so"."""


_IF_YOU_LIKE = re.compile(
    r"^\W*(?:(?:ok|okay|well|yeah|yes|aye|i suppose|suppose)\W+)?(?:only )?if (?:i have to|i must|need be|needs be|"
    r"you like|you want|you wish)\W*(?:then|lol|x+)?\W*$"
)
"""A reluctant or easy-going yes that is the whole answer ("if I have to", "If you like."). Beside anything else ("if
you want my honest answer, no") it is left to the rest of the message."""


_NO_THEN_ALL_RIGHT = re.compile(
    r"^(\W*(?:no|naw|nah|nope|no thanks?|no thank you))\W+(?:(?:(?:it|that|i)(?:'s|s| is|'m|m| am)|am) (?:ok|okay|fine|alright|all right|good)|"
    r"all (?:good|fine|ok|okay))"
    r"(?:\W+(?:thanks?|thank you|ta|love|x+))?\W*$"
)
"""A no, then only that all is well ("no, it is ok", "nah I'm good thanks"): to an offer, a no, not a no and a yes.
Not to "are you happy to go on?" or "is this right?", where "no, that's fine" may mean "no problem"."""
_YOU_RE_ALRIGHT = re.compile(
    r"^\W*(?:(?:no|nah|naw|nope|no thanks?|no thank you)\W+)?(?:you'?re|youre|your|yer|ur|you are) "
    r"(?:alright|all right|fine|ok|okay)(?:\W+(?:thanks?|thank you|ta|love|pet|hun|mate|though|really|honestly|x+))*"
    r"[\s.!]*$"
)
"""To an offer, the British way of turning it down kindly, said alone ("no, you're alright", "you're fine thanks"):
a no thanks. Not "yes, if you're alright to come", "yes if you're ok", "hope you're fine", which ask after or
thank the helper, nor "you're alright?", a question."""


_WOULD_NOT = re.compile(
    r"\b(?:(i|you|we|he|she|they)(?:'d|d| would)|would) not\s+(?=(?:mind|say no(?! to (?:going|being|doing|goin)\b)|object|turn (?:it|that|them) down)\b)",
    re.IGNORECASE,
)
"""Agreement said with "would not" written out ("I'd not mind a group", "I would not say no"): read as the
"wouldn't" the readers know, which they read as a yes ("I would not mind" was read as a no, "I'd not mind a group"
as one-to-one)."""


def agreement_spelled_short(text: str) -> str:
    """The text with "I'd not mind", "would not say no" and the like written "I wouldn't mind", "wouldn't say no"
    (see `_WOULD_NOT`); the case of the rest is kept."""
    return _WOULD_NOT.sub(lambda found: f"{found.group(1) or ''} wouldn't ".lstrip(), text.replace("\u2019", "'"))


_KNOW_HEARD_FOR_NO = re.compile(
    r"^\W*know(?=\W*$|\W+(?:thanks|thank you|ta|cheers|i'?m not|im not|i am not|i don'?t|i dont|i do not|not|way|"
    r"chance|need)\b)"
)
"""Voice typing's "know" for "no", opening an answer ("know thanks", "Know I'm not"); not "know what, yes"."""


def parse_yes_no(
    text: str,
    intent: Optional[str] = None,
    yes_cues: Sequence[str] = (),
    no_cues: Sequence[str] = (),
    offer: bool = False,
) -> Optional[bool]:
    """True, False or None (unclear or mixed), reading the whole sentence.

    Each clause leans yes, no or neither; the first clause that leans decides
    ("yes, I'd be nervous going on my own" is yes), unless a later clause leans
    the other way ("yes but I'd rather go alone" is mixed: None, so the bot asks
    once more). "Maybe", "not sure" lean neither way ("not sure, probably yes" is yes). `yes_cues` / `no_cues` are a question's own words
    (for "someone to go with you": "nervous" leans yes, "on my own" leans no).
    The NLU intent only breaks a tie. To an `offer` ("would you like..."), "no, it's ok" can only decline it.
    """
    lowered = _KNOW_HEARD_FOR_NO.sub("no", agreement_spelled_short(text.lower()).strip())
    if not lowered:
        return None
    if _IF_YOU_LIKE.fullmatch(lowered):
        return True
    if re.fullmatch(r"\W*negative\W*", lowered):
        return False  # the radio's no, alone ("yes, nothing negative" is a yes)
    if offer:
        lowered = _NO_THEN_ALL_RIGHT.sub(r"\1", _YOU_RE_ALRIGHT.sub("no thanks", lowered).strip())
    if _EITHER_WAY.search(lowered):
        return None
    conclusion = _CONCLUSION.search(lowered)
    if conclusion and conclusion.start() > 0 and only_yes_no(conclusion.group(1)):
        concluded = parse_yes_no(conclusion.group(1))
        if concluded is not None:
            return concluded
    cues = _Cues.of(yes_cues, no_cues)
    put_right = _last(_PUT_RIGHT_YES_NO, lowered)
    if put_right:
        # "no wait, yes I would", "yes, oops I mean no": what the person settles on, once it leans
        settled = [_clause_yes_no(clause, cues) for clause in clauses(lowered[put_right.end() :])]
        settled = [leaning for leaning in settled if leaning is not None]
        if settled and all(leaning == settled[0] for leaning in settled):
            return settled[0]
        if not settled and has_phrase(lowered[put_right.end() :], _UNDECIDED):
            return None  # "no but actually I'm not sure": the no is taken back, and nothing settled on
    leanings: list[bool] = []
    for clause in clauses(lowered):
        leaning = _clause_yes_no(clause, cues)
        if leaning is False and leanings[:1] == [True] and _NOT_A_THING.match(clause):
            continue  # "yes please, Cantonese, not Mandarin": which, beside a yes
        if leaning is not None:
            leanings.append(leaning)
    if leanings:
        first = leanings[0]
        return None if any(leaning != first for leaning in leanings[1:]) else first
    if has_phrase(lowered, _UNDECIDED) or any(asks_back(c) for c in clauses(lowered)):
        return None
    if intent == "affirm":
        return True
    if intent == "deny":
        return False
    return None


_SKIPPING_SOMETHING_ELSE = (
    r"(?!\s+(?:(?:my|the|a|some|most) )?(?:dinner|lunch|breakfast|tea|meals?|food|eating|meds|medication|tablets|school|"
    r"class(?:es)?|appointments?|rent|payments?|bills?|gym|church|days)\b)"
)
"""After "skip": something in the person's life they skip ("I skip my dinner to make it stretch"), not the question."""
PASS_OR_NEXT = (
    r"(?:pass(?!\s+(?:my|his|her|their|our|an?|some|all|both|exams?|tests?|time|out|away|on (?:my|the|it to)|"
    r"one (?!(?:please|pls|thanks|question|too|x)\b)\w+|"
    r"the (?:test|tests|exam|exams|course|time|days?|driving|theory|practical|ball|salt|hours?))\b)|"
    r"next(?!\s+(?:week|weekend|month|year|few|couple|bus|train|summer|spring|autumn|winter|christmas|easter|of kin|door|to|job|"
    r"time (?!(?:maybe|perhaps|please|pls|thanks)\b)\w+|steps? (?:is|are|would|for me|in)|\w+day)\b))\b"
)
""""Pass" and "next" said to leave a question ("pass mate", "next, dunno", "pass the question"), not the start of an
answer ("Pass my driving test", "next week I have my op", "Next of kin is my daughter", "pass the time knitting")."""
_SKIP_PATTERNS = (
    rf"^(skip|n/?a|na|none of your business)\b{_SKIPPING_SOMETHING_ELSE}",
    rf"^{PASS_OR_NEXT}",
    rf"\bskip( this| it| that)?( one| question)?\b{_SKIPPING_SOMETHING_ELSE}",
    r"\b(rather|prefer|want) not (to )?(say|answer|share|tell|put|give|type|write|enter)\b",
    r"\b(?:rather|prefer) not (?:to )?(?:go into|get into|talk about|discuss|go there)\b",
    r"\b(can|could|may) (i|we) (leave|miss) (it|that|this)( one| out| for now| blank)?\b",
    r"\bprefer not\b",
    r"\bnext question\b",
    r"\bmove on\b",
    r"\bnot (going to|gonna) (say|answer)\b",
    r"\bdon'?t want to (say|answer)\b",
)


def is_skip(text: str) -> bool:
    lowered = text.lower().strip()
    return any(re.search(p, lowered) for p in _SKIP_PATTERNS)


_NOTHING_WORD = (
    r"^(no thank you|no thanks?|no have|not applicable|not really|(?:probably|prob|probs) not|not got|have not|haven'?t|don'?t have|"
    r"nothing|nothin|nowt|nought|nada|zilch|none|nane|naw|nope|nahi|nah|nil|nie|dim|n/?a|na|n|(?:i )?don'?t think so|no)(?![\w'/])"  # longest first: the rest must add nothing
)
"""An answer's first words saying there is nothing ("none", "not really", "n/a")."""
_NOTHING_PATTERNS = (
    _NOTHING_WORD,
    r"^(i )?(don'?t|do not) have (one|any|a code|a referral code)\b",
    r"^(i have )?no (code|referral|needs|one)\b",
    r"^nothing (really|at all|in particular|like that|of the (sort|kind))\b",
    r"^(none|no) (at all|really)\b",
    r"^not that i know( of)?\b",
)
"""The start of an answer that there is nothing to record; what follows it must add nothing (below)."""
_ADDS_NOTHING = re.compile(
    r"(?:[\s,.!?;:-]|\b(?:no|none|nane|naw|(?:nothing )?like that|nothing of the (?:sort|kind)|nothing|not really|really|at all|thanks?|thank you|ta|cheers|sorry|for me|"
    r"i'?m (?:fine|ok|okay|good|alright)|all (?:fine|good|ok)|that i know(?: of)?|as far as i know|in particular|"
    r"to be honest|tbh|i think|i don'?t think so|not at the moment|at the moment|right now|x+)\b)*"
)
"""What may follow "none" without adding a need: "none for me", "not really, no", "no, I'm fine thanks"."""
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


def starts_with_nothing(text: str) -> bool:
    """ "Nothing really, just want to get out more": the answer opens by saying there is nothing."""
    return re.search(_NOTHING_WORD, text.lower().replace("\u2019", "'").strip()) is not None


def means_nothing(text: str) -> bool:
    """ "No", "none", "I don't have one": an answer that there is nothing to record.

    A longer answer, or one that goes on ("nobody really, but my son pops in"),
    is kept in the person's words instead.
    """
    lowered = re.sub(r"[^\w\s'/,.!?-]", " ", text.lower().replace("\u2019", "'")).strip()  # "nope 🙅"
    for pattern in _NOTHING_PATTERNS:
        start = re.search(pattern, lowered)
        if start and _ADDS_NOTHING.fullmatch(lowered[start.end() :]):
            return True
    tokens = words(lowered)
    if len(tokens) > 8 or re.search(r"\b(but|except|apart|although|though|only|sometimes)\b", lowered):
        return False
    return any(re.search(p, lowered) for p in _NOTHING_IN_SHORT_ANSWER)


_NOT_REGISTERED = (
    r"\b(?:not|never) (registered|register|signed up)\b",
    r"\b(?<!no )(?<!not )(?:waiting|trying|going|need|needs|have|got) (?:to|2) (?:register|sign up)\b(?!\s*\?)",
    r"\bnot (?:got|gotten|gone) round to (?:registering|signing up)\b",
    r"\b(?:no|nae|naw) (?:registered|signed up)(?: (?:wi|with|to|at) (?:one|any|a gp|a doctor|anybody|anyone))?\b"
    r"(?! (?:at|with|to|wi)\b)",
    not_after("rather", "can", "would") + r"\b(?:not|no) have (?:a |any )?(?:gp|doctor|doctors|practice|surgery)"
    r"(?: here| in (?:the )?uk| now| yet)?(?=\W*$|\s*[,.;!])",
    r"\bnot on (the|any|a|an)( [\w']+)? (list|books|register)\b",
    r"\b(not|never) (been )?(with|at|registered with|registered at|signed up (with|to|at)) (a|any|one|the)\b",
    r"\b(not|never) (with|got|had) (one|a gp|a doctor|any gp|a practice|a surgery)\b",
    r"\b(no |haven'?t (got )?|have not (got )?|don'?t (have|got) |do not have |dont have |dnt (have|hav|got) |without |"
    r"not got )"
    r"(a |any |an |my own )?(gp|g\.p\.?|doctor|doctors|practice|surgery)\b",
    r"\b(gp|doctor|surgery|practice)\s*(\?|-|:)?\s*(none|no|nope|n/?a)\b",
    r"\b(unregistered|deregistered|de-registered|struck off|taken off)\b",
    r"(?:^\W*|\b(?:got|get|getting|was|were|been|i'?ve been) )(?:kicked|thrown|chucked|booted|removed|struck|took|taken) off\b"
    r"(?!\s+(?:at|about|over|with|on)\b)"  # not "kicked off at reception about the waiting list"
    r"[\w' ]{0,40}?\b(?:list|books|register)\b",  # "got kicked off Elm Tree surgery's list"
    r"\b(?:kicked|struck|threw|thrown|chucked|booted|took|taken|removed) (?:me|us) off\b",  # "my old gp kicked me off"
    r"^\W*(?:nothing|none|nowhere|no|nope|nah)\b[^.?]*\b(?:since|after|when)\b[^.?]*\b(?:shut|closed)\b",
    r"^[^.;]{0,40}\bso,? (?:no|none|nope|nah)\W*$",  # "I'm homeless so no", "been in prison, so no."
    r"\b(?:was|used to be) my (?:gp|doctors?|surgery|practice)\b[^.?]*\b(?:shut|closed)\b",  # "Hillside was my doctors but its shut now"
    r"^\W*(?:no|nope|nah)\W+(?:it|they|that|the surgery|the practice) (?:shut|closed)(?: down)?\W*$",  # "no. it closed."
    r"\bbetween (doctors|gps|practices|surgeries)\b",
    r"^\W*(haven'?t|have not|not) got (one|1)\b|\bnever (signed up|registered)\b",
    r"\b(?<!no )(?<!not )(?<!dont )(?<!don't )need to (sign up|register|find a (new )?(gp|doctor|practice))\b",  # not "so no need to register"
    r"\bhaven'?t (registered|signed up|got round to registering)\b",
    r"\b(?:did not|didn'?t|did n't) (?:register|sign up)\b",
    r"\b(never|not yet) registered\b",
    r"\b(don'?t|do not) think (i'?m|i am|i was ever) registered\b",
    r"\bnot with (anyone|anybody|any of them)\b",
    r"\b(with|at) (no one|nobody|none|no-one)\b",
    r"\b(not any ?more|no longer)\b",
    r"^(none|nowhere|not yet|not currently|not at the moment|not right now|no one|nobody)\b",
    r"^\W*(?:no,? )?(?:i |me )?(?:don'?t|do not|dont|dnt|not) (?:have|hav|got)(?: (?:one|1|any))?"
    r"(?: (?:yet|at the moment|atm|right now|now))?\s*(?:[.;!](?!\.)|$)",  # "I don't have.", "dnt have 1 yet"
)
_STILL_REGISTERED = re.compile(r"\b(not sure|don'?t know|can'?t remember|forgot|forget)\b")
_NOW_WITH = re.compile(
    r"\b(i'?m|i am|now|changed|switched|(?:i'?m |now )registered) (at|with|to) "
    r"(?!(no|none|nobody|anyone|any|one|my|me|his|her|them|us|it)\b)"
    r"(?!(the |a )?(food ?bank|a ?& ?e|a and e|hospital|library|hostel|shelter|home|work|church|mosque|temple)\b)\w+"
)
""""I'm not with them any more, I'm at Riverside now": a practice after all. Not a place the person is
at today ("I dont have doctor. I am at food bank now"), nor who or what they are with ("now with my wrist")."""


def says_not_registered(text: str) -> bool:
    """ "Not with one", "I'm not registered", "no GP": the person has no GP practice (not: doesn't know its name)."""
    lowered = text.lower().replace("\u2019", "'").strip()
    if _STILL_REGISTERED.search(lowered) and not re.search(r"\bnot registered\b", lowered):
        return False
    if _NOW_WITH.search(lowered):
        return False
    return any(re.search(p, lowered) for p in _NOT_REGISTERED)


_CODE = re.compile(r"(?<![\w-])(?=[\w-]*\d)[A-Za-z0-9][A-Za-z0-9-]{2,19}(?![\w-])")


_SPACED_CODE = re.compile(r"^\W*([A-Za-z]{2,4})\s+(\d{3,8})\W*$|\b([A-Z]{2,4})(?:\s+|\s*-\s*)(\d{3,8})\b")
"""Letters and digits typed with a space between ("SH 2094", or "sh 2094" alone): one code, joined by a dash."""
_NO_CODE = re.compile(
    r"\b(?:don'?t|do not|dont|not sure|no idea|dunno|never)\b.{0,20}\b(?:know|remember|got|get|had|have|idea)\b|"
    r"\b(?:can'?t|cannot|couldn'?t|could not) (?:find|see|remember|read)\b|\blost (?:it|the letter|the code|my)\b|"
    r"\b(?:didn'?t|did not|never) (?:get|got|receive|have|see|give|gave|send|sent)\b|"
    r"\bno (?:letter|invitation|invite|text|idea)\b|\bwhat(?:'?s| is)? (?:a |that |the )?(?:referral )?code\b|"
    r"^\W*(?:dunno|idk|not sure|no idea|n/?a)\W*$"
)
"""No code to give ("dont know", "can't find the letter", "my GP rang me, didn't get a letter")."""


def parse_code(text: str) -> Optional[str]:
    """A reference code in the text (letters and at least one digit: "WM-4821", "ab12cd"), upper-cased.

    Two different codes ("KH-1234 or KH-1243, can't read my writing") are no code: asked again, unless the second
    puts the first right ("WK29... no hang on, WK2291")."""
    text = _ORDINAL.sub(" ", text.replace("\u2013", "-"))
    spaced = list(_SPACED_CODE.finditer(text))
    found = [(m.span(), f"{m.group(1) or m.group(3)}-{m.group(2) or m.group(4)}".upper()) for m in spaced]
    found += [
        (m.span(), m.group(0).upper())
        for m in _CODE.finditer(text)
        if not any(s.start() <= m.start() and m.end() <= s.end() for s in spaced)
    ]
    if len({code.replace("-", "") for _, code in found}) == 1:
        return max((code for _, code in found), key=len)
    found.sort()
    between = text[found[0][0][1] : found[-1][0][0]] if len(found) == 2 else ""
    if _PUT_RIGHT_FIRMLY.search(between) and not _IN_DOUBT.search(text[found[0][0][1] :]):
        return found[1][1]  # "WK29... no hang on, WK2291"; not "WM-4821 sorry, or maybe WM-4281"
    return None


_ORDINAL = re.compile(r"\b\d{1,2}(?:st|nd|rd|th)\b", re.IGNORECASE)
_PUT_RIGHT_FIRMLY = re.compile(rf"\b(?:{_ALWAYS_PUTS_RIGHT}|no,?\s+(?:it'?s|its|it is))\b", re.IGNORECASE)
"""Between two codes, words that put the first right for certain: a code is copied from a letter, so a bare "sorry" or
"actually" may only be doubt ("WM4821 actually it might be WM4281")."""
_IN_DOUBT = re.compile(r"\b(?:maybe|might|or|possibly|perhaps|could be|not sure|said)\b", re.IGNORECASE)


def has_no_code(text: str) -> bool:
    """Whether the person says they have no code or cannot find it (see `_NO_CODE`)."""
    return _NO_CODE.search(text.lower().replace("\u2019", "'")) is not None and not _CODE.search(text)


_TEN_DIGITS = re.compile(r"(?<![\d-])\d(?:[ .-]?\d){9}(?![\d-])")
"""Ten digits, grouped by spaces, dashes or dots as people type them ("943 476 5919", "376.018.9555")."""


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
    """An NHS number as people type or say it ("943 476 5919", "943-476-5919", "nine four three, four seven six..."):
    its ten digits, or None when there is no ten-digit number or it fails the modulus 11 check."""
    found = _TEN_DIGITS.search(digits_for_words(text, nhs_number_valid))
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
    read_label: bool = True
    """False where the keywords hold the only reading of the label's word ("Time" is read as "time", never in "all
    the time"): the label is shown, not read."""

    @property
    def said(self) -> str:
        """The label as read in what people say: lower case, or nothing (see `read_label`)."""
        return self.label.lower() if self.read_label else "\x00"

    @cached_property
    def said_whole(self) -> re.Pattern[str]:
        """The label as whole words only: "group" is not read in "groups" nor "join a group" in "rejoin a group".
        Built once per option: it is read on every answer to a choice."""
        return re.compile(rf"(?<!\w){re.escape(self.said)}(?!\w)")

    @cached_property
    def keywords_read(self) -> tuple[re.Pattern[str], ...]:
        """The keywords, each read from a word's start, compiled once per option as `said_whole` is."""
        return tuple(re.compile(rf"\b{keyword}") for keyword in self.keywords)

    def keyword_spans(self, lowered: str) -> list[tuple[int, int]]:
        """Every place a keyword is read in the lowered text."""
        return [found.span() for keyword in self.keywords_read for found in keyword.finditer(lowered)]

    def matches(self, text: str) -> bool:
        lowered = f" {text.lower()} "
        if self.said in lowered:
            return True
        return any(keyword.search(lowered) for keyword in self.keywords_read)


_NUMBER_ONLY = re.compile(
    r"(\d{1,2}|" + "|".join(_NUMBER_WORDS) + r"|number|numbers|no|and|n|an|or|also|plus|\+|&|,|\.|\?|!|-|/|\s|"
    r"maybe|probably|perhaps|possibly|i think|think|i suppose|suppose|i guess|guess|mainly|mostly|definitely|"
    r"please|pls|ta|cheers|thanks|thank you|thx|both|too|as well|the|ones?|options?|opt|choice)+"
)
"""A reply of numbers alone, with the words people put round them: "3 maybe, and 2", "1 n 6", "7 and 3 please"."""
_ORDINAL_ONE = re.compile(rf"{_ORDINAL_WORD.pattern} ones?\b")
_DIGIT_ORDINAL = re.compile(r"\b(\d{1,2})(?:st|nd|rd|th)(?:\s+ones?)?\b")
"""Options picked by their place: "the 1st and 3rd" are 1 and 3."""
_FROM_THE_END = re.compile(
    rf"\b(?:the\s+)?(?:(last\s+but\s+one|second\s+(?:to|from)\s+(?:the\s+)?last|penultimate)|"
    rf"(?:last|bottom)(?:\s+({_cardinals(2, 3)}|[23])\b)?)(?:\s+ones?)?\b"
)
"""Options picked by their place from the end ("the 4th one n the last but one"), in a reply of places only."""
_AT_THE_TOP = re.compile(r"\b(?:the\s+)?top\s+(?:one|option|choice)\b|\bthe\s+one\s+(?:on|at\s+the)\s+top\b")
"""The first option, by its place ("the top one", "the one on top"); not "my top 3", which counts."""
_RANGE = re.compile(r"\b(\d{1,2})\s*(?:-|to)\s*(\d{1,2})\b")


def _expand_ranges(lowered: str) -> str:
    """ "1-4" is 1, 2, 3 and 4 ("1-1" and "1 to 1" are left alone: a phrase of their own)."""

    def spread(found: re.Match[str]) -> str:
        low, high = int(found.group(1)), int(found.group(2))
        return " ".join(str(n) for n in range(low, high + 1)) if low < high <= 12 else found.group(0)

    return _RANGE.sub(spread, lowered)


_FIRST_FEW = re.compile(
    rf"\b(?:the\s+)?(?:first|top)\s+({_cardinals(2, 6)}|[2-6])"
    r"(?=(?:\s+(?:ones|options|areas|things|on (?:the|your|that) list|you (?:listed|showed|gave)|listed))?"
    r"(?:\s+(?:please|i think|really|mainly))?\s*(?:$|[,.;!?)]|\s(?:and|but|none|not|plus)\b))"
)
"""The first few options shown ("the first three, none of the rest", "top 2 please"); not "the first two years", nor
"top 2: money and housing". Read in a reply of numbers only, so "not the first two" and "the first two and the last"
are asked again."""
_NONE_OF_THE_REST = re.compile(
    r"[,.;]?\s*(?:and\s+|but\s+)?(?:none of the (?:rest|others)|not the (?:rest|others)|"
    r"nothing else|that'?s (?:it|all))\W*$"
)
"""After the picks, the rest turned down: it adds no pick ("1 and 3, none of the others")."""


def _from_the_end(found: re.Match[str], numbers: Sequence[int]) -> str:
    """The numbers of the options a `_FROM_THE_END` match picks."""
    if found.group(1):
        return str(numbers[-2])
    count = found.group(2)
    few = _number_of(count) or 1 if count else 1
    return " and ".join(str(n) for n in numbers[-few:])


def _first_few(lowered: str, numbers: Sequence[int]) -> str:
    """ "the first three" as the numbers the first three options were shown with ("1 and 2 and 3"), set off by a
    comma so that each reads as a pick."""

    def numbered(found: re.Match[str]) -> str:
        count = _number_of(found.group(1)) or 0
        return ", " + " and ".join(str(n) for n in numbers[:count])

    return _FIRST_FEW.sub(numbered, lowered)


def _numbered_choices(text: str, numbers: Sequence[int]) -> Optional[list[int]]:
    """Indices of the options picked by number, when the reply is only numbers: "1", "1 and 4", "number two";
    None when it is not only numbers.

    `numbers` are the numbers the options were shown with, in order.
    """
    lowered = _ORDINAL_ONE.sub(r"\1", _expand_ranges(_DIGIT_ORDINAL.sub(r"\1", text.lower().strip())))
    lowered = _AT_THE_TOP.sub(" 1 ", lowered)
    if not re.search(r"\d", lowered) or any(found.group(1) for found in _FROM_THE_END.finditer(lowered)):
        # "3 and 7, the last one mostly" is the last of those said, not of the list; "the last but one" is a place
        lowered = _FROM_THE_END.sub(lambda found: f" {_from_the_end(found, numbers)} ", lowered)
    lowered = _NONE_OF_THE_REST.sub("", _first_few(lowered, numbers))
    if not _NUMBER_ONLY.fullmatch(lowered):
        return None
    picked = [int(n) for n in re.findall(r"\d{1,2}", lowered)]
    picked += [_NUMBER_WORDS[t] for t in words(lowered) if t in _NUMBER_WORDS]
    if any(n not in numbers for n in picked if n):
        return []  # a number that was not offered: the reply is not understood, so it is asked again
    return list(dict.fromkeys(numbers.index(n) for n in picked if n))


_NOT_A_PICK_AFTER = re.compile(
    r"\s*(%|k\b|grand|years?|yrs?|y/?o\b|weeks?|wks?|days?|months?|hours?|hrs?|mins?|minutes?|stone|st\b|lbs?|kgs?|"
    r"kids?|children|grandchildren|of (us|them)|bed|times|am\b|pm\b|o'?clock|nights?|pounds?|quid|miles?|th\b|nd\b|"
    r"rd\b|out of|x\b|a (day|week|month|year)|[/:.]\d)"
)
_NOT_A_PICK_BEFORE = re.compile(r"(type|£|\$|aged?|age|i'?m|i am|covid|since|over|under|[/:.])\s*$")
_EXCEPT = r"(?:except|apart from|other than)"
"""The words that set items apart from the rest: what follows is turned down ("all except 5") or, after nothing,
picked ("nothing except the cost")."""
_REFUSING = (
    rf"(not|never|don'?t want|do not want|don'?t need|do not need|no need for|{_EXCEPT}|but not|"
    r"without|rather than|instead of|leave|going to say|gonna say)"
)
_REFUSED_NUMBER = re.compile(_REFUSING + r"\s+(number\s+|the\s+)?$")
_PICK_LEAD = re.compile(
    r"(^|[.,;:!?(&+\-]|\b(and|an|n|or|so|just|only|number|no|also|maybe|mibbe|probably|perhaps|mostly|mainly|"
    r"definitely|plus|then|says?|said|um+|er+|erm)|\d\s*(?:și|si|y|et|und|i|e|ve|oraz))\W*$"
)
"""What comes right before a number that is a pick: the start, a comma, "and", "so", "number"... ("so 6 and 4"), and
between two numbers "and" in the languages most spoken here after English ("4 și 10", "2 y 5", "3 i 7"; not "I've
2 jobs"); not a verb or a noun ("I work 2 jobs", "got 2 buses": no picks)."""


_THE_PLACE_ONE = re.compile(rf"\bthe {_ORDINAL_WORD.pattern} ones?(?=\s*(?:$|[,.;!?&+]|and\b|n\b|plus\b))")
"""An option picked by its place, as an item among words ("mum says the first one and her knees"); not "the first
time", nor "the first one who died"."""
_NUMBER_IN_WORDS = re.compile(rf"\bnumber ({_cardinals(1, 12)})\b")
"""A number said in words after "number" ("and number eleven for my eyes"): read as its digits among words."""
_NUMBER_WORD_ITEM = re.compile(
    rf"(\band\s+)({_cardinals(1, 12)})(?=\s*[,.:;-]\s*(?!{_cardinals(1, 99)}\b|(?:maybe|nearly|or|about|almost)\b))"
)
"""A number said in words as an item of its own, after "and", closed by a stop or a comma, in a reply that already
picked by "number ..." ("Number one, lonely. And two, I've seized up"): read as a pick too; not "two, maybe three
times a week", nor "Ten, fifteen years"."""


def _numbers_among_words(
    text: str, numbers: Sequence[int], excepting: bool = False, options: Sequence[Option] = ()
) -> list[int]:
    """Indices picked by number in a reply that also has words: "8 - my dad. and 4 because the funeral cost a
    fortune", "Lost my job in January so 6 and 4", "1. I don't want 2". A number with a unit ("3 days", "10
    grand", "I'm 78", "type 2") or turned down ("not 7") is no pick; numbers not offered are passed over. With
    `excepting` (the reply takes all of them), numbers listed after "except" are turned down too ("except 5 to 9 and
    12"); elsewhere "fine except for 3" picks 3. A number right after its own option's word is a pick too ("5 house
    and money 4"), though a number after any other word is not."""
    lowered = _NUMBER_IN_WORDS.sub(
        lambda found: f"number {_NUMBER_WORDS[found.group(1)]}", _expand_ranges(text.lower())
    )
    if re.search(r"\bnumber \d", lowered):
        lowered = _NUMBER_WORD_ITEM.sub(
            lambda found: f"{found.group(1)}number {_NUMBER_WORDS[found.group(2)]}", lowered
        )
    lowered = _THE_PLACE_ONE.sub(
        lambda found: (
            f"number {numbers[ORDINAL_WORDS[found.group(1)] - 1]}"
            if ORDINAL_WORDS[found.group(1)] <= len(numbers)
            else found.group(0)
        ),
        lowered,
    )
    picked = []
    for found in re.finditer(r"(?<![\d£$])\b(\d{1,2})\b", lowered):
        before, after = lowered[: found.start()], lowered[found.end() :]
        if _NOT_A_PICK_AFTER.match(after) or _NOT_A_PICK_BEFORE.search(before):
            continue
        if _REFUSED_NUMBER.search(before) or (excepting and _in_an_exception(before)):
            continue
        number = int(found.group(1))
        if number in numbers and (_PICK_LEAD.search(before) or _after_its_own_word(before, options, numbers, number)):
            picked.append(numbers.index(number))
    return list(dict.fromkeys(picked))


def _after_its_own_word(before: str, options: Sequence[Option], numbers: Sequence[int], number: int) -> bool:
    """Whether the word right before a number is a word of the option shown with that number ("money 4")."""
    last = re.search(r"([a-z']+)\W*$", before)
    index = numbers.index(number)
    if last is None or index >= len(options) or not options[index].matches(last.group(1)):
        return False
    return _REFUSED_WORD.search(before[: last.start()]) is None  # "not lonely 1, but money 4": turned down


_REFUSED_WORD = re.compile(_REFUSING + r"\s+(?:[\w']+\s+)?$")
"""A refusal right before an option's word, or one word before it ("but not housing 5", "not very lonely 1")."""


def _list_items(lowered: str) -> list[str]:
    """The short items of a list said in words beside numbers: the parts between commas, "and", "plus" or "also"
    that hold no digit and at most five words (a longer part is a sentence about the numbers, not a pick)."""
    parts = [
        _A_REASON.split(part, maxsplit=1)[0]
        for part in re.split(r"[,;/&+]|\band\b|\bplus\b|\balso\b|\bthen\b", lowered)
    ]
    return [
        part
        for part in parts
        if not re.search(r"\d", part) and 0 < len(words(part)) <= 5 and not _A_STATEMENT.search(part)
    ]


_A_REASON = re.compile(r"\s(?:cos|coz|cause|'cause|because|bc|since)\s")
"""Where an item's reason starts ("money cos if i cant work i dont get paid"): the item is what comes before."""


_A_STATEMENT = re.compile(
    r"\b(?:fine|ok|okay|alright|sorted|no problem|not a problem|(?:is|isn'?t|not) (?:a problem|an issue)|no issue|"
    r"covered|under control)\b|\b(?:got|have) (?:a|one)\b"
)
"""Words that wave an item off: so worded, it says how something is ("work is fine though", "money's ok", "I've
got a carer"), and picks nothing ("activity because I've stopped running" still picks)."""


_ALL_OF_THEM = re.compile(
    r"^\W*(?:(?:pretty much|basically|nearly|almost|probably|honestly|to be honest|tbh|i'?d say|well|um|oh|yes|"
    r"yeah|ok|sadly|i think)\W+)*"
    r"(all(?=\W*$|\W+(?:of|the above|these|those|them|areas|really|tbh|honestly|to be honest|i think|please|except|"
    r"apart|but|bar|not)\b)|everything(?!'s|\s+(?:is|was|else|fine|ok|okay|good))|every one|the lot|all of (them|it|those|the above)|all the above|all of the above)\b"
)
"""Every option ("all of them tbh"), less any named after "except", "apart from" or "not"."""


def _match_spans(option: Option, text: str) -> list[tuple[int, int]]:
    """Every place the option's label or a keyword is named in the text."""
    lowered = f" {text.lower()} "
    return [found.span() for found in option.said_whole.finditer(lowered)] + option.keyword_spans(lowered)


def _match_span(option: Option, text: str) -> Optional[tuple[int, int]]:
    """Where the option's longest label or keyword match lies in the text, if anywhere."""
    spans = _match_spans(option, text)
    return max(spans, key=lambda span: span[1] - span[0]) if spans else None


_REFUSED_OPTION = re.compile(_REFUSING + r"\s+((the|any|my|really|about|that)\s+)*(\w+\s+(or|and|nor|,)\s+)*$")
"""Right before an option named in a several-choice answer: "not money", "I don't need housing", "not the money
or housing". Narrow on purpose: "not coping with money" and "can't afford" name a problem, not a refusal."""


def _refused(text: str, option: Option, excepting: bool = False) -> bool:
    """True when every mention of the option is refused; with `excepting` (the reply takes all of them), also when
    it is listed after "except" ("all of them except language, caring and time")."""
    lowered = f" {text.lower()} "
    spans = option.keyword_spans(lowered)
    label = option.said_whole.search(lowered)
    if label:
        spans.append(label.span())
    if not spans:
        return False
    nothing_except = _NOTHING_EXCEPT.search(lowered)
    picked_from = nothing_except.end() if nothing_except else len(lowered)  # "nothing except the cost" picks it
    return all(
        start < picked_from
        and (
            _REFUSED_OPTION.search(_CLAUSE_START.sub("", lowered[:start]))
            and not _A_PROBLEM_AFTER.match(lowered[end:])
            or (excepting and _in_an_exception(lowered[:start]))
        )
        for start, end in spans
    )


_A_PROBLEM_AFTER = re.compile(r"^\w*\s+(?:properly|well|enough|regularly|right|healthily)\b")
"""After a doing said with "not", how it falls short: a problem named, not the option refused ("I do not eat properly
these days" is food; "not food" is no pick). Not "at all", "much" or "any more": they turn down as often ("not lonely
at all", "not working any more, retired")."""


_NOTHING_EXCEPT = re.compile(
    rf"\b(?:none|nothing|no \w+|not really|fine|ok|okay|all good)\W+(?:\w+\W+){{0,3}}?{_EXCEPT}\b"
)
"""Nothing but what follows ("nothing except the cost", "no barriers except the buses", "not really, apart from
time"): a pick, not a refusal."""
_EXCEPTING = re.compile(
    rf"\b(?:{_EXCEPT}(?: for)?|but not|(?:(?<=all )|(?<=everything )|(?<=them )|(?<=em ))(?:bar|but))\b"
)
_LIST_SEPARATOR = re.compile(r",|&|\+|\band\b|\bn\b|\bor\b|\bnor\b")


def _in_an_exception(before: str) -> bool:
    """Whether what comes next is an item of a list after "except" in the same sentence ("all of them except
    language, caring and time", "except 5 to 9 and 12"): each item before it a few words or numbers only, so "except
    money, and loneliness matters most" ends the list at the empty item."""
    sentence = re.split(r"[.!?;:]", before)[-1]
    cues = list(_EXCEPTING.finditer(sentence))
    if not cues:
        return False
    *listed, here = _LIST_SEPARATOR.split(sentence[cues[-1].end() :])
    short = all(0 < len(words(item)) <= 3 or re.fullmatch(r"\s*\d[\s\d]*", item) for item in listed)
    return short and not _A_NUMBER_SAID.sub("", here).strip()


_A_NUMBER_SAID = re.compile(r"\b(?:number|no|option|the)\b\.?")
"""The words before a number in a list ("apart from work, caring and number 12")."""


_UNEASY = r"shy|nervous|anxious|scared|frightened|self[- ]conscious|awkward|uncomfortable"
"""How someone feels about a way of meeting that turns it down ("too shy in a group", "so nervous on the phone")."""
_A_PREPOSITION = re.compile(r"(?:in|on|for|with|at|around)\b")
"""The word between a feeling and the way of meeting it is about ("shy in groups", "nervous on the phone")."""
_ABOUT_A_WAY = rf"(?:{_A_PREPOSITION.pattern}|to (?:go|do|be|meet|join)\b)"
"""What ties a feeling to a way of meeting: with "too" or "so" anywhere in the clause ("too shy in a big group of
people"), without them only right before the option ("painfully shy in groups")."""
_NOT_NOW = r"(?<!used to be )(?<!used to )(?<!not )(?<!never )(?<!been )"
"""Before a feeling, what says it is not felt now ("not nervous on the phone", "used to be shy in groups")."""
_TURNING_DOWN = re.compile(
    rf"\b((?:no|not|never)(?! (?:at all |really |that |too |so |very |been )?(?:{_UNEASY})\b)|"
    r"don'?t|do not|doesn'?t|does not|can'?t|cannot|won'?t|rather not|instead of|better than|without|hate|"
    r"haven'?t(?: got)?|have not(?: got)?|hasn'?t(?: got)?|ain'?t got|got no|"
    rf"{_NOT_NOW}(?:{_UNEASY}|panic\w*|dread\w*) (?:when|if|at|of|about|on|answering|picking up)|"
    rf"{_NOT_NOW}(?:too|to|so|very|really|quite|a bit|bit) (?:{_UNEASY})(?:\s+{_ABOUT_A_WAY}|(?=\s*$))|"
    rf"{_NOT_NOW}(?:{_UNEASY})\s+(?:{_ABOUT_A_WAY}|to)(?:\s+(?:a|an|the|my))?(?=\s*$)|"
    r"no good|not (much|very) good|rubbish|useless|hopeless|terrible|awful|bad (with|at|on)|struggle|not great|"
    r"not (keen|a fan)|"
    r"(?:he|she|they|husband|wife|partner|boyfriend|girlfriend|fella|ex|son|daughter|mum|mam|dad|someone|somebody)\b"
    r"[^,.;]{0,20}?\b(?:goes|go|looks|checks|reads|went|has been) (?:(?:through|at|in|on) )?(?:my|me))\b"
)
"""Words before an option that turn it down, among them someone else going through it ("he goes through my phone":
not safe to use)."""
_CLAUSE_START = re.compile(r".*(?:[,.;:!?()]|\s-\s|\bbut\b|\bso\b)")
_SO_UNEASY_BEFORE = re.compile(
    rf"(?<!used to be )(?<!not )\b((?:so|too|very|really|quite|painfully)\s+)?(?:{_UNEASY})\s+"
    rf"({_A_PREPOSITION.pattern}\s+(?:(?:a|an|the|my)\s+)?)?$"
)
_TURNED_DOWN_AFTER = re.compile(
    r"^\w*\s+(?:(?:calls?|chats?|meetings?|sessions?|settings?|things?|stuff)\s+)?((?:would |will |'d |could |might )?"
    r"(?:make|makes) me (?!(?:feel )?(?:(?:so |very |really |a bit |quite )?(?:better|good|great|happy|happier|welcome|"
    r"less|connected|safe|safer|calm|calmer|relaxed|comfortable|at ease|included|normal|useful|confident|smile|laugh|"
    r"part of|get (?:out|up|going)|go out|meet)|more (?:confident|relaxed|comfortable|at ease|social|positive|motivated|included))\b)|"
    r"(?:are|is|would be|'d be|will be) (?:too |so |very |really |a bit |quite )?(hard|difficult|too much|not for me|scary|a pain|"
    r"a nightmare|no good|rubbish|awkward|tricky|a faff|useless|hard work)|would (?:just |only )?(?:ring out|go unanswered)|"
    r"aren'?t for me|isn'?t for me|scare me|freak me|stress me|(?:is|are|takes?) (?:too |so |very )?long|(?:is|are) too slow|"
    r"(?:is|are) (?:such )?a (?:hassle|bother)|(?:is|are) fiddly|"
    r"takes? (?:forever|ages)|(?:is|are) (?:a bit )?long[- ]winded)"
)


def _turned_down(text: str, span: Optional[tuple[int, int]], others: Sequence[Optional[tuple[int, int]]] = ()) -> bool:
    """True when the option is named in a clause that turns it down ("not much good with the texting"). `others` are
    where the other options are named: the will to try one of them is no will to try this one, and after a feeling
    about this one it turns this one down ("I'm nervous one to one but happy to try a group")."""
    if span is None:
        return False
    padded = f" {text.lower()} "
    clause = _CLAUSE_START.sub("", padded[: span[0]])
    turning_down = _TURNING_DOWN.search(clause)
    uneasy = _said_uneasy_about(padded[: span[0]], padded[span[0] :])
    after = _TURNED_DOWN_AFTER.match(padded[span[1] :])
    felt_after = after is not None and _FELT.match(padded, span[1] + after.end()) is not None
    felt = felt_after or (uneasy if turning_down is None else re.search(_UNEASY, turning_down.group(0)) is not None)
    will = _will_to_try(padded, span[1] + after.end() if felt_after and after else span[1], others)
    if felt and will == "this":
        return False  # "I'm nervous to join a group but I'd like to try": a feeling, and the choice made anyway
    if will == "another" and _SO_UNEASY_BEFORE.search(padded[: span[0]]):
        return True  # "nervous one to one but happy to try a group": the feeling, and another chosen
    return turning_down is not None or after is not None or uneasy


_FELT = re.compile(rf"(?:feel )?(?:so |very |really |a bit |quite |too )?(?:{_UNEASY})\b")
"""A feeling right after what turns an option down ("a group makes me anxious"): a feeling, which a will may
outweigh."""


def _will_to_try(padded: str, end: int, others: Sequence[Optional[tuple[int, int]]]) -> Optional[str]:
    """After an option turned down by a feeling only, the will to try something anyway: "this" option ("nervous in a
    group but I'd like to try", "shy on the phone but willing to give it a go"), or "another" named in that clause
    ("too shy for a group, but happy to try one to one"); None without one."""
    willing = _WILLING_AFTER.match(padded[end:])
    if willing is None:
        return None
    start = end + willing.end()
    stop = _END_OF_A_WILL.search(padded, start)
    clause_end = stop.start() if stop else len(padded)
    return "another" if any(other and end <= other[0] < clause_end for other in others) else "this"


_END_OF_A_WILL = re.compile(r"[.;!?]|\bbut\b")
"""Where the will to do something ends: a sentence or a "but"; not a comma, unlike `_FIRST_CLAUSE_END`, since a will
names its option after one ("happy to try, maybe, one to one")."""


_WILLING_AFTER = re.compile(
    r"^\w*\W+(?:but|though|tho)\s+(?:[\w']+\s+){0,3}?(?:like to|love to|want to|wanna|try|give it a go|willing|keen|"
    r"up for|happy to)\b"
)
"""After an option turned down by a feeling only, the will to do it anyway ("nervous to join a group, but I want to")."""


_DOING = re.compile(r"\w+ing\b")
"""An option named in a doing ("meet" in "meeting people"): a feeling right before it is about it ("so nervous meeting
people")."""


def _said_uneasy_about(before: str, onwards: str) -> bool:
    """A feeling said of the option itself, right before it ("I'm so shy in person", "shy on the phone"): turned
    down. Without a word between ("so shy one to one please") the choice is named after the feeling, not turned down.
    The preposition may be the option's own first word ("in person"); the option may be a doing, when the feeling is
    strong ("so nervous meeting people", not "nervous meeting people but I want to try face to face")."""
    uneasy = _SO_UNEASY_BEFORE.search(before)
    if uneasy is None:
        return False
    strongly = uneasy.group(1) is not None
    return bool(uneasy.group(2) or _A_PREPOSITION.match(onwards) or (strongly and _DOING.match(onwards)))


_NOT_A_CHOICE = frozenset({"other", "none", "either", "any"})
"""Codes that are not a choice of their own: "all of them" never ticks them."""


def _by_code(options: Sequence[Option], code: str) -> Option:
    return next(o for o in options if o.code == code)


def _numbers_refused(text: str, numbers: Sequence[int]) -> list[int]:
    """Indices named by number after "except", "apart from" or "not": "everything apart from 5, 7 and 12"."""
    lowered = text.lower()
    cue = re.search(_REFUSING + r"\b", lowered) or _EXCEPTING.search(lowered)
    if not cue:
        return []
    # "all of them except 5 to 9 and 12", "all except the fifth and sixth", "all except the first two"
    tail = _expand_ranges(_first_few(lowered[cue.end() :], numbers))
    tail = _ORDINAL_WORD.sub(lambda found: str(ORDINAL_WORDS[found.group(0)]), tail)
    return [numbers.index(int(n)) for n in re.findall(r"\b\d{1,2}\b", tail) if int(n) in numbers]


def _the_other_one(options: Sequence[Option], turned_down: Sequence[str]) -> list[str]:
    """Of two real choices, turning one down picks the other; of more, nothing is picked."""
    real = [o.code for o in options if o.code not in _NOT_A_CHOICE]
    rest = [code for code in real if code not in turned_down]
    return rest if len(real) == 2 and len(rest) == 1 else []


NO_PREFERENCE_CODES = frozenset({"either", "any"})
"""The choices that say "no preference" ("either is fine", "any of these")."""
AFTER_A_LOSS = r"and|still|last|recently|suddenly|this|to|when"
"""Words that follow the one lost ("lost him last year", "losing Frank still"), as a regex alternation: after "lost
him" or a name they say a death; "lost him in the crowd" says nothing of one."""
_A_NAMED_LOSS = re.compile(
    r"\b((?i:losing|lost))\s+(?!I\b)([A-Z][a-z'\u2019]+)"
    rf"(?=\s*(?:$|[,.;:!?)]|(?i:{AFTER_A_LOSS}|two|three|a (?:year|month|few)|"
    r"in (?:\d|jan|feb|march|april|may|june|july|aug|sep|oct|nov|dec|the (?:spring|summer|autumn|winter)))\b))"
)
"""Someone lost, by name ("losing Frank still", "lost Dave last year"): read as "losing someone", since options are
read in lower case, where a name looks like any other word. Not a word an option knows ("lost Confidence")."""


def _named_losses(text: str, options: Sequence[Option]) -> str:
    def someone(found: re.Match[str]) -> str:
        known = any(option.matches(found.group(2)) for option in options)
        return found.group(0) if known else f"{found.group(1)} someone"

    return _A_NAMED_LOSS.sub(someone, text)


_TEXT_SPEAK_ONE = re.compile(r"\b(any|some|every|no)1\b", re.IGNORECASE)
"""Text speak for "-one" ("not knowin any1")."""


_DROPPED_G: dict[int, tuple[Sequence[Option], Optional[re.Pattern[str]]]] = {}
"""`_dropped_g` of each option table (a module's tuple), by the table's identity: hashing every option's keywords on
each reply would cost more than the pattern saves."""


def _dropped_g(options: Sequence[Option]) -> Optional[re.Pattern[str]]:
    """The "-ing" words of the options' keywords said without their g ("carin", "knowin'"), if they have any."""
    if not isinstance(options, tuple):
        return _dropped_g_of(options)  # a list made for one reply (the top areas): not kept
    kept = _DROPPED_G.get(id(options))
    if kept is None or kept[0] is not options:
        kept = _DROPPED_G[id(options)] = (options, _dropped_g_of(options))
    return kept[1]


def _dropped_g_of(options: Sequence[Option]) -> Optional[re.Pattern[str]]:
    stems = sorted(
        {word[:-1] for option in options for kw in option.keywords for word in re.findall(r"[a-z]+ing\b", kw)}
    )
    return re.compile(rf"\b({'|'.join(stems)})(?:'|\b)", re.IGNORECASE) if stems else None


@lru_cache(maxsize=64)
def _option_words(options: tuple[Option, ...]) -> Targets:
    """The plain words of the options' labels and keywords, each with the option (or options) it belongs to: what a
    misspelt word may be put right to (worked out once for each question's options)."""
    codes: dict[str, set[str]] = {}
    for option in options:
        found = set(re.findall(r"[a-z]+", option.label.lower()))
        for keyword in option.keywords:
            found |= set(re.findall(r"(?<![a-z\\])[a-z]+(?![a-z?*+{])", keyword))
        for word in found:
            codes.setdefault(word, set()).add(option.code)
    return Targets.of({word: "|".join(sorted(owners)) for word, owners in codes.items()})


def _as_the_options_spell_it(text: str, options: Sequence[Option]) -> str:
    """The text with the option words people spell their own way put as the options spell them: a dropped g ("the
    carin one", "not knowin any1"), text speak's "any1", and a word one slip from an option's ("in persen",
    `spelling.put_right`)."""
    text = _TEXT_SPEAK_ONE.sub(
        lambda found: f"{found.group(1)}{' ' if found.group(1).lower() == 'no' else ''}one", text
    )
    text = put_right(text, _option_words(tuple(options)))
    dropped = _dropped_g(options)
    return dropped.sub(lambda found: f"{found.group(1)}g", text) if dropped else text


_CLAUSE_OPENING = r"(?:^|(?<=[,.;:!?])|(?<=[,.;:!?]\s))"
_PUT_RIGHT = (
    rf"{_ALWAYS_PUTS_RIGHT}|no,?\s+(?:actually|just|only)|{_CLAUSE_OPENING}actually,?\s+(?:no|just|only)|"
    r"(?:(?<=[,.;:!?])|(?<=[,.;:!?]\s))no(?=\s*[,.;:!-])"
)
_PUT_RIGHT_MANY = re.compile(rf"\b(?:{_PUT_RIGHT})\b(?!\s*-?\s*one\b)\W*", re.IGNORECASE)
"""Words that put a list right, the last of them ("time, and pain, no just time really", "activity and work, no wait,
not activity"). Not a bare "actually": in a list it adds to it ("money, actually housing is worse"). Nor "I mean",
anywhere: it says more of the same ("online, I mean in person is too far for me")."""
_PUT_RIGHT_ONE = re.compile(rf"(?:\b(?:{_PUT_RIGHT})|{_CLAUSE_OPENING}actually)\b(?!\s*-?\s*one\b)\W*", re.IGNORECASE)
"""Words that put a single choice right, and "actually" opening a clause ("in person, or online, whatever. actually
online is better"); not "actually" inside one ("one to one, I actually find groups hard")."""
_PUT_RIGHT_YES_NO = re.compile(
    rf"\b(?:{_ALWAYS_PUTS_RIGHT}|but,?\s+actually|(?:no|nah|nope|yes|yeah|yep)\W+actually)\b(?:\W+i\s+mean\b)?\W*",
    re.IGNORECASE,
)
"""The words that put a yes or a no right ("no wait, yes I would", "Yes... my mistake, no I'll be fine", "I'd say no
but actually yes", "No... actually I'm not sure")."""
_NEGATION_AFTER = re.compile(r"n'?t\b|\bnot\b|\bnever\b|\bno longer\b", re.IGNORECASE)
"""Words that turn down what follows a bare "no" ("No, I don't work"): then the no says no, and corrects nothing."""
_ADDING = re.compile(r"\btoo\b(?=\W*(?:$|[,.;:!?]))|\b(?:also|as well|plus)\b", re.IGNORECASE)
"""A correction that adds to the list ("..., no wait, housing too")."""


def _last(pattern: re.Pattern[str], text: str) -> Optional[re.Match[str]]:
    """The last match of `pattern` in `text`, if any."""
    matches = list(pattern.finditer(text))
    return matches[-1] if matches else None


def match_options(
    text: str, options: Sequence[Option], many: bool, numbers: Optional[Sequence[int]] = None
) -> list[str]:
    """Codes of the options the text names, by number, label or keyword, in option order.

    Options are numbered 1, 2, 3... unless `numbers` says how they were shown.

    For a single choice, an option named inside another's longer match gives way
    ("video call" is online, not a phone call); two separate options are ambiguous.
    """
    spelled = _named_losses(_as_the_options_spell_it(agreement_spelled_short(text), options), options)
    if many and any(option.code == "other" for option in options):
        spelled = _without_what_other_is(spelled)
    return _options_named(spelled, options, many, numbers)


_OTHER_DESCRIBED = re.compile(
    r"\b(?<!each )(?<!the )(?:other|something else)\b\s*(?:([-\u2013\u2014:(])|,?\s+(?:like|such as|namely|e\.?g\.?|"
    r"i\.?e\.?)\b)",
    re.IGNORECASE,
)
_DESCRIPTION_ENDS = re.compile(r"[,;.]|\s(?:and|plus|also)\b|\d", re.IGNORECASE)


def _without_what_other_is(text: str) -> str:
    """The text without what "other" is said to be: those words pick no option of their own ("and other - learning
    something new" is not work too; the question after asks what it is). The description ends at a bracket's close,
    or else at the next item of the list ("other - my son's drinking, and 9" still picks 9)."""
    described = _OTHER_DESCRIBED.search(text)
    if described is None:
        return text
    rest = text[described.end() :]
    if described.group(1) == "(":
        close = rest.find(")")
        return text[: described.end()] + (rest[close + 1 :] if close >= 0 else "")
    description = rest.lstrip(" ,")
    end = _DESCRIPTION_ENDS.search(description)
    return text[: described.end()] + (description[end.start() :] if end else "")


def _a_number_also_in_a_label(text: str, options: Sequence[Option], picked: Sequence[int]) -> bool:
    """A number said as a word first that is also a word of another option's label ("one", "one please" beside
    "One-to-one"): which the person meant cannot be told."""
    said = words(text.lower())
    if not said or said[0] not in _NUMBER_WORDS or said[0] in ORDINAL_WORDS:
        return False  # "the last one", "number one", "first one": a pick by its place or number
    return any(said[0] in words(option.label.lower()) for i, option in enumerate(options) if i not in picked)


def _options_named(text: str, options: Sequence[Option], many: bool, numbers: Optional[Sequence[int]]) -> list[str]:
    """`match_options` on a text already spelled as the options spell it, so that the parts read again (what comes
    after a correction, and before it) are not put right twice."""
    put_right = _last(_PUT_RIGHT_MANY if many else _PUT_RIGHT_ONE, text)
    if (
        put_right
        and put_right.group(0).strip(" ,.;:!-").lower() == "no"
        and _NEGATION_AFTER.search(text[put_right.end() :])
    ):
        put_right = None  # "In person. No, online doesn't work for me": a no to what follows, not a correction
    if put_right:
        # "activity and work, no wait, not activity": what the person settles on, once it names an option
        after = text[put_right.end() :]
        settled = _options_named(after, options, many, numbers)
        before: Optional[list[str]] = None  # what was said before the correction, read once if needed

        def said_before() -> list[str]:
            nonlocal before
            if before is None:
                before = _options_named(text[: put_right.start()], options, many, numbers)
            return before

        if not settled and many:
            # "activity and work, no wait, not activity": only turned down after the correction
            turned_down = {o.code for o in options if o.matches(after) and _refused(after, o)}
            settled = [code for code in said_before() if code not in turned_down] if turned_down else []
        if settled and many and _ADDING.search(after):
            settled = [o.code for o in options if o.code in {*settled, *said_before()}]
        if settled:
            return settled
    shown = list(numbers or range(1, len(options) + 1))
    # An option whose own words hold a number ("1-1", "1 to 1") is read as words, not as picks.
    by_digit_words = any(
        option.matches(text) for option in options if any(c.isdigit() for c in "".join(option.keywords))
    )
    only_numbers = None if by_digit_words else _numbered_choices(text, shown)
    if only_numbers and not many and _a_number_also_in_a_label(text, options, only_numbers):
        return []  # "one", asked group or one-to-one: option 1, or the one-to-one? asked again
    picked = only_numbers or []
    if only_numbers is None and many and not by_digit_words:
        picked = _numbers_among_words(
            text, shown, excepting=_ALL_OF_THEM.search(text.lower()) is not None, options=options
        )
    chosen = {options[i].code for i in picked}
    if chosen and only_numbers is None:
        # "relationships and 12": an option named by its whole label beside the numbers is picked too, and one
        # named in an item of a list of its own ("work, money, and 3", "number 1, and maybe being more active").
        lowered = text.lower()
        chosen |= {o.code for o in options if o.said_whole.search(lowered) and not _refused(text, o)}
        for item in _list_items(lowered):
            chosen |= {o.code for o in options if o.matches(item) and not _refused(item, o)}
    if not chosen and many and _ALL_OF_THEM.search(text.lower()):
        chosen = {o.code for o in options if o.code not in _NOT_A_CHOICE and not _refused(text, o, excepting=True)}
        chosen -= {options[i].code for i in _numbers_refused(text, shown)}
        return [o.code for o in options if o.code in chosen]
    if not chosen:
        chosen = {option.code for option in options if option.matches(text)}
        if many:
            chosen = {code for code in chosen if not _refused(text, _by_code(options, code))}
    ordered = [o.code for o in options if o.code in chosen]
    if not many and ordered:
        spans = {o.code: _match_span(o, text) for o in options if o.code in chosen}
        # Turned down where it is first named ("not phone, ... a video call" stays turned down), not where it is
        # named again after ("ring the house phone, I don't get on with the mobile" is a phone call).
        first_named = _first_mentions(text, options, ordered, spans)
        wanted = [
            code
            for code in ordered
            if not _turned_down(text, first_named[code], [span for c, span in first_named.items() if c != code])
        ]
        unconditional = [code for code in wanted if not _in_a_condition(text, first_named[code])]
        wanted = unconditional or wanted  # "Either, if the group is small and quiet": either
        if not wanted:
            return _the_other_one(options, ordered)  # "no groups": one-to-one
        if len(wanted) == 1:
            return wanted  # "Text message - I'm Deaf, please no phone calls"
        named = [code for code in wanted if code not in NO_PREFERENCE_CODES]
        if len(named) == 1:
            return named  # "not too bothered, prefer phone": the choice named beats "not bothered"
        no_preference = [code for code in wanted if code in NO_PREFERENCE_CODES]
        if len(named) > 1 and len(no_preference) == 1:
            return no_preference  # "online or in person, both ok": either of those named
        spans = {code: spans[code] for code in wanted}
        outer = [
            code
            for code, span in spans.items()
            if span
            and not any(
                other != code and o_span and o_span[0] <= span[0] and span[1] <= o_span[1] and o_span != span
                for other, o_span in spans.items()
            )
        ]
        if len(outer) == 1:
            return outer
        said_as_the_choice = _said_as_the_choice(text, {code: spans[code] for code in outer})
        if len(said_as_the_choice) == 1:
            return said_as_the_choice  # "mobile, text is fine": the one said to suit, not the phone it goes to
        not_asked_back = [
            code for code in outer if not _only_asked_back(text, _by_code(options, code), first_named[code])
        ]
        if len(not_asked_back) <= 1:
            return not_asked_back  # "a group? I'd rather stick pins in my eyes. one to one"; "group? or 1 to 1?"
        first = _named_first(text, {code: spans[code] for code in outer})
        return first if len(first) == 1 else _said_most(text, [_by_code(options, code) for code in outer]) or first
    return ordered


_SUITS_AFTER = re.compile(
    r"^\W*(?:is|'s|would be|will be|works?)\s+(?:the )?(?:(better|best|easiest|easier)|fine|good|ok|okay|great|"
    r"all right|alright)\b(?!\W*(?:too|as well|also|either|if|when|unless|for|later|sometimes|at times|in an?)\b)"
)
_SUITS_BEFORE = re.compile(
    r"\b(?:(prefer(?:ably)?|rather|best is|easiest is|better|best))\s+(?:a |an |the |by |via )?$"
)


def _said_as_the_choice(text: str, spans: Mapping[str, Optional[tuple[int, int]]]) -> list[str]:
    """The options named with words that choose them ("text is fine", "I'd prefer email") where another is only
    mentioned; of two so named, the one said to be better ("phone is fine but text is better"). Not a second best or
    one for a time ("call my mobile, text is fine too", "email is fine if I'm out"). Spans are of the text as
    `_match_spans` pads it."""
    padded = f" {text.lower()} "
    strength: dict[str, int] = {}
    for code, span in spans.items():
        if span is None:
            continue
        after, before = _SUITS_AFTER.search(padded[span[1] :]), _SUITS_BEFORE.search(padded[: span[0]])
        if after or before:
            strength[code] = 2 if (after and after.group(1)) or before else 1
    best = max(strength.values(), default=0)
    return [code for code, said in strength.items() if said == best]


_CONDITION_OPENS = re.compile(
    r"\b(?:if(?!\s+(?:i|we)\s+(?:had|have|'d|was|were)\s+to\s+(?:choose|pick|say|decide)|\s+i'?m\s+honest|\s+anything|"
    r"\s+poss)|as long as|so long as|provided|providing|unless|depending on|depends on)\b"
)


def _in_a_condition(text: str, span: Optional[tuple[int, int]]) -> bool:
    """Whether an option is named inside a condition on another choice ("either, if the group is small"): a
    condition's words open its clause before it (spans are of the text as `_match_spans` pads it)."""
    if span is None:
        return False
    clause = re.split(r"[,.;:!?]", f" {text.lower()} "[: span[0]])[-1]
    return _CONDITION_OPENS.search(clause) is not None


def _first_mentions(
    text: str, options: Sequence[Option], codes: Sequence[str], longest: Mapping[str, Optional[tuple[int, int]]]
) -> dict[str, Optional[tuple[int, int]]]:
    """Where each option is first named in its own right: a mention inside another option's ("call" in "video
    call") is that one's; an option named only inside another's is read at its `longest` match."""
    named = {code: sorted(_match_spans(_by_code(options, code), text)) for code in codes}

    def inside_another(code: str, span: tuple[int, int]) -> bool:
        return any(o[0] <= span[0] and span[1] <= o[1] and o != span for c in codes if c != code for o in named[c])

    return {code: next((s for s in named[code] if not inside_another(code, s)), longest[code]) for code in codes}


def _mentions(option: Option, text: str) -> int:
    """How many times the option is named (overlapping matches of its label and keywords counted once)."""
    lowered = f" {text.lower()} "
    found = option.keyword_spans(lowered)
    found += [m.span() for m in re.finditer(re.escape(option.said), lowered)]
    ends = -1
    count = 0
    for start, end in sorted(found):
        if start >= ends:
            count += 1
        ends = max(ends, end)
    return count


def _said_most(text: str, options: Sequence[Option]) -> list[str]:
    """Of several options, one named more often than each other ("one to one and maybe a group later, but one
    to one to start"), else []."""
    counts = sorted(((_mentions(o, text), o.code) for o in options), reverse=True)
    return [counts[0][1]] if len(counts) > 1 and counts[0][0] > counts[1][0] else []


_FIRST_CLAUSE_END = re.compile(r"[,.;:!?()]|\s-\s|\b(but|if|unless|when|otherwise|cos|because)\b")
_ALTERNATIVES = re.compile(r"\b(or|either|both|and|nor)\b|/")


_TAKEN_UP = re.compile(
    r"\W*(?:yes|yeah|yep|yup|aye|ok|okay|sure|definitely|perfect|great|lovely|brilliant|ideal|fine|good|sounds|"
    r"that'?s (?:fine|good|best|great|perfect|ideal|ok)|that would|please)\b"
)
"""What takes up an option just asked back ("phone? yes.", "Online? Perfect.", "email? that's fine.")."""


def _only_asked_back(text: str, option: Option, span: Optional[tuple[int, int]]) -> bool:
    """Whether an option is named only as a question back, with a word at most either side ("a group?", "online??"),
    which takes it up to weigh it, not to choose it; not if named again after ("phone? yes phone"), unless turned down
    there. Spans are of the text as `_match_spans` pads it."""
    if span is None:
        return False
    padded = f" {text.lower()} "
    opening = max(padded.rfind(mark, 0, span[0]) for mark in ".!?\n")
    closing = re.match(r"[^.!?\n]*?(\?+|[.!\n]|$)", padded[span[1] :])
    if closing is None or not closing.group(1).startswith("?"):
        return False
    if _TAKEN_UP.match(padded[span[1] + closing.end() :]):
        return False  # "Group? Yes please! One to one sounds scary": asked back, then taken
    asked, rest = (padded[opening + 1 : span[0]], closing.group(0)), padded[span[1] + closing.end() :]
    # Named again after, unless turned down there: "online? I don't have a computer. in person" is in person.
    again = _match_span(option, rest)
    named_again = again is not None and not _turned_down(rest, again)
    return sum(len(words(side)) for side in asked) <= 1 and not named_again


def _named_first(text: str, spans: Mapping[str, Optional[tuple[int, int]]]) -> list[str]:
    """Of several options, the one named alone in the first clause; the rest is an aside or a fallback:
    "phone is fine, text if I don't answer" is a phone call, "email, my phone keeps getting cut off" is
    e-mail. Two named together ("text or email", "phone and text both fine") stay unclear: asked again."""
    padded = f" {text.lower()} "
    starts = sorted((span[0], code) for code, span in spans.items() if span)
    if not starts:
        return []
    first_start, first_code = starts[0]
    boundary = _FIRST_CLAUSE_END.search(padded, first_start)
    end = boundary.start() if boundary else len(padded)
    in_first = [code for start, code in starts if start < end]
    if len(in_first) != 1 or _ALTERNATIVES.search(padded[:end]):
        return []
    return [first_code]


def labels_for(codes: Iterable[str], options: Sequence[Option]) -> list[str]:
    by_code = {o.code: o.label for o in options}
    return [by_code.get(code, code) for code in codes]


_NEED_WORDS = re.compile(
    r"\b(wheelchair|scooter|deaf|hard of hearing|hearing|bsl|sign|blind|sight|partially|glasses|large print|read|"
    r"dyslex|interpret|translat|stick|frame|crutch|walk|stairs|steps|lift|ramp|toilet|loo|seat|autis|adhd|anxi|"
    r"guide dog|carer|mobility|breath|oxygen|buttons|fiddly|small (?:print|writing|text)|writing|print|screens?|noisy|"
    r"loud|crowd|hands|fingers|grip|eyes|ears|standing|upstairs|memory)"
)
_ALL_FINE = re.compile(
    r"\b(fine|ok|okay|good|grand|alright|all right|no problem|fit as|get about|get around|just old|thanks?|thank you|"
    r"(?:don'?t|doesn'?t|do not|never) bother|no bother|can manage|manage (?:fine|ok)|like an elephant)\b"
)
_NO_NEEDS = re.compile(
    r"^\W*(not that i can think of|nothing like that|none needed|no need|not really|not for me|nothing|none|nope|nah|n/?a|no)\b"
)


def means_no_needs(text: str) -> bool:
    """No access needs, in the ways people say it: "no, my hearing and eyes are fine", "None, thanks for asking",
    "no need". A need named after the no is kept in their words: "none really, well I can't walk far", "nothing too far
    on foot"."""
    if means_nothing(text):
        return True
    lowered = text.lower().replace("\u2019", "'").strip()
    start = _NO_NEEDS.search(lowered)
    if not start:
        return False
    rest = lowered[start.end() :]
    if re.search(r"\b(but|except|apart|although|only|need|needs|use|bring|too|because|cos|coz)\b", rest):
        return False  # "Nothing too far on foot, because of the hip": a need, said as what to avoid
    return not _NEED_WORDS.search(rest) or _ALL_FINE.search(rest) is not None


_TYPED_FOR = r"(?:mum|mam|mom|dad|nan|nana|nani|gran|grandma|grandad|husband|wife)"
"""Whom a family member types for ("Mum's name is Nasrin", "my husband likes Dev"): their name is the person's."""
_NOT_A_NAME_FUNCTION_WORDS = (
    r"(?:on|at|back|when|whenever|what|whatever|anything|any|in|after|before|if|by|to|not|the|a|an|me|you|and|or|so|"
    r"that|this|it)\b"
)
"""Words after "everyone calls me" that start something other than a name ("everyone calls me a nuisance")."""
_NOT_A_NAME_WORDS = (
    rf"(?:{_NOT_A_NAME_FUNCTION_WORDS}|(?:anytime|any time|tomorrow|tonight|today|later|now|soon|again|"
    r"mornings?|evenings?|afternoons?|nights?|weekends?|weekdays?|(?:mon|tues?|wednes|thurs?|fri|satur|sun)days?|"
    r"mon|tues?|wed|thurs|fri)\b)"
)
"""Words that can follow "call me" or "call her" and start a time, a number or a way to call, not a name ("call me
on the landline", "call her after six", "call me mornings", "call me mon-fri"). Days are whole words, and those short
forms that are also names are left out: "call me Monica", "call me Sun" and "call me Thu" are names. After "everyone
calls me" only the function words count: nobody is called a time, so "everyone calls me Wed" is a name."""
_HELLO_WORDS = ("hi", "hello", "hey", "hiya")
_TIMES_OF_DAY_GREETED = ("morning", "afternoon", "evening")
_ONE_WORD_GREETINGS = ("ayup", "eyup", "howay", "alreet", "areet", "awrite", "alright", "namaste")
"""Greetings of a place or a language said as one word ("ayup", the North East's "howay")."""
_GREETING_PARTS = frozenset(
    {
        "ey",
        "eh",
        "ay",
        "up",
        "there",
        "all",
        "dear",
        "good",
        "mornin",
        "salaam",
        "salam",
        "alaikum",
        "alaykum",
        "aleikum",
    }
)
"""The other words greetings are made of ("ey up", "good morning all", "salaam alaikum"): none is a name alone."""
GREETINGS = (
    rf"(?:{'|'.join(_HELLO_WORDS)})(?: there| dear| all| everyone)?|(?:good )?(?:{'|'.join(_TIMES_OF_DAY_GREETED)})"
    rf"(?: all)?|(?:ey|ay|eh|hey) up|{'|'.join(_ONE_WORD_GREETINGS)}|why aye|sat sri akal(?: ji)?|"
    r"dzie[nń] dobry|a?s*[- ]?sala+m(?:[ -]?[ou])?[ -]?a?l[ae]y?i?k[ou]m|(?:wa[ -]?)?a?l[ae]y?i?k[ou]m[ -]?(?:as[- ]?)?sala+m|"
    r"sala+m"
)
"""Words of greeting that come before a name or an answer ("Hi there, I'm Sue", "good morning. call me after 12", the
Midlands' "ey up")."""
_NOT_A_NAME_AFTER_CALL = rf"(?!\s+{_NOT_A_NAME_WORDS})"
_NAMING_WORDS = (
    r"my name is|my name'?s|my names|my name|(?:me|ma|mi) name is|(?:me|ma|mi) name'?s|name'?s|i'?m called|"
    r"i am called|am called|i am|i'?m|im|it'?s|its|it is|this is|am|jestem|nazywam si[eę]|me llamo|je m'appelle|"
    r"ich bin|mi chiamo"
)
"""The words that give one's own name ("my name is", "I'm", "it's", "this is", and a few in the languages people
fall back on: "jestem", "me llamo"), longest first."""
_NAMING = (
    rf"(?:{_NAMING_WORDS}|call me)\s+"
    r"(?:(?-i:[A-Z])|(?!(?:me|here|good|fine|ok|okay|ready|confused|well|back|sorry|done|alright|lost|busy|tired|sure|"
    r"happy|not|a|an|the|just|only|still|so|very)\b)[\w'-]+\W*$)"
)
"""The words that go on to give a name, and its capital (or one last word that is no state of being): after them, a
courtesy or a yes before ("Yes it's Amir", "thanks, I'm Derek", "yeah im kev") is no part of the name. Not "Sure I'm
a bit nervous", "Yes it's for my mum" nor "Thanks, I'm good"."""
_AFFECTION_NO_NAME = (
    r"love|luv|lovey|bab|babe|sweetheart|sweetie|hinny|pet|petal|dear|mate|hen|ducky|duckie|our kid|lass|lad|bro"
)
"""Words of affection said to anyone ("thanks love"), never the name asked for, nor part of it."""
_AFFECTION_RARELY_A_NAME_ALONE = r"hun|hon|duck|darling|flower"
"""Words of affection that end names ("Ji Hun", "Grace Darling") but are rarely a whole name: "Ok, Hun" is said to
someone."""
_AFFECTION_OFTEN_A_NAME = r"chuck|man|pal"
"""Words of affection that are often a whole name ("Chuck", "Chi Man", "Rajesh Pal"): "Ok, Chuck" gives the name."""
_AFFECTION_ALSO_NAMES = rf"{_AFFECTION_RARELY_A_NAME_ALONE}|{_AFFECTION_OFTEN_A_NAME}"
"""Both: said to someone only in small letters ("Hi Chuck" greets a Chuck, "hi hun" nobody named)."""
_AFFECTION = rf"{_AFFECTION_NO_NAME}|{_AFFECTION_ALSO_NAMES}"
"""Those and the ones that also end names ("Ji Hun", "Ian Duck"): after a courtesy ("Ok hun, it's Kerry") they are
no name."""
_ADDRESSED = (
    rf"(?:(?:me|my|mi) )?(?:{_AFFECTION_NO_NAME}|(?:{_AFFECTION_ALSO_NAMES}|doc)(?=\s*[,.!]|\s+(?:{_NAMING_WORDS})\s)|"
    rf"(?-i:{_AFFECTION_ALSO_NAMES})(?=\s))|doctor|nurse|sir|madam"
)
"""Whom a greeting or a thanks is said to before the name: a word of affection ("Hiya love", "ey up me duck, ...") or
the person asking ("Thanks Doctor, I'm Ron"); one that is a name too only with a stop after it ("Hi Doc, Pete here",
not "Hi Chuck here")."""
_NAMES_ALSO_WORDS_OF_YES = frozenset({"yas", "roger", "si", "sim"})
"""Words of yes that are names too ("Yas", "Roger"): asked what to call someone, nobody answers "yes" with them."""
_NOT_NAMES = (
    _YES - _NAMES_ALSO_WORDS_OF_YES
    | _NO
    | set(_HELLO_WORDS)
    | set(_TIMES_OF_DAY_GREETED)
    | set(_ONE_WORD_GREETINGS)
    | _GREETING_PARTS
    | {
        "thanks",
        "thank",
        "you",
        "ta",
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
        "either",
        "both",
        "whichever",
        "nobody",
        "anything",
        "unknown",
        "test",
        "of",
        "cheers",
        "lovely",
        "great",
        "sorry",
        "soz",
        "next",
        "done",
        "bye",
        "goodbye",
        "doctor",
        "nurse",
        "sir",
        "madam",
        "i",
        "im",
        "i'm",
        "it",
        "its",
        "it's",
        "that",
        "this",
        "me",
    }
)
"""Words that are no name on their own or together: a yes or a no, a courtesy, a reply to the bot ("Ok, Next",
"OK, Done"), someone addressed ("Thanks, Doctor")."""
_STATES_OF_BEING = frozenset(
    "here nervous anxious worried scared frightened afraid terrified tired exhausted knackered shattered lonely stressed "
    "struggling depressed sad upset unsure confused sick ill poorly unwell low down rough rubbish awful terrible bad "
    "better worse well nervy bored fed".split()
)
"""Words that say how one is, none of them a name: after "I'm" or "I am" ("I am a bit nervous", "im so tired", "I'm
very well thank you") the answer gives no name. Names that are also states ("Joy", "Grace", "Hope") are not here."""
_SAID_WITH_A_STATE = frozenset(
    "a bit little so very really quite too pretty not feeling tbh honestly today atm now lol".split()
)
"""What is said around a state of being ("a bit", "so", "tbh"), no name either."""


_A_BREAK_AFTER_A_NAME = r"\s*[,;(]\s*|\s+[-\u2013\u2014]+\s+"
"""A comma, a bracket or a dash after a name, before what is said of it ("Dot, everybody does", "Robert - Bob"), as a
regex piece."""
_NAME_THEN_MORE = re.compile(rf"{_A_BREAK_AFTER_A_NAME}|(?<=\w{{3}})(?<![Mm]rs)(?<![Mm]iss)\.\s+")
"""Where what is said after a name starts: a break, or a full stop after a word (not "Mrs." or "Miss.")."""
_ONE_OR_TWO_CAPITALISED = r"(?-i:[A-Z])[\w'-]+(?:\s+(?-i:[A-Z])[\w'-]+)?\W*"
"""One or two words with capitals, as a name is written ("Sue", "Mary Jones"), as a regex piece."""
_CAPITALISED = re.compile(rf"\s*{_ONE_OR_TWO_CAPITALISED}")
"""The same as a whole answer, spaces before it allowed ("nervous, Sue")."""
_GIVES_A_NAME = re.compile(rf"\W*(?:{_NAMING_WORDS}|call me)\s", re.IGNORECASE)
"""Words that bring a name in ("I'm Sue", "it's Dave", "call me Jo")."""


def _only_how_one_is(text: str) -> bool:
    """Words that only say how one is ("a bit nervous", "so tired"), with yes, no and courtesy words beside them."""
    tokens = letter_words(text)
    return any(token in _STATES_OF_BEING for token in tokens) and all(
        token in _STATES_OF_BEING or token in _SAID_WITH_A_STATE or token in _NOT_NAMES for token in tokens
    )


_NOT_A_NAME_AFTER_A_YES = (
    "|".join(
        re.escape(word) for word in sorted(_NOT_NAMES | {"doc", "mum", "mam", "mom", "dad"}, key=len, reverse=True)
    )
    + rf"|(?-i:will|{_AFFECTION_ALSO_NAMES})"
)
"""Words after "ok," or "thanks," that start no name: those above, and names that are also a word or someone addressed
("Ok, will do", "Thanks, Doc", "Yes, Mum", "ok, hun"), which are names when given alone; "will" and the words of
affection that are names too only in small letters ("Ok, Will" and "ok, Chuck" give the name)."""
_A_REPLY = re.compile(
    rf"\W*(?:({_COURTESY_OR_AGREEING}|{_TEXTED_AGREEING}|ty)|(?:{GREETINGS}))\b[\s,.!]*(.+?)(?:\s+x+)?[\s,.!]*",
    re.IGNORECASE,
)
"""A yes, a thanks or a greeting, then whom it is said to."""
_SAID_TO_SOMEONE_AFTER_A_YES = re.compile(
    rf"(?:(?:me|my|mi)\s+)?(?:{_AFFECTION_NO_NAME}|{_AFFECTION_RARELY_A_NAME_ALONE}|(?-i:{_AFFECTION_OFTEN_A_NAME}|will)|"
    r"doc|doctor|nurse|sir|madam|"
    r"mum|mam|mom|dad|nan|gran|grandma)",
    re.IGNORECASE,
)
"""After "ok", "yes" or "thanks", whom it is said to ("Ok hun", "Yes, Mum", "ta me duck"): no name is given."""
_SAID_TO_SOMEONE_AFTER_A_GREETING = re.compile(
    rf"(?:(?i:me|my|mi)\s+)?(?:(?i:{_AFFECTION_NO_NAME})|{_AFFECTION}|doc|doctor|nurse)"
)
"""After "hiya" or "morning", a word of affection or the person asking ("Hiya love", "morning flower x", "hi doc");
one that is a name too only in small letters ("Hi Chuck" greets a Chuck, "Hi Doc" may be a Doc)."""


def _a_reply_with_no_name(text: str) -> bool:
    """A reply said to someone, with no name in it: a yes or a thanks then whom it is said to ("Ok hun", "Yes, Mum"),
    or a greeting then a word of affection ("Hiya love")."""
    reply = _A_REPLY.fullmatch(text.strip())
    if reply is None:
        return False
    said_to = _SAID_TO_SOMEONE_AFTER_A_YES if reply.group(1) else _SAID_TO_SOMEONE_AFTER_A_GREETING
    return said_to.fullmatch(reply.group(2)) is not None


_NAME_AFTER_A_STOP = (
    rf"(?:(?<=[,.!])|(?<=[,.!]\s))(?!(?:{_COURTESY_OR_AGREEING}|{_AFFECTION_NO_NAME}|{_NOT_A_NAME_AFTER_A_YES})\b)"
    rf"(?:(?:{TITLES})\.?\s+)?{_ONE_OR_TWO_CAPITALISED}$"
)
"""A name alone after a yes or a thanks and a stop ("Yes, Amir", "Ok, Jo", "Thanks, Mrs Patel"), not a word of
courtesy or affection ("Ok, Great", "Thanks, Love")."""
_NAME_PREFIX = re.compile(
    rf"^(?:(?:(?:(?:{_COURTESY_OR_AGREEING}|{_TEXTED_AGREEING})(?: for asking)?(?: (?:{_ADDRESSED}))?|"
    rf"(?:{GREETINGS})(?: (?:{_ADDRESSED})\b| (?:(?:{TITLES})\.?\s+)?(?-i:[A-Z])[\w'-]*)?)"
    rf"[ ,!.]+)+(?={_NAMING}|{_NAME_AFTER_A_STOP}))?"
    rf"(?:(?:{GREETINGS})(?: (?:{_ADDRESSED})\b)?[ ,!.]+(?!(?:there|dear|all)\b))?(?:(?:{_NAMING_WORDS}|name:?|"
    r"(?:she|he|they)'?s called|(?:she|he) is called|"
    rf"(?:(?:you can|please|just) )?call (?:me|us){_NOT_A_NAME_AFTER_CALL}|(?:her|his|(?:my )?{_TYPED_FOR}'?s) name(?: is|'s|s)|"
    r"(?:he|she|they|mum|mam|mom|dad|my \w+) says|"
    rf"(?:you can |please |just )?call (?:him|her)(?=\s){_NOT_A_NAME_AFTER_CALL}|"
    rf"(?:she|he|they|(?:my )?{_TYPED_FOR})"
    r"(?: would)? (?:likes?|prefers?)(?: to be called| being called)?"
    r"(?=\s+(?!(?:not|to|by|her|his|a|an|the|it|being|that|no|me|you|them)\b)))\s+)?",
    re.IGNORECASE,
)
_CALL_ME = re.compile(
    r"\b(?:(?i:call (?:me|him|her|us)|you (?:can|may|could) call me|please use|known as|go by|goes by|"
    rf"(?:wants?|likes?|prefers?) (?:to be |being )called)\s+(?!(?i:{_NOT_A_NAME_WORDS}))|"
    r"(?i:(?:everyone|everybody|people|friends|family|they all|most people|we all) calls? (?:me|him|her|us))\s+"
    rf"(?!(?i:{_NOT_A_NAME_FUNCTION_WORDS})))"
    rf"((?i:{TITLES})\.?\s+[A-Za-z][\w'-]*|[A-Za-z][\w'-]*(?:\s+[A-Z][\w'-]*)?)"
)
"""The name someone asks to be called, anywhere in a longer answer ("My name is Dorothy Williams. You
may call me Dot", "Wendy is my English name, please use Wendy", the North's "everyone calls us Mo")."""


COMMON_WORDS = frozenset(
    """that this with have just also been they them then than what when where which would could should about really
    actually sorry please thanks thank change changed wrong right want like need part said says there here those these
    good fine okay great lovely almost
    the and not but too one two for you are was its yes all any can get got has had his her him she how why who put
    way bit out off day new old see say let lot own our may use try ask did yet few top now
    more much some very only well mine your yours from into over after before think meant mean make instead rather
    prefer better isn't dont don't cant can't wont won't didn't doesn't does bits said saying thing things stuff
    something someone anything everything nothing because though although still even ever every other another
    again already maybe perhaps quite pretty little since being having doing going getting know need needs will""".split()
)
"""Words too common to tell one answer from another: a read-back reply's own words find the part it means, and an
"other" area's description finds it again, only by words not among these."""


_NO_NAME = re.compile(
    r"\b(whatever|anything|(?<!if you )don'?t mind|(?<!if you )do not mind|not bothered|up to you|your choice|"
    r"you choose|what do you)\b"
)
"""Leaving the name to the bot ("whatever you like", "I don't mind"): no name to save, so asked again."""
_RATHER = re.compile(r"[\s,]+but\s+(?:just\s+|please\s+|call me\s+|you can call me\s+)?", re.IGNORECASE)
_WILL_DO = r"fine|ok|okay|good|great|lovely|grand"
"""What people say a name will do as ("Mo's fine", "Edith is lovely"), as a regex alternation."""
_NAME_TAIL = re.compile(
    rf"'s\s+(?:{_WILL_DO})$|"
    rf"\s+(?:(?:is|'s|will do|would be)\s+(?:{_WILL_DO})|will do|to (?:my )?(?:friends|family|"
    r"everyone|most people)|please|pls|x+|lol|m8|thank u|ty|cheers|if you (?:don'?t|do not) mind|"
    r"me duck|here|'?ere|speaking|"
    + not_after(*TITLES.split("|"))
    + rf"(?!(?-i:Love|Dear)\b)(?:{_AFFECTION_NO_NAME})|i guess|i suppose|i think|"
    r"with (?:no|an?|one|two) [a-z]|(?:sorry|soz)\b.*|is what (?:she|he|they|i|we|everyone|people)\b.*)$",
    re.IGNORECASE,
)
"""What people put after their name: "is fine", "will do", "to my friends", "please", a kiss, an emoji, a word of
affection said to anyone ("Mo hinny", "Sue pet", "Jan dear"; after a title it is the name: "Mrs Love"), a hedge
("Gemma I guess")."""


def parse_name(text: str) -> Optional[str]:
    """A short name to call the patient by; None if it doesn't look like one.

    "Margaret, but Peggy please" and "Ahmed Rahman but just Ahmed is fine" are called by the name
    after "but"; "Mrs Patel is fine", "just Bob thanks 👍" and "Its Siobhan x" by the name alone."""
    text = text.replace("\u2019", "'")
    calling = _CALLING_AFTER_THE_NAME.search(text)
    if calling and not _CALL_ME.search(text[: calling.start()]):
        before = text[: calling.start()]
        if _ONLY_COURTESY.fullmatch(before):
            return None  # "Hi, call me anytime", "Ok call me tomorrow": when to ring, and no name
        text = before  # "Joan. call me tomorrow if you need anything", "Sandra call me anytime": the name before it
    either = _EITHER_WILL_DO.search(text)
    if either and not _A_WAY_TO_CALL.match(text) and not _KINDS_OF_NAME.search(text[: either.start()]):
        first = _BEFORE_ANOTHER_NAME.split(text[: either.start()].strip(), maxsplit=1)[0]
        given = _name_alone(first) if first != text[: either.start()].strip() else None
        if given and given.lower() not in _FAMILY_WORDS:
            return given  # "Margaret, though my friends call me Peggy, either is fine": the first given
    will_do = _ONE_OF_THEM_WILL_DO.search(text) or _ONE_OF_THEM_SAID_AGAIN.search(text)
    if will_do and will_do.group(2).lower() in letter_words(will_do.group(1)) and len(will_do.group(1).split()) > 1:
        return will_do.group(2)  # "Mrs Edith Buchanan. Edith is fine."
    or_another = _OR_ANOTHER.search(text)
    if or_another and _name_alone(or_another.group(1)) and _name_alone(or_another.group(2)):
        return _name_alone(or_another.group(2))  # "Elizabeth, or Liz"
    put_right = _NAME_PUT_RIGHT.match(text)
    if put_right and _name_alone(put_right.group(1)):
        return _name_alone(put_right.group(1))  # "Derek. Nah, Del, nobody calls me Derek except me mom"
    would_be_nice = [found.group(1) for found in _WOULD_BE_NICE.finditer(text)]
    if would_be_nice and len(text.split()) > 4 and _name_alone(would_be_nice[-1]):
        return _name_alone(would_be_nice[-1])  # "Well I'm Dorothy, but ... so Dot would be nice."
    put_down = _PUT_DOWN.search(text)
    if put_down and _name_alone(put_down.group(1)):
        return _name_alone(put_down.group(1))  # "we call her ayeeyo but put Hodan"
    asked = [m for m in _CALL_ME.finditer(text) if not _REFUSED_NAME.search(text[: m.start()].lower())]
    if asked and (len(text.split()) > 4 or not text[: asked[-1].start()].strip()):
        return _name_alone(asked[-1].group(1))  # "... You may call me Dot", "everyone calls us Mo"
    parts = _RATHER.split(text.strip(), maxsplit=1)
    rather = _name_alone(parts[1]) if len(parts) == 2 and not _NO_NAME.search(parts[1].lower()) else None
    if rather and len(rather.split()) <= 2 and "(" not in parts[0] and words(rather)[0] not in _NOT_A_RATHER:
        return rather
    if len(parts) == 2 and not _NO_NAME.search(parts[0].lower()) and _name_alone(parts[0]):
        return _name_alone(parts[0])  # "Jo but not Joanne", "Emily but thats ok"
    if _NO_NAME.search(text.lower()):
        # "Peter, but it's up to you": the name before it; "whatever you like" alone gives none.
        first = re.split(r"\s*,\s*|\s+but\s+", text.strip(), maxsplit=1)[0]
        return _name_alone(first) if first != text.strip() and not _NO_NAME.search(first.lower()) else None
    if _CALLING_NOT_NAMING.match(text):
        return None  # "call me mornings": when to ring, not a name
    return _name_alone(text)


_EITHER_WILL_DO = re.compile(
    r"[\s,.;!-]+(?:(?:honestly|really|tbh|so|and)\s+)?(?:either|both|any|whichever)(?:\s+(?:one|of them|of those|name))?"
    r"(?:'s|s|\s+is|\s+are|\s+will|\s+would|\s+works?)?\s*(?:be\s+)?"
    rf"(?:{_WILL_DO}|do|alright)\b"
    r"[\s\w,.!']*$",
    re.IGNORECASE,
)
"""Two names given, then either will do ("..., either is fine", "either's fine", "both ok"): the first given."""
_A_WAY_TO_CALL = re.compile(r"\W*(?:call|text|ring|phone|email|e-mail|mobile|landline)\b", re.IGNORECASE)
"""Ways to be reached, which "either is fine" may follow too ("Call me or text me, either is fine")."""
_KINDS_OF_NAME = re.compile(r"\b(?:name|surname|nickname|title)s?\b", re.IGNORECASE)
"""Words for kinds of name ("first name or surname, either is fine"): a choice of which, with no name given."""
_FAMILY_WORDS = frozenset(
    "gran nan nana nanna grandma granny nanny aunty auntie uncle mum mam dad grandad grandpa".split()
)
"""What the family calls someone ("Gran or Maureen, either will do"): the other name is the one to write."""
_BEFORE_ANOTHER_NAME = re.compile(rf"{_A_BREAK_AFTER_A_NAME}|\s+(?:or|though|but|although|tho)\s+", re.IGNORECASE)
"""Where a second name starts after the first ("Margaret, though ...", "Margaret or Peggy", "Robert - most call
me Bob")."""
_CALLING_NOT_NAMING = re.compile(
    rf"^\W*(?:(?:you can|please|just) )?call (?:me|us)\s+{_NOT_A_NAME_WORDS}", re.IGNORECASE
)
""""Call me" followed by a time or a way, not a name ("call me mornings", "just call me after 5"): an answer about
ringing, which gives no name to call the person by."""
_CALLING_AFTER_THE_NAME = re.compile(
    rf"(?:[.,;!]\s*|\s+)(?:(?:you can|please|just|and|so) )*(?:call|ring|phone) (?:me|us)\s+{_NOT_A_NAME_WORDS}.*$",
    re.IGNORECASE | re.DOTALL,
)
"""Words about when or how to ring after the name, with or without a stop ("Joan. call me tomorrow if you need
anything", "Sandra call me anytime", "Hi im Lucy call me after 3")."""
_ONLY_COURTESY = re.compile(
    rf"\W*(?:(?:{GREETINGS}|{_COURTESY_OR_AGREEING}|so|sorry|great|cheers|lovely|cool|just|and|"
    r"you can)\b\W*)*",
    re.IGNORECASE,
)
"""What may come before "call me after 5" without being a name: a greeting, a courtesy, a word of agreeing."""


_NAME_PUT_RIGHT = re.compile(
    r"^\W*[A-Z][\w'-]*\W+(?i:no|nah|naw|actually|sorry|i mean|or rather|well)\W+([A-Z][\w'-]*)(?=\W*(?:$|[,.;!]))"
)
"""A name put right at once ("Derek. Nah, Del, ...", "Jo, no, Joanne"): the second; a capital after the correction,
so "Mary, no need for the surname" is not one."""
_WOULD_BE_NICE = re.compile(
    r"(?:^|[,.;!]\s*(?:(?i:so|and|but)\s+)?|\b(?i:so)\s+)([A-Z][\w'-]+)\s+(?i:would|will|'d|'ll)\s+(?i:be\s+)?"
    r"(?i:nice|lovely|fine|great|good|perfect|best|do)\b"
)
"""The name a long answer settles on ("..., so Dot would be nice", "Bob will do")."""
_PUT_DOWN = re.compile(r"\bbut\s+(?:please\s+)?(?:put|write|use)\s+(.+)$", re.IGNORECASE)
"""The name to write down, after what the family says ("we call her ayeeyo but put Hodan")."""
_ONE_OF_THEM_WILL_DO = re.compile(
    r"^(.+?\w)(?:[.!]|,\s*(?i:though|but|so))\s+([A-Z][\w'-]+)\s+(?i:is|will|would|'s)\b(?i:[\w\s']*?)"
    rf"\b(?i:{_WILL_DO}|acceptable|nicely|do)\W*$"
)
"""A whole name, then which of its names will do ("My name is Arthur Pemberton. Arthur will do nicely.", "Mrs Ann
Smith, though Ann will do")."""
_ONE_OF_THEM_SAID_AGAIN = re.compile(
    r"^(.+?\w)[.!,]\s+([A-Z][\w'-]+)(?:\W+(?i:if you must|if you like|please|pls|thanks|thank you|ta|x+))?\W*$"
)
"""A whole name, then one of its names said on its own ("Rhys Evans. Rhys.", "Dr Ann Lee. Ann, if you must")."""
_OR_ANOTHER = re.compile(r"^(.+?\w)[.,]?\s+(?i:or)\s+([A-Z][\w'-]+)\W*$")
"""One name, then another offered after "or" ("Elizabeth, or Liz", "Mr Obi is fine. Or Tunde."): the one offered
last, most often the one used day to day."""
_REFUSED_NAME = re.compile(r"(?:n't|not|dont|never|used to)\s*$")
"""Before "call me": "Dont call me Bill" is the name not wanted."""
_NOT_A_RATHER = frozenset("not no thats that's that it its it's this i i'm im you".split())
"""Words that start a comment after "but", not a name ("Jo but not Joanne", "Emily but thats ok")."""


def _without_tail(name: str) -> str:
    """The name without what follows it: symbols and emoji first (a plain strip, no regex backtracking),
    then comment words, then courtesy, until nothing more comes off."""
    while True:
        stripped = re.sub(r"[^\w.'-]+$", "", name.rstrip())
        stripped = without_courtesy(_NAME_TAIL.sub("", stripped)).strip(" .!,")
        if stripped == name:
            return name
        name = stripped


def _name_alone(text: str) -> Optional[str]:
    name = _NAME_PREFIX.sub("", text.strip()).strip(" .!,")
    name = re.sub(r"^just\s+", "", name, flags=re.IGNORECASE)
    first, *rest = _NAME_THEN_MORE.split(name, maxsplit=1)
    if rest and _name_alone(first):
        name = first  # "Dot, everybody does", "Sue (Susan on my notes)", "Dr Okafor - old habits"
    elif rest and _only_how_one_is(first):
        # "I'm a bit nervous, I'm Sue", "nervous, Sue": the name after; "I'm nervous, first time" gives none
        return _name_alone(rest[0]) if _GIVES_A_NAME.match(rest[0]) or _CAPITALISED.fullmatch(rest[0]) else None
    name = _without_tail(name)
    if not name or len(name) > 60 or len(name.split()) > 4:
        return None
    if re.search(r"[<>{}\[\]\\/@#$%^*=+|~`0-9]", name):
        return None
    tokens = letter_words(name)
    if (tokens and all(token in _NOT_NAMES for token in tokens)) or _only_how_one_is(name):
        return None  # "Ok, Next", "I am a bit nervous", "im so tired": no name in it
    if _a_reply_with_no_name(text):
        return None  # "Ok hun", "Yes, Mum", "ok will": a reply said to someone, with no name in it
    return name[:1].upper() + name[1:]


_EMAIL = re.compile(r"[A-Za-z0-9._%+'-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")


def parse_email(text: str) -> Optional[str]:
    """An e-mail address; of two different ones, the one a correction ends on ("h.jones@... no sorry that's my old
    one, helen.jones62@..."), else the first ("bob@..., cc my daughter sarah@...")."""
    found = [(found.span(), found.group(0).lower()) for found in _EMAIL.finditer(text)]
    return _the_one_given(found, text, otherwise_first=True)


_CORRECTING = re.compile(
    rf"\b(?:{_ALWAYS_PUTS_RIGHT}|sorry|soz|wait|actually|i mean|wrong (?:one|number|address)|"
    r"not that one|that'?s (?:my|me|the|an) old (?:one|number|address|email))\b",
    re.IGNORECASE,
)
"""Words between two numbers or addresses that put the first right ("07700 900 412 no hang on thats me old one")."""


def _the_one_given(
    found: Sequence[tuple[tuple[int, int], str]], text: str, otherwise_first: bool = False
) -> Optional[str]:
    """Of the values found in order, the one given: the only one; or, when a correction stands between the two
    different values and the second is not called old ("..., the old bob@..."), the second. Otherwise the first if
    `otherwise_first`, else none."""
    distinct = list(dict.fromkeys(value for _, value in found))
    if len(distinct) == 1:
        return distinct[0]
    if len(distinct) == 2:
        last_of_first = max(span[1] for span, value in found if value == distinct[0])
        first_of_last = min(span[0] for span, value in found if value == distinct[1])
        between = text[last_of_first:first_of_last] if last_of_first < first_of_last else ""
        if _puts_right(between):
            return distinct[1]
    return distinct[0] if distinct and otherwise_first else None


_SECOND_CALLED_OLD = re.compile(r"(?<![\w'])(?:(?:the|my|me|an?)\s+)?(?:old|previous|former|lost)\b(?:\s+\w+){0,2}\W*$")
_THAT_WAS = re.compile(r"\b(?:that'?s|thats|that is|it'?s|its)\s+$")
_FIRST_CALLED = re.compile(
    r"[\s(\[-]*(?:is |was |that'?s |thats )?(?:my |me |the |an )?(old|new)(?: one| number| address| email)?\s*[)\],;.]"
)
_SECOND_CALLED_NEW = re.compile(
    r"\b(?:(?:new|current|proper|right|correct)(?:\s+(?:one|number|mobile|address|email))?(?:\s+is|'s)?|"
    r"now (?:it'?s|its|it is))\W*$"
)


def _puts_right(between: str) -> bool:
    """Whether the words between two numbers or addresses put the first right: a correction ("no hang on thats me old
    one, its ..."), the first called old ("... (old) ..."), or the second called new ("..., new one is ..."). Not when
    the second is called old (", the old bob@aol.com", ", old one was ...") or the first new ("tom@... (new) ...")."""
    lowered = between.lower()
    first = _FIRST_CALLED.match(lowered)
    after_first = first.end() if first else 0
    second_old = _SECOND_CALLED_OLD.search(lowered, after_first)
    if (first and first.group(1) == "new") or (second_old and not _THAT_WAS.search(lowered[: second_old.start()])):
        return False
    return bool(
        _CORRECTING.search(lowered) or (first and first.group(1) == "old") or _SECOND_CALLED_NEW.search(lowered)
    )


_PHONE_SPAN = re.compile(r"(?:\+|\(\s*)?\d[\d\s().-]{6,}\d")
"""A run of digits with the spaces, dashes and brackets people type in a phone number."""


def parse_uk_phone(text: str) -> Optional[str]:
    """A UK phone number in E.164 (+44...), from "07700 900123", "+44 7700 900123" and the like,
    with words around it ("07700 900 123 after 5pm", "it's my daughter's: 0113 249 6000").
    Two different numbers are no number, unless the second puts the first right ("07700 900 412 no hang on thats me
    old one, its 07700 900 421"): the person is asked again, never one of them guessed."""
    without_times = _TIMES.sub(" ", digits_for_words(text))
    found = [
        (span.span(), phone) for span in _PHONE_SPAN.finditer(without_times) if (phone := _uk_phone(span.group(0)))
    ]
    return _the_one_given(found, without_times)


_DIGIT_WORDS = {
    **{word: str(digit) for digit, word in enumerate("zero one two three four five six seven eight nine".split())},
    "oh": "0",
    "o": "0",
    "nought": "0",
    "nil": "0",
}
_SPOKEN_DIGIT = rf"(?:(?:double|triple)\s+)?(?:{'|'.join(_DIGIT_WORDS)}|\d+)\b"
_SPOKEN_DIGITS = re.compile(rf"\b{_SPOKEN_DIGIT}(?:[\s,.-]+{_SPOKEN_DIGIT})+", re.IGNORECASE)
"""A run of digits said as words, alone or among figures ("zero seven seven zero zero, nine zero zero, two zero
three", "oh seven seven double oh...")."""


_NUMBER_PUT_RIGHT = re.compile(rf"\b(?:{_ALWAYS_PUTS_RIGHT}|actually|no,? (?:wait|sorry|it'?s|its|that'?s))\b")


def _a_uk_phone_number(digits: str) -> bool:
    """The digits of a whole UK number: 11 from 0, or 44 and 10."""
    return len(digits) == 11 and digits.startswith("0") or len(digits) == 12 and digits.startswith("44")


def digits_for_words(text: str, whole: Callable[[str], bool] = _a_uk_phone_number) -> str:
    """The text with a number said in words written in figures: only a run with a word among them that makes a
    `whole` number (a UK phone number unless told; an NHS number: "nine nine nine, six one four, seven seven five
    four"), so "one or two", "07700 900123, one more thing" and numbers in figures stay as they are; and none that is
    put right after ("... one two three. no wait, one two four"), which is asked again."""

    def figures(run: re.Match[str]) -> str:
        digits = ""
        for times, token in re.findall(r"(?:(double|triple)\s+)?(\w+)", run.group(0).lower()):
            digit = _DIGIT_WORDS.get(token, token)
            digits += digit * (2 if times == "double" else 3 if times == "triple" else 1)
        said_in_words = re.search(r"[a-z]", run.group(0), re.IGNORECASE) is not None
        a_number = digits.isdigit() and whole(digits)
        put_right_after = _NUMBER_PUT_RIGHT.search(text[run.end() :].lower()) is not None
        return digits if said_in_words and a_number and not put_right_after else run.group(0)

    return _SPOKEN_DIGITS.sub(figures, text)


_TIMES = re.compile(
    r"\b\d{1,2}(?:[:.]\d{2})?\s*(?:am|pm|o'?clock)\b|\b\d{1,2}(?:[:.]\d{2})?\s*(?:-|to|till|until)\s*\d{1,2}"
    r"(?:[:.]\d{2})?\s*(?:am|pm)?(?!\s*\d)\b|\b(?:after|before|from|till|until|around|at)\s+\d{1,2}(?:[:.]\d{2})?\b",
    re.IGNORECASE,
)
"""Times people put beside a number ("2pm", "9-5", "after 6"): never part of it."""


def _uk_phone(text: str) -> Optional[str]:
    digits = re.sub(r"[^\d+]", "", text)
    if digits.startswith("00"):
        digits = "+" + digits[2:]
    elif digits.startswith("44") and len(digits) == 12:
        digits = "+" + digits  # "447700900222": the +44 form without its plus
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
