"""Database guards against duplicate attempts and double reviews (finding 2), on SQLite and
PostgreSQL: unique keys and the sessions' progress counter, then real processes racing."""

from __future__ import annotations

import multiprocessing
import re
from datetime import UTC, datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient

from interview_prep.domain import Bank
from interview_prep.errors import StaleWriteError
from interview_prep.practice.attempts import LOCAL_USER_ID, Attempt, QuestionRef
from interview_prep.practice.scheduling import make_scheduler, schedule
from interview_prep.practice.sessions import PracticeSession, SessionConfig
from interview_prep.settings import load_config
from interview_prep.storage import Database, import_bank, open_database
from interview_prep.storage.practice import DatabasePracticeStore

AT = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
ADAM = QuestionRef("ml-basics", "adam")
SCHEDULER = make_scheduler(fuzz=False)


@pytest.fixture
def store(db: Database, bank: Bank) -> DatabasePracticeStore:
    import_bank(db, bank)
    return DatabasePracticeStore(db)


def _attempt(attempt_id: str, session_id: str | None, item: int | None = 0) -> Attempt:
    return Attempt(
        id=attempt_id,
        user_id=LOCAL_USER_ID,
        question=ADAM,
        category="Optimisation",
        answer="same answer",
        submitted_at=AT,
        session_id=session_id,
        session_item=item if session_id is not None else None,
    )


def test_a_second_attempt_at_a_session_item_is_refused(store: DatabasePracticeStore) -> None:
    store.save_attempt_before_grading(_attempt("a1", "s1"))
    with pytest.raises(StaleWriteError, match="answered"):
        store.save_attempt_before_grading(_attempt("a2", "s1"))
    # Outside a session, in another one, or at another item of it (a retry), the same question
    # may be answered again.
    store.save_attempt_before_grading(_attempt("a3", None))
    store.save_attempt_before_grading(_attempt("a4", None))
    store.save_attempt_before_grading(_attempt("a5", "s2"))
    store.save_attempt_before_grading(_attempt("a6", "s1", item=1))
    assert [a.id for a in store.attempts(LOCAL_USER_ID)] == ["a1", "a3", "a4", "a5", "a6"]
    assert [a.session_item for a in store.attempts(LOCAL_USER_ID)] == [0, None, None, 0, 1]


def test_a_second_review_of_one_attempt_is_refused_and_moves_nothing(
    store: DatabasePracticeStore,
) -> None:
    first, entry = schedule(None, "good", AT, question=ADAM, scheduler=SCHEDULER, attempt_id="a1")
    store.record_review(LOCAL_USER_ID, first, entry)
    again, entry = schedule(first, "easy", AT, question=ADAM, scheduler=SCHEDULER, attempt_id="a1")
    with pytest.raises(StaleWriteError, match="already rated"):
        store.record_review(LOCAL_USER_ID, again, entry)
    assert len(store.review_logs(LOCAL_USER_ID)) == 1
    assert store.card_state(LOCAL_USER_ID, ADAM) == first


def test_a_stale_copy_of_a_session_cannot_overwrite_a_newer_one(
    store: DatabasePracticeStore,
) -> None:
    session = PracticeSession.create(SessionConfig(count=1), [(ADAM, "Optimisation")], AT)
    store.save_session(session)
    stale = store.load_session(LOCAL_USER_ID, session.id)
    assert stale is not None
    session.start(AT)
    session.save_draft("typed", AT)
    store.save_session(session)
    session.save_draft("typed more", AT)
    store.save_session(session)  # a newer draft at the same progress replaces the old one
    session.submit("typed more", AT)
    store.save_session(session)
    stale.start(AT)
    stale.save_draft("late draft from another tab", AT)
    with pytest.raises(StaleWriteError):
        store.save_session(stale)
    stored = store.load_session(LOCAL_USER_ID, session.id)
    assert stored is not None and stored.items[0].submitted_at == AT
    assert stored.items[0].answer == "typed more"


# Processes racing, as web workers do: each has its own app, lock and connections.

RACERS = 3


def _post_from_own_process(
    url: str, path: str, form: dict[str, str], barrier: Any, results: Any
) -> None:
    from interview_prep.web.app import create_app

    config = load_config({"database_url": url, "grader": "lexical"}, environ={})
    database = open_database(url, sync_bundled=False)
    try:
        app = create_app(database, config=config)
        with TestClient(app, base_url="http://127.0.0.1", raise_server_exceptions=False) as c:
            barrier.wait(timeout=60)
            response = c.post(path, data=form, follow_redirects=False)
        results.put(response.status_code)
    finally:
        database.close()


def _race(url: str, path: str, form: dict[str, str]) -> list[int]:
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(RACERS)
    results = context.Queue()
    processes = [
        context.Process(target=_post_from_own_process, args=(url, path, form, barrier, results))
        for _ in range(RACERS)
    ]
    for process in processes:
        process.start()
    statuses = [results.get(timeout=120) for _ in processes]
    for process in processes:
        process.join(timeout=30)
        assert process.exitcode == 0
    return statuses


