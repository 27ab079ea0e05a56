"""The clinical safety case stays true to the code: every test a control names, and every file
named as evidence, still exists (a renamed or deleted test would leave a control unchecked)."""

from __future__ import annotations

import re

import pytest

from bot.settings import PROJECT_ROOT

CASE = PROJECT_ROOT / "docs" / "clinical-safety"
TEST_REFERENCE = re.compile(r"`(tests/[\w/]+\.py)::(\w+)`")
FILE_REFERENCE = re.compile(r"`((?:bot|bench|tests|docs|deploy|actions|data)/[\w./-]+|README\.md|\.env\.example)`")


def _named_tests() -> list[tuple[str, str]]:
    return sorted({m.groups() for doc in CASE.glob("*.md") for m in TEST_REFERENCE.finditer(doc.read_text())})


def _named_files() -> list[str]:
    return sorted({m.group(1) for doc in CASE.glob("*.md") for m in FILE_REFERENCE.finditer(doc.read_text())})


def test_the_case_names_tests_and_files():
    assert len(_named_tests()) >= 25
    assert len(_named_files()) >= 15


@pytest.mark.parametrize("path,name", _named_tests())
def test_every_control_names_a_test_that_exists(path, name):
    source = PROJECT_ROOT / path
    assert source.is_file(), f"{path} no longer exists"
    assert re.search(rf"^(async )?def {name}\(", source.read_text(), re.M), f"{path}::{name} no longer exists"


@pytest.mark.parametrize("path", _named_files())
def test_every_file_named_as_evidence_exists(path):
    assert (PROJECT_ROOT / path.rstrip("/")).exists(), f"{path} is named as evidence but does not exist"


def test_every_hazard_has_causes_effect_risks_and_controls():
    log = (CASE / "hazard-log.md").read_text()
    hazards = re.split(r"^## ", log, flags=re.M)[1:]
    assert len(hazards) >= 9
    for hazard in hazards:
        title = hazard.splitlines()[0]
        for part in ("**Causes.**", "**Effect.**", "**Initial risk.**", "**Controls.**", "**Residual risk.**"):
            assert part in hazard, f"{title}: no {part}"
        assert TEST_REFERENCE.search(hazard), f"{title}: no control names its test"
