"""The intake's questions, in the order a link worker would ask them.

This catalogue is the one description of the conversation's content: the
form asks the first unanswered question that applies (`next_question`), the
validator interprets answers by the question's kind, the summary is built by
section. The wording patients see lives in `domain.yml` (`utter_ask_<key>`),
so copy can be reviewed without reading Python.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Callable, Mapping, Optional

from bot.intake.normalise import AFTER_A_LOSS, COMMON_WORDS, Option, not_after, words

SKIPPED = "__skipped__"
NOT_REGISTERED = "Not registered with a GP"
"""The GP practice answer of a person with no practice: routes them, and tells them how to register."""
"""Slot value of a question the patient chose not to answer (kept apart from an empty answer)."""


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    keywords: tuple[str, ...]


SECTIONS: tuple[Section, ...] = (
    Section(
        "about_you",
        "About you",
        (
            "about me",
            "about you",
            "my name",
            "name",
            "contact",
            "phone",
            "number",
            "email",
            "e-mail",
            "times",
            "best time",
            "practice",
            "gp",
            "surgery",
            "referral",
            "code",
            "my details",
            "details",
        ),
    ),
    Section(
        "what_matters",
        "What matters to you",
        (
            "what matters",
            "matters",
            "life areas",
            "areas",
            "support with",
            "help with",
            "topics",
            "priorities",
            "most important",
        ),
    ),
    Section(
        "wellbeing",
        "Wellbeing",
        (
            "wellbeing",
            "well-being",
            "scores",
            "score",
            "numbers",
            "satisfied",
            "happy",
            "anxious",
            "worthwhile",
            "ratings",
        ),
    ),
    Section(
        "strengths",
        "Strengths and support",
        (
            "strengths",
            "strength",
            "enjoy",
            "good at",
            "support",
            "supporters",
            "hobbies",
            "interests",
        ),
    ),
    Section(
        "barriers",
        "Barriers",
        (
            "barriers",
            "barrier",
            "hard",
            "difficult",
            "obstacles",
            "problems",
            "what stops me",
            "stopped me",
            "getting in the way",
        ),
    ),
    Section(
        "preferences",
        "Preferences",
        (
            "preferences",
            "preference",
            "group",
            "one-to-one",
            "one to one",
            "in person",
            "online",
            "go with me",
            "someone with me",
            "come with me",
            "company",
            "accessibility",
            "access",
            "language",
            "interpreter",
        ),
    ),
    Section(
        "goal",
        "Your goal",
        (
            "goal",
            "goals",
            "three months",
            "3 months",
            "hope",
            "hopes",
        ),
    ),
)
SECTION_BY_KEY: Mapping[str, Section] = {s.key: s for s in SECTIONS}

_NOT_GETTING_OUT = not_after(
    "get out of the",
    "getting out of the",
    "go out of the",
    "going out of the",
    "out of t'",
    "out of th'",
    *(f"{how} in the" for how in ("lonely", "alone", "own", "stuck", "sat", "sitting", "bored", "quiet")),
)
"""Before "house", getting out of it (activity, company) or lonely in it, not a home to sort out; "kicked out of the
house" is."""

CONTACT_METHODS = (
    Option(
        "phone",
        "Phone call",
        (
            not_after("to my", "on my", "message on", "messages on", "text on") + "phone",
            "call",
            "ring",
            "landline",
            not_after("to my", "on my", "to me", "to", "to the") + "mobile",
            "tele?(?:ph|f)one?",
            "tel\\b",
            "bell",
            "fone",
        ),
    ),
    Option(
        "text",
        "Text message",
        ("text", "txt", "texts", "texting", "tx\\b", "sms", "message(?! (at|with|for me at|for me with)\\b)"),
    ),
    Option("email", "Email", ("email", "e-mail", "mail", "emial", "gmail", "hotmail", "outlook", "inbox")),
    Option(
        "practice",
        "Through the practice",
        (
            # "ring the surgery, they know me there": the practice's way, though it names a call
            r"(?:ring|call|phone|contact|go through|through) (?:the |my )?(?:surgery|practice|gp|doctors?)",
            "practice",
            "surgery",
            "gp",
            "doctor",
            "reception",
        ),
    ),
    # Someone with no phone and no e-mail (sleeping rough, in a refuge, between places) can still be
    # reached: the link worker finds them, or leaves word, where they go.
    Option(
        "place",
        "At a place I go to",
        (
            "food ?banks?",
            "hostel",
            "shelter",
            "refuge",
            "day cent(re|er)",
            "drop[ -]?in",
            "soup kitchen",
            "community cent(re|er)",
            "library",
            "church",
            "mosque",
            "temple",
            "gurdwara",
            "in person",
            "face[ -]to[ -]face",
            "come (and )?(find|see) me",
            "find me (at|in)",
            "where i (go|stay)",
            "place i go",
        ),
    ),
)

