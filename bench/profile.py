"""Where a turn's time goes: py-spy on the Rasa server and the action server under load.

    .venv/bin/python -m bench.profile                 # what `make profile` runs
    .venv/bin/python -m bench.profile --patients 20

Starts the embedded system (as `make run` does), then lets simulated patients
complete intakes in waves: every patient sends its k-th message at the same
time, so the early turns (messages 1 to 8) and the late turns (20 on) can be
sampled separately. py-spy samples both servers' CPU during each phase; the
samples are sorted into the parts of a turn (NLU components, policy, tracker
store, lock store, the action call, the action's own logic, the database) and
reported as CPU milliseconds per turn, with the wall-clock time per turn beside
them. Figures go to bench/results/profile.json and bench/results/profile.md;
the raw stacks to bench/results/profile-*.txt (load them in speedscope or
flamegraph.pl to look closer).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from pathlib import Path
from typing import Optional

import aiohttp

from bench.patients import VARIED, answering
from bot.db.migrate import upgrade
from bot.launcher import System, free_port
from bot.rasa.model import model_path
from bot.settings import PROJECT_ROOT, Settings

RESULTS = PROJECT_ROOT / "bench" / "results"
RATE = 100  # samples a second (py-spy pauses the process for each: a steady, modest rate)
EARLY = range(1, 9)  # the messages after "hello" up to the ninth
LATE_FROM = 20

# The parts of a turn, tried in this order against every frame of a sample (file path, function name).
RASA_PARTS: list[tuple[str, tuple[str, ...]]] = [
    ("lock store", ("lock_store",)),
    (
        "tracker store: load",
        ("tracker_store.py:retrieve", "tracker_store.py:_retrieve", "tracker_store.py:_event_query"),
    ),
    ("tracker store: save", ("tracker_store.py:save", "tracker_store.py:_additional_events")),
    ("action call (HTTP to the action server)", ("actions/action.py:run", "aiohttp/client")),
    ("NLU: our components (risk, interruption gate)", ("bot/rasa/nlu/",)),
    ("NLU: DIET classifier (TensorFlow)", ("diet_classifier", "tensorflow", "keras")),
    ("NLU: tokenizers and featurizers", ("nlu/featurizers/", "nlu/tokenizers/")),
    ("policy (rules, over the tracker's whole history)", ("core/policies/", "core/featurizers/")),
    ("events and tracker (apply, copy, serialise)", ("shared/core/trackers.py", "shared/core/events.py")),
    ("processor and graph (the rest of a turn)", ("core/processor.py", "rasa/engine/", "core/agent.py")),
    ("HTTP server (Sanic)", ("sanic/",)),
    ("logging", ("structlog", "logging/__init__.py")),
]
ACTION_PARTS: list[tuple[str, tuple[str, ...]]] = [
    ("database (SQLAlchemy, driver)", ("sqlalchemy/", "aiosqlite/", "asyncpg/", "bot/intake/store.py", "bot/queue/")),
    ("our turn logic (bot/intake)", ("bot/intake/",)),
    ("actions (actions/)", ("/actions/",)),
    ("rasa_sdk (tracker from JSON, dispatch)", ("rasa_sdk/",)),
    ("HTTP server (Sanic)", ("sanic/",)),
    ("JSON", ("json/",)),
    ("logging", ("logging/__init__.py", "structlog")),
]


def log(message: str) -> None:
    print(f"[profile] {message}", flush=True)


def part_of(stack: str, parts: list[tuple[str, tuple[str, ...]]]) -> str:
    """The first part whose marker appears in a frame of the stack (frames as 'function (path:line)')."""
    frames = [_frame_key(frame) for frame in stack.split(";")]
    for name, markers in parts:
        if any(marker in frame for marker in markers for frame in frames):
            return name
    return "other"


def _frame_key(frame: str) -> str:
    """'retrieve (/x/rasa/core/tracker_store.py:123)' -> '/x/rasa/core/tracker_store.py:retrieve'."""
    function, _, where = frame.partition(" (")
    path = where.rsplit(":", 1)[0] if where else ""
    return f"{path}:{function.strip()}"


IDLE_LEAVES = {"serve", "_connection_worker_thread", "select", "poll", "_worker", "wait", "get", "sleep"}
"""Frames a thread waits in (the event loop, aiosqlite's and thread pools' workers). py-spy cannot tell
waiting from working inside a container, so samples that end in one of these are left out."""


def breakdown(raw: Path, parts: list[tuple[str, tuple[str, ...]]]) -> Counter:
    """Samples per part, from py-spy's raw (collapsed) output: 'frame;frame;... count' per line."""
    counts: Counter = Counter()
    if not raw.exists():
        return counts
    for line in raw.read_text(errors="replace").splitlines():
        stack, _, number = line.rpartition(" ")
        if not stack or not number.isdigit():
            continue
        leaf = stack.split(";")[-1].split(" (")[0].strip()
        if leaf in IDLE_LEAVES:
            continue
        counts[part_of(stack, parts)] += int(number)
    return counts


