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
from functools import lru_cache
from typing import Mapping, Optional

from bot.intake import languages
from bot.intake.display import display_value
from bot.intake.normalise import COMMON_WORDS, parse_yes_no, words
from bot.intake.questions import DEPENDENTS, QUESTION_BY_KEY, QUESTIONS, SECTIONS, section_keys

_SCORES = ("ons_life_satisfaction", "ons_worthwhile", "ons_happy", "ons_anxious")

_PARTS: Mapping[str, tuple[str, ...]] = {
    "preferred_name": (r"name",),
    "contact_method": (
        r"contact(?:ed)? (?:me )?by",
        r"how to (?:reach|contact)",
        r"contact",
        r"e-?mail",
        r"phone(?! call)(?![^.,;!?]{0,40}\bmeet)",  # not "better than phone for meeting"
    ),
    "contact_detail": (
        r"(?:phone |mobile |contact )?number",
        r"mobile",
        r"landline",
        r"e-?mail address",
        r"my e-?mail",
        r"contact details?",
    ),
    "contact_times": (
        r"best times?",
        r"(?<!all )(?<!of )(?<!at )(?:the|my|call|calling|contact|ringing) times?(?! off)",
        r"when (?:to|you|they|you'?ll|they'?ll|you'?d|they'?d|you can|you should|they can|they should|it'?s best to|"
        r"is best to) "
        r"(?:call|ring|text|contact|phone|reach|get in touch|e-?mail)",
    ),
    "gp_practice": (r"gp", r"practice", r"surgery", r"medical centre", r"health centre"),
    "nhs_number": (r"nhs (?:number|no)",),
    "referral_code": (r"referral", r"code"),
    "what_matters": (r"what matters", r"matters most"),
    "life_areas": (r"life areas", r"areas", r"topics"),
    "ons_happy": (r"happy (?:one|score|number)",),
    "ons_anxious": (r"(?:anxious|anxiety) (?:one|score|number)",),
    "barriers_text": (r"made things hard", r"what'?s (?:been )?hard"),
    "barrier_options": (r"barriers?",),
    "meeting_format": (r"how (?:to|we|i) meet", r"meeting"),
    "home_area": (r"town", r"my area", r"area i live", r"where i live", r"post ?code"),
    "wants_company": (
        r"go(?:ing)? with me",
        r"come with me",
        r"coming with me",
        r"someone to go",
        r"someone coming",
        r"(?:any|some)(?:one|body) with me",
        r"company",
    ),
    "language": (r"language",),
    "interpreter": (r"interpreter",),
    "goal": (r"goals?", r"(?:three|3) ?months?"),
}
"""What people call a part, besides its label on the read-back (regular expressions, whole words): these
name it anywhere in the intake, mid-intake right after a verb of change ("change my best times")."""
_CONTENT: Mapping[str, tuple[str, ...]] = {
    "preferred_name": (
        r"call me(?=,? [a-z])(?!,? (?:when|whenever|tomorrow|today|tonight|later|back|any|anytime|on|at|after|"
        r"before|in|not|instead|rather|please|by|if|between|around|about)\b)",
        r"called",
        r"spelt",
        r"spelled",
        r"spelling of",
    ),
    "contact_method": (
        r"(?:a|by) text",
        r"texts?(?: me)? instead",
        r"texts?,? (?:not|rather than|instead of) (?:a |the )?(?:phone )?calls?",
        r"(?:phone )?calls?,? (?:not|rather than|instead of) (?:a )?texts?",
        r"text(?:ed|ing)? me",
        r"(?:a|by) (?:phone )?call",
        r"(?:call|ring) me(?=,|$| instead| rather| please| not)",
        r"by (?:phone|telephone)",
        r"ring me",
        r"phone me",
        r"(?:by )?e-?mail me",
        r"by e-?mail",
        r"by post",
        r"by letter",
        r"through the (?:practice|surgery)",
        r"get in touch",
    ),
    "contact_detail": (r"digits?",),
    "gp_practice": (r"doctors?'?s?",),
    "contact_times": (
        r"(?<!at )(?<!many )(?<!few )(?<!some )(?<!other )times(?! off)",
        r"mornings?",
        r"afternoons?",
        r"evenings?",
        r"nights?",
        r"weekends?",
        r"week ?days?",
        r"lunch ?time",
        r"(?:after|before) \d+",
        r"\d+ ?(?:am|pm)",
    ),
    "what_matters": (r"most important", r"main thing"),
    "life_areas": (r"lonel\w*", r"loneliness"),
    "top_areas": (r"top (?:two|2|ones?)", r"most of all"),
    "ons_life_satisfaction": (r"satisf\w*",),
    "ons_worthwhile": (r"worth ?while",),
    "ons_happy": (r"how happy", r"happiness", r"happy(?=(?:\W+[a-z]+){0,2}?\W+\d)"),  # "happy should be 4"
    "ons_anxious": (r"anxi\w*", r"anxous", r"worried yesterday", r"nervous yesterday"),
    "enjoys": (r"enjoy\w*", r"hobb(?:y|ies)", r"interests?", r"like doing", r"pastimes?", r"for fun"),
    "good_at": (r"good at", r"good with", r"skills?", r"talents?"),
    "support_network": (r"support\w*", r"who helps", r"helps? me", r"around me", r"who(?:'s| is) around"),
    "barriers_text": (r"hard so far", r"stops? me", r"stopping me"),
    "barrier_options": (r"obstacles?",),
    "group_or_one_to_one": (
        r"group",
        r"one[ -]to[ -]one",
        r"1[ :-]?(?:2|to)?[ :-]?1",
        r"on my own with",
        r"just me and",
    ),
    "meeting_format": (
        r"in person",
        r"face to face",
        r"online",
        r"video",
        r"zoom",
        r"teams",
        r"on the phone",
        r"over the phone",
    ),
    "home_area": (r"i live in", r"live in"),
    "wants_company": (r"first time", r"on my own", r"by myself"),
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
    "language": (r"english", r"speak"),
    "interpreter": (r"interpret\w*", r"intrepret\w*", r"translat\w*"),
    "goal": (r"aims?", r"in a few months", r"hope to"),
}
"""What a part holds ("mornings", "online", "on my own") and the looser words for a part ("hobbies",
"anxiety", "support"): they name it only at the read-back, where the person has just seen it
("evenings would suit me better"); mid-intake they are answers ("I want to go back to enjoying my garden")."""
_ALL_SCORES = re.compile(
    r"(?<!one of )(?<!some of )\b(?:scores?|numbers out of|ratings?|out of (?:10|ten)|(?<!mental )(?:wellbeing|well-being)|the numbers)\b"
)
"""The scores as a whole ("redo my scores"), said without naming one of them or another part ("mental wellbeing"
is a life area)."""
EDITING = re.compile(r"\b(change|changing|edit|correct|alter|altering|amend|update)\b", re.IGNORECASE)
"""Verbs that only ask to change what was said: such a message is never a pause (`returning.asks_for_a_change`)."""
CHANGE_VERB = re.compile(
    rf"{EDITING.pattern}|\b(redo|re-do|switch|go back|wrong|mistake)\b|"
    r"\b(?:want|like|need|can i|could i|let me|i'?d) (?:to )?add\b|\badd (?:that|something|a bit|more|to)\b|"
    r"\bforgot to (?:say|mention|add|put|tell)\b|\bfix\w*|\b(?:not|isn'?t|aren'?t|ain'?t|not quite|isn'?t quite) right\b|"
    r"\bincorrect\b|\bneeds? (?:changing|correcting|sorting)\b|"
    r"\bnot sure (?:that'?s|it'?s|this is|thats|its) (?:quite |all |totally )?right\b"
)
"""A request to change an earlier answer, anywhere in the intake ("change my barriers", "that's wrong")."""
READBACK_VERB = re.compile(
    rf"{CHANGE_VERB.pattern}|\b(?:(?:can|could|would|will) you|please|pls|plz) (?:please )?add\b"
)
"""At the read-back, asking the bot to add is a change too ("can you add sewing"); mid-intake "please add me to
a walking group" is an answer."""


