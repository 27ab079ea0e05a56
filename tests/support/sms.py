"""SMS settings, signed provider callbacks and a whole system with a fake SMS provider."""

from __future__ import annotations

import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from dataclasses import dataclass
from typing import Any, Optional

from cryptography.fernet import Fernet
from sqlalchemy import create_engine as sync_engine
from sqlalchemy import text
from twilio.request_validator import RequestValidator

from bot.settings import Settings
from tests.support.sms_fakes import FakeNotify, FakeTwilio

HASH_KEY = "test-hash-key-" + "k" * 24


ENCRYPTION_KEY = Fernet.generate_key().decode()


OUR_NUMBER = "+447700900000"


NOTIFY_INBOUND_TOKEN = "notify-callback-token-for-tests"


def twilio_settings(base: Settings, fake: FakeTwilio, **changes: Any) -> Settings:
    return base.with_overrides(
        sms_provider="twilio",
        sms_hash_key=HASH_KEY,
        sms_encryption_key=ENCRYPTION_KEY,
        sms_twilio_account_sid=fake.account_sid,
        sms_twilio_auth_token=fake.auth_token,
        sms_twilio_from=OUR_NUMBER,
        sms_twilio_api_url=fake.url,
        sms_invite_url="https://whatmatters.example/start",
        sms_retry_base_seconds=0.2,
        sms_retry_max_seconds=1.0,
        sms_poll_seconds=0.2,
        **changes,
    )


def notify_settings(base: Settings, fake: FakeNotify, **changes: Any) -> Settings:
    return base.with_overrides(
        sms_provider="notify",
        sms_hash_key=HASH_KEY,
        sms_encryption_key=ENCRYPTION_KEY,
        sms_notify_api_key=FakeNotify.api_key(),
        sms_notify_template_id=fake.template_id,
        sms_notify_inbound_token=NOTIFY_INBOUND_TOKEN,
        sms_notify_api_url=fake.url,
        sms_retry_base_seconds=0.2,
        sms_retry_max_seconds=1.0,
        sms_poll_seconds=0.2,
        **changes,
    )


def twilio_form(
    number: str, body: str, sid: Optional[str] = None, account_sid: str = FakeTwilio().account_sid
) -> dict[str, str]:
    """An inbound SMS webhook's parameters as Twilio sends them (blank fields included: they are signed too)."""
    sid = sid or "SM" + uuid.uuid4().hex
    return {
        "ToCountry": "GB",
        "ToState": "",
        "SmsMessageSid": sid,
        "NumMedia": "0",
        "ToCity": "",
        "FromZip": "",
        "SmsSid": sid,
        "FromState": "",
        "SmsStatus": "received",
        "FromCity": "",
        "Body": body,
        "FromCountry": "GB",
        "To": OUR_NUMBER,
        "MessageSid": sid,
        "AccountSid": account_sid,
        "From": number,
        "ApiVersion": "2010-04-01",
        "NumSegments": "1",
    }


def twilio_signature(auth_token: str, url: str, form: dict[str, str]) -> str:
    """X-Twilio-Signature, computed by the twilio package itself."""
    return RequestValidator(auth_token).compute_signature(url, form)


@dataclass
class SmsSystem:
    system: Any
    fake: FakeTwilio

    @property
    def settings(self) -> Settings:
        return self.system.settings

    @property
    def webhook_url(self) -> str:
        return f"http://{self.settings.rasa_host}:{self.settings.rasa_port}/webhooks/sms/twilio"

    def post(self, form: dict[str, str], signature: Optional[str] = "sign") -> int:
        headers = {"Content-Type": "application/x-www-form-urlencoded"}
        if signature == "sign":
            signature = twilio_signature(self.fake.auth_token, self.webhook_url, form)
        if signature is not None:
            headers["X-Twilio-Signature"] = signature
        request = urllib.request.Request(
            self.webhook_url, data=urllib.parse.urlencode(form).encode(), headers=headers, method="POST"
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as reply:
                return reply.status
        except urllib.error.HTTPError as error:
            return error.code

    def query(self, sql: str, **params: Any) -> list[tuple]:
        if not hasattr(self, "_engine"):
            self._engine = sync_engine(self.settings.sync_database_url, future=True)
        with self._engine.connect() as connection:
            return [tuple(row) for row in connection.execute(text(sql), params)]

    def settle(self, sid: str, timeout: float = 60.0) -> None:
        """Wait until the message `sid` was handled and every text it caused left the outbox."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            handled = self.query("SELECT status FROM sms_inbound WHERE provider_message_id=:s", s=sid)
            if handled and handled[0][0] != "received":
                if not self.query("SELECT id FROM sms_outbox WHERE status IN ('pending', 'sending')"):
                    return
            time.sleep(0.05)
        raise AssertionError(f"message {sid} was not handled and delivered in time")


class Texter:
    """One person texting the bot: signed webhooks in, the fake provider's texts out."""

    def __init__(self, sms: SmsSystem, number: str) -> None:
        self.sms = sms
        self.number = number
        self.transcript: list[tuple[str, str]] = []

    def send(self, body: str, sid: Optional[str] = None, signature: Optional[str] = "sign") -> tuple[int, list[str]]:
        before = len(self.sms.fake.to(self.number))
        sid = sid or "SM" + uuid.uuid4().hex
        status = self.sms.post(twilio_form(self.number, body, sid, self.sms.fake.account_sid), signature)
        if status == 200:
            self.sms.settle(sid)
        replies = [r.body for r in self.sms.fake.to(self.number)[before:]]
        self.transcript.append(("patient", body))
        self.transcript.extend(("bot", r) for r in replies)
        return status, replies

    def say(self, body: str) -> str:
        status, replies = self.send(body)
        assert status == 200, status
        return "\n".join(replies)
