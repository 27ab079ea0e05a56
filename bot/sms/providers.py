"""SMS providers: checking and reading their inbound webhooks, and sending through their APIs.

- Twilio-compatible: inbound webhooks are form-encoded and signed with X-Twilio-Signature
  (HMAC-SHA1 of the URL and the sorted parameters, keyed with the auth token; checked with
  the twilio package's RequestValidator); replies go to the REST Messages API with basic auth.
- GOV.UK Notify: inbound text callbacks are JSON with the bearer token configured in Notify;
  replies go to POST /v2/notifications/sms with a JWT (HS256, iss = service id) made from the
  API key, through a template whose only content is ((body)).

Nothing here logs a number or a message.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import json
import time
from dataclasses import dataclass, field
from typing import Any, Mapping, Optional

import aiohttp
from twilio.request_validator import RequestValidator

from bot.settings import Settings

TIMEOUT = aiohttp.ClientTimeout(total=15, connect=5)


@dataclass(frozen=True)
class WebhookRequest:
    """What a provider's webhook handler needs from an HTTP request, whatever the web framework."""

    url: str
    headers: Mapping[str, str]  # lower-case names
    form: Mapping[str, list[str]] = field(default_factory=dict)
    json: Any = None


@dataclass(frozen=True)
class InboundText:
    message_id: str
    sender: str  # as the provider wrote it; normalised by the caller
    text: str


@dataclass(frozen=True)
class SendResult:
    ok: bool
    provider_message_id: Optional[str] = None
    retry: bool = False
    error: Optional[str] = None  # short, never containing a number or the text


class _FormParams(dict):
    """Form fields for RequestValidator, which reads several values of one name through getlist."""

    def getlist(self, name: str) -> list[str]:
        return list(self[name])


def _retryable(status: int) -> bool:
    # 401/403 are configuration faults (wrong credentials) that staff can fix: keep the text until then.
    return status in (401, 403, 408, 409, 425, 429) or status >= 500


class Provider:
    name = ""
    ack_body = ""
    ack_content_type = "text/plain"

    def verify(self, request: WebhookRequest) -> bool:
        raise NotImplementedError

    def parse(self, request: WebhookRequest) -> Optional[InboundText]:
        raise NotImplementedError

    async def send(self, http: aiohttp.ClientSession, to: str, body: str, reference: str) -> SendResult:
        raise NotImplementedError

    async def _post(self, http: aiohttp.ClientSession, url: str, id_field: str, **kwargs: Any) -> SendResult:
        try:
            async with http.post(url, timeout=TIMEOUT, **kwargs) as response:
                raw = await response.text()
                if 200 <= response.status < 300:
                    try:
                        provider_id = str(json.loads(raw).get(id_field) or "") or None
                    except (ValueError, AttributeError):
                        provider_id = None
                    return SendResult(True, provider_id)
                return SendResult(False, retry=_retryable(response.status), error=f"HTTP {response.status}")
        except (aiohttp.ClientError, OSError) as error:
            return SendResult(False, retry=True, error=type(error).__name__)
        except (asyncio.TimeoutError, TimeoutError):
            return SendResult(False, retry=True, error="timeout")


class TwilioProvider(Provider):
    name = "twilio"
    ack_body = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>'
    ack_content_type = "text/xml"

    def __init__(self, account_sid: str, auth_token: str, sender: str, api_url: str, public_url: str = "") -> None:
        if not (account_sid and auth_token and sender):
            raise ValueError("Twilio needs WM_SMS_TWILIO_ACCOUNT_SID, WM_SMS_TWILIO_AUTH_TOKEN and WM_SMS_TWILIO_FROM")
        self.account_sid = account_sid
        self.auth_token = auth_token
        self.sender = sender
        self.api_url = api_url.rstrip("/")
        self.public_url = public_url.rstrip("/")
        self.validator = RequestValidator(auth_token)

    def signed_url(self, request: WebhookRequest) -> str:
        """The URL Twilio signed: the public address when we sit behind a proxy, else the one we were called on."""
        if not self.public_url:
            return request.url
        path = request.url.split("://", 1)[-1]
        path = path[path.find("/") :] if "/" in path else "/"
        return self.public_url + path

    def verify(self, request: WebhookRequest) -> bool:
        signature = request.headers.get("x-twilio-signature", "")
        if not signature or request.json is not None:
            return False
        return bool(self.validator.validate(self.signed_url(request), _FormParams(request.form), signature))

    def parse(self, request: WebhookRequest) -> Optional[InboundText]:
        def one(name: str) -> str:
            values = request.form.get(name) or [""]
            return values[0]

        if one("AccountSid") and one("AccountSid") != self.account_sid:
            return None
        message_id = one("MessageSid") or one("SmsMessageSid")
        sender = one("From")
        if not message_id or not sender:
            return None
        return InboundText(message_id, sender, one("Body"))

    async def send(self, http: aiohttp.ClientSession, to: str, body: str, reference: str) -> SendResult:
        form = {"To": to, "Body": body}
        form["MessagingServiceSid" if self.sender.startswith("MG") else "From"] = self.sender
        return await self._post(
            http,
            f"{self.api_url}/2010-04-01/Accounts/{self.account_sid}/Messages.json",
            "sid",
            data=form,
            auth=aiohttp.BasicAuth(self.account_sid, self.auth_token),
        )