_SOMEONE_ELSE_AT = not_after(
    *(f"{who}{be} at" for who in ("they", "we", "friends", "kids") for be in ("'re", " are", "re")),
    *(
        f"{who}{be} at"
        for who in ("he", "she", "everyone", "everybody", "husband", "wife", "partner")
        for be in ("'s", " is", "s")
    ),
)
"""Before "work": someone else there ("all my friends are at work", "when we're at work"), no work of the person's."""

_NOT_THE_PERSON = r"(?!'?s\b| (?:and|group|club|benefits?|allowance|money|wages|pension|bus|pass|job)\b)"
"""After a person lost: not something of theirs or named after them ("lost the wife's bus pass", "lost the friend
group", "lost my child benefit")."""

LIFE_AREAS = (
    Option(
        "loneliness",
        "Loneliness and feeling connected",
        (
            "lonel",
            "lon(?:ley|ly)\\b",
            "isolat",
            "on (?:my|me|ma|mi|mah) (?:own|ain|tod|lonesome)",
            "alone",
            "connect",
            "friends",
            "company",
            "social",
            "nobody to talk",
            "no one to talk",
            "meet(?:ing)? (?:new )?people",
            "people to talk to",
            "people (?:a)?round (?:me|us)\\b",  # "having a few more people around me"
            "get out more",
            "getting out more",
            "(get|getting|go|going) out of (the|t'|th'|t) house",
            "(never|don'?t|hardly( ever)?|rarely|barely) see (anybody|anyone|a soul|people|a living soul)",
            "see nobody",
            "miss (being around|seeing|having) (people|friends|company|adults)",
            "(spoken|talked|talking|speaking) to (another|an|other) (adult|person|people|grown-?up)",
        ),
    ),
    Option(
        "activity",
        "Physical activity and weight",
        (
            "physical",
            "activ",
            "exercis",
            "weight",
            "fit",
            "gym",
            "walk",
            "sport",
            "move more",
            "lose(?! (?:my|me|the|our|his|her|their|it|him|them|touch|track|out|hope)\\b)",
            "get(?:ting)? moving",
            "moving (?:a bit |a little |about )?more",
            "slim",
            "diet",
            "swim",
            "off the (settee|sofa|couch)",
            "(?:back|get|getting|keep|keeping) (?:in|into) shape",
            "put on (weight|\\w+ stones?)",
            "getting about",
            "get about",
            "out and about",
        ),
    ),
    Option(
        "mental_wellbeing",
        "Mental wellbeing, stress and confidence",
        (
            "mental",
            "stress",
            "confiden",
            "anxi",
            "worr",
            "mood",
            "low",
            "depress",
            "nerv",
            "self-esteem",
            "self esteem",
            "panic",
            "wellbeing",
            "feel better",
            "crying",
            "getting me down",
            "gets me down",
            "down\\b",
            "can'?t cope",
            "overwhelm",
            "head\\b",
            "heid\\b",
        ),
    ),
    Option(
        "money",
        "Money, benefits and debt",
        (
            "money",
            "benefit",
            "debt",
            "bills",
            "financ",
            "afford",
            "universal credit",
            "pip\\b",
            "income",
            "pension",
            "cost of living",
            "skint",
            "broke",
            "council tax",
            "(?:gas|electric|electricity|energy|heating|water|phone) bill",
            "catalogue",
            "ends meet",
            "arrears",
            "overdraft",
            "loans?\\b",
            "credit card",
            "bailiff",
            "can'?t pay",
            "struggling to pay",
            "sick pay",
            "short of money",
            "always short",
            "we'?re short",
            "cost",
            "grand\\b",
            "£",
        ),
    ),
    Option(
        "housing",
        "Housing",
        (
            _NOT_GETTING_OUT + "hous",
            "home",
            "rent",
            "landlord",
            "damp",
            "mould",
            "evict",
            "homeless",
            "flat\\b",
            "council (house|flat|list|housing)",
            "housing list",
            "sofa",
            "somewhere (to live|of my own)",
            "place of my own",
            "temporary accommodation",
            "overcrowd",
            "repairs",
        ),
    ),
    Option(
        "work",
        "Work, volunteering and learning",
        (
            _SOMEONE_ELSE_AT + r"work(?!s\b)",  # "the wife still works": hers, not the person's
            "job",
            "volunt",
            "learn",
            "course",
            "college",
            "employ",
            "career",
            "skills",
            "training",
            "study",
        ),
    ),
    Option(
        "caring",
        "Caring for someone",
        (
            "caring",
            "carer",
            "care for",
            "caring for",
            "look after",
            "looking after",
        ),
    ),
    Option(
        "bereavement",
        "Bereavement",
        (
            "bereave",
            "grief",
            "griev",
            "died",
            "die\\b",
            "passed away",
            "passed\\b",
            "death",
            "funeral",
            "loss of",
            "(?:lost|losing) (?:my|me|ma|our) (?:wife|husband|partner|mum|mam|mother|dad|father|son|daughter|brother|"
            "sister|friend|baby|child|nan|gran|other half|missus|mrs|hubby)\\b" + _NOT_THE_PERSON,
            "(?:lost|losing) the (?:wife|husband|missus|mrs|hubby|old man|old lady)\\b" + _NOT_THE_PERSON,  # "the wife"
            rf"(?:lost|losing) (?:him|her)\b(?=\s*(?:$|[,.;:!?)]|(?:{AFTER_A_LOSS})\b))",
            "(?:lost|losing) someone",  # a name after it reads so (`normalise.match_options`)
        ),
    ),
    Option(
        "relationships",
        "Relationships",
        (
            "relationship",
            "marriage",
            "divorce",
            "separat",
            "split up",
            "break ?up",
            "my ex\\b",
            "(problems?|trouble|issues?|arguing|arguments?|rows|fighting|falling out|fell out|fallen out) with",
            "arguing",
            "fightin",
            "rubbing each other up the wrong way",
            "at each other'?s throats",
            "not (talking|speaking) to",
            "(me|us) not (talking|speaking)",
            # Said of the people themselves: "me and my partner arent really talking", "my kids dont talk to me"
            "(partner|husband|wife|boyfriend|girlfriend|family|son|daughter|kids|children|mum|dad|mother|father|"
            "sister|brother|parents|in-laws)( and (i|me))? (aren'?t|are not|isn'?t|is not|not|don'?t|do not|doesn'?t|"
            "does not|won'?t|never|hardly) (really |even |much )?(talk|speak|get on|get along|getting on|getting along)(ing|s)?"
            "(?=\\s*($|[,.;!?]|(to|with) (me|us|each other|him|her|them)\\b))",
            "(don'?t|do not|can'?t|never) (really )?get (on|along) with (my|our) (partner|husband|wife|family|mum|dad|"
            "mother|father|son|daughter|kids|children|sister|brother|parents|neighbours?|in-laws|ex|boyfriend|"
            "girlfriend|flatmate|housemate)\\b",
        ),
    ),
    Option("food", "Food", ("food", "eat", "meal", "cook", "hungry", "food bank", "nutrition")),
    Option(
        "long_term_condition",
        "Living with a long-term condition",
        (
            "long-term",
            "long term",
            "condition",
            "(?<!mental )health (?:one|bit|side|thing)",  # "the health one", at the top areas
            "blood pressure",
            "diabet",
            "arthritis",
            "asthma",
            "copd",
            "pain",
            "heart",
            "illness",
            "chronic",
            "hypertension",
            "cholesterol",
            "\\bms\\b",
            "multiple sclerosis",
            "fibro",
            "long covid",
            "stroke",
            "parkinson",
            "epilep",
            "osteo",
            "sugar",
            "kidney",
            "cancer",
            "crohn",
            "lupus",
            "(bad|my) back",
            "(my|own|physical) health\\b",
            "hips?\\b",
            "knees?\\b",
            "joints?\\b",
            "breathing",
            "lung",
            "(?<!off )(my|the) chest\\b",
        ),
    ),
    Option("other", "Something else", ("something else", "(?<!each )other", "else")),
)

