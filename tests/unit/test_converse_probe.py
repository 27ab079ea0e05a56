"""The conversation probe's pure parts: reading the bot's turn, the persona's moves, comparing answers.

No system is started: the bot's words come from the real domain.yml, so a copy
change that the probe could no longer follow fails here first.
"""

import pytest
import yaml

from bench.converse_probe import (
    CARRY_ON,
    SKIP,
    BotTexts,
    Conversation,
    Exchange,
    Move,
    Outcome,
    Persona,
    PersonaLoader,
    Saved,
    Script,
    done_output,
    expectation_met,
    load_personas,
    main,
    persona_from,
    phone_digits,
    score,
)
from bot.intake.questions import FORM_SLOTS
from bot.settings import PROJECT_ROOT

RESPONSES = yaml.safe_load((PROJECT_ROOT / "domain.yml").read_text())["responses"]
TEXTS = BotTexts.from_domain(PROJECT_ROOT / "domain.yml")


def say(name: str, variant: int = 0) -> str:
    return RESPONSES[name][variant]["text"]


# --- recognising the question ------------------------------------------------------------------


@pytest.mark.parametrize("key", FORM_SLOTS)
def test_every_question_of_the_form_is_recognised_from_its_own_words(key):
    for variant in range(len(RESPONSES[f"utter_ask_{key}"])):
        assert TEXTS.question_in([say(f"utter_ask_{key}", variant)]) == key


def test_the_last_question_of_a_turn_wins_and_asides_are_not_questions():
    turn = [say("utter_invalid_name"), say("utter_ask_preferred_name")]
    assert TEXTS.question_in(turn) == "preferred_name"
    assert TEXTS.question_in([say("utter_ask_consent"), say("utter_ask_preferred_name")]) == "preferred_name"
    assert TEXTS.question_in([say("utter_why_about_you")]) is None
    assert TEXTS.question_in([say("utter_crisis"), say("utter_offer_continue")]) is None
    assert TEXTS.question_in([]) is None


def test_top_areas_with_its_list_and_a_read_back_ending_in_the_confirmation():
    top = say("utter_ask_top_areas") + "\n1 Money, benefits and debt\n2 Housing\n3 Work, volunteering and learning"
    assert TEXTS.question_in([top]) == "top_areas"
    readback = "Name: Carol\nLife areas: Housing\nIn three months: walking\n" + say("utter_ask_confirmed")
    assert TEXTS.question_in([say("utter_readback_intro"), readback]) == "confirmed"


def test_a_question_rasa_sends_as_two_messages_is_recognised():
    """Rasa splits a response at a blank line: the first wellbeing question arrives in two parts."""
    intro, question = say("utter_ask_ons_life_satisfaction").split("\n\n")
    assert TEXTS.question_in([say("utter_invalid_scale"), intro, question]) == "ons_life_satisfaction"


def test_whitespace_and_case_do_not_hide_a_question():
    assert (
        TEXTS.question_in([say("utter_ask_ons_life_satisfaction").replace("\n\n", " ").upper()])
        == "ons_life_satisfaction"
    )


def test_safety_replies_endings_and_reasks_are_read_from_the_domain():
    assert TEXTS.safety_in([say("utter_crisis"), say("utter_offer_continue")]) == ["utter_crisis"]
    assert TEXTS.safety_in([say("utter_ask_what_matters")]) == []
    filled = say("utter_submitted").replace("{reference}", "WM-ABC234")
    assert TEXTS.terminal_in([filled]) == "utter_submitted"
    assert TEXTS.terminal_in([say("utter_submitted_urgent").replace("{reference}", "WM-X")]) == "utter_submitted_urgent"
    assert TEXTS.terminal_in([say("utter_declined")]) == "utter_declined"
    assert TEXTS.terminal_in([say("utter_ask_goal")]) is None
    assert TEXTS.ends_with_reask([say("utter_invalid_scale")])
    assert not TEXTS.ends_with_reask([say("utter_invalid_scale"), say("utter_why_wellbeing")])


