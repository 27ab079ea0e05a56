"""Phone numbers are personal data: normalised to E.164, looked up by keyed hash, stored encrypted.

The number itself never reaches Rasa (the conversation's sender id is derived from the
keyed hash), the logs or the database in clear.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from typing import TYPE_CHECKING, Optional

from cryptography.fernet import Fernet, MultiFernet

_E164 = re.compile(r"^\+[1-9]\d{7,14}$")


if TYPE_CHECKING:
    from bot.settings import Settings


class InvalidNumber(ValueError):
    """Not a phone number we can text (the message never includes the number)."""


def normalise_e164(raw: str, default_country_code: str = "44") -> str:
    """E.164 ("+447700900123") from the ways people and providers write numbers.

    "07700 900123", "+44 (0)7700 900123", "0044 7700 900123", "447700900123" and
    "tel:+447700900123" all give "+447700900123". A national number (leading 0) is
    read as a UK one.
    """
    text = (raw or "").strip()
    text = re.sub(r"^tel:", "", text, flags=re.IGNORECASE)
    text = text.replace("(0)", "")
    if re.search(r"[^\d+\s().\-/]", text):
        raise InvalidNumber("not a phone number")
    digits = re.sub(r"[\s().\-/]", "", text)
    if digits.startswith("00"):
        digits = "+" + digits[2:]
    elif digits.startswith("0"):
        digits = f"+{default_country_code}" + digits[1:]
    elif not digits.startswith("+") and digits.startswith(default_country_code) and len(digits) >= 11:
        digits = "+" + digits
    if digits.startswith(f"+{default_country_code}0"):
        digits = f"+{default_country_code}" + digits[len(default_country_code) + 2 :]
    if not _E164.match(digits):
        raise InvalidNumber("not a phone number")
    return digits


def masked(number: str) -> str:
    """A number as staff may see it in a list: "+44 ****** 123"."""
    return f"{number[:3]} ****** {number[-3:]}" if len(number) > 6 else "******"


class PhoneVault:
    """Keyed hashing (for lookup) and encryption (for sending) of E.164 numbers."""

    def __init__(self, hash_key: str, encryption_key: str) -> None:
        if not hash_key or not encryption_key:
            raise ValueError("WM_SMS_HASH_KEY and WM_SMS_ENCRYPTION_KEY must both be set for the SMS channel")
        self._hash_key = hash_key.encode("utf-8")
        # Several comma-separated keys: the first encrypts, all decrypt (key rotation).
        self._fernet = MultiFernet(
            [Fernet(key.strip().encode("ascii")) for key in encryption_key.split(",") if key.strip()]
        )

    def digest(self, number: str) -> str:
        return hmac.new(self._hash_key, number.encode("utf-8"), hashlib.sha256).hexdigest()

    def sender_id(self, number: str) -> str:
        """The conversation id Rasa sees for this number: no digits of the number in it."""
        return "sms-" + self.digest(number)[:32]

    def encrypt(self, value: str) -> str:
        return self._fernet.encrypt(value.encode("utf-8")).decode("ascii")

    def decrypt(self, token: Optional[str]) -> str:
        return self._fernet.decrypt(token.encode("ascii")).decode("utf-8") if token else ""


def vault_for(settings: "Settings") -> Optional[PhoneVault]:
    """The phone vault when the SMS channel is on (its keys are then required), else None."""
    return PhoneVault(settings.sms_hash_key, settings.sms_encryption_key) if settings.sms_enabled else None
