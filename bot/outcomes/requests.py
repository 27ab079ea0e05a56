"""What a follow-up message asks, rather than answers: "why?", "help", "is this a bot?", "call me", "later".

The follow-up runs outside Rasa, so there is no NLU to name these; this small reader does it from the
words alone. It must not fire on answers: the open question "what has changed" takes any words, so
"the group helped a lot" or "talking to someone helped" have to stay answers. So the reader is strict:
a message is split into clauses (at , . ; ! ? and new lines), and a clause is a request only when the
WHOLE clause (less "sorry", "please", "ok" and the like) is one of the wordings below. Loose words
inside a longer clause never count ("help" in "I got help with my bills" is part of an answer).

`read` returns the request and what else the message said (`rest`, the clauses that were neither a
request nor filler), so the conversation can tell "why?" (a request only) from "7, why?" (a score and
a question). Pure: no state, no I/O.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional

WHY = "why"
HELP = "help"
BOT = "bot"
PERSON = "person"
LATER = "later"
KINDS = (WHY, HELP, BOT, PERSON, LATER)

# Common text-speak and typos, rewritten word by word before matching (apostrophes are dropped first,
# so "what's" is "whats", "I'd" is "id").
_SPELLING = {
    "u": "you",
    "ya": "you",
    "yu": "you",
    "r": "are",
    "ur": "your",
    "wat": "what",
    "wot": "what",
    "wht": "what",
    "wats": "whats",
    "wots": "whats",
    "whts": "whats",
    "pls": "please",
    "plz": "please",
    "plse": "please",
    "cud": "could",
    "cld": "could",
    "cn": "can",
    "sum1": "someone",
    "some1": "someone",
    "sumone": "someone",
    "somone": "someone",
    "someon": "someone",
    "any1": "anyone",
    "anyon": "anyone",
    "tlk": "talk",
    "tak": "talk",
    "speek": "speak",
    "spk": "speak",
    "cal": "call",
    "phne": "phone",
    "rite": "right",
    "ppl": "people",
    "im": "i am",
    "ima": "i am",
    "iam": "i am",
    "whys": "why is",
    "hlp": "help",
    "halp": "help",
    "robt": "robot",
    "computr": "computer",
    "l8r": "later",
    "latr": "later",
    "ltr": "later",
    "2moro": "tomorrow",
    "tmrw": "tomorrow",
    "tmr": "tomorrow",
    "2day": "today",
    "nite": "night",
    "rn": "right now",
    "atm": "at the moment",
    "wanna": "want to",
    "gonna": "going to",
    "gotta": "have to",
    "dunno": "do not know",
    "dont": "do not",
    "didnt": "did not",
    "cant": "can not",
    "cannot": "can not",
    "wont": "will not",
    "id": "i would",
    "ill": "i will",
    "ive": "i have",
    "youre": "you are",
    "thats": "that is",
    "whos": "who is",
}
_JOINED = (("some one", "someone"), ("any one", "anyone"), ("some body", "somebody"), ("any body", "anybody"))

_FILLER_WORDS = (
    r"hi|hiya|hello|hey|sorry|soz|ok|okay|k|um+|erm+|er+|uh+|hm+|so|but|and|just|please|actually|wait|"
    r"hang on|excuse me|oh|well|lol|haha|mate|love|hun|then|thanks|thank you|ta|cheers|x+|tho|though|"
    r"quick question|can i ask|may i ask|i was wondering|i wondered|out of interest|sorry to ask|again|first"
)
_LEADING_FILLER = re.compile(rf"^(?:(?:{_FILLER_WORDS})\b\s*)+")
_TRAILING_FILLER = re.compile(rf"(?:\s*\b(?:{_FILLER_WORDS}))+$")
_ONLY_FILLER = re.compile(rf"^(?:(?:{_FILLER_WORDS})\b\s*)*$")
_CLAUSES = re.compile(r"[,.;:!?\n]+|\s+-+\s+")

# Pieces the patterns share.
_YOU = r"(you|this|it|that)"
_PERSON_WORDS = (
    r"(someone|somebody|anyone|anybody|a person|a real person|a human|a human being|a real human|"
    r"a real one|a member of (the )?staff|staff|the team|someone from the team|someone real|"
    r"my link worker|the link worker|a link worker|my worker|my gp|a doctor|a nurse)"
)
_TALK = r"(talk|speak|chat|have a (chat|word)|have a talk|be put through)"
_CALL = r"(call|ring|phone|contact|get in touch with|get hold of|text|email)"
_ASK = r"(can|could|may|will|would|please can|is there any way|is it possible for)"

_PATTERNS: dict[str, tuple[str, ...]] = {
    WHY: (
        r"why+",
        r"why (is that|that|not)?\s*(needed|asked)",
        r"why (do|would|are|did|does) (you|they|we|the team|u) (ask|asking|want|need|wanting|needing)"
        r"( (this|that|it|these|to know|me( this| that)?|all this|these questions|for this|for that|this stuff))*",
        r"why (are|do) you (asking|ask) (me )?(this|that|these|all this)?\s*(question|questions|stuff)?",
        r"why (this|that|these) (question|questions)",
        r"why (is|was) (this|that|it) (needed|asked|important|relevant)",
        r"why me",
        r"how come",
        r"how come (you|they) (ask|are asking|want to know|need to know)( this| that)?",
        r"whats (this|that|it|all this|these questions|this all) (for|about)",
        r"what is (this|that|it|all this|this all) (for|about)",
        r"what are (these|the) (questions )?for",
        r"what (do|will) you (do|use) (with )?(this|that|it|my answers|the answers|these answers)( for)?",
        r"what (happens|will happen) (to|with) (my|the|these) (answers|information|info|data)",
        r"whats the (point|reason|purpose)( of (this|that|it|these questions|asking|all this))?",
        r"what is the (point|reason|purpose)( of (this|that|it|these questions|asking|all this))?",
        r"who (sees|will see|reads|will read|gets|looks at) (this|these|my answers|the answers|it|them)",
        r"who (is|are) (asking|this for)",
        r"what (do|would) you (need|want) (this|that|it|to know that|to know this|to know) for",
        r"why (do|would) you need (to know|this|that|it)( for)?",
        r"why (should|must) i (answer|tell you|say)( this| that)?",
        r"do i have to (answer|do) (this|these|it)",
        r"is this (compulsory|mandatory|required)",
    ),
    HELP: (
        r"help+",
        r"help (me|please|me please)",
        r"(i )?(need|want) (some )?help( with (this|that|it|this question|the question|answering))?",
        r"can (you|someone) help( me)?( with (this|that|it))?",
        r"how (do|should|would|can) i (answer|reply|respond|do|put|say)( (this|that|it|to this))?",
        r"what (do|should|would|shall) i (say|put|write|answer|reply|do|type)( (here|to this|now|then))?",
        r"what (do|does) (you|it|this|that|10|ten|0|zero|the numbers?|the scale) mean",
        r"what do you mean( by .{1,30})?",
        r"(i )?(do not|dont|did not) (understand|get it|get that|get this|know what you mean|follow)"
        r"( (the|this|that) question)?( sorry)?",
        r"(i am) (confused|lost|not sure what you mean|not sure what to (say|put|do))",
        r"not sure what (you mean|to (say|put|do|write))",
        r"(is )?(10|ten|0|zero) (good|bad|high|low|the best|the worst)( or (good|bad|high|low|the best|the worst))?",
        r"(is|does) (high|higher|low|lower) (mean )?(good|bad|better|worse)",
        r"which (way|end) (is|round is) (good|best|better)",
        r"what",
        r"eh|huh|pardon|come again|say again|sorry what",
        r"what (question|questions)",
        r"what was the question",
        r"can you (say|ask) (that|it|the question) again",
        r"i (do not|dont) know how to (answer|reply)( (this|that|it))?",
    ),
    BOT: (
        r"(are|r) you (a |an )?(bot|robot|computer|machine|ai|chat ?bot|automated|automatic|real|human|"
        r"a real person|a person|a human|a human being|a real human|an actual person|chatgpt|a program)",
        r"(is|are) (this|it|these|these texts|these messages) (a |an )?(bot|robot|computer|machine|ai|chat ?bot|"
        r"automated|automatic|real|a real person|a person|a human|an actual person|a program|computer generated|"
        r"auto generated|an automated message|an automated text)",
        r"(am i|are we) (talking|speaking|chatting|texting) (to|with) (a |an )?(bot|robot|computer|machine|ai|"
        r"person|real person|human|actual person|someone real|a real person)",
        r"(is|are) (there )?(anyone|someone|anybody|somebody|a person|a human|a real person) (there|reading this|"
        r"reading these|reading|at the other end|on the other end|on the end of this)",
        r"(is )?(anyone|anybody|someone|somebody) (actually |really )?(there|reading this|reading these|reading)",
        r"(is|does) (anyone|anybody|someone|somebody|a person) (actually |really |even )?(read|see|reading|look at)"
        r" (this|these|my answers|it|them)",
        r"who (is|am i) (this|talking to|speaking to|texting|chatting to|chatting with)",
        r"who are you",
        r"bot|robot|a bot|a robot",
        r"(does|will) (a|anyone|someone|somebody|a real|a person|a human|a real person) (read|see|look at) "
        r"(this|these|my answers|it|them)",
    ),
    PERSON: (
        rf"{_ASK} (i|we) {_TALK} (to|with) {_PERSON_WORDS}( (please|now|today|soon))?( about .+)?",
        rf"(i|we) (would like|want|need|would love|wish) to {_TALK} (to|with) {_PERSON_WORDS}"
        rf"( (please|now|today|soon))?( about .+)?",
        rf"{_TALK} (to|with) {_PERSON_WORDS}( please)?",
        rf"{_ASK} {_PERSON_WORDS} {_CALL} me( back)?( (please|now|today|soon|tomorrow|at some point))?",
        rf"{_PERSON_WORDS} (to |please )?{_CALL} me( back)?( (please|now|today|soon|tomorrow|asap))?",
        rf"{_ASK} you (get )?{_PERSON_WORDS} (to )?{_CALL} me( back)?",
        rf"{_ASK} you {_CALL} me( back)?( (please|now|today|soon|tomorrow))?",
        rf"(please )?{_CALL} me( back)?( (please|now|today|soon|tomorrow|when you can|asap))?",
        rf"(i|we) (would like|want|need|would love) ({_PERSON_WORDS} to )?{_CALL} me( back)?",
        rf"(i|we) (would like|want|need|would love) (a|a phone) (call|call back|callback|ring|chat|phone call)"
        rf"( back)?( (please|from {_PERSON_WORDS}))?( please)?",
        r"(a |please )?(call back|callback|call|phone call|ring back)( please)?",
        r"(need|want) (a )?(call|call back|callback|person|human|real person)",
        r"(a )?(person|human|real person|human being|real human|agent|operator)( please)?",
        r"(get|put) me (to|through to) (a|an|someone|somebody|the team) ?(person|human|real person|agent)?",
        rf"{_ASK} (i|we) have a (call|call back|callback|chat|phone call)( back)?( please)?",
        r"(i am) (struggling|not coping) (and|can) (someone|somebody) (call|ring|phone) me",
        rf"i (need|want) {_PERSON_WORDS}",
    ),
    LATER: (
        r"later",
        r"not now( later| maybe later| please| sorry)?",
        r"not (right )?now( (thanks|thank you))?",
        r"(maybe |can we |lets |let us )?(do (this|it|the rest) )?later( (on|please|today|tonight|thanks))?",
        r"(can|could|may) (i|we) (do|finish|answer|carry on with|continue|come back to) (this|it|the rest|these|"
        r"them|the questions)( (later|another time|another day|tomorrow|tonight|in a bit|after))?",
        r"(i will|let me|will|i can) (do|finish|answer|carry on|continue|reply|text back|come back to)( (this|it|"
        r"the rest|them|these|you))?( (later|another time|another day|tomorrow|tonight|in a bit|after|when i can|"
        r"when i am free))",
        r"(i will |will |i can )?(come back|get back to you)( to (this|it|you))?( (later|another time|another day|"
        r"tomorrow|tonight|in a bit|after|when i can|when i am free))?",
        r"(another|some other) (time|day)( please)?",
        r"in a (bit|while|minute|min)",
        # "busy" or "driving" alone could be what changed: only with "I'm" or "now" are they "not now"
        r"(i am |bit |a bit |i am a bit |too |really |i am really |i am too )(busy|at work|driving|out|on the bus|"
        r"at the shops)( (now|right now|at the moment|atm|today|sorry))?",
        r"(busy|at work|driving|out|on the bus|at the shops) (now|right now|at the moment|atm|today)",
        r"at work",
        r"(i )?can not (talk|text|reply|chat)( (now|right now|at the moment|atm|today))?",
        r"(i )?can not (do|answer) (this|it|these|them)( (now|right now|at the moment|atm|today))",
        r"(i )?(have|need) to go( now)?",
        r"(not|no) time( (now|right now|at the moment|today))?",
        r"pause|stop for now|hold on|give me (a minute|a min|a sec|a second)",
        r"(can|could) (we|i) (stop|pause|leave it|leave this) (for now|here|there|and come back)( (later|to it))?",
        r"(lets|let us) (stop|pause|leave it) (for now|there|here)",
        r"(stop|leave it) for now",
    ),
}
_COMPILED = {kind: tuple(re.compile(rf"^(?:{p})$") for p in patterns) for kind, patterns in _PATTERNS.items()}


@dataclass(frozen=True)
class Request:
    """What a message asks (`kind`, one of KINDS) and what else it said (`rest`, "" if nothing)."""

    kind: str
    rest: str


def normalise(text: str) -> str:
    """Lower case, no apostrophes, text-speak spelled out, single spaces; keeps clause punctuation."""
    lowered = text.lower().replace("\u2019", "'").replace("`", "'").replace("'", "")
    for joined, one in _JOINED:
        lowered = re.sub(rf"\b{joined}\b", one, lowered)
    words = re.split(r"(\W+)", lowered)
    spelled = "".join(_SPELLING.get(word, word) for word in words)
    spelled = re.sub(r"\by (do|are|is|would|did|does|you|u|me)\b", r"why \1", spelled)  # "y do u need this"
    return re.sub(r"[ \t]+", " ", spelled).strip()


_LEADING_SCORE = re.compile(r"^(\d{1,2}|zero|one|two|three|four|five|six|seven|eight|nine|ten)( ?(/|out of) ?10)?\s+")
"""A score run into a request with no comma: "7 why", "3 can someone call me"."""


def _clause_kind(clause: str) -> tuple[Optional[str], str]:
    """The request a whole clause makes (or None), and a score said before it in the same clause."""
    core = _TRAILING_FILLER.sub("", _LEADING_FILLER.sub("", clause)).strip()
    if not core:
        return None, ""
    for kind in KINDS:
        if any(pattern.match(core) for pattern in _COMPILED[kind]):
            return kind, ""
    score = _LEADING_SCORE.match(core)
    if score:
        after, _ = _clause_kind(core[score.end() :])
        return after, score.group(0).strip() if after else ""
    return None, ""


def read(text: str) -> Optional[Request]:
    """The request a message makes, if any, and the rest of what it said (its own words, in order).

    Only one request is returned: when a message makes two ("sorry, who is this, can someone call me"),
    the one that needs a person to act wins (a call-back), then the order of KINDS."""
    if only_question_marks(text):
        return Request(HELP, "")
    found: list[str] = []
    rest: list[str] = []
    for piece in _CLAUSES.split(text or ""):
        clause = normalise(piece)
        if not clause:
            continue
        if _ONLY_FILLER.match(clause):
            continue
        kind, score = _clause_kind(clause)
        if kind is None:
            rest.append(piece.strip())
        else:
            found.append(kind)
            if score:
                rest.append(score)
    if not found:
        return None
    kind = PERSON if PERSON in found else min(found, key=KINDS.index)
    return Request(kind, ", ".join(rest))


def only_question_marks(text: str) -> bool:
    """ "?" or "??": a person unsure what to do (read as a request for help)."""
    return bool(re.fullmatch(r"\s*\?+\s*", text or ""))
