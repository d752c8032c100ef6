"""The database practice store: what the shared contract (tests/practice/test_store.py) cannot
see. Migrations, one transaction per review, UTC, foreign keys and cascades, a crash mid-grading,
and several processes at once; on SQLite and PostgreSQL."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import threading
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from alembic import command
from sqlalchemy import func, inspect, select, text

from interview_prep.domain import Bank
from interview_prep.errors import ConflictError, InvalidInputError, NotFoundError
from interview_prep.formats.validation import validate_bank_data
from interview_prep.practice.attempts import Attempt, QuestionRef
from interview_prep.practice.scheduling import make_scheduler, schedule
from interview_prep.practice.service import grade_answer, start_session, submit_answer
from interview_prep.practice.sessions import ItemStatus, PracticeSession, SessionConfig
from interview_prep.storage import (
    Database,
    delete_bank,
    get_question,
    import_bank,
    list_questions,
    open_database,
    upgrade,
)
from interview_prep.storage import practice as practice_storage
from interview_prep.storage.bundled import sync_bundled_banks
from interview_prep.storage.database import _alembic_config, head_revision
from interview_prep.storage.practice import DatabasePracticeStore
from interview_prep.storage.schema import (
    AttemptRow,
    CardStateRow,
    PracticeSessionRow,
    ReviewLogRow,
    UserRow,
)

AT = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
ADAM = QuestionRef("ml-basics", "adam")
NOTES = QuestionRef("my-notes", "checkpointing")
PRACTICE_TABLES = {"attempts", "card_states", "review_logs", "practice_sessions"}
SCHEDULER = make_scheduler(fuzz=False)


@pytest.fixture
def store(db: Database, bank: Bank) -> DatabasePracticeStore:
    """The practice store over a database holding ``bank`` and a one-question user bank."""
    import_bank(db, bank)
    import_bank(db, notes_bank())
    with db.session(write=True) as session:
        session.add(UserRow(id="someone-else", username="someone-else", role="candidate"))
    return DatabasePracticeStore(db)


def notes_bank() -> Bank:
    question = {"id": NOTES.question_id, "category": "Memory", "question": "?", "answer": "!"}
    return validate_bank_data({"id": NOTES.bank_id, "title": "My notes", "questions": [question]})


def attempt(id: str, question: QuestionRef = ADAM, **fields: Any) -> Attempt:
    values: dict[str, Any] = {
        "user_id": "local",
        "category": "Optimisation",
        "answer": f"answer {id}",
        "submitted_at": AT,
    }
    return Attempt(id=id, question=question, **{**values, **fields})


def review(store: DatabasePracticeStore, question: QuestionRef, at: datetime = AT) -> None:
    state, entry = schedule(
        store.card_state("local", question), "good", at, question=question, scheduler=SCHEDULER
    )
    store.record_review("local", state, entry)


def rows(db: Database, table: type[Any], question: QuestionRef | None = None) -> int:
    statement = select(func.count()).select_from(table)
    if question is not None:
        statement = statement.where(
            table.bank_id == question.bank_id, table.question_id == question.question_id
        )
    with db.session() as session:
        return int(session.scalar(statement) or 0)


def practise(store: DatabasePracticeStore, question: QuestionRef, name: str) -> None:
    """An attempt, a review and a session, all at ``question``."""
    store.save_attempt_before_grading(attempt(name, question))
    review(store, question)
    store.save_session(
        PracticeSession.create(SessionConfig(count=1), [(question, "F")], AT, session_id=name)
    )


# Migrations


def test_the_migration_creates_and_drops_the_practice_tables(db: Database) -> None:
    with db.engine.connect() as connection:
        assert set(inspect(connection).get_table_names()) >= PRACTICE_TABLES
    with db.session(write=True) as session:
        command.downgrade(_alembic_config(session.connection()), "0001")
    with db.engine.connect() as connection:
        tables = set(inspect(connection).get_table_names())
    assert not tables & PRACTICE_TABLES
    assert {"banks", "questions"} <= tables
    assert upgrade(db.url) == head_revision()


def test_the_foreign_keys_cascade_from_questions(db: Database) -> None:
    with db.engine.connect() as connection:
        inspector = inspect(connection)
        for table in PRACTICE_TABLES - {"practice_sessions"}:
            (key,) = [
                key
                for key in inspector.get_foreign_keys(table)
                if key["referred_table"] == "questions"
            ]
            assert key["referred_columns"] == ["bank_id", "question_id"]
            assert key["options"]["ondelete"] == "CASCADE"


# Writes


def test_an_attempt_is_committed_before_grading(store: DatabasePracticeStore) -> None:
    store.save_attempt_before_grading(attempt("a"))
    other = open_database(store.db.url, migrate=False, sync_bundled=False)
    try:
        (seen,) = DatabasePracticeStore(other).attempts("local")
    finally:
        other.close()
    assert seen == attempt("a") and seen.grade is None


def test_an_attempt_id_is_taken_for_every_user(store: DatabasePracticeStore) -> None:
    store.save_attempt_before_grading(attempt("a"))
    with pytest.raises(ConflictError):
        store.save_attempt_before_grading(attempt("a", user_id="someone-else", answer="mine"))
    assert store.attempts("someone-else") == []
    assert store.attempts("local")[0].answer == "answer a"


def test_a_grade_belongs_to_the_attempts_user(store: DatabasePracticeStore) -> None:
    store.save_attempt_before_grading(attempt("a"))
    with pytest.raises(NotFoundError):
        store.attach_grade("someone-else", "a", {"score": 5})
    with pytest.raises(NotFoundError):
        store.attach_grade("local", "missing", {"score": 5})
    assert store.attempts("local")[0].grade is None


def test_a_grade_comes_back_as_stored(store: DatabasePracticeStore) -> None:
    store.save_attempt_before_grading(attempt("a"))
    graded = store.attach_grade("local", "a", {"score": 3.5, "key_points": ("a", "b")})
    assert graded.grade == {"score": 3.5, "key_points": ["a", "b"]}  # through JSON
    assert store.attempts("local") == [graded]
    with store.db.session() as session:  # SQL NULL before grading, not JSON null
        assert session.scalar(select(func.count()).where(AttemptRow.grade.is_(None))) == 0


def test_practice_on_an_unknown_question_is_not_found(store: DatabasePracticeStore) -> None:
    missing = QuestionRef("ml-basics", "no-such-question")
    with pytest.raises(NotFoundError, match="no-such-question"):
        store.save_attempt_before_grading(attempt("a", missing))
    with pytest.raises(NotFoundError, match="no-such-question"):
        review(store, missing)
    assert store.attempts("local") == [] and store.review_logs("local") == []


def test_a_review_is_logged_once(store: DatabasePracticeStore) -> None:
    state, entry = schedule(None, "good", AT, question=ADAM, scheduler=SCHEDULER)
    store.record_review("local", state, entry)
    later, _ = schedule(state, "again", state.due, question=ADAM, scheduler=SCHEDULER)
    with pytest.raises(ConflictError):
        store.record_review("local", later, entry)
    # The state was replaced in the failed transaction, and rolled back with it.
    assert store.card_state("local", ADAM) == state
    assert store.review_logs("local") == [entry]


def test_a_failure_between_state_and_log_stores_neither(
    store: DatabasePracticeStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    def crash(*args: object) -> None:
        raise RuntimeError("the process died between the two writes")

    monkeypatch.setattr(practice_storage, "_review_row", crash)
    with pytest.raises(RuntimeError):
        review(store, ADAM)
    assert store.card_state("local", ADAM) is None
    assert rows(store.db, CardStateRow) == rows(store.db, ReviewLogRow) == 0


def test_reviews_update_one_card_state(store: DatabasePracticeStore) -> None:
    review(store, ADAM)
    review(store, ADAM, AT + timedelta(days=3))
    assert rows(store.db, CardStateRow) == 1
    assert store.card_state("local", ADAM).reps == 2  # type: ignore[union-attr]
    assert len(store.review_logs("local", ADAM)) == 2


def test_text_postgresql_cannot_hold_is_invalid_input(store: DatabasePracticeStore) -> None:
    if store.db.dialect == "sqlite":
        store.save_attempt_before_grading(attempt("a", answer="nul\x00byte"))
        assert store.attempts("local")[0].answer == "nul\x00byte"
    else:
        with pytest.raises(InvalidInputError):
            store.save_attempt_before_grading(attempt("a", answer="nul\x00byte"))
        assert store.attempts("local") == []


# Time


def test_times_come_back_in_utc(store: DatabasePracticeStore) -> None:
    paris = timezone(timedelta(hours=1))
    local = datetime(2026, 3, 2, 10, 0, 0, 123456, tzinfo=paris)
    store.save_attempt_before_grading(attempt("a", submitted_at=local, started_at=local))
    review(store, ADAM, local)
    session = PracticeSession.create(SessionConfig(count=1), [(ADAM, "F")], local)
    store.save_session(session)

    (saved,) = store.attempts("local")
    (entry,) = store.review_logs("local")
    state = store.card_state("local", ADAM)
    assert state is not None
    times = [
        saved.submitted_at,
        saved.started_at,
        entry.reviewed_at,
        entry.due_after,
        state.due,
        store.first_seen("local")[ADAM],
        store.unfinished_sessions("local")[0].created_at,
    ]
    for value in times:
        assert value is not None and value.tzinfo is UTC
    assert saved.submitted_at == local and saved.submitted_at.microsecond == 123456
    assert entry.reviewed_at == local


def test_sqlite_stores_utc_without_an_offset(sqlite_url: str, bank: Bank) -> None:
    db = open_database(sqlite_url, sync_bundled=False)
    try:
        import_bank(db, bank)
        local = datetime(2026, 3, 2, 10, 0, tzinfo=timezone(timedelta(hours=1)))
        DatabasePracticeStore(db).save_attempt_before_grading(attempt("a", submitted_at=local))
        with db.engine.connect() as connection:
            stored = connection.execute(text("SELECT submitted_at FROM attempts")).scalar()
    finally:
        db.close()
    assert str(stored).startswith("2026-03-02 09:00:00")


# Banks: deleted, updated


def test_deleting_a_bank_deletes_its_practice(store: DatabasePracticeStore) -> None:
    practise(store, ADAM, "ml")
    practise(store, NOTES, "notes")
    mixed = PracticeSession.create(
        SessionConfig(count=2), [(ADAM, "F"), (NOTES, "F")], AT, session_id="mixed"
    )
    store.save_session(mixed)

    delete_bank(store.db, "ml-basics")

    for table in (AttemptRow, CardStateRow, ReviewLogRow):
        assert rows(store.db, table, ADAM) == 0
        assert rows(store.db, table, NOTES) == 1
    sessions = store.unfinished_sessions("local")
    assert [session.id for session in sessions] == ["notes"]
    assert rows(store.db, PracticeSessionRow) == 1


def test_an_imported_bank_of_the_same_id_starts_with_no_history(
    store: DatabasePracticeStore, bank: Bank
) -> None:
    practise(store, ADAM, "ml")
    delete_bank(store.db, bank.id)
    import_bank(store.db, bank)
    assert store.attempts("local") == [] and store.card_states("local") == {}


def test_a_bundled_update_keeps_the_practice_of_retired_questions(
    db: Database, bank: Bank, bank_data: dict[str, Any]
) -> None:
    sync_bundled_banks(db, [bank])
    store = DatabasePracticeStore(db)
    retiring = QuestionRef(bank.id, "bias-variance")
    practise(store, retiring, "old")
    store.attach_grade("local", "old", {"score": 2})
    before = (store.attempts("local"), store.card_states("local"), store.review_logs("local"))

    questions = [item for item in bank_data["questions"] if item["id"] != retiring.question_id]
    newer = validate_bank_data({**bank_data, "version": 2, "questions": questions})
    assert [change.action for change in sync_bundled_banks(db, [newer])] == ["updated"]

    assert get_question(db, retiring.key).retired
    after = (store.attempts("local"), store.card_states("local"), store.review_logs("local"))
    assert after == before
    assert store.load_session("local", "old") is not None


def test_replacing_a_bank_keeps_its_practice(store: DatabasePracticeStore, bank: Bank) -> None:
    practise(store, ADAM, "ml")
    import_bank(store.db, bank, replace=True)
    assert len(store.attempts("local", ADAM)) == len(store.review_logs("local", ADAM)) == 1


# Crashes and concurrency

CRASH_WHILE_GRADING = """
import os, sys
from datetime import UTC, datetime
from interview_prep.practice.service import grade_answer, start_session, submit_answer
from interview_prep.practice.sessions import SessionConfig
from interview_prep.storage import list_questions, open_database
from interview_prep.storage.practice import DatabasePracticeStore

