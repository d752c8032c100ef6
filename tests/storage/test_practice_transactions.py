"""An answer, its grade and its rating are stored in one transaction with the session document
that shows them, on SQLite and PostgreSQL: whatever stops the write, both are there or neither."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from interview_prep.domain import Bank
from interview_prep.errors import StaleWriteError
from interview_prep.practice.attempts import LOCAL_USER_ID, QuestionRef
from interview_prep.practice.scheduling import Rating
from interview_prep.practice.service import grade_answer, rate_answer, submit_answer
from interview_prep.practice.sessions import PracticeSession, SessionConfig
from interview_prep.storage import Database, import_bank
from interview_prep.storage.practice import DatabasePracticeStore

AT = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
ADAM = QuestionRef("ml-basics", "adam")


class Crash(Exception):
    """The process stopping between the two writes (a kill, a lost connection)."""


@pytest.fixture
def store(db: Database, bank: Bank) -> DatabasePracticeStore:
    import_bank(db, bank)
    return DatabasePracticeStore(db)


def _started(store: DatabasePracticeStore) -> PracticeSession:
    session = PracticeSession.create(SessionConfig(count=1), [(ADAM, "Optimisation")], AT)
    session.start(AT)
    store.save_session(session)
    return session


def _crash_on_the_session_write(monkeypatch: pytest.MonkeyPatch) -> None:
    def crash(*_: object) -> None:
        raise Crash

    monkeypatch.setattr(DatabasePracticeStore, "_write_session", crash)


def _graded(question: object, answer: str) -> dict[str, object]:
    return {"score": 3.0, "suggested_rating": "good", "key_points": []}


def test_an_answer_is_not_stored_without_the_session_that_names_it(
    store: DatabasePracticeStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    session = _started(store)
    with monkeypatch.context() as patch:
        _crash_on_the_session_write(patch)
        with pytest.raises(Crash):
            submit_answer(store, session, "momentum and per-weight scales", AT)
    assert store.attempts(LOCAL_USER_ID) == []
    stored = store.load_session(LOCAL_USER_ID, session.id)
    assert stored is not None and stored.items[0].attempt_id is None

    # Once the write goes through, both are there, and name each other.
    again = store.load_session(LOCAL_USER_ID, session.id)
    assert again is not None
    submit_answer(store, again, "momentum and per-weight scales", AT + timedelta(seconds=5))
    (attempt,) = store.attempts(LOCAL_USER_ID)
    stored = store.load_session(LOCAL_USER_ID, session.id)
    assert stored is not None and stored.items[0].attempt_id == attempt.id
    assert (attempt.session_id, attempt.session_item) == (session.id, 0)


def test_an_answer_to_a_session_moved_on_elsewhere_is_not_stored(
    store: DatabasePracticeStore,
) -> None:
    session = _started(store)
    stale = store.load_session(LOCAL_USER_ID, session.id)
    assert stale is not None
    submit_answer(store, session, "the first tab's answer", AT)
    with pytest.raises(StaleWriteError):
        submit_answer(store, stale, "the second tab's answer", AT + timedelta(seconds=1))
    assert [a.answer for a in store.attempts(LOCAL_USER_ID)] == ["the first tab's answer"]


def test_a_grade_and_a_rating_go_with_the_session_or_not_at_all(
    store: DatabasePracticeStore, bank: Bank, monkeypatch: pytest.MonkeyPatch
) -> None:
    question = bank.question("adam")
    session = _started(store)
    submit_answer(store, session, "momentum and per-weight scales", AT)
    with monkeypatch.context() as patch:
        _crash_on_the_session_write(patch)
        with pytest.raises(Crash):
            grade_answer(store, session, 0, question, _graded)
    (attempt,) = store.attempts(LOCAL_USER_ID)
    assert attempt.grade is None  # still ungraded, so grading again is the way on

    session = store.load_session(LOCAL_USER_ID, session.id)
    assert session is not None
    grade_answer(store, session, 0, question, _graded)
    with monkeypatch.context() as patch:
        _crash_on_the_session_write(patch)
        with pytest.raises(Crash):
            rate_answer(store, session, 0, Rating.GOOD, AT + timedelta(minutes=1))
    assert store.review_logs(LOCAL_USER_ID) == []
    assert store.card_state(LOCAL_USER_ID, ADAM) is None

    session = store.load_session(LOCAL_USER_ID, session.id)
    assert session is not None and session.items[0].rating is None
    rate_answer(store, session, 0, Rating.GOOD, AT + timedelta(minutes=1))
    (review,) = store.review_logs(LOCAL_USER_ID)
    stored = store.load_session(LOCAL_USER_ID, session.id)
    assert stored is not None and stored.items[0].rating is not None
    assert review.attempt_id == attempt.id