def test_processes_racing_store_one_attempt_and_one_review(database_url: str, bank: Bank) -> None:
    from interview_prep.web.app import create_app

    database = open_database(database_url, sync_bundled=False)
    import_bank(database, bank)
    config = load_config({"database_url": database_url, "grader": "lexical"}, environ={})
    store = DatabasePracticeStore(database)
    try:
        with TestClient(create_app(database, config=config), base_url="http://127.0.0.1") as c:
            form = {"bank": "ml-basics", "count": "2", "time_limit": "", "mode": "drill"}
            url = c.post("/practice/sessions", data=form, follow_redirects=False).headers[
                "location"
            ]
            assert re.fullmatch(r"/practice/sessions/[0-9a-f]{32}", url)
            assert c.get(url).status_code == 200  # starts the clock on question 1

            answer = {"index": "0", "answer": "Adam keeps moving averages of gradients."}
            statuses = _race(database_url, f"{url}/answer", answer)
            assert sorted(statuses) == [303] * RACERS, statuses
            attempts = store.attempts(LOCAL_USER_ID)
            assert len(attempts) == 1 and attempts[0].grade is not None

            statuses = _race(database_url, f"{url}/rate", {"index": "0", "rating": "good"})
            assert sorted(statuses) == [303] * RACERS, statuses
            [log] = store.review_logs(LOCAL_USER_ID)
            assert log.attempt_id == attempts[0].id
            state = store.card_state(LOCAL_USER_ID, log.question)
            assert state is not None and state.reps == 1
            # The session itself agrees, and carries on to its second question.
            page = c.get(url)
            assert page.status_code == 200
            session = store.load_session(LOCAL_USER_ID, url.rsplit("/", 1)[1])
            assert session is not None and session.items[0].rating is not None
    finally:
        database.close()


def test_migration_0008_places_stored_attempts_in_their_session(
    store: DatabasePracticeStore, db: Database
) -> None:
    from alembic import command
    from sqlalchemy import text

    from interview_prep.storage import upgrade
    from interview_prep.storage.database import _alembic_config

    session = PracticeSession.create(SessionConfig(count=1), [(ADAM, "Optimisation")], AT)
    session.start(AT)
    session.submit("an answer", AT, attempt_id="stored")
    store.save_attempt_before_grading(_attempt("stored", session.id, item=0))
    store.save_session(session)
    with db.session(write=True) as transaction:
        command.downgrade(_alembic_config(transaction.connection()), "0007")
    with db.session() as transaction:
        columns = transaction.execute(text("SELECT * FROM attempts")).keys()
    assert "session_item" not in columns
    upgrade(db.url)
    (attempt,) = store.attempts(LOCAL_USER_ID)
    assert (attempt.session_item, attempt.cram) == (0, False)


def test_a_crammed_attempt_is_kept_but_is_not_a_first_sighting(
    store: DatabasePracticeStore,
) -> None:
    crammed = Attempt(
        id="c1",
        user_id=LOCAL_USER_ID,
        question=ADAM,
        category="Optimisation",
        answer="crammed",
        submitted_at=AT,
        session_id="s1",
        session_item=0,
        cram=True,
    )
    store.save_attempt_before_grading(crammed)
    assert store.attempts(LOCAL_USER_ID) == [crammed]
    assert store.first_seen(LOCAL_USER_ID) == {}
    store.save_attempt_before_grading(_attempt("plain", None))
    assert store.first_seen(LOCAL_USER_ID) == {ADAM: AT}


def test_an_interview_plan_is_set_replaced_and_cleared(store: DatabasePracticeStore) -> None:
    from datetime import date

    from interview_prep.practice.plan import InterviewPlan

    assert store.interview_plan(LOCAL_USER_ID) is None
    store.save_interview_plan(LOCAL_USER_ID, InterviewPlan(date(2026, 3, 20)))
    plan = InterviewPlan(date(2026, 3, 30), bank="ml-basics", categories=("Optimisation",))
    store.save_interview_plan(LOCAL_USER_ID, plan)  # an upsert: two tabs may both set it
    assert store.interview_plan(LOCAL_USER_ID) == plan
    store.save_interview_plan(LOCAL_USER_ID, None)
    assert store.interview_plan(LOCAL_USER_ID) is None


def test_migration_0010_keeps_answers_and_its_downgrade_drops_the_follow_ups(
    store: DatabasePracticeStore, db: Database
) -> None:
    from dataclasses import replace

    from alembic import command
    from sqlalchemy import text

    from interview_prep.storage import upgrade
    from interview_prep.storage.database import _alembic_config

    store.save_attempt_before_grading(_attempt("main", None))
    store.save_attempt_before_grading(replace(_attempt("fu", None), follow_up="adam-fu1"))
    with db.session(write=True) as transaction:
        command.downgrade(_alembic_config(transaction.connection()), "0009")
    with db.session() as transaction:
        columns = transaction.execute(text("SELECT * FROM attempts")).keys()
        ids = transaction.scalars(text("SELECT id FROM attempts")).all()
    # Without the column, a follow-up's answer would read as an answer to its question.
    assert "follow_up" not in columns and ids == ["main"]
    upgrade(db.url)
    (attempt,) = store.attempts(LOCAL_USER_ID)
    assert attempt.id == "main" and attempt.follow_up is None
    assert store.follow_up_attempts(LOCAL_USER_ID, ADAM) == []
