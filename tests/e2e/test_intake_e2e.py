"""End to end over Rasa's REST channel: the real model, servers and database.

Each test runs on SQLite and on PostgreSQL (the `db_system` fixture).
"""

from __future__ import annotations

import json
import re

import pytest

from bench.patients import MRS_C, MRS_C_BARRIERS, answering
from tests.support.system import Patient, query, whatmatters


@pytest.fixture(scope="module")
def system(db_system):
    return db_system


def _intake(system, sender):
    rows = query(
        system, "SELECT id, reference, status, summary, channel FROM intakes WHERE conversation_id=:s", s=sender
    )
    return rows[0] if rows else None


def test_mrs_c_intake_reaches_the_queue_with_her_barriers_and_wish_for_company(system):
    patient = Patient(system.settings)
    last = patient.converse(answering(MRS_C))
    reference = re.search(r"WM-[A-Z0-9]{6}", last).group(0)

    intake_id, ref, status, summary, channel = _intake(system, patient.sender)
    assert (ref, status, channel) == (reference, "submitted", "rest")
    summary = summary if isinstance(summary, dict) else json.loads(summary)
    assert summary["barriers"]["in_their_words"] == MRS_C_BARRIERS
    assert summary["preferences"]["wants_someone_to_go_with_them"] is True
    assert summary["preferences"]["home_area"] == "QW3", "where she lives, for offers near her"
    assert summary["what_matters"] == "I want to lose weight and keep my blood pressure down"
    assert summary["wellbeing_ons4"] == {"life_satisfaction": 6, "worthwhile": 7, "happy": 7, "anxious": 4}
    assert "activity" in summary["life_areas"]["chosen"]

    rows = json.loads(whatmatters(system.settings, "queue", "list", "--json"))["items"]
    mine = [r for r in rows if r["reference"] == reference]
    assert len(mine) == 1 and mine[0]["first_name"] == "Carol" and not mine[0]["urgent"]
    shown = json.loads(whatmatters(system.settings, "intake", "show", reference, "--json"))
    assert shown["summary"]["barriers"]["in_their_words"] == MRS_C_BARRIERS
    assert "Jogging hurt my knees" not in system.log_path.read_text(), "patient text reached the logs"


def test_risk_in_the_middle_of_wellbeing_gets_the_crisis_reply_and_tops_the_queue(system):
    Patient(system.settings).converse(answering(MRS_C))  # a routine item already waiting
    patient = Patient(system.settings)
    patient.say("hello")
    patient.say("yes")
    # An answer the reader is sure is ordinary, so the only risk here is the one under test.
    for answer in ("Jo", "Through the practice", "skip", "skip", "skip", "skip", "getting out a bit more", "1"):
        patient.say(answer)
    reply = Patient.text(patient.say("Some days I don't want to be here any more"))
    for must in ("999", "111", "option 2", "116 123", "85258"):
        assert must in reply, f"{must} missing from the crisis reply: {reply}"
    assert "satisfied are you with your life" not in reply.lower(), "no question fired straight after a crisis reply"
    assert "carry on" in reply.lower(), "the bot offers to carry on when the person is ready"

    rows = json.loads(whatmatters(system.settings, "queue", "list", "--json"))["items"]
    _, reference, *_ = _intake(system, patient.sender)
    assert rows[0]["reference"] == reference and rows[0]["urgent"] is True
    text = whatmatters(system.settings, "queue", "list")
    assert text.splitlines()[1].startswith("URGENT") and reference in text.splitlines()[1]
    [flag] = query(
        system,
        "SELECT kind, message FROM flags JOIN intakes ON intakes.id = flags.intake_id WHERE conversation_id=:s",
        s=patient.sender,
    )
    assert flag == ("safeguarding", "Some days I don't want to be here any more")

    reply = Patient.text(patient.say("ok, let's carry on"))
    assert "satisfied are you with your life" in reply.lower(), "the same question, once the person is ready"
    reply = Patient.text(patient.say("6"))
    assert "worthwhile" in reply.lower(), "the intake carries on after the crisis reply"
    keys = [
        k
        for (k,) in query(
            system,
            "SELECT question_key FROM answers JOIN intakes ON intakes.id = answers.intake_id WHERE conversation_id=:s",
            s=patient.sender,
        )
    ]
    assert "ons_life_satisfaction" in keys and len(keys) == len(set(keys))


def test_someone_with_no_phone_is_reached_where_they_go_and_coming_back_answers_nothing(system):
    """Reach: no phone, no e-mail, maybe no GP; the link worker can still find them at the food bank.
    And "ok I'm back", after a pause the bot did not see, is welcomed, not saved as the answer, while
    "ok let's go" to "are you happy to go on?" is the yes it says."""
    patient = Patient(system.settings)
    patient.say("hello")
    asked = Patient.text(patient.say("ok let's go")).lower()
    assert "welcome back" not in asked, "to 'are you happy to go on?', 'let's go' is the yes"
    asked = Patient.text(patient.say("Jo")).lower()
    assert "get in touch" in asked
    reply = Patient.text(patient.say("ok I'm back")).lower()
    assert "welcome back" in reply and "get in touch" in reply, reply
    reply = Patient.text(patient.say("food bank please, no phone")).lower()
    assert "food bank" in reply and "when are you usually there" in reply, reply
    reply = Patient.text(patient.say("St Mark's food bank, Tuesdays after 10")).lower()
    assert "gp practice" in reply and "best time" not in reply, "the place question already asked when"
    saved = dict(
        query(
            system,
            "SELECT question_key, value FROM answers JOIN intakes ON intakes.id = answers.intake_id "
            "WHERE conversation_id=:s",
            s=patient.sender,
        )
    )
    # SQLite gives the JSON column back as text, PostgreSQL as the value itself.
    values = {k: json.loads(v) if system.settings.database_url.startswith("sqlite") else v for k, v in saved.items()}
    assert values["contact_method"] == "place"
    assert values["contact_detail"] == "St Mark's food bank, Tuesdays after 10"


