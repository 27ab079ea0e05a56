"""Decide what one patient message means for the question being asked.

`interpret` is a pure function: given the question, the text, the NLU intent
and the answers so far, it returns an `Outcome` saying what to store, what to
clear and what to say. The form's validation action only applies it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Mapping, Optional

from bot.intake import normalise
from bot.intake.questions import (
    CONFIRMED,
    CONSENT,
    LIFE_AREAS,
    QUESTION_BY_KEY,
    SECTIONS,
    SKIPPED,
    Question,
    section_keys,
    top_area_options,
)

ATTEMPTS_BEFORE_OFFER = 2
"""After this many answers we could not use, the bot offers to skip or have a person call."""


@dataclass
class Outcome:
    """What to do with a message. `value` None with `accepted` False means ask again."""

    accepted: bool
    value: Any = None
    status: str = "answered"  # answered | skipped
    responses: list[str] = field(default_factory=list)
    clear: list[str] = field(default_factory=list)


_QUESTION_KEYWORDS: Mapping[str, tuple[str, ...]] = {
    "preferred_name": ("name",),
    "contact_method": ("contact", "phone", "number", "email", "e-mail", "text me", "how to reach"),
    "contact_times": ("times", "time", "best time", "when to call"),
    "gp_practice": ("gp practice", "practice", "gp", "surgery"),
    "referral_code": ("referral", "code"),
    "what_matters": ("what matters", "matters most"),
    "life_areas": ("life areas", "areas", "topics"),
    "barriers_text": ("barriers", "barrier", "what made things hard", "what's been hard"),
    "language": ("language", "interpreter"),
    "wants_company": ("go with me", "someone with me", "come with me", "someone to go", "company"),
    "goal": ("goal", "goals", "three months", "3 months"),
}
_DEPENDENTS: Mapping[str, tuple[str, ...]] = {
    "contact_method": ("contact_detail",),
    "life_areas": ("life_areas_other", "top_areas"),
    "language": ("interpreter",),
    "barriers_text": ("barrier_options",),
}
_CHANGE_VERB = re.compile(
    r"\b(change|changing|edit|correct|fix|update|redo|re-do|amend|go back|wrong|mistake)\b"
)
_FILLER = frozenset(
    "a an and the my me i i'd to about for of on in what said answer answers question bit part section "
    "please can could we go back change edit correct fix update redo amend want like would".split()
)
"""Words that may stand between the verb and the part named ("change what I said about my goal")."""


def _mentions(text: str, phrase: str) -> bool:
    return re.search(rf"(?<![a-z]){re.escape(phrase)}(?![a-z])", text) is not None


def _named_keys(text: str) -> list[str]:
    for key, phrases in _QUESTION_KEYWORDS.items():
        if any(_mentions(text, p) for p in phrases):
            return [key, *_DEPENDENTS.get(key, ())]
    for section in SECTIONS:
        if any(_mentions(text, k) for k in section.keywords):
            return section_keys(section.key)
    return []


def keys_to_change(text: str, confirming: bool) -> list[str]:
    """Slots to clear when the patient asks to change an earlier answer, else [].

    Mid-intake the request must be short and name the part right after a verb
    ("change my barriers", "go back to my name"), so that an answer such as
    "I want to go back to work" is never mistaken for one. At the
    check-and-confirm step naming a part is enough ("barriers").
    """
    lowered = text.lower().strip()
    tokens = normalise.words(lowered)
    if confirming:
        return _named_keys(lowered) if len(tokens) <= 14 else []
    if len(tokens) > 12:
        return []
    verb = _CHANGE_VERB.search(lowered)
    if not verb:
        return []
    after = normalise.words(lowered[verb.end():])
    while after and after[0] in _FILLER:
        after = after[1:]
    return _named_keys(" ".join(after[:3])) if after else []


def _reject(response: str, attempts: int) -> Outcome:
    responses = [response]
    if attempts + 1 >= ATTEMPTS_BEFORE_OFFER:
        responses.append("utter_offer_skip_or_person")
    return Outcome(accepted=False, responses=responses)


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
    text = normalise.clean_text(text)
    if key == CONSENT:
        return _interpret_consent(text, intent, attempts)
    if key == CONFIRMED:
        return _interpret_confirmation(text, intent, attempts)

    question = QUESTION_BY_KEY[key]
    change = keys_to_change(text, confirming=False)
    if change and key not in change:
        return Outcome(accepted=False, clear=change, responses=["utter_ok_change"])
    if not text:
        return _reject("utter_empty_answer", attempts)
    if len(text) > normalise.MAX_ANSWER_CHARS:
        return _reject("utter_too_long", attempts)
    # The classifier's "skip" gives way to an answer that names an option ("txt" for a text message).
    classifier_skip = intent == "skip" and not normalise.match_options(text, question.options, many=True)
    if normalise.is_skip(text) or classifier_skip:
        if question.optional or attempts >= 1:
            return Outcome(accepted=True, value=SKIPPED, status="skipped")
        return _reject("utter_why_needed_skip", attempts)
    return _interpret_kind(question, text, intent, answers, attempts)


def _interpret_consent(text: str, intent: Optional[str], attempts: int) -> Outcome:
    answer = normalise.parse_yes_no(text, intent)
    if answer is None:
        return _reject("utter_invalid_consent", attempts)
    return Outcome(accepted=True, value=answer)


_AGREEING_CORRECT = re.compile(r"\b(correct|right)\b(?!\s+(my|the|that|this|it|something|some|a|an|what|where|how|one)\b)")
""""correct" / "right" as agreement ("yes is correct", "that's right"), not as a verb ("correct my name")."""


def _interpret_confirmation(text: str, intent: Optional[str], attempts: int) -> Outcome:
    answer = normalise.parse_yes_no(text, intent)
    wants_change = _CHANGE_VERB.search(_AGREEING_CORRECT.sub(" ", text.lower())) is not None
    if answer is True and not wants_change:
        return Outcome(accepted=True, value=True)
    change = keys_to_change(text, confirming=True)
    if change:
        return Outcome(accepted=False, clear=change, responses=["utter_ok_change"])
    if answer is False or wants_change:
        return Outcome(accepted=False, responses=["utter_which_section"])
    return _reject("utter_invalid_confirm", attempts)


def _interpret_kind(
    question: Question, text: str, intent: Optional[str], answers: Mapping[str, object], attempts: int
) -> Outcome:
    kind = question.kind
    if kind == "text":
        if question.optional and normalise.means_nothing(text):
            return Outcome(accepted=True, value="none")
        if not _has_words(text):
            return _reject("utter_invalid_text", attempts)
        return Outcome(accepted=True, value=text)
    if kind == "name":
        name = normalise.parse_name(text)
        return Outcome(accepted=True, value=name) if name else _reject("utter_invalid_name", attempts)
    if kind == "scale":
        score = normalise.parse_scale(text)
        return Outcome(accepted=True, value=score) if score is not None else _reject("utter_invalid_scale", attempts)
    if kind == "yes_no":
        answer = normalise.parse_yes_no(text, intent)
        return Outcome(accepted=True, value=answer) if answer is not None else _reject("utter_invalid_yes_no", attempts)
    if kind == "choice":
        codes = normalise.match_options(text, question.options, many=False)
        return Outcome(accepted=True, value=codes[0]) if codes else _reject("utter_invalid_choice", attempts)
    if kind == "multi":
        if question.optional and normalise.means_nothing(text):
            return Outcome(accepted=True, value=["none"])
        codes = normalise.match_options(text, question.options, many=True)
        if len(codes) > 1 and "none" in codes:
            codes.remove("none")
        return Outcome(accepted=True, value=codes) if codes else _reject("utter_invalid_multi", attempts)
    if kind == "top":
        return _interpret_top(text, answers, attempts)
    if kind == "contact":
        return _interpret_contact(text, answers, attempts)
    if kind == "language":
        return _interpret_language(text, attempts)
    raise ValueError(f"unknown question kind {kind!r}")


def _interpret_top(text: str, answers: Mapping[str, object], attempts: int) -> Outcome:
    options = top_area_options(answers)
    codes = normalise.match_options(text, options, many=True)
    if 1 <= len(codes) <= 2:
        return Outcome(accepted=True, value=codes)
    if re.search(r"\b(all|both|equal|same|every)\b", text.lower()):
        return Outcome(accepted=True, value=[o.code for o in options][:2])
    return _reject("utter_invalid_top", attempts)


def _interpret_contact(text: str, answers: Mapping[str, object], attempts: int) -> Outcome:
    method = answers.get("contact_method")
    if method == "email":
        email = normalise.parse_email(text)
        return Outcome(accepted=True, value=email) if email else _reject("utter_invalid_email", attempts)
    phone = normalise.parse_uk_phone(text)
    return Outcome(accepted=True, value=phone) if phone else _reject("utter_invalid_phone", attempts)


def _interpret_language(text: str, attempts: int) -> Outcome:
    lowered = text.lower()
    if re.search(r"\benglish\b", lowered) or normalise.parse_yes_no(text) is True:
        return Outcome(accepted=True, value="english")
    if re.fullmatch(r"(another|other|a different)( one| language)?", lowered.strip(" .!")):
        return _reject("utter_which_language", attempts)
    language = re.sub(r"^(i speak|i prefer|my language is|it's|its|in)\s+", "", text.strip(), flags=re.I)
    language = language.strip(" .!")
    if not language or len(language) > 40 or not _has_words(language):
        return _reject("utter_which_language", attempts)
    return Outcome(accepted=True, value=language[:1].upper() + language[1:])


def display_value(key: str, value: object) -> str:
    """A stored value as a person reads it (labels, not codes)."""
    if value == SKIPPED or value is None:
        return "Not answered"
    question = QUESTION_BY_KEY.get(key)
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if question is not None and question.options:
        codes = value if isinstance(value, list) else [value]
        return ", ".join(normalise.labels_for(codes, question.options))
    if key == "top_areas" and isinstance(value, list):
        return ", ".join(normalise.labels_for(value, LIFE_AREAS))
    if isinstance(value, int) and key.startswith("ons_"):
        return f"{value} out of 10"
    if value == "none":
        return "None"
    return str(value)

