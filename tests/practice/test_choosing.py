"""Practice on the user's terms: one question from its page, added to a session, chosen sets."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from interview_prep.errors import InvalidInputError, NotFoundError
from interview_prep.practice.attempts import LOCAL_USER_ID, QuestionRef
from interview_prep.practice.clock import FixedClock
from interview_prep.practice.replay import replay
from interview_prep.practice.service import (
    add_to_session,
    close_crammed,
    grade_answer,
    rate_answer,
    retry_answer,
    skip_question,
    start_drill,
    start_session,
    submit_answer,
)
from interview_prep.practice.sessions import (
    MAX_QUESTIONS,
    ItemStatus,
    PracticeSession,
    SessionConfig,
    SessionMode,
    SessionOrder,
    SessionStateError,
)
from interview_prep.practice.store import InMemoryPracticeStore

from .test_service import BY_REF, RECORDS, SETTINGS, grader

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def store() -> InMemoryPracticeStore:
    return InMemoryPracticeStore()


def test_practise_this_starts_a_one_question_drill(store: InMemoryPracticeStore) -> None:
    session = start_drill(store, LOCAL_USER_ID, RECORDS[2], START, time_limit_s=90)
    assert [item.question for item in session.items] == [QuestionRef("ml", "q3")]
    assert session.items[0].category == "Debugging"
    assert session.config.mode is SessionMode.DRILL
    assert session.config.time_limit_s == 90
    assert store.load_session(LOCAL_USER_ID, session.id) == session


def test_practise_this_adds_to_an_unfinished_session(store: InMemoryPracticeStore) -> None:
    clock = FixedClock(START)
    session = start_drill(store, LOCAL_USER_ID, RECORDS[0], clock())
    session = add_to_session(store, LOCAL_USER_ID, session.id, RECORDS[1])
    assert [item.question.question_id for item in session.items] == ["q1", "q2"]
    assert store.load_session(LOCAL_USER_ID, session.id) == session
    with pytest.raises(SessionStateError, match="already in this session"):
        add_to_session(store, LOCAL_USER_ID, session.id, RECORDS[0])
    # Someone else's session, or one that does not exist, is not found.
    with pytest.raises(NotFoundError):
        add_to_session(store, "someone-else", session.id, RECORDS[2])

    for _ in session.items:
        session.start(clock())
        index = submit_answer(store, session, "right", clock.advance(seconds=10))
        grade_answer(store, session, index, BY_REF[session.items[index].question], grader)
        rate_answer(store, session, index, None, clock(), settings=SETTINGS)
    assert session.is_finished
    with pytest.raises(SessionStateError, match="finished"):
        add_to_session(store, LOCAL_USER_ID, session.id, RECORDS[2])


def test_a_session_holds_at_most_max_questions() -> None:
    refs = [(QuestionRef("b", f"q{n}"), "C") for n in range(MAX_QUESTIONS)]
    session = PracticeSession.create(SessionConfig(count=MAX_QUESTIONS), refs, START)
    with pytest.raises(SessionStateError, match="at most"):
        session.add_question(QuestionRef("b", "one-more"), "C")


def _answer(store, session, clock, text):
    session.start(clock())
    index = submit_answer(store, session, text, clock.advance(seconds=10))
    grade_answer(store, session, index, BY_REF[session.items[index].question], grader)
    rate_answer(store, session, index, None, clock(), settings=SETTINGS)


def test_my_weakest_comes_first_due_or_not(store: InMemoryPracticeStore) -> None:
    clock = FixedClock(START)
    for record, text in zip(RECORDS[:3], ["right", "wrong", "right"], strict=True):
        _answer(store, start_drill(store, LOCAL_USER_ID, record, clock()), clock, text)
    config = SessionConfig(count=2, order=SessionOrder.WEAKEST)
    session = start_session(store, LOCAL_USER_ID, config, RECORDS, clock(), settings=SETTINGS)
    # q2 was answered wrong; q1 and q3 right, so q1 comes next in bank order. q4 never answered.
    assert [item.question.question_id for item in session.items] == ["q2", "q1"]
    assert store.load_session(LOCAL_USER_ID, session.id).config.order is SessionOrder.WEAKEST

    fresh = InMemoryPracticeStore()
    with pytest.raises(InvalidInputError, match="has a graded answer yet"):
        start_session(fresh, LOCAL_USER_ID, config, RECORDS, clock(), settings=SETTINGS)


def test_a_list_and_a_search_narrow_the_pool(store: InMemoryPracticeStore) -> None:
    config = SessionConfig(count=5, questions=("ml/q4", "ml/q3", "ml/q1"), search="q")
    searched = [QuestionRef("ml", "q3"), QuestionRef("ml", "q4"), QuestionRef("ml", "q2")]
    session = start_session(
        store, LOCAL_USER_ID, config, RECORDS, START, settings=SETTINGS, searched=searched
    )
    assert [item.question.question_id for item in session.items] == ["q3", "q4"]
    with pytest.raises(InvalidInputError, match="no questions match"):
        start_session(store, LOCAL_USER_ID, config, RECORDS, START, searched=[])


def test_a_skip_is_not_a_zero_and_not_a_review(store: InMemoryPracticeStore) -> None:
    clock = FixedClock(START)
    config = SessionConfig(count=2, mode=SessionMode.DRILL)
    session = start_session(store, LOCAL_USER_ID, config, RECORDS, clock(), settings=SETTINGS)
    session.start(clock())
    assert skip_question(store, session, clock()) == 0
    assert session.items[0].status is ItemStatus.SKIPPED and session.current_index == 1
    _answer(store, session, clock, "wrong")
    assert session.is_finished
    assert [a.question.question_id for a in store.attempts(LOCAL_USER_ID)] == ["q2"]
    assert [r.question.question_id for r in store.review_logs(LOCAL_USER_ID)] == ["q2"]
    summary = session.summary()
    assert [(row.skipped, row.score) for row in summary.items] == [(True, None), (False, 1.0)]
    assert summary.mean_score == 1.0  # the skip is left out, not counted as 0
    with pytest.raises(SessionStateError, match="answered"):
        session.skip(clock())


def test_retry_at_once_grades_again_and_rates_only_the_last_try(
    store: InMemoryPracticeStore,
) -> None:
    clock = FixedClock(START)
    session = start_drill(store, LOCAL_USER_ID, RECORDS[0], clock())
    session.start(clock())
    index = submit_answer(store, session, "wrong", clock.advance(seconds=10))
    with pytest.raises(SessionStateError, match="after its feedback"):
        retry_answer(store, session, index)  # not graded yet
    grade_answer(store, session, index, BY_REF[session.items[0].question], grader)
    assert retry_answer(store, session, index) == 1
    with pytest.raises(SessionStateError, match="retried"):
        rate_answer(store, session, 0, "again", clock(), settings=SETTINGS)
    assert session.items[0].status is ItemStatus.RETRIED
    assert [item.question for item in session.items] == [session.items[0].question] * 2
    _answer(store, session, clock, "right")
    assert session.is_finished
    attempts = store.attempts(LOCAL_USER_ID)
    assert [(a.score, a.session_item) for a in attempts] == [(1.0, 0), (4.0, 1)]
    (review,) = store.review_logs(LOCAL_USER_ID)
    assert review.attempt_id == attempts[1].id
    summary = session.summary()
    assert [row.retried for row in summary.items] == [True, False]
    assert summary.mean_score == 4.0
    assert store.load_session(LOCAL_USER_ID, session.id) == session


def test_retry_is_for_drills_after_the_feedback() -> None:
    refs = [(QuestionRef("ml", "q1"), "F"), (QuestionRef("ml", "q2"), "F")]
    interview = PracticeSession.create(
        SessionConfig(count=2, mode=SessionMode.INTERVIEW), refs, START
    )
    for _ in refs:
        interview.start(START)
        interview.submit("x", START)
    interview.attach_grade(0, {"score": 2.0})
    with pytest.raises(SessionStateError, match="drill mode"):
        interview.retry(0)


def test_cram_grades_and_keeps_attempts_without_touching_the_schedule(
    store: InMemoryPracticeStore,
) -> None:
    clock = FixedClock(START)
    config = SessionConfig(count=2, mode=SessionMode.DRILL, cram=True)
    session = start_session(store, LOCAL_USER_ID, config, RECORDS, clock(), settings=SETTINGS)
    for _ in range(2):
        session.start(clock())
        index = submit_answer(store, session, "right", clock.advance(seconds=10))
        grade_answer(store, session, index, BY_REF[session.items[index].question], grader)
        with pytest.raises(SessionStateError, match="rates nothing"):
            rate_answer(store, session, index, "good", clock(), settings=SETTINGS)
        close_crammed(store, session, index, clock())
    assert session.is_finished
    assert [item.status for item in session.items] == [ItemStatus.CRAMMED] * 2
    attempts = store.attempts(LOCAL_USER_ID)
    assert [(a.cram, a.score) for a in attempts] == [(True, 4.0), (True, 4.0)]
    assert store.review_logs(LOCAL_USER_ID) == [] and store.card_states(LOCAL_USER_ID) == {}
    # The new questions it practised are still new: today's allowance is untouched.
    assert store.first_seen(LOCAL_USER_ID) == {}
    plain = start_session(store, LOCAL_USER_ID, SessionConfig(count=2), RECORDS, clock())
    assert [item.question.question_id for item in plain.items] == ["q1", "q2"]
    with pytest.raises(SessionStateError, match="only a cram session"):
        close_crammed(store, plain, 0, clock())


def test_replay_shows_each_answer_and_what_changed_since_the_last_attempt(
    store: InMemoryPracticeStore,
) -> None:
    clock = FixedClock(START)
    first = start_drill(store, LOCAL_USER_ID, RECORDS[0], clock())
    _answer(store, first, clock, "wrong")
    config = SessionConfig(count=2, questions=("ml/q1", "ml/q2"))
    later = start_session(store, LOCAL_USER_ID, config, RECORDS, clock(), settings=SETTINGS)
    later.start(clock())
    skip_question(store, later, clock())
    # q1 was skipped in this session: "Practise this" may add it again, at the end.
    later = add_to_session(store, LOCAL_USER_ID, later.id, RECORDS[0])
    _answer(store, later, clock, "right")
    _answer(store, later, clock, "right")

    items = replay(later, store.attempts(LOCAL_USER_ID))
    assert [entry.item.status for entry in items] == [
        ItemStatus.SKIPPED,
        ItemStatus.RATED,
        ItemStatus.RATED,
    ]
    skipped, q2, q1 = items
    assert [entry.item.question.question_id for entry in items] == ["q1", "q2", "q1"]
    assert skipped.change is None and q2.change is None  # skipped; first try at q2
    assert q1.change is not None and q1.change.score_change == 3.0
    assert q1.change.previous.session_id == first.id
    assert q1.change.now_covered == ("first point", "second point")
    assert q1.change.no_longer_covered == ()