def notify_jwt(service_id: str, secret: str, now: Optional[float] = None) -> str:
    """A Notify API token: HS256 JWT with the service id as issuer and the time of issue."""

    def b64(data: bytes) -> str:
        return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")

    header = b64(json.dumps({"typ": "JWT", "alg": "HS256"}, separators=(",", ":")).encode())
    claims = b64(
        json.dumps(
            {"iss": service_id, "iat": int(now if now is not None else time.time())}, separators=(",", ":")
        ).encode()
    )
    signature = hmac.new(secret.encode("utf-8"), f"{header}.{claims}".encode("ascii"), hashlib.sha256).digest()
    return f"{header}.{claims}.{b64(signature)}"


def split_notify_key(api_key: str) -> tuple[str, str]:
    """(service id, secret) from a Notify API key "name-<service id uuid>-<secret uuid>"."""
    if len(api_key) < 74:
        raise ValueError("WM_SMS_NOTIFY_API_KEY does not look like a Notify API key")
    return api_key[-73:-37], api_key[-36:]


class NotifyProvider(Provider):
    name = "notify"
    ack_body = "{}"
    ack_content_type = "application/json"

    def __init__(
        self, api_key: str, template_id: str, inbound_token: str, api_url: str, sms_sender_id: str = ""
    ) -> None:
        if not (api_key and template_id and inbound_token):
            raise ValueError(
                "Notify needs WM_SMS_NOTIFY_API_KEY, WM_SMS_NOTIFY_TEMPLATE_ID and WM_SMS_NOTIFY_INBOUND_TOKEN"
            )
        self.service_id, self.secret = split_notify_key(api_key)
        self.template_id = template_id
        self.inbound_token = inbound_token
        self.api_url = api_url.rstrip("/")
        self.sms_sender_id = sms_sender_id

    def verify(self, request: WebhookRequest) -> bool:
        header = request.headers.get("authorization", "")
        scheme, _, token = header.partition(" ")
        return scheme.lower() == "bearer" and hmac.compare_digest(token.strip().encode(), self.inbound_token.encode())

    def parse(self, request: WebhookRequest) -> Optional[InboundText]:
        body = request.json
        if not isinstance(body, dict):
            return None
        message_id, sender, text = body.get("id"), body.get("source_number"), body.get("message")
        if not (isinstance(message_id, str) and message_id and isinstance(sender, str) and sender):
            return None
        return InboundText(message_id, sender, text if isinstance(text, str) else "")

    async def send(self, http: aiohttp.ClientSession, to: str, body: str, reference: str) -> SendResult:
        payload: dict[str, Any] = {
            "phone_number": to,
            "template_id": self.template_id,
            "personalisation": {"body": body},
            "reference": reference,
        }
        if self.sms_sender_id:
            payload["sms_sender_id"] = self.sms_sender_id
        headers = {"Authorization": f"Bearer {notify_jwt(self.service_id, self.secret)}"}
        return await self._post(http, f"{self.api_url}/v2/notifications/sms", "id", json=payload, headers=headers)


def provider_from(settings: Settings) -> Provider:
    if settings.sms_provider == "twilio":
        return TwilioProvider(
            settings.sms_twilio_account_sid,
            settings.sms_twilio_auth_token,
            settings.sms_twilio_from,
            settings.sms_twilio_api_url,
            settings.sms_public_url,
        )
    if settings.sms_provider == "notify":
        return NotifyProvider(
            settings.sms_notify_api_key,
            settings.sms_notify_template_id,
            settings.sms_notify_inbound_token,
            settings.sms_notify_api_url,
            settings.sms_notify_sender_id,
        )
    raise ValueError("WM_SMS_PROVIDER must be 'twilio' or 'notify'")
