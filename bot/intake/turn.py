"""One patient message inside the intake: safety first, then the answer.

`take_turn` is pure: given the slot being asked, the message, its NLU intent
and risk tier, and what the conversation already holds, it returns an
`Outcome` saying what to store, which flag to raise, what to say and whether
to wait (`hold`) instead of asking the next question. The form's validation
action only applies it, so every path here is unit-tested without Rasa.

Why the holds: after a crisis reply the bot must not fire the next question at
someone who has just said they want to die, and their "ok, carry on" must not
be saved as an answer. After an uncertain disclosure it asks one direct
question and must read the reply as a reply to that question. Each hold is a
pseudo-slot the form requests without asking anything itself (`carry_on`), or
with the check question (`risk_check`, asked by `utter_ask_risk_check`).
"""

from __future__ import annotations

import hashlib
import re
from typing import Mapping, Optional

from bot.db.models import FlagKind, IntakeStatus
from bot.intake import normalise, people
from bot.intake.questions import CONFIRMED, CONSENT, QUESTION_BY_KEY, is_closed
from bot.intake.returning import only_a_pause, only_returning
from bot.intake.risk import CLASSIFIER, EMERGENCY, UNCERTAIN, UNSAFE_NOW, Risk, detect_risk
from bot.intake.validation import Outcome, interpret, returned

CARRY_ON = "carry_on"
"""Hold after a crisis reply: the next message says whether the person wants to go on."""
RISK_CHECK = "risk_check"
"""Hold after an uncertain disclosure: the next message answers the check question."""
HOLDS = (CARRY_ON, RISK_CHECK)
RISK_FLAGGED = "risk_flagged"
"""Slot: a certain disclosure was already answered in this conversation (later ones get a short reply)."""
RISK_CHECKED = "risk_checked"
"""Slot: how many clear noes the person has given to the check question (older trackers hold True for one);
later classifier-only doubt is noted, not asked again, unless likely (`asks_again`)."""
RISK_CHECKED_TEXT = "risk_checked_text"
"""Slot: a digest of the message a clear no to the check question answered (never the text itself). The same
message sent again (the person repeating an answer the question could not use) is noted, not asked about again."""
PENDING = "pending_answer"
"""Slot: the message held back while the bot checks ({"key", "text", "category"})."""


def take_turn(
    requested: str,
    text: str,
    intent: Optional[str],
    answers: Mapping[str, object],
    attempts: int = 0,
    risk: Optional[Risk] = None,
    pending: Optional[Mapping[str, str]] = None,
) -> Outcome:
    """What this message means where the intake stands (see the module docstring).

    `answers` are the conversation's slots; the slot being asked may already hold
    this very message (Rasa fills it before validation), which is not an answer yet.
    """
    answers = {**answers, requested: None}
    flagged = bool(answers.get(RISK_FLAGGED))
    if risk is not None and not risk.certain and risk.category == CLASSIFIER and only_yes_or_no(requested, text):
        risk = None  # "wouldn't hurt i guess" to a yes/no question holds nothing but the answer
    if (
        risk is not None
        and risk.certain
        and risk.category == CLASSIFIER
        and is_closed(requested)
        and not flagged
        and noes_to_check(answers) < 2
    ):
        # The meaning reader alone, however sure, gets the check question first at a closed question: measured on
        # simulated patients nobody here wrote, its surest scores there were everyday asides ("leave it with the
        # surgery and they can pass it on", "yes definitely she wont go on her own"); a yes to the check still
        # brings the crisis reply in the next turn (so only where the check will be asked), and words of risk from
        # the phrase list stay certain everywhere.
        risk = Risk(UNCERTAIN, CLASSIFIER, likely=True)
    if risk is not None and (
        risk.certain
        or (flagged and risk.asked_first)
        or (requested == RISK_CHECK and not _a_no_despite_doubt(risk, text, intent))
    ):
        # A disclosure while the bot is checking is not a "no": it is certain now. A clear no with words the
        # classifiers doubt, and find less likely than not, is still a no ("No! I'm pulling your leg, I've no
        # plans to pop my clogs"): the check flag stays for the link worker. Words always asked about when
        # first said ("the bridge ... whether it'd be quick"), said after a disclosure the team already knows of,
        # get the short reply with the numbers: asking first would question someone who has already told us.
        category = risk.category if risk.certain else (pending or {}).get("category") or risk.category
        return disclosure(requested, text, category, answers, flagged, pending, attempts)
    if (
        risk is not None
        and not flagged
        and requested not in (CARRY_ON, RISK_CHECK)
        and asks_again(risk, answers)
        and not already_checked(text, answers)
    ):
        return check(requested, text, risk)
    if requested == CARRY_ON:
        return carry_on(text, intent, attempts)
    if risk is None and only_returning(text, returning_kind(requested)):
        # "Ok I'm back" after a pause the bot did not see: not an answer (its "ok" is no yes), so the
        # question again; said again and again, the question's usual way forward (choices, skip, a person).
        # The check question is asked once more, then anything but a clear no is read as a yes.
        if requested != RISK_CHECK:
            return returned(requested, attempts, answers)
        if attempts == 0:
            return Outcome(accepted=False, hold=RISK_CHECK, pending=dict(pending or {}) or None)
    if requested == RISK_CHECK:
        return check_reply(text, intent, answers, pending, flagged)
    if risk is not None and only_a_pause(text):
        # Uncertain, not asked about, and nothing but stepping away ("she's woke up screaming, brb" after an earlier
        # disclosure): noted for the link worker, never saved as the answer; the question waits for their return.
        return Outcome(accepted=False, flag=FlagKind.RISK_CHECK, category=risk.category)
    outcome = interpret(requested, text, intent, answers, attempts)
    if risk is not None:
        # Uncertain after the team already knows, or after a clear no to the check question:
        # keep the answer and note it for the link worker, without asking again.
        outcome.flag, outcome.category = FlagKind.RISK_CHECK, risk.category
    return outcome


