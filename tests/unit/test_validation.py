"""What one message means for the question being asked."""

import pytest

from bot.intake import questions
from bot.intake.questions import SKIPPED, required_slots
from bot.intake.validation import ATTEMPTS_BEFORE_OFFER, interpret, keys_to_change


def test_scale_answer_is_accepted_and_stored_as_a_number():
    outcome = interpret("ons_happy", "about a 7", "inform", {})
    assert outcome.accepted and outcome.value == 7


def test_unclear_scale_answer_is_asked_again_with_the_scale_explained():
    outcome = interpret("ons_happy", "pretty good really", "inform", {})
    assert not outcome.accepted
    assert outcome.responses == ["utter_invalid_scale"]


def test_second_unclear_answer_offers_the_choices_in_words_a_skip_and_a_person():
    outcome = interpret("ons_happy", "pretty good really", "inform", {}, attempts=ATTEMPTS_BEFORE_OFFER - 1)
    assert outcome.responses[0] == "utter_invalid_scale"
    assert "one number" in outcome.responses[1]
    assert outcome.responses[-1] == "utter_offer_skip_or_person"
    choice = interpret("group_or_one_to_one", "hmm", "inform", {}, attempts=ATTEMPTS_BEFORE_OFFER - 1)
    assert choice.responses[1] == "You can answer: In a group, One-to-one or Either is fine."


def test_optional_question_can_be_skipped_at_once():
    outcome = interpret("gp_practice", "skip", "skip", {})
    assert outcome.accepted and outcome.value == SKIPPED


def test_required_question_explains_before_a_skip_is_taken():
    first = interpret("what_matters", "skip", "skip", {}, attempts=0)
    assert not first.accepted and first.responses == ["utter_why_needed_skip"]
    second = interpret("what_matters", "skip", "skip", {}, attempts=1)
    assert second.accepted and second.value == SKIPPED


def test_free_text_is_kept_verbatim_whatever_it_holds():
    for text in [
        "<script>alert('x')</script> I want friends",
        "'; DROP TABLE answers; --",
        "Je veux marcher 🚶‍♀️",
        "مرحبا",
    ]:
        outcome = interpret("what_matters", text, "inform", {})
        assert outcome.accepted and outcome.value == text


def test_emoji_only_is_not_an_answer_to_a_text_question():
    outcome = interpret("enjoys", "🙂🙂", "inform", {})
    assert not outcome.accepted


def test_huge_answer_is_refused_not_truncated():
    outcome = interpret("goal", "a" * 5000, "inform", {})
    assert not outcome.accepted and outcome.responses[0] == "utter_too_long"


def test_consent():
    assert interpret("consent", "yes", "affirm", {}).value is True
    assert interpret("consent", "no thanks", "deny", {}).value is False
    assert not interpret("consent", "what is this", "help", {}).accepted


def test_contact_detail_depends_on_the_method():
    assert interpret("contact_detail", "07700 900123", "inform", {"contact_method": "text"}).value == "+447700900123"
    assert (
        interpret("contact_detail", "sue@example.org", "inform", {"contact_method": "email"}).value == "sue@example.org"
    )
    assert not interpret("contact_detail", "sue@example.org", "inform", {"contact_method": "phone"}).accepted


def test_someone_with_no_phone_is_found_where_they_go():
    """A place is asked for in the person's own words and kept as they gave it; an answer with no
    words in it is asked again, never stored."""
    place = {"contact_method": "place"}
    kept = interpret("contact_detail", "St Mark's food bank, Tuesdays after 10", "inform", place)
    assert kept.accepted and kept.value == "St Mark's food bank, Tuesdays after 10"
    unclear = interpret("contact_detail", "??", "inform", place)
    assert not unclear.accepted and unclear.responses == ["utter_invalid_place"]
    assert questions.QUESTION_BY_KEY["contact_detail"].applies(place)


def test_top_areas_come_from_the_chosen_ones():
    answers = {"life_areas": ["loneliness", "activity", "money"]}
    assert interpret("top_areas", "money and loneliness", "inform", answers).value == ["loneliness", "money"]
    assert not interpret("top_areas", "housing", "inform", answers).accepted