class Sampler:
    """py-spy recording one process until stopped (SIGINT makes it write its output)."""

    def __init__(self, pid: int, out: Path) -> None:
        self.out = out
        self.process = subprocess.Popen(
            [
                str(Path(sys.executable).parent / "py-spy"),
                "record",
                "--pid",
                str(pid),
                "--rate",
                str(RATE),
                "--format",
                "raw",
                "--output",
                str(out),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        time.sleep(1.0)  # let it attach

    def stop(self) -> None:
        self.process.send_signal(signal.SIGINT)
        try:
            _, error = self.process.communicate(timeout=60)
        except subprocess.TimeoutExpired:
            self.process.kill()
            error = ""
        if not self.out.exists():
            raise RuntimeError(f"py-spy wrote nothing: {error[-500:]}")


class Patient:
    def __init__(self, rng: random.Random) -> None:
        self.sender = f"profile-{uuid.uuid4().hex[:10]}"
        self.answer_for = answering(VARIED, rng=rng)
        self.next: Optional[str] = "hello"
        self.sent = 0


async def _wave(session: aiohttp.ClientSession, url: str, patients: list[Patient]) -> list[float]:
    """Every patient still talking sends its next message at once; returns each turn's wall time (ms)."""

    async def one(patient: Patient) -> Optional[float]:
        if patient.next is None:
            return None
        started = time.perf_counter()
        async with session.post(url, json={"sender": patient.sender, "message": patient.next}) as reply:
            body = await reply.json(content_type=None)
        elapsed = (time.perf_counter() - started) * 1000
        patient.sent += 1
        patient.next = patient.answer_for("\n".join(m.get("text", "") for m in body))
        return elapsed

    return [t for t in await asyncio.gather(*(one(p) for p in patients)) if t is not None]


def run(args: argparse.Namespace) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(
            database_url=f"sqlite+aiosqlite:///{Path(tmp) / 'profile.db'}",
            rasa_port=free_port(),
            actions_port=free_port(),
            web_port=free_port(),
            model_dir=PROJECT_ROOT / "models",
            log_level="WARNING",
            rate_sender_per_minute=0,  # a load test from one address: no rate limit
            rate_address_per_minute=0,
        )
        upgrade(settings)
        with open(RESULTS / "profile-servers.log", "w") as server_log:
            system = System(settings, log=server_log)
            system.start({"actions", "rasa"})
            try:
                system.wait_ready(timeout=300, only={"actions", "rasa"})
                pids = {s.name: s.process.pid for s in system.services if s.process is not None}
                return asyncio.run(_phases(settings, pids, args))
            finally:
                system.stop()


async def _phases(settings: Settings, pids: dict[str, int], args: argparse.Namespace) -> dict:
    url = f"http://127.0.0.1:{settings.rasa_port}/webhooks/rest/webhook"
    rng = random.Random(7)
    patients = [Patient(rng) for _ in range(args.patients)]
    phases: dict[str, dict] = {}
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=120)) as session:
        log("warming up (first turn of every patient)...")
        await _wave(session, url, patients)
        for phase, waves in (("early", EARLY), ("late", range(LATE_FROM, LATE_FROM + len(EARLY)))):
            while patients[0].sent < waves.start and any(p.next for p in patients):
                await _wave(session, url, patients)
            log(f"{phase} turns (messages {waves.start}-{waves.stop - 1}): sampling both servers...")
            samplers = {name: Sampler(pid, RESULTS / f"profile-{phase}-{name}.txt") for name, pid in pids.items()}
            wall: list[float] = []
            started = time.perf_counter()
            for _ in waves:
                wall += await _wave(session, url, patients)
            seconds = time.perf_counter() - started
            for sampler in samplers.values():
                sampler.stop()
            turns = len(wall)
            phases[phase] = {
                "turns": turns,
                "wall_ms_per_turn_mean": sum(wall) / turns if turns else None,
                "wall_ms_p50": sorted(wall)[len(wall) // 2] if wall else None,
                "messages_per_s": turns / seconds,
                "cpu_ms_per_turn": {
                    name: {
                        part: n * 1000 / RATE / turns
                        for part, n in breakdown(
                            RESULTS / f"profile-{phase}-{name}.txt",
                            RASA_PARTS if name == "rasa" else ACTION_PARTS,
                        ).most_common()
                    }
                    for name in pids
                },
            }
    return {
        "patients": args.patients,
        "rate_hz": RATE,
        "phases": phases,
        "at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }


def table(result: dict) -> str:
    early, late = result["phases"]["early"], result["phases"]["late"]
    lines = [
        f"Profile of a turn ({result['at']}, {result['patients']} patients in waves, py-spy at {result['rate_hz']} Hz).",
        "",
        "| where | early turns: CPU ms per turn | late turns: CPU ms per turn |",
        "|---|---|---|",
    ]
    for server in ("rasa", "actions"):
        parts = list(dict.fromkeys([*early["cpu_ms_per_turn"][server], *late["cpu_ms_per_turn"][server]]))
        total_early = sum(early["cpu_ms_per_turn"][server].values())
        total_late = sum(late["cpu_ms_per_turn"][server].values())
        lines.append(f"| **{server} server, all** | **{total_early:.1f}** | **{total_late:.1f}** |")
        for part in parts:
            lines.append(
                f"| {server}: {part} | {early['cpu_ms_per_turn'][server].get(part, 0):.1f} | "
                f"{late['cpu_ms_per_turn'][server].get(part, 0):.1f} |"
            )
    lines.append(
        f"| wall clock per turn (mean, {result['patients']} at once) | {early['wall_ms_per_turn_mean']:.0f} | "
        f"{late['wall_ms_per_turn_mean']:.0f} |"
    )
    return "\n".join(lines)


def main(argv: Optional[list[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--patients", type=int, default=16)
    args = parser.parse_args(argv)
    if not model_path(PROJECT_ROOT / "models").exists():
        log("no trained model: run `make setup` first")
        return 1
    RESULTS.mkdir(parents=True, exist_ok=True)
    result = run(args)
    (RESULTS / "profile.json").write_text(json.dumps(result, indent=2))
    report = table(result)
    (RESULTS / "profile.md").write_text(report + "\n")
    print(report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