BARRIERS = (
    Option("cost", "Cost", ("cost", "money", "afford", "expensive", "price", "pay", "skint", "bills")),
    Option(
        "transport",
        "Transport",
        (
            "transport",
            "bus\\b",
            "buses",
            "travel",
            "car\\b",
            not_after("i", "can", "i'll", "we") + "drive",  # "I can't drive"; not "I drive"
            "driving",
            "taxi",
            "lift",
            "get there",
            "getting there",
        ),
    ),
    Option(
        "confidence",
        "Confidence or embarrassment",
        (
            "confiden",
            "confidan",
            "embarrass",
            "nervous",
            "shy",
            "anxious",
            "scared",
            "afraid",
            "worried",
            "self-conscious",
            "self conscious",
            "judg",
            "fit in",
            "younger",
            "on my own",
            "alone",
            "(not|n't) (as |very |that |so )?brave",
        ),
    ),
    Option(
        "pain_mobility",
        "Pain or mobility",
        (
            "pain",
            "mobility",
            "knee",
            "hip",
            "(my|bad|sore|dodgy|the) back\\b",
            "(?:(?<=^ )|(?<=, )|(?<=,)|(?<=and )|(?<=& )|(?<=plus ))(?:me|ma) back\\b(?! (?:out|on|to|in|into|up|home|here|there|again|later)\\b)",
            "back (pain|problems?|trouble)",
            "hurt",
            "walk far",
            "walking far",
            "can't walk",
            "cant walk",
            "struggle to walk",
            "trouble walking",
            "difficulty walking",
            "walking hurts",
            "walking stick",
            "walking any distance",
            "(?:his|her|my|me|their|the) walking\\b(?!\\s+(?:group|club|boots|shoes|football|netball|holiday|route|trail|"
            "path|festival|tour|bus|buddy|pole|(?:is|was|has|'s)\\s+(?:\\w+\\s+)?(?:fine|ok|okay|good|alright|better|improved)))",
            "(?:(?<=^ )|(?<=^  )|(?<=, )|(?<=,)|(?<=and )|(?<=& ))walking\\W*$",  # "transport and walking": named as an item
            "walking (?:is|gets) (?:hard|difficult|a struggle)",
            "balance",
            "unsteady",
            "walk any distance",
            "fibro",
            "chronic",
            "joints",
            "arthritis",
            "legs",
            "fatigue",
            "wheelchair",
            "stick",
            "breath",
        ),
    ),
    Option(
        "caring_duties",
        "Caring duties",
        (
            "caring",
            "carer",
            "i care for",
            "care for my",
            "take care of",
            "look after",
            "looking after",
            "kids",
            "children",
        ),
    ),
    Option(
        "time",
        "Time",
        (
            # "no time", "time off"; not "all the time", "a hard time", "the first time"
            not_after("all the", "at the", "any", "first", "long", "hard", "tough", "rough") + "time",
            "busy",
            "work shifts",
            "shifts",
            "hours",
            "at work",
            "i work\\b",
            "working (full|long|nights|days)",
        ),
        read_label=False,
    ),
    Option("language", "Language", ("language", "english", "translat", "interpret")),
    Option(
        "not_knowing_anyone",
        "Not knowing anyone",
        (
            "know anyone",
            "know anybody",
            "knowing (?:anyone|anybody|a soul|people|folk)",
            "know no one",
            "know nobody",
            "know a soul",
            "(n't|not) know (anyone|anybody|a soul|people|a single person)",
            "don't know people",
            "strangers",
            "not knowing",
            "lonely",
            "new to",
            "new here",
            "moved here",
            "no friends",
        ),
    ),
    Option(
        "none",
        "None of these",
        ("none of these", "none of them", "nothing else", "no others", "nothing (stops|holds|gets in)"),
    ),
)

