"""This machine's Redis for the production-profile tests: required in CI, skipped elsewhere without it."""

from __future__ import annotations

import os
import socket

import pytest

REDIS = ("127.0.0.1", 6379)
# A database of its own, so the tests never touch a developer's other Redis data.
REDIS_TEST_URL = "redis://127.0.0.1:6379/5"


def redis_up() -> bool:
    try:
        with socket.create_connection(REDIS, timeout=2) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def require_redis() -> None:
    """Fail loudly in CI, where Redis must be running; skip on a laptop without it."""
    if redis_up():
        return
    if os.environ.get("CI"):
        pytest.fail("Redis is required in CI but not reachable at 127.0.0.1:6379")
    pytest.skip("Redis not reachable")