def test_something_else_is_picked_again_by_the_name_it_was_given():
    # The twenty-second set: "money and the gambling" after "gambling, I can't stop betting on my phone"
    answers = {
        "life_areas": ["money", "work", "other"],
        "life_areas_other": "gambling, I can't stop betting on my phone",
    }
    assert interpret("top_areas", "money and the gambling", "inform", answers).value == ["money", "other"]
    assert interpret("top_areas", "money, phone bills", "inform", answers).value == ["money"]  # said of it, after
    assert interpret("top_areas", "money and work", "inform", answers).value == ["money", "work"]
    # The thirty-third session's review: words said of any need do not name it
    for said, described, areas, expected in [
        ("struggling with money mostly", "struggling with my teeth", ["money", "other"], ["money"]),
        ("dealing with money", "Dealing with PTSD", ["money", "other"], ["money"]),
        ("ptsd and money", "Dealing with PTSD", ["money", "other"], ["money", "other"]),
        (
            "feeling low and housing",
            "feeling safe at home",
            ["mental_wellbeing", "housing", "other"],
            ["mental_wellbeing", "housing"],
        ),
    ]:
        chosen = {"life_areas": areas, "life_areas_other": described}
        assert interpret("top_areas", said, "inform", chosen).value == expected, said


def test_language():
    assert interpret("language", "English", "inform", {}).value == "english"
    assert interpret("language", "I speak Polish", "inform", {}).value == "Polish"
    assert not interpret("language", "Another language", "inform", {}).accepted


@pytest.mark.parametrize(
    "text, expected",
    [
        ("change my barriers", ["barriers_text", "barrier_options"]),
        ("can I go back and change my name", ["preferred_name"]),
        ("I want to edit what I said about my goal", ["goal"]),
        ("change the wellbeing scores", list(questions.ONS_KEYS)),
        ("update my phone number", ["contact_detail"]),  # the number, not the way of contact
        ("change my nhs number", ["nhs_number"]),
        ("can I change my best times", ["contact_times"]),
        ("i wanna change my phone", ["contact_method", "contact_detail"]),
        ("can i just fix my email", ["contact_method", "contact_detail"]),
        ("oh no I mean change my number", ["contact_detail"]),
        ("wait i go back to my name", ["preferred_name"]),
        ("my answer change, phone not email", ["contact_method", "contact_detail"]),  # a review's: an answer changes
        ("my mistake, change my email", ["contact_method", "contact_detail"]),
        ("hang on can I change when you ring me", ["contact_times"]),  # the twenty-second set: not how to ring
    ],
)
def test_change_requests_mid_intake(text, expected):
    assert keys_to_change(text, confirming=False) == expected


@pytest.mark.parametrize(
    "text",
    [
        "I'd like to go back to work and feel happy again",
        "I want to change my diet and lose weight",
        "Feeling less anxious and going back to my walking group",
        "I want to go back to my doctor",
        "I want to change to mornings at work",
        "I need to add that I'm lonely",
        "I want to go back to enjoying my garden",
        "I want to fix my anxiety",
        "update my skills so I can get a job",
        "please add me to a walking group",
        "could you add my name to the list for the choir",
        # Saying what one does with a verb of change, at "what are you good at?" (one persona's loop: each time
        # "football. I fix phone" changed the contact, which then asked the same question again).
        "football. I fix phone",
        "I can fix phones and laptops",
        "we update the church website",
        "I go back to work on monday",
        # A thing said to change (the nineteenth set: forty times round the contact questions)
        "my days off change every week, email is easiest",
        "the rota changes so text is best",
    ],
)
def test_answers_are_not_mistaken_for_change_requests(text):
    assert keys_to_change(text, confirming=False) == []


def test_a_change_request_mid_intake_clears_the_earlier_answer_and_keeps_the_current_question():
    outcome = interpret("enjoys", "oops, change my name", "inform", {"preferred_name": "Sue"})
    assert not outcome.accepted and outcome.clear == ["preferred_name"]