_NO_PREFERENCE = (
    "either\\b",
    "eith?e?r\\b",  # "eithr", "eiter": typed in a hurry
    "eitehr",
    "ether\\b",
    "(?:don'?t|dinnae|dinna|divn'?t|divvent) mind",
    "no preference",
    "no pref",
    "indifferent",
    "not (?:really |that |too |overly )?bothered(?! (?:about|with|by|on|for)\\b)",
    "not (?:really |that |too )?fussed(?! (?:about|with|on|by|for)\\b)",
    "not fussy",
    "not arsed(?! (about|with|for|on)\\b)",
    "don'?t care(?! for)",
    "all the same",
    "no difference",
    "whatever",
    "whichever",
    "any\\b",
    "doesn'?t matter",
    "don'?t matter",
    "(don'?t|doesn'?t) bother me",
    "any ?way'?s? (is )?fine",
    "up to you",
    "both (?:are |is |would be |sound |suit )?(?:ok|okay|fine|good|great|grand|alright|all right)",  # "online or in person, both ok"
)
"""Words of no preference between the choices given: "either" to group or one-to-one, "any" to how to meet."""

GROUP_OR_ONE = (
    Option(
        "group",
        "In a group",
        (
            "group",
            "grp",
            "with others",
            "other people",
            "class",
            r"with (?:(?:other|some|a few|a bunch of)\s+)+(?:men|women|lads|ladies|mums|dads|blokes|girls|people|folk)",
        ),
    ),
    Option(
        "one_to_one",
        "One-to-one",
        (
            "one-to-one",
            "(?:one|wan|een|ane) (?:to|too|tae|ti) (?:one|wan|een|ane)",
            r"121\b",
            "one on one",
            "one-on-one",
            "1:1",
            "1-1",
            "1 to 1",
            "1 2 1",
            "one 2 one",
            "1-2-1",
            "1 on 1",
            "one person",
            "(?<!than )1 person",
            "by myself",
            "on me own",
            "just me",
            "two of us",
            "individual",
            "on my own",
            "alone",
            "private",
        ),
    ),
    Option(
        "either",
        "Either is fine",
        ("both", *_NO_PREFERENCE),
    ),
)