def _any_of(*phrases: str) -> re.Pattern[str]:
    return re.compile(rf"\b(?:{'|'.join(phrases)})\b")


_CHANGED_MIND = ("instead", "rather", "actually", "prefer", r"change\w*", "wrong")
"""Words of a change of mind, which every reading of a change request below shares."""
_HOLDING_BACK = ("except", "apart from", "other than")
"""Words that keep a part back from an agreement ("perfect except my number")."""
NOT_YET = _any_of(*_HOLDING_BACK, "yet", "first", "hold on", "before you", "wait")
"""At the read-back only: "send me a copy first", "perfect except my number" are no "send it" yet."""
_CHANGING = re.compile(
    _any_of(
        *_CHANGED_MIND,
        *_HOLDING_BACK,
        r"fix\w*",
        "mistake",
        "not",
        "isn'?t",
        "meant",
        "add",
        "as well",
        "better",
        "update",
        r"correct\w*",
        "forgot",
        "typo",
        "anymore",
        "any more",
        "no longer",
        "moved",
        "these days",
    ).pattern
    + r"|n't\b"
)
"""Words that say the read-back is not right as it stands: only then are saved answers searched."""
_CHANGE_OF_MIND = _any_of(*_CHANGED_MIND, *_HOLDING_BACK)
"""With a part named, words that turn even a "yes, I'd like..." into a change ("I'd like to go by text instead")."""
NO_CHANGE = re.compile(
    r"\b(?:no|nothing to|don'?t need to|dont need to|doesn'?t need|no need to) "
    r"(?:changes?|changing|change anything|any changes?|be changed)\b"
    r"(?=\s*(?:[,.;:!?)]|$|(?:needed|necessary|required|thanks?|thank you|please|pls|send|submit|all good)\b))|"
    r"\b(?:(?:(?:don'?t|do not) think|i doubt) (?:i'?ve|i have|we'?ve|we have|you'?ve|you have|i) |"
    r"(?:haven'?t|have not) )(?:missed|left out|forgotten) (?:anything|owt)\b|"
    r"\bnothing (?:(?:else )?to add|missed|missing|left out)\b|"
    r"\b(?:can'?t|cannot|don'?t|do not) see (?:anything|owt|nothing) (?:wrong|missing|to change)\b|"
    r"\b(?:you'?ve|you have) got (?:it all|everything|all of it|it (?:all )?(?:down|right))\b"
    r"(?=\s*(?:$|[,.;:!?)]|(?:thanks?|thank you|there|love|dear|x+|better|spot on|perfect|cheers|i think)\b))"
)
"""Agreement in the words of change, said on its own ("no changes, send please", "correct, nothing to change"),
or that nothing is missing or wrong ("don't think I've missed anything", "nothing to add", "I can't see anything
wrong with that", "you've got it all"); never "no change the number please"."""
_RIGHT_AS_IT_IS = ("fine", "right", "correct", "good", "ok", "okay", "lovely", "spot on")
"""Words that say something is right as it stands: a part ("the name is fine but the number is wrong"), or,
opening a reply, the whole read-back ("correct, send it")."""
_FINE = re.compile(r"(?<!not )(?<!n't )(?<!be )" + _any_of(*_RIGHT_AS_IT_IS).pattern)
_SEND_IT = (
    "send",
    "submit",
    "spot on",
    "bang on",
    "perfect",
    "all correct",
    "that's everything",
    "thats everything",
    "i confirm",
    "i can confirm",
)
"""Words that say yes to "Is this right? Say yes to send it to the team.", wherever they stand: the read-back's
own yes-words for the yes/no reader, and agreement that outweighs a part named ("perfect, the name is right")."""
_AGREEING = _any_of(
    "send",
    "submit",
    "go ahead",
    r"thank\w*",
    "cheers",
    r"agree\w*",
    r"all (?:good|correct|fine|right)",
    "spot on",
    "perfect",
    r"happy with (?:it|that|this|all)",
)
"""Words of agreement anywhere in a reply ("Please send it. Thank you for your support"); not "that's
everything", which also closes a change ("my number is 07700 900456 now, that's everything")."""
_REGIONAL_YES = "champion|grand|sound(?: as a pound)?|mint|smashing|cracking|ace|bang on|dead on|belter|braw|lush|tidy|sorted|cushty"
"""The regions' own words of approval ("champion", "that's grand", "lush"): a yes only standing alone or with thanks
("lush, ta"), never opening a change ("lush but it's Dai not Dave", "sorted but it says group"). Only here, at "is this
right?": the yes reader's `normalise._YES_PHRASES` hold "bang on" anywhere in a clause, but not these, since to an offer
"I'm grand" or "sorted" declines."""
_AGREES_FIRST = re.compile(
    r"^\W*(?:yes|yeah|yep|yup|ye|ok|okay|correct|right|confirm|confirmed|spot on|perfect|all good|all fine|fine|great|lovely|"
    rf"(?:that'?s |thats )?(?:{_REGIONAL_YES})(?=\W*(?:(?:thanks|thank you|ta|cheers|love|pet|mate|hen|duck|lad|lass|"
    r"that|send it|send|yes|aye|yeah|so|then|x+)\b\W*)*$)|"
    r"that'?s (?:right|correct|fine|all|it|everything|great|lovely|perfect|the one)|looks? (?:good|right|fine|great)|send)\b"
    r"(?!\s*\?)"
)
"""A reply that opens by agreeing ("yes, the referral code is right", and the regions' own "champion", "grand",
"mint", "lush", "braw"); not "that's ok" or "looks ok", which open a change as often ("that's ok but my number is ...")."""
_ALL_OF_IT_RIGHT = re.compile(
    r"\b(?:that|it|this|everything|all|all that|that all|it all|all of it)(?:'?s| is| looks| seems| appears)(?: to be)?"
    r"(?: all| quite| completely| entirely| perfectly| absolutely)? (?:correct|right|accurate|in order)\b(?!\s*\?)"
)
"""All of it said to be right ("it all seems correct", "everything's in order"); not asked ("is that right?")."""
_RIGHT_NOT_A_VERB = re.compile(
    r"(?<!not )(?<!n't )(?<!nt )(?<!quite )\b(correct|right)\b"
    r"(?!\s+(my|the|that|this|it|something|some|a|an|what|where|how|one)\b)"
)
""""correct" / "right" as agreement ("yes is correct", "that's right"), not as a verb ("correct my name")."""


