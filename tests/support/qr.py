"""Reading a QR code the way a phone would: with a real decoder, not the library that drew it."""

from __future__ import annotations

import shutil
import subprocess
import uuid
from pathlib import Path

import pytest


def decode_qr(png: bytes, folder: Path) -> str:
    """What a real QR decoder (zbarimg, Debian's zbar-tools) reads in the image: exactly one code's text."""
    if shutil.which("zbarimg") is None:
        pytest.fail("zbarimg not found: install Debian's zbar-tools (make chromium does)")
    path = folder / f"qr-{uuid.uuid4().hex}.png"
    path.write_bytes(png)
    done = subprocess.run(["zbarimg", "--raw", "-q", str(path)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, f"zbarimg found no code (exit {done.returncode}): {done.stderr}"
    codes = done.stdout.strip().splitlines()
    assert len(codes) == 1, codes
    return codes[0]
