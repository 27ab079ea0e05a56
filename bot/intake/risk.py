"""Spot disclosures of risk in any message, independently of the intent classifier.

The phrase list is data (`data/safety/risk_phrases.yml`), reviewed by people
and covered by tests. Each entry is a regular expression matched against a
simplified form of the message (lower case, curly quotes straightened,
repeated spaces folded). A missed disclosure is far worse than a false alarm,
so a match is never dropped: a negated or past-tense match ("I'm not
suicidal", "I tried to end it years ago") is *uncertain*, and the bot asks the
person one direct question instead of assuming (see `assess`).

Two tiers:
- certain: the phrase list matched plainly, or the classifier's risk score is
  high. Crisis reply and urgent queue item in that turn.
- uncertain: a hedged match, or a middling classifier score. A "check" item
  reaches the queue at once, and the bot asks whether the person is thinking of
  harming themselves or ending their life, or whether someone is hurting them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Optional

import yaml

PHRASES_FILE = Path(__file__).resolve().parents[2] / "data" / "safety" / "risk_phrases.yml"

CATEGORIES = ("suicide", "self_harm", "harm_to_others", "abuse", "medical_emergency", "unsafe_now")
EMERGENCY = "medical_emergency"
"""Happening now (an overdose taken, chest pain): the reply gives 999 first."""
UNSAFE_NOW = "unsafe_now"
"""No food or shelter tonight, a dependent person left alone: 999 if in danger, NHS 111, emergency housing."""
CLASSIFIER = "classifier"
"""The category recorded when only the trained classifier raised risk."""

CERTAIN = "certain"
UNCERTAIN = "uncertain"
RISK_INTENT = "disclose_risk"
RISK_KEY = "risk"
"""The parse-data key the NLU pipeline puts the tier under ({"tier": "certain", "category": "suicide"})."""
LIKELY = 0.5
"""A meaning score at which the reader itself judges a disclosure more likely than not. An uncertain
flag from the classifiers at or over it is `likely`: after a person's clear no to one check question
it is still asked about, once (`bot.intake.turn.asks_again`), since a no given to a false alarm must
not silence a real disclosure later in the conversation."""

_HEDGE_BEFORE = re.compile(
    r"(?<!\w)(not|never|no longer|nobody|no one|isn't|isnt|wasn't|wasnt|aren't|wouldn't|wouldnt|won't|wont|"
    r"don't|dont|didn't|didnt|haven't|havent|hasn't|hasnt|stopped|used to|in the past)(?!\w)(\s+\S+){0,2}\s*$"
)
"""A negation or a past marker in the three words before a match: "I'm not suicidal", "I never self harm"."""
_HEDGE_AFTER = re.compile(
    r"^\s*(\S+\s+){0,4}(years ago|(a )?long time ago|when i was (young|younger|a kid|a child|a teenager|at school)|"
    r"in the past|back in (19|20)\d\d)(?!\w)"
)
"""A past marker soon after a match: "I self harmed years ago"."""
_RESOLVED = re.compile(
    r"(?<!\w)(years ago|(a )?long time ago|when i was (a )?(young|younger|kid|child|teen|teenager|student|\d+)|"
    r"back in (19|20)\d\d|that was (in )?(19|20)\d\d|(fine|ok|okay|better|good|well|safe|happy) now|"
    r"doing (really |very |so )?well( now)?|(much|a lot|loads|lot) better|one[- ]off|\d+ years clean|clean for \d+|"
    r"my job|in my job|i'?m an? (\w+ )?(nurse|paramedic|carer|worker|officer|doctor|teacher|pharmacist)|"
    r"i work (as|in|at|with|for)|no thoughts? of|i said no|no (plans?|intention) (to|of))(?!\w)"
)
"""Anywhere in a message, words that put a phrase-list match in the past, in someone's job or in a
denial: "I overdosed when I was 19, I'm 52 now and life's good", "I'm a paramedic so I see a lot of
overdoses". Such a match is hedged: the bot asks its direct question instead of assuming."""
_HEDGE_ANYWHERE = re.compile(
    r"(?<!\w)(not|never|no longer|\w+n't|(do|ca|wo|did|does|is|was|are|were|have|has|had|could|should|would|ai)nt|used to|years ago|long time ago|when i was|in the past|"
    r"once|fine now|ok now|okay now|better now|joking|only joking|figure of speech|at work|my job|nurse|paramedic)(?!\w)"
)
"""Words that make a classifier-only flag uncertain: the classifier cannot read negation or tense."""
_JOKING = re.compile(
    r"(?i)(?<!\w)(lol+|lmf?ao+|rofl|haha+|hehe+|jk|only joking|just joking)(?!\w)|[\U0001F602\U0001F923\U0001F480\U0001F606]"
)
"""Laughing words and emoji: "I'd rather die lol" is hyperbole more often than not (asked, never ignored)."""
_NOT_JOKING = re.compile(
    r"(?i)(?<!\w)(not (even )?(joking|kidding)|no joke|i mean it|deadly serious|dead serious)(?!\w)"
)
"""Words that take the laugh back ("wanna unalive lol not even joking"): no joke marker then."""
_SHORTHAND = re.compile(r"(?<!\w)(kms|kys|ctb|unalive|unaliving|unalived|sewerslide|self delete|self deleting)(?!\w)")
"""Online shorthand for suicide that the sentence encoder never learnt: its low meaning score there is no
contradiction of the phrase list ("kms fr" scored 0.0002 on the tuning set)."""


