"""Keep answers from being mistaken for interruptions.

Inside the form, a message classified as `help`, `ask_why`, `pause`,
`speak_to_person` or `bot_challenge` is not stored as the answer, so a
misclassified answer ("I'm a bit deaf" read as `pause`) would be lost and
the question asked again. This component, run after the classifier, lets an
interruption intent stand only when the message carries a cue for it;
otherwise the message becomes `inform`, an answer. The other way round, a
message that is nothing but a question back ("Is this a real person I am
talking to?", `ASKED_PLAINLY`) is that interruption, whatever the classifier
read; an answer that also asks keeps its reading. A message of one word
interrupts only if it is one of a few command words ("help", "why"): any other
word could be an answer ("computers" to "what are you good at?"). A request for
a person must ask for one ("can someone call me"), not describe a need ("I
can't hear well on the phone"). The classifier's own confidence is no guide: it
is near 1.0 for most messages, right or wrong. Risk is never gated.
"""

from __future__ import annotations

import re
from typing import Any, Dict, List, Optional, Text

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, PREDICTED_CONFIDENCE_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.intake.normalise import ASKING_SOMEONE, TALKING_WITH, TITLES, not_after, parse_yes_no
from bot.intake.readback import is_changing, parts_called
from bot.intake.returning import asks_for_a_change, found_while_holding_on, looked_for_later, steps_away
from bot.rasa.nlu.base import ANSWER_INTENT, STEPPING_AWAY_KEY, IntentRewriter

_HELP_AS_A_WORD = ("would", "wid", "wud", "wd", "'d", "might", "could", "a", "really")
"""Words before "help" that make it a word of an answer ("that would help", "aye that wid help", "a help", "it
might help"), not a call for help."""

DEFAULT_CUES: Dict[Text, Text] = {
    "help": not_after(*_HELP_AS_A_WORD)
    + r"\bhelp\b(?!ful)|(?:(?:n'?t|not|never)\s+(?:\w+\s+){0,2}|struggl\w* to |hard to )understand"
    r"(?! (?:me|him|her|them|us|my|what i'?m going through)\b)"
    r"(?!\s+(?:(?:the |official |council |benefits? )?(?:letters?|forms|paperwork|bills?|benefits?|accents?)|english|"
    r"the (?:language|system|council|bus(?:es)?|internet)|computers?|technology|tech|(?:smart ?)?phones?|online|money|"
    r"(?:all |everything )?what (?:the |my )?(?:people|they|he|she|doctors?|gp|nurses?|staff) "
    r"(?:say|says|said|tell|tells|told|mean|means))\b)|understand\s*\?|understand (?:what|the question|this|it)\b|"
    r"confus|explain|\bmean\b|option|how (does|do|to)|what (do|am|should|can) i|"
    r"supposed|lost|stuck|again|repeat|not sure what|don'?t (get|know what)|what now|\?",
    "ask_why": r"(?<!\bis )(?<!'s )(?<!\u2019s )(?<!\bthats )why(?! not\b)|what for|what'?s (this|it|that) for|who (sees|will see|reads|can see)|"
    r"what (will|do) you do|need to know|purpose|reason|private|confidential|share|who gets|see (this|it)|"
    r"point of (this|these)|relevant|to do with|how come|what business",
    # Whole words from their start: "the menopause", "quite", "breakfast" and "retired" hold no pause.
    "pause": r"\b(?:stop|pause|later|go(tta|t to)? go|have to go|busy|break(?!fast)|bye|goodbye|another time|come back|"
    r"finish|tomorrow|not now|leave it|enough|tired|done for|hold on|hang on|wait|brb|need to go|be right back|"
    r"in a (minute|bit|sec)|gtg|rest of it|one moment|another day|quit\b|exit|can'?t do this now|"
    r"time to go|must go|off now|carry on (later|another))",
    "speak_to_person": TALKING_WITH
    + r" (a |an |the |some |my )?(real |actual |proper )?(person|human|someone|somebody|"
    r"link worker|staff|nurse|doctor|team|people|you lot)|"
    r"(call|ring|phone|contact) me(?! (?:(?:instead of|rather than) (?:letters?|sending|writing|post\w*|texts?|texting|"
    r"e-?mails?|e-?mailing|messag\w*)|after|before|between|at \d|mornings?|evenings?|afternoons?|weekdays?|weekends?)\b)|"
    r"call ?back|ring ?back|" + ASKING_SOMEONE + r" (call|ring|phone|contact|get in touch)|"
    r"real person|actual person|a human|\bhuman\b|link worker|"
    r"(want|need|like) (a |to see a |to talk to a )?person\b",
    "bot_challenge": r"\b(bot|robot|chatbot|chat bot|chatgpt|ai|a\.i)\b|(are|r) (you|u|this|it) (a |an )?(real|human|person|computer|"
    r"machine|automat\w*|program\w*|alive)|(talking|speaking|chatting) to (a |an )?(computer|machine|human|person|"
    r"real|program)",
}


