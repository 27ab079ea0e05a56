"""Where the sentence encoder's files lie once installed: inside the environment, never fetched at run time.

Apart from `encoder` so that what reads only the vocabulary (the spelling reader, in the action server) loads no
NumPy or SciPy for it: importing the encoder for this path cost the action server's first misspelt answer 0.2 s."""

from __future__ import annotations

import sys
from pathlib import Path

MODEL_NAME = "all-MiniLM-L6-v2"
MODEL_DIR = Path(sys.prefix) / "share" / "whatmatters" / MODEL_NAME
"""Where the install step unpacks the model (`bot.language.install`)."""
