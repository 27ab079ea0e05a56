"""Simulated patients: answers keyed by words in the bot's latest question."""

from __future__ import annotations

from typing import Callable, Optional

MRS_C_BARRIERS = (
    "I felt the gym was for younger, fitter people. Jogging hurt my knees. "
    "And I'm nervous about going on my own."
)

MRS_C = [
    ("happy to go on", "yes"),
    ("like us to call you", "Carol"),
    ("get in touch?", "a phone call is best"),
    ("phone number should", "07700 900123"),
    ("best time", "weekday mornings"),
    ("which gp practice", "Riverside Medical Centre"),
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
    ("go with you the first time", "yes please, I'd like someone to come with me the first time"),
    ("access needs", "none"),
    ("which language", "English"),
    ("in three months", "I'd be walking every week with other people and feel fitter"),
    ("is this right?", "yes, send it"),
]


def answering(script: list[tuple[str, str]], overrides: Optional[dict[str, str]] = None) -> Callable[[str], Optional[str]]:
    """An answer_for(question) function: the answer whose trigger appears last in the bot's reply."""
    answers = dict(script)
    answers.update(overrides or {})

    def answer_for(reply: str) -> Optional[str]:
        lowered = reply.lower()
        if "your reference is" in lowered:
            return None
        best = max(answers, key=lambda trigger: lowered.rfind(trigger.lower()))
        if lowered.rfind(best.lower()) < 0:
            raise AssertionError(f"no scripted answer for: {reply!r}")
        return answers[best]

    return answer_for
