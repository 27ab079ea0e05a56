"""The link worker's summary: structured, in the patient's words, never summed."""

from bot.intake.summary import build_summary, conversation_openers, summary_text


def _a(value, verbatim=None, status="answered"):
    return {"value": value, "verbatim": verbatim if verbatim is not None else str(value), "status": status}


ANSWERS = {
    "preferred_name": _a("Carol"),
    "contact_method": _a("phone", "Phone call"),
    "contact_detail": _a("+447700900123", "07700 900123"),
    "what_matters": _a("I want to lose weight and keep my blood pressure down"),
    "life_areas": _a(["activity", "long_term_condition", "loneliness"], "2, 11 and 1"),
    "top_areas": _a(["activity"], "activity"),
    "ons_life_satisfaction": _a(5, "5"),
    "ons_worthwhile": _a(6, "six"),
    "ons_happy": _a(7, "about a 7"),
    "ons_anxious": _a(8, "8/10"),
    "enjoys": _a("Being outdoors"),
    "support_network": _a(None, "skip", status="skipped"),
    "barriers_text": _a("The gym is for younger, fitter people. Jogging hurt my knees."),
    "barrier_options": _a(["confidence", "pain_mobility"], "confidence, pain"),
    "wants_company": _a(True, "yes please"),
    "goal": _a("Walking with others every week"),
}


def test_summary_holds_verbatim_words_and_separate_ons4_scores():
    summary = build_summary(ANSWERS, [], "WM-ABC234", "rest")
    assert summary["what_matters"] == "I want to lose weight and keep my blood pressure down"
    assert summary["barriers"]["in_their_words"] == "The gym is for younger, fitter people. Jogging hurt my knees."
    assert summary["wellbeing_ons4"] == {"life_satisfaction": 5, "worthwhile": 6, "happy": 7, "anxious": 8}
    assert "total" not in str(summary["wellbeing_ons4"])
    assert summary["life_areas"]["top"] == ["activity"]
    assert summary["preferences"]["wants_someone_to_go_with_them"] is True
    assert summary["skipped"] == ["support_network"]
    assert summary["strengths"]["support_network"] is None


def test_top_areas_default_to_the_chosen_ones_when_there_were_two_or_fewer():
    answers = {**ANSWERS, "life_areas": _a(["money", "housing"])}
    del answers["top_areas"]
    assert build_summary(answers)["life_areas"]["top"] == ["money", "housing"]


def test_openers_draw_on_the_answers():
    openers = conversation_openers(build_summary(ANSWERS))
    assert 2 <= len(openers) <= 3
    assert any("physical activity" in o.lower() for o in openers)
    assert any("go with you" in o for o in openers)


def test_flags_are_carried_with_their_message():
    summary = build_summary(ANSWERS, [{"kind": "safeguarding", "category": "suicide", "message": "I want to end it"}])
    assert summary["flags"] == [{"kind": "safeguarding", "category": "suicide", "message": "I want to end it"}]
    assert "FLAG (safeguarding): I want to end it" in summary_text(ANSWERS, summary["flags"])


def test_text_summary_reads_in_words_not_codes():
    text = summary_text(ANSWERS)
    assert "Contact by: Phone call" in text
    assert "Anxious yesterday: 8 out of 10" in text
    assert "Support around you: Not answered" in text  # read back to the patient: second person
    assert " them" not in text.replace("Support around you", "")
    assert "Someone to go with you the first time: Yes" in text
    assert "long_term_condition" not in text
