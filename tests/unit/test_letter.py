"""The letter to the GP practice: its words from the intake document (pure), and how the page and
the PDF show them (the person's words as typed, never as markup)."""

from __future__ import annotations

import io
import re

import aiohttp_jinja2
import pytest
from pypdf import PdfReader

from bot.letter.content import NOT_RECORDED, NotClosed, band, build_letter, letter_text
from bot.letter.pdf import render_pdf
from bot.settings import Settings
from bot.web.app import create_app

SCRIPT = "<script>alert('words')</script> & <b>bold</b>"


def _document(**changes) -> dict:
    """An intake document as `bot.queue.read.intake_document` gives it, closed, for Mrs C."""
    document = {
        "reference": "WM-7K2Q9P",
        "status": "submitted",
        "submitted_at": "2026-03-03T10:15:00+00:00",
        "summary": {
            "about": {"preferred_name": "Carol", "gp_practice": "Riverside Surgery"},
            "what_matters": "I want to lose weight and keep my blood pressure down",
            "life_areas": {
                "chosen_labels": ["Physical activity and weight", "A long-term health condition", "Money"],
                "top_labels": ["Physical activity and weight", "A long-term health condition"],
            },
            "wellbeing_ons4": {"life_satisfaction": 6, "worthwhile": 7, "happy": 9, "anxious": 4},
        },
        "closing": {
            "outcome": "plan_agreed",
            "offered": "A walking group on Tuesdays\nA weight management course",
            "taken_up": "The walking group",
            "closed_at": "2026-03-20T15:40:00+00:00",
            "link_worker": "sam@practice.nhs.uk",
        },
    }
    document.update(changes)
    return document


@pytest.mark.parametrize(
    "key, bands",
    [
        ("ons_life_satisfaction", ["low"] * 5 + ["medium"] * 2 + ["high"] * 2 + ["very high"] * 2),
        ("ons_worthwhile", ["low"] * 5 + ["medium"] * 2 + ["high"] * 2 + ["very high"] * 2),
        ("ons_happy", ["low"] * 5 + ["medium"] * 2 + ["high"] * 2 + ["very high"] * 2),
        ("ons_anxious", ["very low"] * 2 + ["low"] * 2 + ["medium"] * 2 + ["high"] * 5),
    ],
)
def test_every_score_falls_in_the_ons_band(key, bands):
    assert [band(key, score) for score in range(11)] == bands


def test_mrs_c_letter_says_what_mattered_what_was_offered_and_taken_up():
    letter = build_letter(_document())
    assert dict(letter.details) == {
        "To": "The GP practice: Riverside Surgery",
        "About": "Carol",
        "Reference": "WM-7K2Q9P",
        "Referral received": "3 March 2026",
        "Closed": "20 March 2026",
    }
    matters = letter.section("what_matters")
    assert matters.heading == "What matters to Carol"
    assert matters.quote == "I want to lose weight and keep my blood pressure down"
    assert matters.lines == (
        "The areas of life that matter most to them: Physical activity and weight, A long-term health condition.",
    )
    assert letter.section("outcome").lines == ("Plan agreed (closed on 20 March 2026).",)
    assert letter.section("offered").lines == ("A walking group on Tuesdays\nA weight management course",)
    assert letter.section("taken_up").lines == ("The walking group",)
    assert [(s.measure, s.before) for s in letter.scores] == [
        ("Life satisfaction", "6 out of 10 (medium)"),
        ("Feeling things done in life are worthwhile", "7 out of 10 (high)"),
        ("Happiness yesterday", "9 out of 10 (very high)"),
        ("Anxiety yesterday (higher means more anxious)", "4 out of 10 (medium)"),
    ]
    assert (letter.code, letter.code_display) == ("871731000000106", "Referral to social prescribing service")
    assert "871731000000106" in letter.record_line and "sam@practice.nhs.uk" in letter.sign_off


def test_no_follow_up_scores_yet_leaves_the_column_out():
    letter = build_letter(_document())
    assert not letter.follow_up_measured and letter.score_columns == ("Measure", "At the start")
    assert "Scores at follow-up: not yet measured." in letter.scores_note
    later = build_letter(_document(), follow_up={"ons_life_satisfaction": 8, "ons_anxious": 2})
    assert later.follow_up_measured and later.score_columns[-1] == "At follow-up"
    assert [s.after for s in later.scores] == [
        "8 out of 10 (high)",
        "Not answered",
        "Not answered",
        "2 out of 10 (low)",
    ]
    assert "not yet measured" not in later.scores_note


