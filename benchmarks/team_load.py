"""Team mode under load and faults: simulated candidates on PostgreSQL with several workers.

Each simulated user logs in, then loops until the time is up: opens the practice page, starts a
one-question session, answers it (graded by the server), reads the feedback and rates it, and
now and then opens the progress page. Every answer carries a unique marker. The run reports
requests per second, p50/p95 per route and errors, then counts the answers the server
acknowledged (its 303 after the answer) that are missing from the database: that must be 0.

``--kill-workers N`` kills a worker with SIGKILL N times during the run, while answers are in
flight (uvicorn starts a new one); ``--restart-postgres`` restarts PostgreSQL once mid-run.
Requests caught by a fault fail and are retried by the user, as a person would; they count as
errors of the fault run. Afterwards every stored attempt must be whole: graded or gradable, its
session document naming it, and ``interview-prep db check`` clean.

Loopback only, bounded in users and time. Usage::

    python benchmarks/team_load.py                          # 200 users, 60 s, 2 workers
    python benchmarks/team_load.py --duration 300           # the 5-minute run
    python benchmarks/team_load.py --users 50 --duration 120 --kill-workers 50 --restart-postgres
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import glob
import os
import random
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from web_load import cli, free_port

PASSWORD = "load test password"
CSRF = re.compile(r'<meta name="csrf-token" content="([^"]+)"')
LOGIN_TOKEN = re.compile(r'name="login_token" value="([^"]+)"')
ANSWERS = [
    "Gradients shrink as they flow back through many layers with saturating activations; "
    "residual connections, ReLU and careful initialisation fix it.",
    "The learning rate sets the step size: too large diverges, too small crawls.",
    "Regularisation adds a penalty on the weights to reduce overfitting; L1 gives sparsity.",
    "I am not sure, something about the model being too big.",
]


@dataclass
class Figures:
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    refusals: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    acknowledged: set[str] = field(default_factory=set)
    requests: int = 0


def route_of(path: str) -> str:
    path = path.split("?")[0]
    path = re.sub(r"/practice/sessions/[0-9a-f]{32}", "/practice/sessions/{id}", path)
    return path


async def call(
    client: httpx.AsyncClient, figures: Figures, method: str, url: str, **kwargs: object
) -> httpx.Response | None:
    route = f"{method} {route_of(url)}"
    started = time.perf_counter()
    try:
        response = await client.request(method, url, follow_redirects=False, **kwargs)  # type: ignore[arg-type]
    except httpx.HTTPError as error:
        figures.errors[route] += 1
        figures.refusals[f"{route} -> {type(error).__name__}"] += 1
        return None
    figures.latencies[route].append(time.perf_counter() - started)
    figures.requests += 1
    if response.status_code >= 400:
        figures.errors[route] += 1
        figures.refusals[f"{route} -> {response.status_code}"] += 1
        return None
    return response


async def log_in(client: httpx.AsyncClient, figures: Figures, username: str) -> str | None:
    page = await call(client, figures, "GET", "/login")
    token = LOGIN_TOKEN.search(page.text) if page is not None else None
    if token is None:
        return None
    data = {"username": username, "password": PASSWORD, "login_token": token.group(1)}
    if await call(client, figures, "POST", "/login", data=data) is None:
        return None
    account = await call(client, figures, "GET", "/account")
    found = CSRF.search(account.text) if account is not None else None
    return found.group(1) if found else None


async def simulate(url: str, username: str, deadline: float, figures: Figures) -> None:
    rng = random.Random(username)
    async with httpx.AsyncClient(base_url=url, timeout=60) as client:
        csrf = None
        while csrf is None and time.monotonic() < deadline:
            csrf = await log_in(client, figures, username)
            if csrf is None:
                await asyncio.sleep(1)
        while time.monotonic() < deadline and csrf is not None:
            await call(client, figures, "GET", "/practice")
            data = {"count": "1", "mode": "drill", "bank": "ml-engineer", "csrf_token": csrf}
            started = await call(client, figures, "POST", "/practice/sessions", data=data)
            if started is None:
                await asyncio.sleep(0.5)
                continue
            session = started.headers["location"]
            if await call(client, figures, "GET", session) is None:
                continue
            marker = f"[{uuid.uuid4().hex}]"
            answer = {"index": "0", "answer": f"{rng.choice(ANSWERS)} {marker}", "csrf_token": csrf}
            submitted = await call(client, figures, "POST", f"{session}/answer", data=answer)
            if submitted is not None and submitted.status_code == 303:
                figures.acknowledged.add(marker)
            if await call(client, figures, "GET", session) is None:
                continue
            rating = {"index": "0", "rating": "good", "csrf_token": csrf}
            await call(client, figures, "POST", f"{session}/rate", data=rating)
            if rng.random() < 0.2:
                await call(client, figures, "GET", "/progress")
            await asyncio.sleep(rng.uniform(0.5, 2.0))  # a person reads before going on


def worker_pids(server: subprocess.Popen[str]) -> list[int]:
    """The server's worker processes (children of the process this script started)."""
    children = Path(f"/proc/{server.pid}/task/{server.pid}/children")
    try:
        pids = [int(pid) for pid in children.read_text().split()]
    except OSError:
        return []
    # Only the uvicorn workers, not multiprocessing's helper processes.
    workers = []
    for pid in pids:
        with contextlib.suppress(OSError):
            command = Path(f"/proc/{pid}/cmdline").read_bytes()
            if b"resource_tracker" not in command and b"semaphore_tracker" not in command:
                workers.append(pid)
    return workers