@dataclass(frozen=True)
class RiskMatch:
    category: str
    pattern: str
    hedged: bool = False
    asked_first: bool = False
    """A row of the "ask_first" section: hedged because everyday talk shares its words, not for a negation, a past,
    a job or a joke around it."""


@dataclass(frozen=True)
class Risk:
    """How sure we are that a message discloses risk, and of what kind."""

    tier: str
    category: str
    likely: bool = False
    """Uncertain, but the meaning reader judges a disclosure more likely than not (`LIKELY`)."""
    asked_first: bool = False
    """Uncertain only because an "ask_first" row matched (not for a negation, a past, a job or a joke): once the team
    already knows of a disclosure, it gets the short reply as a certain one does (`bot.intake.turn.take_turn`)."""

    @property
    def certain(self) -> bool:
        return self.tier == CERTAIN

    def as_dict(self) -> dict[str, object]:
        data: dict[str, object] = {"tier": self.tier, "category": self.category}
        if self.likely:
            data["likely"] = True
        if self.asked_first:
            data["asked_first"] = True
        return data

    @classmethod
    def from_dict(cls, data: object) -> Optional["Risk"]:
        if isinstance(data, dict) and data.get("tier") in (CERTAIN, UNCERTAIN):
            category = str(data.get("category") or CLASSIFIER)
            return cls(str(data["tier"]), category, bool(data.get("likely")), bool(data.get("asked_first")))
        return None


def simplify(text: str) -> str:
    text = text.lower()
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("`", "'")
    text = re.sub(r"[^\w\s']", " ", text)
    return re.sub(r"\s+", " ", text).strip()


@lru_cache(maxsize=8)
def load_patterns(
    path: str = str(PHRASES_FILE), section: str = "categories"
) -> tuple[tuple[str, re.Pattern[str]], ...]:
    """The phrase list's rows of one section, compiled: "categories" (a plain match is certain) or "ask_first" (a
    match is always asked about)."""
    with open(path, encoding="utf-8") as handle:
        data = yaml.safe_load(handle)
    compiled = []
    for category, patterns in (data.get(section) or {}).items():
        if category not in CATEGORIES:
            raise ValueError(f"unknown risk category {category!r} in {path}")
        for pattern in patterns:
            compiled.append((category, re.compile(rf"(?<!\w){pattern}(?!\w)")))
    return tuple(compiled)


def _hedged(simple: str, start: int, end: int) -> bool:
    return (
        _HEDGE_BEFORE.search(simple[:start]) is not None
        or _HEDGE_AFTER.search(simple[end:]) is not None
        or _RESOLVED.search(simple) is not None
    )


def detect_risk(text: Optional[str]) -> Optional[RiskMatch]:
    """The first risk category the message discloses, or None; a plain match beats a hedged one, and a match of the
    "ask_first" rows is hedged whatever surrounds it."""
    if not text:
        return None
    simple = simplify(text)
    hedged: Optional[RiskMatch] = None
    for category, pattern in load_patterns():
        for found in pattern.finditer(simple):
            if not _hedged(simple, found.start(), found.end()):
                return RiskMatch(category, pattern.pattern)
            hedged = hedged or RiskMatch(category, pattern.pattern, hedged=True)
    if hedged is None:
        for category, pattern in load_patterns(section="ask_first"):
            if pattern.search(simple):
                return RiskMatch(category, pattern.pattern, hedged=True, asked_first=True)  # asked, never certain
    return hedged