_LABEL_AS_A_NAME = {"life_areas_other": r"(?:something else (?:bit|part|box|area|answer)|the something else)"}
"""A label that is also everyday words names its part only as a label ("something else is wrong" names none)."""


def _compiled(*tables: Mapping[str, tuple[str, ...]]) -> tuple[tuple[re.Pattern[str], str], ...]:
    return tuple(
        (re.compile(rf"(?<![\w']){phrase}(?:'s)?(?![\w'])"), question.key)
        for question in QUESTIONS
        for phrase in (
            _LABEL_AS_A_NAME.get(question.key, re.escape(question.label.lower())),
            *(p for table in tables for p in table.get(question.key, ())),
        )
    )


_NAMES = _compiled(_PARTS)
_NAMES_AND_CONTENT = _compiled(_PARTS, _CONTENT)
"""Every phrase that names a part, with the part's key, compiled once: mid-intake, and at the read-back."""


def _spans(text: str, content: bool) -> list[tuple[int, int, str]]:
    phrases = _NAMES_AND_CONTENT if content else _NAMES
    return [(match.start(), match.end(), key) for pattern, key in phrases for match in pattern.finditer(text)]


def is_changing(text: str) -> bool:
    """Whether the words say the read-back is not right as it stands (see `_CHANGING`); "correct" said as
    agreement is none ("That appears to be correct in every particular")."""
    return _CHANGING.search(_RIGHT_NOT_A_VERB.sub(" ", text)) is not None