_GIVES_A_NAME = re.compile(
    rf"\b(?i:call me)\s+(?:(?i:{TITLES})\.?\s+[A-Z][a-z'-]+|(?!I'?m\b|Im\b)[A-Z][a-z'-]+"
    r"(?:\s+(?i:instead)\b|,?\s+(?i:not|rather than)\s+[A-Z][a-z'-]+\W*$))"
)
"""A name asked to be called by, with a title or in place of another ("can you call me Paulie instead", "call me
Mrs Khan", "call me Jo, not Joanne"): no request for a call. Not "call me Weds" or "call me I'm not coping"."""
_ONLY_A_TIME = re.compile(
    r"(?:\W|\d+|tomorrow|later|tonight|today|mornings?|afternoons?|evenings?|nights?|weekdays?|weekends?|"
    r"(?:mon|tues|wednes|thurs|fri|satur|sun)days?|mon|tues?|wed|thu|thurs|fri|sat|sun|am|pm|o'?clock|noon|midday|"
    r"lunch(?:time)?|tea ?time|early|earlier|late|ish|any ?time|after|before|around|about|from|until|till|between|"
    r"at|in|on|the|a|an|or|and|is|are|best|good|fine|ok|okay|please|next|this|week|time|times)+",
    re.IGNORECASE,
)
"""A message of nothing but a time ("Tomorrow morning", "later in the afternoon", "tomorrow at 10"): the answer
to "when is the best time to get in touch?", though a pause's words ("tomorrow", "later") are in it. Anything
more ("that's enough for today, tomorrow morning", "back tomorrow") leaves the pause as it is."""
_HELP_WITH_LIFE = re.compile(
    r"\b(?:need|needs|want|wants|would like|looking for|get|getting|some|any|more)\s+(?:some\s+|a bit of\s+|more\s+)?"
    r"help\s+(?:with|to|for|getting|finding|understanding|sorting|managing)\b"
    r"(?!\s+(?:this|the questions?|these questions|answering|filling|the form|what to (?:put|say|write)|it|that)\b)",
    re.IGNORECASE,
)
"""Help as a need in the person's life ("I need help to understand the school plan, the EHCP"): an answer, not a call
for help with the questions (a persona said it five times and was told how to answer each time)."""
_A_TIME_OF_DAY = re.compile(r"\b(?:mornings?|afternoons?|evenings?|nights?|tonight|am|pm|o'?clock|noon|midday|\d+)\b")


_NOT_BUSY = re.compile(
    r"\b(?:not|n'?t|never|hardly)\s+(?:\w+\s+)?busy\b|\bno (?:rush|hurry)\b|\bin no (?:rush|hurry)\b", re.IGNORECASE
)
"""The pause cue's "busy", turned round ("I'm not exactly busy", "no rush"): never a pause."""
_COURTESY_BEFORE_A_QUESTION = (
    r"^\W*(?:(?:ok|okay|sorry|hello|hi|um|erm|hmm|but|so|just wondering|can i ask|excuse me)\W+)*"
)
"""What may come before a plain question back and leave it plain ("sorry, can I ask, ...")."""
ASKED_PLAINLY = {
    "bot_challenge": re.compile(
        _COURTESY_BEFORE_A_QUESTION
        + r"(?:(?:is|are) (?:this|it|that|you|u) (?:a |an )?(?:real|actual|proper|live) (?:person|human|people)"
        r"|am i (?:talking|speaking|chatting|typing) (?:to|with) (?:a |an )?(?:real |actual |proper |live )?"
        r"(?:person|human|computer|machine|robot|bot)|are (?:you|u) (?:a |an )?(?:real|human|robot|computer|bot|machine))"
        r"(?: (?:i am|i'm|im|i'?ve been) (?:talking|speaking|chatting|typing) (?:to|with))?\W*$",
        re.IGNORECASE,
    ),
    "ask_why": re.compile(
        _COURTESY_BEFORE_A_QUESTION
        + r"(?:what (?:do|would|will|does|d') ?(?:you|u|ya|they|it|the link worker) (?:need|want|use) "
        r"(?:[\w']+ ){0,4}for|why (?:do|would|will|does|d') ?(?:you|u|ya|they) (?:need|want)(?: [\w']+){0,5})\W*$",
        re.IGNORECASE,
    ),
}
"""Questions back that are nothing else, read as answers by the classifier ("Is this a real person I am talking to?",
"what do you need my postcode for"): they were saved as the answer. Only the whole message, so an answer that asks
too ("my daughter, why do you need to know?") keeps the classifier's reading."""
ONE_WORD_INTERRUPTIONS = frozenset(
    {
        "help",
        "why",
        "pause",
        "stop",
        "quit",
        "later",
        "bye",
        "brb",
        "gtg",
        "human",
        "bot",
        "robot",
        "huh",
        "eh",
    }
)
"""The only single words that interrupt: any other one-word message could be an answer ("computers", "hearing")."""