db = open_database(sys.argv[1], migrate=False, sync_bundled=False)
store = DatabasePracticeStore(db)
records = list_questions(db, bank="ml-basics")
now = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
session = start_session(store, "local", SessionConfig(count=1), records, now)
session.start(now)
store.save_session(session)
submit_answer(store, session, "Adam scales each step by running moments.", now)

def grader(question, answer):
    os._exit(3)  # the process dies mid-grading: no cleanup, no rollback, nothing flushed

record = next(r for r in records if r.question.id == session.items[0].question.question_id)
grade_answer(store, session, 0, record.question, grader)
"""


def test_a_crash_while_grading_keeps_the_answer(store: DatabasePracticeStore) -> None:
    script = textwrap.dedent(CRASH_WHILE_GRADING)
    crashed = subprocess.run(
        [sys.executable, "-c", script, store.db.url], capture_output=True, text=True, timeout=120
    )
    assert crashed.returncode == 3, crashed.stderr

    (saved,) = store.attempts("local")
    assert saved.answer.startswith("Adam scales") and saved.grade is None
    (session,) = store.unfinished_sessions("local")
    assert session.items[0].status is ItemStatus.SUBMITTED
    assert session.items[0].attempt_id == saved.id

    # After the restart, grading again finishes the job.
    record = next(
        r for r in list_questions(store.db) if r.question.id == saved.question.question_id
    )
    grade_answer(store, session, 0, record.question, lambda question, answer: {"score": 4})
    assert store.attempts("local")[0].grade == {"score": 4}


def test_a_failing_grader_leaves_the_attempt_ungraded(store: DatabasePracticeStore) -> None:
    records = list_questions(store.db, bank="ml-basics")
    session = start_session(store, "local", SessionConfig(count=1), records, AT)
    session.start(AT)
    submit_answer(store, session, "an answer", AT)

    def grader(question: object, answer: str) -> dict[str, Any]:
        raise TimeoutError("the model did not answer")

    record = next(r for r in records if r.question.id == session.items[0].question.question_id)
    with pytest.raises(TimeoutError):
        grade_answer(store, session, 0, record.question, grader)
    (saved,) = store.attempts("local")
    assert saved.grade is None and saved.answer == "an answer"


def test_processes_practising_at_once_lose_nothing(store: DatabasePracticeStore) -> None:
    """Several app processes (threads with engines of their own) rate the same new question."""
    workers, per_worker = 4, 5
    barrier = threading.Barrier(workers)
    errors: list[BaseException] = []

    def work(number: int) -> None:
        db = open_database(store.db.url, migrate=False, sync_bundled=False)
        try:
            mine = DatabasePracticeStore(db)
            barrier.wait()
            for step in range(per_worker):
                at = AT + timedelta(minutes=step)
                mine.save_attempt_before_grading(attempt(f"{number}-{step}", submitted_at=at))
                mine.attach_grade("local", f"{number}-{step}", {"score": step})
                state, entry = schedule(None, "good", at, question=ADAM, scheduler=SCHEDULER)
                mine.record_review("local", state, entry)
                mine.save_session(
                    PracticeSession.create(
                        SessionConfig(count=1), [(ADAM, "F")], at, session_id="s"
                    )
                )
        except BaseException as error:  # reported below, in the test's thread
            errors.append(error)
        finally:
            db.close()

    threads = [threading.Thread(target=work, args=(number,)) for number in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    total = workers * per_worker
    assert len(store.attempts("local")) == total
    assert all(saved.is_graded for saved in store.attempts("local"))
    assert len(store.review_logs("local", ADAM)) == total
    assert rows(store.db, CardStateRow) == 1
    assert rows(store.db, PracticeSessionRow) == 1
