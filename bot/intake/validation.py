"""Decide what one patient message means for the question being asked.

`interpret` is a pure function: given the question, the text, the NLU intent
and the answers so far, it returns an `Outcome` saying what to store, what to
clear and what to say. The form's validation action only applies it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Mapping, Optional, Sequence

from bot.db.models import FlagKind
from bot.intake import languages, normalise, readback, repeats
from bot.intake.normalise import Option
from bot.intake.questions import (
    CONFIRMED,
    CONSENT,
    CONSENT_NO,
    CONSENT_YES,
    NOT_REGISTERED,
    QUESTION_BY_KEY,
    QUESTIONS,
    SKIPPED,
    Question,
    top_area_numbers,
    top_area_options,
    why_response,
)

ATTEMPTS_BEFORE_OFFER = 2
"""After this many answers we could not use, the bot offers the choices, a skip and a person."""
ATTEMPTS_BEFORE_MOVING_ON = 3
"""After this many, it moves on: a question is left for the link worker, never asked a fourth time."""


@dataclass
class Outcome:
    """What to do with a message. `value` None with `accepted` False means ask again.

    `responses` are response names (``utter_...``) or plain text. `key` is the
    question `value` answers when it is not the one being asked (the answer
    held back while the bot checked on the person's safety). `flag` is a flag
    kind to raise for this message, `hold` a pseudo-slot to wait on instead of
    asking the next question (see `bot.intake.turn`).
    """

    accepted: bool
    value: Any = None
    responses: list[str] = field(default_factory=list)
    clear: list[str] = field(default_factory=list)
    key: Optional[str] = None
    verbatim: Optional[str] = None
    flag: Optional[str] = None
    category: Optional[str] = None
    hold: Optional[str] = None
    pending: Optional[dict[str, str]] = None
    intake_status: Optional[str] = None
    checked: bool = False


_FILLER = frozenset(
    "a an and the my me i i'd to about for of on in what said answer answers question bit part section "
    "please can could may we go back change edit correct fix update redo amend alter switch want like would".split()
)
"""Words that may stand between the verb and the part named ("change what I said about my goal")."""


_SAYS_WHAT_THEY_DO = re.compile(
    r"(?<!\bcan )(?<!\bcould )(?<!\bmay )(?<!\bshall )(?<!\bshould )(?<!\bwould )(?<!\bcan't )"
    r"\b(?:i|we|he|she|they)\s+(?!(?:want|wanna|need|needa|needs|like|have|gotta|must|would|will|'d)\b)(?:\w+\s+)?$"
)
"""Right before a verb of change, a person saying what they do ("football. I fix phone", "I can fix cars", "we
update websites"), not asking for a change ("can I change my number", "I want to change my goal")."""


_AS_SAID_BEFORE = re.compile(
    r"^\W*(?:(?:it'?s|its|well|erm|um|just)\W+)?(?:(?:what|like|as) i(?:'ve)? (?:just |already )?(?:said|told you|put|"
    r"wrote|mentioned)(?: (?:before|earlier|above|already))?|(?:the )?same as (?:before|above|i said))"
    r"(?:\W*$|\W*(?:\band\b|\bplus\b|&|\+|\bas well as\b)\W*(?P<more>\w.*)$)",
    re.IGNORECASE,
)
"""Pointing back at the last answer instead of repeating it ("what I just said"), perhaps with more ("what I just
said and housing")."""
_OPEN_QUESTION_BEFORE = {
    later.key: earlier.key
    for earlier, later in zip(QUESTIONS, QUESTIONS[1:], strict=False)
    if earlier.open and later.kind == "multi"
}
"""The open question asked just before a several-choice one: at the life areas what matters most, at the barriers
what has made things hard. "What I just said" points there."""


_ASKS_WHY = re.compile(
    r"\bwhy\b|\bwhat for\b|\b(?:got|has|have) to do with\b|\bhow come\b|\bneed (?:that|this|it|to know)\b|"
    r"\b(?:what|whit|fit)'?s (?:it|that|this) for\b"
)
"""Asking why a question is asked: at a question that is not open, such a question back is no answer."""


_TEXT_SPEAK_WHY = re.compile(r"^y(?=\s+(?:u|you|do|does|is|would|should|need|ask)\b)")
"""Why in text speak, opening a message ("y u need that")."""
_ASKS_WHAT_TO_SAY = re.compile(
    r"^(?:so |but |and |um |erm )?(?:what|wat|wot) (?:do|should|shall|can|would) (?:i|we) (?:put|say|write|type|answer)\b|"
    r"^(?:so |but |and )?(?:what|wat|wot) (?:if|happens if) (?:i|we) (?:haven'?t|have not|don'?t|do not|can'?t)\b"
)
"""Asking what to put before answering ("what do I put if I haven't got an address"): at a question that is not
open, no answer; the bot says how to answer and asks again."""


def _first_clause(text: str) -> str:
    first = re.split(r"[,.;!?]", text.lower().strip(), maxsplit=1)[0]
    return _TEXT_SPEAK_WHY.sub("why", first)


def asks_why(text: str) -> bool:
    """Whether the message opens by asking why the question is asked ("What's my doctor got to do with it?",
    "y u need that")."""
    first = _first_clause(text)
    return _ASKS_WHY.search(first) is not None and normalise.asks_back(first)


_ABOUT_LINK_WORKER = re.compile(
    r"\b(?:what|who|wat|wot)(?:'s|s| is| are| r)? (?:a |an |the |this |these )?link ?workers?\b"
)
"""Asking what a link worker is ("what is link worker? is it doctor?"): the bot says, and asks again."""


def asks_what_a_link_worker_is(text: str) -> bool:
    return _ABOUT_LINK_WORKER.search(text.lower()) is not None


def _beside_the_questions(text: str) -> str:
    """The clauses of a message that neither ask something back nor ask what a link worker is."""
    kept = [
        clause
        for clause in normalise.clauses(text)
        if not normalise.asks_back(clause.lower()) and not asks_what_a_link_worker_is(clause)
    ]
    return ", ".join(kept)


_WHO_READS = re.compile(
    r"\bwho(?:'s|s| is| will| would| gets?| can| else| exactly| actually| has| have)*(?: be| get to| going to| gonna| to)?\s+"
    r"(?:read|see|look|get|have access|access|know|hear)\w*(?: at| to| about| of)?\s+(?:(?:this|it|these|that|them)"
    r"(?=\W*$|\s*[?,]|\s+(?:then|please|exactly|after|afterwards)\b)|what i (?:put|write|say|said|type)|my "
    r"(?:answers?|info\w*|details|replies|messages)|the (?:answers|form|replies))\b"
    r"|\bwhere (?:does|do|will|would) (?:this|these|it|my answers?|they|that) (?:go|end up)\b"
    r"|\b(?:go|going|goes|be put|be kept|stay|end up) on (?:my|me) (?:record|records|file|notes|medical records)\b"
    r"|\b(?:is|are|will) (?:this|it|these|my answers) (?:be )?(?:private|confidential|shared|anonymous)\b"
)
"""Asking who reads the answers, or where they go ("May I ask who will be reading this?", "who sees this",
"is this confidential?"). Not the interruption gate's ask_why cue, which only lets the classifier's ask_why stand
when a word of it is there ("private", "who sees"): this pattern decides by itself, at an open question, so it needs
the whole question."""


def asks_who_reads(text: str) -> bool:
    """Whether the message only asks who reads the answers: every sentence asks something back, and one asks that.
    At an open question such a message is no answer ("why do I feel like this?" is one)."""
    lowered = text.lower()
    if _WHO_READS.search(lowered) is None:
        return False
    sentences = [sentence for sentence in re.split(r"(?<=[?.!])\s+", lowered.strip()) if sentence]
    return all(sentence.endswith("?") or normalise.asks_back(sentence) for sentence in sentences)


def asks_what_to_say(text: str) -> bool:
    """Whether the message opens by asking what to put (see `_ASKS_WHAT_TO_SAY`)."""
    return _ASKS_WHAT_TO_SAY.search(_first_clause(text)) is not None


def _says_what_they_do(lowered: str, verb: re.Match[str]) -> bool:
    """A verb of change in a statement of what someone does ("football. I fix phone") or of what changes ("my days
    off change every week, email is easiest"): right after the person or the thing, and not followed by what is
    theirs to change ("oh no I mean change my number" asks)."""
    after = normalise.words(lowered[verb.end() :])[:1]
    before = lowered[: verb.start()]
    of_a_thing = verb.group(0).startswith("chang") and _A_THING.search(before) is not None
    said_of = _SAYS_WHAT_THEY_DO.search(before) is not None or of_a_thing
    return said_of and not _WHATS_THEIRS.intersection(after)


_A_THING = re.compile(
    r"(?:^|[,.;:!?]\s*)(?:my|our|the|his|her|their|plans|things|shifts|rotas?)\b"
    r"(?!\s+(?:answers?|choices?|contact|details?|number|name|e-?mail|address|method|mind)\b)(?:\s+[\w']+){0,2}\s+$"
)
"""A thing said to change, at the start of a clause ("my days off change", "the rota changes"): no request. Not an
answer or a detail ("my answer change, phone not email", "the contact change email please")."""


_WHATS_THEIRS = frozenset(("my", "the", "that", "what", "me", "it", "this", "our", "those", "them", "to"))
"""Words right after a verb of change that point at something to change ("change my number", "fix that")."""


def keys_to_change(text: str, confirming: bool, answers: Mapping[str, object] = {}) -> list[str]:
    """Slots to clear when the patient asks to change an earlier answer, else [].

    Mid-intake the request must be short and name the part right after a verb
    ("change my barriers", "go back to my name"), so that an answer such as
    "I want to go back to work" is never mistaken for one. At the
    check-and-confirm step naming a part is enough ("barriers").
    """
    lowered = text.lower().strip()
    tokens = normalise.words(lowered)
    if confirming and len(tokens) <= 14:
        return readback.parts_to_change(lowered, answers)
    if len(tokens) > 12 and not confirming:
        return []
    verb = (readback.READBACK_VERB if confirming else readback.CHANGE_VERB).search(lowered)
    if not verb and confirming and (readback.is_changing(lowered) or readback.gives_a_part(lowered)):
        # "can we do it on the phone or video rather than in person, my knees are bad"
        return readback.parts_to_change(lowered, answers, sections=False)
    if not verb or (not confirming and _says_what_they_do(lowered, verb)):
        return []
    after = _words_after(lowered, verb)
    # At the read-back a longer request still names the part right after its verb
    # ("can I change the bit about someone coming with me? I think I'd like that after all").
    if confirming:
        # Else the whole of it, but a section's loose words in a long message name nothing.
        near = readback.parts_to_change(" ".join(after[:8]), answers) if after else []
        return near or readback.parts_to_change(lowered, answers, sections=False)
    return readback.parts_named(" ".join(after[:3])) if after else []


def _words_after(lowered: str, verb: re.Match[str]) -> list[str]:
    """The words after a verb of change, from the first that is not filler ("change what I said about my goal")."""
    after = normalise.words(lowered[verb.end() :])
    while after and after[0] in _FILLER:
        after = after[1:]
    return after


def only_asks_to_change(text: str) -> bool:
    """A request to edit a part, called by its name, and nothing more ("can I change when to contact me", "change
    the goal bit"): said at that part's own question it is no answer to it. Not one that gives the new answer
    ("change my number to 07700 900123", "change times to evenings", "update email jo@bt.com"), nor "go back to my
    hobbies" or "fix my money matters", which are answers there."""
    lowered = text.lower().strip()
    verb = readback.EDITING.search(lowered) or _REDO.search(lowered)
    if not verb or normalise.has_digits(lowered) or "@" in lowered:
        return False
    after = _words_after(lowered, verb)
    if "to" in after and readback.parts_called(" ".join(after[: after.index("to")])):
        return False  # "change my goal to walking more": the new answer follows
    return 0 < len(after) <= 4 and bool(readback.parts_called(" ".join(after)))


_NA = re.compile(r"\W*n/?a\b", re.IGNORECASE)


def _na_for_no(question: Question, text: str) -> bool:
    """A skip at most questions ("n/a"), but at a yes or no question "na", "na ta", "na I'm ok" are the everyday no."""
    return (
        question.kind == "yes_no"
        and _NA.match(text) is not None
        and normalise.parse_yes_no(text, None, question.yes_cues, question.no_cues) is False
    )


_REDO = re.compile(r"\b(?:redo|re-do)\b")
"""The one verb of change besides `readback.EDITING` that only asks to do a part again ("redo my scores")."""


def choices_in_words(question: Question, answers: Mapping[str, object]) -> Optional[str]:
    """The options of a closed question as a sentence ("In a group, One-to-one or Either is fine")."""
    if question.kind == "top":
        labels = [o.label for o in top_area_options(answers)]
    elif question.kind == "yes_no":
        labels = ["yes", "no"]
    elif question.kind == "scale":
        return "You can answer with one number: 0 means not at all, 10 means completely, and 5 is in the middle."
    else:
        labels = [o.label for o in question.options]
    if not labels:
        return None
    listing = labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " or " + labels[-1]
    return f"You can answer: {listing}."


def _reject(
    response: str, attempts: int, question: Optional[Question] = None, answers: Mapping[str, object] = {}
) -> Outcome:
    """Ask again; the second time with the choices in words, a skip and a person; the third time move on."""
    if question is not None and attempts + 1 >= ATTEMPTS_BEFORE_MOVING_ON:
        return leave_unanswered()
    responses = [response]
    if attempts + 1 >= ATTEMPTS_BEFORE_OFFER:
        choices = choices_in_words(question, answers) if question is not None else None
        if choices:
            responses.append(choices)
        responses.append("utter_offer_skip_or_person")
    return Outcome(accepted=False, responses=responses)


def leave_unanswered(key: str = "") -> Outcome:
    """The question is left for the link worker to ask, as when no answer could be read a third time. Consent cannot
    be left to anyone: nothing is kept, the conversation stops, and any message starts it again."""
    if key == CONSENT:
        return _interpret_consent("", None, attempts=2)
    return Outcome(accepted=True, value=SKIPPED, responses=["utter_leave_for_link_worker"])


def returned(key: str, attempts: int, answers: Mapping[str, object]) -> Outcome:
    """A message that only says the person is back: welcome them and ask the question again.

    Said again, the question's own way forward, as for any answer it cannot use: for consent and
    the read-back, their replies to an unclear answer (the choices, then a stop or a person)."""
    if attempts > 0 and key == CONSENT:
        return _interpret_consent("", None, attempts)
    if key == CONFIRMED:
        # A return is no reply, so never the fourth that sends the answers as they are: the replies go round.
        turn = attempts % len(_UNCLEAR_AT_READ_BACK)
        return _interpret_confirmation("", None, turn) if turn else Outcome(False, responses=["utter_welcome_back"])
    return _reject("utter_welcome_back", attempts, QUESTION_BY_KEY.get(key), answers)


def _has_words(text: str) -> bool:
    return re.search(r"\w", text) is not None


def interpret(
    key: str,
    text: str,
    intent: Optional[str],
    answers: Mapping[str, object],
    attempts: int = 0,
) -> Outcome:
    """Read `text` as the answer to slot `key` (see module docstring)."""
    text = normalise.spoken_punctuation(normalise.clean_text(text))
    if key == CONSENT:
        return _interpret_consent(text, intent, attempts)
    if key == CONFIRMED:
        return _interpret_confirmation(text, intent, attempts, answers)

    question = QUESTION_BY_KEY[key]
    change = [] if repeats.changed_enough_at(key, answers) else keys_to_change(text, confirming=False)
    if change and key not in change:
        return Outcome(accepted=False, clear=change, responses=["utter_ok_change"])
    if change and only_asks_to_change(text):  # the question being asked: it is asked again
        return _reject("utter_ok_change", attempts, question, answers)
    if not text:
        return _reject("utter_empty_answer", attempts, question, answers)
    if len(text) > normalise.MAX_ANSWER_CHARS:
        return _reject("utter_too_long", attempts, question, answers)
    # The classifier's "skip" gives way to an answer that names an option ("txt" for a text message).
    # One word is a skip only when it says so ("skint" is an answer to "what has made things hard?").
    classifier_skip = (
        intent == "skip"
        and len(normalise.words(text)) > 1
        and not normalise.match_options(text, question.options, many=True)
        and (not question.open or _SKIPPING.search(text.lower()) is not None)
    )
    if (normalise.is_skip(text) or classifier_skip) and not _na_for_no(question, text):
        if question.optional or attempts >= 1:
            return Outcome(accepted=True, value=SKIPPED)
        return _reject("utter_why_needed_skip", attempts, question, answers)
    if not question.open and asks_what_a_link_worker_is(text):
        # "what is link worker? is it doctor?": said what one is; an answer beside it is still read ("..., text me").
        rest = _beside_the_questions(text)
        if rest:
            return interpret(key, rest, None, answers, attempts)
        return _reject("utter_about_link_worker", attempts, question, answers)
    if question.open and attempts == 0 and asks_who_reads(text):
        # "May I ask who will be reading this?" was kept as what matters most: who reads it is said, then asked again.
        return _reject("utter_why_general", attempts, question, answers)
    outcome = _interpret_kind(question, text, intent, answers, attempts)
    if not question.open and asks_why(text) and not _answered_beside(outcome, text):
        # "What's my doctor got to do with it?": a question about the question, never its answer.
        return _reject(why_response(key), attempts, question, answers)
    if not question.open and asks_what_to_say(text) and not _answered_beside(outcome, text):
        return _reject("utter_answer_as_you_can", attempts, question, answers)
    return outcome


_SKIPPING = re.compile(
    r"\b(?:rather not|leave (?:it|that|this)|no comment|not (?:now|today|yet)|private|personal|none of your|"
    rf"don'?t (?:want|wish) to|later|can'?t say|won'?t say)\b|^\W*{normalise.PASS_OR_NEXT}"
)
"""At an open question, the classifier's skip stands only beside a word of leaving it ("I'd rather not, if that's
ok"): any other words are the answer ("not skint every month" was taken for a skip). Not the pause cues of
`interruption_gate` nor the readers' "no" words: this asks only whether a skip the classifier heard was meant. "Pass my
driving test" and "next week I have my op" are answers."""


def _answered_beside(outcome: Outcome, text: str) -> bool:
    """Whether an answer was read from a message that also asks why, other than the question itself: "why do you
    need it? its 07700 900123", "how come you need that? 4" (not "What's that for, dear?" read as a name)."""
    if not outcome.accepted:
        return False
    asked = set(normalise.words(re.split(r"[,.;!?]", text.lower(), maxsplit=1)[0]))
    return not isinstance(outcome.value, str) or not set(normalise.words(outcome.value.lower())) <= asked


def _interpret_consent(text: str, intent: Optional[str], attempts: int) -> Outcome:
    answer = normalise.parse_yes_no(
        _NOT_IN_DANGER.sub(" ", text.lower()), intent, yes_cues=CONSENT_YES, no_cues=CONSENT_NO
    )
    if _STOP.fullmatch(text.lower()):
        answer = False  # "STOP", "please stop messaging me"
    if answer is None and _HERE_FOR_IT.search(text.lower()):
        answer = True  # "that's what I'm here for isn't it", "i mean im here arent i"
    if answer is None and _CONDITION.search(text.lower()):
        # "I suppose that is alright as long as it is only the surgery, I don't want it going all over": a yes with
        # a condition (the team is only the practice's), not a no. A condition alone ("only if it's anonymous") is
        # asked again: it may ask for what the team cannot give.
        rest = _CONDITION.sub(" ", text.lower())
        answer = True if normalise.parse_yes_no(rest, intent, CONSENT_YES, CONSENT_NO) else None
    if answer is None and attempts == 0 and asks_what_a_link_worker_is(text):
        return Outcome(accepted=False, responses=["utter_about_link_worker", "utter_why_consent"])
    if answer is False and attempts == 0 and _asks_something(text):
        # "who reads this? I don't want it going to social services": a worry to answer before a decision, not a
        # decision. The explanation goes back and the question is asked again; a second no is a no.
        answer = None
    if answer is not None:
        return Outcome(accepted=True, value=answer)
    if attempts == 0:
        return Outcome(accepted=False, responses=["utter_invalid_consent"])
    if attempts == 1:
        return Outcome(accepted=False, responses=["utter_consent_choices"])
    # Never a third time: stop without keeping anything; any message starts again.
    return Outcome(accepted=True, value=False, responses=["utter_consent_unclear"])


_STOP = re.compile(
    r"\W*(?:please\s+)?stop(?:\s+(?:it|now|please|this|that|messaging me|texting me|messaging|texting))?\W*"
)
"""Stop said alone, or with what to stop: a no to going on."""
_NOT_IN_DANGER = re.compile(
    r"\b(?:i'?m|i am|im)? ?(?:not (?:in (?:any )?danger|at risk|suicidal|in crisis)|safe)\b|\b(?:it'?s )?not (?:an )?(?:emergency|urgent)\b"
)
"""Reassurance after the question's word on urgent help ("Yes. I'm not in danger."): no answer to it either way."""
_HERE_FOR_IT = re.compile(
    r"\b(?:(?:that'?s|thats|it'?s) (?:what|why) i'?m here(?: for)?|i'?m here\W*(?:aren'?t|ain'?t|amn'?t|arnt|arent|int) i|"
    r"i mean i'?m here|(?:why|what) else would i be here|wouldn'?t be here otherwise|that'?s why i came)\b"
)
"""Being here as the answer ("that's what I'm here for isn't it", "i mean im here arent i"): a yes to going on."""
_CONDITION = re.compile(
    r"\b(?:as long as|so long as|providing|provided|on condition|only if)\b[^,.;!?]*|"
    r"\b(?:but )?i (?:don'?t|do not) want (?:it|them|this|that|my \w+|her \w+|his \w+) (?:going|to go|shared|passed|sent|spread)"
    r" (?:all over|anywhere|everywhere|further|beyond|outside|round|around|to anyone else|with anyone else)[^,.;!?]*|"
    r"\b(?:but )?i (?:don'?t|do not) want (?:my|her|his|the|them|him)(?: [\w']+)?"
    r" (?:finding out|to find out|knowing|to know|seeing (?:it|this|them)|to see (?:it|this|them)|reading (?:it|this|them)|"
    r"to read (?:it|this|them))\b[^,.;!?]*"
)
"""A condition on sharing ("as long as it is only the people at the surgery", "I don't want it going all over"): at
consent, the words before it are the answer. So is a wish that someone in particular never sees it ("go ahead but I
don't want my employer finding out"): the team is only the practice's."""


def _new_contact_detail(text: str, answers: Mapping[str, object]) -> list[str]:
    """At the read-back, a phone number or e-mail address other than the one saved, with no yes ("numbr wrong its
    07700 900554"): the contact detail is to change."""
    given = normalise.parse_email(text) or normalise.parse_uk_phone(text)
    return ["contact_detail"] if given and given != answers.get("contact_detail") else []


_HAS_NO_NHS_NUMBER = re.compile(
    r"\b(?:(?:don'?t|do not|never) (?:have|had|got)|haven'?t (?:got|had)|have not (?:got|had)|not got|there'?s no|"
    r"i have no|i'?ve no|i got no) (?:one|an? (?:nhs )?number|nhs number|any)\b(?! (?:on|with|here|to hand|at hand|now))|"
    r"\bnot registered\b|\bno nhs number\b"
)
"""An answer that there is no NHS number to find ("I've never had one", "not registered"), not that it is not known."""

_NAMES_A_PRACTICE = re.compile(
    r"\b(?!(?:no|any|a|an|the|my|our|own|gp|doctors?|local|new|one|which|what|whose|that|this)\b)[a-z][\w'-]* (?:surgery|practice|"
    r"medical (?:centre|center|practice|group)|health (?:centre|center)|group practice)\b",
    re.IGNORECASE,
)
"""A practice named by its name ("Oakwood surgery", "Riverside Medical Centre"): a practice, even beside words that
alone mean nothing to record ("dont have it to hand, Oakwood surgery")."""


_NAME_SAID = re.compile(
    r"\b(?:(?:my|the) name(?:'s| is)|name should be)\s+(?:(?:spel[lt]\w*|actually|now|just)\s+)?", re.IGNORECASE
)
"""Where a name is said at the read-back ("yes but my name is Pauline"): the name itself is read as at the name
question, from the clause that follows."""


def _name_said(text: str) -> Optional[str]:
    """The name given at the read-back, if one is ("yes but my name's actually Pauline, thanks")."""
    said = _NAME_SAID.search(text)
    if said is None:
        return None
    clause = re.split(r"[,.;:!?]|\s+(?:and|but)\s+", text[said.end() :], maxsplit=1)[0]
    return normalise.parse_name(clause)


def _corrected_beside_a_yes(text: str, answers: Mapping[str, object]) -> list[str]:
    """At the read-back, a yes with a new value beside it ("yes but my name is Pauline", "confirmed but the number
    is 07700 900456"): the part to change, never a send with the old value."""
    named = _name_said(text)
    saved_name = normalise.letter_words(str(answers.get("preferred_name") or ""))
    if named and saved_name and normalise.letter_words(named)[0] not in saved_name:
        return ["preferred_name"]
    turned_down = (
        re.search(rf"\b([\w']+),? not {re.escape(saved_name[0])}\b(?![-'])", text.lower()) if saved_name else None
    )
    if turned_down and turned_down.group(1) not in normalise.COMMON_WORDS and not turned_down.group(1).endswith("'s"):
        return ["preferred_name"]  # "yes but it's Dai not Dave": another name, and the saved one turned down
    return _new_contact_detail(text, answers)


def _asks_something(text: str) -> bool:
    """Whether any sentence or clause of the message asks something back ("who actually reads this?")."""
    return "?" in text or any(normalise.asks_back(clause) for clause in normalise.clauses(text.lower()))


def _interpret_confirmation(
    text: str, intent: Optional[str], attempts: int, answers: Mapping[str, object] = {}
) -> Outcome:
    lowered = readback.NO_CHANGE.sub("fine", text.lower())  # "no changes, send please"
    answer = readback.says_send(lowered, intent)
    wants_change = readback.wants_change(lowered, answers)
    corrected = _corrected_beside_a_yes(text, answers) if answer is True and not wants_change else []
    if corrected:
        return Outcome(accepted=False, clear=corrected, responses=["utter_ok_change"])
    if answer is True and not wants_change:
        return Outcome(accepted=True, value=True)
    change = keys_to_change(lowered, confirming=True, answers=answers) or (
        _new_contact_detail(text, answers) if answer is not True else []
    )
    if change:
        return Outcome(accepted=False, clear=change, responses=["utter_ok_change"])
    if answer is False or wants_change or _HOLDING_OFF.search(lowered):
        # Asked which part, then the choices, then a person: never the same words three times running. Not sent
        # against a no: the fourth time a person is asked to go through the answers with them, and it goes round.
        responses = [("utter_which_section", *_UNCLEAR_AT_READ_BACK[1:])[attempts % 3]]
        if attempts == len(_UNCLEAR_AT_READ_BACK):
            return Outcome(
                accepted=False,
                responses=["utter_person_will_go_through"],
                flag=FlagKind.WANTS_PERSON,
                category=READ_BACK_UNCONFIRMED,
            )
        return Outcome(accepted=False, responses=responses)
    if attempts >= len(_UNCLEAR_AT_READ_BACK):
        return _sent_for_a_person_to_check()
    return Outcome(accepted=False, responses=[_UNCLEAR_AT_READ_BACK[attempts]])


_HOLDING_OFF = re.compile(
    r"\b(?:stop|later|not yet|wait|hold on|hang on|in a (?:bit|min\w*|sec\w*|mo\w*)|check (?:something|with))\b"
)
"""Words that hold the sending off ("I'll do it later", "stop", "wait I need to check with my daughter"): never sent
for them, as for a no. Not `returning.steps_away`, which must not take an answer for a pause and so needs words that
only ever step away: at "is this right?" a bare "later" or "wait" is enough to hold off."""
_UNCLEAR_AT_READ_BACK = ("utter_invalid_confirm", "utter_confirm_choices", "utter_offer_person_to_check")
"""The read-back's replies to a reply it cannot read, one after another: never the same words twice running."""
READ_BACK_UNCONFIRMED = "read_back_unconfirmed"
"""The category of the call-back flag raised when the read-back could not be confirmed: a fourth reply it cannot
read (the answers are sent) or a fourth no with no part named (they are not)."""


def _sent_for_a_person_to_check() -> Outcome:
    """A fourth reply the read-back cannot read: the answers go as they are, with a call-back flag, so a person
    goes through them with the patient. Every answer is saved already; asking again would only loop (a persona
    answered "champion" 91 times)."""
    return Outcome(
        accepted=True,
        value=True,
        responses=["utter_sent_for_person_to_check"],
        flag=FlagKind.WANTS_PERSON,
        category=READ_BACK_UNCONFIRMED,
    )


def _interpret_kind(
    question: Question, text: str, intent: Optional[str], answers: Mapping[str, object], attempts: int
) -> Outcome:
    kind = question.kind
    if kind == "code":
        code = normalise.parse_code(text)
        if code:
            return Outcome(accepted=True, value=code)
        if normalise.means_nothing(text) or normalise.has_no_code(text) or attempts >= 1:
            return Outcome(accepted=True, value="none")
        return _reject("utter_invalid_code", attempts, question, answers)
    if kind == "nhs_number":
        number = normalise.parse_nhs_number(text)
        if number:
            return Outcome(accepted=True, value=number)
        # No digits ("not sure", "don't know it") or a second wrong number: nothing is saved,
        # never a number that could be someone else's. The person's words stay in the verbatim.
        if normalise.asks_back(text.lower()) and not normalise.has_digits(text) and attempts == 0:
            # "why do you need it?": the section's why, as the question's own "why?" gets, then asked again
            return Outcome(accepted=False, responses=[why_response(question.key)])
        if not normalise.has_digits(text):
            # The question says "if you don't know it, just say skip": "dunno", "no", "not on me" are that skip.
            # Only "I haven't got one" says there is no number to find.
            return Outcome(accepted=True, value="none" if _HAS_NO_NHS_NUMBER.search(text.lower()) else SKIPPED)
        if attempts >= 1:
            return Outcome(accepted=True, value="none")
        return _reject("utter_invalid_nhs_number", attempts, question, answers)
    if kind == "gp_practice":
        # "If you're not with one, just say none": so "none" too means no practice.
        named = _NAMES_A_PRACTICE.search(text) is not None
        if normalise.says_not_registered(text) or (normalise.means_nothing(text) and not named):
            return Outcome(accepted=True, value=NOT_REGISTERED)
        if attempts == 0 and all(normalise.asks_back(clause.lower()) for clause in normalise.clauses(text)):
            # "What is GP practice? Is it same as university health centre?" was saved as the practice
            return Outcome(accepted=False, responses=[why_response(question.key)])
        if named:
            return Outcome(accepted=True, value=text)
        kind = "text"
    if kind == "text":
        nothing = normalise.means_no_needs if question.key == "accessibility_needs" else normalise.means_nothing
        if question.optional and nothing(text):
            return Outcome(accepted=True, value="none")
        if not _has_words(text):
            return _reject("utter_invalid_text", attempts, question, answers)
        return Outcome(accepted=True, value=text)
    if kind == "name":
        name = normalise.parse_name(text)
        return Outcome(accepted=True, value=name) if name else _reject("utter_invalid_name", attempts, question)
    if kind == "scale":
        # "6, and worthwhile maybe 7", "anxiety was 10 yesterday, happy 1": the other question's score set aside
        score, only_another = normalise.the_score_beside_others(text, question.key)
        if only_another:
            return _reject("utter_invalid_scale", attempts, question, answers)  # "anxious 10" asked how happy
        if score is None:
            score = normalise.parse_scale(text)
        if score is None and attempts > 0:
            score = normalise.the_score_before_a_hedge(text)  # "6 maybe 7" said again: the 6
        return (
            Outcome(accepted=True, value=score)
            if score is not None
            else _reject("utter_invalid_scale", attempts, question, answers)
        )
    if kind == "yes_no":
        answer = normalise.parse_yes_no(text, intent, question.yes_cues, question.no_cues, question.offer)
        return (
            Outcome(accepted=True, value=answer)
            if answer is not None
            else _reject("utter_invalid_yes_no", attempts, question, answers)
        )
    if kind == "choice":
        codes = normalise.match_options(text, question.options, many=False)
        return (
            Outcome(accepted=True, value=codes[0])
            if codes
            else _reject("utter_invalid_choice", attempts, question, answers)
        )
    if kind == "multi":
        if question.optional and normalise.means_nothing(text):
            return Outcome(accepted=True, value=["none"])
        codes = normalise.match_options(text, question.options, many=True)
        earlier = answers.get(_OPEN_QUESTION_BEFORE.get(question.key, ""))
        pointed = _AS_SAID_BEFORE.search(text)
        if pointed and isinstance(earlier, str) and (not codes or pointed.group("more")):
            # "what I just said (and housing)": the options named in the person's own words a moment ago, and more
            more = normalise.match_options(pointed.group("more") or "", question.options, many=True)
            said = {*normalise.match_options(earlier, question.options, many=True), *more}
            codes = [option.code for option in question.options if option.code in said]
        if len(codes) > 1 and "none" in codes:
            codes.remove("none")
        if not codes and question.optional and normalise.starts_with_nothing(text):
            codes = ["none"]  # "nothing really, just want to get out more": none of these
        return (
            Outcome(accepted=True, value=codes)
            if codes
            else _reject("utter_invalid_multi", attempts, question, answers)
        )
    if kind == "top":
        return _interpret_top(question, text, answers, attempts)
    if kind == "contact":
        return _interpret_contact(question, text, answers, attempts)
    if kind == "language":
        return _interpret_language(question, text, attempts)
    raise ValueError(f"unknown question kind {kind!r}")


_PLACES = {**{word: place - 1 for word, place in normalise.ORDINAL_WORDS.items()}, "top": 0}
"""An area's index in the list shown, by the word for its place ("the second", "top")."""


_AND_A_PLACE = re.compile(r"\b(?:and|&|plus|then)\s+the\s+(?:first|second|third|last|bottom|top)(?:\s+one)?\W*$")
"""A pick by its place in the list after another pick ("1 and the last one")."""


def _by_place(text: str, options: Sequence[Option]) -> list[str]:
    """Areas picked by their place in the list shown: "the first one", "second and fourth", "the last 2"."""
    lowered = text.lower()
    if len(normalise.words(lowered)) > 6:
        return []
    places = [_PLACES[w] for w in normalise.words(lowered) if w in _PLACES]
    last = re.search(r"\blast (two|2)\b", lowered)
    if re.search(r"\b(not|none|except|apart|other than|lost|losing)\b", lowered):
        return []  # "not the first two": turned down, asked again
    if re.search(r"\b(first|second|third|top|last|two|2)\s+(years?|months?|weeks?|days?|times?)\b", lowered):
        return []  # "the first two years": a time, not a place in the list
    if re.search(r"\b(first|top) (two|2)\W*$", lowered):
        places = [0, 1]  # "dad says the first two"
    elif last:
        places += [len(options) - 2, len(options) - 1]
    elif re.search(r"\b(last|bottom)\b", lowered):
        places.append(len(options) - 1)
    return [options[p].code for p in dict.fromkeys(places) if 0 <= p < len(options)]


def _interpret_top(question: Question, text: str, answers: Mapping[str, object], attempts: int) -> Outcome:
    options = top_area_options(answers)
    # "the other two" picks the rest; "the rest would follow" says what follows from a pick.
    if re.search(
        normalise.not_after("none of", "not", "no")
        + r"\bthe (other|rest)\b(?! (?:would|will|can|could|should|follows?|comes?|of (?:it|my life))\b)",
        text.lower(),
    ):
        named = [o.code for o in options if o.matches(text)]  # "not the weight, the other two"
        codes = [o.code for o in options if o.code not in named] if named else []
    else:
        codes = normalise.match_options(text, options, many=True, numbers=top_area_numbers(answers))
        if not codes or _AND_A_PLACE.search(text.lower()):
            # "1 and the last one": a pick by number and one by its place in the list
            codes = [o.code for o in options if o.code in {*codes, *_by_place(text, options)}]
    if 1 <= len(codes) <= 2:
        return Outcome(accepted=True, value=codes)
    return _reject("utter_invalid_top", attempts, question, answers)


def _interpret_contact(question: Question, text: str, answers: Mapping[str, object], attempts: int) -> Outcome:
    method = answers.get("contact_method")
    if method == "email":
        email = normalise.parse_email(text)
        return Outcome(accepted=True, value=email) if email else _reject("utter_invalid_email", attempts, question)
    if method == "place":
        # Where and when to find them, in their words: read as any other text answer.
        return (
            Outcome(accepted=True, value=text)
            if _has_words(text)
            else _reject("utter_invalid_place", attempts, question)
        )
    phone = normalise.parse_uk_phone(text)
    return Outcome(accepted=True, value=phone) if phone else _reject("utter_invalid_phone", attempts, question)


def _interpret_language(question: Question, text: str, attempts: int) -> Outcome:
    language = languages.language_chosen(text)
    if language is None:
        return _reject("utter_which_language", attempts, question)
    return Outcome(accepted=True, value=language)