@pytest.mark.parametrize(
    "key, text",
    [
        ("contact_times", "can I change when to contact me"),
        ("contact_detail", "can i change my number"),
        ("goal", "change my goal"),
    ],
)
def test_a_request_to_change_the_question_being_asked_is_no_answer_to_it(key, text):
    """It was saved as the answer ("Best times: can I change when to contact me"); now the question is asked again,
    and the way forward after two tries is the one any unusable answer gets."""
    answers = {"contact_method": "phone"}
    first = interpret(key, text, "inform", answers)
    assert not first.accepted and first.clear == [] and first.responses == ["utter_ok_change"]
    second = interpret(key, text, "inform", answers, attempts=1)
    assert not second.accepted and "utter_offer_skip_or_person" in second.responses


@pytest.mark.parametrize(
    "key, text, expected",
    [
        ("contact_detail", "change my number to 07700 900123", "+447700900123"),
        ("goal", "I want to change my goal to walking every day", "I want to change my goal to walking every day"),
        ("goal", "change my goal to walking more", "change my goal to walking more"),
        ("contact_detail", "change email ab@aol.com", "ab@aol.com"),
        ("contact_times", "change times to evenings", "change times to evenings"),
        ("enjoys", "go back to my hobbies", "go back to my hobbies"),
        ("what_matters", "fix my money matters", "fix my money matters"),
    ],
)
def test_a_change_that_gives_the_new_answer_is_the_answer(key, text, expected):
    method = "email" if "@" in text else "phone"
    outcome = interpret(key, text, "inform", {"contact_method": method})
    assert outcome.accepted and outcome.value == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "Oh wait, before you send it, could I change the part about someone going with me? I've had a think "
            "and I would like that",
            ["wants_company"],
        ),
        ("Sorry, can we go back to my phone number, I gave you my old one by mistake earlier on", None),
        ("yes that's all lovely, thank you, I hope someone can help me get back to work soon", []),
    ],
)
def test_a_long_change_request_at_the_read_back_names_the_part_after_its_verb(text, expected):
    found = keys_to_change(text, confirming=True)
    assert found == expected if expected is not None else found == ["contact_detail"]


def test_at_the_read_back_when_to_contact_is_the_best_times_not_the_way_of_contact():
    assert keys_to_change("can I change when to contact me", confirming=True) == ["contact_times"]


@pytest.mark.parametrize(
    "key, text",
    [
        ("gp_practice", "What's my doctor got to do with it?"),
        ("nhs_number", "why do you need that?"),
        ("referral_code", "what's that for?"),
        ("home_area", "how come?"),
        ("contact_times", "y u need that"),
    ],
)
def test_a_question_about_the_question_is_never_saved_as_its_answer(key, text):
    outcome = interpret(key, text, "inform", {})
    assert not outcome.accepted and outcome.responses[0].startswith("utter_why_")
    third = interpret(key, text, "inform", {}, attempts=2)
    assert third.accepted and third.value in (questions.SKIPPED, "none"), "asked a third time, the question is left"


@pytest.mark.parametrize(
    "key, text, expected",
    [
        ("contact_detail", "Why do you need it? its 07700 900123", "+447700900123"),
        ("ons_happy", "how come you need that? 4", 4),
        ("group_or_one_to_one", "Which is better? one to one i think, dont know why", "one_to_one"),
        ("life_areas", "what to do with my days mostly, and being lonely", ["loneliness"]),
    ],
)
def test_an_answer_given_beside_a_why_is_kept(key, text, expected):
    assert interpret(key, text, "inform", {}).value == expected


@pytest.mark.parametrize(
    "key, text",
    [
        ("home_area", "what do I put if I haven't got an address"),
        ("contact_times", "what should I say"),
        ("gp_practice", "so what do i write here"),
    ],
)
def test_asking_what_to_put_is_told_how_and_asked_again(key, text):
    outcome = interpret(key, text, "inform", {"meeting_format": "in_person"})
    assert not outcome.accepted and outcome.responses == ["utter_answer_as_you_can"]


def test_an_answer_given_beside_asking_what_to_put_is_kept():
    text = "what do I put if I haven't got an address, I'm on a mate's sofa in Moss Side"
    assert interpret("home_area", text, "inform", {"meeting_format": "in_person"}).value == text


