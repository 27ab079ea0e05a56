"""Every closed question's reader on a table of the wordings people use (at least 15 each).

`None` as the expected value means the answer is unclear: the bot asks again
(a mixed "yes but no" is asked once more rather than guessed).
"""

import pytest

from bot.intake.questions import CONFIRMED, CONSENT, SKIPPED
from bot.intake.validation import interpret

AREAS = {"life_areas": ["loneliness", "activity", "money", "housing"]}

TABLES = {
    CONSENT: [
        ("yes", True), ("Yes, let's start", True), ("ok", True), ("go on then", True), ("I suppose so", True),
        ("ok I guess", True), ("I don't see the harm in it", True), ("yeah why not", True), ("fine", True),
        ("sure thing", True), ("yep happy to", True), ("maybe yes", True), ("I think so", True),
        ("no", False), ("no thanks", False), ("not really", False), ("I'd rather not", False), ("nah", False),
        ("not sure", None), ("maybe", None), ("yes and no", None), ("what is this", None),
    ],
    "wants_company": [
        ("yes, I'd be nervous going on my own the first time", True), ("maybe yes", True), ("I think so", True),
        ("that would help", True), ("yes please", True), ("I'd like that", True), ("I wouldn't go alone", True),
        ("that would be lovely", True), ("yeah, I'm a bit shy", True), ("I don't mind", True),
        ("not on my own please", True),
        ("not really", False), ("I'll be fine on my own", False), ("not needed", False), ("no thanks", False),
        ("nah I can go by myself", False), ("I'm not nervous, I'll go on my own", False), ("no", False),
        ("yes but I'd rather go alone", None), ("not sure", None), ("maybe", None),
    ],
    "interpreter": [
        ("yes", True), ("yes please", True), ("that would help", True), ("I think so", True), ("yeah", True),
        ("would be good", True), ("please", True), ("my English is not good, yes", True), ("tak", True),
        ("haan", True),
        ("no", False), ("no thanks", False), ("not needed", False), ("I'm ok in English", False),
        ("nope", False), ("not really", False), ("don't need one", False),
    ],
    "ons_happy": [
        ("7", 7), ("seven", 7), ("7/10", 7), ("about a 7", 7), ("7 out of 10", 7), ("a solid 8", 8), ("0", 0),
        ("zero", 0), ("10", 10), ("ten", 10), ("I'd say 4", 4), ("maybe 5?", 5), ("six I think", 6),
        ("prob a 3", 3), ("5 or 6", None), ("not sure", None), ("pretty good really", None), ("11", None),
    ],
    "group_or_one_to_one": [
        ("in a group", "group"), ("group", "group"), ("with other people", "group"), ("a class would be nice", "group"),
        ("one-to-one", "one_to_one"), ("one to one", "one_to_one"), ("1:1", "one_to_one"), ("just me", "one_to_one"),
        ("on my own", "one_to_one"), ("either", "either"), ("don't mind", "either"), ("either is fine", "either"),
        ("no preference", "either"), ("both", "either"), ("1", "group"), ("2", "one_to_one"), ("whatever", "either"),
    ],
    "meeting_format": [
        ("in person", "in_person"), ("face to face", "in_person"), ("meet up", "in_person"), ("by phone", "phone"),
        ("phone", "phone"), ("a call", "phone"), ("online", "online"), ("video call", "online"), ("zoom", "online"),
        ("teams is fine", "online"), ("any", "any"), ("any of these", "any"), ("don't mind", "any"),
        ("1", "in_person"), ("2", "phone"), ("3", "online"),
    ],
    "contact_method": [
        ("phone call", "phone"), ("ring me", "phone"), ("call me on my mobile", "phone"), ("phone", "phone"),
        ("text", "text"), ("txt", "text"), ("text message please", "text"), ("sms", "text"), ("email", "email"),
        ("e-mail", "email"), ("through the practice", "practice"), ("via the surgery", "practice"),
        ("1", "phone"), ("2", "text"), ("3", "email"), ("4", "practice"),
    ],
    "life_areas": [
        ("1 and 4", ["loneliness", "money"]), ("loneliness", ["loneliness"]), ("money and housing", ["money", "housing"]),
        ("I'm lonely", ["loneliness"]), ("losing weight", ["activity"]), ("debt", ["money"]),
        ("my mental health", ["mental_wellbeing"]), ("caring for my mum", ["caring"]), ("food", ["food"]),
        ("work", ["work"]), ("bereavement", ["bereavement"]), ("my blood pressure", ["long_term_condition"]),
        ("2, 11", ["activity", "long_term_condition"]), ("housing", ["housing"]), ("12", ["other"]),
        ("asdfgh", None),
    ],
    "barrier_options": [
        ("cost", ["cost"]), ("transport", ["transport"]), ("confidence", ["confidence"]), ("none", ["none"]),
        ("none of these", ["none"]), ("the bus", ["transport"]), ("too expensive", ["cost"]),
        ("my knees", ["pain_mobility"]), ("nervous", ["confidence"]), ("looking after my kids", ["caring_duties"]),
        ("no time", ["time"]), ("my english", ["language"]), ("don't know anyone", ["not_knowing_anyone"]),
        ("cost and transport", ["cost", "transport"]), ("nothing", ["none"]), ("no", ["none"]),
    ],
    "top_areas": [
        ("money", ["money"]), ("housing", ["housing"]), ("money and housing", ["money", "housing"]),
        ("loneliness", ["loneliness"]), ("being lonely", ["loneliness"]), ("1", ["loneliness"]), ("2", ["activity"]),
        ("1 and 3", ["loneliness", "money"]), ("all of them", ["loneliness", "activity"]),
        ("both", ["loneliness", "activity"]), ("the money", ["money"]), ("weight", ["activity"]),
        ("debt", ["money"]), ("my flat", ["housing"]), ("1, 2 and 3", None),
    ],
    "language": [
        ("English", "english"), ("english please", "english"), ("yes", "english"), ("Polish", "Polish"),
        ("I speak Urdu", "Urdu"), ("Punjabi", "Punjabi"), ("romanian", "Romanian"), ("in Welsh", "Welsh"),
        ("my language is Somali", "Somali"), ("Arabic", "Arabic"), ("English is fine", "english"),
        ("another language", None), ("other", None), ("Bengali", "Bengali"), ("Portuguese", "Portuguese"),
    ],
    "referral_code": [
        ("WM-4821", "WM-4821"), ("its ab12cd thanks", "AB12CD"), ("code is 4821", "4821"), ("no", "none"),
        ("none", "none"), ("n/a", SKIPPED), ("no I don't have one", "none"), ("I haven't got one", "none"),
        ("nope", "none"), ("I wasn't given one", "none"), ("no code", "none"), ("nahi", "none"),
        ("no have", "none"), ("there wasn't one on the letter", "none"), ("skip", SKIPPED), ("dont have one", "none"),
    ],
    CONFIRMED: [
        ("yes", True), ("yes, send it", True), ("yes is correct", True), ("that's right", True), ("all good", True),
        ("looks good", True), ("yep", True), ("perfect", None), ("correct", True), ("ok send", True),
        ("change my goal", None), ("no", None), ("go back to my name", None), ("I want to change something", None),
        ("hmm", None),
    ],
}


def _cases():
    for key, rows in TABLES.items():
        for text, expected in rows:
            yield pytest.param(key, text, expected, id=f"{key}:{text}")


def test_every_closed_question_has_a_table_of_at_least_15_wordings():
    assert all(len(rows) >= 15 for rows in TABLES.values()), {k: len(v) for k, v in TABLES.items()}


@pytest.mark.parametrize("key, text, expected", list(_cases()))
def test_reader(key, text, expected):
    outcome = interpret(key, text, None, AREAS if key == "top_areas" else {})
    if expected is None:
        assert not outcome.accepted or key == CONSENT and outcome.value is None, outcome
        return
    assert outcome.accepted, outcome.responses
    assert outcome.value == expected
