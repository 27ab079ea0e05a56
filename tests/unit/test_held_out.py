"""The held-out sets stay held out: no item of bench/risk/ or sentence of bench/converse/personas*.yml is training data.

The probes measure wordings the classifiers never saw. A sentence copied from a held-out set into
data/ (an NLU example or a reviewed risk example) would make them measure memory instead. Checked on
the words of every sentence of four words or more (case, spacing and punctuation ignored), which is quick; the batches that were
written for training were also filtered for near copies when they were made (see their headers).
"""

from __future__ import annotations

import re

import pytest
import yaml

from bot.settings import PROJECT_ROOT

HELD_OUT = ("fresh2.yml", "fresh3.yml", "fresh4.yml", "fresh5.yml", "fresh6.yml", "fresh7.yml")
"""The blind sets (fresh.yml and dev9.yml are for choosing: thresholds were chosen on them, their words never trained on)."""


def _words(text: str) -> str:
    return " ".join(re.findall(r"[a-z0-9]+", str(text).lower()))


def _training_texts() -> set[str]:
    texts: set[str] = set()
    for path in (PROJECT_ROOT / "data" / "nlu").glob("*.yml"):
        for block in yaml.safe_load(path.read_text(encoding="utf-8")).get("nlu", []):
            for line in str(block.get("examples", "")).splitlines():
                texts.add(_words(re.sub(r"^\s*-\s*", "", line)))
    for path in (PROJECT_ROOT / "data" / "safety" / "risk_examples").glob("*.yml"):
        document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for items in document.values():
            for item in items if isinstance(items, list) else []:
                if isinstance(item, dict) and "text" in item:
                    texts.add(_words(item["text"]))
    texts.discard("")
    return texts


@pytest.mark.parametrize("name", ["fresh.yml", "dev9.yml", *HELD_OUT, "ordinary.yml"])
def test_no_held_out_sentence_is_training_data(name):
    held = yaml.safe_load((PROJECT_ROOT / "bench" / "risk" / name).read_text(encoding="utf-8"))
    items = [i["text"] for part in ("disclosures", "benign", "answers") for i in held.get(part, [])]
    assert len(items) >= 200
    training = _training_texts()
    # Short everyday answers ("4", "None", "my mum") are everyone's words: only sentences count.
    copied = [text for text in items if len(_words(text).split()) >= 4 and _words(text) in training]
    assert not copied, f"{len(copied)} sentences of {name} are in the training data"


def _persona_texts(persona: dict) -> list[str]:
    texts = [
        str(text)
        for part in ("answers", "before", "changes")
        for said in persona.get(part, {}).values()
        for text in said
    ]
    texts += [str(persona.get("pause", {}).get(key, "")) for key in ("say", "resume")]
    return texts + [str(text) for text in persona.get("readback", [])]


@pytest.mark.parametrize("name", sorted(p.name for p in (PROJECT_ROOT / "bench" / "converse").glob("personas*.yml")))
def test_no_personas_sentence_is_training_data(name):
    personas = yaml.safe_load((PROJECT_ROOT / "bench" / "converse" / name).read_text(encoding="utf-8"))["personas"]
    assert len(personas) >= 30
    items = [text for persona in personas for text in _persona_texts(persona)]
    training = _training_texts()
    # Persona answers are replies to set questions: up to six words ("no I don't think so", "confidence and not
    # knowing anyone", "no, I'm fine on my own") are everyone's words there, and are in the NLU examples by
    # coincidence; seven or more words as written (not "I'm" split in two) count.
    copied = [text for text in items if len(str(text).split()) >= 7 and _words(text) in training]
    assert not copied, f"{len(copied)} sentences of {name} are in the training data"
