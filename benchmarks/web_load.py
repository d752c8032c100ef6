"""Load-test the web app the way a user runs it: ``interview-prep serve`` measured with ``wrk``.

Three measurements, each printed as a line of figures and checked against its target:

1. cold start: from starting ``interview-prep serve`` to the first bank page served (< 2 s),
   on a fresh data folder (first run: migrations and the bundled bank) and on a second start;
2. bank page: ``/banks/ml-engineer`` with 2 workers (p95 < 30 ms, >= 300 requests/s);
3. search: ``/api/search`` and the bank page's live-search fragment on a generated bank of
   100,000 questions (p95 < 20 ms), on SQLite and on PostgreSQL (a throw-away cluster started
   from Debian's binaries, or ``--postgres-url``).

Usage::

    python benchmarks/web_load.py                       # everything
    python benchmarks/web_load.py --only bank,cold      # some of it
    python benchmarks/web_load.py --postgres-url postgresql+psycopg://app@127.0.0.1:5432/bench

Needs ``wrk`` (``apt-get install -y wrk``).
"""

from __future__ import annotations

import argparse
import contextlib
import glob
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx

BUNDLED_BANK = "ml-engineer"
BIG_BANK = "generated-100k"
QUERIES = [
    "gradient",
    "attention",
    "overfitting",
    "learning rate",
    "batch normalization",
    "transf",
    "drift monitoring",
    "quantization latency",
    "kmeans cluster",
    "cross entropy",
    "dropout regularization",
    "recommendation retrieval",
    "vanish",
    "gpu memory",
    "precision recall",
    "beam search",
]
WRK_SCRIPT = """
local paths = {%(paths)s}
local counter = 0
request = function()
  counter = counter + 1
  return wrk.format("GET", paths[(counter %% #paths) + 1], {%(headers)s})
end
done = function(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.status + summary.errors.timeout
  io.write(string.format("RESULT %%d %%d %%.3f %%.3f %%.3f %%.3f %%.3f\\n",
    summary.requests, errors, summary.duration / 1e6, latency:percentile(50) / 1000,
    latency:percentile(95) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
end
"""


@dataclass(frozen=True)
class Load:
    requests: int
    errors: int
    seconds: float
    p50: float
    p95: float
    p99: float
    max: float

    @property
    def rate(self) -> float:
        return self.requests / self.seconds

    def line(self) -> str:
        return (
            f"{self.rate:7.0f} req/s  p50 {self.p50:6.2f} ms  p95 {self.p95:6.2f} ms  "
            f"p99 {self.p99:6.2f} ms  max {self.max:7.2f} ms  ({self.requests} requests, "
            f"{self.errors} errors)"
        )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def cli() -> list[str]:
    return [sys.executable, "-c", "from interview_prep.cli import run; run()"]


