"""PostgreSQL restarted while answers are being posted: each answer is stored once or refused
with a clear error, and the app carries on without a restart of its own.

Three browsers-worth of clients post answers in a loop, each with a unique marker, through the
real app on a real PostgreSQL server; the server is restarted (fast shutdown: open connections
are cut and their transactions abort) in the middle. Every response must be a page or a
redirect, or the 503 that says the database was unavailable: never a 500. Afterwards each
acknowledged answer is in the database exactly once, no marker is stored twice, and answers
posted after the restart are acknowledged again.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from interview_prep.domain import Bank
from interview_prep.settings import load_config
from interview_prep.storage import Database, open_database, repository
from interview_prep.storage.schema import AttemptRow, PracticeSessionRow
from interview_prep.web.app import create_app

pytestmark = pytest.mark.postgres
POSTERS = 3
AFTER_RESTART = 6
"""Answers that must be acknowledged after the restart, to show the app recovered."""


@dataclass(frozen=True)
class Outcome:
    step: str
    status: int
    marker: str | None
    finished_at: float
    body: str


@pytest.fixture
def postgres_db(postgres_url: str, study_bank: Bank) -> Iterator[Database]:
    database = open_database(postgres_url, sync_bundled=False)
    repository.import_bank(database, study_bank)
    try:
        yield database
    finally:
        database.close()


def _post_answers(client: TestClient, stop: threading.Event, outcomes: list[Outcome]) -> None:
    def record(step: str, response, marker: str | None = None) -> bool:
        outcomes.append(
            Outcome(step, response.status_code, marker, time.monotonic(), response.text)
        )
        return response.status_code < 400

    while not stop.is_set():
        started = client.post(
            "/practice/sessions",
            data={"bank": "ml-basics", "count": "1", "mode": "drill"},
            follow_redirects=False,
        )
        if not record("start", started):
            time.sleep(0.05)
            continue
        url = started.headers["location"]
        if not record("open", client.get(url)):
            continue
        marker = f"[{uuid.uuid4().hex}]"
        answered = client.post(
            f"{url}/answer",
            data={"index": "0", "answer": f"Gradients shrink through layers {marker}"},
            follow_redirects=False,
        )
        record("answer", answered, marker)


def test_answers_in_flight_survive_a_postgresql_restart(
    postgres_cluster, postgres_db: Database, caplog: pytest.LogCaptureFixture
) -> None:
    app = create_app(
        postgres_db,
        config=load_config({"grader": "lexical", "allowed_hosts": "testserver"}, environ={}),
    )
    outcomes: list[Outcome] = []
    stop = threading.Event()
    with contextlib.ExitStack() as stack:
        clients = [
            stack.enter_context(TestClient(app, raise_server_exceptions=False))
            for _ in range(POSTERS)
        ]
        client = clients[0]
        posters = [
            threading.Thread(target=_post_answers, args=(each, stop, outcomes), daemon=True)
            for each in clients
        ]
        for poster in posters:
            poster.start()
        try:
            _wait_for(lambda: _acknowledged(outcomes) >= POSTERS * 2, "answers before")
            postgres_cluster.restart()
            restarted = time.monotonic()
            _wait_for(
                lambda: _acknowledged(outcomes, since=restarted) >= AFTER_RESTART,
                "answers after the restart",
            )
        finally:
            stop.set()
            for poster in posters:
                poster.join(timeout=60)
        assert client.get("/practice").status_code == 200

    statuses = sorted({outcome.status for outcome in outcomes})
    assert set(statuses) <= {200, 303, 503}, statuses  # never a 500
    refused = [outcome for outcome in outcomes if outcome.status == 503]
    for outcome in refused:
        assert "database could not be reached" in outcome.body, outcome.body
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR], "a traceback was logged"

    answers = [outcome for outcome in outcomes if outcome.step == "answer"]
    with postgres_db.session() as session:
        stored = [text for text in session.scalars(select(AttemptRow.answer))]
        documents = list(session.scalars(select(PracticeSessionRow.data)))
    named = {item.get("attempt_id") for data in documents for item in data.get("items", [])}
    with postgres_db.session() as session:
        attempt_ids = set(session.scalars(select(AttemptRow.id)))
    counts = {answer.marker: sum(answer.marker in text for text in stored) for answer in answers}
    assert all(count <= 1 for count in counts.values()), "an answer was stored twice"
    lost = [a.marker for a in answers if a.status == 303 and counts[a.marker] != 1]
    assert lost == [], "acknowledged answers missing"
    # Reported, not asserted: an answer refused between saving its attempt and saving its
    # session is stored but not yet named by the session (rare: the restart must fall there).
    print(
        f"\n{len(answers)} answers posted, {sum(a.status == 303 for a in answers)} acknowledged, "
        f"{len(refused)} requests refused with 503 during the restart, "
        f"{sum(counts.values())} stored, 0 lost, 0 duplicated, "
        f"{len(attempt_ids - named)} stored but not named by their session"
    )


def _acknowledged(outcomes: list[Outcome], since: float = 0.0) -> int:
    return sum(
        outcome.step == "answer" and outcome.status == 303 and outcome.finished_at > since
        for outcome in list(outcomes)
    )


def _wait_for(condition, what: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)
