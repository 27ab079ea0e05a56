"""Which language a person names, however they write it.

People answer "Which language would you like to speak in?" with the language's English name
("Polish"), its own name ("polski", "Türkçe"), its own script ("اردو", "ትግርኛ", "русский"), a
misspelling ("Portugese", "Gujrati"), or inside a sentence ("my mum only speaks urdu, I'm helping her
type", "little english. lithuanian better"). The link worker books an interpreter by the English name,
so that is what is kept. The table holds the languages most spoken in England after English (the
2021 census's main languages) and the sign languages; a language it does not hold is kept as typed.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from typing import Mapping, Optional

from bot.intake import normalise
from bot.intake.questions import INTERPRETER_YES

_NAMES: Mapping[str, tuple[str, ...]] = {
    "Polish": ("polski", "polska", "polnisch"),
    "Romanian": ("romana", "limba romana", "moldovan"),
    "Punjabi": ("panjabi", "punjabi", "ਪੰਜਾਬੀ", "پنجابی"),
    "Urdu": ("اردو",),
    "Pahari-Pothwari (Mirpuri)": ("pahari", "pothwari", "potwari", "mirpuri"),
    "Portuguese": ("portugues", "portuguesa", "brazilian portuguese"),
    "Spanish": ("espanol", "castellano"),
    "Arabic": ("عربي", "العربية", "عربية", "arabi"),
    "Bengali": ("bangla", "বাংলা"),
    "Sylheti": ("ꠍꠤꠟꠐꠤ",),
    "Gujarati": ("gujrati", "ગુજરાતી"),
    "Italian": ("italiano",),
    "Mandarin": ("putonghua", "普通话", "普通話", "國語", "国语"),
    "Cantonese": ("粵語", "粤语", "廣東話", "广东话"),
    "Chinese": ("中文", "汉语", "漢語", "zhongwen"),
    "Lithuanian": ("lietuviu", "lietuviskai"),
    "French": ("francais",),
    "Tamil": ("தமிழ்",),
    "Turkish": ("turkce",),
    "Farsi": ("persian", "فارسی", "parsi"),
    "Dari": ("دری",),
    "Pashto": ("pushto", "pashtu", "پښتو"),
    "Kurdish": ("kurdi", "کوردی"),
    "Kurdish (Sorani)": ("sorani",),
    "Kurdish (Kurmanji)": ("kurmanji",),
    "Somali": ("soomaali", "af soomaali"),
    "Tigrinya": ("tigrigna", "tigrinia", "ትግርኛ"),
    "Amharic": ("amarigna", "አማርኛ"),
    "Russian": ("русский", "русский язык", "russkiy"),
    "Ukrainian": ("українська", "ukrainska"),
    "Bulgarian": ("български", "balgarski"),
    "Hungarian": ("magyar",),
    "Greek": ("ελληνικά", "ellinika"),
    "German": ("deutsch",),
    "Latvian": ("latviesu", "latviski"),
    "Slovak": ("slovencina", "slovensky"),
    "Czech": ("cestina", "cesky"),
    "Albanian": ("shqip", "shqipe"),
    "Vietnamese": ("tieng viet",),
    "Tagalog": ("filipino", "pilipino", "taglish"),
    "Malayalam": ("മലയാളം",),
    "Hindi": ("हिन्दी", "हिंदी"),
    "Nepali": ("nepalese", "नेपाली"),
    "Sinhala": ("sinhalese", "සිංහල"),
    "Telugu": ("తెలుగు",),
    "Marathi": ("मराठी",),
    "Yoruba": (),
    "Igbo": (),
    "Twi": ("akan", "asante twi"),
    "Shona": (),
    "Swahili": ("kiswahili",),
    "Lingala": (),
    "Hausa": (),
    "Oromo": ("afaan oromoo",),
    "Welsh": ("cymraeg",),
    "Irish": ("gaeilge",),
    "Scottish Gaelic": ("gaelic", "gaidhlig"),
    "Hebrew": ("עברית", "ivrit"),
    "Japanese": ("日本語", "nihongo"),
    "Korean": ("한국어", "hangugeo"),
    "Thai": ("ภาษาไทย",),
    "Dutch": ("nederlands",),
    "Swedish": ("svenska",),
    "Serbian": ("srpski", "српски"),
    "Croatian": ("hrvatski",),
    "Bosnian": ("bosanski",),
    "Slovenian": ("slovenscina",),
    "Estonian": ("eesti",),
    "Romani": ("romanes",),
    "Burmese": ("myanmar", "မြန်မာ"),
    "Malay": ("bahasa melayu",),
    "British Sign Language (BSL)": ("british sign language", "bsl", "sign language"),
    "Makaton": (),
}
"""Each language's English name, with its own names (accents dropped), scripts and common other names. A
dialect an interpreter is booked for on its own (Sylheti, Sorani) is its own entry."""
_BROADER = {"Chinese": ("Mandarin", "Cantonese"), "Kurdish": ("Kurdish (Sorani)", "Kurdish (Kurmanji)")}
"""A name that only says the family of a more exact one said beside it ("Mandarin Chinese" is Mandarin)."""
_NOT_WANTED = re.compile(r"\b(?:no|not|don'?t need|dont need|without)\s+(?:\w+\s+)?$")

_ENGLISH_WORDS = ("english", "inglese", "anglais", "angielski", "engleza", "ingles")


def _plain(text: str) -> str:
    """Lower case, with combining marks dropped ("română" is "romana"); the names in other scripts above are
    stored the same way, so both sides compare alike."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return unicodedata.normalize("NFC", "".join(c for c in decomposed if not unicodedata.combining(c)))