@contextlib.contextmanager
def serve(env: dict[str, str], workers: int) -> Iterator[tuple[str, float]]:
    """Run ``interview-prep serve``; yield its URL and the seconds to the first bank page."""
    port = free_port()
    started = time.perf_counter()
    process = subprocess.Popen(
        [*cli(), "serve", "--port", str(port), "--workers", str(workers)],
        env={**os.environ, **env},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = started + 120
        while True:
            if process.poll() is not None:
                output = process.stdout.read() if process.stdout else ""
                raise RuntimeError(f"serve exited with {process.returncode}:\n{output}")
            try:
                if httpx.get(f"{url}/banks/{BUNDLED_BANK}", timeout=5).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.perf_counter() > deadline:
                raise RuntimeError("the server did not answer within 120 s")
            time.sleep(0.01)
        yield url, time.perf_counter() - started
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if process.stdout:
            process.stdout.close()


def wrk(
    url: str,
    paths: list[str],
    *,
    seconds: int,
    connections: int,
    headers: dict[str, str] | None = None,
) -> Load:
    """Run wrk over ``paths`` in turn and read its latency percentiles."""
    lua_paths = ", ".join(f'"{path}"' for path in paths)
    lua_headers = ", ".join(f'["{k}"] = "{v}"' for k, v in (headers or {}).items())
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(WRK_SCRIPT % {"paths": lua_paths, "headers": lua_headers})
    try:
        command = ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s"]
        result = subprocess.run(
            [*command, "-s", script.name, url],
            capture_output=True,
            text=True,
            check=True,
        )
    finally:
        os.unlink(script.name)
    match = re.search(r"^RESULT (.*)$", result.stdout, re.M)
    if match is None:
        raise RuntimeError(f"unexpected wrk output:\n{result.stdout}\n{result.stderr}")
    requests, errors, duration, p50, p95, p99, most = match.group(1).split()
    return Load(int(requests), int(errors), float(duration), *map(float, (p50, p95, p99, most)))


def verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def bundled_words() -> list[str]:
    """Every word of the bundled bank, as often as it occurs there: sampling from this list gives
    generated text the word frequencies of real questions and answers."""
    from interview_prep.formats import load_bank_file
    from interview_prep.storage.bundled import bundled_bank_files

    words: list[str] = []
    for path in bundled_bank_files():
        for question in load_bank_file(path).questions:
            texts = [question.question, question.answer, *(p.text for p in question.key_points)]
            for text in texts:
                words += [w for w in re.findall(r"[a-z]+", text.lower()) if len(w) > 2]
    return words


def generated_bank(size: int, words_from: str = "frequency", seed: int = 7) -> object:
    """A bank of ``size`` questions in 7 categories, made of the bundled bank's words.

    ``frequency``: words as often as in the bundled bank, as if all 100,000 questions were on
    the same few ML topics (a common word like "gradient" is then in ~45% of them: the worst
    case for ranking). ``uniform``: every distinct word equally likely (each in ~5%), like a
    bank spread over many topics.
    """
    from interview_prep.domain import Bank, Difficulty, KeyPoint, Question

    rng = random.Random(seed)
    vocabulary = bundled_words()
    if words_from == "uniform":
        vocabulary = sorted(set(vocabulary))
    categories = ["Fundamentals", "Deep dive", "Scenarios", "System design", "Debugging"]
    categories += ["Behavioral", "Quick-fire"]
    levels = list(Difficulty)

    def words(count: int) -> str:
        return " ".join(rng.choices(vocabulary, k=count))

    questions = tuple(
        Question(
            id=f"q{number}",
            category=categories[number % len(categories)],
            difficulty=levels[number % 3],
            tags=(f"topic-{number % 97}",),
            question=f"How does {words(8)}?",
            answer=f"{words(60)}. {words(60)}.",
            key_points=(KeyPoint(words(10)), KeyPoint(words(10))),
        )
        for number in range(size)
    )
    return Bank(id=BIG_BANK, title="Generated bank", questions=questions, categories=())


def prepare_big_database(url: str, size: int, words_from: str) -> float:
    """Migrate ``url``, load the bundled banks and the generated bank; return import seconds."""
    from interview_prep.storage import open_database, repository

    database = open_database(url)
    try:
        if any(bank.id == BIG_BANK for bank in repository.list_banks(database)):
            return 0.0
        bank = generated_bank(size, words_from)
        started = time.perf_counter()
        repository.import_bank(database, bank)  # type: ignore[arg-type]
        imported = time.perf_counter() - started
        if database.dialect == "postgresql":
            # Measure the steady state. Left to itself, autovacuum visits the 100,000 new rows
            # (hint bits, visibility map, statistics) in the minute after the import, taking a
            # core and the disk while the search is being measured.
            autocommit = database.engine.execution_options(isolation_level="AUTOCOMMIT")
            with autocommit.connect() as connection:
                connection.exec_driver_sql("VACUUM ANALYZE")
        return imported
    finally:
        database.close()


@contextlib.contextmanager
def postgres_cluster() -> Iterator[str]:
    """A throw-away PostgreSQL server (as in tests/conftest.py); yields a database URL."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if not found:
        raise RuntimeError("no PostgreSQL binaries (apt-get install -y postgresql)")
    binaries = Path(found[-1]).parent
    folder = Path(tempfile.mkdtemp(prefix="interview-prep-bench-pg-"))
    as_owner: list[str] = []
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres", "postgres")
        as_owner = ["runuser", "-u", "postgres", "--"]
    data, port = folder / "data", free_port()

    def run(*command: object) -> None:
        subprocess.run([*as_owner, *map(str, command)], check=True, capture_output=True)

    run(binaries / "initdb", "-D", data, "-U", "app", "--auth=trust", "--no-sync")
    options = f"-h 127.0.0.1 -p {port} -k {folder} -F -c max_connections=200"
    run(binaries / "pg_ctl", "-D", data, "-w", "-l", folder / "log", "-o", options, "start")
    try:
        import psycopg

        with psycopg.connect(f"postgresql://app@127.0.0.1:{port}/postgres", autocommit=True) as c:
            c.execute("CREATE DATABASE bench")
        yield f"postgresql+psycopg://app@127.0.0.1:{port}/bench"
    finally:
        subprocess.run(
            [*as_owner, str(binaries / "pg_ctl"), "-D", str(data), "-m", "fast", "stop"],
            capture_output=True,
        )
        shutil.rmtree(folder, ignore_errors=True)


def bench_cold(folder: Path) -> bool:
    env = {"INTERVIEW_PREP_DATA_DIR": str(folder / "cold"), "INTERVIEW_PREP_DATABASE_URL": ""}
    ok = True
    for label in ("first run (migrate + bundled bank)", "second start"):
        with serve(env, workers=1) as (_, seconds):
            pass
        ok = ok and seconds < 2.0
        print(f"cold start, {label:36} {seconds:6.2f} s   target < 2 s   {verdict(seconds < 2)}")
    return ok


def bench_bank_page(folder: Path, seconds: int, connections: int) -> bool:
    env = {"INTERVIEW_PREP_DATA_DIR": str(folder / "bank"), "INTERVIEW_PREP_DATABASE_URL": ""}
    with serve(env, workers=2) as (url, _):
        paths = [f"/banks/{BUNDLED_BANK}"]
        wrk(url, paths, seconds=2, connections=connections)  # warm up both workers
        load = wrk(url, paths, seconds=seconds, connections=connections)
    ok = load.p95 < 30 and load.rate >= 300 and load.errors == 0 and load.requests > 0
    print(f"bank page, 2 workers, {connections} connections: {load.line()}")
    print(f"  target p95 < 30 ms and >= 300 req/s: {verdict(ok)}")
    return ok


def bench_search(
    label: str, url: str, size: int, words_from: str, seconds: int, connections: int
) -> bool:
    imported = prepare_big_database(url, size, words_from)
    if imported:
        print(f"{label}: imported {size} generated questions in {imported:.1f} s")
    env = {"INTERVIEW_PREP_DATABASE_URL": url}
    api = [f"/api/search?q={q.replace(' ', '+')}&bank={BIG_BANK}" for q in QUERIES]
    fragment = [f"/banks/{BIG_BANK}?q={q.replace(' ', '+')}" for q in QUERIES]
    ok = True
    with serve(env, workers=2) as (server, _):
        wrk(server, api, seconds=2, connections=connections)
        for name, paths, headers in (
            ("/api/search", api, None),
            ("live-search fragment", fragment, {"HX-Request": "true"}),
        ):
            load = wrk(server, paths, seconds=seconds, connections=connections, headers=headers)
            passed = load.p95 < 20 and load.errors == 0 and load.requests > 0
            ok = ok and passed
            print(
                f"search {label}, {size} questions ({words_from} words), {name}, "
                f"{connections} connections: {load.line()}"
            )
            print(f"  target p95 < 20 ms: {verdict(passed)}")
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", default="cold,bank,sqlite,postgres")
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=8, help="for the bank page")
    parser.add_argument(
        "--search-connections", type=int, default=2, help="for search (one per core)"
    )
    parser.add_argument("--questions", type=int, default=100_000)
    parser.add_argument(
        "--words",
        choices=["frequency", "uniform"],
        default="uniform",
        help="how the generated bank draws its words (see generated_bank)",
    )
    parser.add_argument("--postgres-url", help="use this database instead of a throw-away one")
    parser.add_argument("--keep", type=Path, help="keep the SQLite files in this folder")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        print("wrk is needed: apt-get install -y wrk", file=sys.stderr)
        return 2
    only = set(args.only.split(","))
    print(f"{os.cpu_count()} CPUs, wrk -t1 -c{args.connections} -d{args.seconds}s, loopback")
    folder = args.keep or Path(tempfile.mkdtemp(prefix="interview-prep-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    results = []
    load = (args.questions, args.words, args.seconds, args.search_connections)
    try:
        if "cold" in only:
            shutil.rmtree(folder / "cold", ignore_errors=True)
            results.append(bench_cold(folder))
        if "bank" in only:
            shutil.rmtree(folder / "bank", ignore_errors=True)
            results.append(bench_bank_page(folder, args.seconds, args.connections))
        if "sqlite" in only:
            url = f"sqlite:///{folder / f'big-{args.words}.db'}"
            results.append(bench_search("SQLite", url, *load))
        if "postgres" in only:
            with contextlib.ExitStack() as stack:
                url = args.postgres_url or stack.enter_context(postgres_cluster())
                results.append(bench_search("PostgreSQL", url, *load))
    finally:
        if args.keep is None:
            shutil.rmtree(folder, ignore_errors=True)
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