def _agrees(intent: Optional[Text], message: Message) -> bool:
    """A yes the classifier read, said as one ("hang on, yes please"): no pause, though it holds words of one."""
    return intent == "affirm" and parse_yes_no(message.get(TEXT) or "") is True


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class InterruptionGate(IntentRewriter):
    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {"fallback_intent": ANSWER_INTENT, "cues": DEFAULT_CUES}

    def __init__(self, config: Dict[Text, Any]) -> None:
        self.fallback_intent = config.get("fallback_intent", ANSWER_INTENT)
        cues = config.get("cues") or DEFAULT_CUES
        self.cues = {intent: re.compile(pattern, re.IGNORECASE) for intent, pattern in cues.items()}

    def keeps(self, intent: Text, text: Text, asked: Optional[Text] = None) -> bool:
        """Whether `intent` stands for this message; `asked` is the interruption the message plainly is, if any."""
        cue = self.cues.get(intent)
        if cue is None or asked == intent:
            return True
        tokens = re.findall(r"[\w']+", (text or "").lower())
        if len(tokens) == 1 and tokens[0] not in ONE_WORD_INTERRUPTIONS:
            return False
        if intent == "pause" and asks_for_a_change(text):  # "hang on, can I change the goal bit"
            return False
        if intent == "pause" and steps_away(text):
            return True  # words that only ever step away ("one sec the doctor's here"), cue or none
        if intent == "pause" and _NOT_BUSY.search(text or ""):
            return False  # "whenever, im not exactly busy": when to ring, not a pause
        if intent == "speak_to_person" and _GIVES_A_NAME.search(text or ""):
            return False
        if intent == "pause" and (found_while_holding_on(text or "") or looked_for_later(text or "")):
            return False
        if intent in ("help", "ask_why") and is_changing(text or "") and parts_called(text or ""):
            return False  # "Can I change how you contact me?" at the read-back: a change, read as one
        if intent == "pause" and _ONLY_A_TIME.fullmatch(text or "") and _A_TIME_OF_DAY.search((text or "").lower()):
            return False
        if intent == "help" and "?" not in (text or "") and _HELP_WITH_LIFE.search(text or ""):
            return False
        return cue.search(text or "") is not None

    @staticmethod
    def _asked_plainly(text: Text) -> Optional[Text]:
        """The interruption a message is, when it is nothing but that question (see `ASKED_PLAINLY`)."""
        return next((intent for intent, question in ASKED_PLAINLY.items() if question.match(text.strip())), None)

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            intent = message.get(INTENT) or {}
            name = intent.get(INTENT_NAME_KEY)
            confidence = float(intent.get(PREDICTED_CONFIDENCE_KEY) or 0.0)
            asked = self._asked_plainly(message.get(TEXT) or "")
            if name and not self.keeps(name, message.get(TEXT), asked):
                name = self.fallback_intent
            elif name == self.fallback_intent and asked:
                name = asked
            elif name not in (*self.cues, "resume") and steps_away(message.get(TEXT)) and not _agrees(name, message):
                # a pause, whatever the classifier made of it ("meeting starting, will finish this tonight" read as
                # a no or a skip too); the risk step still reads it for words of risk
                name = "pause"
                message.set(STEPPING_AWAY_KEY, True, add_to_output=True)
            else:
                continue
            message.set(INTENT, {INTENT_NAME_KEY: name, PREDICTED_CONFIDENCE_KEY: confidence}, add_to_output=True)
        return messages
