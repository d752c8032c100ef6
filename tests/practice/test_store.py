"""The practice store contract, run on the in-memory store and on the database store.

The database store (``interview_prep.storage.practice.DatabasePracticeStore``) runs on SQLite and
PostgreSQL, opened from the URLs that the shared ``db`` fixture uses (pytest cannot request the
parametrized ``db`` from inside another fixture's parameter), with bank ``ml`` stored so that the
questions referred to exist.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from interview_prep.errors import ConflictError, NotFoundError
from interview_prep.formats.validation import validate_bank_data
from interview_prep.practice.attempts import Attempt, QuestionRef
from interview_prep.practice.scheduling import make_scheduler, schedule
from interview_prep.practice.sessions import PracticeSession, SessionConfig
from interview_prep.practice.store import InMemoryPracticeStore, PracticeStore
from interview_prep.storage import import_bank, open_database
from interview_prep.storage.practice import DatabasePracticeStore
from interview_prep.storage.schema import UserRow

AT = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
Q1, Q2 = QuestionRef("ml", "q1"), QuestionRef("ml", "q2")


def attempt(id, question, minutes, user="local"):
    return Attempt(
        id=id,
        user_id=user,
        question=question,
        category="F",
        answer=id,
        submitted_at=AT + timedelta(minutes=minutes),
    )


@pytest.fixture(params=["memory", "sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def store(request: pytest.FixtureRequest) -> Iterator[PracticeStore]:
    if request.param == "memory":
        yield InMemoryPracticeStore()
        return
    url = request.getfixturevalue("sqlite_url" if request.param == "sqlite" else "postgres_url")
    db = open_database(url, sync_bundled=False)
    try:
        questions = [
            {"id": ref.question_id, "category": "F", "question": "?", "answer": "!"}
            for ref in (Q1, Q2)
        ]
        bank = {"id": "ml", "title": "ML", "questions": questions}
        import_bank(db, validate_bank_data(bank, source="test"))
        # Practice rows belong to users: the second user these tests use needs an account.
        with db.session(write=True) as session:
            session.add(UserRow(id="someone-else", username="someone-else", role="candidate"))
        yield DatabasePracticeStore(db)
    finally:
        db.close()


def test_attempts_are_kept_before_and_after_grading(store):
    store.save_attempt_before_grading(attempt("b", Q2, 5))
    store.save_attempt_before_grading(attempt("a", Q1, 1))
    store.save_attempt_before_grading(attempt("c", Q1, 9))
    store.save_attempt_before_grading(attempt("x", Q1, 0, user="someone-else"))
    assert [a.id for a in store.attempts("local")] == ["a", "b", "c"]
    assert [a.id for a in store.attempts("local", Q1)] == ["a", "c"]
    graded = store.attach_grade("local", "b", {"score": 4})
    assert graded.score == 4 and store.attempts("local", Q2) == [graded]
    assert store.first_seen("local") == {
        Q1: AT + timedelta(minutes=1),
        Q2: AT + timedelta(minutes=5),
    }
    with pytest.raises(ConflictError):
        store.save_attempt_before_grading(attempt("a", Q1, 3))
    with pytest.raises(NotFoundError):
        store.attach_grade("local", "x", {"score": 1})


def test_reviews_replace_the_state_and_append_to_the_log(store):
    scheduler = make_scheduler(fuzz=False)
    first, entry1 = schedule(None, "good", AT, question=Q1, scheduler=scheduler)
    store.record_review("local", first, entry1)
    second, entry2 = schedule(first, "good", first.due, question=Q1, scheduler=scheduler)
    store.record_review("local", second, entry2)
    other, entry3 = schedule(None, "again", AT, question=Q2, scheduler=scheduler)
    store.record_review("someone-else", other, entry3)
    assert store.card_state("local", Q1) == second
    assert store.card_state("local", Q2) is None
    assert store.card_states("local") == {Q1: second}
    assert store.review_logs("local") == [entry1, entry2]
    assert store.review_logs("someone-else", Q2) == [entry3]


def test_sessions_are_copies_and_unfinished_ones_come_newest_first(store):
    config = SessionConfig(count=1)
    older = PracticeSession.create(config, [(Q1, "F")], AT, session_id="old")
    newer = PracticeSession.create(config, [(Q2, "F")], AT + timedelta(hours=1), session_id="new")
    store.save_session(older)
    store.save_session(newer)
    newer.start(AT)  # not saved: the store must not see it
    assert store.load_session("local", "new").items[0].started_at is None
    assert [s.id for s in store.unfinished_sessions("local")] == ["new", "old"]
    assert store.load_session("local", "missing") is None
    assert store.load_session("someone-else", "new") is None
    store.save_session(newer)  # saving again replaces
    assert store.load_session("local", "new") == newer
    newer.submit("done", AT + timedelta(minutes=1))
    newer.attach_grade(0, {"score": 5, "rating": "Easy"})
    newer.rate(0, "easy", AT + timedelta(minutes=2))
    store.save_session(newer)
    assert [s.id for s in store.unfinished_sessions("local")] == ["old"]


def test_answers_to_follow_ups_are_kept_apart_from_the_questions_own(store):
    store.save_attempt_before_grading(attempt("main", Q1, 1))
    follow_up = Attempt(
        id="fu",
        user_id="local",
        question=Q1,
        category="F",
        answer="fu",
        submitted_at=AT + timedelta(minutes=2),
        follow_up="q1-fu2",
    )
    store.save_attempt_before_grading(follow_up)
    store.save_attempt_before_grading(attempt("later", Q1, 3))
    graded = store.attach_grade("local", "fu", {"score": 3})
    assert graded.follow_up == "q1-fu2" and graded.score == 3
    # Mastery, progress and the schedule read these: the question's own answers only.
    assert [a.id for a in store.attempts("local")] == ["main", "later"]
    assert [a.id for a in store.attempts("local", Q1)] == ["main", "later"]
    assert store.first_seen("local") == {Q1: AT + timedelta(minutes=1)}
    answered = store.follow_up_attempts("local", Q1)
    assert [(a.id, a.follow_up, a.score) for a in answered] == [("fu", "q1-fu2", 3)]
    assert store.follow_up_attempts("local", Q2) == []
    assert [a.id for a in store.follow_up_attempts("local")] == ["fu"]  # every question's
    assert store.follow_up_attempts("someone-else", Q1) == []
