"""Which part of the read-back a person wants to change, said in their own words.

At the read-back people rarely say "change my barriers". They name a part by its label ("life
satisfaction i meant 6"), by what is wrong ("wrong number", "afternoons are better for me"), by
what they said ("the gardening bit", "my daughter's not much help these days"), or they say only
that something is wrong ("mostly right but one bit needs fixing"). `parts_to_change` reads all of
these: the parts named (the longest phrase wins where two overlap, so "the first time" is the
question about company, not the best times), else the parts whose saved answer holds the person's
words (as the read-back showed them), else the section named. Nothing named: [] and the bot asks
which part.
"""

from __future__ import annotations

import re
from typing import Mapping

from bot.intake.display import display_value
from bot.intake.normalise import words
from bot.intake.questions import DEPENDENTS, QUESTIONS, SECTIONS, section_keys

_SCORES = ("ons_life_satisfaction", "ons_worthwhile", "ons_happy", "ons_anxious")

_PARTS: Mapping[str, tuple[str, ...]] = {
    "preferred_name": (r"name", r"call me", r"called", r"spelt", r"spelled", r"spelling of"),
    "contact_method": (
        r"contact(?:ed)? (?:me )?by",
        r"(?:a|by) text",
        r"texts?(?: me)? instead",
        r"text(?:ed|ing)? me",
        r"(?:a|by) (?:phone )?call",
        r"ring me",
        r"phone me",
        r"(?:by )?e-?mail me",
        r"by e-?mail",
        r"by post",
        r"by letter",
        r"how to (?:reach|contact)",
        r"get in touch",
        r"through the (?:practice|surgery)",
    ),
    "contact_detail": (
        r"(?:phone |mobile |contact |new |old |my |wrong |the )number",
        r"mobile",
        r"landline",
        r"e-?mail address",
        r"my e-?mail",
        r"contact details?",
        r"digits?",
    ),
    "contact_times": (
        r"best times?",
        r"times?(?! off)",
        r"mornings?",
        r"afternoons?",
        r"evenings?",
        r"nights?",
        r"weekends?",
        r"week ?days?",
        r"lunch ?time",
        r"(?:after|before) \d+",
        r"\d+ ?(?:am|pm)",
        r"when to (?:call|ring|text)",
    ),
    "gp_practice": (r"gp", r"practice", r"surgery", r"doctors?'?s?", r"medical centre", r"health centre"),
    "nhs_number": (r"nhs (?:number|no)",),
    "referral_code": (r"referral", r"code"),
    "what_matters": (r"what matters", r"matters most", r"most important", r"main thing"),
    "life_areas": (r"life areas", r"areas", r"topics", r"lonel\w*", r"loneliness"),
    "top_areas": (r"matter most", r"top (?:two|2|ones?)", r"most of all"),
    "ons_life_satisfaction": (r"life satisfaction", r"satisf\w*"),
    "ons_worthwhile": (r"worthwhile", r"worth ?while"),
    "ons_happy": (r"happy yesterday", r"how happy", r"happiness", r"happy (?:one|score|number)"),
    "ons_anxious": (r"anxi\w*", r"anxous", r"worried yesterday", r"nervous yesterday"),
    "enjoys": (r"enjoy\w*", r"hobb(?:y|ies)", r"interests?", r"like doing", r"pastimes?", r"for fun"),
    "good_at": (r"good at", r"skills?", r"talents?"),
    "support_network": (r"support\w*", r"who helps", r"helps? me", r"around me", r"who(?:'s| is) around"),
    "barriers_text": (r"made things hard", r"what'?s (?:been )?hard", r"hard so far", r"stops? me", r"stopping me"),
    "barrier_options": (r"barriers?", r"obstacles?"),
    "group_or_one_to_one": (
        r"group",
        r"one[ -]to[ -]one",
        r"1[ :-]?(?:2|to)?[ :-]?1",
        r"on my own with",
        r"just me and",
    ),
    "meeting_format": (
        r"how (?:to|we|i) meet",
        r"in person",
        r"face to face",
        r"online",
        r"video",
        r"zoom",
        r"teams",
        r"on the phone",
        r"over the phone",
    ),
    "home_area": (r"town", r"area i live", r"where i live", r"post ?code", r"i live in", r"live in"),
    "wants_company": (
        r"go(?:ing)? with me",
        r"come with me",
        r"coming with me",
        r"someone with me",
        r"someone to go",
        r"first time",
        r"on my own",
        r"by myself",
        r"company",
    ),
    "accessibility_needs": (
        r"access\w*",
        r"wheelchair",
        r"hearing",
        r"deaf",
        r"blind",
        r"sight",
        r"ramp",
        r"step-free",
    ),
    "language": (r"language", r"english", r"speak"),
    "interpreter": (r"interpret\w*", r"translat\w*"),
    "goal": (r"goals?", r"three months", r"3 months", r"aims?", r"in a few months", r"hope to"),
}
"""Phrases that name a part, besides its label on the read-back (regular expressions, whole words)."""
_ALL_SCORES = re.compile(r"\b(?:scores?|numbers out of|ratings?|out of (?:10|ten)|wellbeing|well-being|the numbers)\b")
_CHANGING = re.compile(
    r"\b(?:not|isn'?t|wrong|instead|rather|actually|meant|add|as well|prefer|better|change\w*|"
    r"fix\w*|update|correct\w*|forgot|mistake|typo|anymore|any more|no longer|moved|these days)\b|n't\b"
)
_CHANGE_OF_MIND = re.compile(r"\b(?:instead|rather|actually|prefer|change\w*|wrong|except|apart from|other than)\b")
"""With a part named, words that turn even a "yes, I'd like..." into a change ("I'd like to go by text instead")."""
_FINE = re.compile(r"(?<!not )(?<!n't )\b(?:fine|right|correct|good|ok|okay|lovely|spot on)\b")
"""Words that say the read-back is not right as it stands: only then are saved answers searched."""
_COMMON = frozenset(
    """that this with have just also been they them then than what when where which would could should about really
    actually sorry please thanks thank change changed wrong right want like need part said says there here those these
    the and not but too one two for you are was its yes all any can get got has had his her him she how why who put
    way bit out off day new old see say let lot own our may use try ask did yet few top now
    more much some very only well mine your yours from into over after before think meant mean make instead rather
    prefer better isn't dont don't cant can't wont won't didn't doesn't does bits said saying thing things stuff
    something someone anything everything nothing because though although still even ever every other another
    again already maybe perhaps quite pretty little since being having doing going getting know need needs will""".split()
)