def test_saying_no_at_the_read_back_again_and_again_gets_a_new_way_forward_each_time():
    replies = [interpret("confirmed", "no", "deny", {}, attempts=n).responses[0] for n in range(3)]
    assert replies == ["utter_which_section", "utter_confirm_choices", "utter_offer_person_to_check"]


def test_a_fourth_reply_the_read_back_cannot_read_sends_the_answers_for_a_person_to_check():
    """A persona answered "champion" 91 times: after the three ways forward, the answers go with a call-back
    flag, never a fourth loop."""
    replies = [interpret("confirmed", "hmm", "inform", {}, attempts=n) for n in range(4)]
    assert not any(r.accepted for r in replies[:3])
    last = replies[3]
    assert last.accepted and last.value is True
    assert last.responses == ["utter_sent_for_person_to_check"]
    assert (last.flag, last.category) == ("wants_person", "read_back_unconfirmed")


@pytest.mark.parametrize(
    "said", ["no", "don't send it", "stop", "I'll do it later", "wait I need to check with my son"]
)
def test_a_fourth_no_at_the_read_back_asks_a_person_and_never_sends(said):
    """A review's cases: against a no, or words that hold the sending off, the answers are never sent. The fourth time
    a person is asked to go through them (a call-back flag), and the replies go round without repeating."""
    replies = [interpret("confirmed", said, "inform", {}, attempts=n) for n in range(7)]
    assert not any(r.accepted for r in replies)
    assert replies[3].responses == ["utter_person_will_go_through"]
    assert (replies[3].flag, replies[3].category) == ("wants_person", "read_back_unconfirmed")
    assert not any(r.flag for r in replies[:3] + replies[4:])
    said_in_turn = [r.responses[0] for r in replies]
    assert all(a != b for a, b in zip(said_in_turn, said_in_turn[1:], strict=False)), said_in_turn


@pytest.mark.parametrize(
    "said",
    [
        "champion",
        "Champion!",
        "that's grand",
        "grand thanks",
        "mint",
        "smashing, ta",
        "cracking",
        "ace",
        "sound",
        "bang on",
        "lush",
        "braw",
        "tidy that",
        "sorted",
        "that's champion love",
    ],
)
def test_the_regions_own_words_of_agreement_send_the_read_back(said):
    assert interpret("confirmed", said, "inform", {}).value is True


def test_an_open_question_keeps_a_question_as_the_answer():
    assert interpret("what_matters", "why do I feel like this all the time?", "inform", {}).accepted


def test_confirmation():
    assert interpret("confirmed", "yes, send it", "affirm", {}).value is True
    assert interpret("confirmed", "yes, happy with that", "affirm", {}).value is True
    change = interpret("confirmed", "barriers", "inform", {})
    assert not change.accepted and change.clear == ["barriers_text", "barrier_options"]
    which = interpret("confirmed", "I want to change something", "inform", {})
    assert not which.accepted and which.responses == ["utter_which_section"] and not which.clear


def test_agreeing_with_correct_or_right_sends_it_but_correcting_a_part_is_a_change():
    for agreeing in ("yes is correct", "that's correct", "correct", "yes that's all right", "all correct thanks"):
        assert interpret("confirmed", agreeing, "affirm", {}).value is True, agreeing
    change = interpret("confirmed", "correct my name please", "inform", {})
    assert not change.accepted and change.clear == ["preferred_name"]


def test_an_option_named_in_shorthand_beats_the_classifiers_skip():
    assert interpret("contact_method", "txt", "skip", {"consent": True}).value == "text"
    assert interpret("contact_method", "telephone please", "inform", {"consent": True}).value == "phone"
    assert interpret("contact_method", "skip", "skip", {"consent": True}).accepted is False  # asked once why first


def test_a_shrug_is_not_a_name():
    for shrug in ("dunno", "idk", "whatever", "Nothing"):
        assert not interpret("preferred_name", shrug, "inform", {"consent": True}).accepted, shrug
    assert interpret("preferred_name", "Reg", "inform", {"consent": True}).value == "Reg"