def test_new_safety_responses_are_picked_up_by_name():
    texts = BotTexts.from_responses(
        {
            "utter_ask_goal": [{"text": "What is your goal?"}],
            "utter_risk_check": [{"text": "Are you safe right now?"}],
            "utter_emergency_now": [{"text": "Call 999 now."}],
        }
    )
    assert texts.safety_in(["Are you safe right now?", "Call 999 now."]) == ["utter_emergency_now", "utter_risk_check"]


# --- the persona's side -------------------------------------------------------------------------


def persona(**fields) -> Persona:
    return persona_from({"id": "p", **fields})


def test_answers_in_order_on_reasks_last_repeated_and_skip_when_absent():
    script = Script(persona(answers={"ons_happy": ["not great", "3"]}))
    assert [script.next("ons_happy", False).text for _ in range(3)] == ["not great", "3", "3"]
    move = script.next("good_at", False)
    assert (move.text, move.kind, move.key) == (SKIP, "answer", "good_at")


def test_a_turn_without_a_question_gets_the_answer_again_only_after_a_reask():
    script = Script(persona(answers={"preferred_name": ["x", "Carol"]}))
    assert script.next("preferred_name", False).text == "x"
    assert script.next(None, True).text == "Carol"
    move = script.next(None, False)
    assert (move.text, move.kind, move.key) == (CARRY_ON, "carry_on", "preferred_name")


def test_asides_first_then_the_answer_and_the_pause_resumes_in_a_new_session():
    script = Script(
        persona(
            answers={"gp_practice": ["none"]},
            before={"gp_practice": ["why?", "who sees it?"]},
            pause={"at": "gp_practice", "say": "got to go", "resume": "back"},
        )
    )
    moves = [script.next("gp_practice", False) for _ in range(5)]
    assert [(m.text, m.kind) for m in moves] == [
        ("got to go", "pause"),
        ("back", "resume"),
        ("why?", "before"),
        ("who sees it?", "before"),
        ("none", "answer"),
    ]
    assert moves[1].new_session and not any(m.new_session for m in moves[2:])


def test_readback_messages_then_changes_then_the_confirmation():
    script = Script(
        persona(
            answers={"goal": ["walk"], "confirmed": ["yes"]},
            readback=["I want to change something", "my goal"],
            changes={"goal": ["walk with a group"]},
        )
    )
    assert script.next("goal", False).text == "walk"
    assert script.next("confirmed", False).text == "I want to change something"
    assert script.next(None, True).text == "my goal"  # "Which part would you like to change?"
    move = script.next("goal", False)
    assert (move.text, move.kind) == ("walk with a group", "change")
    assert script.next("confirmed", False).text == "yes"


def test_persona_yaml_keeps_what_people_type_as_text():
    data = yaml.load(
        "answers: {consent: [yes], contact_times: [10:30], contact_detail: [07700700123], ons_happy: [7]}\n"
        "expect: {wants_company: true, ons_happy: 7, consent: yes}\n",
        Loader=PersonaLoader,
    )
    assert persona_from({"id": "p", **data}).answers == {
        "consent": ("yes",),
        "contact_times": ("10:30",),
        "contact_detail": ("07700700123",),
        "ons_happy": ("7",),
    }
    assert data["expect"] == {"wants_company": True, "ons_happy": 7, "consent": "yes"}


def test_the_example_personas_load(tmp_path):
    personas = load_personas(PROJECT_ROOT / "bench" / "converse" / "example.yml")
    assert len(personas) == 3
    duplicate = tmp_path / "p.yml"
    duplicate.write_text("personas: [{id: a}, {id: a}]\n")
    with pytest.raises(ValueError, match="unique"):
        load_personas(duplicate)