def test_bad_input_gets_a_clear_answer_and_is_never_stored(system):
    patient = Patient(system.settings)
    secret = "SECRET-PATIENT-TEXT-42"
    cases = [
        ({"sender": patient.sender, "message": ""}, 400),
        ({"sender": patient.sender, "message": "   "}, 400),
        ({"sender": patient.sender, "message": {"text": secret}}, 400),
        ({"sender": patient.sender, "message": [secret]}, 400),
        ({"sender": patient.sender, "message": 42}, 400),
        ({"sender": "", "message": "hello"}, 400),
        ({"sender": "<script>", "message": "hello"}, 400),
        ({"sender": patient.sender, "message": "x" * 5000}, 413),
        ([secret], 400),
    ]
    for body, status in cases:
        code, answer = patient.post(body)
        assert code == status, (body if len(str(body)) < 200 else "huge", code, answer)
        assert "message" in answer or "sender" in answer or "JSON" in answer
    for raw in (b"\xff\xfe\x00binary", b"{not json", b""):
        code, _ = patient.post(None, raw=raw)
        assert code == 400
    assert _intake(system, patient.sender) is None
    assert secret not in system.log_path.read_text()


def test_awkward_answers_are_kept_exactly_as_typed(system):
    patient = Patient(system.settings)
    awkward = "<b>Bold</b> '; DROP TABLE answers; -- 😀 Je veux marcher, مرحبا"
    # The risk reader may ask its check question about text this odd; after a clear no the answer it
    # held back is saved, and must be saved exactly as typed too.
    patient.converse(
        answering(MRS_C, {"what matters most to you at the moment": awkward, "are you thinking of harming": "no"})
    )
    [(verbatim,)] = query(
        system,
        "SELECT verbatim FROM answers JOIN intakes ON intakes.id = answers.intake_id "
        "WHERE conversation_id=:s AND question_key='what_matters'",
        s=patient.sender,
    )
    assert verbatim == awkward


def test_turns_stay_lean(system):
    """Turn cost grows with tracker length (docs/rasa-traps.md): keep events per turn bounded."""
    patient = Patient(system.settings)
    patient.converse(answering(MRS_C))
    [(total,)] = query(system, "SELECT COUNT(*) FROM events WHERE sender_id=:s", s=patient.sender)
    [(user,)] = query(system, "SELECT COUNT(*) FROM events WHERE sender_id=:s AND type_name='user'", s=patient.sender)
    assert user >= 25
    assert total / user <= 9, f"{total} events for {user} messages"


def test_more_than_two_areas_asks_which_matter_most(system):
    patient = Patient(system.settings)
    seen = []

    def answer_for(reply: str):
        seen.append(reply)
        return answering(MRS_C, {"would you like support with": "1, 4 and 5", "one or two of these matter most": "4"})(
            reply
        )

    patient.converse(answer_for)
    asked = next(r for r in seen if "one or two of these matter most" in r.lower())
    # Each area keeps its number from the first list: 4 is money in both questions.
    assert "1 Loneliness and feeling connected" in asked and "4 Money, benefits and debt" in asked
    assert "5 Housing" in asked
    [(summary,)] = query(system, "SELECT summary FROM intakes WHERE conversation_id=:s", s=patient.sender)
    summary = summary if isinstance(summary, dict) else json.loads(summary)
    assert summary["life_areas"]["top"] == ["money"]
    assert summary["life_areas"]["chosen"] == ["loneliness", "money", "housing"]


def test_a_decline_deletes_the_conversation_and_the_intake_in_that_turn(system):
    patient = Patient(system.settings)
    patient.say("hello")
    reply = Patient.text(patient.say("no thanks, I'd rather not"))
    assert "deleted this conversation" in reply
    assert _intake(system, patient.sender) is None
    assert query(system, "SELECT COUNT(*) FROM events WHERE sender_id=:s", s=patient.sender) == [(0,)]
    [(counted,)] = query(system, "SELECT COUNT(*) FROM audit_events WHERE action='declined_erased'")
    assert counted >= 1
    again = Patient.text(patient.say("hello"))  # a fresh start, not the end of the old conversation
    assert "happy to go on and share your answers" in again


def test_too_many_messages_a_minute_get_429_and_nothing_of_them_is_stored_but_a_disclosure_gets_through(system):
    patient, limit = Patient(system.settings), system.settings.rate_sender_per_minute
    statuses = []
    # The window is a clock minute, so a burst may straddle two: all of one minute's allowance
    # just before the minute turns, then all of the next one's, is 2 * limit accepted at most.
    for number in range(2 * limit + 1):
        status, body = patient.post({"sender": patient.sender, "message": f"hello number {number}"})
        statuses.append(status)
        if status == 429:
            break
    assert statuses[-1] == 429 and limit <= statuses.count(200) <= 2 * limit, statuses
    assert "Please wait a minute" in json.loads(body)["error"]
    # (Sixty unusable answers to the consent question end the conversation, which then keeps nothing:
    # so look for the refused message itself.)
    refused = f"hello number {len(statuses) - 1}"
    [(stored,)] = query(system, "SELECT COUNT(*) FROM events WHERE data LIKE :t", t=f"%{refused}%")
    assert stored == 0  # the refused message reached nothing
    status, replies = patient.post({"sender": patient.sender, "message": "I want to end my life"})
    assert status == 200 and "999" in Patient.text(replies)
