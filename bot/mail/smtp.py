"""Sending one e-mail over SMTP with the standard library, in a worker thread.

The result says whether trying again could help: a refused recipient or a rejected
message will be refused again; a connection that failed or a server that said "try later"
(a 4xx reply) may not be.
"""

from __future__ import annotations

import asyncio
import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import make_msgid

from bot.settings import Settings

TIMEOUT = 30.0


@dataclass(frozen=True)
class SendResult:
    ok: bool
    retry: bool = False
    error: str = ""


def build(settings: Settings, to: str, subject: str, body: str, reference: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = settings.mail_from
    message["To"] = to
    message["Subject"] = subject
    domain = settings.mail_from.rpartition("@")[2] or "localhost"
    message["Message-ID"] = make_msgid(idstring=reference.replace(":", "."), domain=domain)
    message.set_content(body)
    return message


def _send_now(settings: Settings, message: EmailMessage) -> None:
    security = settings.smtp_security.strip().lower()
    context = ssl.create_default_context()
    client: smtplib.SMTP
    if security == "ssl":
        client = smtplib.SMTP_SSL(settings.smtp_host, settings.smtp_port, timeout=TIMEOUT, context=context)
    else:
        client = smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=TIMEOUT)
    with client:
        if security == "starttls":
            client.starttls(context=context)
        if settings.smtp_username:
            client.login(settings.smtp_username, settings.smtp_password)
        client.send_message(message)


async def send(settings: Settings, to: str, subject: str, body: str, reference: str) -> SendResult:
    """Send one e-mail; never raises for a delivery problem (the result says what happened)."""
    try:
        message = build(settings, to, subject, body, reference)
    except ValueError as error:  # a header that cannot be one (a line break): retrying cannot fix it
        return SendResult(False, retry=False, error=f"not a valid e-mail ({type(error).__name__})")
    try:
        await asyncio.to_thread(_send_now, settings, message)
    except smtplib.SMTPRecipientsRefused:
        return SendResult(False, retry=False, error="recipient refused")
    except smtplib.SMTPResponseException as error:
        return SendResult(False, retry=400 <= error.smtp_code < 500, error=f"SMTP {error.smtp_code}")
    except (smtplib.SMTPException, OSError) as error:
        return SendResult(False, retry=True, error=type(error).__name__)
    return SendResult(True)
