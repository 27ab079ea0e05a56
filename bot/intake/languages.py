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


def languages_named(text: str) -> list[str]:
    """The languages other than English a text names, in the order said, leaving out one said not to be wanted
    ("no sign language needed, urdu"); when none is named and the answer is a word or three, a word of five
    letters or more close to a name counts ("Portugese", "Lithuenian"), never a word in a longer sentence
    (where it is more likely a person's name: "Francis", "Marina")."""
    plain = _plain(text)
    found: list[tuple[int, str]] = []
    for pattern, name in _PHRASES:
        match = pattern.search(plain)
        if match and all(n != name for _, n in found) and not _NOT_WANTED.search(plain[: match.start()]):
            found.append((match.start(), name))
    found = [(at, name) for at, name in found if not any(n in _BROADER.get(name, ()) for _, n in found)]
    if not found and len(plain.split()) <= 3:
        for match in re.finditer(r"[a-z]{5,}", plain):
            close = difflib.get_close_matches(match.group(), list(_SPELLINGS), n=1, cutoff=0.86)
            if close and _SPELLINGS[close[0]] not in (n for _, n in found):
                found.append((match.start(), _SPELLINGS[close[0]]))
    return [name for _, name in sorted(found)]


def names_english(text: str) -> bool:
    """English named, however spelt ("english", "engish", "inglese")."""
    plain = _plain(text)
    if re.search(rf"\b(?:{'|'.join(_ENGLISH_WORDS)}|eng|engl)\b", plain):
        return True
    return any(
        difflib.SequenceMatcher(None, word, "english").ratio() >= 0.85 for word in re.findall(r"[a-z]{5,}", plain)
    )


def language_in_words(text: str) -> Optional[str]:
    """The English name of the language named besides English ("X or Y" for more than one), else None."""
    named = languages_named(text)
    return " or ".join(named) if named else None