def _is_latin(phrase: str) -> bool:
    return all(c.isascii() for c in phrase)


_PHRASES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (
        re.compile(rf"(?<![\w]){re.escape(phrase)}(?![\w])" if _is_latin(phrase) else re.escape(phrase)),
        name,
    )
    for name, others in _NAMES.items()
    for phrase in sorted({_plain(name), *(_plain(other) for other in others)}, key=len, reverse=True)
)
"""Whole words for Latin-letter names; a name in another script anywhere (some scripts have no spaces)."""
_SPELLINGS = {_plain(name): name for name in _NAMES} | {
    _plain(other): name for name, others in _NAMES.items() for other in others if _is_latin(other) and len(other) >= 5
}

_SPELLING_KEYS = list(_SPELLINGS)
"""The names a misspelling is compared with (see `languages_named`)."""


def languages_named(text: str) -> list[str]:
    """The languages other than English a text names, in the order said, leaving out one said not to be wanted
    ("no sign language needed, urdu"); when none is named and the answer is a word or three, a word of five
    letters or more close to a name counts ("Portugese", "Lithuenian"), never a word in a longer sentence
    (where it is more likely a person's name: "Francis", "Marina"). Closeness here is difflib's likeness, with no
    vocabulary guard: a language's name need be no English word ("Tigrinya"), and in an answer of a word or three it
    can only be meant as one; `spelling.put_right` reads option words out of any sentence, so it asks more."""
    plain = _plain(text)
    found: list[tuple[int, str]] = []
    for pattern, name in _PHRASES:
        match = pattern.search(plain)
        if match and all(n != name for _, n in found) and not _NOT_WANTED.search(plain[: match.start()]):
            found.append((match.start(), name))
    found = [(at, name) for at, name in found if not any(n in _BROADER.get(name, ()) for _, n in found)]
    if not found and len(plain.split()) <= 3:
        for match in re.finditer(r"[a-z]{5,}", plain):
            close = difflib.get_close_matches(match.group(), _SPELLING_KEYS, n=1, cutoff=0.86)
            if close and _SPELLINGS[close[0]] not in (n for _, n in found):
                found.append((match.start(), _SPELLINGS[close[0]]))
    return [name for _, name in sorted(found)]


_ENGLISH = re.compile(rf"\b(?:{'|'.join(_ENGLISH_WORDS)}|eng|engl)\b")


def names_english(text: str) -> bool:
    """English named, however spelt ("english", "engish", "inglese")."""
    plain = _plain(text)
    if _ENGLISH.search(plain):
        return True
    return any(
        difflib.SequenceMatcher(None, word, "english").ratio() >= 0.85 for word in re.findall(r"[a-z]{5,}", plain)
    )


