"""A real SMTP server on 127.0.0.1 (aiosmtpd) that keeps what it is sent, for the e-mail tests."""

from __future__ import annotations

import asyncio
import socket
import time
from email import message_from_bytes, policy
from email.message import Message
from typing import Any

from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Inbox:
    """aiosmtpd's handler: every message accepted, kept with its envelope; can refuse for a while."""

    def __init__(self) -> None:
        self.messages: list[tuple[list[str], Message]] = []
        self.refuse_with: str = ""
        self.refused = 0

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802 - aiosmtpd's name
        if self.refuse_with:
            self.refused += 1
            return self.refuse_with
        self.messages.append((list(envelope.rcpt_tos), message_from_bytes(envelope.content, policy=policy.default)))
        return "250 Message accepted for delivery"

    async def until(self, count: int, timeout: float = 15.0) -> list[tuple[list[str], Message]]:
        """Wait (without blocking the event loop, where the sender runs) for `count` e-mails."""
        deadline = time.monotonic() + timeout
        while len(self.messages) < count and time.monotonic() < deadline:
            await asyncio.sleep(0.05)
        assert len(self.messages) >= count, f"{len(self.messages)} e-mails arrived, expected {count}"
        return list(self.messages)

    async def until_refused(self, count: int, timeout: float = 15.0) -> None:
        """Wait for the server to have refused `count` e-mails (while `refuse_with` is set)."""
        deadline = time.monotonic() + timeout
        while self.refused < count and time.monotonic() < deadline:
            await asyncio.sleep(0.05)
        assert self.refused >= count, f"{self.refused} e-mails refused, expected {count}"


class SmtpServer:
    def __init__(self) -> None:
        self.inbox = Inbox()
        self.port = free_port()
        self.controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port)

    def __enter__(self) -> "SmtpServer":
        self.controller.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.controller.stop()
