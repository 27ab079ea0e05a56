"""The bot's wording as `domain.yml` holds it, read once: the one place Python reads response texts.

The widget's progress steps and the channels' fallback crisis reply both need
the words patients see, and those live in the domain so they can be reviewed
without reading code.
"""

from __future__ import annotations

from functools import lru_cache

import yaml

from bot.settings import PROJECT_ROOT

DOMAIN_FILE = PROJECT_ROOT / "domain.yml"


@lru_cache(maxsize=1)
def response_texts() -> dict[str, list[str]]:
    """Each response's text variants, by response name."""
    domain = yaml.safe_load(DOMAIN_FILE.read_text(encoding="utf-8"))
    return {name: [v["text"] for v in variants if "text" in v] for name, variants in domain["responses"].items()}