MEETING_FORMATS = (
    Option(
        "in_person",
        "In person",
        (
            "in person",
            "in the flesh",
            "go somewhere(?!\\s*\\?)",
            "face (?:to|tae|ti) face",
            "face-to-face",
            "in pe?rs?o?n\\b",  # "in prsn", "in persn": typed in a hurry
            "f2f",
            "irl\\b",
            "face 2 face",
            "meet",
            "person",
            "home visit",
            "come (to|round)",
            "visit me",
            "get(ting)? out of the house (would|will|is)",
            "see someone",
            "surgery",
            "cafe",
            "somewhere local",
        ),
    ),
    Option("phone", "By phone", ("phone", "call", "telephone", "ring", "fone", "landline")),
    Option(
        "online",
        "Online",
        (
            "online",
            "on line",
            "video call",
            "zoom call",
            "teams call",
            "whatsapp call",
            "video",
            "zoom",
            "teams",
            "internet",
            "computer",
            "facetime",
            "skype",
            "whatsapp",
            "(join|do it|do this|talk|chat|call) from (my )?home",
            "something i can join",
        ),
    ),
    Option(
        "any",
        "Any of these",
        # "all" of them, not "all day" ("I work all day. online")
        (
            "all\\b(?!\\s+(?:day|night|week|weekend|morning|afternoon|evening|year|the time|over|right|alone)\\b)",
            *_NO_PREFERENCE,
        ),
    ),
)

LANGUAGES = (
    Option("english", "English", ("english",)),
    Option("other", "Another language", ("another", "other")),
)


COMPANY_YES = (
    "nervous",
    "anxious",
    "scared",
    "afraid",
    "worried",
    "daunting",
    "frightened",
    "shy",
    "wouldn't go alone",
    "wouldnt go alone",
    "not on my own",
    "not by myself",
    "would help",
    "with me",
    "come with",
    "go with",
    "the first time",
    "company",
    "moral support",
    "hold my hand",
    "in a flap",
    "dither",
    "get lost",
    "get flustered",
    "nerves",
    "nervous wreck",
    "put my mind at rest",
    "peace of mind",
    "want someone",
    "like someone",
    "someone there",
    "with someone",
    "come also",
    "come too",
    "comes too",
    "come along",
    "someone alongside",
    "shaking",
    "shakin",
    "like a leaf",
    "showed me where",
    "show me where",
    "somebody alongside",
    "anyone alongside",
    # Going in alone named as the hard part ("walking in alone is the hardest bit"), not any hard part ("the hardest
    # part is the bus, I'll be fine")
    "alone is the hardest bit",
    "alone is the hardest part",
    "alone is the hardest thing",
    "alone is the worst bit",
    "alone is the worst part",
    "alone is the hard bit",
    "alone is the hard part",
    "on my own is the hardest bit",
    "on my own is the hardest part",
    "on my own is the worst bit",
    "on my own is the worst part",
    "on my own is the hard part",
    "on my own is the hard bit",
    "by myself is the hardest bit",
    "by myself is the hardest part",
)
COMPANY_NO = (
    "on my own",
    "on me own",
    "by myself",
    "by meself",
    "alone",
    "independent",
    "i'll go myself",
    "i can go myself",
    "manage myself",
    # Declining an offer: "No, I'm fine" (not "I'm fine with that", which agrees).
    "i'm fine",
    "i'm ok",
    "i'm okay",
    "i'm good",
    "i'm alright",
    "i'll be alright",
    "i'd be alright",
    "i'd be fine",
    "i'd be ok",
    "quite capable",
    "perfectly capable",
    "more than capable",
    "capable on my own",
    "i'd be okay",
    "i'll be fine",
    "i'll be ok",
    "i'll be okay",
    "should be alright",
    "should be fine",
    "should be ok",
    "i'll manage",
    "i'd manage",
    "should manage",
    "shall manage",
    "i would manage",
    "i'll cope",
    "i'd cope",
    "i can cope",
    "i'll be grand",
    "i'd be grand",
    "i'll be sound",
    "she's fine",
    "he's fine",
    "she'll be fine",
    "he'll be fine",
    "i'll b fine",
    # Knowing the way: "I know most places round here", "I know Bristol like the back of my hand".
    "know my way",
    "know the area",
    "know most places",
    "like the back of my hand",
    "find my way",
    "my own way",
    "perfectly capable",
)
"""Words that lean yes or no to "Would you like someone to go with you the first time?"."""