def says_send(text: str, intent: Optional[str]) -> Optional[bool]:
    """The reply to "Is this right? Say yes to send it" as yes (send it), no, or neither (None): the yes/no reader
    with the read-back's own send-words, then agreement with no yes-word in it, which opens the reply ("thats it now
    love") or says all of it is correct ("That appears to be correct in every particular"). Agreement asked back
    ("thats it?") is neither."""
    answer = parse_yes_no(text, intent, yes_cues=_SEND_IT)
    if answer is None and (_AGREES_FIRST.search(text) or _ALL_OF_IT_RIGHT.search(text)):
        return True
    return answer


def names_a_change(text: str) -> bool:
    """A part named with a change of mind ("yes, I'd like to go by text instead"): a change, never a send."""
    return _CHANGE_OF_MIND.search(text) is not None and bool(_named(text))


def _named_outside_fine(text: str) -> list[str]:
    """Parts named, leaving out those in a clause that says they are fine ("the name is fine but the
    phone number is wrong" is the number)."""
    return _named_not_fine(text) or _named(text)


def _named_not_fine(text: str) -> list[str]:
    clauses = [c for c in re.split(r"[,;.!]|\bbut\b", text) if c.strip()]
    kept = [key for c in clauses if not _FINE.search(c) for key in _named(c)]
    return [q.key for q in QUESTIONS if q.key in kept]


def wants_change(text: str, answers: Mapping[str, object] = {}) -> bool:
    """At the read-back, whether a reply asks for a change, whatever yes it also holds: a verb of change
    ("yes but correct my name"), not yet ("perfect except my number"), a part with a change of mind, a
    part given with no word of agreement, or another choice than the one shown said to be fine."""
    return (
        READBACK_VERB.search(_RIGHT_NOT_A_VERB.sub(" ", text)) is not None
        or NOT_YET.search(text) is not None
        or names_a_change(text)
        or gives_a_part(text)
        or bool(other_choice_said(text, answers))
    )