def test_question_order_and_conditions():
    assert required_slots({})[0] == "consent"
    assert required_slots({"consent": False}) == ["consent"]
    answers = {"consent": True, "contact_method": "practice", "life_areas": ["loneliness"], "language": "english"}
    slots = required_slots(answers)
    assert "contact_detail" not in slots and "top_areas" not in slots and "interpreter" not in slots
    assert slots[-1] == "confirmed"
    more = {
        "consent": True,
        "contact_method": "text",
        "life_areas": ["loneliness", "money", "other"],
        "language": "Polish",
    }
    slots = required_slots(more)
    assert {"contact_detail", "top_areas", "life_areas_other", "interpreter"} <= set(slots)


def test_next_question_walks_the_sections_in_order():
    answers: dict = {"consent": True}
    seen = []
    while (key := questions.next_question(answers)) is not None:
        seen.append(key)
        answers[key] = True if key == "confirmed" else "x"
    sections = [questions.section_of(k) for k in seen if questions.section_of(k)]
    order = [s.key for s in questions.SECTIONS]
    assert sections == sorted(sections, key=order.index)
    assert seen[-1] == "confirmed"


def test_a_wrong_nhs_number_is_asked_once_more_then_never_saved():
    first = interpret("nhs_number", "943 476 5918", "inform", {}, attempts=0)
    assert not first.accepted and first.responses == ["utter_invalid_nhs_number"]
    second = interpret("nhs_number", "943 476 5917", "inform", {}, attempts=1)
    assert second.accepted and second.value == "none"  # never a number that could be someone else's
    assert interpret("nhs_number", "943 476 5919", "inform", {}, attempts=1).value == "9434765919"


def test_a_long_change_request_at_the_read_back_names_one_question():
    said = "May I alter how we meet? On reflection I should prefer to meet in person."
    assert keys_to_change(said, confirming=True) == ["meeting_format"]


def test_asking_what_a_link_worker_is_is_answered_and_the_question_asked_again():
    outcome = interpret("contact_method", "what is link worker? is it doctor?", "inform", {})
    assert not outcome.accepted and outcome.responses == ["utter_about_link_worker"]
    consent = interpret("consent", "what's a link worker?", "inform", {})
    assert not consent.accepted and consent.responses[0] == "utter_about_link_worker"


@pytest.mark.parametrize(
    "text, clear",
    [
        ("numbr wrong its 07700900554", ["contact_detail"]),
        ("the email should be jo.b@example.org", ["contact_method", "contact_detail"]),  # from a text to an e-mail
        ("yes 07700 900545 is right", []),  # the number saved: agreement
    ],
)
def test_a_new_number_or_address_at_the_read_back_changes_the_contact_detail(text, clear):
    outcome = interpret("confirmed", text, None, {"contact_method": "text", "contact_detail": "+447700900545"})
    assert outcome.clear == clear and outcome.accepted is not bool(clear)


@pytest.mark.parametrize(
    "text, registered",
    [
        ("havent got one la, never signed up since i moved down", False),
        ("never registered anywhere", False),
        ("not got one", False),
        ("Riverside, I've got one there", True),
        ("no, I am not register. I live in hostel now", False),  # the twelfth set
        ("I not have doctor yet, we are new in Coventry", False),  # the thirteenth set: the reason after a comma
        ("yes Elm Tree, so no need to register", True),  # "no need to register" is no need of a practice
        ("I need to register with a new GP", False),
        ("waiting to register", False),
        ("i need 2 register", False),
        ("not got round to registering yet", False),
    ],
)
def test_not_having_a_practice_in_everyday_words(text, registered):
    value = interpret("gp_practice", text, "inform", {}).value
    assert (value != questions.NOT_REGISTERED) is registered


def test_a_question_back_is_never_saved_as_the_practice():
    """The ninth set: "What is GP practice? ..." was saved as the practice. Asked once, it gets the why and the
    question again; said a second time, it is kept in the person's words for the link worker."""
    said = "What is GP practice? Is it same as university health centre?"
    first = interpret("gp_practice", said, "inform", {})
    assert not first.accepted and first.responses
    assert interpret("gp_practice", said, "inform", {}, attempts=1).value == said
    assert interpret("gp_practice", "the university health centre, is that ok?", "inform", {}).accepted
    # The thirteenth set: "fit's that for?" (Doric for "what's that for?") was saved as the practice
    assert not interpret("gp_practice", "fit's that for?", "inform", {}).accepted
    assert interpret("gp_practice", "Whit Lane surgery", "inform", {}).value == "Whit Lane surgery"


