"""Reading a message that steps away, or only says "I'm back" after a pause the bot did not see.

`steps_away` says when a short message is a pause whatever a classifier made of it ("hang on
she's woke up, brb"), and `only_an_everyday_reason` when its reason for the pause holds nothing
else a link worker should hear (the baby, the door; not "partner was shouting"). The same table
of reasons serves both directions.

People step away mid-conversation without saying so (the door, the kettle, a child, a dropped
signal) and come back with "sorry about that, where were we", "back, kids needed me" or "ok
ready". Such a message answers nothing: saved as the answer it puts "sorry someone at the door"
on the link worker's summary, and to a yes/no question its "ok" was read as a yes. `only_returning`
says when a message is nothing but that, so the turn welcomes the person back and asks again.

It reads the message clause by clause. Each clause must be a return ("I'm here now", "what was the
question", "ready when you are"), an excuse for the pause told in the past ("had to get the door",
"the baby woke up"), or nothing but courtesy ("ok", "sorry", "hi"). An excuse with no return counts
only after an apology or a greeting ("sorry, phone rang"), and only to a closed question: to "what
makes it hard?", "sorry, my phone died" may be the answer. A clause that says anything else, or a
plain yes or no of its own ("sorry about that, yes please"), makes the message an answer, so
"getting back into swimming" and "my back" stay answers.
"""

from __future__ import annotations

import re

from bot.intake import people
from bot.intake.normalise import words
from bot.intake.readback import EDITING

_CHILD_OR_PARENT = f"{people.CHILDREN}|{people.PARENTS}"
_HOUSEHOLD = f"{_CHILD_OR_PARENT}|{people.PARTNERS}"
"""The people at home who call a person away; a partner's call is never taken for a harmless one (it may be
the very thing the link worker needs to hear)."""
_TIME = r"(?:a couple of|a few|\d+|two|five|ten) (?:mins?|minutes|secs?)"
"""A short time ("5 mins", "a couple of minutes"): in a message that steps away, how long for."""
_HOLD_ON = r"(?:hang|hold) on\b"
_HOLDING_ON = rf"^\W*{_HOLD_ON}"
_HOLDING_ON_FOR_A_JOB = re.compile(
    rf"^\W*(?:(?:sorry|soz|ok|right)\W+)?(?:{_HOLD_ON}|wait a (?:min|minute|sec)\b|hold your horses\b)"
)
_A_NUMBER = r"\d(?:[\s.-]?\d){5}"
_FOUND_WHILE_HOLDING_ON = re.compile(rf"{_HOLDING_ON}.*{_A_NUMBER}", re.IGNORECASE)


_LOOKED_FOR_LATER = re.compile(
    r"\b(?:find|finds|look|looks|check|checks|dig|digs|search|ask)\b(?:\s+(?!back\b)[\w']+){0,4}?\s+later\b",
    re.IGNORECASE,
)


def looked_for_later(text: str) -> bool:
    """ "daughter will find later", "I'll look it up later": what is asked for is not to hand now (an answer: skip for
    now), never a pause. A pause read into it came back to the same question, and the same answer paused it again."""
    return _LOOKED_FOR_LATER.search(text or "") is not None


def found_while_holding_on(text: str) -> bool:
    """ "Hold on, it's on the letter... 999 443 6732": a number found while the person held on, so no pause."""
    return _FOUND_WHILE_HOLDING_ON.search(text) is not None