def only_yes_or_no(requested: str, text: str) -> bool:
    """A yes/no question answered in nothing but words of yes, no or unsure: a classifier's doubt about
    it (a bag of words sure of "wouldn't hurt") is noise, and a check question there only alarms.
    Words of risk from the phrase list are never dropped (they are not the classifier's category)."""
    return is_yes_no(requested) and normalise.only_yes_no(text)


def returning_kind(requested: str) -> str:
    """What `only_returning` needs to know of the question: whether to go on, yes/no, open or closed."""
    if requested == CONSENT:
        return "consent"
    if is_yes_no(requested) or requested == RISK_CHECK:  # the check question is asked as a yes or no
        return "yes_no"
    question = QUESTION_BY_KEY.get(requested)
    return "text" if question is None or not question.closed else question.kind


def is_yes_no(requested: str) -> bool:
    """Consent, the read-back and every yes/no question."""
    question = QUESTION_BY_KEY.get(requested)
    return requested in (CONSENT, CONFIRMED) or (question is not None and question.kind == "yes_no")


def asks_again(risk: Risk, answers: Mapping[str, object]) -> bool:
    """Whether uncertain wording gets the check question. Once a person has said a clear no, a
    classifier's doubt about a later answer is only noted for the link worker (asking at every
    answer would be a wall), but words of risk themselves ("tbh i wanna kms lol") are always
    asked about: a no to one question is not a no to everything said after it. Nor is a no given
    to a false alarm a no to a later answer the meaning reader finds likely a disclosure ("it would
    be simpler for everyone if I just didn't wake up"): that is asked about once more, never a third
    time, so no conversation becomes a wall of checks."""
    noes = noes_to_check(answers)
    return noes == 0 or risk.category != CLASSIFIER or (risk.likely and noes < 2)


def digest(text: str) -> str:
    """A short digest of a message, the same whatever its case, spacing or end punctuation."""
    said = " ".join(normalise.letter_words(text))
    return hashlib.sha256(said.encode("utf-8")).hexdigest()[:16]


def already_checked(text: str, answers: Mapping[str, object]) -> bool:
    """Whether this very message was the one a clear no to the check question answered: sent again, it is noted for
    the link worker, never asked about a second time (the person was only repeating an answer)."""
    return answers.get(RISK_CHECKED_TEXT) == digest(text)


def noes_to_check(answers: Mapping[str, object]) -> int:
    """The clear noes given to the check question so far (the slot held True for one before it counted)."""
    value = answers.get(RISK_CHECKED)
    return int(value) if isinstance(value, (bool, int)) else 0


CRISIS_REPLIES = ("utter_crisis", "utter_crisis_again", "utter_crisis_again_2", "utter_emergency", "utter_unsafe_now")
"""Every reply `crisis_responses` can open with: each means a safeguarding flag must exist."""
CHECK_QUESTION = "utter_ask_risk_check"
"""Asked by the form on the `risk_check` hold: means a check flag must exist."""


def crisis_responses(category: str, flagged: bool, repeat: int = 0) -> list[str]:
    """The reply to a certain disclosure: 999 first for an emergency, a short one when the team already knows.

    The short one has two wordings, taken in turn, so saying it again and again never
    gets the same reply three times running. An emergency gets 999 first even when the team already knows of an
    earlier disclosure (the sixteenth set: "took the whole box of ma sertraline aboot an hour ago" after a crisis
    reply), the short reply only in turn with it when said again at the same question.
    """
    if category == EMERGENCY and not (flagged and repeat % 2):
        return ["utter_emergency", "utter_offer_continue"]
    if flagged:
        return ["utter_crisis_again" if repeat % 2 == 0 else "utter_crisis_again_2"]
    if category == UNSAFE_NOW:
        return ["utter_unsafe_now", "utter_offer_continue"]
    return ["utter_crisis", "utter_offer_continue"]