def test_pointing_back_at_what_matters_reads_its_areas():
    """The thirteenth set: "what I just said" at the life areas, right after naming them in what matters most."""
    said = {"what_matters": "somewhere to live, I'm sofa surfing at me mate's. money. and I'm on my own too much"}
    assert interpret("life_areas", "what I just said", None, said).value == ["loneliness", "money", "housing"]
    assert not interpret("life_areas", "what I just said", None, {}).accepted
    assert interpret("life_areas", "what I just said and food", None, said).value == [
        "loneliness",
        "money",
        "housing",
        "food",
    ]


def test_pointing_back_at_the_barriers_reads_what_made_things_hard():
    """A second read: "like I said" at the barriers points at the question just before, not at what matters."""
    said = {"what_matters": "money worries", "barriers_text": "my knees and the buses are rubbish"}
    assert interpret("barrier_options", "like I said", None, said).value == ["transport", "pain_mobility"]


@pytest.mark.parametrize(
    "said",
    [
        "May I ask who will be reading this?",
        "who sees this?",
        "is this confidential?",
        "Who gets to read what I put?",
        "is this going on my record?",  # the fifteenth set
    ],
)
def test_asking_who_reads_at_an_open_question_is_told_and_asked_again(said):
    """The fourteenth set: "May I ask who will be reading this?" was saved as what matters most."""
    outcome = interpret("what_matters", said, "inform", {})
    assert not outcome.accepted and outcome.responses == ["utter_why_general"]


@pytest.mark.parametrize(
    "said", ["my mum, who will see her when I'm at work?", "who reads this? my husband drinks and I'm scared"]
)
def test_a_question_about_someone_or_beside_an_answer_is_the_answer(said):
    assert interpret("what_matters", said, "inform", {}).value == said


@pytest.mark.parametrize(
    "said, change",
    [
        ("yes but my name is Pauline", ["preferred_name"]),  # a review's case: sent with the old name before
        ("Confirm but my name is Pauline", ["preferred_name"]),
        ("yes but the number is 07700 900456", ["contact_detail"]),
        ("yes my name's actually Pauline, thanks", ["preferred_name"]),  # read as at the name question
        ("yes but my name is Pauline and the rest is fine", ["preferred_name"]),
        ("yes but the name is Pauline", ["preferred_name"]),
        ("yes but it's Pauline not Paula", ["preferred_name"]),  # the saved name turned down
        ("yes, Pauline not Paula", ["preferred_name"]),
    ],
)
def test_a_yes_at_the_read_back_with_a_new_value_beside_it_is_a_change(said, change):
    saved = {"preferred_name": "Paula", "contact_method": "text", "contact_detail": "+447700900123"}
    outcome = interpret(questions.CONFIRMED, said, None, saved)
    assert not outcome.accepted and outcome.clear == change


@pytest.mark.parametrize(
    "said",
    [
        "yes that's right, my name is Paula",
        "yes, my name is spelt Paula",
        "yes please",
        "yes my name is Paula x",
        "yes, not Paula's fault it took so long",
    ],
)
def test_a_yes_at_the_read_back_with_the_saved_value_beside_it_sends(said):
    saved = {"preferred_name": "Paula", "contact_method": "text", "contact_detail": "+447700900123"}
    outcome = interpret(questions.CONFIRMED, said, None, saved)
    assert outcome.accepted and outcome.value is True


@pytest.mark.parametrize(
    "saved, said, change",
    [("Sian", "yes but my name is spelt Siân", ["preferred_name"]), ("Siân", "yes, my name is Siân", [])],
)
def test_a_name_at_the_read_back_is_read_in_any_alphabet(saved, said, change):
    outcome = interpret(questions.CONFIRMED, said, None, {"preferred_name": saved})
    assert (outcome.clear or []) == change
