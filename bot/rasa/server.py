"""Run Rasa's command line with our fixes applied: `python -m bot.rasa.server run ...`."""

from __future__ import annotations

import os
import sys

from bot.rasa import patches as rasa_patches
from bot.settings import load_settings


def main() -> None:
    # Rasa's telemetry would send usage data and crash reports (with their context) to a third party.
    os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")
    # endpoints.yml reads these; derive them from our settings unless given explicitly.
    for name, value in load_settings().rasa_env().items():
        os.environ.setdefault(name, value)
    rasa_patches.apply()
    from rasa.__main__ import main as rasa_main

    sys.argv[0] = "rasa"
    rasa_main()


if __name__ == "__main__":
    main()