_CLAUSE_OPENS = r"(?:^\W*|[,.;!]\s*)"
"""The start of the message or of a clause: "be back later" is a pause only there ("ok, be back later"), not in "my
mum will be back later". It consumes what it stands on, so it is not `normalise`'s zero-width clause opening."""
STEPPING_AWAY = re.compile(
    rf"\b(?:need|have) to go(?: now)?(?=\W*$|\s*[,.;!]|\s+(?:sorry|soz|{_HOUSEHOLD})\b)|"
    r"\b(brb|afk|be right back|gtg|g2g|got to go|gotta go|back in a (min|minute|sec|second|bit|mo|moment)|back in \d+(?!\s*\w)|"
    r"(?:signal'?s? (?:going|dropping)|losing (?:my )?signal|battery'?s? (?:dying|going|about to die))(?=\W*$)|"
    r"back in (?:an?|half an|\d+|one|two|a couple of) (?:hours?|hrs?|h)\b|"
    r"(?:(?:they'?re|they are|they(?:'ve)?|someone'?s)\s+(?:just\s+)?call(?:ed|ing|s)?\s+(?:my|our|me)(?:\s+(?:number|name))?|"
    r"(?:my|our) (?:number|name)(?:'s| is| has)? (?:just )?(?:been |being )?called)(?=\W*(?:now)?\W*$)|"
    r"give me a (min|minute|sec|second|moment)|one (sec|second|moment|min)|"
    rf"^\W*(?:(?:sorry|soz|sry)\b[^?]{{0,40}}?,\s*)?(back in |give me |in )?{_TIME}(?=\W*$)|(back in|give me) {_TIME}|"
    r"(finish|do|continue|carry on with|come back to|pick (this|it) up) (this|it|the rest)?\s*(later|tomorrow|"
    r"another (time|day)|in the morning|tonight))\b|"
    rf"{_HOLDING_ON}(?!.*(?:{_A_NUMBER}|\bi'?d say\b|\b(?:a|about|maybe) \d{{1,2}}\b))|"  # "hang on, I'd say a 4": a score
    rf"{_CLAUSE_OPENS}(?:i'?ll |i will |i shall |i |will )?(?:come back|be back|return) "
    r"(?:after|later|soon|shortly|in a (?:bit|while|min\w*))(?=\W*$)|"
    rf"{_CLAUSE_OPENS}back (?:shortly|in a (?:bit|min\w*|moment|sec\w*|tick))(?=\W*$)|"
    r"^\W*(?:(?:yes|yeah|ok|okay|sorry)\W+)*(?:but\s+)?(?:not (?:right )?now\W+)?(?:i'?ll|i will|i shall) "
    r"(?:come back|be back|return)(?: to (?:it|this|you))?(?: later| after| soon| shortly)?(?=\W*$)",
    re.IGNORECASE,
)
"""Words that only ever mean "I'm stepping away": a short message with them is a pause even when the
classifier read it as an answer ("hang on she's woke up, brb" is not what matters most). "Need to go" only
at the end of a clause or before someone at home ("sorry need to go mum needs me", "need to go, sorry"),
never before what the person needs to go to ("I need to go out more")."""
STEPPING_AWAY_MAX_WORDS = 10
_CHANGING = re.compile(rf"{EDITING.pattern}|\b(?:wrong|mistake)\b", re.IGNORECASE)
"""A change asked for, never a pause ("hang on the number's wrong")."""


def asks_for_a_change(text: str) -> bool:
    """Whether the message asks to change something ("hang on, can I change the goal bit"): never a pause."""
    return _CHANGING.search(text or "") is not None


def steps_away(text: str) -> bool:
    """Whether a short message says the person is stepping away, whatever else a classifier made of it; or a longer
    one (up to `APOLOGETIC_PAUSE_MAX_WORDS`) that opens with an apology and ends by stepping away ("sorry I have to
    pick up the kids from school, I will come back after")."""
    if asks_for_a_change(text):
        return False
    if re.match(_HOLDING_ON, text or "", re.IGNORECASE) and "?" in text:
        return False  # "hang on, do I need to bring anything?": a question, not a pause
    found = STEPPING_AWAY.search(text or "")
    if found is None:
        return False
    said = _EXCUSE_ME.sub(" ", (text or "").lower())  # "Forgive me, ... I shall return shortly" is as short as "brb"
    length = len(words(said))
    if length <= STEPPING_AWAY_MAX_WORDS:
        return True
    if length > APOLOGETIC_PAUSE_MAX_WORDS:
        return False
    if _HOLDING_ON_FOR_A_JOB.match(said) and _only_a_job_to_do(said):
        return True  # "hang on pet, it's chucking it down, got to get the tomatoes covered"
    ends = not re.sub(r"[\W_]+", "", text[found.end() :])
    return ends and _APOLOGY.match(said.strip()) is not None