async def faults(
    server: subprocess.Popen[str], kills: int, restart_pg: object, duration: float
) -> list[str]:
    log: list[str] = []
    if kills:
        gap = duration * 0.8 / kills
        await asyncio.sleep(duration * 0.1)
        for number in range(kills):
            pids = worker_pids(server)
            if pids:
                victim = random.choice(pids)
                with contextlib.suppress(ProcessLookupError):
                    os.kill(victim, signal.SIGKILL)
                    log.append(f"kill -9 worker {victim} ({number + 1}/{kills})")
            if number == kills // 2 and callable(restart_pg):
                log.append(await asyncio.to_thread(restart_pg))
            await asyncio.sleep(gap)
    elif callable(restart_pg):
        await asyncio.sleep(duration / 2)
        log.append(await asyncio.to_thread(restart_pg))
    return log


async def watch_workers(server: subprocess.Popen[str], started: list[int]) -> None:
    """Note in ``started`` every worker process that appears after the first ones: uvicorn
    replaces a worker that died or missed its health check, and the connections it held drop."""
    seen = set(worker_pids(server))
    while server.poll() is None:
        await asyncio.sleep(0.5)
        now = set(worker_pids(server))
        started.extend(sorted(now - seen))
        seen |= now


@contextlib.contextmanager
def postgres_cluster() -> Iterator[tuple[str, Callable[[], str]]]:
    """A throw-away PostgreSQL server (as in web_load.py); yields its URL and a restart."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if not found:
        raise RuntimeError("no PostgreSQL binaries (apt-get install -y postgresql)")
    binaries = Path(found[-1]).parent
    folder = Path(tempfile.mkdtemp(prefix="interview-prep-team-pg-"))
    as_owner: list[str] = []
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres", "postgres")
        as_owner = ["runuser", "-u", "postgres", "--"]
    data, port = folder / "data", free_port()

    def run(*command: object) -> None:
        subprocess.run([*as_owner, *map(str, command)], check=True, capture_output=True)

    run(binaries / "initdb", "-D", data, "-U", "app", "--auth=trust", "--no-sync")
    options = f"-h 127.0.0.1 -p {port} -k {folder} -c max_connections=300"
    run(binaries / "pg_ctl", "-D", data, "-w", "-l", folder / "log", "-o", options, "start")

    def restart() -> str:
        started = time.perf_counter()
        # With its log file named, as at start: otherwise the new server would hold this
        # script's output pipe open and the call would never return.
        log = folder / "log"
        run(
            binaries / "pg_ctl", "-D", data, "-w", "-m", "fast", "-l", log, "-o", options, "restart"
        )
        return f"PostgreSQL restarted ({time.perf_counter() - started:.1f} s)"

    try:
        import psycopg

        with psycopg.connect(f"postgresql://app@127.0.0.1:{port}/postgres", autocommit=True) as c:
            c.execute("CREATE DATABASE bench")
        yield f"postgresql+psycopg://app@127.0.0.1:{port}/bench", restart
    finally:
        subprocess.run(
            [*as_owner, str(binaries / "pg_ctl"), "-D", str(data), "-m", "fast", "stop"],
            capture_output=True,
        )
        shutil.rmtree(folder, ignore_errors=True)


def prepare(url: str, users: int) -> None:
    from datetime import UTC, datetime

    from interview_prep.accounts.passwords import hash_password
    from interview_prep.accounts.users import Role
    from interview_prep.storage import open_database
    from interview_prep.storage.accounts import DatabaseAccountStore

    db = open_database(url)
    try:
        store = DatabaseAccountStore(db)
        hashed = hash_password(PASSWORD)  # one real argon2id hash, shared: setting up is not timed
        now = datetime.now(UTC)
        for number in range(users):
            store.add_user(f"load{number:03d}", hashed, Role.CANDIDATE, "", now)
    finally:
        db.close()


def verify(url: str, acknowledged: set[str]) -> dict[str, int]:
    from sqlalchemy import select

    from interview_prep.storage import open_database
    from interview_prep.storage.backup import check
    from interview_prep.storage.schema import AttemptRow, PracticeSessionRow

    db = open_database(url, sync_bundled=False)
    try:
        with db.session() as session:
            attempts = session.execute(
                select(AttemptRow.id, AttemptRow.answer, AttemptRow.grade, AttemptRow.session_id)
            ).all()
            documents = {row.id: row.data for row in session.scalars(select(PracticeSessionRow))}
        stored = {
            m for _, answer, _, _ in attempts for m in re.findall(r"\[[0-9a-f]{32}\]", answer)
        }
        unnamed = 0
        for attempt_id, _, _, session_id in attempts:
            items = documents.get(session_id or "", {}).get("items", [])
            if not any(item.get("attempt_id") == attempt_id for item in items):
                unnamed += 1
        return {
            "acknowledged": len(acknowledged),
            "lost": len(acknowledged - stored),
            "stored attempts": len(attempts),
            "ungraded": sum(grade is None for _, _, grade, _ in attempts),
            "attempts their session does not name": unnamed,
            "db check problems": len(check(db)),
        }
    finally:
        db.close()


def report(figures: Figures, seconds: float) -> None:
    print(f"{figures.requests} requests in {seconds:.0f} s: {figures.requests / seconds:.1f} req/s")
    print(f"{'route':48} {'n':>7} {'p50 ms':>8} {'p95 ms':>8} {'errors':>7}")
    for route in sorted(set(figures.latencies) | set(figures.errors)):
        values = sorted(figures.latencies.get(route, []))
        p50 = statistics.median(values) * 1000 if values else float("nan")
        p95 = values[int(0.95 * (len(values) - 1))] * 1000 if values else float("nan")
        print(f"{route:48} {len(values):7d} {p50:8.1f} {p95:8.1f} {figures.errors[route]:7d}")
    print(f"errors: {sum(figures.errors.values())}")
    for kind, count in sorted(figures.refusals.items()):
        print(f"  {kind}: {count}")


async def run(args: argparse.Namespace, url: str, restart_pg: object) -> int:
    prepare(url, args.users)
    port = free_port()
    env = {
        **os.environ,
        "INTERVIEW_PREP_DATABASE_URL": url,
        "INTERVIEW_PREP_GRADER": args.grader,
    }
    log = open(args.server_log, "w") if args.server_log else subprocess.DEVNULL  # noqa: SIM115
    server = subprocess.Popen(
        [*cli(), "serve", "--team", "--port", str(port), "--workers", str(args.workers)],
        env=env,
        stdout=log,
        stderr=log,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        ready_by = time.monotonic() + 300
        while True:
            with contextlib.suppress(httpx.TransportError):
                if httpx.get(f"{base}/login", timeout=5).status_code == 200:
                    break
            if time.monotonic() > ready_by or server.poll() is not None:
                raise RuntimeError("the server did not start within 300 s")
            await asyncio.sleep(0.5)
        figures = Figures()
        started = time.monotonic()
        deadline = started + args.duration
        users = [
            simulate(base, f"load{number:03d}", deadline, figures) for number in range(args.users)
        ]
        fault_task = asyncio.create_task(
            faults(server, args.kill_workers, restart_pg, args.duration)
        )
        replacements: list[int] = []
        watch_task = asyncio.create_task(watch_workers(server, replacements))
        # Bounded: users finish the step they are in, or are stopped 90 s after the deadline.
        try:
            await asyncio.wait_for(asyncio.gather(*users), timeout=args.duration + 90)
        except TimeoutError:
            print("some users were still waiting 90 s after the deadline: stopped")
        for line in await fault_task:
            print(line)
        watch_task.cancel()
        print(f"worker processes replaced during the run: {len(replacements)}")
        report(figures, time.monotonic() - started)
    finally:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
    checks = verify(url, figures.acknowledged)
    for name, value in checks.items():
        print(f"{name}: {value}")
    return 0 if checks["lost"] == 0 and checks["db check problems"] == 0 else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--duration", type=float, default=60, help="seconds (300 for 5 min)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--grader", default="auto")
    parser.add_argument("--kill-workers", type=int, default=0)
    parser.add_argument("--restart-postgres", action="store_true")
    parser.add_argument("--server-log", type=Path, help="keep the server's output in this file")
    args = parser.parse_args()
    if not 1 <= args.users <= 500 or not 1 <= args.duration <= 900:
        parser.error("keep it bounded: 1-500 users, 1-900 seconds")
    # Stopped from outside (timeout, kill): still stop the server and remove the cluster.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    with postgres_cluster() as (url, restart):
        return asyncio.run(run(args, url, restart if args.restart_postgres else None))


if __name__ == "__main__":
    sys.exit(main())