def other_choice_said(text: str, answers: Mapping[str, object]) -> list[str]:
    """Parts of one choice named with one option only, not the one the read-back showed: "language, English
    is fine" under Polish, "one to one is ok" under a group. Words of agreement there agree with the new choice,
    not with what was shown."""
    changed = []
    for key in _named(text):
        question, saved = QUESTION_BY_KEY[key], answers.get(key)
        if not isinstance(saved, str):
            continue
        if question.kind == "language":
            said = languages.language_in_words(text) or (languages.ENGLISH if languages.names_english(text) else None)
        elif question.kind == "choice":
            said_options = [option.code for option in question.options if option.matches(text)]
            said = said_options[0] if len(said_options) == 1 else None
        else:
            continue
        if said is not None and said.casefold() != saved.casefold():
            changed.append(key)
    return changed


def gives_a_part(text: str) -> bool:
    """A part named, not said to be fine, in a reply with no word of agreement: whatever else sounds like a yes
    in it ("I do have a referral code, it's RX4421", "please put that under accessibility"), it is a change."""
    return _AGREES_FIRST.search(text) is None and _AGREEING.search(text) is None and bool(_named_not_fine(text))


def _named(text: str, content: bool = True) -> list[str]:
    """Parts named by a phrase (with `content`, by the words of what they hold too); a phrase that shares words with
    a longer one of another part gives way to it ("when you ring me" is the best times, not "ring me")."""
    return list(_named_once(text, content))


@lru_cache(maxsize=64)
def _named_once(text: str, content: bool) -> tuple[str, ...]:
    """`_named`, kept for the turn: a read-back reply is searched for a change of mind and then for its parts."""
    spans = _spans(text, content)
    kept = {
        key
        for start, end, key in spans
        if not any(s < end and start < e and (e - s) > (end - start) and k != key for s, e, k in spans)
    }
    if kept & set(_SCORES) and all("number" in text[s:e] for s, e, k in spans if k == "contact_detail"):
        kept.discard("contact_detail")  # "the anxious number should be 5" is the score
    return tuple(q.key for q in QUESTIONS if q.key in kept)


def parts_called(text: str) -> list[str]:
    """The parts a few words call by name ("my best times", not "mornings" nor a section's loose words), with the
    answers that depend on them."""
    return _with_dependents(_named(text, content=False))


def parts_named(text: str) -> list[str]:
    """Mid-intake: the parts a few words call by name (`parts_called`); else a section named, else []."""
    return parts_called(text) or section_named(text)


def _stem(word: str) -> str:
    return word[:5]


def _said(text: str, answers: Mapping[str, object]) -> list[str]:
    """Parts whose saved answer, as the read-back showed it, holds the person's own distinctive words."""
    mine = {_stem(w) for w in (w.removesuffix("'s") for w in words(text)) if len(w) >= 3 and w not in COMMON_WORDS}
    if not mine:
        return []
    found = []
    for question in QUESTIONS:
        value = answers.get(question.key)
        if value is None or isinstance(value, (bool, int)):
            continue
        shown = display_value(question.key, value).lower()
        if mine & {_stem(w) for w in words(shown) if len(w) >= 3 and w not in COMMON_WORDS}:
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
    return section_named(lowered) if sections else []


_SECTION_WORDS = tuple(
    (section.key, re.compile(rf"(?<![a-z])(?:{'|'.join(map(re.escape, section.keywords))})(?![a-z])"))
    for section in SECTIONS
    if section.keywords
)
"""Each section's own words, compiled once, in the order the sections are asked."""


_SPEAKERS_FEELING = re.compile(
    r"\b(?:i'?m|i am|we'?re|we are|i'?d be|i feel|feeling|all|more than|very|quite|really|so)"
    r"(?: (?:a bit|a little|quite|very|really|so|bit))? (?:happy|anxious|satisfied)\b|"
    r"\b(?:happy|satisfied) (?:with|to|for|enough)\b"
)
"""How the person feels about the read-back ("don't think I've missed anything, I'm happy"), not the wellbeing
section. A part named comes first: "anxious" and "satisfied" name their own scores before sections are read."""


def section_named(text: str) -> list[str]:
    """The questions of the first section whose own words the text holds ("my scores"), else []; a feeling of the
    person's own names none (see `_SPEAKERS_FEELING`)."""
    text = _SPEAKERS_FEELING.sub(" ", text)
    return next((section_keys(key) for key, said in _SECTION_WORDS if said.search(text)), [])
