"""The links patients open: an entry point's `{site}/start/{CODE}`, and the site itself.

One function, used by the poster (and its QR code) and by the SMS invitation, so what is printed
and what is texted are always the same address.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from bot.settings import Settings


def site(settings: Settings) -> str:
    """The site patients reach: the one the SMS invitation links to (SMS_INVITE_URL, whatever its
    path or query), else this app's own address. A poster or a follow-up must never carry an
    address people outside cannot open when a public one is set."""
    public = urlsplit(settings.sms_invite_url.strip())
    base = f"{public.scheme}://{public.netloc}" if public.scheme and public.netloc else ""
    return base or f"http://{settings.web_host}:{settings.web_port}"


def start_link(settings: Settings, code: str) -> str:
    """The entry point's link on the site patients reach."""
    return f"{site(settings)}/start/{code.strip().upper()}"