@pytest.mark.parametrize(
    "changes",
    [
        {"closing": {**_document()["closing"], "outcome": "declined"}},  # said no to the link worker
        {"status": "declined"},  # said no at the end of the intake (kept only because of a disclosure)
    ],
)
def test_a_decline_is_coded_as_declined(changes):
    letter = build_letter(_document(**changes))
    assert (letter.code, letter.code_display) == ("871711000000103", "Social prescribing declined")
    assert "871731000000106" not in letter_text(letter)


def test_missing_answers_are_said_plainly():
    document = _document(
        submitted_at=None,
        summary={"about": {}, "what_matters": None, "life_areas": {}, "wellbeing_ons4": {"happy": 5}},
        closing={"outcome": "not_reachable", "offered": "  ", "taken_up": None, "closed_at": None, "link_worker": None},
    )
    letter = build_letter(document)
    details = dict(letter.details)
    assert details["About"] == "Name not given" and "practice not given" in details["To"]
    assert details["Referral received"] == "Not completed"
    matters = letter.section("what_matters")
    assert matters.heading == "What matters to them" and matters.quote is None
    assert matters.lines == ("They did not answer this question.",)
    assert letter.section("offered").lines == (NOT_RECORDED,) == letter.section("taken_up").lines
    assert letter.section("outcome").lines == ("Not reachable.",)
    assert [s.before for s in letter.scores] == ["Not answered", "Not answered", "5 out of 10 (medium)", "Not answered"]
    assert letter.opening.startswith("The person was referred")
    assert letter.sign_off == "From the social prescribing link worker service (What Matters)."


def test_an_open_item_has_no_letter():
    with pytest.raises(NotClosed):
        build_letter(_document(closing=None))


def test_the_letter_speaks_of_the_person_never_to_the_reader():
    """Plain words for the practice: no "you" anywhere in the letter's own wording."""
    text = letter_text(build_letter(_document()))
    assert re.findall(r"\byou(r|rs|rself)?\b", text, re.IGNORECASE) == []


def _words_everywhere(words: str) -> dict:
    return _document(
        summary={**_document()["summary"], "what_matters": words, "about": {"preferred_name": words}},
        closing={**_document()["closing"], "offered": words, "taken_up": words},
    )


def test_the_persons_words_are_kept_as_typed():
    letter = build_letter(_words_everywhere(SCRIPT))
    assert letter.section("what_matters").quote == SCRIPT and letter.section("offered").lines == (SCRIPT,)


def test_the_page_shows_markup_as_text():
    environment = aiohttp_jinja2.get_env(create_app(Settings()))
    html = environment.get_template("letter.html").render(
        letter=build_letter(_words_everywhere(SCRIPT)), standalone=True
    )
    assert "<script>alert" not in html and "<b>bold" not in html
    assert "&lt;script&gt;alert(&#39;words&#39;)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;" in html
    assert "Back to the summary" not in html and "Print this letter" not in html  # standalone: the letter alone


def _pdf_text(pdf: bytes) -> tuple[int, str]:
    reader = PdfReader(io.BytesIO(pdf))
    return len(reader.pages), "\n".join(page.extract_text() for page in reader.pages)


def test_the_pdf_prints_markup_as_typed_on_one_page():
    pdf = render_pdf(build_letter(_words_everywhere(SCRIPT)))
    assert pdf.startswith(b"%PDF-")
    pages, text = _pdf_text(pdf)
    assert pages == 1 and text.count("<script>alert('words')</script>") >= 4 and "&amp;" not in text


def test_mrs_c_pdf_is_one_page_and_the_same_each_time():
    letter = build_letter(_document())
    pdf = render_pdf(letter)
    pages, text = _pdf_text(pdf)
    assert pages == 1
    for expected in ["WM-7K2Q9P", "Riverside Surgery", "keep my blood pressure down", "A weight management course"]:
        assert expected in text, expected
    assert "871731000000106" in text and "9 out of 10 (very high)" in text
    assert render_pdf(letter) == pdf  # invariant: no timestamps or random ids


def test_a_long_letter_takes_two_pages_at_most():
    """Long but real: a paragraph of what matters, and several offers and what came of each."""
    long = " ".join(["I have been on my own since my wife died and the days are very long."] * 8)
    offers = "\n".join(
        f"Offer {n}: a group that meets weekly at the community centre, with a volunteer." for n in range(10)
    )
    document = _words_everywhere(long)
    document["closing"] = {**document["closing"], "offered": offers, "taken_up": offers[:500]}
    pages, text = _pdf_text(render_pdf(build_letter(document)))
    assert 1 <= pages <= 2 and "Offer 9" in text


def test_a_person_with_no_gp_gets_a_letter_for_the_practice_they_register_with():
    document = _document()
    document["summary"]["about"]["gp_practice"] = "Not registered with a GP"
    to = dict(build_letter(document).details)["To"]
    assert to.startswith("Not registered with a GP") and "register with" in to and "The GP practice:" not in to