APOLOGETIC_PAUSE_MAX_WORDS = 20
_OFF_TO_DO = re.compile(
    r"\b(?:got to|gotta|have to|need to|must|i'?ve got to|i'?ll have to|better)\s+"
    r"(?:go(?! through| over| back| with)|nip|pop|dash|run|answer|see to|feed|fetch|get(?! my (?:thoughts|head))|bring in|take(?! part| place)|"
    r"turn|change|grab|sort|pick|check on)\b(?![^,.;!?]*\b(?:so|but|because|cos|if|please|which|what|before)\b)"
)
"""After "hang on" or "hold on", a job to go and do: the person steps away, however long the reason. Not a job that
leads to an answer ("got to get the bus ... so local please")."""


_ANSWER_OR_QUESTION = re.compile(
    r"(?:does|do|is|are|can|could|will|would|should|shall|what|how|why|i think|i'?d|maybe|probably|so|and|but)\b"
)
"""How a clause after the job opens when it asks or answers something ("..., does that matter", "..., I think a group")."""


def _only_a_job_to_do(said: str) -> bool:
    """Whether, after holding on, a clause names a job to go and do (`_OFF_TO_DO`) and what follows it is only short
    talk with no figure in it ("..., back in a bit", "..., the frozen stuff is melting"): no answer comes after."""
    clauses = [c.strip() for c in re.split(r"[,.;!]", said) if c.strip()]
    for index, clause in enumerate(clauses):
        if _OFF_TO_DO.search(clause):
            return all(
                len(words(rest)) <= 5 and not re.search(r"\d", rest) and not _ANSWER_OR_QUESTION.match(rest)
                for rest in clauses[index + 1 :]
            )
    return False


_FILLER = frozenset(
    "ok okay k kk right so sorry soz sry apologies apologise apologize hi hello hiya hey yes yeah yep um erm er "
    "oh well anyway alright please thanks thank you x xx lol haha oops oh dear god reet rite love hun duck pet mate "
    "chuck babe".split()
)
_APOLOGY = re.compile(
    r"^\W*(?:(?:ok|okay|right|oh|oops|yes|yeah)\W+)*(?:so+rr?y|soz|sry|apolog\w*|hi|hello|hiya|hey)\b"
)
"""Opening with an apology or a greeting: what follows may be the reason for a pause."""