def disclosure(
    requested: str,
    text: str,
    category: str,
    answers: Mapping[str, object],
    flagged: bool,
    pending: Optional[Mapping[str, str]] = None,
    repeat: int = 0,
) -> Outcome:
    """Urgent flag and crisis reply; an answer to an open question is saved as well, then the bot waits."""
    key, said = (pending.get("key"), pending.get("text")) if requested == RISK_CHECK and pending else (requested, text)
    outcome = Outcome(
        accepted=False,
        flag=FlagKind.SAFEGUARDING,
        category=category,
        responses=crisis_responses(category, flagged, repeat),
        hold=CARRY_ON,
    )
    question = QUESTION_BY_KEY.get(key or "")
    asked = question.key if question else key if key in (CONSENT, CONFIRMED) else None
    if asked is None or not said or answers.get(asked) is not None:
        return outcome
    if requested == RISK_CHECK and only_a_pause(said):
        return outcome  # what raised the check was a pause ("hang on she's crying"): never saved as the answer
    if question is not None and question.open:
        outcome.accepted, outcome.key, outcome.value, outcome.verbatim = True, key, normalise.clean_text(said), said
        return outcome
    if not flagged or requested == RISK_CHECK:
        return outcome  # a closed question is asked again once the person is ready
    # The team already knows, and the person answers the question again with the same words of
    # risk ("Three. Nobody came yesterday."): the short reply, and no hold. The answer in it is
    # saved; if there is none, the question's own way forward follows (the choices in words, a
    # skip, a person), so the same message can never loop. Consent and the read-back too: "Go on
    # then, you've twisted my arm", said 60 times at consent, was never read as the yes it is.
    reading = interpret(asked, said, None, answers, repeat)
    reading.responses = outcome.responses + reading.responses
    reading.flag, reading.category = FlagKind.SAFEGUARDING, category
    if reading.accepted:
        reading.key, reading.verbatim = asked, said
    return reading


def check(requested: str, text: str, risk: Risk) -> Outcome:
    """An uncertain disclosure: a "check" item on the queue now, and one direct question."""
    key = requested if requested in QUESTION_BY_KEY or requested in (CONSENT, CONFIRMED) else ""
    return Outcome(
        accepted=False,
        flag=FlagKind.RISK_CHECK,
        category=risk.category,
        hold=RISK_CHECK,
        pending={"key": key, "text": text, "category": risk.category},
    )


def check_reply(
    text: str,
    intent: Optional[str],
    answers: Mapping[str, object],
    pending: Optional[Mapping[str, str]],
    flagged: bool,
) -> Outcome:
    """A clear no: thank them, save what they had said (unless it stepped away), carry on. Anything else: the crisis
    reply."""
    if not is_clear_no(text, intent):
        category = (pending or {}).get("category") or "check"
        return disclosure(RISK_CHECK, text, category, answers, flagged, pending)
    outcome = Outcome(accepted=False, responses=["utter_risk_check_thanks"], checked=True)
    key, said = (pending or {}).get("key") or "", (pending or {}).get("text")
    if (key in QUESTION_BY_KEY or key in (CONSENT, CONFIRMED)) and said and answers.get(key) is None:
        if only_a_pause(said):
            return outcome  # "brb need to help mum get to bed" was a pause, not an answer: the question is asked again
        # What they had said is read as the answer it was: consent given, an answer, or a change at the read-back.
        answer = interpret(key, said, None, answers)
        if answer.accepted and not answer.clear:
            outcome.accepted, outcome.key, outcome.value = True, key, answer.value
            outcome.verbatim = said
        elif answer.clear:
            outcome.clear, outcome.responses = answer.clear, [*outcome.responses, *answer.responses]
    return outcome


