"""Simulated patients: answers keyed by words in the bot's latest question."""

from __future__ import annotations

import random
from typing import Callable, Optional

MRS_C_BARRIERS = (
    "I felt the gym was for younger, fitter people. Jogging hurt my knees. And I'm nervous about going on my own."
)

MRS_C = [
    ("happy to go on", "yes"),
    ("like us to call you", "Carol"),
    ("like the link worker to get in touch", "a phone call is best"),
    ("phone number should", "07700 900123"),
    ("best time", "weekday mornings"),
    ("which gp practice", "Riverside Medical Centre"),
    ("nhs number", "skip"),
    ("referral code", "no"),
    ("what matters most to you at the moment", "I want to lose weight and keep my blood pressure down"),
    ("would you like support with", "physical activity and weight, and my blood pressure"),
    ("satisfied are you with your life", "6"),
    ("worthwhile", "seven"),
    ("how happy did you feel yesterday", "about a 7"),
    ("how anxious did you feel yesterday", "4/10"),
    ("what do you enjoy doing", "Being outdoors, I love the park"),
    ("what are you good at", "organising things"),
    ("who is around to support you", "my sister"),
    ("what has made things hard so far", MRS_C_BARRIERS),
    ("make things harder for you", "confidence and the pain in my knees"),
    ("in a group, or one-to-one", "a group is fine"),
    ("how would you like to meet", "in person"),
    ("which town or area", "QW3"),
    ("go with you the first time", "yes please, I'd like someone to come with me the first time"),
    ("access needs", "none"),
    ("which language", "English"),
    ("in three months", "I'd be walking every week with other people and feel fitter"),
    ("is this right?", "yes, send it"),
]


VARIED = {
    "happy to go on": ["yes", "Yes, let's start", "ok", "yeah go on", "sure"],
    "like us to call you": ["Carol", "call me Sue", "my name is Priya", "Dave", "it's Margaret"],
    "like the link worker to get in touch": ["a phone call is best", "Phone call", "ring me please", "phone"],
    "phone number should": ["07700 900123", "+44 7700 900456", "07700900789"],
    "best time": ["weekday mornings", "any time", "after 3pm", "skip"],
    "which gp practice": ["Riverside Medical Centre", "the one on the high street", "none", "skip"],
    "nhs number": ["skip", "943 476 5919", "I don't know it"],
    "referral code": ["no", "WM-4821", "I don't have one"],
    "what matters most to you at the moment": [
        "I want to lose weight and keep my blood pressure down",
        "I'm lonely since my wife died and I'd like to meet people",
        "money is really tight and I'm worried about bills",
        "getting out of the house more",
    ],
    "would you like support with": [
        "physical activity and weight, and my blood pressure",
        "1 and 4",
        "loneliness",
        "money and housing",
    ],
    "satisfied are you with your life": ["6", "about a 5", "seven", "4/10"],
    "worthwhile": ["seven", "6", "8 out of 10", "about 5"],
    "how happy did you feel yesterday": ["about a 7", "5", "three", "6/10"],
    "how anxious did you feel yesterday": ["4/10", "2", "eight", "about a 6"],
    "what do you enjoy doing": [
        "Being outdoors, I love the park",
        "gardening",
        "I used to play football",
        "cooking for friends",
    ],
    "what are you good at": ["organising things", "listening to people", "skip", "fixing things"],
    "who is around to support you": ["my sister", "nobody really", "my neighbour pops in", "skip"],
    "what has made things hard so far": [
        MRS_C_BARRIERS,
        "I can't afford the bus",
        "I don't know anyone round here",
        "my back pain",
    ],
    "make things harder for you": ["confidence and the pain in my knees", "cost", "none", "transport and time"],
    "in a group, or one-to-one": ["a group is fine", "one to one", "either is fine"],
    "how would you like to meet": ["in person", "by phone", "online", "any"],
    "which town or area": ["QW3", "I live in Wyvernbury", "skip", "QW1 2AB"],
    "go with you the first time": ["yes please", "no thanks", "yes, I'd like that"],
    "access needs": ["none", "I use a walking stick", "no"],
    "which language": ["English", "english please"],
    "in three months": [
        "I'd be walking every week with other people and feel fitter",
        "I'd have some friends",
        "less worried about money",
    ],
    "is this right?": ["yes, send it", "yes", "that's right"],
    "one or two of these matter most": ["1", "2", "1 and 2"],
}
"""Several ways of giving each answer, for simulated patients in benchmarks."""


def answering(
    script: list[tuple[str, str]] | dict[str, list[str]],
    overrides: Optional[dict[str, str]] = None,
    rng: Optional[random.Random] = None,
) -> Callable[[str], Optional[str]]:
    """An answer_for(question) function: the answer whose trigger appears last in the bot's reply.

    A script of (trigger, answer) pairs always answers the same way; a dict of
    trigger -> alternatives picks one at random with `rng`.
    """
    answers = {k: (v if isinstance(v, list) else [v]) for k, v in dict(script).items()}
    answers.update({k: [v] for k, v in (overrides or {}).items()})
    rng = rng or random.Random(0)

    def answer_for(reply: str) -> Optional[str]:
        lowered = reply.lower()
        if "your reference is" in lowered:
            return None
        best = max(answers, key=lambda trigger: lowered.rfind(trigger.lower()))
        if lowered.rfind(best.lower()) < 0:
            raise AssertionError(f"no scripted answer for: {reply!r}")
        return rng.choice(answers[best])

    return answer_for
