"""End to end by text message: the real servers and model, webhooks signed by the twilio package,
every reply delivered over HTTP to a fake Twilio-compatible provider on 127.0.0.1."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
import uuid

import pytest

from bench.patients import MRS_C, MRS_C_BARRIERS, answering
from bot.settings import PROJECT_ROOT
from bot.sms.text import is_gsm7, segment_count
from tests.support.sms import Texter, twilio_form
from tests.support.system import whatmatters

pytestmark = pytest.mark.slow

MRS_C_NUMBER = "+447700900123"

# Mrs C answers every question that offers options with its number, in the ways people type them.
BY_NUMBER = {
    "happy to go on": "1",
    "link worker to get in touch": "1.",
    "for example, weekday mornings": "weekday mornings",
    "would you like support with": "2, 11 and 1",
    "one or two of these matter most": "11",  # the number long-term condition had in the first list
    "make things harder for you": "3 and 4",
    "in a group, or one-to-one": "1",
    "how would you like to meet": "One",
    "go with you the first time": "1",
    "which language": "1",
    "is this right?": "1",
}


def test_mrs_c_completes_her_intake_by_text_and_reaches_the_queue_as_an_sms_intake(sms_system):
    texter = Texter(sms_system, MRS_C_NUMBER)
    answer_for = answering(MRS_C, overrides=BY_NUMBER)
    replies = texter.say("Hello")
    assert "Reply with a number:\n1 Yes, let's start\n2 No thanks" in replies
    for _ in range(60):
        answer = answer_for(replies)
        if answer is None:
            break
        replies = texter.say(answer)
    else:
        raise AssertionError(f"the intake did not finish: {texter.transcript[-6:]}")
    reference = re.search(r"WM-[A-Z0-9]{6}", replies).group(0)

    [(status, channel, summary, conversation)] = sms_system.query(
        "SELECT status, channel, summary, conversation_id FROM intakes WHERE reference=:r", r=reference
    )
    assert (status, channel) == ("submitted", "sms")
    assert conversation.startswith("sms-") and "7700" not in conversation
    summary = summary if isinstance(summary, dict) else json.loads(summary)
    assert summary["barriers"]["in_their_words"] == MRS_C_BARRIERS
    assert summary["preferences"]["wants_someone_to_go_with_them"] is True
    assert "activity" in summary["life_areas"]["chosen"]
    assert summary["life_areas"]["top"] == ["long_term_condition"]
    assert summary["wellbeing_ons4"] == {"life_satisfaction": 6, "worthwhile": 7, "happy": 7, "anxious": 4}

    queue = json.loads(whatmatters(sms_system.settings, "queue", "list", "--json"))["items"]
    [item] = [row for row in queue if row["reference"] == reference]
    assert item["channel"] == "sms" and item["first_name"] == "Carol"
    shown = whatmatters(sms_system.settings, "intake", "show", reference)
    assert ", sms, submitted" in shown and "SMS: texts on" in shown

    texts = sms_system.fake.to(MRS_C_NUMBER)
    assert all(t.sender == "+447700900000" for t in texts)
    assert all(is_gsm7(t.body) and segment_count(t.body) <= sms_system.settings.sms_max_segments for t in texts)
    assert len(texts) == len([who for who, _ in texter.transcript if who == "patient"]) + 1, (
        "one text per turn, the readback in two"
    )
    assert len({t.id for t in texts}) == len(texts)
    log = sms_system.system.log_path.read_text()
    for secret in ("7700900123", "7700 900123", "Jogging hurt my knees", "blood pressure down"):
        assert secret not in log, f"{secret!r} reached the logs"


def test_a_forged_or_missing_signature_gets_403_and_no_reply(sms_system):
    number = "+447700900201"
    texter = Texter(sms_system, number)
    assert texter.send("hello", signature=None)[0] == 403
    assert texter.send("hello", signature="c2lnbmVkIGJ5IHNvbWVvbmUgZWxzZQ==")[0] == 403
    form = twilio_form(number, "hello", account_sid=sms_system.fake.account_sid)
    signed_other = sms_system.post({**form, "Body": "STOP"}, signature=None)
    assert signed_other == 403
    time.sleep(1.0)
    assert sms_system.fake.to(number) == []
    assert sms_system.query("SELECT count(*) FROM sms_inbound WHERE provider_message_id=:s", s=form["MessageSid"]) == [
        (0,)
    ]


def test_a_duplicate_delivery_gets_one_reply(sms_system):
    number = "+447700900202"
    texter = Texter(sms_system, number)
    sid = "SM" + uuid.uuid4().hex
    assert texter.send("hello", sid=sid)[0] == 200
    assert texter.send("hello", sid=sid)[0] == 200
    time.sleep(1.0)
    assert len(sms_system.fake.to(number)) == 1


def test_stop_is_honoured_and_start_resumes(sms_system):
    number = "+447700900203"
    texter = Texter(sms_system, number)
    texter.say("hello")
    assert texter.send("STOP") == (200, [])
    assert texter.send("1") == (200, [])
    time.sleep(1.0)
    assert len(sms_system.fake.to(number)) == 1
    [(intake_ref,)] = sms_system.query(
        "SELECT reference FROM intakes JOIN sms_contacts ON sms_contacts.sender_id = intakes.conversation_id "
        "WHERE sms_contacts.opted_out = :t",
        t=True,
    )
    assert "OPTED OUT" in whatmatters(sms_system.settings, "intake", "show", intake_ref)

    replies = texter.say("START")
    assert "back on" in replies
    replies = texter.say("carry on")
    assert replies, "texts flow again after START"


def test_an_invitation_is_texted_and_never_to_a_number_that_opted_out(sms_system):
    number = "+447700900204"
    printed = whatmatters(sms_system.settings, "invite", "07700 900204", "--ref", "WM-TEST42")
    assert "Invitation sent" in printed and "900204" not in printed
    [text] = sms_system.fake.wait_for(number, 1)
    link = re.search(r"https://whatmatters\.example/start/([A-Z0-9]{6})\?ref=WM-TEST42", text.body)
    assert link and "reply to this text to start" in text.body, text.body
    [(team,)] = sms_system.query(
        "SELECT t.name FROM entry_points e JOIN teams t ON t.id = e.team_id WHERE e.code = :c", c=link.group(1)
    )
    assert f"this is {team}" in text.body, "the text names the team whose entry point it links to"
    Texter(sms_system, number).send("STOP")
    result = subprocess.run(
        [sys.executable, "-m", "bot.cli", "invite", number],
        cwd=PROJECT_ROOT,
        env=dict(os.environ, **sms_system.settings.as_env()),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1 and "opted out" in result.stderr
    time.sleep(0.5)
    assert len(sms_system.fake.to(number)) == 1


def test_the_provider_down_for_a_while_then_back_delivers_every_text_once(sms_system):
    number = "+447700900205"
    texter = Texter(sms_system, number)
    texter.say("hello")
    sms_system.fake.down_for(3.0)
    refused_before = sms_system.fake.refused
    started = time.monotonic()
    for answer in ("1", "Jo"):
        assert sms_system.post(twilio_form(number, answer, account_sid=sms_system.fake.account_sid)) == 200
        time.sleep(0.5)
    assert time.monotonic() - started < 3.0, "webhooks are answered during the outage"
    texts = sms_system.fake.wait_for(number, 3, timeout=30)
    time.sleep(1.5)
    texts = sms_system.fake.to(number)
    assert sms_system.fake.refused > refused_before, "the outage was real"
    assert len(texts) == 3 and len({t.id for t in texts}) == 3
    assert "call you" in texts[1].body.lower() and "get in touch" in texts[2].body.lower(), [t.body for t in texts]


def test_a_number_after_the_offer_to_skip_answers_the_scale_question(sms_system):
    """After two answers it cannot use, the bot offers to skip in words, then asks again:
    "2" is then a score of 2, not the offer's second option."""
    number = "+447700900456"
    texter = Texter(sms_system, number)
    answer_for = answering(MRS_C, overrides=BY_NUMBER)
    replies = texter.say("Hello")
    for _ in range(40):
        if "satisfied are you with your life" in replies.lower():
            break
        replies = texter.say(answer_for(replies))
    else:
        raise AssertionError(f"never reached the first wellbeing question: {texter.transcript[-4:]}")
    texter.say("not sure")
    replies = texter.say("hmm, it depends")
    assert 'Reply "Skip this question" or "Ask a person to call me".' in replies
    assert replies.rstrip().endswith("nowadays?")
    replies = texter.say("2")
    assert "worthwhile" in replies.lower()
    [(score,)] = sms_system.query(
        "SELECT a.value FROM answers a JOIN intakes i ON i.id=a.intake_id JOIN sms_contacts c ON c.sender_id=i.conversation_id "
        "WHERE a.question_key='ons_life_satisfaction' AND i.status <> 'submitted'"
    )
    assert json.loads(score) == 2 if isinstance(score, str) else score == 2