_GOING_ON = re.compile(
    r"(?:i'?m |im |i am |am )?ready(?: now| again| when you are| to (?:go|go on|start|carry on|continue))?|"
    r"(?:(?:let'?s|we can|can we|shall we|we'?ll) )?(?:carry on|continue|keep going|crack on|get going)"
    r"(?: now| then| again| with it| from where we (?:were|left off|stopped))?|(?:let'?s|lets|can we|shall we) go"
)
"""A return that says "go on": the answer itself to "are you happy to go on?"."""
_FOLLOW_ON = re.compile(r"go on|go ahead|ask away|fire away|ask me|next|where was i")
""""Go on", "go ahead": after "I'm back" a request to go on; alone, a yes to an offer."""
_BACK = re.compile(
    r"(?:i'?m|im|i am|am|i'?ve|ive|i have|we'?re)\s+(?:back|here|returned|got back)(?: in| now| again| at last| finally)*|"
    r"i (?:come|came) back(?: now| again)?|"  # a learner's "I'm back" (set 27: "hello I come back")
    r"(?:back|here) (?:now|again|at last|in)|again|i have returned|i'?ve returned|returned|hi again|hello again|hey again|"
    r"(?:(?:where|what) (?:were we|was i|was i (?:saying|answering|on|doing|up to)|was the question|was that|"
    r"were you (?:asking|saying)|did we get to|did you ask|did we leave off|were we up to)|"
    r"where did (?:we|i) (?:get to|leave off|stop)|(?:could|can|would) you (?:ask|say|repeat)(?: that| it| the question| me)?|"
    r"ask(?: me| that| it)?|say (?:that|it)|repeat (?:that|it|the question))(?: again)?|"
    r"(?:about|for) (?:that|the wait|the delay|keeping you(?: waiting)?)|to keep you waiting|"
    r"(?:that )?took (?:a while|ages|so long|longer|a bit|\w+ (?:mins?|minutes|secs?|seconds))"
)
"""A return that only says the person is back (a clause of its own, after courtesy words)."""
_BACKS = re.compile(rf"(?:{_BACK.pattern})(?:\s+(?:{_BACK.pattern})){{0,2}}")
"""Returns said one after another with no comma ("about that where was i"); at most three, so a long
message of them cannot make the match try every way of splitting it."""
_BARE_BACK = re.compile(r"back|here")
""""Back" alone is an answer to "what makes it hard?"; it is a return only beside an apology or an excuse."""
_NEEDED_ME_ALONE = r"woke up|needs? me|needed me"
"""What someone did that took the person away, harmless even with nobody named ("sorry, woke up", "needed me")."""
_NEEDED_ME = rf"{_NEEDED_ME_ALONE}|woke|is awake|cry\w*|cried"
"""What a child or a parent did that took the person away, and says nothing more (crying only with who cried:
alone it may be the person's own distress)."""
_CALLED_AWAY = r"needed|wanted(?: me)?|call\w*|came|shout\w*|kicking off|playing up"
"""What took the person away that may be the very thing the link worker needs to hear."""
_EVERYDAY_REASONS = (
    r"door(?:bell)?",
    "kettle",
    r"phone (?:rang|went)",
    "school run",
    r"(?:lost|bad|no|dropped) (?:signal|connection|wifi|internet)",
    r"(?:signal|connection|wifi|internet) (?:dropped|went|cut out|died)",
    r"(?:battery|phone) (?:died|went dead|was dead)",
    "brb",
    "afk",
    r"(?:(?:needed|went to|on) )?(?:the )?(?:loo|toilet)",
    "postman",
    "parcel",
    r"(?:a )?delivery",
    r"(?:there'?s |there is |theres )?someone at (?:the )?door",
    r"(?:tea|dinner|lunch|breakfast|food)(?:'s| is)? ready",
    r"(?:prayer|prayers|namaz|salah) time",
    r"time (?:to|for) (?:pray|prayers?)",
    r"(?:(?:she|he|they|baby|the baby|the bairn|the little one|the kids?|my (?:son|daughter|boy|girl|kids?|baby))"
    r"(?:'s|s| is| has| have|'ve| are)? )?(?:gone (?:back )?down(?! ?hill)|(?:fell|fallen|gone|dropped|nodded) "
    r"(?:back )?(?:asleep|off)|settled|asleep|down for (?:a|her|his|the|their) nap)(?: again| now| at last| finally)?",
)
"""Reasons for a pause, each complete in itself, that hold nothing else; a child gone down to sleep among them ("sorry
back now, she's gone down again" was saved as the answer)."""
_OTHER_REASONS = (
    r"(?:was|been) on the phone",
    r"(?:took|take|had|got) a (?:phone )?call",
    r"(?:pop|popped|nip|nipped|step|stepped|went|was|been) (?:out|away)",
    "distracted",
    "interrupted",
    r"someone (?:at|came|called|rang|knocked)(?: (?:at )?the door)?",
)
"""Reasons for a pause that may stand for more ("someone came", "was on the phone")."""
_ERRAND = r"had to (?:go|pop|step|nip|get|answer|sort|see|take|deal|feed|change|pick|run|dash|check)"
"""The start of a reason whose end may say anything ("had to deal with...")."""


