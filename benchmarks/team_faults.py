"""kill -9 of an app worker right after an answer is posted, N times: no acknowledged answer lost.

A team-mode server (``serve --team``, 2 workers, PostgreSQL) and one logged-in candidate. Each
round starts a one-question session, posts an answer carrying a unique marker, and a moment
later (0-50 ms after the post is sent, so sometimes mid-request and sometimes just after the
reply) kills one of the server's workers with SIGKILL; uvicorn starts a new one. The round
waits until the server answers again. An answer the server acknowledged (its 303) must be in the
database afterwards; one caught by the kill may be refused or cut off, and is then counted as
not acknowledged. At the end every session is opened once (which grades anything left ungraded)
and the database is checked: lost answers, duplicates, attempts their session does not name,
ungraded attempts and ``db check`` problems.

Loopback only, bounded: at most 200 rounds. Usage::

    nice python benchmarks/team_faults.py                 # 50 rounds
    nice python benchmarks/team_faults.py --rounds 10 --grader lexical
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import random
import re
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from team_load import ANSWERS, Figures, call, log_in, postgres_cluster, prepare, verify, worker_pids
from web_load import cli, free_port

USER = "load000"


async def wait_ready(base: str, server: subprocess.Popen[str], seconds: float) -> float:
    """Wait until the server answers again; returns how long that took."""
    started = time.monotonic()
    async with httpx.AsyncClient(base_url=base, timeout=5) as probe:
        while True:
            with contextlib.suppress(httpx.TransportError):
                if (await probe.get("/login")).status_code == 200:
                    return time.monotonic() - started
            if time.monotonic() - started > seconds or server.poll() is not None:
                raise RuntimeError(f"the server did not answer within {seconds:.0f} s")
            await asyncio.sleep(0.1)


async def rounds(base: str, server: subprocess.Popen[str], count: int) -> dict[str, object]:
    figures = Figures()
    rng = random.Random(20261202)
    sessions: list[str] = []
    outcomes: dict[str, int] = {"acknowledged": 0, "refused": 0, "cut off": 0}
    recoveries: list[float] = []
    kills = 0
    async with httpx.AsyncClient(base_url=base, timeout=60) as client:
        csrf = await log_in(client, figures, USER)
        if csrf is None:
            raise RuntimeError("could not log in")
        for _ in range(count):
            data = {"count": "1", "mode": "drill", "bank": "ml-engineer", "csrf_token": csrf}
            started = await call(client, figures, "POST", "/practice/sessions", data=data)
            if started is None:
                raise RuntimeError(f"could not start a session: {dict(figures.refusals)}")
            session = started.headers["location"]
            sessions.append(session)
            if await call(client, figures, "GET", session) is None:
                raise RuntimeError("could not open the session")
            marker = f"[{uuid.uuid4().hex}]"
            answer = {"index": "0", "answer": f"{rng.choice(ANSWERS)} {marker}", "csrf_token": csrf}
            posted = asyncio.create_task(
                client.post(f"{session}/answer", data=answer, follow_redirects=False)
            )
            await asyncio.sleep(rng.uniform(0, 0.05))
            pids = worker_pids(server)
            if pids:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(rng.choice(pids), signal.SIGKILL)
                    kills += 1
            try:
                response = await posted
            except httpx.HTTPError:
                outcomes["cut off"] += 1
            else:
                if response.status_code == 303:
                    outcomes["acknowledged"] += 1
                    figures.acknowledged.add(marker)
                else:
                    outcomes["refused"] += 1
            recoveries.append(await wait_ready(base, server, 120))
        # Open every session once: an answer whose grading a kill interrupted is graded now.
        reopened = 0
        for session in sessions:
            if await call(client, figures, "GET", session) is not None:
                reopened += 1
    return {
        "figures": figures,
        "outcomes": outcomes,
        "kills": kills,
        "recoveries": recoveries,
        "reopened": reopened,
    }


def duplicates(url: str) -> int:
    from sqlalchemy import select

    from interview_prep.storage import open_database
    from interview_prep.storage.schema import AttemptRow

    db = open_database(url, sync_bundled=False)
    try:
        with db.session() as session:
            answers = list(session.scalars(select(AttemptRow.answer)))
    finally:
        db.close()
    markers = [m for answer in answers for m in re.findall(r"\[[0-9a-f]{32}\]", answer)]
    return len(markers) - len(set(markers))


async def run(args: argparse.Namespace, url: str) -> int:
    prepare(url, 1)
    port = free_port()
    env = {**os.environ, "INTERVIEW_PREP_DATABASE_URL": url, "INTERVIEW_PREP_GRADER": args.grader}
    server = subprocess.Popen(
        [*cli(), "serve", "--team", "--port", str(port), "--workers", str(args.workers)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        await wait_ready(base, server, 300)
        started = time.monotonic()
        result = await rounds(base, server, args.rounds)
        elapsed = time.monotonic() - started
    finally:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
    figures: Figures = result["figures"]  # type: ignore[assignment]
    recoveries: list[float] = sorted(result["recoveries"])  # type: ignore[arg-type]
    print(f"{args.rounds} rounds, {result['kills']} workers killed with SIGKILL, {elapsed:.0f} s")
    print(f"answers: {result['outcomes']}")
    print(
        f"server answering again after a kill: median {recoveries[len(recoveries) // 2]:.2f} s, "
        f"max {recoveries[-1]:.2f} s"
    )
    print(f"sessions reopened afterwards: {result['reopened']}/{args.rounds}")
    checks = verify(url, figures.acknowledged)
    checks["duplicated answers"] = duplicates(url)
    for name, value in checks.items():
        print(f"{name}: {value}")
    bad = checks["lost"] or checks["duplicated answers"] or checks["db check problems"]
    return 1 if bad else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=50)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--grader", default="auto")
    args = parser.parse_args()
    if not 1 <= args.rounds <= 200:
        parser.error("keep it bounded: 1-200 rounds")
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    with postgres_cluster() as (url, _restart):
        return asyncio.run(run(args, url))


if __name__ == "__main__":
    sys.exit(main())