_HEDGED_NO = re.compile(
    r"(?<![\w'])(sure|know|maybe|perhaps|probably|prob|probs|likely|sometimes|some days|kind of|kinda|sort of|a bit|"
    r"bit of|suppose|might|"
    r"unsure|idk|dunno|depends|at times|now and then|used to|except|though|well|not always|hm+|um+|er+m*|"
    r"not really|not now|for now|at the moment|atm|any ?more|i think|(?:don'?t|do not) think so|(?:safe|stopped) now|"
    r"tired of (?:everything|it all|life|living)|(?:wouldn'?t|won'?t|couldn'?t|would not|will not) do it|"
    r"but(?!\s+(?:i'?m|im|i am|all|it'?s|its|we'?re)\s+(?:ok|okay|fine|alright|all right|good|safe)\b)|"
    r"not me\W+(?:it'?s|its|it is|my|me|our|the|he|she|they)\b|"
    r"(?:took|taken|taking|had|swallowed|necked) (?:a few |some |a couple of |a load of |loads of |lots of |all )?"
    r"(?:(?:extra|more|too many|of my|my) )?(?:pills|tablets|meds|medication|paracetamol|painkillers)|"
    rf"(?:he|she|they|my \w+|{people.FAMILY})(?:'s|'re)?\b[^.?!]{{0,30}}\b"
    r"(?<!not )(?<!never )(?<!n't )(?<!nobody's )(?<!nobodys )(?<!no one's )(?:on (?:his|her|their) own|alone|"
    r"by (?:him|her|them)sel(?:f|ves)|"
    r"can'?t (?:manage|cope|get up|move|walk))\b)(?![\w'])"
)
"""What keeps a no from being clear: doubt ("not really", "for now", "I think", "erm no"), a thought turned down
rather than absent ("no i wouldnt do it, the kids need me"), or a no for oneself that goes on to someone else ("not
me, it's me mam, she's on her own", "no, it's Alan, he's on his own and can't manage": a dependent alone tonight).
Not a "but" that ends on being all right ("no honestly, I'm tired but I'm ok"). Nor a no that goes on to tablets taken
("no i'm fine, i just took a few extra pills"), which the intent classifier may hear as a plain no."""


def _a_no_despite_doubt(risk: Risk, text: str, intent: Optional[str]) -> bool:
    """At the check question: a clear no whose words the classifiers alone doubt, less likely than not a disclosure,
    with no words of the phrase list in it at all, even turned round ("no I just want to die" is no no)."""
    doubted_alone = not risk.certain and risk.category == CLASSIFIER and not risk.likely
    return doubted_alone and detect_risk(text) is None and is_clear_no(text, intent)


def is_clear_no(text: str, intent: Optional[str] = None) -> bool:
    """ "No", "no I'm not", "god no": a no with nothing that softens it ("not really sure", "no, but sometimes")."""
    lowered = text.lower()
    if _OPENS_WITH_NO.match(lowered):
        lowered = _ALL_RIGHT_AT_THE_END.sub(" ", lowered)  # "no honestly, I'm tired but I'm ok": the no, said kindly
    return (
        normalise.parse_yes_no(lowered, intent) is False
        and _HEDGED_NO.search(lowered) is None
        and _SOMEONE_ELSE_NAMED.search(text) is None
    )


_OPENS_WITH_NO = re.compile(r"\W*(?:no|nope|nah|not at all|god no)\b")
_ALL_RIGHT_AT_THE_END = re.compile(
    r"\b(?:but\s+)?(?:i'?m|im|i am|we'?re|it'?s|its)\s+(?:ok|okay|fine|alright|all right|good|safe|all good)"
    r"(?:\W+(?:but\s+)?(?:really|honestly|tbh|thanks|thank you|thanks for asking))?\W*$"
)
"""Being all right, said last after a no to the check question: reassurance, not a yes that would make the no
unclear. Only last: "no im fine. he only hit me the once" goes on to say something, and stays unclear."""
_SOMEONE_ELSE_NAMED = re.compile(
    r"^\W*(?:[Nn]o|[Nn]ope|[Nn]ah|[Nn]ot me)\W+(?:[Ii]t'?s|[Ii]ts|[Ii]t is)\s+[A-Z][a-z]+\b(?=\W*(?:,|he|she|they|$))|"
    r"^\W*(?i:no|nope|nah|not me)\b.*\b(?i:it'?s|its|it is)\s+"
    rf"(?i:(?:my|the|our|me) (?:{people.FAMILY}|{people.OTHERS})|him|her|them)\b"
    r"(?!\W+(?:(?:who'?s|who is|who was|is|was|'s|(?:he|she|they)(?:'s|'re| is| are| was))\s+)?"
    r"(?:ill|poorly|sick|unwell|not well|dying|in hospital|passed|died))"
)
"""A no for oneself that names someone else ("no, it's Alan, he's on his own", "no it's my husband"): about them, so
no clear no. Not "no it's bills im worried about", nor someone ill ("No, it's my brother who's ill, not me": the
sixteenth set)."""


def carry_on(text: str, intent: Optional[str], attempts: int) -> Outcome:
    """After a crisis reply: anything but "no" means go on (nothing saved); "no" keeps it paused."""
    if normalise.parse_yes_no(text, intent) is False:
        response = "utter_stopped_after_crisis" if attempts % 2 == 0 else "utter_still_here"
        return Outcome(accepted=False, responses=[response], hold=CARRY_ON, intake_status=IntakeStatus.PAUSED)
    return Outcome(accepted=False, intake_status=IntakeStatus.IN_PROGRESS)