def _done_by(who: str, what: str) -> str:
    """A pattern for someone doing something, with or without "was" ("baby woke up", "kids were playing up")."""
    return rf"(?:{who}) (?:was |is |were )?(?:{what})"


_EXCUSE = re.compile(
    rf"\b(?:{'|'.join(_EVERYDAY_REASONS + _OTHER_REASONS)}|{_NEEDED_ME_ALONE}|"
    rf"{_done_by(_HOUSEHOLD, f'{_NEEDED_ME}|{_CALLED_AWAY}')}|{_ERRAND})\b"
)
"""The reasons people give for having stepped away; an excuse clause must be short too."""
_WAS_AWAY = re.compile(
    r"\b(?:had|was|were|been|went|popped|nipped|stepped|woke|needed|rang|came|called|knocked|lost|dropped|died|cut|"
    r"took|got|wanted|cried|shouted|gone|fell)\b|\b(?:door|doorbell|kettle|brb|afk|asleep|settled)\b"
)
"""An excuse tells of the pause just gone (a past tense), or names a plain interruption ("sorry, kettle"):
"sorry, after the school run" answers "when is best?", it is no excuse."""
_PLAIN_YES = frozenset("yes yeah yep".split())
_PLAIN_ANSWER = _PLAIN_YES | frozenset("no nope nah".split())
_EXCUSE_WORDS = 9
_CLAUSES = re.compile(r"[,.;:!?\n]+|\s+-+\s+|\s+(?=and (?:i'?m|im|i am|now) )|\s+(?=(?:sorry|soz|apologies)\b)")


def _core(clause: str) -> str:
    """The clause without courtesy words around it ("ok sorry, what was the question" -> "what was the question")."""
    tokens = words(clause)
    while tokens and tokens[0] in _FILLER:
        tokens.pop(0)
    while tokens and tokens[-1] in _FILLER:
        tokens.pop()
    return " ".join(tokens)


def only_returning(text: str, question: str = "text") -> bool:
    """True when the message only says the person is back (see the module docstring).

    `question` is what is being asked: "consent" (whether to go on: "ok let's go" and "carry on"
    are its answer), "yes_no" (a plain "yes" with words of going on, "yes please, let's go", is the
    answer), "text" (an open question: "back" alone may be the answer) or any closed kind.
    """
    lowered = text.lower().replace("\u2019", "'")
    kinds = []
    closed = question not in ("text",)
    for clause in _CLAUSES.split(lowered):
        core = _core(clause)
        if not core:
            if question in ("yes_no", "consent") and _PLAIN_ANSWER & set(words(clause)):
                return False  # "sorry about that, yes please": the yes is the answer
            continue
        if _BACKS.fullmatch(core):
            kinds.append("back")
        elif _GOING_ON.fullmatch(core):
            kinds.append("going_on")
        elif _FOLLOW_ON.fullmatch(core):
            kinds.append("follow_on")
        elif _BARE_BACK.fullmatch(core):
            kinds.append("bare" if question == "text" else "back")
        elif _EXCUSE.search(core) and _WAS_AWAY.search(core) and len(core.split()) <= _EXCUSE_WORDS:
            kinds.append("excuse")
        else:
            return False  # something more than coming back: an answer
    apology = _APOLOGY.search(lowered) is not None
    excused = apology or "excuse" in kinds
    back = "back" in kinds or "going_on" in kinds or ("follow_on" in kinds and ("bare" in kinds or excused))
    # To an open question an apology and an excuse alone may be the answer ("sorry, my phone died" to
    # "what makes it hard?"); to a closed one they can only be the pause.
    if not (back or (excused and "bare" in kinds) or (closed and apology and "excuse" in kinds)):
        return False  # nothing but "go on", or "my kids needed me" with no return or apology: an answer
    if question == "consent" and ("going_on" in kinds or "follow_on" in kinds):
        return False  # "sorry, door. yes go ahead": to whether to go on, going on is the answer
    plain_yes = any(t in _PLAIN_YES for t in words(lowered))
    return not (question == "yes_no" and plain_yes and set(kinds) <= {"going_on", "follow_on"})


