"""The short link a person types or scans to start from an entry point: `{site}/start/{CODE}`.

One function, used by the poster (and its QR code) and by the SMS invitation, so what is printed
and what is texted are always the same address.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from bot.settings import Settings


def start_link(settings: Settings, code: str) -> str:
    """The entry point's link on the site patients reach.

    That site is the one the SMS invitation links to (SMS_INVITE_URL, whatever its path or
    query), else this app's own address, as for invitations: a poster must never print an
    address people outside cannot open when a public one is set.
    """
    site = urlsplit(settings.sms_invite_url.strip())
    base = f"{site.scheme}://{site.netloc}" if site.scheme and site.netloc else ""
    base = base or f"http://{settings.web_host}:{settings.web_port}"
    return f"{base}/start/{code.strip().upper()}"