def _spans(text: str) -> list[tuple[int, int, str]]:
    found = []
    for question in QUESTIONS:
        phrases = (re.escape(question.label.lower()), *_PARTS.get(question.key, ()))
        for phrase in phrases:
            for match in re.finditer(rf"(?<![\w']){phrase}(?:'s)?(?![\w'])", text):
                found.append((match.start(), match.end(), question.key))
    return found


def is_changing(text: str) -> bool:
    """Whether the words say the read-back is not right as it stands (see `_CHANGING`)."""
    return _CHANGING.search(text) is not None


def names_a_change(text: str) -> bool:
    """A part named with a change of mind ("yes, I'd like to go by text instead"): a change, never a send."""
    return _CHANGE_OF_MIND.search(text) is not None and bool(_named(text))


def _named_outside_fine(text: str) -> list[str]:
    """Parts named, leaving out those in a clause that says they are fine ("the name is fine but the
    phone number is wrong" is the number)."""
    clauses = [c for c in re.split(r"[,;.!]|\bbut\b", text) if c.strip()]
    kept = [key for c in clauses if not _FINE.search(c) for key in _named(c)]
    return [q.key for q in QUESTIONS if q.key in kept] or _named(text)


def _named(text: str) -> list[str]:
    """Parts named by a phrase; a phrase inside a longer one of another part gives way to it."""
    spans = _spans(text)
    kept = {
        key
        for start, end, key in spans
        if not any(s <= start and end <= e and (e - s) > (end - start) and k != key for s, e, k in spans)
    }
    return [q.key for q in QUESTIONS if q.key in kept]


def _stem(word: str) -> str:
    return word[:5]


def _said(text: str, answers: Mapping[str, object]) -> list[str]:
    """Parts whose saved answer, as the read-back showed it, holds the person's own distinctive words."""
    mine = {_stem(w) for w in words(text) if len(w) >= 3 and w not in _COMMON}
    if not mine:
        return []
    found = []
    for question in QUESTIONS:
        value = answers.get(question.key)
        if value is None or isinstance(value, (bool, int)):
            continue
        shown = display_value(question.key, value).lower()
        if mine & {_stem(w) for w in words(shown) if len(w) >= 3 and w not in _COMMON}:
            found.append(question.key)
    return found if len(found) <= 2 else []


def _with_dependents(keys: list[str]) -> list[str]:
    wanted = {k for key in keys for k in (key, *DEPENDENTS.get(key, ()))}
    return [q.key for q in QUESTIONS if q.key in wanted]


def parts_to_change(text: str, answers: Mapping[str, object] = {}, sections: bool = True) -> list[str]:
    """The slots to clear and ask again for a change request at the read-back, else [].

    `sections`: whether a section's own words may name it (not in a long message with no verb of change,
    where "I hope someone can help me" names nothing)."""
    lowered = text.lower().replace("\u2019", "'").strip()
    if _ALL_SCORES.search(lowered) and not any(k in _SCORES for k in _named(lowered)):
        return list(_SCORES)
    named = _named_outside_fine(lowered)
    if named:
        return _with_dependents(named)
    if is_changing(lowered):
        said = _said(lowered, answers)
        if said:
            return _with_dependents(said)
    for section in SECTIONS if sections else ():
        if any(re.search(rf"(?<![a-z]){re.escape(k)}(?![a-z])", lowered) for k in section.keywords):
            return section_keys(section.key)
    return []