def word_count(text: Optional[str]) -> int:
    return len(re.findall(r"\w+", text or ""))


INTERRUPTION_INTENTS = frozenset({"help", "ask_why", "pause", "speak_to_person", "bot_challenge"})
LONG_INTERRUPTION_WORDS = 20
"""Past this many words, a message read as an interruption may say more than the interruption (see `assess`); the
longest interruptions of the persona sets run to 17 words."""


_UNREAD = RiskMatch("", "")
"""`assess` reads the phrase list itself unless the caller already did (and passes the match, or None)."""


def assess(
    text: Optional[str],
    classifier_score: float,
    *,
    certain_at: float,
    check_at: float,
    min_words: int = 3,
    intent: Optional[str] = None,
    meaning_score: Optional[float] = None,
    meaning_at: float = 1.01,
    meaning_certain_at: float = 1.01,
    meaning_certain_hedged_at: float = 1.01,
    meaning_veto_at: float = 0.0,
    classifier_corroborated_at: float = 0.0,
    match: Optional[RiskMatch] = _UNREAD,
) -> Optional[Risk]:
    """The risk tier of a message from the phrase list, the intent classifier's `disclose_risk`
    score and the meaning classifier's score (`bot.language.risk_meaning`; None when not read).

    - Certain: a plain phrase-list match (no negation, past, job or joke marker near it) that the
      meaning classifier does not contradict (its score at least `meaning_veto_at`); or, on a
      message of `min_words` or more, a meaning score of `meaning_certain_at` on plainly worded
      text, or of `meaning_certain_hedged_at` on text with a negation, past or job marker
      somewhere (the classifier was trained on such near-pairs, but it is trusted there only when
      very sure); or an intent-classifier score of `certain_at` on plain text. Never on a joke
      marker ("lol", "haha", a skull emoji): hyperbole is usually meant, and the check question
      finds out.
    - Uncertain: any other phrase-list match, or, on a message long enough, a classifier score
      of `check_at` (intent) or `meaning_at` (meaning). The intent classifier's score counts only
      where the meaning classifier, when read, gives at least `classifier_corroborated_at`: a
      bag-of-words classifier is sure of nonsense ("garden, grow vegetables" scored 1.00).

    The classifiers alone never flag a message shorter than `min_words` words (a name or a
    one-word choice carries nothing the phrase list would not see), nor one the pipeline has
    read as an interruption with its cue ("hang on, brb" is a pause, whatever its risk score;
    `intent` is the intent before this step), unless it runs past `LONG_INTERRUPTION_WORDS`: then it
    may hold more than the interruption, and a certain meaning score still flags it ("... tbh the only
    thing that takes the edge off now is the blade, I know that's not what yous mean" was read as help).
    """
    if match is _UNREAD:
        match = detect_risk(text)
    meaning = meaning_score or 0.0
    if meaning_score is not None and meaning < classifier_corroborated_at:
        classifier_score = 0.0
    joking = _JOKING.search(text or "") is not None and _NOT_JOKING.search(text or "") is None
    contradicted = (
        meaning_score is not None and meaning < meaning_veto_at and _SHORTHAND.search(simplify(text or "")) is None
    )
    if match is not None and not match.hedged and not joking and not contradicted:
        return Risk(CERTAIN, match.category)
    length = word_count(text)
    interrupting = intent in INTERRUPTION_INTENTS
    long_enough = length >= min_words and not interrupting
    plain = _HEDGE_ANYWHERE.search(simplify(text or "")) is None
    if (long_enough or (interrupting and length > LONG_INTERRUPTION_WORDS)) and not joking:
        sure = meaning >= (meaning_certain_at if plain else meaning_certain_hedged_at)
        if sure or (plain and classifier_score >= certain_at):
            return Risk(CERTAIN, match.category if match else CLASSIFIER)
    if match is not None:
        return Risk(UNCERTAIN, match.category, asked_first=match.asked_first and not joking)
    if long_enough and (classifier_score >= check_at or meaning >= meaning_at):
        return Risk(UNCERTAIN, CLASSIFIER, likely=meaning >= LIKELY)
    return None
