"""Train the Rasa model only when its inputs changed.

The fingerprint is a hash of everything training reads (config, domain,
NLU and rule data). `make run` and `make test` call `ensure_model`, so a fresh
checkout trains once and later runs start in seconds.
"""

from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path
from typing import Iterable

from bot.settings import PROJECT_ROOT

MODEL_NAME = "whatmatters"
TRAINING_DATA = ("data/nlu", "data/rules")
"""What `rasa train` reads as training data."""
TRAINING_INPUTS = ("config.yml", "domain.yml", *TRAINING_DATA, "data/safety/risk_examples")
"""Everything training reads: the risk component also learns from the reviewed risk examples."""


def _files(root: Path, inputs: Iterable[str]) -> list[Path]:
    found: list[Path] = []
    for name in inputs:
        path = root / name
        found.extend(sorted(p for p in path.rglob("*.yml")) if path.is_dir() else [path])
    return found


def fingerprint(root: Path = PROJECT_ROOT) -> str:
    digest = hashlib.sha256()
    for path in _files(root, TRAINING_INPUTS):
        digest.update(str(path.relative_to(root)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def model_path(model_dir: Path) -> Path:
    return model_dir / f"{MODEL_NAME}.tar.gz"


def is_current(model_dir: Path, root: Path = PROJECT_ROOT) -> bool:
    stamp = model_dir / f"{MODEL_NAME}.fingerprint"
    return model_path(model_dir).exists() and stamp.exists() and stamp.read_text().strip() == fingerprint(root)


def train(model_dir: Path, root: Path = PROJECT_ROOT) -> Path:
    model_dir.mkdir(parents=True, exist_ok=True)
    command = [
        sys.executable,
        "-m",
        "bot.rasa.server",
        "train",
        "--config",
        "config.yml",
        "--domain",
        "domain.yml",
        "--data",
        *TRAINING_DATA,
        "--out",
        str(model_dir),
        "--fixed-model-name",
        MODEL_NAME,
    ]
    # Taken before training: an input edited while it trains must make the next setup train again.
    trained_from = fingerprint(root)
    subprocess.run(command, cwd=root, check=True)
    (model_dir / f"{MODEL_NAME}.fingerprint").write_text(trained_from + "\n")
    return model_path(model_dir)


def ensure_model(model_dir: Path, root: Path = PROJECT_ROOT) -> Path:
    if is_current(model_dir, root):
        print(f"[whatmatters] model is up to date: {model_path(model_dir)}", flush=True)
        return model_path(model_dir)
    print("[whatmatters] training data changed: training the Rasa model (about 2 minutes)...", flush=True)
    path = train(model_dir, root)
    print(f"[whatmatters] model trained: {path}", flush=True)
    return path