CONSENT_YES = (
    "start",
    "begin",
    "continue",
    "carry on",
    "crack on",
    "proceed",
    "go ahead",
    "do it",
    "fire away",
    "go for it",
    "you can share",
    "can share it",
    "ok to share",
    "fine to share",
    "share it",
    "share them",
    "share my answers",
    "give my consent",
    "i consent",
    "you have my consent",
    "acceptable",
)
"""Words that say yes to "Are you happy to go on and share your answers with the team?"."""
CONSENT_NO = (
    "leave me alone",
    "i'd be glad to be left alone",
    "i'd rather be left alone",
    "i'd prefer to be left alone",
    "i'd like to be left alone",
    "i would like to be left alone",
    "just want to be left alone",
    "leave me be",
    "go away",
    "i'll pass",
    "ill pass",
    "not for now",
    "not today",
    "don't want this",
    "dont want this",
    "doesn't want this",
    "doesnt want this",
    "does not want this",
    "doesn't want to share",
    "remove me",
    "take me off",
    "opt out",
    "unsubscribe",
    "didn't ask for this",
    "didnt ask for this",
    "did not ask for this",
    "than do this",
    "stop asking",
    "changed my mind",
)
"""Words that say no to it: passing, being left alone, opting out ("I'll pass", "leave me alone"). "Stop" is a no
only said alone (`validation._STOP`): "yes I want to stop smoking" goes on."""


INTERPRETER_YES = (
    "english is not good",
    "english not good",
    "english not so good",
    "english not very good",
    "english is not very good",
    "english isn't good",
    "english isnt good",
    "english is poor",
    "poor english",
    "not good english",
    "no good english",
    "not good in english",
    "not good at english",
    "not good with english",
    "not very good english",
    "can't speak english",
    "cant speak english",
    "doesn't speak english",
    "doesnt speak english",
    "not ok in english",
    "english is bad",
    "bad english",
    "little english",
    "no english",
    "not much english",
    "don't speak english",
    "dont speak english",
    "don't understand",
    "dont understand",
    "no understand",
    "not understand",
    "english is weak",
    "can't carry on in english",
    "cant carry on in english",
    "cannot carry on in english",
    "can't do it in english",
    "cant do it in english",
    "cannot do it in english",
    "couldn't do it in english",
    "couldn't manage without",
    "can't manage without",
    "cannot manage without",
    # Not "need interpreter" alone: "no need interpreter" declines.
    "need interpreter for",
    "need an interpreter for",
    "need a interpreter for",
    "english no good",
    "i need interpreter",
    "i need an interpreter",
    "i need a interpreter",
    "i want interpreter",
    "i want an interpreter",
    "i need translator",
    "i need a translator",
    "she needs an interpreter",
    "he needs an interpreter",
)
INTERPRETER_NO = (
    "english ok",
    "english okay",
    "english fine",
    "english good",
    "ok in english",
    "okay in english",
    "fine in english",
    "english is fine",
    "english is ok",
    "english is okay",
    "english is good",
    "i speak english",
    "i understand english",
    "understand ok",
    "understand okay",
    "understand fine",
    "understand well",
    "manage in english",
    "i'm fine",
    "i'm ok",
    "i'm okay",
    "i'm good",
    "good in english",
    "good english",
    "she's fine",
    "he's fine",
    "fine with english",
    "ok with english",
    "okay with english",
    "good with english",
    "manage without",
    "manage without one",
    "happy to speak english",
    "happy with english",
    # English kept as the language to go on in ("no, stick to English"): English will do. Not "if it's possible to
    # do it in English", which doubts it.
    "carry on in english",
    "keep it in english",
    "stick to english",
    "stick with english",
    "keep to english",
    "keep with english",
    "stay in english",
    "stay with english",
    "english will do",
    # Agreeing to English ("I wouldn't mind doing it in English"): read before the agreement would be a yes.
    "don't mind english",
    "dont mind english",
    "wouldn't mind english",
    "wouldnt mind english",
    "don't mind speaking english",
    "dont mind speaking english",
    "wouldn't mind speaking english",
    "don't mind doing it in english",
    "dont mind doing it in english",
    "wouldn't mind doing it in english",
    "wouldnt mind doing it in english",
    "don't mind in english",
    # Asking only that people speak slowly: English will do ("no, English is ok, only speak slow please"); not
    # "yes please speak slowly", which asks for both.
    "just speak slow",
    "only speak slow",
    "just speak slowly",
    "only speak slowly",
    "just talk slow",
    "just talk slowly",
    "only talk slowly",
    "ok for english",
    "okay for english",
    "manage ok",
    "manage fine",
)


def _wants_contact_detail(a: Mapping[str, object]) -> bool:
    """Every way of reaching the person needs its detail, except through the practice."""
    method = a.get("contact_method")
    return method != "practice" and any(o.code == method for o in CONTACT_METHODS)


def _wants_contact_times(a: Mapping[str, object]) -> bool:
    """The place question already asks when they are there."""
    return a.get("contact_method") != "place"


def _chose_other_area(a: Mapping[str, object]) -> bool:
    areas = a.get("life_areas")
    return isinstance(areas, list) and "other" in areas