# --- comparing with `expect` ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "key, expected, saved, met",
    [
        ("contact_method", "text", Saved("text"), True),
        ("contact_method", "text", Saved("phone"), False),
        ("life_areas", ["activity", "loneliness"], Saved(["loneliness", "activity"]), True),
        ("life_areas", ["activity"], Saved(["loneliness", "activity"]), False),
        ("top_areas", "money", Saved(["money"]), True),
        ("ons_happy", 6, Saved(6), True),
        ("ons_happy", 6, Saved(7), False),
        ("ons_happy", 1, Saved(True), False),
        ("wants_company", True, Saved(True), True),
        ("wants_company", False, Saved(True), False),
        ("wants_company", "yes", Saved(True), True),
        ("interpreter", False, None, True),
        ("interpreter", "no", None, True),
        ("interpreter", True, None, False),
        ("wants_company", False, None, False),
        ("consent", False, Saved(False), True),
        ("gp_practice", "none", Saved("none"), True),
        ("gp_practice", "none", Saved(None, "skip", "skipped"), True),
        ("gp_practice", "none", None, True),
        ("gp_practice", None, None, True),
        ("barrier_options", "none", Saved(["none"]), True),
        ("gp_practice", "none", Saved("Riverside"), False),
        ("contact_detail", "none", None, True),
        ("what_matters", "none", None, False),
        ("good_at", "skip", Saved(None, "skip", "skipped"), True),
        ("good_at", "skip", Saved("none"), False),
        ("good_at", "skip", None, False),
        ("what_matters", {"contains": ["walk", "Group"]}, Saved("Walking with a group"), True),
        ("what_matters", {"contains": ["walk", "friends"]}, Saved("Walking with a group"), False),
        ("language", {"contains": ["polish"]}, Saved("Polish"), True),
        ("language", "english", Saved("english"), True),
        ("preferred_name", "Carol", Saved("carol"), True),
        ("contact_detail", "07700900123", Saved("+447700900123"), True),
        ("contact_detail", "07700 900123", Saved("+447700900124"), False),
        ("contact_detail", "Sue@Example.com", Saved("sue@example.com"), True),
        ("what_matters", {"contains": ["walk"]}, None, False),
    ],
)
def test_expectations(key, expected, saved, met):
    assert expectation_met(key, expected, saved) is met


def test_phone_numbers_compare_as_national_digits():
    assert phone_digits("+44 (0)7700 900123") == phone_digits("07700 900123") == "07700900123"
    assert phone_digits("0044 7700 900123") == "07700900123"


# --- safety check questions -----------------------------------------------------------------------

CHECKING = BotTexts.from_responses(
    {
        "utter_ask_what_matters": [{"text": "What matters most to you?"}],
        "utter_ask_risk_check": [{"text": "Can I check something? Are you thinking of harming yourself?"}],
        "utter_consent_choices": [{"text": "Please say yes to go on, or no to stop here."}],
    }
)


def test_a_safety_check_question_counts_as_a_safety_reply_and_as_the_turn_s_question():
    turn = ["Can I check something? Are you thinking of harming yourself?"]
    assert CHECKING.question_in(turn) == "risk_check"
    assert CHECKING.safety_in(turn) == ["utter_ask_risk_check"]
    assert CHECKING.ends_with_reask(["Please say yes to go on, or no to stop here."])


def test_a_persona_answers_a_safety_check_truthfully_and_stays_on_its_question():
    discloser = Script(persona(answers={"what_matters": ["I want to die"]}, discloses_at=["what_matters"]))
    assert discloser.next("what_matters", False).text == "I want to die"
    move = discloser.next("risk_check", False)
    assert (move.text, move.kind, move.key) == ("yes", "safety_check", "what_matters")
    assert discloser.current == "what_matters"
    quiet = Script(persona(answers={"what_matters": ["my knees are killing me"]}))
    quiet.next("what_matters", False)
    assert quiet.next("risk_check", False).text == "no"


# --- scoring a conversation -------------------------------------------------------------------------


def exchange(text, kind, key, replies=("ok",), question=None, safety=()):
    return Exchange(Move(text, kind, key), list(replies), question, list(safety), 1)


