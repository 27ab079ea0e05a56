"""Benchmarks: simulated patients completing whole intakes over the REST channel.

    .venv/bin/python -m bench.run                # every profile (what `make bench` runs)
    .venv/bin/python -m bench.run --profiles embedded --patients 20

For each profile (embedded: SQLite, one Rasa server, as `make run`; production-N:
PostgreSQL, the Redis lock store, N Rasa and N action servers behind the proxy,
at N = 1, 2 and 4 to show how throughput grows with instances; floor: the same
Rasa server with a one-rule bot), it runs

1. a paced load: N patients at once, each completing a full intake with varied
   phrasings and a few seconds' thought between messages (closed loop);
2. a saturation ramp: patients with no pause, in growing numbers, until the
   95th percentile turn time passes 1 s;

and reports per-turn latency p50/p95/p99 (and p95 of late turns, 20th message
on), messages per second, intakes per minute, errors, lost or duplicated
intakes, and each server's peak memory. It also times a training of the model.
Figures go to bench/results/*.json and a Markdown table (bench/results/latest.md).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import random
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

import aiohttp
from sqlalchemy import create_engine, text

from bench.patients import MRS_C, VARIED, answering
from bot.db.migrate import upgrade
from bot.launcher import System, free_port, is_up
from bot.rasa.model import MODEL_NAME, model_path
from bot.settings import PROJECT_ROOT, Settings

RESULTS = PROJECT_ROOT / "bench" / "results"
FLOOR = PROJECT_ROOT / "bench" / "floor"
POSTGRES_ADMIN_URL = os.environ.get("WM_BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
SLOW_MS = 1000.0


def log(message: str) -> None:
    print(f"[bench] {message}", flush=True)


def percentile(values: list[float], q: float) -> Optional[float]:
    if not values:
        return None
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]


@dataclass
class Load:
    latencies_ms: list[float] = field(default_factory=list)
    late_latencies_ms: list[float] = field(default_factory=list)
    errors: int = 0
    intakes: int = 0
    senders: list[str] = field(default_factory=list)
    started: float = 0.0
    finished: float = 0.0

    def summary(self) -> dict:
        seconds = max(self.finished - self.started, 1e-9)
        return {
            "messages": len(self.latencies_ms),
            "p50_ms": percentile(self.latencies_ms, 50),
            "p95_ms": percentile(self.latencies_ms, 95),
            "p99_ms": percentile(self.latencies_ms, 99),
            "late_turn_p95_ms": percentile(self.late_latencies_ms, 95),
            "mean_ms": statistics.fmean(self.latencies_ms) if self.latencies_ms else None,
            "messages_per_s": len(self.latencies_ms) / seconds,
            "intakes_per_min": self.intakes * 60 / seconds,
            "intakes": self.intakes,
            "errors": self.errors,
            "seconds": seconds,
        }


async def one_patient(
    session: aiohttp.ClientSession,
    url: str,
    rng: random.Random,
    think: tuple[float, float],
    load: Load,
    floor: bool,
    stop_at: Optional[float] = None,
) -> None:
    """One simulated patient completing one intake (or, for the floor bot, the same number of messages)."""
    sender = f"bench-{uuid.uuid4().hex[:12]}"
    load.senders.append(sender)
    answer_for = answering(VARIED, rng=rng)
    script = iter([answer for _, answer in MRS_C])
    message: Optional[str] = "hello"
    for turn in range(80):
        if message is None or (stop_at is not None and time.monotonic() > stop_at):
            return
        started = time.perf_counter()
        try:
            async with session.post(url, json={"sender": sender, "message": message}) as reply:
                body = await reply.json(content_type=None)
                ok = reply.status == 200 and isinstance(body, list)
        except (aiohttp.ClientError, asyncio.TimeoutError):
            ok, body = False, []
        elapsed = (time.perf_counter() - started) * 1000
        if not ok:
            load.errors += 1
            return
        load.latencies_ms.append(elapsed)
        if turn >= 20:
            load.late_latencies_ms.append(elapsed)
        if floor:
            message = next(script, None)
            if message is None:
                load.intakes += 1
        else:
            reply_text = "\n".join(m.get("text", "") for m in body)
            try:
                message = answer_for(reply_text)
            except AssertionError:
                load.errors += 1
                return
            if message is None:
                load.intakes += 1
        if think[1] > 0:
            await asyncio.sleep(rng.uniform(*think))


async def paced(url: str, patients: int, think: tuple[float, float], floor: bool, seed: int = 1) -> Load:
    load = Load()
    rng = random.Random(seed)
    timeout = aiohttp.ClientTimeout(total=120)
    async with aiohttp.ClientSession(timeout=timeout, connector=aiohttp.TCPConnector(limit=0)) as session:
        load.started = time.monotonic()

        async def staggered(index: int) -> None:
            await asyncio.sleep(rng.uniform(0, think[1]))
            await one_patient(session, url, random.Random(seed * 1000 + index), think, load, floor)

        await asyncio.gather(*(staggered(i) for i in range(patients)))
        load.finished = time.monotonic()
    return load


async def saturation(url: str, floor: bool, levels: list[int], seconds: float) -> list[dict]:
    """Closed loop without pauses at growing concurrency, until p95 passes 1 s."""
    steps = []
    timeout = aiohttp.ClientTimeout(total=120)
    async with aiohttp.ClientSession(timeout=timeout, connector=aiohttp.TCPConnector(limit=0)) as session:
        for level in levels:
            load = Load(started=time.monotonic())
            stop_at = load.started + seconds

            async def worker(index: int) -> None:
                rng = random.Random(level * 100 + index)
                while time.monotonic() < stop_at:
                    await one_patient(session, url, rng, (0.0, 0.0), load, floor, stop_at)

            await asyncio.gather(*(worker(i) for i in range(level)))
            load.finished = time.monotonic()
            step = {"concurrency": level, **load.summary()}
            steps.append(step)
            log(f"  {level:>3} at once: {step['messages_per_s']:6.1f} msg/s, p95 {step['p95_ms'] or 0:7.1f} ms")
            if (step["p95_ms"] or 0) > SLOW_MS:
                break
    return steps


def saturation_point(steps: list[dict]) -> dict:
    """Messages per second at the first level whose p95 passed 1 s (or the best seen, if none did)."""
    for step in steps:
        if (step["p95_ms"] or 0) > SLOW_MS:
            return {"messages_per_s": step["messages_per_s"], "reached": True, "concurrency": step["concurrency"]}
    best = max(steps, key=lambda s: s["messages_per_s"])
    return {"messages_per_s": best["messages_per_s"], "reached": False, "concurrency": best["concurrency"]}


def peak_memory_mb(pid: int) -> Optional[float]:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def check_intakes(settings: Settings, senders: list[str]) -> dict:
    """Every completed conversation has exactly one intake and at most one queue item."""
    engine = create_engine(settings.sync_database_url, future=True)
    with engine.connect() as connection:
        rows = connection.execute(
            text(
                "SELECT i.conversation_id, i.status, COUNT(q.id) FROM intakes i "
                "LEFT JOIN queue_items q ON q.intake_id = i.id GROUP BY i.conversation_id, i.status"
            )
        ).all()
    engine.dispose()
    wanted = set(senders)
    mine = [r for r in rows if r[0] in wanted]
    return {
        "intakes_in_db": len(mine),
        "submitted_in_db": sum(1 for r in mine if r[1] == "submitted"),
        "duplicated_queue_items": sum(1 for r in mine if r[2] > 1),
    }


class FloorSystem:
    """The floor: one Rasa server with the one-rule bot (in-memory stores, no actions)."""

    def __init__(self, folder: Path, log_file) -> None:
        self.port = free_port()
        model_dir = folder / "floor-model"
        subprocess.run(
            [
                sys.executable,
                "-m",
                "bot.rasa.server",
                "train",
                "--config",
                str(FLOOR / "config.yml"),
                "--domain",
                str(FLOOR / "domain.yml"),
                "--data",
                str(FLOOR / "data"),
                "--out",
                str(model_dir),
                "--fixed-model-name",
                "floor",
            ],
            cwd=PROJECT_ROOT,
            check=True,
            stdout=log_file,
            stderr=subprocess.STDOUT,
        )
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "bot.rasa.server",
                "run",
                "--model",
                str(model_dir / "floor.tar.gz"),
                "--credentials",
                str(FLOOR / "credentials.yml"),
                "--endpoints",
                str(FLOOR / "endpoints.yml"),
                "--interface",
                "127.0.0.1",
                "--port",
                str(self.port),
            ],
            cwd=PROJECT_ROOT,
            stdout=log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + 240
        while not is_up(f"http://127.0.0.1:{self.port}/webhooks/rest/"):
            if time.monotonic() > deadline or self.process.poll() is not None:
                raise RuntimeError("the floor bot did not start")
            time.sleep(0.5)

    def memory(self) -> dict:
        return {"rasa": peak_memory_mb(self.process.pid)}

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)


def _postgres_database() -> tuple[str, callable]:
    name = f"wm_bench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(POSTGRES_ADMIN_URL, future=True, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    base = POSTGRES_ADMIN_URL.rsplit("/", 1)[0].replace("postgresql://", "postgresql+asyncpg://", 1)

    def drop() -> None:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return f"{base}/{name}", drop


def production_instances(name: str) -> int:
    """'production' is two Rasa and two action servers; 'production-4' four of each."""
    return int(name.split("-", 1)[1]) if "-" in name else 2


def run_profile(name: str, args: argparse.Namespace, folder: Path) -> dict:
    log(f"profile {name}: starting the servers...")
    log_file = open(RESULTS / f"{name}-servers.log", "w")
    cleanup = None
    settings: Optional[Settings] = None
    if name == "floor":
        system = FloorSystem(folder, log_file)
        url = f"http://127.0.0.1:{system.port}/webhooks/rest/webhook"
    else:
        base = Settings(
            database_url=f"sqlite+aiosqlite:///{folder / (name + '.db')}",
            rasa_port=free_port(2),
            actions_port=free_port(2),
            web_port=free_port(),
            model_dir=PROJECT_ROOT / "models",
            log_level="WARNING",
            rate_sender_per_minute=0,  # a load test from one address: no rate limit
            rate_address_per_minute=0,
        )
        if name.startswith("production"):
            instances = production_instances(name)
            database_url, cleanup = _postgres_database()
            base = base.with_overrides(
                database_url=database_url,
                redis_url="redis://127.0.0.1:6379/6",
                rasa_instances=instances,
                actions_instances=instances,
                web_workers=2,
                rasa_port=free_port(instances),
                actions_port=free_port(instances),
            )
        settings = base
        upgrade(settings)
        system = System(settings, log=log_file)
        system.start()
        system.wait_ready(timeout=300)
        url = f"http://127.0.0.1:{settings.rasa_port}/webhooks/rest/webhook"
    try:
        floor = name == "floor"
        log(
            f"profile {name}: {args.patients} patients at a realistic pace ({args.think_min}-{args.think_max} s between messages)..."
        )
        load = asyncio.run(paced(url, args.patients, (args.think_min, args.think_max), floor))
        result = {"profile": name, "paced": {"patients": args.patients, **load.summary()}}
        if settings is not None:
            result["paced"].update(check_intakes(settings, load.senders))
        log(f"profile {name}: saturation ramp...")
        steps = asyncio.run(saturation(url, floor, args.levels, args.level_seconds))
        result["saturation_steps"] = steps
        result["saturation"] = saturation_point(steps)
        if isinstance(system, FloorSystem):
            result["peak_memory_mb"] = system.memory()
        else:
            result["peak_memory_mb"] = {
                s.name: peak_memory_mb(s.process.pid) for s in system.services if s.process is not None
            }
        return result
    finally:
        system.stop()
        log_file.close()
        if cleanup:
            cleanup()


def time_training(folder: Path) -> dict:
    log("timing a training of the model (rasa train, from scratch)...")
    out = folder / "trained"
    started = time.monotonic()
    subprocess.run(
        [
            sys.executable,
            "-m",
            "bot.rasa.server",
            "train",
            "--config",
            "config.yml",
            "--domain",
            "domain.yml",
            "--data",
            "data/nlu",
            "data/rules",
            "--out",
            str(out),
            "--fixed-model-name",
            MODEL_NAME,
            "--force",
        ],
        cwd=PROJECT_ROOT,
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    seconds = time.monotonic() - started
    size = model_path(out).stat().st_size / 1024 / 1024
    return {"train_seconds": seconds, "model_mb": size}


def machine() -> dict:
    cpu = "unknown"
    try:
        cpu = next(
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        )
    except (OSError, StopIteration):
        pass
    memory_gb = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 1024**3
    return {"cpu": cpu, "cores": os.cpu_count(), "memory_gb": round(memory_gb, 1), "python": platform.python_version()}


def table(results: list[dict], training: Optional[dict], host: dict) -> str:
    floor = next((r for r in results if r["profile"] == "floor"), None)
    lines = [
        f"Machine: {host['cores']} cores ({host['cpu']}), {host['memory_gb']} GiB, Python {host['python']}.",
        "",
        "| profile | patients | p50 ms | p95 ms | p99 ms | late-turn p95 ms | msg/s | intakes/min | errors | lost/dup | one patient, no pause: p50 ms | saturation msg/s (p95 > 1 s) | p95 / floor | peak memory MB |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        p = r["paced"]
        ratio = (
            f"{p['p95_ms'] / floor['paced']['p95_ms']:.1f}x"
            if floor and floor["paced"]["p95_ms"] and p["p95_ms"]
            else "-"
        )
        lost = "-"
        if "intakes_in_db" in p:
            lost = f"{p['intakes'] - p['submitted_in_db']}/{p['duplicated_queue_items']}"
        sat = r["saturation"]
        sat_text = f"{sat['messages_per_s']:.0f}" + ("" if sat["reached"] else " (not reached)")
        memory = ", ".join(f"{k} {v:.0f}" for k, v in r["peak_memory_mb"].items() if v)
        alone = r["saturation_steps"][0]["p50_ms"] if r.get("saturation_steps") else None
        alone_text = f"{alone:.1f}" if alone is not None else "-"
        lines.append(
            f"| {r['profile']} | {p['patients']} | {p['p50_ms']:.0f} | {p['p95_ms']:.0f} | {p['p99_ms']:.0f} | "
            f"{(p['late_turn_p95_ms'] or 0):.0f} | {p['messages_per_s']:.1f} | {p['intakes_per_min']:.1f} | {p['errors']} | "
            f"{lost} | {alone_text} | {sat_text} | {ratio} | {memory} |"
        )
    if training:
        lines += ["", f"Model training: {training['train_seconds']:.0f} s; model size {training['model_mb']:.1f} MB."]
    return "\n".join(lines)


def main(argv: Optional[list[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--profiles", default="floor,embedded,production-1,production-2,production-4")
    parser.add_argument("--patients", type=int, default=50)
    parser.add_argument("--think-min", type=float, default=2.0)
    parser.add_argument("--think-max", type=float, default=5.0)
    parser.add_argument("--levels", type=lambda s: [int(x) for x in s.split(",")], default=[1, 2, 4, 8, 16, 32, 64])
    parser.add_argument("--level-seconds", type=float, default=15.0)
    parser.add_argument("--no-training", action="store_true", help="skip timing a model training")
    args = parser.parse_args(argv)
    os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")
    if not model_path(PROJECT_ROOT / "models").exists():
        log("no trained model: run `make setup` first")
        return 1
    RESULTS.mkdir(parents=True, exist_ok=True)
    host = machine()
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for name in [p.strip() for p in args.profiles.split(",") if p.strip()]:
            result = run_profile(name, args, folder)
            result["machine"] = host
            result["at"] = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
            (RESULTS / f"{name}.json").write_text(json.dumps(result, indent=2))
            results.append(result)
        training = None if args.no_training else time_training(folder)
    if training:
        (RESULTS / "training.json").write_text(json.dumps({**training, "machine": host}, indent=2))
    report = table(results, training, host)
    (RESULTS / "latest.md").write_text(report + "\n")
    print(report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
