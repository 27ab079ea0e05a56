"""The layout's rules, checked: where Rasa may be known, where HTTP may be spoken, one audit writer,
one migration head, and nothing that points outside the repository."""

from __future__ import annotations

import ast
import subprocess
from pathlib import Path

from alembic.script import ScriptDirectory

from bot.db.migrate import alembic_config
from bot.settings import PROJECT_ROOT

RASA_MODULES = {"rasa", "rasa_sdk", "sanic", "socketio", "engineio"}
HTTP_MODULES = {"aiohttp", "sanic"}
# How earlier sessions pointed at notes outside the repository (spelt in pieces so this file does not match).
OUTSIDE_MARKERS = ("../" + "shared", "shared" + " notes", "stack" + " note")


def _python_files(*folders: str) -> list[Path]:
    return [
        p for folder in folders for p in sorted((PROJECT_ROOT / folder).rglob("*.py")) if "migrations" not in p.parts
    ]


def _imports(path: Path) -> set[str]:
    """Top-level names of every module `path` imports."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


def _roots(names: set[str]) -> set[str]:
    return {name.split(".")[0] for name in names}


def _relative(path: Path) -> str:
    return str(path.relative_to(PROJECT_ROOT))


def test_only_bot_rasa_and_actions_know_rasa():
    knowing = [_relative(p) for p in _python_files("bot") if _roots(_imports(p)) & RASA_MODULES]
    assert knowing and all(path.startswith("bot/rasa/") for path in knowing), knowing


def test_the_core_speaks_no_http():
    """Domain errors carry kinds; only bot/web (and the Rasa channels, the proxy, the SMS providers) speak HTTP."""
    core = _python_files("bot/intake", "bot/queue", "bot/review") + [PROJECT_ROOT / "bot" / "errors.py"]
    speaking = [_relative(p) for p in core if _roots(_imports(p)) & HTTP_MODULES]
    assert speaking == []


def test_the_letter_is_values_in_and_words_out():
    """The letter to the GP practice touches no database, HTTP or Rasa: every door hands it the intake document."""
    touching = [
        _relative(p)
        for p in _python_files("bot/letter")
        if _roots(_imports(p)) & (RASA_MODULES | HTTP_MODULES | {"sqlalchemy"}) or "bot.db.engine" in _imports(p)
    ]
    assert _python_files("bot/letter") and touching == []


def test_only_the_tracker_reader_reads_rasas_events_table():
    readers = [
        _relative(p) for p in _python_files("bot", "actions") if "from events" in p.read_text(encoding="utf-8").lower()
    ]
    assert readers == ["bot/rasa/tracker.py"]


def test_one_audit_writer():
    writers = [
        _relative(p)
        for p in _python_files("bot", "actions")
        if "AuditEvent(" in p.read_text(encoding="utf-8").replace("class AuditEvent(", "")
    ]
    assert writers == ["bot/queue/audit.py"]


def test_the_benchmarks_import_no_test_helpers():
    importing = [_relative(p) for p in _python_files("bench") if "tests" in _roots(_imports(p))]
    assert importing == []


def test_the_migrations_have_one_head():
    heads = ScriptDirectory.from_config(alembic_config("sqlite://")).get_heads()
    assert len(heads) == 1, heads


def test_nothing_points_outside_the_repository():
    tracked = subprocess.run(["git", "ls-files"], cwd=PROJECT_ROOT, capture_output=True, text=True, check=True)
    pointing = []
    for name in tracked.stdout.splitlines():
        path = PROJECT_ROOT / name
        if path.suffix not in {".py", ".md", ".yml", ".yaml", ".toml", ".txt", ".html", ".cfg"} or not path.is_file():
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        if any(marker in text for marker in OUTSIDE_MARKERS):
            pointing.append(name)
    assert pointing == [], "these files point at notes outside the repository"
