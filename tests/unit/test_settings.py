"""Settings an operator gets wrong: several Rasa instances without the shared stores they need."""

from __future__ import annotations

import re
import subprocess
import sys

from bot.settings import PROJECT_ROOT, Settings

POSTGRES = "postgresql+asyncpg://postgres@127.0.0.1:5432/test"


def test_one_instance_needs_nothing_shared():
    assert Settings().scale_out_problems() == []


def test_several_instances_need_redis_and_postgresql():
    problems = Settings(rasa_instances=2).scale_out_problems()
    assert any("REDIS_URL" in p for p in problems) and any("PostgreSQL" in p for p in problems)
    assert (
        Settings(rasa_instances=2, redis_url="redis://127.0.0.1:6379/1", database_url=POSTGRES).scale_out_problems()
        == []
    )


def test_run_refuses_to_start_several_instances_with_in_memory_locks(tmp_path):
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(tmp_path),
        "WM_RASA_INSTANCES": "2",
        "WM_REDIS_URL": "",
        "WM_DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path}/x.db",
    }
    done = subprocess.run(
        [sys.executable, "-m", "bot.cli", "run"], cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 2
    assert "cannot start: RASA_INSTANCES=2 needs REDIS_URL" in done.stderr
    assert not (tmp_path / "x.db").exists(), "nothing should be set up before refusing"


def test_every_setting_an_operator_may_set_is_in_env_example():
    example = (PROJECT_ROOT / ".env.example").read_text(encoding="utf-8")
    read = set(re.findall(r'get\("([A-Z_]+)"', (PROJECT_ROOT / "bot" / "settings.py").read_text(encoding="utf-8")))
    documented = set(re.findall(r"^([A-Z_]+)=", example, flags=re.M))
    assert read and not read - documented, f"not in .env.example: {sorted(read - documented)}"