_HARMLESS_REASON = re.compile(
    rf"(?:(?:the|my|our|a) )?(?:{'|'.join(_EVERYDAY_REASONS)}|{_NEEDED_ME_ALONE}|{_done_by(_CHILD_OR_PARENT, _NEEDED_ME)})"
)
"""The excuses that hold nothing else: not "partner came", "kids kicking off", "had to deal with him"."""
_A_TIME = re.compile(rf"\b{_TIME}\b")
"""Once a message is known to step away, a time anywhere in it is part of the stepping away."""


def only_stepping_away(text: str) -> bool:
    """Whether a message is a pause and nothing more: it opens by stepping away ("brb need to help mum get to bed")
    or gives only an everyday reason ("excuse me, prayer time, I come back after"). Not an answer with a pause after
    it ("gardening and baking, brb")."""
    if not steps_away(text):
        return False
    found = STEPPING_AWAY.search(text or "")
    opens = found is not None and len(words(text[: found.start()])) <= 1
    return opens or only_an_everyday_reason(text)


def only_a_reason_to_go(text: str) -> bool:
    """Whether a message that steps away holds a reason for going and no answer: every clause, without the words of
    stepping away and courtesy, opens with an apology or tells of someone or something at home ("sorry he's kicking
    off, got to go", "shes woke up brb"). Unlike `only_an_everyday_reason`, the reason may be anything: this says only
    that the message is no answer to save ("gardening and baking, brb" is one)."""
    if not steps_away(text):
        return False
    told = [clause for clause in _reason_clauses(text) if _core(clause)]
    return bool(told) and all(_TELLS_WHY.search(clause) for clause in told)


def only_a_pause(text: str) -> bool:
    """Whether a message holds no answer to save, only a pause: it steps away and nothing more (`only_stepping_away`)
    or gives only a reason for going (`only_a_reason_to_go`). The question waits for the person's return."""
    return only_stepping_away(text) or only_a_reason_to_go(text)


def _reason_clauses(text: str) -> list[str]:
    """The clauses of a message that steps away, without the courtesy, the words of stepping away and the times:
    what is left is the reason given for going, if any."""
    lowered = _EXCUSE_ME.sub(" ", text.lower().replace("\u2019", "'"))
    return [_A_TIME.sub(" ", STEPPING_AWAY.sub(" ", clause)).strip() for clause in _CLAUSES.split(lowered)]


_TELLS_WHY = re.compile(
    rf"^\W*(?:(?:ok|oh|right|hang on|hold on)\W+)*(?:sorry|soz|sry)\b|\b(?:he|she|they|someone|somebody|{_HOUSEHOLD})"
    r"(?:'s|s|'re| is| are| has| have| was| were)?\s+(?:\w+\s+)?(?:woke|awake|up|crying|kicking|screaming|shouting|"
    r"home|here|back|calling|needs?|wants?|at the door|arrived|come|came)\b|\b(?:door|doorbell|phone|kettle|dinner|tea)\b"
)
"""An apology, or someone or something at home, in the words around a pause."""


_EXCUSE_ME = re.compile(
    r"\b(?:(?:please )?(?:excuse|pardon|forgive) me|(?:my |many )?apologies|i (?:do )?apologi[sz]e)\b"
)
"""Courtesy of more than one word, said before stepping away ("excuse me, prayer time", "Forgive me, there is
someone at the door"): neither a reason nor part of the length of a pause."""


def only_an_everyday_reason(text: str) -> bool:
    """Whether a message that steps away says nothing but an everyday reason for it ("baby woke up brb",
    "sorry need to go mum needs me"): every clause, without the words of stepping away and courtesy, is such a
    reason or nothing."""
    cores = [core for core in map(_core, _reason_clauses(text)) if core]
    return bool(cores) and all(_HARMLESS_REASON.fullmatch(core) for core in cores)