def _many_areas(a: Mapping[str, object]) -> bool:
    areas = a.get("life_areas")
    return isinstance(areas, list) and len(areas) > 2


def top_area_options(answers: Mapping[str, object]) -> tuple[Option, ...]:
    """The areas a patient chose, offered back when they pick the one or two that matter most."""
    return tuple(_with_its_description(o, answers) for o in LIFE_AREAS if o.code in _chosen_areas(answers))


def _chosen_areas(answers: Mapping[str, object]) -> list[object]:
    chosen = answers.get("life_areas")
    return chosen if isinstance(chosen, list) else []


def _with_its_description(option: Option, answers: Mapping[str, object]) -> Option:
    """ "Something else" named again by the words the person gave it ("money and the gambling", after "gambling, I
    can't stop betting"): each distinctive word of its first clause, by its first five letters (a short one whole)."""
    described = answers.get("life_areas_other")
    if option.code != "other" or not isinstance(described, str):
        return option
    named = re.split(r"[,.;:!?(]|\s[-\u2013]\s", described.lower())[0]  # its name, not what is said of it after
    own = [w for w in words(named) if len(w) >= 4 and w not in COMMON_WORDS and w not in _SAID_OF_ANY_NEED]
    found = {rf"{re.escape(w[:5])}" if len(w) >= 5 else rf"{re.escape(w)}\b" for w in own}
    return replace(option, keywords=(*option.keywords, *sorted(found)))


_SAID_OF_ANY_NEED = frozenset(
    """trying struggling struggle looking sorting sort feeling feel dealing deal problem problems issue issues getting
    coping cope managing manage worry worried worries worrying stress stressed help helping support sorted lately
    always mostly want wanting need needing like mainly mine stuff""".split()
)
"""Words that describe any need ("struggling with", "sorting out", "problems with"): they do not name "something
else", and they would pick it beside any other area ("struggling with money mostly")."""


def top_area_numbers(answers: Mapping[str, object]) -> tuple[int, ...]:
    """The numbers those areas had in the first list: people answer "7 and 3" with the numbers they just used."""
    chosen = _chosen_areas(answers)
    return tuple(number for number, option in enumerate(LIFE_AREAS, start=1) if option.code in chosen)


def _may_meet_in_person(a: Mapping[str, object]) -> bool:
    """Where they live matters for offers they would go to: not asked of someone meeting by phone or online only."""
    return a.get("meeting_format") not in ("phone", "online")


def _not_english(a: Mapping[str, object]) -> bool:
    language = a.get("language")
    return isinstance(language, str) and language not in ("english", SKIPPED)


@dataclass(frozen=True)
class Question:
    """One thing we ask. `kind` decides how an answer is read (see validation)."""

    key: str
    section: str
    kind: str
    optional: bool = False
    options: tuple[Option, ...] = ()
    applies: Optional[Callable[[Mapping[str, object]], bool]] = field(default=None, compare=False)
    label: str = ""
    open: bool = False
    """A question in the person's own words: a disclosure given as its answer is saved as the answer too."""
    yes_cues: tuple[str, ...] = ()
    no_cues: tuple[str, ...] = ()
    """A yes/no question's own words that lean one way ("nervous" means yes to company)."""
    offer: bool = False
    """A yes/no question that offers something ("would you like..."): "no, it's ok" can only decline it."""

    def applies_to(self, answers: Mapping[str, object]) -> bool:
        return self.applies is None or self.applies(answers)

    @property
    def closed(self) -> bool:
        """Answered with a choice, a number, a name or a contact detail, not in the person's own words."""
        return self.kind != "text"

    @property
    def turns_away_non_answers(self) -> bool:
        """Whether its reader says plainly when a message is no answer: not a score ("which one" reads as 1),
        nor a name, an NHS number, a referral code or a GP practice (where almost any words can be one, or none)."""
        return self.kind in _TURNS_AWAY_KINDS


_TURNS_AWAY_KINDS = frozenset({"choice", "multi", "top", "yes_no", "language", "contact"})


DEPENDENTS: Mapping[str, tuple[str, ...]] = {
    "contact_method": ("contact_detail",),
    "life_areas": ("life_areas_other", "top_areas"),
    "language": ("interpreter",),
    "barriers_text": ("barrier_options",),
    "barrier_options": ("barriers_text",),
}
"""Answers that depend on another: asked again with it when it changes (a new way of contact needs its
detail; the barriers in words and as ticks are one answer)."""