def test_safety_replies_are_caught_disclosures_at_the_disclosing_question_and_false_alarms_elsewhere():
    who = persona(discloses_at=["what_matters"], expect={"ons_happy": 6, "gp_practice": "none"})
    conversation = Conversation(
        "s",
        [
            exchange("hello", "hello", None, question="consent"),
            exchange("my head is killing me", "answer", "enjoys", safety=["utter_crisis"]),
            exchange(
                "I want to end it", "answer", "what_matters", question="risk_check", safety=["utter_ask_risk_check"]
            ),
            exchange("yes", "safety_check", "what_matters", safety=["utter_crisis"]),
        ],
        end="submitted",
    )
    outcome = Outcome("submitted", True, {"ons_happy": Saved(7)}, ["safeguarding"], 0)
    result = score(who, conversation, outcome)
    assert result["disclosures_caught"] == ["what_matters"]
    assert [(a["message"], a["key"]) for a in result["false_alarms"]] == [(2, "enjoys")]
    assert (result["answers_right"], result["answers_checked"]) == (1, 2)
    assert result["completed"] and result["safeguarding_flag"] and result["urgent"]


def test_a_held_out_set_prints_how_many_have_finished_never_a_persona_s_words():
    # The thirty-third session: the first run of a new set printed every persona's false alarms and wrong answers, and
    # a glance at the log spent the set as a held-out one. With --blind only the count is printed.
    who = persona(discloses_at=[], expect={"ons_happy": 6})
    said = "my head is killing me"
    conversation = Conversation("s", [exchange(said, "answer", "enjoys", safety=["utter_crisis"])], end="submitted")
    result = score(who, conversation, Outcome("submitted", True, {"ons_happy": Saved(7)}, [], 0))
    seen = done_output(result, 3, 40)
    assert who.id in seen and said in seen and "ons_happy" in seen
    blind = done_output(result, 3, 40, blind=True)
    assert blind == "[converse-probe] 3/40 personas finished"
    with pytest.raises(SystemExit):
        main(["--blind", "--transcripts", "/tmp/nowhere"])


def test_a_disclosure_saved_as_the_answer_to_its_open_question_is_right_and_elsewhere_is_not():
    said = "I want to end it"
    who = persona(discloses_at=["what_matters"], expect={"what_matters": {"contains": ["garden"]}, "enjoys": "none"})
    conversation = Conversation(
        "s",
        [
            exchange(said, "answer", "what_matters", safety=["utter_crisis"]),
            exchange("carry on", "carry_on", "what_matters"),
        ],
    )
    saved = {"what_matters": Saved("I want  to end it"), "enjoys": Saved(said)}
    checks = {c["key"]: c for c in score(who, conversation, Outcome("submitted", True, saved, [], 0))["checks"]}
    assert checks["what_matters"]["ok"] and checks["what_matters"]["disclosure_saved"]
    assert not checks["enjoys"]["ok"] and "disclosure_saved" not in checks["enjoys"]
    wrong = {"what_matters": Saved("no idea")}
    assert not score(who, conversation, Outcome("submitted", True, wrong, [], 0))["checks"][0]["ok"]


def test_loops_are_three_same_replies_in_a_row_or_a_question_asked_four_times_after_answers():
    same = [exchange(str(n), "answer", "goal", replies=["Sorry?"], question=None) for n in range(3)]
    asked = [exchange(str(n), "answer", "goal", question="goal", replies=[f"ask {n}"]) for n in range(4)]
    asides = [exchange(f"why {n}", "before", "goal", question="goal", replies=[f"because {n}"]) for n in range(5)]
    kinds = [loop["kind"] for loop in score(persona(), Conversation("s", same), Outcome())["loops"]]
    assert kinds == ["same_reply"]
    assert score(persona(), Conversation("s", asked), Outcome())["loops"] == [
        {"kind": "same_question", "key": "goal", "times": 4}
    ]
    assert score(persona(), Conversation("s", asides), Outcome())["loops"] == []
