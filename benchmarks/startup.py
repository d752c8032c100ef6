"""How fast the app starts: every CLI command a user types, and ``serve`` to its first page.

Targets (issue "Fix what the walkthrough found"):

- every command but ``serve``, ``grade`` and ``eval`` answers in under 0.5 s, on a database that
  is already set up (the usual case: only the very first command of a fresh data folder creates
  the tables and loads the bundled bank);
- ``serve`` answers its first page within 2 s of starting, on a fresh data folder.

Each command runs as a user runs it, a new ``interview-prep`` process, several times; the table
gives the median and the fastest run, and the machine's load average, since the machine is shared.

Usage::

    python benchmarks/startup.py               # commands and serve, 7 runs each
    python benchmarks/startup.py --runs 15
    python benchmarks/startup.py --only serve
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

COMMAND_TARGET_S = 0.5
SERVE_TARGET_S = 2.0
BANK = "ml-engineer"


def _executable() -> str:
    here = Path(sys.executable).with_name("interview-prep")
    return str(here) if here.exists() else shutil.which("interview-prep") or "interview-prep"


def _environment(data_dir: Path) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("INTERVIEW_PREP")}
    env["INTERVIEW_PREP_DATA_DIR"] = str(data_dir)
    return env


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _time_command(args: list[str], env: dict[str, str], runs: int) -> tuple[list[float], float]:
    """Wall-clock seconds of each run, and the median CPU seconds (user + system) of a run.

    CPU time is shown because this machine is shared: when others load it, wall time grows with
    the wait for a core while CPU time stays close to what the command itself costs.
    """
    times, cpu = [], []
    for _ in range(runs):
        cpu_before = _children_cpu()
        start = time.perf_counter()
        completed = subprocess.run(
            [_executable(), *args], env=env, capture_output=True, text=True, check=False
        )
        times.append(time.perf_counter() - start)
        cpu.append(_children_cpu() - cpu_before)
        if completed.returncode != 0:
            raise SystemExit(f"{' '.join(args)} failed:\n{completed.stderr}")
    return times, statistics.median(cpu)


def _commands(workdir: Path) -> list[list[str]]:
    return [
        ["--help"],
        ["banks"],
        ["questions", "--bank", BANK],
        ["questions", "--search", "gradient"],
        ["show", "bias-variance-tradeoff", "--json"],
        ["export", BANK, "--format", "json", "--output", str(workdir / "bank.json")],
        ["export", BANK, "--format", "yaml", "--output", str(workdir / "bank.yaml")],
        ["import", str(workdir / "bank.json"), "--replace"],
        ["export-history", "--output", str(workdir / "history.json")],
        ["db", "upgrade"],
    ]


def _print_row(shown: str, times: list[float], cpu: float) -> bool:
    median = statistics.median(times)
    verdict = "ok" if median < COMMAND_TARGET_S else "SLOW"
    print(f"{shown:<54} {median:7.3f} {min(times):7.3f} {cpu:6.3f}  {verdict}")
    return median < COMMAND_TARGET_S


def _time_new_imports(workdir: Path, env: dict[str, str], runs: int) -> tuple[list[float], float]:
    """``import`` of a bank that is not stored yet: each run imports the exported bank under
    a new id."""
    data = json.loads((workdir / "bank.json").read_text(encoding="utf-8"))
    times, cpu = [], []
    for run in range(runs):
        copy = workdir / f"copy-{run}.json"
        copy.write_text(json.dumps({**data, "id": f"copy-{run}"}), encoding="utf-8")
        (elapsed,), used = _time_command(["import", str(copy)], env, 1)
        times.append(elapsed)
        cpu.append(used)
    return times, statistics.median(cpu)


def _load() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def bench_commands(runs: int) -> bool:
    ok = True
    with tempfile.TemporaryDirectory(prefix="startup-bench-") as folder:
        workdir = Path(folder)
        env = _environment(workdir / "data")
        (first,), first_cpu = _time_command(["banks"], env, 1)
        print(
            f"first command on a fresh data folder (creates the database): {first:.2f} s "
            f"({first_cpu:.2f} s CPU)"
        )
        # (The import below replaces the throw-away folder's copy of the bundled bank.)
        print(
            f"{'command':<54} {'median':>7} {'fastest':>7} {'CPU':>6}  target {COMMAND_TARGET_S} s"
        )
        for args in _commands(workdir):
            times, cpu = _time_command(args, env, runs)
            shown = " ".join(arg if "/" not in arg else Path(arg).name for arg in args)
            ok = _print_row(shown, times, cpu) and ok
        times, cpu = _time_new_imports(workdir, env, runs)
        ok = _print_row("import copy-N.json (a new bank each run)", times, cpu) and ok
    return ok


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _time_serve(env: dict[str, str]) -> float:
    port = _free_port()
    start = time.perf_counter()
    process = subprocess.Popen(
        [_executable(), "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = start + 60
        while time.perf_counter() < deadline:
            if process.poll() is not None:
                raise SystemExit(f"serve exited: {process.stderr.read() if process.stderr else ''}")
            try:
                response = httpx.get(f"http://127.0.0.1:{port}/", timeout=5)
            except httpx.TransportError:
                time.sleep(0.01)
                continue
            if response.status_code == 200 and BANK in response.text:
                return time.perf_counter() - start
            raise SystemExit(f"first page: HTTP {response.status_code}")
        raise SystemExit("serve did not answer within 60 s")
    finally:
        process.terminate()
        process.wait(timeout=10)


def bench_serve(runs: int) -> bool:
    fresh, again = [], []
    for _ in range(runs):
        with tempfile.TemporaryDirectory(prefix="startup-bench-") as folder:
            env = _environment(Path(folder) / "data")
            fresh.append(_time_serve(env))
            again.append(_time_serve(env))
    ok = statistics.median(fresh) < SERVE_TARGET_S
    for label, times in (("fresh data folder", fresh), ("second start", again)):
        median = statistics.median(times)
        verdict = "ok" if median < SERVE_TARGET_S else "SLOW"
        print(
            f"serve to first page, {label:<27} {median:7.3f} {min(times):7.3f}  "
            f"{verdict} (target {SERVE_TARGET_S} s)"
        )
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=7, help="runs per command (default 7)")
    parser.add_argument("--only", choices=["commands", "serve"], help="measure only one part")
    args = parser.parse_args()
    print(f"load average before: {_load()}  ({os.cpu_count()} CPUs)")
    ok = True
    if args.only in (None, "commands"):
        ok = bench_commands(args.runs) and ok
    if args.only in (None, "serve"):
        ok = bench_serve(max(1, args.runs // 2)) and ok
    print(f"load average after: {_load()}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