def language_in_words(text: str) -> Optional[str]:
    """The English name of the language named besides English ("X or Y" for more than one), else None."""
    named = languages_named(text)
    return " or ".join(named) if named else None


_LITTLE_ENGLISH = re.compile(
    r"\benglish (?:is )?(?:a )?(?:little|bit|so so|no good|not (?:so |very )?good|basic|limited|weak|poor)\b|"
    r"\b(?:some|basic|limited|a bit of|little bit of) english\b|\bnot english\b"
)
"""English named as the language a person is weaker in, in the word orders the interpreter question's own
yes-words (`INTERPRETER_YES`: "little english", "poor english") do not hold ("English a little, Polish better")."""


_QUOTE = re.compile(r"(?<![\w])'|'(?![\w])")
"""A quotation mark, not an apostrophe: "'no english' Polish" says "no english"."""


def little_english(text: str) -> bool:
    """Whether a person says their English is weak (or that they do not understand)."""
    lowered = _QUOTE.sub(" ", text.lower().replace("\u2019", "'"))
    return normalise.has_phrase(lowered, INTERPRETER_YES) or _LITTLE_ENGLISH.search(lowered) is not None


ENGLISH = "english"
"""What is kept when English is chosen (the interpreter question is then not asked)."""
_NO_LANGUAGE = re.compile(
    r"(?:hello|hi|hiya|hey|thanks?|thank you|ta|cheers|either|any|anything|both|whatever|don'?t mind|dont mind|"
    r"no preference|none|nothing|not sure|dunno|idk)\b"
)
"""Replies that open with no language in them ("hello", "either is fine", "not sure")."""
_ANOTHER = re.compile(r"(another|other|a different)( one| language)?")
_ABOUT_INTERPRETING = re.compile(r"\binterpret|\btranslat")
_LEAD_IN = re.compile(r"^(i speak|i prefer|my language is|it's|its|in)\s+", re.IGNORECASE)


_BETTER = re.compile(
    r"\b(?:better|best|more comfortable|if possible|if poss|ideally|preferably)\b|"
    r"^\W*(?:in\s+)?[\w'-]+(?:\s*\([^)]*\))?\W*(?:please|pls|plz)\b"
)
"""Words that make a language named beside English the one to speak in ("Polish better, but English also ok",
"Farsi please, but I can also try English": "please" only right after the language, opening the clause);
not words of background ("my first language is Polish but my English is good", "my parents mainly speak Urdu")."""


def _preferred_over_english(text: str) -> bool:
    """A clause naming another language, not English, with a word of preference."""
    return any(
        _BETTER.search(clause) and languages_named(clause) and not names_english(clause)
        for clause in re.split(r"[,;.]|\bbut\b", text.lower())
    )


def language_chosen(text: str) -> Optional[str]:
    """The language to keep from a reply to "Which language would you like to speak in?": a name from the
    table ("Urdu", "Mandarin or Cantonese"), `ENGLISH`, or one the table does not hold as typed ("Dinka",
    "Krio please"); None when the reply names none and the question is to be asked again (a question back,
    "no", "hello", only that English is weak)."""
    lowered = text.lower()
    limited = little_english(lowered)
    other = language_in_words(text)
    english = names_english(text)
    if other and (limited or not english or _preferred_over_english(text)):
        return other  # "my mum only speaks urdu", "little english. lithuanian better"
    # "yes" or "that's fine" is English; "Urdu please" names a language (its "please" is no yes).
    if (english and not limited) or (normalise.parse_yes_no(text) is True and normalise.only_yes_no(text)):
        return ENGLISH  # "I speak Urdu at home but English is fine"
    if (
        limited
        or _ANOTHER.fullmatch(lowered.strip(" .!"))
        or "?" in text
        or normalise.asks_back(lowered)
        or _ABOUT_INTERPRETING.search(lowered)
        or normalise.parse_yes_no(text) is False
        or _NO_LANGUAGE.match(lowered.strip())
    ):
        return None  # "what languages can I pick?", "no", "hello", "either is fine"
    language = normalise.without_courtesy(_LEAD_IN.sub("", text.strip()).strip(" .!"))
    if not language or len(normalise.words(language)) > 3 or not re.search(r"\w", language):
        return None
    return language[:1].upper() + language[1:]