QUESTIONS: tuple[Question, ...] = (
    Question("preferred_name", "about_you", "name", label="Name"),
    Question("contact_method", "about_you", "choice", options=CONTACT_METHODS, label="Contact by"),
    Question("contact_detail", "about_you", "contact", applies=_wants_contact_detail, label="Contact details"),
    Question("contact_times", "about_you", "text", optional=True, applies=_wants_contact_times, label="Best times"),
    Question("gp_practice", "about_you", "gp_practice", optional=True, label="GP practice"),
    Question("nhs_number", "about_you", "nhs_number", optional=True, label="NHS number"),
    Question("referral_code", "about_you", "code", optional=True, label="Referral code"),
    Question("what_matters", "what_matters", "text", label="What matters most", open=True),
    Question("life_areas", "what_matters", "multi", options=LIFE_AREAS, label="Life areas"),
    Question("life_areas_other", "what_matters", "text", applies=_chose_other_area, label="Something else", open=True),
    Question("top_areas", "what_matters", "top", applies=_many_areas, label="Matter most"),
    Question("ons_life_satisfaction", "wellbeing", "scale", label="Life satisfaction"),
    Question("ons_worthwhile", "wellbeing", "scale", label="Things done are worthwhile"),
    Question("ons_happy", "wellbeing", "scale", label="Happy yesterday"),
    Question("ons_anxious", "wellbeing", "scale", label="Anxious yesterday"),
    Question("enjoys", "strengths", "text", label="What you enjoy", open=True),
    Question("good_at", "strengths", "text", optional=True, label="What you're good at", open=True),
    Question("support_network", "strengths", "text", optional=True, label="Support around you", open=True),
    Question("barriers_text", "barriers", "text", label="What has made things hard", open=True),
    Question("barrier_options", "barriers", "multi", optional=True, options=BARRIERS, label="Barriers"),
    Question("group_or_one_to_one", "preferences", "choice", options=GROUP_OR_ONE, label="Group or one-to-one"),
    Question("meeting_format", "preferences", "choice", options=MEETING_FORMATS, label="How to meet"),
    Question("home_area", "preferences", "text", optional=True, applies=_may_meet_in_person, label="Town or area"),
    Question(
        "wants_company",
        "preferences",
        "yes_no",
        label="Someone to go with you the first time",
        yes_cues=COMPANY_YES,
        no_cues=COMPANY_NO,
        offer=True,
    ),
    Question("accessibility_needs", "preferences", "text", optional=True, label="Accessibility needs", open=True),
    Question("language", "preferences", "language", options=LANGUAGES, label="Preferred language"),
    Question(
        "interpreter",
        "preferences",
        "yes_no",
        applies=_not_english,
        label="Interpreter needed",
        yes_cues=INTERPRETER_YES,
        no_cues=INTERPRETER_NO,
        offer=True,
    ),
    Question("goal", "goal", "text", label="In three months", open=True),
)
QUESTION_BY_KEY: Mapping[str, Question] = {q.key: q for q in QUESTIONS}

CONSENT = "consent"
CONFIRMED = "confirmed"
FORM_SLOTS: tuple[str, ...] = (CONSENT,) + tuple(q.key for q in QUESTIONS) + (CONFIRMED,)
"""Every slot the intake form can ask for, in asking order."""

ONS_KEYS = ("ons_life_satisfaction", "ons_worthwhile", "ons_happy", "ons_anxious")


def required_slots(answers: Mapping[str, object]) -> list[str]:
    """The form's required slots for these answers: those that apply, in order."""
    if answers.get(CONSENT) is False:
        return [CONSENT]
    keys = [CONSENT] + [q.key for q in QUESTIONS if q.applies_to(answers)]
    return keys + [CONFIRMED]


def next_question(answers: Mapping[str, object]) -> Optional[str]:
    """The slot to ask for next, or None when the intake is finished (or refused)."""
    return next((key for key in required_slots(answers) if answers.get(key) is None), None)


def is_closed(key: str) -> bool:
    """Consent, the read-back, or a closed question (`Question.closed`): a message that is no answer there is
    turned away, never saved as one."""
    question = QUESTION_BY_KEY.get(key)
    return key in (CONSENT, CONFIRMED) or (question is not None and question.closed)


def turns_away_non_answers(key: str) -> bool:
    """Consent, or a question whose reader says plainly what is no answer (`Question.turns_away_non_answers`);
    not the read-back, which has its own three replies."""
    question = QUESTION_BY_KEY.get(key)
    return key == CONSENT or (question is not None and question.turns_away_non_answers)


def section_keys(section: str) -> list[str]:
    return [q.key for q in QUESTIONS if q.section == section]


def section_of(slot: Optional[str]) -> Optional[str]:
    question = QUESTION_BY_KEY.get(slot or "")
    return question.section if question else None


def why_response(slot: Optional[str]) -> str:
    """The response that explains why `slot` is asked: one per section, consent and confirmation."""
    if slot in (CONSENT, CONFIRMED):
        return f"utter_why_{slot}"
    section = section_of(slot)
    return f"utter_why_{section}" if section else "utter_why_general"
